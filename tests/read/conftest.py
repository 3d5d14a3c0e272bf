"""Fixtures for the reader tests: files are built here, by code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from lo_convert import libreoffice_convert, libreoffice_convert_many  # noqa: F401


@pytest.fixture(scope="session", autouse=True)
def conversion_cache(tmp_path_factory) -> Path:
    """A fresh LibreOffice conversion cache per test session, so conversions really run."""
    path = tmp_path_factory.mktemp("convert-cache")
    old = os.environ.get("VANBAN_CACHE_DIR")
    os.environ["VANBAN_CACHE_DIR"] = str(path)
    yield path
    if old is None:
        os.environ.pop("VANBAN_CACHE_DIR", None)
    else:
        os.environ["VANBAN_CACHE_DIR"] = old
