"""Reporting periods: ``2026-10`` (month), ``2026-Q3``, ``2026-H1``, ``2026`` (year)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..errors import ConfigError

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str  # "quý III năm 2026": reads after "giao …"
    code: str

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def parse_period(text: str) -> Period:
    code = text.strip().upper()
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", code):
        year, month = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            return Period(dt.date(year, month, 1), _month_end(year, month), f"tháng {month} năm {year}", code)
    if m := re.fullmatch(r"(\d{4})-Q([1-4])", code):
        year, q = int(m.group(1)), int(m.group(2))
        return Period(dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"quý {ROMAN[q]} năm {year}", code)
    if m := re.fullmatch(r"(\d{4})-H([12])", code):
        year, h = int(m.group(1)), int(m.group(2))
        label = f"6 tháng đầu năm {year}" if h == 1 else f"6 tháng cuối năm {year}"
        return Period(dt.date(year, 6 * h - 5, 1), _month_end(year, 6 * h), label, code)
    if m := re.fullmatch(r"(\d{4})", code):
        year = int(m.group(1))
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), f"năm {year}", code)
    raise ConfigError(f"kỳ báo cáo không hợp lệ: '{text}' (dùng 2026-10, 2026-Q3, 2026-H1 hoặc 2026)")
