"""Reminder and criticism letters: the data dicts for the generator, and issuing them.

One letter per unit; the generator numbers it through the outgoing register
(``number="auto"``) and the letters sent are recorded in the task history.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from ..calendar import WorkCalendar
from ..errors import ConfigError, OutputError
from ..generate.register import Discarded
from ..text import fold
from .history import LetterRecord, forget_letter, open_history, record_letters
from .select import Selected, letters_phrase
from .settings import TasksConfig
from .status import vn_date

# letters recorded by this process: a failed command that removes their files did not send them
SENT = Discarded(open_history, "DELETE FROM tasks_letter WHERE path = ?")


@dataclass(frozen=True)
class IssuedLetter:
    kind: str
    unit: str
    task_count: int
    path: Path
    number: Optional[str]
    symbol: str
    date: dt.date


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "don-vi"


def _late_request(item: Selected, config: TasksConfig) -> str:
    """The extension asked too late, said as what happened (seed 000, 2c)."""
    task = item.status.task
    if item.status.extension_applied or task.extension_requested is None:
        return ""
    return (f"; có đề nghị gia hạn ngày {vn_date(task.extension_requested)} nhưng không bảo đảm thời gian đề nghị "
            f"trước hạn ít nhất {config.extension_notice_days:02d} ngày làm việc nên không được gia hạn")


def _letter_task(item: Selected, office_short_name: str, config: TasksConfig, *, with_history: bool) -> dict:
    st = item.status
    task = st.task
    status = st.letter_label
    if with_history and item.reminders:
        status = f"đã được đôn đốc tại {letters_phrase(item.reminders)}, {status}"
    return {"source": f"{task.assigning_document} của {office_short_name}", "content": task.content,
            "deadline": st.effective_deadline.isoformat() if st.effective_deadline else None,
            "status": status + _late_request(item, config), "overdue_days": st.overdue_days}


def _letters_of(items: list[Selected]) -> list[LetterRecord]:
    """The earlier reminders of a unit's tasks, each letter once, oldest first."""
    letters: dict[tuple, LetterRecord] = {}
    for item in items:
        for letter in item.reminders:
            if letter.number:
                letters.setdefault((letter.number, letter.symbol, letter.date), letter)
    return sorted(letters.values(), key=lambda r: (r.date, r.number))


def _same_history(items: list[Selected]) -> bool:
    """Every task rests on the same earlier letters (then they are named once, for the letter)."""
    return len({tuple((r.number, r.symbol, r.date) for r in i.reminders) for i in items}) == 1


def _common(kind: str, unit: str, as_of: dt.date, config: TasksConfig, number: Optional[str]) -> dict:
    data = {"date": as_of.isoformat(), "recipients": [unit], "distribution": ["Như trên", *config.distribution],
            "unit": config.drafting_unit, "signer": config.signer, "unit_name": unit}
    if number:
        data["number"] = number
    return data


def reminder_data(unit: str, items: list[Selected], as_of: dt.date, config: TasksConfig,
                  calendar: WorkCalendar, *, office_short_name: str, number: Optional[str] = None) -> dict:
    """The ``don-doc`` data of one unit; a repeated reminder names the earlier letters."""
    data = _common("don-doc", unit, as_of, config, number)
    same = _same_history(items)
    earlier = _letters_of(items)
    data.update({
        "subject": f"đôn đốc thực hiện nhiệm vụ do {office_short_name}, Chủ tịch {office_short_name} giao",
        "tasks": [_letter_task(i, office_short_name, config, with_history=not same) for i in items],
        "report_by": calendar.add_working_days(as_of, config.report_back_days).isoformat(),
    })
    if earlier:
        data["intro"] = (f"{office_short_name} đã có {letters_phrase(earlier)} đôn đốc {unit} thực hiện "
                         "nhiệm vụ được giao; đến nay chưa nhận được báo cáo kết quả.")
    return data


def criticism_data(unit: str, items: list[Selected], as_of: dt.date, config: TasksConfig,
                   calendar: WorkCalendar, *, office_short_name: str, number: Optional[str] = None) -> dict:
    """The ``phe-binh`` data of one unit; the earlier reminders listed once each, oldest first, and for
    each task when the tasks rest on different letters."""
    data = _common("phe-binh", unit, as_of, config, number)
    same = _same_history(items)
    data.update({
        "subject": f"phê bình việc chậm thực hiện nhiệm vụ do {office_short_name}, Chủ tịch {office_short_name} giao",
        "tasks": [_letter_task(i, office_short_name, config, with_history=not same) for i in items],
        "reminders": [{"number": f"{r.number}/{r.symbol}", "date": r.date.isoformat()} for r in _letters_of(items)],
        "explanation_by": calendar.add_working_days(as_of, config.explanation_days).isoformat(),
    })
    return data


def issue_letters(kind: str, selection, as_of: dt.date, out_dir: Path, *,
                  office, config: TasksConfig, calendar: WorkCalendar, history, db_path: Optional[Path],
                  number: Optional[str] = None, force: bool = False, pdf: bool = False,
                  jobs: int = 1) -> list[IssuedLetter]:
    """Render one letter per unit and record the numbered ones in the history.

    Every output path is checked before the first letter is written, so a
    refused overwrite never leaves half a batch behind.
    """
    from ..generate.render import render_batch  # numbers in order, rendering in ``jobs`` processes

    if kind not in ("don-doc", "phe-binh"):
        raise ConfigError(f"loại thư không hợp lệ: {kind}")
    build = reminder_data if kind == "don-doc" else criticism_data
    targets = {unit: out_dir / f"{kind}-{slug(unit)}.docx" for unit in selection}
    if not force:
        existing = [str(p) for p in targets.values() if p.exists()]
        if existing:
            raise OutputError("tệp đã tồn tại; dùng --force để ghi đè: " + ", ".join(existing))
    issued = []
    units = list(selection)
    letters = [(build(unit, selection[unit], as_of, config, calendar, office_short_name=office.short_name,
                      number=number), targets[unit]) for unit in units]

    def done(index, doc) -> None:  # in order, once each letter is in place
        unit = units[index]
        items = selection[unit]
        path = str(doc.path.resolve())
        if doc.number:  # a letter written again to its file replaces its entries in the history
            record_letters(history, [LetterRecord(i.status.task.id, kind, doc.number, doc.symbol, doc.date, unit,
                                                  path) for i in items])
            SENT.remember(Path(path), db_path)
        else:  # drafts are not letters sent; a draft written over a letter takes its entries away
            forget_letter(history, kind, path)
        issued.append(IssuedLetter(kind, unit, len(items), doc.path, doc.number, doc.symbol, doc.date))

    render_batch(kind, letters, office=office, db_path=db_path, force=force, pdf=pdf, jobs=jobs, on_done=done)
    return issued
