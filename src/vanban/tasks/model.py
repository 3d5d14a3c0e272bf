"""Plain data passed between the steps of task tracking.

    register file ──register.load_register──▶ RegisterLoad[Task]
    Task ──status.task_status(as_of)──▶ TaskStatus ──select──▶ letters / report
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from typing import Optional


class Category(str, Enum):
    """The six statuses of official reporting (seed 002; DOMAIN §3)."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS_ON_TIME = "in_progress_on_time"
    IN_PROGRESS_OVERDUE = "in_progress_overdue"
    NOT_STARTED = "not_started"
    NO_DEADLINE = "no_deadline"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]


CATEGORY_LABELS = {
    Category.DONE_ON_TIME: "hoàn thành đúng hạn",
    Category.DONE_LATE: "hoàn thành quá hạn",
    Category.IN_PROGRESS_ON_TIME: "đang thực hiện trong hạn",
    Category.IN_PROGRESS_OVERDUE: "đang thực hiện quá hạn",
    Category.NOT_STARTED: "chưa thực hiện",
    Category.NO_DEADLINE: "không có thời hạn",
}


@dataclass(frozen=True, slots=True)
class Task:
    """One row of the register (seed 002, Điều 5), already validated."""

    id: str
    symbol: str
    issued: dt.date
    unit: str
    content: str
    doc_type: Optional[str] = None
    summary: Optional[str] = None
    signer: Optional[str] = None
    proposer: Optional[str] = None
    coordinators: tuple[str, ...] = ()
    deadline: Optional[dt.date] = None
    completed: Optional[dt.date] = None
    result: Optional[str] = None
    extension_requested: Optional[dt.date] = None
    extension_reason: Optional[str] = None
    new_deadline: Optional[dt.date] = None
    note: Optional[str] = None
    source: str = ""  # "Sheet1, dòng 7": where the row came from

    @property
    def assigning_document(self) -> str:
        """``Quyết định số 15/QĐ-UBND ngày 05/01/2026`` (the type when known)."""
        kind = (self.doc_type or "Văn bản").strip()
        return f"{kind} số {self.symbol} ngày {self.issued.day:02d}/{self.issued.month:02d}/{self.issued.year}"


@dataclass(frozen=True)
class RowProblem:
    """A row that was not taken: where, and why (Vietnamese)."""

    where: str  # "Trang tính 'Sổ', dòng 12"
    message: str
    refused_secret: bool = False

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class RegisterLoad:
    path: str
    tasks: tuple[Task, ...]
    problems: tuple[RowProblem, ...] = ()

    @property
    def refused_secret(self) -> tuple[RowProblem, ...]:
        return tuple(p for p in self.problems if p.refused_secret)


@dataclass(frozen=True, slots=True)
class TaskStatus:
    """A task seen on a given day."""

    task: Task
    as_of: dt.date
    category: Category
    effective_deadline: Optional[dt.date]  # after a timely extension, rolled to a working day
    overdue_days: Optional[int]  # working days past the deadline (None when not overdue)
    days_left: Optional[int]  # working days until the deadline (None when done, overdue or no deadline)
    started: bool
    extension_applied: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def done(self) -> bool:
        return self.category in (Category.DONE_ON_TIME, Category.DONE_LATE)

    @property
    def overdue(self) -> bool:
        return self.category in (Category.DONE_LATE, Category.IN_PROGRESS_OVERDUE)

    @property
    def letter_label(self) -> str:
        """How the task's state reads in a letter (the template adds "(quá hạn N ngày)")."""
        if self.category is Category.IN_PROGRESS_OVERDUE:
            return "đang thực hiện, chưa hoàn thành" if self.started else "chưa thực hiện, chưa hoàn thành"
        if self.category in (Category.IN_PROGRESS_ON_TIME, Category.NOT_STARTED) and self.days_left is not None:
            base = "đang thực hiện" if self.started else "chưa thực hiện"
            when = "đến hạn hôm nay" if self.days_left == 0 else f"còn {self.days_left} ngày làm việc đến hạn"
            return f"{base}, {when}"
        return self.category.label
