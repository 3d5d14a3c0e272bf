"""The report as a formatted workbook: the task table grouped by unit, and a counts sheet."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import OutputError
from .model import Category
from .report import TaskReport, _note, _result, overdue_sentence

TABLE_HEADERS = ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Nội dung theo dõi", "Hạn xử lý",
                 "Tình hình, kết quả thực hiện", "Ngày hoàn thành", "Ghi chú"]
TABLE_WIDTHS = [6, 16, 13, 38, 45, 12, 36, 13, 40]
COUNT_HEADERS = ["Đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn", "Đang thực hiện trong hạn",
                 "Đang thực hiện quá hạn", "Chưa thực hiện", "Không có thời hạn", "Số nhiệm vụ có thời hạn",
                 "Số nhiệm vụ quá hạn", "Tỷ lệ quá hạn (%)"]
COUNT_WIDTHS = [40, 10, 13, 13, 13, 13, 12, 12, 14, 12, 12]
DATE_FORMAT = "DD/MM/YYYY"


def write_report_xlsx(report: TaskReport, output: Path, *, title: str, force: bool = False) -> Path:
    """Write-only workbook (fast and light for 100,000 rows), written to a temp file then moved."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    if output.exists() and not force:
        raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", output)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    font = Font(name="Times New Roman", size=12)
    bold = Font(name="Times New Roman", size=12, bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    centre = Alignment(wrap_text=True, vertical="top", horizontal="center")
    head_fill = PatternFill("solid", fgColor="D9E1F2")
    group_fill = PatternFill("solid", fgColor="F2F2F2")

    wb = Workbook(write_only=True)

    def cell(ws, value, *, style=font, align=wrap, fill=None, fmt=None, boxed=True):
        c = WriteOnlyCell(ws, value=value)
        c.font, c.alignment = style, align
        if boxed:
            c.border = border
        if fill is not None:
            c.fill = fill
        if fmt:
            c.number_format = fmt
        return c

    ws = wb.create_sheet("Báo cáo")
    for index, width in enumerate(TABLE_WIDTHS):
        ws.column_dimensions[chr(65 + index)].width = width
    ws.freeze_panes = "A4"
    ws.append([cell(ws, title, style=Font(name="Times New Roman", size=14, bold=True), boxed=False,
                    align=Alignment(horizontal="left"))])
    ws.append([cell(ws, f"Số liệu tính đến ngày {report.as_of:%d/%m/%Y}", boxed=False, align=Alignment())])
    ws.append([cell(ws, h, style=bold, align=centre, fill=head_fill) for h in TABLE_HEADERS])
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
    for group_index, (unit, rows) in enumerate(report.groups(), start=1):
        label = roman[group_index - 1] if group_index <= len(roman) else str(group_index)
        ws.append([cell(ws, label, style=bold, align=centre, fill=group_fill),
                   cell(ws, unit, style=bold, fill=group_fill)]
                  + [cell(ws, None, fill=group_fill) for _ in TABLE_HEADERS[2:]])
        for number, st in enumerate(rows, start=1):
            task = st.task
            ws.append([
                cell(ws, number, align=centre), cell(ws, task.symbol, align=centre),
                cell(ws, task.issued, align=centre, fmt=DATE_FORMAT), cell(ws, task.summary or task.content),
                cell(ws, task.content),
                cell(ws, st.effective_deadline or "Không có hạn", align=centre, fmt=DATE_FORMAT),
                cell(ws, _result(st)),
                cell(ws, task.completed if st.done else None, align=centre, fmt=DATE_FORMAT),
                cell(ws, _note(st)),
            ])

    counts = wb.create_sheet("Tổng hợp")
    for index, width in enumerate(COUNT_WIDTHS):
        counts.column_dimensions[chr(65 + index)].width = width
    counts.append([cell(counts, f"Tổng hợp tình hình thực hiện nhiệm vụ {report.period.label}",
                        style=Font(name="Times New Roman", size=14, bold=True), boxed=False, align=Alignment())])
    counts.append([cell(counts, h, style=bold, align=centre, fill=head_fill) for h in COUNT_HEADERS])
    categories = [Category.DONE_ON_TIME, Category.DONE_LATE, Category.IN_PROGRESS_ON_TIME,
                  Category.IN_PROGRESS_OVERDUE, Category.NOT_STARTED, Category.NO_DEADLINE]
    for c in [*report.units, report.overall]:
        style = bold if c is report.overall else font
        counts.append([cell(counts, c.unit, style=style), cell(counts, c.total, style=style, align=centre)]
                      + [cell(counts, c.by_category[k], style=style, align=centre) for k in categories]
                      + [cell(counts, c.with_deadline, style=style, align=centre),
                         cell(counts, c.overdue, style=style, align=centre),
                         cell(counts, c.overdue_rate, style=style, align=centre, fmt="0.0")])
    counts.append([])
    overall = report.overall
    counts.append([cell(counts, f"Nhiệm vụ có thời hạn: {overdue_sentence(overall)}.", boxed=False, align=Alignment())])

    output.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{output.stem}.", suffix=".xlsx.tmp", dir=output.parent)
    os.close(fd)
    try:
        wb.save(tmp)
        os.replace(tmp, output)
        os.chmod(output, 0o644)  # mkstemp files are private
    except OSError as exc:
        raise OutputError(f"không ghi được tệp ({exc.strerror})", output) from None
    finally:
        Path(tmp).unlink(missing_ok=True)
    return output
