"""The periodic report: periods, exact counts per unit and status, the overdue sentence of seed 001,
the .xlsx read back, the chart, and the .docx through the generator."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl
import pytest
from click.testing import CliRunner

from vanban.calendar import WorkCalendar
from vanban.cli import main
from vanban.errors import ConfigError
from vanban.tasks.model import Category
from vanban.tasks.period import parse_period
from vanban.tasks.register import load_register
from vanban.tasks.report import Counts, build_report, overdue_sentence, report_data
from vanban.tasks.settings import TasksConfig

from .helpers import row, write_csv, write_xlsx

D = dt.date
NV, TC = "Sở Nội vụ", "Sở Tài chính"
ROWS = [
    # Q3 2026 report, as of 30/09/2026
    row(1, "1/QĐ-UBND", D(2026, 7, 1), NV, "Nhiệm vụ 1", D(2026, 7, 15), completed=D(2026, 7, 15)),   # on time
    row(2, "2/QĐ-UBND", D(2026, 7, 1), NV, "Nhiệm vụ 2", D(2026, 7, 15), completed=D(2026, 7, 20)),   # late
    row(3, "3/QĐ-UBND", D(2026, 8, 3), NV, "Nhiệm vụ 3", D(2026, 9, 15), result="Đang dự thảo"),      # overdue
    row(4, "4/QĐ-UBND", D(2026, 9, 1), NV, "Nhiệm vụ 4", D(2026, 10, 15), result="Đang lấy ý kiến"),   # in time
    row(5, "5/QĐ-UBND", D(2026, 9, 1), NV, "Nhiệm vụ 5", D(2026, 10, 15)),                            # not started
    row(6, "6/QĐ-UBND", D(2026, 9, 1), NV, "Nhiệm vụ 6", None),                                       # no deadline
    row(7, "7/UBND-TH", D(2026, 3, 2), TC, "Nhiệm vụ 7", D(2026, 3, 31), completed=D(2026, 3, 30)),   # done in Q1: out
    row(8, "8/UBND-TH", D(2026, 3, 2), TC, "Nhiệm vụ 8", D(2026, 4, 30), result="Chậm"),              # old, overdue
    row(9, "9/UBND-TH", D(2026, 10, 1), TC, "Nhiệm vụ 9", D(2026, 10, 30)),                           # after Q3: out
    row(10, "10/UBND-TH", D(2026, 9, 10), TC, "Nhiệm vụ 10", D(2026, 9, 18), requested=D(2026, 9, 16),
        new_deadline=D(2026, 10, 9)),                                                                 # extended
    row(11, "11/UBND-TH", D(2026, 9, 10), TC, "Nhiệm vụ 11", D(2026, 9, 18), requested=D(2026, 9, 17),
        new_deadline=D(2026, 10, 9), completed=D(2026, 9, 25)),                                       # late request
]
CAL = WorkCalendar()


@pytest.mark.parametrize("code, start, end, label", [
    ("2026-10", D(2026, 10, 1), D(2026, 10, 31), "tháng 10 năm 2026"),
    ("2026-02", D(2026, 2, 1), D(2026, 2, 28), "tháng 2 năm 2026"),
    ("2026-Q3", D(2026, 7, 1), D(2026, 9, 30), "quý III năm 2026"),
    ("2026-q1", D(2026, 1, 1), D(2026, 3, 31), "quý I năm 2026"),
    ("2026-H1", D(2026, 1, 1), D(2026, 6, 30), "6 tháng đầu năm 2026"),
    ("2026-H2", D(2026, 7, 1), D(2026, 12, 31), "6 tháng cuối năm 2026"),
    ("2026", D(2026, 1, 1), D(2026, 12, 31), "năm 2026"),
])
def test_periods(code, start, end, label):
    period = parse_period(code)
    assert (period.start, period.end, period.label) == (start, end, label)


@pytest.mark.parametrize("code", ["2026-13", "2026-Q5", "26", "quý 3"])
def test_bad_period(code):
    with pytest.raises(ConfigError, match="kỳ báo cáo không hợp lệ"):
        parse_period(code)


def test_overdue_sentence_in_the_form_of_seed_001():
    counts = Counts("Tổng cộng")
    counts.by_category[Category.DONE_LATE] = 100
    counts.by_category[Category.IN_PROGRESS_OVERDUE] = 122
    counts.by_category[Category.DONE_ON_TIME] = 984
    counts.by_category[Category.NO_DEADLINE] = 40
    assert counts.total == 1246 and counts.with_deadline == 1206
    assert overdue_sentence(counts) == "222/1.206 nhiệm vụ quá hạn, tỷ lệ 18,4%"
    counts.by_category[Category.DONE_ON_TIME] = 983
    counts.by_category[Category.IN_PROGRESS_OVERDUE] = 123
    assert overdue_sentence(counts) == "223/1.206 nhiệm vụ quá hạn, tỷ lệ 18,5%"


def test_counts_per_unit_and_status(tmp_path):
    tasks = load_register(write_xlsx(tmp_path / "so.xlsx", ROWS)).tasks
    report = build_report(tasks, parse_period("2026-Q3"), CAL)
    assert report.as_of == D(2026, 9, 30)
    assert [c.as_dict() for c in report.units] == [
        {"unit": NV, "total": 6, "done_on_time": 1, "done_late": 1, "in_progress_on_time": 1,
         "in_progress_overdue": 1, "not_started": 1, "no_deadline": 1, "overdue_rate": 40.0},
        {"unit": TC, "total": 3, "done_on_time": 0, "done_late": 1, "in_progress_on_time": 0,
         "in_progress_overdue": 1, "not_started": 1, "no_deadline": 0, "overdue_rate": 66.7},
    ]
    assert overdue_sentence(report.overall) == "4/8 nhiệm vụ quá hạn, tỷ lệ 50,0%"
    by_content = {st.task.content: st for st in report.statuses}
    assert by_content["Nhiệm vụ 10"].effective_deadline == D(2026, 10, 9)
    assert "muộn" in by_content["Nhiệm vụ 11"].notes[0]
    # as of an earlier day, task 3 is still in time and task 2 was not yet done
    early = build_report(tasks, parse_period("2026-Q3"), CAL, as_of=D(2026, 7, 16))
    assert early.overall.as_dict()["in_progress_overdue"] == 2  # tasks 2 and 8
    assert early.overall.total == 3  # 1, 2 and 8 were issued by 16/07


def test_report_data_fits_the_generator_contract(tmp_path):
    from vanban.config import validate

    tasks = load_register(write_csv(tmp_path / "so.csv", ROWS)).tasks
    report = build_report(tasks, parse_period("2026-Q3"), CAL)
    data = report_data(report, office_short_name="UBND tỉnh", config=TasksConfig())
    validate(data, "letter-bao-cao-nhiem-vu.schema.json")
    assert [g["unit"] for g in data["groups"]] == [NV, TC]
    assert data["totals"][-1]["unit"] == "Tổng cộng" and data["totals"][-1]["total"] == 9
    assert data["summary"] == [
        "Tổng số nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao được theo dõi quý III năm 2026 là 9 nhiệm vụ, trong "
        "đó 8 nhiệm vụ có thời hạn và 1 nhiệm vụ không có thời hạn.",
        "Đối với 8 nhiệm vụ có thời hạn: đã hoàn thành 3 nhiệm vụ (37,5%), gồm 1 nhiệm vụ đúng hạn và 2 nhiệm vụ quá "
        "hạn; đang thực hiện 3 nhiệm vụ, gồm 1 nhiệm vụ trong hạn và 2 nhiệm vụ quá hạn; chưa thực hiện 2 nhiệm vụ "
        "(còn trong hạn).",
        "Tính đến ngày 30/09/2026, tổng số nhiệm vụ quá hạn của các cơ quan, đơn vị, địa phương là 4/8 nhiệm vụ, "
        "chiếm tỷ lệ 50,0% tổng số nhiệm vụ có thời hạn được giao.",
        "Các cơ quan, đơn vị có nhiệm vụ quá hạn: Sở Tài chính (2/3 nhiệm vụ, 66,7%); Sở Nội vụ (2/5 nhiệm vụ, "
        "40,0%). Không có cơ quan, đơn vị nào hoàn thành đúng hạn toàn bộ nhiệm vụ.",
    ]
    # causes from the register: the late request (11), the timely extension (10) and its reason
    assert data["causes"] == [
        "Có 1 nhiệm vụ có đề nghị gia hạn nhưng gửi sau thời hạn (phải trước hạn ít nhất 02 ngày làm việc) nên "
        "không được gia hạn.",
        "Có 1 nhiệm vụ được gia hạn do cơ quan, đơn vị đề nghị kịp thời; lý do chủ yếu: chờ ý kiến bộ, ngành.",
    ]
    assert data["proposals"][0].startswith("Đề nghị Thủ trưởng các cơ quan, đơn vị có nhiệm vụ đang thực hiện quá "
                                           "hạn, nhất là Sở Nội vụ (1 nhiệm vụ); Sở Tài chính (1 nhiệm vụ), khẩn "
                                           "trương hoàn thành 2 nhiệm vụ quá hạn;")
    assert data["distribution"] == ["Thường trực Tỉnh ủy (b/c)", "Thường trực HĐND tỉnh (b/c)",
                                    "Chủ tịch, các PCT UBND tỉnh", "Các sở, ban, ngành thuộc UBND tỉnh",
                                    "UBND các xã, phường"]
    assert "recipients" not in data  # a report has no Kính gửi


def test_report_files_through_the_cli(tmp_path):
    register = write_xlsx(tmp_path / "so.xlsx", ROWS)
    out = tmp_path / "bc"
    args = ["tasks", "report", "--register", str(register), "--period", "2026-Q3", "-o", str(out),
            "--db", str(tmp_path / "db.sqlite3")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "Báo cáo quý III năm 2026 (số liệu đến 30/09/2026): 9 nhiệm vụ; 4/8 nhiệm vụ quá hạn, tỷ lệ 50,0%." \
        in result.output
    assert "  - Sở Tài chính: 3 nhiệm vụ, quá hạn 2/3 (66,7%)" in result.output

    wb = openpyxl.load_workbook(out / "bao-cao-nhiem-vu-2026-Q3.xlsx")
    sheet = wb["Báo cáo"]
    assert [c.value for c in sheet[3]] == ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Nội dung theo dõi",
                                           "Hạn xử lý", "Tình hình, kết quả thực hiện", "Ngày hoàn thành", "Ghi chú"]
    assert [sheet.cell(4, 1).value, sheet.cell(4, 2).value] == ["I", NV]
    assert sheet.cell(5, 3).value.date() == D(2026, 7, 1) and sheet.cell(5, 3).number_format == "DD/MM/YYYY"
    assert sheet.cell(5, 1).border.left.style == "thin" and sheet.cell(5, 5).alignment.wrap_text
    assert [sheet.cell(11, 1).value, sheet.cell(11, 2).value] == ["II", TC]
    assert sheet.max_row == 3 + 2 + 9
    assert {str(r) for r in sheet.merged_cells.ranges} == {"B4:I4", "B11:I11"}
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$3:$3"
    assert sheet.row_dimensions[5].height >= 18
    counts = wb["Tổng hợp"]
    assert [c.value for c in counts[5]] == ["Tổng cộng", 9, 1, 2, 1, 2, 2, 1, 8, 4, 50.0]

    chart = out / "bao-cao-nhiem-vu-2026-Q3-bieu-do.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    document = docx.Document(str(out / "bao-cao-nhiem-vu-2026-Q3.docx"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "là 4/8 nhiệm vụ, chiếm tỷ lệ 50,0% tổng số nhiệm vụ có thời hạn được giao." in text
    assert "Trên đây là báo cáo kết quả thực hiện nhiệm vụ do UBND tỉnh, Chủ tịch UBND tỉnh giao quý III năm 2026./." \
        in text
    assert "Kính gửi" not in text and " %" not in text
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. NGUYÊN NHÂN", "III. ĐỀ XUẤT, KIẾN NGHỊ", "Phụ lục I", "Phụ lục II"):
        assert heading in text.splitlines()
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any("- Thường trực Tỉnh ủy (b/c);\n" in c for c in cells)
    assert document.inline_shapes and len(document.inline_shapes) == 1  # the chart
    assert "Nhiệm vụ 3" in cells and "Nhiệm vụ 7" not in cells and "Nhiệm vụ 9" not in cells

    again = CliRunner().invoke(main, args)
    assert again.exit_code == 4 and "--force" in again.output
    assert CliRunner().invoke(main, [*args, "--force"]).exit_code == 0


def test_report_only_xlsx_needs_no_office(tmp_path):
    register = write_csv(tmp_path / "so.csv", ROWS)
    result = CliRunner().invoke(main, ["tasks", "report", "--register", str(register), "--period", "2026",
                                       "--no-docx", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bao-cao-nhiem-vu-2026.xlsx", "so.csv"]
    assert "(số liệu đến 31/12/2026): 11 nhiệm vụ;" in result.output  # the whole year: every task


def test_a_report_of_one_unit_ranks_nobody(tmp_path):
    tasks = load_register(write_csv(tmp_path / "so.csv", ROWS)).tasks
    report = build_report(tasks, parse_period("2026-Q3"), CAL, unit="sở tài chính")
    data = report_data(report, office_short_name="UBND tỉnh", config=TasksConfig(), calendar=CAL)
    assert [g["unit"] for g in data["groups"]] == [TC]
    assert len(data["summary"]) == 3 and "Các cơ quan, đơn vị có" not in " ".join(data["summary"])
    assert data["summary"][2].endswith("là 2/3 nhiệm vụ, chiếm tỷ lệ 66,7% tổng số nhiệm vụ có thời hạn được giao.")
    # the proposal gives the units a date: 5 working days after the report (30/09/2026)
    assert "(qua Văn phòng UBND tỉnh) trước ngày 07/10/2026." in data["proposals"][0]
