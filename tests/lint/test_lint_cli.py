"""``vanban lint`` and ``vanban fix`` from the command line: formats, exit codes, --select/--ignore,
never in place or over a file without being asked; the generated catalogue page is up to date."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from click.testing import CliRunner

from lint_builders import mutate
from test_lint_rules import drop_archive, letter_page
from vanban.cli import main


@pytest.fixture(scope="module")
def faulty(bases, tmp_path_factory):
    """The generator's công văn on Letter paper and without '- Lưu: VT' (one fixable, one manual fault)."""
    out = tmp_path_factory.mktemp("cli")
    return mutate(bases["cv"], out / "cong van.docx", lambda d: (letter_page(d), drop_archive(d)))


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_lint_text_and_exit_codes(bases, faulty):
    good = run("lint", bases["cv"])
    assert good.exit_code == 0 and "đúng thể thức" in good.output
    bad = run("lint", faulty)
    assert bad.exit_code == 1
    assert "VB601" in bad.output and "VB623" in bad.output and "(sửa được)" in bad.output


def test_lint_select_ignore(faulty):
    only = run("lint", "--select", "VB62", faulty)
    assert "VB623" in only.output and "VB601" not in only.output and only.exit_code == 1
    ignored = run("lint", "--ignore", "VB601,VB623", faulty)
    assert ignored.exit_code == 0, ignored.output
    unknown = run("lint", "--select", "VB9", faulty)
    assert unknown.exit_code == 5 and "VB9" in unknown.output


def test_lint_formats(faulty, bases, tmp_path):
    data = json.loads(run("lint", "--format", "json", faulty, bases["cv"]).output)
    assert [len(f["findings"]) for f in data["files"]] == [2, 0]
    assert {f["rule_id"]: f["fixable"] for f in data["files"][0]["findings"]} == {"VB601": True, "VB623": False}
    sarif = json.loads(run("lint", "--format", "sarif", faulty).output)
    assert sarif["version"] == "2.1.0" and {r["ruleId"] for r in sarif["runs"][0]["results"]} == {"VB601", "VB623"}
    junit = ET.fromstring(run("lint", "--format", "junit", faulty).output)
    assert junit.get("failures") == "2"
    out = tmp_path / "ket-qua.json"
    assert run("lint", "--format", "json", "-o", out, faulty).exit_code == 1 and out.exists()
    again = run("lint", "--format", "json", "-o", out, faulty)
    assert again.exit_code == 4 and "--force" in again.output


def test_lint_unreadable_file(tmp_path):
    broken = tmp_path / "hỏng.docx"
    broken.write_bytes(b"PK\x03\x04 not a zip")
    result = run("lint", broken)
    assert result.exit_code == 3 and "hỏng.docx" in result.output and "không đọc được" in result.output


def test_fix_command(faulty, tmp_path):
    before = faulty.read_bytes()
    assert run("fix", faulty).exit_code == 2  # no -o, no --in-place: nothing is written
    out = tmp_path / "da sua.docx"
    result = run("fix", faulty, "-o", out)
    assert result.exit_code == 0, result.output
    assert "Đã sửa" in result.output and "VB601" in result.output
    assert "Để người soạn sửa" in result.output and "VB623" in result.output
    assert faulty.read_bytes() == before
    assert run("lint", "--select", "VB601", out).exit_code == 0
    exists = run("fix", faulty, "-o", out)
    assert exists.exit_code == 4 and "--force" in exists.output
    assert run("fix", faulty, "-o", out, "--force").exit_code == 0
    assert run("fix", faulty, "-o", faulty).exit_code == 2


def test_fix_in_place(faulty, tmp_path):
    copy = tmp_path / "ban sao.docx"
    copy.write_bytes(faulty.read_bytes())
    result = run("fix", copy, "--in-place", "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert [c["rule_id"] for c in report["changes"]] == ["VB601"]
    assert [f["rule_id"] for f in report["left"]] == ["VB623"]
    assert run("lint", "--select", "VB601", copy).exit_code == 0


def test_catalogue_page_is_up_to_date():
    from vanban.lint.docs import DEFAULT_OUT, render_markdown

    assert DEFAULT_OUT.read_text(encoding="utf-8") == render_markdown(), "chạy: python -m vanban.lint.docs"


def test_a_scan_has_no_layout_to_judge(tmp_path):
    """An image-only PDF: no rule applies (no OCR guesses at a layout), and lint says so."""
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (620, 877), 255).save(buffer, format="PDF", resolution=75)
    scan = tmp_path / "ban quet.pdf"
    scan.write_bytes(buffer.getvalue())
    result = run("lint", scan)
    assert result.exit_code == 0 and "không kiểm tra được thể thức" in result.output
