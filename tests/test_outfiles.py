"""Output files: atomic, never overwritten without force, usual permissions, nothing left on failure."""

from __future__ import annotations

import os
import stat

import pytest

from vanban.errors import OutputError
from vanban.outfiles import atomic_path, write_atomic


def test_written_files_get_the_umask_permissions_not_private_ones(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_atomic(tmp_path / "kết quả.json", "{}")
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kết quả.json"]


def test_existing_file_is_kept_without_force(tmp_path):
    target = tmp_path / "báo cáo.csv"
    target.write_text("cũ", encoding="utf-8")
    with pytest.raises(OutputError) as err:
        write_atomic(target, "mới")
    assert "--force" in err.value.message
    assert target.read_text(encoding="utf-8") == "cũ"
    write_atomic(target, "mới", force=True)
    assert target.read_text(encoding="utf-8") == "mới"


def test_a_failure_while_writing_leaves_neither_a_partial_file_nor_a_temp(tmp_path):
    target = tmp_path / "công văn.docx"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"PK half a document")
            raise RuntimeError("renderer crashed")
    assert list(tmp_path.iterdir()) == []


def test_generated_letters_are_readable_by_the_office(tmp_path):
    """A letter on the office's shared folder must not be private to whoever generated it."""
    from click.testing import CliRunner

    from vanban.cli import main

    repo = __import__("pathlib").Path(__file__).resolve().parents[1]
    old = os.umask(0o022)
    try:
        result = CliRunner().invoke(main, ["generate", "cong-van", "--data", str(repo / "fixtures/office/cong-van.yaml"),
                                           "--office", str(repo / "fixtures/office/vanban.yaml"), "--number", "12",
                                           "-o", str(tmp_path / "cv.docx")])
    finally:
        os.umask(old)
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE((tmp_path / "cv.docx").stat().st_mode) == 0o644
