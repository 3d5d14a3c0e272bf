"""Evaluating the work programme (chương trình công tác, seed 000 point 3c).

Items due in the period; of those, submitted (a submission date on or before
the as-of day), issued (an issue date on or before it) and not submitted; the
ratios submitted/due and issued/due, per unit and overall.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

import jsonschema

from ..config import describe_validation_error
from ..resources import load_schema
from ..text import fold
from .model import RowProblem
from .period import Period
from .register import raw_rows
from .report import vn_number, vn_percent
from .values import BadValue, clean_text, parse_date

TOTAL_LABEL = "Tổng cộng"
FIELD_LABELS = {"due": "Thời gian trình", "submitted": "Ngày trình", "issued": "Ngày ban hành"}


@dataclass(frozen=True)
class ProgrammeItem:
    content: str
    unit: str
    due: dt.date
    submitted: Optional[dt.date] = None
    issued: Optional[dt.date] = None
    symbol: Optional[str] = None
    note: Optional[str] = None
    source: str = ""


@dataclass
class ProgrammeCounts:
    unit: str
    due: int = 0
    submitted: int = 0
    issued: int = 0

    @property
    def not_submitted(self) -> int:
        return self.due - self.submitted

    @property
    def submitted_rate(self) -> float:
        return round(100.0 * self.submitted / self.due, 1) if self.due else 0.0

    @property
    def issued_rate(self) -> float:
        return round(100.0 * self.issued / self.due, 1) if self.due else 0.0

    def sentence(self) -> str:
        return (f"{vn_number(self.due)} nội dung phải trình, đã trình {vn_number(self.submitted)} "
                f"(tỷ lệ {vn_percent(self.submitted_rate)}), đã ban hành {vn_number(self.issued)} "
                f"(tỷ lệ {vn_percent(self.issued_rate)}), chưa trình {vn_number(self.not_submitted)}")


@dataclass(frozen=True)
class ProgrammeEvaluation:
    period: Period
    as_of: dt.date
    units: tuple[ProgrammeCounts, ...]
    overall: ProgrammeCounts
    not_submitted: tuple[ProgrammeItem, ...]
    problems: tuple[RowProblem, ...] = field(default_factory=tuple)


def load_programme(path: str | Path) -> tuple[list[ProgrammeItem], list[RowProblem]]:
    validator = jsonschema.Draft202012Validator(load_schema("programme.schema.json"),
                                                format_checker=jsonschema.FormatChecker())
    items, problems = [], []
    for where, raw in raw_rows(path, "programme"):
        record, errors = {}, []
        for name, value in raw.items():
            if name in ("due", "submitted", "issued"):
                try:
                    day = parse_date(value, month_end=True)
                except BadValue as exc:
                    errors.append(f"cột '{FIELD_LABELS[name]}': {exc}")
                    continue
                record[name] = day.isoformat() if day else None
            else:
                record[name] = clean_text(value)
        if not errors:
            errors = [describe_validation_error(e) for e in validator.iter_errors(
                {k: v for k, v in record.items() if v is not None or k in ("submitted", "issued")})]
        if errors:
            problems.append(RowProblem(where, "; ".join(errors)))
            continue
        day = {k: dt.date.fromisoformat(record[k]) if record.get(k) else None for k in ("due", "submitted", "issued")}
        items.append(ProgrammeItem(record["content"], record["unit"], day["due"], day["submitted"], day["issued"],
                                   record.get("symbol"), record.get("note"), where))
    return items, problems


def evaluate_programme(items: list[ProgrammeItem], period: Period, as_of: Optional[dt.date] = None,
                       problems: tuple[RowProblem, ...] = ()) -> ProgrammeEvaluation:
    as_of = as_of or period.end
    per_unit: dict[str, ProgrammeCounts] = {}
    overall = ProgrammeCounts(TOTAL_LABEL)
    missing = []
    for item in sorted(items, key=lambda i: (fold(i.unit), i.due)):
        if not period.contains(item.due):
            continue
        counts = per_unit.setdefault(item.unit, ProgrammeCounts(item.unit))
        submitted = item.submitted is not None and item.submitted <= as_of
        # an issued document was necessarily submitted, even when the register left the date out
        issued = item.issued is not None and item.issued <= as_of
        for c in (counts, overall):
            c.due += 1
            c.submitted += submitted or issued
            c.issued += issued
        if not (submitted or issued):
            missing.append(item)
    return ProgrammeEvaluation(period, as_of, tuple(per_unit.values()), overall, tuple(missing), tuple(problems))
