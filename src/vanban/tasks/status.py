"""The status of a task on a given day, in working days.

Definitions (documented in the README):

* The deadline is the *effective* one: the new deadline of an extension counts
  only when the extension was requested at least ``notice_days`` (2) working
  days before the original deadline (seed 000, 2c); a late request is ignored
  and a note says so. A deadline on a day off moves to the next working day.
* Done = a completion date on or before the as-of date (a later completion is
  not known yet on that day). Done late = completed one or more working days
  after the effective deadline.
* Not done and one or more working days past the deadline → "đang thực hiện
  quá hạn" (= chưa hoàn thành, quá hạn), whether or not work has started.
* Not done, not overdue: "đang thực hiện trong hạn" when the register shows
  progress (a 'Kết quả'/'Tình hình thực hiện' text), else "chưa thực hiện".
* No deadline: counted apart as "không có thời hạn", done or not.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Optional

from ..calendar import WorkCalendar
from .model import Category, Task, TaskStatus

DEFAULT_NOTICE_DAYS = 2


def vn_date(day: dt.date) -> str:
    """``05/01/2026``: a date as the task letters and reports write it."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def roll_to_working_day(day: dt.date, calendar: WorkCalendar) -> dt.date:
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def effective_deadline(task: Task, calendar: WorkCalendar, notice_days: int = DEFAULT_NOTICE_DAYS
                       ) -> tuple[Optional[dt.date], bool, tuple[str, ...]]:
    """(deadline that applies, whether an extension applied, notes)."""
    if task.deadline is None:
        return None, False, ()
    deadline = roll_to_working_day(task.deadline, calendar)
    if task.new_deadline is None or task.extension_requested is None:
        return deadline, False, ()
    ahead = calendar.working_days_between(task.extension_requested, deadline)
    if ahead >= notice_days:
        note = (f"gia hạn đến {vn_date(task.new_deadline)} (đề nghị ngày {vn_date(task.extension_requested)}, "
                f"trước hạn {ahead} ngày làm việc)")
        return roll_to_working_day(task.new_deadline, calendar), True, (note,)
    note = (f"đề nghị gia hạn ngày {vn_date(task.extension_requested)} muộn (trước hạn {max(ahead, 0)} ngày làm việc, "
            f"cần ít nhất {notice_days:02d}): không được tính, giữ hạn {vn_date(task.deadline)}")
    return deadline, False, (note,)


def task_status(task: Task, as_of: dt.date, calendar: WorkCalendar,
                notice_days: int = DEFAULT_NOTICE_DAYS) -> TaskStatus:
    deadline, extended, notes = effective_deadline(task, calendar, notice_days)
    completed = task.completed if task.completed and task.completed <= as_of else None
    started = completed is not None or bool(task.result and task.result.strip())
    common = dict(task=task, as_of=as_of, effective_deadline=deadline, started=started, extension_applied=extended,
                  notes=notes)
    if deadline is None:
        return TaskStatus(category=Category.NO_DEADLINE, overdue_days=None, days_left=None, **common)
    if completed is not None:
        late = calendar.working_days_between(deadline, completed)
        if late >= 1:
            return TaskStatus(category=Category.DONE_LATE, overdue_days=late, days_left=None, **common)
        return TaskStatus(category=Category.DONE_ON_TIME, overdue_days=None, days_left=None, **common)
    late = calendar.working_days_between(deadline, as_of)
    if late >= 1:
        return TaskStatus(category=Category.IN_PROGRESS_OVERDUE, overdue_days=late, days_left=None, **common)
    category = Category.IN_PROGRESS_ON_TIME if started else Category.NOT_STARTED
    return TaskStatus(category=category, overdue_days=None, days_left=-late, **common)


def statuses(tasks: Iterable[Task], as_of: dt.date, calendar: WorkCalendar,
             notice_days: int = DEFAULT_NOTICE_DAYS) -> list[TaskStatus]:
    return [task_status(t, as_of, calendar, notice_days) for t in tasks]
