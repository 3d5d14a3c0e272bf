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


def assert_properties_in_schema_order(path: Path) -> None:
    """Word rejects files whose property elements repeat or come out of schema order."""
    from collections import Counter

    import docx
    from docx.oxml.ns import qn

    from vanban.generate.build_templates import _SCHEMA_ORDER

    root = docx.Document(str(path)).element.body
    for tag, order in _SCHEMA_ORDER.items():
        rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
        for element in root.iter(qn(tag)):
            tags = [child.tag for child in element]
            assert all(n == 1 for n in Counter(tags).values()), (tag, tags)
            ranks = [rank[t] for t in tags if t in rank]
            assert ranks == sorted(ranks), (tag, tags)
