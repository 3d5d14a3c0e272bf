"""Build real register files (.xlsx with openpyxl, .csv, .json) for the task tests."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

D = dt.date

HEADERS = ["STT", "Số, ký hiệu", "Ngày ban hành", "Trích yếu", "Nội dung nhiệm vụ", "Đơn vị chủ trì",
           "Đơn vị phối hợp", "Hạn xử lý", "Ngày hoàn thành", "Kết quả", "Ngày đề nghị gia hạn", "Lý do gia hạn",
           "Hạn mới", "Ghi chú", "Độ mật"]


def row(n, symbol, issued, unit, content, deadline=None, completed=None, result=None, requested=None,
        new_deadline=None, secrecy=None, coordinators=None, reason=None, summary="Về việc thực hiện nhiệm vụ"):
    return [n, symbol, issued, summary, content, unit, coordinators, deadline, completed, result, requested,
            reason or ("Chờ ý kiến bộ, ngành" if requested else None), new_deadline, None, secrecy]


def write_xlsx(path: Path, rows, *, headers=HEADERS, title_rows=(), sheet="Sổ nhiệm vụ", extra_sheets=()):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for line in title_rows:
        ws.append(line)
    ws.append(headers)
    for r in rows:
        ws.append(r)
    for name, sheet_rows in extra_sheets:
        other = wb.create_sheet(name)
        for r in sheet_rows:
            other.append(r)
    wb.save(path)
    return path


def _cell(value):
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    return "" if value is None else value


def write_csv(path: Path, rows, *, headers=HEADERS, delimiter=";", encoding="utf-8-sig", iso=False):
    with open(path, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(headers)
        for r in rows:
            writer.writerow([v.isoformat() if iso and isinstance(v, dt.date) else _cell(v) for v in r])
    return path


def write_json(path: Path, rows, *, headers=HEADERS):
    items = [{h: (v.isoformat() if isinstance(v, dt.date) else v) for h, v in zip(headers, r) if v is not None}
             for r in rows]
    path.write_text(json.dumps({"tasks": items}, ensure_ascii=False), encoding="utf-8")
    return path
