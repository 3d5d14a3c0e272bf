"""Reports and the command line: JSON against its schema, SARIF, JUnit, CSV/XLSX, HTML, exit codes."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
from click.testing import CliRunner

from build_dossiers import DocSpec, comment_letter, draft_plan, submission
from vanban.check.model import Decision, DossierResult, FileSummary, Finding, RuleStat, SubmissionSummary
from vanban.check.report import to_json, to_junit, to_sarif, to_text, write_html, write_summary
from vanban.cli import main
from vanban.errors import OutputError
from vanban.resources import load_schema

REPO = Path(__file__).resolve().parents[2]


def sample_results() -> list[DossierResult]:
    """Results built in memory, with characters that must be escaped in HTML/XML."""
    bad = DossierResult(
        name="Hồ sơ <script>alert(1)</script> & 05", source="/tmp/hs 05",
        decision=Decision("chuyen_tra", "chuyển trả", ("[VB101] Lỗi: thiếu tờ trình",)),
        files=(FileSummary("Dự thảo <QĐ>.docx", "draft", "dự thảo", "tên tệp có 'dự thảo'"),),
        submission=None,
        findings=(Finding("VB101", "error", "Hồ sơ không có tờ trình hoặc công văn đề trình.", "seed 003, 4d"),
                  Finding("VB605", "warning", "Tiêu ngữ 'Độc lập – Tự do' <sai>", "NĐ 30", "Dự thảo <QĐ>.docx", "bảng 1, hàng 1, ô 2", "x")),
        rule_stats=(RuleStat("VB101", "Có văn bản trình", 1, 1), RuleStat("VB605", "Tiêu ngữ đúng chữ", 1, 1),
                    RuleStat("VB403", "Thủ trưởng ký", 0, 0), RuleStat("VB201", "Căn cứ", 1, 0)),
    )
    good = DossierResult(
        name="Hồ sơ 06", source="/tmp/hs 06", decision=Decision("tiep_nhan", "tiếp nhận", ()),
        files=(FileSummary("Tờ trình.docx", "submission", "văn bản trình", "tờ trình", "docx", "Tờ trình", "Số: 06/TTr-SNV", "2026-01-06"),),
        submission=SubmissionSummary("Tờ trình.docx", "Tờ trình", "06/TTr-SNV", "2026-01-06", "SỞ NỘI VỤ", "Nguyễn Văn An",
                                     "GIÁM ĐỐC", "Về việc ban hành Kế hoạch"),
        rule_stats=(RuleStat("VB101", "Có văn bản trình", 1, 0),),
    )
    return [bad, good]


def test_json_report_fits_its_schema():
    data = json.loads(to_json(sample_results()))
    jsonschema.Draft202012Validator(load_schema("check-report.schema.json"),
                                    format_checker=jsonschema.FormatChecker()).validate(data)
    assert data["summary"] == {"dossiers": 2, "accepted": 1, "accepted_with_notes": 0, "returned": 1, "needs_look": 0,
                               "incoming": 0}
    broken = json.loads(to_json(sample_results()))
    broken["dossiers"][0]["decision"]["outcome"] = "maybe"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, load_schema("check-report.schema.json"))


def test_sarif_structure():
    sarif = json.loads(to_sarif(sample_results()))
    assert sarif["version"] == "2.1.0"
    run = sarif["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert "VB201" in rules and rules["VB201"]["fullDescription"]["text"] and rules["VB201"]["help"]["text"]
    levels = {r["ruleId"]: r["level"] for r in run["results"]}
    assert levels == {"VB101": "error", "VB605": "warning"}
    uri = next(r for r in run["results"] if r["ruleId"] == "VB605")["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.endswith("D%E1%BB%B1%20th%E1%BA%A3o%20%3CQ%C4%90%3E.docx")


def test_junit_one_suite_per_dossier_one_case_per_rule():
    root = ET.fromstring(to_junit(sample_results()).encode("utf-8"))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["Hồ sơ <script>alert(1)</script> & 05", "Hồ sơ 06"]
    first = suites[0]
    assert first.get("tests") == "4" and first.get("failures") == "2" and first.get("skipped") == "1"
    names = [c.get("name") for c in first.findall("testcase")]
    assert names[0].startswith("VB101")


def test_text_report_is_vietnamese_and_grouped():
    text = to_text(sample_results())
    assert "Kết luận: CHUYỂN TRẢ" in text and "Lỗi (1):" in text and "Cảnh báo (1):" in text
    assert "tại: Dự thảo <QĐ>.docx, bảng 1, hàng 1, ô 2" in text
    assert "số, ký hiệu: 06/TTr-SNV; ngày: 06/01/2026" in text
    assert "TỔNG HỢP: 2 hồ sơ" in text


def test_summary_csv_and_xlsx(tmp_path):
    from openpyxl import load_workbook

    csv_path = write_summary(sample_results(), tmp_path / "tong hop.csv")
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert rows[0][:2] == ["Hồ sơ", "Kết luận"] and rows[2][1] == "tiếp nhận" and rows[2][3] == "06/TTr-SNV"
    xlsx = write_summary(sample_results(), tmp_path / "tong hop.xlsx")
    ws = load_workbook(xlsx).active
    assert ws.cell(2, 2).value == "chuyển trả" and ws.cell(3, 4).value == "06/TTr-SNV"
    with pytest.raises(OutputError):
        write_summary(sample_results(), csv_path)
    write_summary(sample_results(), csv_path, force=True)


def test_summary_cells_from_outside_never_become_formulas(tmp_path):
    """A dossier folder named like an Excel formula stays text in the clerk's spreadsheet."""
    import dataclasses

    from openpyxl import load_workbook

    hostile = dataclasses.replace(sample_results()[1], name='=HYPERLINK("http://x.invalid","Mở")')
    csv_path = write_summary([hostile], tmp_path / "tong-hop.csv")
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == '\'=HYPERLINK("http://x.invalid","Mở")'
    ws = load_workbook(write_summary([hostile], tmp_path / "tong-hop.xlsx")).active
    assert ws.cell(2, 1).data_type == "s" and ws.cell(2, 1).value.startswith("=HYPERLINK")


def test_html_is_escaped_linked_and_contained(tmp_path):
    out = tmp_path / "bao cao"
    index = write_html(sample_results(), out)
    html = index.read_text(encoding="utf-8")
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    links = [line.split('href="')[1].split('"')[0] for line in html.splitlines() if 'href="' in line]
    assert len(links) == 2
    for link in links:
        page = (out / link).read_text(encoding="utf-8")
        assert '<html lang="vi">' in page and "<script>" not in page
    assert {p.parent for p in tmp_path.rglob("*") if p.is_file()} == {out}
    with pytest.raises(OutputError):
        write_html(sample_results(), out)


def test_rules_command_lists_and_explains():
    runner = CliRunner()
    listing = runner.invoke(main, ["rules"])
    assert listing.exit_code == 0 and "VB201" in listing.output and "VB609" in listing.output
    one = runner.invoke(main, ["rules", "vb203"])
    assert one.exit_code == 0
    assert "Căn cứ pháp lý còn hiệu lực" in one.output and "Ví dụ sai:" in one.output and "Vì sao:" in one.output
    unknown = runner.invoke(main, ["rules", "VB999"])
    assert unknown.exit_code == 2


def test_rules_command_shows_the_level_the_profile_gives(tmp_path):
    runner = CliRunner()
    default = runner.invoke(main, ["rules", "VB107"]).output
    assert "Mức: Thông tin (theo profile" in default and "mức gốc của quy tắc: cảnh báo" in default
    strict = tmp_path / "nghiem.yaml"
    strict.write_text("severity: {VB107: error}\nignore: [VB6]\n", encoding="utf-8")
    assert "Mức: Lỗi (theo profile" in runner.invoke(main, ["rules", "VB107", "--profile", str(strict)]).output
    listing = runner.invoke(main, ["rules", "--profile", str(strict)]).output
    assert any(line.split()[:2] == ["VB605", "(tắt)"] for line in listing.splitlines())


def test_check_command_usage_errors(tmp_path):
    runner = CliRunner()
    assert runner.invoke(main, ["check"]).exit_code == 2
    assert runner.invoke(main, ["check", str(tmp_path), "--meeting-kind", "ubnd"]).exit_code == 2
    assert runner.invoke(main, ["check", str(tmp_path), "--meeting", "32/13/2026"]).exit_code == 2
    bad_profile = tmp_path / "p.yaml"
    bad_profile.write_text("meetings: {ubnd: nhieu}\n", encoding="utf-8")
    result = runner.invoke(main, ["check", str(tmp_path), "--profile", str(bad_profile)])
    assert result.exit_code == 5 and "meetings.ubnd" in result.output


def test_check_command_end_to_end(tmp_path, pipeline):
    fixtures = tmp_path / "dossiers"
    shutil.copytree(REPO / "fixtures" / "dossiers", fixtures)
    runner = CliRunner()
    result = runner.invoke(main, ["check", str(fixtures), "--jobs", "2", "--format", "json",
                                  "-o", str(tmp_path / "out" / "ket qua.json"), "--summary", str(tmp_path / "out" / "tong hop.xlsx"),
                                  "--html", str(tmp_path / "out" / "html")])
    assert result.exit_code == 1, result.output  # two sample dossiers are returned
    data = json.loads((tmp_path / "out" / "ket qua.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, load_schema("check-report.schema.json"))
    outcome = {d["name"]: d["decision"]["outcome"] for d in data["dossiers"]}
    assert outcome["01 Hồ sơ đầy đủ - Tờ trình 05 SNV"] != "chuyen_tra"
    assert outcome["02 Thiếu dự thảo - Tờ trình 12 SNV"] == "chuyen_tra"
    assert outcome["03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV"] == "chuyen_tra"
    assert outcome["04 Hồ sơ nén - Tờ trình 21 SNV"] != "chuyen_tra"
    again = runner.invoke(main, ["check", str(fixtures), "-o", str(tmp_path / "out" / "ket qua.json")])
    assert again.exit_code == 4
    only_good = runner.invoke(main, ["check", str(fixtures / "01 Hồ sơ đầy đủ - Tờ trình 05 SNV")])
    assert only_good.exit_code == 0, only_good.output
