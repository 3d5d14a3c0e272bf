"""A web application in a temp data folder, its users, and a signed-in test client."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("flask")

from vanban.web import create_app  # noqa: E402
from vanban.web.security import UploadLimits  # noqa: E402
from web_helpers import add_users, login  # noqa: E402


@pytest.fixture
def data_dir(tmp_path) -> Path:
    data = tmp_path / "data"
    add_users(data)
    return data


@pytest.fixture
def app(data_dir):
    app = create_app(data_dir, limits=UploadLimits(max_request_bytes=3 * 1024 * 1024))
    yield app
    app.extensions["vanban"].intake.stop()


@pytest.fixture
def as_user(app):
    def make(username: str):
        client = app.test_client()
        assert login(client, username).status_code == 302
        return client
    return make
