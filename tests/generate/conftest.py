"""Shared fixtures for the generator tests: the sample office and its data files."""

from __future__ import annotations

from pathlib import Path

import pytest

from vanban.config import read_data_file
from vanban.generate import load_office

REPO = Path(__file__).resolve().parents[2]
OFFICE_DIR = REPO / "fixtures" / "office"
KINDS = ["don-doc", "phe-binh", "chi-thi", "bao-cao-nhiem-vu", "tra-ho-so", "cong-van"]


@pytest.fixture(scope="session")
def office():
    return load_office(OFFICE_DIR / "vanban.yaml")


def sample_data(kind: str) -> dict:
    return read_data_file(OFFICE_DIR / f"{kind}.yaml")


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "register.sqlite3"
