"""The work-programme evaluation (seed 000, 3c), the status command, and the shipped sample register."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from click.testing import CliRunner

from vanban.cli import main
from vanban.tasks.period import parse_period
from vanban.tasks.programme import evaluate_programme, load_programme
from vanban.tasks.register import load_register

from .helpers import write_xlsx

D = dt.date
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "tasks"
PROGRAMME_HEADERS = ["Nội dung", "Cơ quan chủ trì", "Thời gian trình", "Ngày trình", "Ngày ban hành"]


def test_programme_counts_and_ratios(tmp_path):
    rows = [
        ["Đề án A", "Sở Nội vụ", "07/2026", D(2026, 7, 20), D(2026, 7, 30)],      # submitted, issued
        ["Đề án B", "Sở Nội vụ", "08/2026", D(2026, 8, 25), None],                # submitted
        ["Đề án C", "Sở Nội vụ", "09/2026", None, None],                          # not submitted
        ["Đề án D", "Sở Tài chính", D(2026, 9, 15), D(2026, 9, 10), D(2026, 10, 5)],  # issued after Q3
        ["Đề án E", "Sở Tài chính", "10/2026", D(2026, 9, 1), None],              # due in Q4: out
        ["Đề án F", "Sở Tài chính", "13/2026", None, None],                       # bad month
    ]
    path = write_xlsx(tmp_path / "ct.xlsx", rows, headers=PROGRAMME_HEADERS)
    items, problems = load_programme(path)
    assert [str(p) for p in problems] == ["Trang tính 'Sổ nhiệm vụ', dòng 7: cột 'Thời gian trình': ngày không có "
                                          "thật: '13/2026'"]
    evaluation = evaluate_programme(items, parse_period("2026-Q3"))
    overall = evaluation.overall
    assert (overall.due, overall.submitted, overall.issued, overall.not_submitted) == (4, 3, 1, 1)
    assert (overall.submitted_rate, overall.issued_rate) == (75.0, 25.0)
    assert overall.sentence() == ("4 nội dung phải trình, đã trình 3 (tỷ lệ 75,0%), đã ban hành 1 (tỷ lệ 25,0%), "
                                  "chưa trình 1")
    assert [i.content for i in evaluation.not_submitted] == ["Đề án C"]
    later = evaluate_programme(items, parse_period("2026-Q3"), as_of=D(2026, 10, 31)).overall
    assert (later.issued, later.issued_rate) == (2, 50.0)

    out = tmp_path / "ket-qua.xlsx"
    result = CliRunner().invoke(main, ["tasks", "programme", "--file", str(path), "--period", "2026-Q3",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Chương trình công tác quý III năm 2026: 4 nội dung phải trình, đã trình 3 (tỷ lệ 75,0%)" in result.output
    sheet = openpyxl.load_workbook(out)["Chương trình công tác"]
    assert [c.value for c in sheet[sheet.max_row]] == ["Tổng cộng", 4, 3, 1, 1, 75.0, 25.0]


def test_programme_workbook_keeps_formulas_as_text(tmp_path):
    """A content or unit typed as "=HYPERLINK(…)" in the programme stays text in the evaluation workbook."""
    rows = [["=HYPERLINK(\"http://x\")", "=1+1", "07/2026", None, None]]
    path = write_xlsx(tmp_path / "ct.xlsx", rows, headers=PROGRAMME_HEADERS)
    typed = openpyxl.load_workbook(path)  # as a clerk types it: text that starts with "=", not a formula
    for row in typed.active.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    typed.save(path)
    out = tmp_path / "ket-qua.xlsx"
    result = CliRunner().invoke(main, ["tasks", "programme", "--file", str(path), "--period", "2026-Q3",
                                       "-o", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    cells = [c for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(c.value == "=1+1" for c in cells) and not any(c.data_type == "f" for c in cells)


def test_status_command_prints_each_task_and_totals(tmp_path):
    from .helpers import row

    path = write_xlsx(tmp_path / "so.xlsx", [
        row(1, "1/QĐ-UBND", D(2026, 2, 2), "Sở Nội vụ", "Nhiệm vụ 1", D(2026, 2, 13)),
        row(2, "2/QĐ-UBND", D(2026, 2, 2), "Sở Nội vụ", "Nhiệm vụ 2", D(2026, 2, 27), completed=D(2026, 2, 26)),
    ])
    result = CliRunner().invoke(main, ["tasks", "status", "--register", str(path), "--as-of", "24/02/2026"])
    assert result.exit_code == 0, result.output
    assert "1/QĐ-UBND | Sở Nội vụ | đang thực hiện quá hạn 2 ngày làm việc | Nhiệm vụ 1" in result.output
    # task 2 is done only on 26/02: on 24/02 it is "chưa thực hiện"
    assert "đang thực hiện quá hạn: 1; chưa thực hiện: 1;" in result.output
    assert "1/2 nhiệm vụ quá hạn, tỷ lệ 50,0%" in result.output


def test_sample_register_is_what_the_generator_writes(tmp_path):
    from vanban.tasks.sample import build_sample

    build_sample(tmp_path)
    for name in ("so-theo-doi-nhiem-vu-2026.csv", "nhiem-vu.yaml", "ngay-nghi-2026.yaml"):
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_sample_register_size_and_refusals():
    xlsx = load_register(FIXTURES / "so-theo-doi-nhiem-vu-2026.xlsx")
    csv_load = load_register(FIXTURES / "so-theo-doi-nhiem-vu-2026.csv")
    assert len(xlsx.tasks) == len(csv_load.tasks) == 357
    assert [t.id for t in xlsx.tasks] == [t.id for t in csv_load.tasks]
    assert len({t.unit for t in xlsx.tasks}) == 22
    assert len(xlsx.refused_secret) == 2 and len(xlsx.problems) == 3
    assert [t.deadline for t in xlsx.tasks] == [t.deadline for t in csv_load.tasks]
