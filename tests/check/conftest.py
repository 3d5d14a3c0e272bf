"""Helpers for the checker tests: dossiers are real .docx files written to tmp_path
(fixtures/build_dossiers.py) and read through the real pipeline."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "fixtures"))

import build_dossiers as bd  # noqa: E402
from check_helpers import findings_of, rule_ids  # noqa: E402,F401  (the fixtures' helpers)


def _pipeline_ready() -> bool:
    try:
        importlib.import_module("vanban.read").read_file
        importlib.import_module("vanban.understand").understand
    except (ImportError, AttributeError):
        return False
    return True


@pytest.fixture(scope="session")
def pipeline():
    if not _pipeline_ready():
        pytest.skip("vanban.understand chưa có hàm understand: chưa chạy được qua đường đọc thật")
    return True


@pytest.fixture(scope="session")
def checker_factory(pipeline):
    from vanban.check.engine import CheckSettings, Checker
    from vanban.check.model import CheckOptions

    def make(**kwargs):
        options = CheckOptions(**{k: kwargs.pop(k) for k in list(kwargs) if k in
                                  ("meeting", "meeting_kind", "received", "assigned_to_head", "today")})
        return Checker(CheckSettings(options=options, **kwargs))

    return make


@pytest.fixture
def make_dossier(tmp_path):
    def make(files: dict, name: str = "hồ sơ") -> Path:
        folder = tmp_path / name
        folder.mkdir(parents=True, exist_ok=True)
        for fname, content in files.items():
            target = folder / fname
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bd.DocSpec):
                bd.write_docx(content, target)
            else:
                target.write_bytes(content)
        return folder

    return make


@pytest.fixture
def check(checker_factory):
    def run(path, **kwargs):
        return checker_factory(**kwargs).check(path)

    return run


@pytest.fixture(scope="session")
def real_results(realdocs, pipeline, soffice):
    """All real dossiers checked once per session, OCR on as a clerk runs it (the rest of the suite runs with
    VANBAN_OCR=off; OCR is cached by file), with the facts a phiếu trình needs; inputs left unchanged."""
    import hashlib

    from vanban.check.engine import CheckSettings, check_many, discover

    root = realdocs / "dossiers"
    before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    results = check_many(discover([root]), CheckSettings(ocr="auto", review=True), jobs=2)
    after = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in root.rglob("*") if p.is_file()}
    assert before == after
    return {r.name: r for r in results}
