"""The quarterly report of the sample register (fixtures/tasks) as LibreOffice lays it out: a body of one
or two portrait pages ending in ./., then the landscape appendices; every date of the task table on one
line; no page that holds only a table heading; one way of writing a percentage."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from vanban.cli import main
from vanban.tasks.period import parse_period
from vanban.tasks.register import load_register
from vanban.tasks.report import build_report, percent_of, report_data
from vanban.tasks.settings import load_tasks_config

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures" / "tasks"
DATE = re.compile(r"\b\d{2}/\d{2}/\d{4}\b")


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True).stdout
    return text.decode("utf-8").split("\f")[:-1]


@pytest.fixture(scope="module")
def report_pdf(tmp_path_factory):
    if shutil.which("soffice") is None or shutil.which("pdftotext") is None:
        pytest.skip("cần LibreOffice (soffice) và poppler-utils (pdftotext) để xem trang in")
    out = tmp_path_factory.mktemp("bao-cao")
    result = CliRunner().invoke(main, [
        "tasks", "report", "--register", str(FIXTURES / "so-theo-doi-nhiem-vu-2026.xlsx"),
        "--config", str(FIXTURES / "nhiem-vu.yaml"), "--office", str(ROOT / "fixtures" / "office" / "vanban.yaml"),
        "--db", str(out / "vanban.sqlite3"), "--period", "2026-Q3", "-o", str(out), "--pdf"])
    assert result.exit_code == 0, result.output
    return out / "bao-cao-nhiem-vu-2026-Q3.pdf"


def test_body_of_two_pages_then_the_appendices(report_pdf):
    pages = _pages(report_pdf)
    first_appendix = next(i for i, page in enumerate(pages) if re.search(r"^\s*Phụ lục I\s*$", page, re.M))
    assert first_appendix in (1, 2)  # the body: one or two pages
    body = "\n".join(pages[:first_appendix])
    assert "III. ĐỀ XUẤT, KIẾN NGHỊ" in body and "quý III năm 2026./." in body
    assert "Nơi nhận:" in body and "- Thường trực Tỉnh ủy (b/c);" in body and "- Lưu: VT, TH." in body
    assert "Phụ lục II" in "\n".join(pages[first_appendix + 1:])


def test_every_date_on_one_line_and_no_page_with_only_a_heading(report_pdf):
    pages = _pages(report_pdf)
    start = next(i for i, page in enumerate(pages) if re.search(r"^\s*Phụ lục II\s*$", page, re.M))
    table = pages[start:]
    config = load_tasks_config(FIXTURES / "nhiem-vu.yaml")
    report = build_report(load_register(FIXTURES / "so-theo-doi-nhiem-vu-2026.xlsx").tasks, parse_period("2026-Q3"),
                          config.work_calendar(), notice_days=config.extension_notice_days)
    data = report_data(report, office_short_name="UBND tỉnh", config=config)
    expected = 0
    for group in data["groups"]:
        for row in group["rows"]:
            expected += sum(1 for key in ("issued", "deadline", "completed") if row[key])
            expected += len(DATE.findall(row["result"] + " " + row["note"]))
    # every date of every row printed whole: a date cut over two lines would not be found
    assert sum(len(DATE.findall(page)) for page in table) == expected
    for number, page in enumerate(table, start=start + 1):
        assert DATE.search(page), f"trang {number} chỉ có tiêu đề bảng"


def test_percentages_one_way_and_from_the_counts(report_pdf):
    text = "\n".join(_pages(report_pdf))
    assert not re.search(r"\d %", text)  # never "42,9 %"
    assert not re.search(r"(?<![\d,])\d+%", text)  # never "0%": always one decimal
    config = load_tasks_config(FIXTURES / "nhiem-vu.yaml")
    report = build_report(load_register(FIXTURES / "so-theo-doi-nhiem-vu-2026.xlsx").tasks, parse_period("2026-Q3"),
                          config.work_calendar(), notice_days=config.extension_notice_days)
    o = report.overall
    assert f"là {o.overdue}/{o.with_deadline} nhiệm vụ, chiếm tỷ lệ {percent_of(o.overdue, o.with_deadline)}" \
        in re.sub(r"\s+", " ", text)
    assert (o.overdue, o.with_deadline, percent_of(o.overdue, o.with_deadline)) == (42, 152, "27,6%")
