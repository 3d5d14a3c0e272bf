"""Shared fixtures. Tests that need the real corpus read its path from
VANBAN_REALDOCS (set by .ci/run to ../shared/realdocs) and skip without it."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# OCR is slow: the suite reads scans as before (unread) unless a test asks for OCR
# (tests/read/test_ocr.py passes its options to read_file).
os.environ.setdefault("VANBAN_OCR", "off")
# helpers shared by the test folders (pdfsigning.py); appended, so each folder's own modules win
sys.path.append(str(Path(__file__).resolve().parent))


def realdocs_dir() -> Path | None:
    value = os.environ.get("VANBAN_REALDOCS")
    if not value:
        return None
    path = Path(value)
    return path if path.is_dir() else None


@pytest.fixture(scope="session")
def realdocs() -> Path:
    path = realdocs_dir()
    if path is None:
        pytest.skip("VANBAN_REALDOCS chưa đặt hoặc không phải thư mục: bỏ qua kiểm thử trên bộ văn bản thật")
    return path


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    path = realdocs_dir()
    seeds = path.parent / "seeds" if path else None
    if seeds is None or not seeds.is_dir():
        pytest.skip("VANBAN_REALDOCS chưa đặt: không tìm thấy ../shared/seeds")
    return seeds


@pytest.fixture(scope="session")
def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if exe is None:
        pytest.skip("chưa cài LibreOffice (apt-get install libreoffice-writer-nogui)")
    return exe


def _tree_state(root: Path) -> dict[str, str]:
    import hashlib

    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and "__pycache__" not in p.parts}


@pytest.fixture(scope="session", autouse=True)
def sample_data_left_unchanged():
    """The repository's sample data is input: no test (nor the code under test) may write into it, not even
    an empty register next to the office profile."""
    root = REPO / "fixtures"
    before = _tree_state(root)
    yield
    after = _tree_state(root)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert not changed, f"the suite changed fixtures/: {changed}"
