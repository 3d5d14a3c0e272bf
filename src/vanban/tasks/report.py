"""The periodic task report: counts per unit and status, the overdue rate, and the rows by unit.

Period semantics: tasks assigned (issued) up to the period end, seen as of the
period end (or ``as_of``); tasks already completed before the period starts
were reported in earlier periods and are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..calendar import WorkCalendar
from ..text import fold
from .model import Category, Task, TaskStatus
from .period import Period
from .status import DEFAULT_NOTICE_DAYS, task_status

TOTAL_LABEL = "Tổng cộng"


@dataclass
class Counts:
    unit: str
    by_category: dict[Category, int] = field(default_factory=lambda: {c: 0 for c in Category})

    def add(self, category: Category) -> None:
        self.by_category[category] += 1

    @property
    def total(self) -> int:
        return sum(self.by_category.values())

    @property
    def with_deadline(self) -> int:
        return self.total - self.by_category[Category.NO_DEADLINE]

    @property
    def overdue(self) -> int:
        return self.by_category[Category.DONE_LATE] + self.by_category[Category.IN_PROGRESS_OVERDUE]

    @property
    def overdue_rate(self) -> float:
        """Percent of the tasks with a deadline that are overdue (seed 001), one decimal."""
        return round(100.0 * self.overdue / self.with_deadline, 1) if self.with_deadline else 0.0

    def as_dict(self) -> dict:
        out = {"unit": self.unit, "total": self.total}
        out.update({c.value: n for c, n in self.by_category.items()})
        out["overdue_rate"] = self.overdue_rate
        return out


@dataclass(frozen=True)
class TaskReport:
    period: Period
    as_of: dt.date
    statuses: tuple[TaskStatus, ...]  # in the report, grouped by unit then deadline
    units: tuple[Counts, ...]
    overall: Counts

    def groups(self) -> list[tuple[str, list[TaskStatus]]]:
        out: dict[str, list[TaskStatus]] = {}
        for st in self.statuses:
            out.setdefault(st.task.unit, []).append(st)
        return list(out.items())


def in_period(task: Task, period: Period, as_of: dt.date) -> bool:
    if task.issued > period.end or task.issued > as_of:
        return False
    return not (task.completed is not None and task.completed < period.start)


def build_report(tasks: Iterable[Task], period: Period, calendar: WorkCalendar, *, as_of: Optional[dt.date] = None,
                 notice_days: int = DEFAULT_NOTICE_DAYS, unit: Optional[str] = None) -> TaskReport:
    as_of = as_of or period.end
    chosen = [task_status(t, as_of, calendar, notice_days) for t in tasks
              if in_period(t, period, as_of) and (unit is None or fold(t.unit) == fold(unit))]
    chosen.sort(key=lambda s: (fold(s.task.unit), s.task.issued, s.task.deadline or dt.date.max, s.task.id))
    per_unit: dict[str, Counts] = {}
    overall = Counts(TOTAL_LABEL)
    for st in chosen:
        per_unit.setdefault(st.task.unit, Counts(st.task.unit)).add(st.category)
        overall.add(st.category)
    return TaskReport(period, as_of, tuple(chosen), tuple(per_unit.values()), overall)


def overdue_sentence(counts: Counts) -> str:
    """``222/1.206 nhiệm vụ quá hạn, tỷ lệ 18,5 %`` (the form of seed 001)."""
    return (f"{vn_number(counts.overdue)}/{vn_number(counts.with_deadline)} nhiệm vụ quá hạn, "
            f"tỷ lệ {vn_percent(counts.overdue_rate)}")


def vn_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def vn_percent(value: float) -> str:
    text = f"{value:.1f}".replace(".", ",")
    return f"{text.removesuffix(',0')} %"


def _note(st: TaskStatus) -> str:
    parts = [st.category.label]
    if st.overdue_days:
        parts[0] += f" {st.overdue_days} ngày làm việc"
    parts.extend(st.notes)
    if st.task.note:
        parts.append(st.task.note)
    return "; ".join(parts)


def _result(st: TaskStatus) -> str:
    if st.task.result:
        return st.task.result
    return "Đã hoàn thành" if st.done else "Chưa có báo cáo kết quả"


def report_data(report: TaskReport, *, office_short_name: str, config, chart: Optional[str] = None,
                number: Optional[str] = None, date: Optional[dt.date] = None) -> dict:
    """The ``bao-cao-nhiem-vu`` data (contract in the task brief)."""
    groups = []
    for unit, rows in report.groups():
        groups.append({"unit": unit, "rows": [{
            "symbol": st.task.symbol, "issued": st.task.issued.isoformat(),
            "summary": st.task.summary or st.task.content, "content": st.task.content,
            "deadline": st.effective_deadline.isoformat() if st.effective_deadline else None,
            "result": _result(st),
            "completed": st.task.completed.isoformat() if st.done else None,
            "note": _note(st)} for st in rows]})
    totals = [c.as_dict() for c in report.units] + [report.overall.as_dict()]
    data = {
        "date": (date or report.as_of).isoformat(),
        "subject": f"Kết quả thực hiện nhiệm vụ do {office_short_name}, Chủ tịch {office_short_name} giao "
                   f"{report.period.label}",
        "recipients": list(config.report_recipients),
        "distribution": list(config.distribution),
        "unit": config.drafting_unit,
        "signer": config.signer,
        "period_label": report.period.label,
        "as_of": report.as_of.isoformat(),
        "groups": groups,
        "totals": totals,
        "closing": (f"Tính đến ngày {report.as_of.day:02d}/{report.as_of.month:02d}/{report.as_of.year}, tổng số "
                    f"nhiệm vụ quá hạn của các cơ quan, đơn vị, địa phương là {vn_number(report.overall.overdue)}/"
                    f"{vn_number(report.overall.with_deadline)} nhiệm vụ, chiếm tỷ lệ "
                    f"{vn_percent(report.overall.overdue_rate)} tổng số nhiệm vụ có thời hạn được giao."),
    }
    if chart:
        data["chart"] = str(chart)
    if number:
        data["number"] = number
    return data
