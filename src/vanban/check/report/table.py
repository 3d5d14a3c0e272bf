"""One row per dossier: --summary FILE.csv | FILE.xlsx."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ...errors import OutputError
from ..model import DossierResult
from .prose import agency_name
from .write import write_atomic

COLUMNS = ["Hồ sơ", "Kết luận", "Văn bản trình", "Số, ký hiệu", "Ngày", "Cơ quan trình", "Người ký",
           "Trích yếu", "Số lỗi", "Số cảnh báo", "Số thông tin", "Lý do", "Nguồn"]


def summary_row(r: DossierResult) -> list:
    s = r.submission
    return [
        r.name, r.decision.label, s.file if s else "", (s.number or "") if s else "",
        (s.date or "") if s else "", (agency_name(s.issuer) if s.issuer else "") if s else "", (s.signer or "") if s else "",
        (s.subject or "") if s else "", r.count("error"), r.count("warning"), r.count("info"),
        "\n".join(r.decision.reasons), r.source,
    ]


def summary_rows(results: list[DossierResult]) -> list[list]:
    return [summary_row(r) for r in results]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value):
    """A folder or file name like ``=HYPERLINK(…)`` must stay text when the clerk opens the CSV in Excel."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def _csv(results: list[DossierResult]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(COLUMNS)
    writer.writerows([_inert(v) for v in row] for row in summary_rows(results))
    return ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Vietnamese CSV correctly


def _csv_line(row: list) -> str:
    buf = io.StringIO()
    csv.writer(buf).writerow([_inert(v) for v in row])
    return buf.getvalue()


class CsvRenderer:
    """The .csv summary one dossier at a time (a row each, after the BOM and the header)."""

    spool = False

    def __init__(self):
        self.started = False

    def add(self, result: DossierResult) -> str:
        head = "" if self.started else "\ufeff" + _csv_line(COLUMNS)
        self.started = True
        return head + _csv_line(summary_row(result))

    def finish(self) -> tuple[str, str]:
        return "", "" if self.started else "\ufeff" + _csv_line(COLUMNS)


def _xlsx(results: list[DossierResult]) -> bytes:
    return xlsx_of_rows(summary_rows(results))


def xlsx_of_rows(rows: list[list]) -> bytes:
    """The .xlsx summary of rows kept as the results came (the workbook is written at once)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Tổng hợp"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(bold=True, name="Times New Roman")
    for row in rows:
        ws.append(row)
    widths = [40, 16, 40, 20, 12, 30, 24, 60, 8, 10, 10, 80, 40]
    for i, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = width
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            if cell.data_type == "f":  # openpyxl reads "=…" as a formula; names from outside are text
                cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name="Times New Roman")
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_summary(results: list[DossierResult], path: str | Path, force: bool = False) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return write_atomic(path, _csv(results), force)
    if suffix == ".xlsx":
        return write_atomic(path, _xlsx(results), force)
    raise OutputError("tệp tổng hợp phải có đuôi .csv hoặc .xlsx", path)


class SummaryWriter:
    """--summary written as the results come: a .csv row by row (temp file beside it, renamed at the
    end), a .xlsx from the small rows kept until the end (a workbook is written at once)."""

    def __init__(self, path: str | Path, force: bool = False):
        from .write import StreamedReport
        from ...outfiles import refuse_overwrite

        self.path = Path(path)
        self.force = force
        suffix = self.path.suffix.lower()
        self.stream = None
        self.rows: list[list] = []
        if suffix == ".csv":
            self.stream = StreamedReport(CsvRenderer(), self.path, force=force)
        elif suffix == ".xlsx":
            refuse_overwrite(self.path, force)
        else:
            raise OutputError("tệp tổng hợp phải có đuôi .csv hoặc .xlsx", self.path)

    def add(self, result: DossierResult) -> None:
        if self.stream is not None:
            self.stream.add(result)
        else:
            self.rows.append(summary_row(result))

    def close(self) -> Path:
        if self.stream is not None:
            return self.stream.close()
        return write_atomic(self.path, xlsx_of_rows(self.rows), self.force)

    def discard(self) -> None:
        if self.stream is not None:
            self.stream.discard()
