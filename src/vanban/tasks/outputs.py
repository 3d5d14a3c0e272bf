"""Writing the report files: .xlsx, chart .png, and .docx through the generator."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..calendar import WorkCalendar
from ..errors import OutputError
from ..outfiles import atomic_path
from .model import Task
from .period import Period
from .programme import ProgrammeEvaluation
from .report import TaskReport, build_report, report_data
from .settings import TasksConfig


@dataclass(frozen=True)
class ReportFiles:
    report: TaskReport
    files: tuple[Path, ...]


def report_paths(period: Period, out_dir: Path) -> dict[str, Path]:
    stem = f"bao-cao-nhiem-vu-{period.code}"
    return {"docx": out_dir / f"{stem}.docx", "xlsx": out_dir / f"{stem}.xlsx",
            "chart": out_dir / f"{stem}-bieu-do.png"}


def write_report(tasks: Iterable[Task], period: Period, out_dir: Path, *, calendar: WorkCalendar,
                 config: TasksConfig, office=None, db_path: Optional[Path] = None, as_of: Optional[dt.date] = None,
                 unit: Optional[str] = None, number: Optional[str] = None, docx: bool = True, pdf: bool = False,
                 force: bool = False) -> ReportFiles:
    """Build the report and write its files; nothing is written when one target exists without ``force``."""
    from .chart import overdue_chart
    from .xlsx import write_report_xlsx

    paths = report_paths(period, out_dir)
    if not docx:
        paths = {"xlsx": paths["xlsx"]}
    elif pdf:
        paths["pdf"] = paths["docx"].with_suffix(".pdf")
    if not force:
        existing = [str(p) for p in paths.values() if p.exists()]
        if existing:
            raise OutputError("tệp đã tồn tại; dùng --force để ghi đè: " + ", ".join(existing))
    report = build_report(tasks, period, calendar, as_of=as_of, notice_days=config.extension_notice_days, unit=unit)
    title = f"BÁO CÁO NHIỆM VỤ, CÔNG VIỆC {period.label.upper()}"
    written = [write_report_xlsx(report, paths["xlsx"], title=title, force=True)]
    if docx:
        from ..generate import render_document

        chart = overdue_chart(report, paths["chart"])
        written.append(chart)
        data = report_data(report, office_short_name=office.short_name, config=config, chart=str(chart.resolve()),
                           number=number, calendar=calendar)
        doc = render_document("bao-cao-nhiem-vu", data, paths["docx"], office=office, db_path=db_path, force=True,
                              pdf=pdf)
        written.append(doc.path)
        if doc.pdf_path:
            written.append(doc.pdf_path)
    return ReportFiles(report, tuple(written))


def write_programme_xlsx(evaluation: ProgrammeEvaluation, output: Path, *, force: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side

    if output.exists() and not force:
        raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", output)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wb = Workbook()
    ws = wb.active
    ws.title = "Chương trình công tác"
    ws.append([f"Kết quả thực hiện chương trình công tác {evaluation.period.label}"])
    ws["A1"].font = Font(name="Times New Roman", size=14, bold=True)
    headers = ["Cơ quan chủ trì", "Số nội dung phải trình", "Đã trình", "Đã ban hành", "Chưa trình",
               "Tỷ lệ đã trình (%)", "Tỷ lệ đã ban hành (%)"]
    ws.append(headers)
    for c in [*evaluation.units, evaluation.overall]:
        ws.append([c.unit, c.due, c.submitted, c.issued, c.not_submitted, c.submitted_rate, c.issued_rate])
    for row in ws.iter_rows(min_row=2, max_row=ws.max_row):
        for cell in row:
            cell.border = border
            cell.font = Font(name="Times New Roman", size=12, bold=cell.row == 2 or row[0].value == "Tổng cộng")
            cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="left" if cell.column == 1 else "center")
    for letter, width in zip("ABCDEFG", [40, 14, 12, 12, 12, 14, 14]):
        ws.column_dimensions[letter].width = width
    missing = wb.create_sheet("Chưa trình")
    missing.append(["Cơ quan chủ trì", "Nội dung", "Thời hạn trình", "Ghi chú"])
    for item in evaluation.not_submitted:
        missing.append([item.unit, item.content, item.due, item.note])
        missing.cell(missing.max_row, 3).number_format = "DD/MM/YYYY"
    for sheet in (ws, missing):  # names and contents come from the register: "=…" stays text, never a formula
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    for letter, width in zip("ABCD", [40, 70, 14, 30]):
        missing.column_dimensions[letter].width = width
    with atomic_path(output, suffix=".xlsx") as tmp:
        wb.save(tmp)
    return output
