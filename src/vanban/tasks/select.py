"""Which tasks go into reminder (đôn đốc) and criticism (phê bình) letters, per unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Iterable, Optional

from ..text import fold
from .history import LetterRecord
from .model import Category, TaskStatus


@dataclass(frozen=True)
class Selected:
    status: TaskStatus
    reason: str  # why the task is in the letter (Vietnamese, for the summary)
    reminders: tuple[LetterRecord, ...] = ()


def _matches(unit: str, wanted: Optional[str]) -> bool:
    return wanted is None or fold(unit) == fold(wanted)


def _by_unit(items: Iterable[Selected]) -> dict[str, list[Selected]]:
    out: dict[str, list[Selected]] = {}
    for item in items:
        out.setdefault(item.status.task.unit, []).append(item)
    for rows in out.values():
        rows.sort(key=lambda s: (s.status.effective_deadline or dt.date.max, s.status.task.issued, s.status.task.id))
    return dict(sorted(out.items(), key=lambda kv: fold(kv[0])))


def select_reminders(statuses: Iterable[TaskStatus], within_days: int, unit: Optional[str] = None
                     ) -> dict[str, list[Selected]]:
    """Not done, with a deadline, and overdue or due within ``within_days`` working days."""
    chosen = []
    for st in statuses:
        if not _matches(st.task.unit, unit) or st.done or st.effective_deadline is None:
            continue
        if st.category is Category.IN_PROGRESS_OVERDUE:
            chosen.append(Selected(st, f"quá hạn {st.overdue_days} ngày làm việc"))
        elif st.days_left is not None and st.days_left <= within_days:
            chosen.append(Selected(st, "đến hạn hôm nay" if st.days_left == 0
                                   else f"còn {st.days_left} ngày làm việc"))
    return _by_unit(chosen)


def select_criticism(statuses: Iterable[TaskStatus], reminders: dict[str, list[LetterRecord]],
                     criticized: dict[str, list[LetterRecord]], after_reminders: int,
                     unit: Optional[str] = None) -> dict[str, list[Selected]]:
    """Not done and either overdue (no timely extension saved it) or reminded ``after_reminders`` times.

    A task already criticised is not criticised again.
    """
    chosen = []
    for st in statuses:
        task = st.task
        if not _matches(task.unit, unit) or st.done or task.id in criticized:
            continue
        sent = tuple(reminders.get(task.id, ()))
        if st.category is Category.IN_PROGRESS_OVERDUE:
            reason = f"quá hạn {st.overdue_days} ngày làm việc, không có đề nghị gia hạn kịp thời"
            if st.extension_applied:
                reason = f"quá hạn {st.overdue_days} ngày làm việc kể cả sau khi gia hạn"
            chosen.append(Selected(st, reason, sent))
        elif len(sent) >= after_reminders:
            chosen.append(Selected(st, f"đã đôn đốc {len(sent)} lần, chưa hoàn thành", sent))
    return _by_unit(chosen)
