from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))


@pytest.fixture
def box(tmp_path):
    """``(inputs, work)``: the hostile inputs live in ``inputs``; vanban runs in ``work``, its output folder."""
    inputs, work = tmp_path / "vao", tmp_path / "ra"
    inputs.mkdir()
    work.mkdir()
    return inputs, work
