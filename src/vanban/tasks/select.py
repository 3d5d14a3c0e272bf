"""Which tasks go into reminder (đôn đốc) and criticism (phê bình) letters, per unit.

The office's procedure (seed 002, Điều 6.8c and 7.1; seed 000, 2c), with the
numbers from the settings (``tasks-config.schema.json``):

* **Reminders first.** A task not done, with a deadline, overdue or due within
  ``within_days`` working days is reminded. A task reminded (or criticised)
  earlier is reminded again only once the ``wait_days`` working days given to
  report back have passed. A task that is due for criticism is not reminded.
* **Criticism only after reminders without result.** A task is criticised
  when it is not done and overdue, has had reminder letters on ``after_reminders``
  (K) earlier days, and ``wait_days`` working days have passed since the
  last of them. Never for a task whose extension was asked in time (the unit
  did report, seed 000 2c), never twice, never on the day of a reminder it
  rests on.

Only letters dated *before* the as-of day count, so running the same day again
(``--force``) selects the same tasks.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Optional, Sequence

from ..calendar import WorkCalendar
from ..text import fold
from .history import LetterRecord
from .model import Category, TaskStatus
from .status import vn_date

HELD_EXTENSION = "đã đề nghị gia hạn kịp thời"
HELD_FEW_REMINDERS = "chưa đủ số lần đôn đốc"
HELD_WAITING = "còn trong thời hạn báo cáo sau đôn đốc"
HELD_NOT_OVERDUE = "chưa quá hạn"
HELD_CRITICIZED = "đã phê bình trước đó"


@dataclass(frozen=True)
class Rules:
    """The office's numbers (working days)."""

    within_days: int = 5  # remind tasks due within N working days
    after_reminders: int = 2  # K: criticise only after K reminder letters
    wait_days: int = 5  # working days given to report back after a letter


@dataclass(frozen=True)
class Selected:
    status: TaskStatus
    reason: str  # why the task is in the letter (Vietnamese, for the summary)
    reminders: tuple[LetterRecord, ...] = ()  # earlier reminder letters, oldest first


@dataclass
class Selection:
    """Tasks chosen per unit (units in alphabetical order), and how many were held back and why."""

    by_unit: dict[str, list[Selected]] = field(default_factory=dict)
    held: Counter = field(default_factory=Counter)

    def __bool__(self) -> bool:
        return bool(self.by_unit)

    def __len__(self) -> int:
        return len(self.by_unit)

    def items(self):
        return self.by_unit.items()

    def values(self):
        return self.by_unit.values()

    def __iter__(self):
        return iter(self.by_unit)

    def __getitem__(self, unit: str) -> list[Selected]:
        return self.by_unit[unit]


def _matches(unit: str, wanted: Optional[str]) -> bool:
    return wanted is None or fold(unit) == fold(wanted)


def _by_unit(items: Iterable[Selected], held: Counter) -> Selection:
    out: dict[str, list[Selected]] = {}
    for item in items:
        out.setdefault(item.status.task.unit, []).append(item)
    for rows in out.values():
        rows.sort(key=lambda s: (s.status.effective_deadline or dt.date.max, s.status.task.issued, s.status.task.id))
    return Selection(dict(sorted(out.items(), key=lambda kv: fold(kv[0]))), held)


def earlier_letters(letters: Sequence[LetterRecord], before: dt.date) -> tuple[LetterRecord, ...]:
    """The distinct letters (by number, symbol and date) dated before ``before``, oldest first."""
    seen: dict[tuple, LetterRecord] = {}
    for letter in sorted(letters, key=lambda r: r.date):
        if letter.date < before:
            seen.setdefault((letter.number, letter.symbol, letter.date), letter)
    return tuple(seen.values())


def letters_phrase(letters: Sequence[LetterRecord]) -> str:
    """``Công văn số 01/UBND-TH ngày 16/03/2026`` or ``các Công văn số 01/UBND-TH ngày 16/03/2026 và số …``."""
    parts = [f"số {r.number}/{r.symbol} ngày {vn_date(r.date)}" for r in letters]
    if len(parts) == 1:
        return f"Công văn {parts[0]}"
    return "các Công văn " + ", ".join(parts[:-1]) + " và " + parts[-1]


def _criticism_verdict(st: TaskStatus, reminders: tuple[LetterRecord, ...], criticized: bool, rules: Rules,
                       calendar: WorkCalendar) -> tuple[bool, str]:
    """(criticise?, the reason or why it is held back)."""
    if criticized:
        return False, HELD_CRITICIZED
    if st.category is not Category.IN_PROGRESS_OVERDUE:
        return False, HELD_NOT_OVERDUE
    if st.extension_applied:
        return False, HELD_EXTENSION
    if len({r.date for r in reminders}) < rules.after_reminders:  # two letters of one day are one reminder
        return False, HELD_FEW_REMINDERS
    if st.as_of < calendar.add_working_days(reminders[-1].date, rules.wait_days):
        return False, HELD_WAITING
    return True, (f"đã đôn đốc {len({r.date for r in reminders})} lần ({letters_phrase(reminders)}), quá hạn "
                  f"{st.overdue_days} ngày làm việc, chưa hoàn thành")


def _history(history: Mapping[str, Sequence[LetterRecord]], task_id: str, as_of: dt.date
             ) -> tuple[LetterRecord, ...]:
    return earlier_letters(history.get(task_id, ()), as_of)


def select_criticism(statuses: Iterable[TaskStatus], reminders: Mapping[str, Sequence[LetterRecord]],
                     criticized: Mapping[str, Sequence[LetterRecord]], rules: Rules, calendar: WorkCalendar,
                     unit: Optional[str] = None) -> Selection:
    """Tasks to criticise on their as-of day (see the module's rules); ``held`` counts the others."""
    chosen, held = [], Counter()
    for st in statuses:
        task = st.task
        if not _matches(task.unit, unit) or st.done or st.effective_deadline is None:
            continue
        sent = _history(reminders, task.id, st.as_of)
        blamed = bool(_history(criticized, task.id, st.as_of))
        ok, reason = _criticism_verdict(st, sent, blamed, rules, calendar)
        if ok:
            chosen.append(Selected(st, reason, sent))
        elif reason != HELD_NOT_OVERDUE:
            held[reason] += 1
    return _by_unit(chosen, held)


def select_reminders(statuses: Iterable[TaskStatus], reminders: Mapping[str, Sequence[LetterRecord]],
                     criticized: Mapping[str, Sequence[LetterRecord]], rules: Rules, calendar: WorkCalendar,
                     unit: Optional[str] = None) -> Selection:
    """Not done, with a deadline, overdue or due within ``rules.within_days`` working days; not while
    the unit still has time to report back on an earlier letter, not when the task is due for criticism."""
    chosen, held = [], Counter()
    for st in statuses:
        task = st.task
        if not _matches(task.unit, unit) or st.done or st.effective_deadline is None:
            continue
        if st.category is Category.IN_PROGRESS_OVERDUE:
            reason = f"quá hạn {st.overdue_days} ngày làm việc"
        elif st.days_left is not None and st.days_left <= rules.within_days:
            reason = "đến hạn hôm nay" if st.days_left == 0 else f"còn {st.days_left} ngày làm việc"
        else:
            continue
        sent = _history(reminders, task.id, st.as_of)
        blamed = _history(criticized, task.id, st.as_of)
        last = max((r.date for r in (*sent, *blamed)), default=None)
        if last is not None and st.as_of < calendar.add_working_days(last, rules.wait_days):
            held[HELD_WAITING] += 1
            continue
        if _criticism_verdict(st, sent, bool(blamed), rules, calendar)[0]:
            held["đến lượt phê bình"] += 1
            continue
        if sent:
            reason += f", đã đôn đốc {len(sent)} lần"
        chosen.append(Selected(st, reason, sent))
    return _by_unit(chosen, held)
