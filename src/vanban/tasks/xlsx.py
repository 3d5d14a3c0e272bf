"""The report as a formatted workbook: the task table grouped by unit, and a counts sheet."""

from __future__ import annotations

from pathlib import Path

from ..outfiles import atomic_path, refuse_overwrite
from .model import Category
from .report import TaskReport, _note, _result, overdue_sentence

TABLE_HEADERS = ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Nội dung theo dõi", "Hạn xử lý",
                 "Tình hình, kết quả thực hiện", "Ngày hoàn thành", "Ghi chú"]
TABLE_WIDTHS = [6, 15, 12, 30, 40, 12, 30, 12, 32]
COUNT_HEADERS = ["Đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
                 "Đang thực hiện quá hạn", "Chưa thực hiện", "Không có thời hạn", "Số nhiệm vụ có thời hạn",
                 "Số nhiệm vụ quá hạn", "Tỷ lệ quá hạn (%)"]
COUNT_WIDTHS = [40, 10, 13, 13, 13, 13, 12, 12, 14, 12, 12]
DATE_FORMAT = "DD/MM/YYYY"


LINE_HEIGHT_PT = 15.0


def inert(value):
    """A register cell as text a spreadsheet will not run: control characters (which openpyxl
    refuses) dropped; a formula start (``= + - @``) kept as text by the caller's data type."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _row_height(*texts_and_widths: tuple[str, float]) -> float:
    """Points for the tallest wrapped cell (about 1.3 characters per width unit in 12 pt Times)."""
    lines = 1
    for text, width in texts_and_widths:
        per_line = max(1, int(width * 1.3))
        lines = max(lines, sum(-(-len(part) // per_line) or 1 for part in (text or "").split("\n")))
    return LINE_HEIGHT_PT * lines + 3


def _print_setup(ws, *, title_rows: str) -> None:
    """Landscape A4, all columns on one page width, the header row repeated on every page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = title_rows
    ws.page_margins.left = ws.page_margins.right = 0.4


def write_report_xlsx(report: TaskReport, output: Path, *, title: str, force: bool = False) -> Path:
    """Write-only workbook (fast and light for 100,000 rows), written to a temp file then moved."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    refuse_overwrite(output, force)  # before the workbook exists: a write-only workbook cannot be abandoned
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="top", horizontal="center")
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    group_fill = PatternFill("solid", fgColor="F2F2F2")

    wb = Workbook(write_only=True)
    # named styles: one lookup per cell instead of four (matters for 100,000-row reports)
    styles = {
        "text": NamedStyle("vb-text", font=font, border=border, alignment=wrap),
        "centre": NamedStyle("vb-centre", font=font, border=border, alignment=centre),
        "date": NamedStyle("vb-date", font=font, border=border, alignment=centre, number_format=DATE_FORMAT),
        "head": NamedStyle("vb-head", font=bold, border=border, alignment=centre, fill=head_fill),
        "group": NamedStyle("vb-group", font=bold, border=border, alignment=wrap, fill=group_fill),
        "group-centre": NamedStyle("vb-group-centre", font=bold, border=border, alignment=centre, fill=group_fill),
        "bold": NamedStyle("vb-bold", font=bold, border=border, alignment=wrap),
        "bold-centre": NamedStyle("vb-bold-centre", font=bold, border=border, alignment=centre),
        "rate": NamedStyle("vb-rate", font=font, border=border, alignment=centre, number_format="0.0"),
        "bold-rate": NamedStyle("vb-bold-rate", font=bold, border=border, alignment=centre, number_format="0.0"),
        "title": NamedStyle("vb-title", font=Font(name="Times New Roman", size=14, bold=True)),
        "plain": NamedStyle("vb-plain", font=font),
    }
    for named in styles.values():
        wb.add_named_style(named)

    def cell(ws, value, style="text"):
        c = WriteOnlyCell(ws, value=inert(value))
        if c.data_type == "f":  # register cells come from outside: "=HYPERLINK(…)" stays text
            c.data_type = "s"
        c.style = styles[style].name
        return c

    ws = wb.create_sheet("Báo cáo")
    for index, width in enumerate(TABLE_WIDTHS):
        ws.column_dimensions[chr(65 + index)].width = width
    ws.freeze_panes = "A4"
    _print_setup(ws, title_rows="3:3")
    ws.append([cell(ws, title, "title")])
    ws.append([cell(ws, f"Số liệu tính đến ngày {report.as_of:%d/%m/%Y}", "plain")])
    ws.append([cell(ws, h, "head") for h in TABLE_HEADERS])
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    row_number = 3
    for group_index, (unit, rows) in enumerate(report.groups(), start=1):
        label = roman[group_index - 1] if group_index <= len(roman) else str(group_index)
        ws.append([cell(ws, label, "group-centre"), cell(ws, unit, "group")]
                  + [cell(ws, None, "group") for _ in TABLE_HEADERS[2:]])
        row_number += 1
        ws.merged_cells.ranges.add(f"B{row_number}:I{row_number}")
        for number, st in enumerate(rows, start=1):
            task = st.task
            deadline = st.effective_deadline
            row_number += 1
            # spreadsheet programs do not always grow wrapped rows on opening: give the height
            ws.row_dimensions[row_number].height = _row_height(
                (task.summary or task.content, TABLE_WIDTHS[3]), (task.content, TABLE_WIDTHS[4]),
                (_result(st), TABLE_WIDTHS[6]), (_note(st), TABLE_WIDTHS[8]))
            ws.append([
                cell(ws, number, "centre"), cell(ws, task.symbol, "centre"), cell(ws, task.issued, "date"),
                cell(ws, task.summary or task.content), cell(ws, task.content),
                cell(ws, deadline, "date") if deadline else cell(ws, "Không có hạn", "centre"),
                cell(ws, _result(st)),
                cell(ws, task.completed if st.done else None, "date"),
                cell(ws, _note(st)),
            ])

    counts = wb.create_sheet("Tổng hợp")
    for index, width in enumerate(COUNT_WIDTHS):
        counts.column_dimensions[chr(65 + index)].width = width
    _print_setup(counts, title_rows="2:2")
    counts.append([cell(counts, f"Tổng hợp tình hình thực hiện nhiệm vụ {report.period.label}", "title")])
    counts.append([cell(counts, h, "head") for h in COUNT_HEADERS])
    categories = [Category.DONE_ON_TIME, Category.DONE_LATE, Category.IN_PROGRESS_ON_TIME,
                  Category.IN_PROGRESS_OVERDUE, Category.NOT_STARTED, Category.NO_DEADLINE]
    for c in [*report.units, report.overall]:
        strong = c is report.overall
        text, centred, rate = ("bold", "bold-centre", "bold-rate") if strong else ("text", "centre", "rate")
        counts.append([cell(counts, c.unit, text), cell(counts, c.total, centred)]
                      + [cell(counts, c.by_category[k], centred) for k in categories]
                      + [cell(counts, c.with_deadline, centred), cell(counts, c.overdue, centred),
                         cell(counts, c.overdue_rate, rate)])
    counts.append([])
    counts.append([cell(counts, f"Nhiệm vụ có thời hạn: {overdue_sentence(report.overall)}.", "plain")])

    with atomic_path(output, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return output
