"""The intake register (sổ tiếp nhận hồ sơ) as an .xlsx workbook."""

from __future__ import annotations

import io
import json

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..check.report.table import _inert

HEADERS = ("STT", "Ngày nhận", "Hồ sơ", "Cơ quan trình", "Số, ký hiệu", "Ngày văn bản", "Trích yếu", "Kết luận",
           "Người kiểm tra", "Các tệp (SHA-256)")


def register_workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Sổ tiếp nhận"
    ws.append(["SỔ TIẾP NHẬN HỒ SƠ TRÌNH"])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append(list(HEADERS))
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for i, r in enumerate(rows, 1):
        files = "\n".join(f"{name}: {sha}" for name, sha in json.loads(r["files"] or "[]"))
        ws.append([i] + [_inert(v) for v in (r["received"][:10], r["name"], r["agency"], r["number"], r["doc_date"],
                                              r["subject"], r["decision"], r["checked_by"], files)])
    for col, width in zip("ABCDEFGHIJ", (5, 12, 30, 28, 16, 12, 50, 18, 20, 80)):
        ws.column_dimensions[col].width = width
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
