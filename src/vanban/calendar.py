"""Vietnamese working days for state agencies.

Monday–Friday, less public holidays (``holidays``, country VN, which knows Tết,
Giỗ Tổ and substituted days off), plus make-up working Saturdays. An office can
add its own overrides (a province's extra day off, a swap decided late) in a
YAML file validated by ``schemas/calendar.schema.json``::

    days_off:      [{date: 2026-11-20, name: "Nghỉ bù"}]
    working_days:  [{date: 2026-08-22, name: "Làm bù cho 31/8"}]
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import holidays as holidays_lib


@dataclass(frozen=True)
class CalendarOverrides:
    days_off: dict[dt.date, str] = field(default_factory=dict)
    working_days: dict[dt.date, str] = field(default_factory=dict)


def load_overrides(path: str | Path) -> CalendarOverrides:
    """Read an override file; raises ConfigError with a Vietnamese message."""
    from .config import load_data_file

    data = load_data_file(path, "calendar.schema.json")

    def as_map(items: Iterable[dict]) -> dict[dt.date, str]:
        out = {}
        for item in items or ():
            day = item["date"]
            if isinstance(day, str):
                day = dt.date.fromisoformat(day)
            out[day] = item.get("name", "")
        return out

    return CalendarOverrides(as_map(data.get("days_off")), as_map(data.get("working_days")))


class WorkCalendar:
    """Answers: is this a working day, and what is N working days before/after.

    Answers come from per-year cumulative counts built on first use: a
    100,000-task report asks millions of questions, and ``holidays`` costs
    microseconds per day.
    """

    def __init__(self, overrides: Optional[CalendarOverrides] = None):
        self.overrides = overrides or CalendarOverrides()
        self._holidays = holidays_lib.country_holidays("VN", language="vi")
        self._years: dict[int, list[int]] = {}

    def holiday_name(self, day: dt.date) -> Optional[str]:
        if day in self.overrides.days_off:
            return self.overrides.days_off[day] or "Ngày nghỉ"
        return self._holidays.get(day)

    def _decide(self, day: dt.date) -> bool:
        if day in self.overrides.working_days:
            return True
        if day in self.overrides.days_off:
            return False
        # holidays' own is_working_day knows VN make-up Saturdays (weekend_workdays)
        return self._holidays.is_working_day(day)

    def _cumulative(self, year: int) -> list[int]:
        """counts[i] = working days from 1 January to day i of the year (0-based), inclusive."""
        counts = self._years.get(year)
        if counts is None:
            counts, total, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                total += self._decide(day)
                counts.append(total)
                day += dt.timedelta(days=1)
            self._years[year] = counts
        return counts

    def _upto(self, day: dt.date) -> int:
        return self._cumulative(day.year)[day.timetuple().tm_yday - 1]

    def is_working_day(self, day: dt.date) -> bool:
        counts = self._cumulative(day.year)
        index = day.timetuple().tm_yday - 1
        return counts[index] - (counts[index - 1] if index else 0) == 1

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        """The date ``n`` working days after ``start`` (before, when n < 0); n = 0 returns start."""
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]: how many working days after ``start`` ``end`` is.

        Negative when ``end`` is before ``start``.
        """
        if end == start:
            return 0
        sign = 1 if end > start else -1
        lo, hi = (start, end) if sign > 0 else (end, start)
        if lo.year == hi.year:
            return sign * (self._upto(hi) - self._upto(lo))
        count = self._cumulative(lo.year)[-1] - self._upto(lo)
        for year in range(lo.year + 1, hi.year):
            count += self._cumulative(year)[-1]
        return sign * (count + self._upto(hi))
