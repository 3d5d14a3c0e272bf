"""Bad input gives a clear Vietnamese error, the exit code from errors.py, and no partial file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.errors import EXIT_CONFIG, EXIT_OUTPUT
from vanban.generate.build_templates import build_all
from vanban.generate.templatecheck import check_template

from .conftest import OFFICE_DIR

OFFICE = str(OFFICE_DIR / "vanban.yaml")


def run(*args, cwd: Path):
    """Run the CLI in a fresh folder under ``cwd``; return the result and the files left there."""
    work = Path(tempfile.mkdtemp(dir=cwd))
    old = os.getcwd()
    os.chdir(work)
    try:
        result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    files = sorted(str(p.relative_to(work)) for p in work.rglob("*"))
    return result, files


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_yaml(tmp_path):
    data = write(tmp_path, "bad.yaml", "subject: [unclosed\nunit: TH\n")
    result, files = run("generate", "don-doc", "--data", str(data), "--office", OFFICE, "-o", "x.docx", cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG
    assert "YAML sai cú pháp ở dòng" in result.output and "bad.yaml" in result.output
    assert not any(f.endswith(".docx") for f in files)


def test_wrong_types_name_the_field(tmp_path):
    text = (OFFICE_DIR / "don-doc.yaml").read_text(encoding="utf-8").replace("overdue_days: 25", "overdue_days: nhiều")
    data = write(tmp_path, "d.yaml", text)
    result, files = run("generate", "don-doc", "--data", str(data), "--office", OFFICE, "-o", "x.docx", cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG
    assert "tasks[0].overdue_days" in result.output
    assert not any(f.endswith(".docx") for f in files)


def test_day_first_dates_are_accepted_and_impossible_ones_named(tmp_path):
    from vanban.read import read_file

    base = (OFFICE_DIR / "don-doc.yaml").read_text(encoding="utf-8")
    text = base.replace("deadline: 2025-11-30", "deadline: 30/11/2025").replace("report_by: 2026-01-15",
                                                                                 "report_by: 15/01/2026")
    data = write(tmp_path, "vn.yaml", text)
    out = tmp_path / "vn.docx"
    result, _ = run("generate", "don-doc", "--data", str(data), "--office", OFFICE, "--number", "7",
                    "-o", str(out), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    body = "\n".join(b.text for b in read_file(out).blocks)
    assert "thời hạn: 30/11/2025" in body and "trước ngày 15/01/2026" in body
    text = base.replace("deadline: 2025-11-30", "deadline: 31/02/2026")
    data = write(tmp_path, "sai.yaml", text)
    result, files = run("generate", "don-doc", "--data", str(data), "--office", OFFICE, "-o", "x.docx", cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG
    assert "trường 'tasks[0].deadline' không phải ngày hợp lệ ('31/02/2026')" in result.output
    assert not any(f.endswith(".docx") for f in files)


def test_missing_field_and_unknown_signer(tmp_path):
    text = (OFFICE_DIR / "don-doc.yaml").read_text(encoding="utf-8").replace("report_by:", "hạn_báo_cáo:")
    data = write(tmp_path, "d.yaml", text)
    result, _ = run("generate", "don-doc", "--data", str(data), "--office", OFFICE, cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG and "thiếu trường bắt buộc 'report_by'" in result.output
    text = (OFFICE_DIR / "don-doc.yaml").read_text(encoding="utf-8").replace("signer: pct-tong-hop", "signer: giam-doc")
    data = write(tmp_path, "e.yaml", text)
    result, files = run("generate", "don-doc", "--data", str(data), "--office", OFFICE, cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG and "không có người ký 'giam-doc'" in result.output
    assert not any(f.endswith(".docx") for f in files)


def test_unknown_kind(tmp_path):
    data = write(tmp_path, "d.yaml", "subject: x\n")
    result, _ = run("generate", "giay-gioi-thieu", "--data", str(data), cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG
    assert "không có loại văn bản 'giay-gioi-thieu'" in result.output and "don-doc" in result.output


def test_existing_output_needs_force(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = str(OFFICE_DIR / "cong-van.yaml")
    runner = CliRunner()
    for _ in (1,):
        Path("x.docx").write_bytes(b"keep me")
        result = runner.invoke(main, ["generate", "cong-van", "--data", data, "--office", OFFICE, "-o", "x.docx"])
        assert result.exit_code == EXIT_OUTPUT and "dùng --force" in result.output
        assert Path("x.docx").read_bytes() == b"keep me"
        result = runner.invoke(main, ["generate", "cong-van", "--data", data, "--office", OFFICE, "-o", "x.docx",
                                      "--force"])
        assert result.exit_code == 0, result.output
        assert "Số: 15/UBND-TH" in [p.text for t in docx.Document("x.docx").tables for c in t._cells
                                    for p in c.paragraphs]
        assert sorted(p.name for p in Path(".").iterdir()) == ["x.docx"]


def test_full_register_year_from_the_cli(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    office = write(tmp_path, "vanban.yaml", (OFFICE_DIR / "vanban.yaml").read_text(encoding="utf-8")
                   .replace("max_per_year: null", "max_per_year: 1"))
    data = str(OFFICE_DIR / "don-doc.yaml")
    runner = CliRunner()
    for _ in (1,):
        first = runner.invoke(main, ["generate", "don-doc", "--data", data, "--office", str(office), "-o", "a.docx"])
        assert first.exit_code == 0, first.output
        second = runner.invoke(main, ["generate", "don-doc", "--data", data, "--office", str(office), "-o", "b.docx"])
        assert second.exit_code == EXIT_CONFIG
        assert "sổ văn bản năm 2026 đã hết số" in second.output
        assert not Path("b.docx").exists()
        listing = runner.invoke(main, ["register", "list", "--office", str(office)])
        assert "01/UBND-TH" in listing.output
        nxt = runner.invoke(main, ["register", "next", "--office", str(office), "--year", "2026"])
        assert nxt.exit_code == EXIT_CONFIG


def _template_with(tmp_path: Path, paragraph_runs: list[str]) -> Path:
    """The shipped don-doc template plus one paragraph made of the given runs."""
    build_all(tmp_path / "mau")
    path = tmp_path / "mau" / "don-doc.docx"
    document = docx.Document(str(path))
    paragraph = document.add_paragraph()
    for text in paragraph_runs:
        paragraph.add_run(text)
    document.save(str(path))
    return path


def test_template_check_finds_a_split_tag(tmp_path):
    path = _template_with(tmp_path, ["Hạn báo cáo: {{ report", "_by|ngay }}"])
    report = check_template(path)
    assert [p.kind for p in report.problems] == ["split-run"]
    assert "{{ report_by|ngay }}" in report.problems[0].message
    assert report.problems[0].where.startswith("đoạn ")
    result, _ = run("template", "check", str(path), cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG and "Thẻ bị tách" in result.output


def test_template_check_does_not_expand_xml_entities(tmp_path):
    """An office template is a file from outside: a DTD entity must not smuggle text (or a bomb) in."""
    import zipfile

    path = _template_with(tmp_path, ["ENTITY_HERE"])
    with zipfile.ZipFile(path) as zf:
        parts = {name: zf.read(name) for name in zf.namelist()}
    xml = parts["word/document.xml"].decode("utf-8")
    xml = xml[xml.index("?>") + 2:] if xml.startswith("<?xml") else xml
    parts["word/document.xml"] = ('<?xml version="1.0" encoding="UTF-8"?>'
                                  '<!DOCTYPE w:document [<!ENTITY an "{{ bi_mat_an }}">]>'
                                  + xml.replace("ENTITY_HERE", "&an;")).encode("utf-8")
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    report = check_template(path)
    assert "bi_mat_an" not in report.variables


def test_template_check_reports_syntax_errors_with_their_paragraph(tmp_path):
    path = _template_with(tmp_path, ["{% if unit_name %}Kính gửi {{ unit_name }}"])
    report = check_template(path)
    assert any(p.kind == "syntax" and "endif" in p.message for p in report.problems)
    result, files = run("generate", "don-doc", "--data", str(OFFICE_DIR / "don-doc.yaml"), "--office", OFFICE,
                        "--templates", str(path.parent), "-o", "x.docx", "--number", "", cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG and "sai cú pháp Jinja" in result.output
    assert not any(f.endswith("x.docx") or ".tmp" in f for f in files)


def test_template_check_lists_variables_of_a_clean_template():
    report = check_template(Path(__file__).resolve().parents[2] / "templates" / "phe-binh.docx")
    assert report.ok
    assert {"reminders", "explanation_by", "unit_name", "tasks", "signer", "office"} <= set(report.variables)


def test_template_with_an_unknown_variable_fails_loudly(tmp_path):
    path = _template_with(tmp_path, ["Người soạn: {{ drafter }}"])
    result, files = run("generate", "don-doc", "--data", str(OFFICE_DIR / "don-doc.yaml"), "--office", OFFICE,
                        "--templates", str(path.parent), "-o", "x.docx", "--number", "", cwd=tmp_path)
    assert result.exit_code == EXIT_CONFIG and "drafter" in result.output
    assert not any(f.endswith("x.docx") for f in files)


def test_init_writes_a_valid_profile_and_refuses_to_overwrite(tmp_path):
    from vanban.generate import load_office

    result, _ = run("init", str(tmp_path / "cq"), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    profile = tmp_path / "cq" / "vanban.yaml"
    assert "# Cơ quan chủ quản" in profile.read_text(encoding="utf-8")
    assert load_office(profile).agency_abbr == "UBND"
    result, _ = run("init", str(profile), cwd=tmp_path)
    assert result.exit_code == EXIT_OUTPUT


def test_sample_office_in_the_package_matches_the_fixture():
    from vanban.generate.office import SAMPLE_OFFICE

    assert SAMPLE_OFFICE.read_text(encoding="utf-8") == (OFFICE_DIR / "vanban.yaml").read_text(encoding="utf-8")


def test_batch_from_the_cli(tmp_path, monkeypatch):
    import yaml

    monkeypatch.chdir(tmp_path)
    base = yaml.safe_load((OFFICE_DIR / "don-doc.yaml").read_text(encoding="utf-8"))
    shared = {k: v for k, v in base.items() if k not in ("unit_name", "recipients")}
    data = dict(shared, records=[{"unit_name": u, "recipients": [u]} for u in ("Sở Y tế", "Sở Nội vụ")])
    (tmp_path / "batch.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    args = ["generate", "don-doc", "--data", "batch.yaml", "--office", OFFICE, "--db", "so.sqlite3",
            "-o", "thu", "--merge", "in-gop.docx", "--name-field", "unit_name"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "thu").iterdir()) == ["Sở-Nội-vụ.docx", "Sở-Y-tế.docx"]
    assert "01/UBND-TH" in result.output and "02/UBND-TH" in result.output
    assert (tmp_path / "in-gop.docx").is_file()
    again = CliRunner().invoke(main, args)
    assert again.exit_code == EXIT_OUTPUT  # nothing overwritten without --force
    listing = CliRunner().invoke(main, ["register", "list", "--db", "so.sqlite3", "--year", "2026"])
    assert listing.output.count("UBND-TH") == 2


def test_template_check_knows_the_variables_of_each_kind(tmp_path):
    from vanban.generate.build_templates import build_all

    for path in build_all(tmp_path / "all"):
        assert check_template(path).ok, path  # every shipped template only uses what vanban provides
    path = _template_with(tmp_path, ["Người soạn: {{ drafter }}"])
    report = check_template(path)  # named don-doc.docx: checked against the don-doc context
    assert [p.kind for p in report.problems] == ["unknown-variable"]
    assert "drafter" in report.problems[0].message
    assert check_template(path, "cong-van").problems[0].kind == "unknown-variable"


def test_template_check_warns_when_a_paragraph_tag_shares_its_paragraph(tmp_path):
    path = _template_with(tmp_path, ["Ghi chú: {%p if intro %}"])
    report = check_template(path)
    kinds = [p.kind for p in report.problems]
    assert "tag-with-text" in kinds
    assert any("Ghi chú:" in p.message for p in report.problems if p.kind == "tag-with-text")
