"""A cached view of :class:`vanban.calendar.WorkCalendar` for large registers.

Counting working days day by day through the ``holidays`` package costs
microseconds per day; a 100,000-task report asks millions of such questions.
This index answers them from per-year cumulative counts, with the same results.
"""

from __future__ import annotations

import datetime as dt
from typing import Optional

from ..calendar import WorkCalendar


class WorkdayIndex:
    """Same questions as WorkCalendar (is_working_day, working_days_between, add_working_days)."""

    def __init__(self, calendar: WorkCalendar):
        self.calendar = calendar
        self._years: dict[int, list[int]] = {}

    def _cumulative(self, year: int) -> list[int]:
        """counts[i] = working days from 1 January to day i of the year (0-based), inclusive."""
        counts = self._years.get(year)
        if counts is None:
            counts, total, day = [], 0, dt.date(year, 1, 1)
            while day.year == year:
                total += self.calendar.is_working_day(day)
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

    def holiday_name(self, day: dt.date) -> Optional[str]:
        return self.calendar.holiday_name(day)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in (start, end]; negative when end is before start."""
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

    def add_working_days(self, start: dt.date, n: int) -> dt.date:
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += dt.timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day


def indexed(calendar) -> WorkdayIndex:
    return calendar if isinstance(calendar, WorkdayIndex) else WorkdayIndex(calendar)
