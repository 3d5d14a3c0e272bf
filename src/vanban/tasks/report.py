"""The periodic task report: counts per unit and status, the overdue rate, and the rows by unit.

Period semantics: tasks assigned (issued) up to the period end, seen as of the
period end (or ``as_of``); tasks already completed before the period starts
were reported in earlier periods and are left out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Optional

from ..calendar import WorkCalendar
from ..text import fold
from .model import Category, Task, TaskStatus
from .period import Period
from .status import DEFAULT_NOTICE_DAYS, task_status, vn_date

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
    def done(self) -> int:
        return self.by_category[Category.DONE_ON_TIME] + self.by_category[Category.DONE_LATE]

    @property
    def in_progress(self) -> int:
        return self.by_category[Category.IN_PROGRESS_ON_TIME] + self.by_category[Category.IN_PROGRESS_OVERDUE]

    @property
    def overdue_rate(self) -> float:
        """Percent of the tasks with a deadline that are overdue (seed 001), one decimal, rounded half up
        from the counts (``rate_tenths``)."""
        return rate_tenths(self.overdue, self.with_deadline) / 10

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
    """``222/1.206 nhiệm vụ quá hạn, tỷ lệ 18,4%`` (the form of seed 001)."""
    return (f"{vn_number(counts.overdue)}/{vn_number(counts.with_deadline)} nhiệm vụ quá hạn, "
            f"tỷ lệ {vn_percent(counts.overdue_rate)}")


def vn_number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def rate_tenths(part: int, whole: int) -> int:
    """``part/whole`` in tenths of a percent, rounded half up on the exact fraction (no float error)."""
    return (2000 * part + whole) // (2 * whole) if whole else 0


def vn_percent(value: float) -> str:
    """The one way the report writes a percentage: one decimal, a comma, no space (``42,9%``, ``0,0%``)."""
    return f"{value:.1f}".replace(".", ",") + "%"


def percent_of(part: int, whole: int) -> str:
    return vn_percent(rate_tenths(part, whole) / 10)


def _note(st: TaskStatus) -> str:
    """The Ghi chú of a task: its status, days late, and what became of an extension request."""
    label = st.category.label
    parts = [label[0].upper() + label[1:] + (f" {st.overdue_days} ngày làm việc" if st.overdue_days else "")]
    task = st.task
    if st.extension_applied and task.new_deadline:
        parts.append(f"gia hạn đến {vn_date(task.new_deadline)}")
    elif task.extension_requested is not None:
        parts.append(f"đề nghị gia hạn ngày {vn_date(task.extension_requested)}, sau thời hạn đề nghị, "
                     "không được gia hạn")
    if task.note:
        parts.append(task.note)
    return "; ".join(parts)


def _result(st: TaskStatus) -> str:
    if st.task.result:
        return st.task.result
    return "Đã hoàn thành" if st.done else "Chưa có báo cáo kết quả"


def _units_phrase(rows: list[Counts], what) -> str:
    return "; ".join(f"{c.unit} ({what(c)})" for c in rows)


def _summary(report: TaskReport, office: str) -> list[str]:
    """Section I: the figures, in the form of seed 001."""
    o = report.overall
    n = Category
    count = o.by_category
    opening = (f"Tổng số nhiệm vụ do {office}, Chủ tịch {office} giao được theo dõi {report.period.label} là "
               f"{vn_number(o.total)} nhiệm vụ")
    if count[n.NO_DEADLINE]:
        opening += (f", trong đó {vn_number(o.with_deadline)} nhiệm vụ có thời hạn và "
                    f"{vn_number(count[n.NO_DEADLINE])} nhiệm vụ không có thời hạn")
    paragraphs = [opening + "."]
    if o.with_deadline:
        paragraphs.append(
            f"Đối với {vn_number(o.with_deadline)} nhiệm vụ có thời hạn: đã hoàn thành {vn_number(o.done)} nhiệm vụ "
            f"({percent_of(o.done, o.with_deadline)}), gồm {vn_number(count[n.DONE_ON_TIME])} nhiệm vụ đúng hạn và "
            f"{vn_number(count[n.DONE_LATE])} nhiệm vụ quá hạn; đang thực hiện {vn_number(o.in_progress)} nhiệm vụ, "
            f"gồm {vn_number(count[n.IN_PROGRESS_ON_TIME])} nhiệm vụ trong hạn và "
            f"{vn_number(count[n.IN_PROGRESS_OVERDUE])} nhiệm vụ quá hạn; chưa thực hiện "
            f"{vn_number(count[n.NOT_STARTED])} nhiệm vụ (còn trong hạn).")
        paragraphs.append(
            f"Tính đến ngày {vn_date(report.as_of)}, tổng số nhiệm vụ quá hạn của các cơ quan, đơn vị, địa phương "
            f"là {vn_number(o.overdue)}/{vn_number(o.with_deadline)} nhiệm vụ, chiếm tỷ lệ "
            f"{vn_percent(o.overdue_rate)} tổng số nhiệm vụ có thời hạn được giao.")
    late = sorted((c for c in report.units if c.overdue), key=lambda c: (-c.overdue_rate, -c.overdue, fold(c.unit)))
    if late and len(report.units) > 1:  # a report of one unit (--unit) has no ranking
        top = late[:5]
        paragraphs.append(
            ("Các cơ quan, đơn vị có tỷ lệ nhiệm vụ quá hạn cao: " if len(late) > 5 else
             "Các cơ quan, đơn vị có nhiệm vụ quá hạn: ")
            + _units_phrase(top, lambda c: f"{c.overdue}/{c.with_deadline} nhiệm vụ, {vn_percent(c.overdue_rate)}")
            + (f"; còn {len(late) - 5} cơ quan, đơn vị khác có nhiệm vụ quá hạn" if len(late) > 5 else "")
            + ". " + (f"Có {len(report.units) - len(late)} cơ quan, đơn vị không có nhiệm vụ quá hạn."
                      if len(report.units) > len(late) else "Không có cơ quan, đơn vị nào hoàn thành đúng hạn "
                      "toàn bộ nhiệm vụ."))
    return paragraphs


def _causes(report: TaskReport, config) -> list[str]:
    """Section II: what the register shows about why tasks are late."""
    overdue = [st for st in report.statuses if st.category is Category.IN_PROGRESS_OVERDUE]
    if not report.overall.overdue:
        return ["Các cơ quan, đơn vị thực hiện nhiệm vụ đúng thời hạn; không có nhiệm vụ quá hạn."]
    silent = [st for st in overdue if not (st.task.result and st.task.result.strip())]
    late_request = [st for st in report.statuses if st.task.extension_requested and not st.extension_applied]
    extended = [st for st in report.statuses if st.extension_applied]
    causes = []
    if silent:
        causes.append(f"Có {vn_number(len(silent))}/{vn_number(len(overdue))} nhiệm vụ đang thực hiện quá hạn mà cơ "
                      "quan, đơn vị chưa báo cáo tình hình, kết quả thực hiện; chưa kịp thời báo cáo khó khăn, vướng "
                      "mắc và đề xuất hướng xử lý khi nhiệm vụ đến hạn chưa hoàn thành.")
    if late_request:
        causes.append(f"Có {vn_number(len(late_request))} nhiệm vụ có đề nghị gia hạn nhưng gửi sau thời hạn (phải "
                      f"trước hạn ít nhất {config.extension_notice_days:02d} ngày làm việc) nên không được gia hạn.")
    if extended:
        reasons = Counter(st.task.extension_reason.strip().rstrip(".") for st in extended
                          if st.task.extension_reason and st.task.extension_reason.strip())
        common = "; ".join(r[0].lower() + r[1:] for r, _ in reasons.most_common(3))
        causes.append(f"Có {vn_number(len(extended))} nhiệm vụ được gia hạn do cơ quan, đơn vị đề nghị kịp thời"
                      + (f"; lý do chủ yếu: {common}." if common else "."))
    return causes


def _proposals(report: TaskReport, office: str, config, reply_by: Optional[dt.date]) -> list[str]:
    """Section III: what the office asks the units and itself to do."""
    late = sorted((c for c in report.units if c.by_category[Category.IN_PROGRESS_OVERDUE]),
                  key=lambda c: (-c.by_category[Category.IN_PROGRESS_OVERDUE], fold(c.unit)))
    proposals = []
    if late:
        named = _units_phrase(late[:5], lambda c: f"{c.by_category[Category.IN_PROGRESS_OVERDUE]} nhiệm vụ")
        more = f" và {len(late) - 5} cơ quan, đơn vị khác" if len(late) > 5 else ""
        when = f" trước ngày {vn_date(reply_by)}" if reply_by else ""
        proposals.append(
            f"Đề nghị Thủ trưởng các cơ quan, đơn vị có nhiệm vụ đang thực hiện quá hạn, nhất là {named}{more}, "
            f"khẩn trương hoàn thành {vn_number(report.overall.by_category[Category.IN_PROGRESS_OVERDUE])} nhiệm vụ "
            f"quá hạn; báo cáo kết quả về {office} (qua Văn phòng {office}){when}.")
    proposals.append(
        "Các cơ quan, đơn vị không bảo đảm thời hạn thực hiện nhiệm vụ phải báo cáo rõ lý do và đề xuất gia hạn "
        f"bằng văn bản trước hạn ít nhất {config.extension_notice_days:02d} ngày làm việc; thường xuyên cập nhật "
        "tình hình thực hiện nhiệm vụ để theo dõi.")
    proposals.append(
        f"Văn phòng {office} tiếp tục theo dõi, đôn đốc; tham mưu {office} phê bình các cơ quan, đơn vị đã được "
        f"đôn đốc {config.criticize_after_reminders:02d} lần mà không có kết quả, không báo cáo lý do; kết quả "
        "thực hiện nhiệm vụ là căn cứ đánh giá, xếp loại mức độ hoàn thành nhiệm vụ của cơ quan, đơn vị và người "
        "đứng đầu.")
    return proposals


def report_data(report: TaskReport, *, office_short_name: str, config, chart: Optional[str] = None,
                number: Optional[str] = None, date: Optional[dt.date] = None,
                calendar: Optional[WorkCalendar] = None) -> dict:
    """The ``bao-cao-nhiem-vu`` data: the body (figures, causes, proposals) and the two appendices."""
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
    issued = date or report.as_of
    reply_by = calendar.add_working_days(issued, config.report_back_days) if calendar is not None else None
    data = {
        "date": issued.isoformat(),
        "subject": f"Kết quả thực hiện nhiệm vụ do {office_short_name}, Chủ tịch {office_short_name} giao "
                   f"{report.period.label}",
        "distribution": [*(f"{r} (b/c)" if "(b/c)" not in r else r for r in config.report_recipients),
                         *config.report_distribution],
        "unit": config.drafting_unit,
        "signer": config.signer,
        "period_label": report.period.label,
        "as_of": report.as_of.isoformat(),
        "summary": _summary(report, office_short_name),
        "causes": _causes(report, config),
        "proposals": _proposals(report, office_short_name, config, reply_by),
        "groups": groups,
        "totals": totals,
    }
    if chart:
        data["chart"] = str(chart)
    if number:
        data["number"] = number
    return data
