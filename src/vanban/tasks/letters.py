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
from ..text import fold
from .history import LetterRecord, record_letters
from .select import Selected
from .settings import TasksConfig


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


def _letter_task(item: Selected, office_short_name: str) -> dict:
    st = item.status
    task = st.task
    return {"source": f"{task.assigning_document} của {office_short_name}", "content": task.content,
            "deadline": st.effective_deadline.isoformat() if st.effective_deadline else None,
            "status": st.letter_label, "overdue_days": st.overdue_days}


def _common(kind: str, unit: str, as_of: dt.date, config: TasksConfig, number: Optional[str]) -> dict:
    data = {"date": as_of.isoformat(), "recipients": [unit], "distribution": ["Như trên", *config.distribution],
            "unit": config.drafting_unit, "signer": config.signer, "unit_name": unit}
    if number:
        data["number"] = number
    return data


def reminder_data(unit: str, items: list[Selected], as_of: dt.date, config: TasksConfig,
                  calendar: WorkCalendar, *, office_short_name: str, number: Optional[str] = None) -> dict:
    """The ``don-doc`` data of one unit (contract in the task brief)."""
    data = _common("don-doc", unit, as_of, config, number)
    data.update({
        "subject": f"đôn đốc thực hiện nhiệm vụ do {office_short_name}, Chủ tịch {office_short_name} giao",
        "tasks": [_letter_task(i, office_short_name) for i in items],
        "report_by": calendar.add_working_days(as_of, config.report_back_days).isoformat(),
    })
    return data


def criticism_data(unit: str, items: list[Selected], as_of: dt.date, config: TasksConfig,
                   calendar: WorkCalendar, *, office_short_name: str, number: Optional[str] = None) -> dict:
    """The ``phe-binh`` data of one unit; earlier reminders listed once each, oldest first."""
    reminders: dict[tuple[str, str], dt.date] = {}
    for item in items:
        for letter in item.reminders:
            if letter.number:
                reminders[(f"{letter.number}/{letter.symbol}", letter.date.isoformat())] = letter.date
    data = _common("phe-binh", unit, as_of, config, number)
    data.update({
        "subject": f"phê bình việc chậm thực hiện nhiệm vụ do {office_short_name}, Chủ tịch {office_short_name} giao",
        "tasks": [_letter_task(i, office_short_name) for i in items],
        "reminders": [{"number": num, "date": iso} for (num, iso), _ in sorted(reminders.items(), key=lambda kv: kv[1])],
        "explanation_by": calendar.add_working_days(as_of, config.explanation_days).isoformat(),
    })
    return data


def issue_letters(kind: str, selection: dict[str, list[Selected]], as_of: dt.date, out_dir: Path, *,
                  office, config: TasksConfig, calendar: WorkCalendar, history, db_path: Optional[Path],
                  number: Optional[str] = None, force: bool = False, pdf: bool = False) -> list[IssuedLetter]:
    """Render one letter per unit and record the numbered ones in the history.

    Every output path is checked before the first letter is written, so a
    refused overwrite never leaves half a batch behind.
    """
    from ..generate import render_document  # the generator's public API

    if kind not in ("don-doc", "phe-binh"):
        raise ConfigError(f"loại thư không hợp lệ: {kind}")
    build = reminder_data if kind == "don-doc" else criticism_data
    targets = {unit: out_dir / f"{kind}-{slug(unit)}.docx" for unit in selection}
    if not force:
        existing = [str(p) for p in targets.values() if p.exists()]
        if existing:
            raise OutputError("tệp đã tồn tại; dùng --force để ghi đè: " + ", ".join(existing))
    issued = []
    for unit, items in selection.items():
        data = build(unit, items, as_of, config, calendar, office_short_name=office.short_name, number=number)
        doc = render_document(kind, data, targets[unit], office=office, db_path=db_path, force=force, pdf=pdf)
        if doc.number:  # drafts (no number) are not letters sent
            record_letters(history, [LetterRecord(i.status.task.id, kind, doc.number, doc.symbol, doc.date, unit,
                                                  str(doc.path)) for i in items])
        issued.append(IssuedLetter(kind, unit, len(items), doc.path, doc.number, doc.symbol, doc.date))
    return issued
