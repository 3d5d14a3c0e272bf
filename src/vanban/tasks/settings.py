"""Settings of task tracking (a YAML file validated by ``tasks-config.schema.json``), with defaults."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Optional

from ..calendar import WorkCalendar, load_overrides
from ..config import load_data_file

CONFIG_SCHEMA = "tasks-config.schema.json"


@dataclass(frozen=True)
class TasksConfig:
    remind_within_days: int = 5  # remind tasks due within N working days
    criticize_after_reminders: int = 2  # criticise after K reminders without result
    explanation_days: int = 5  # written explanation due N working days after the criticism
    report_back_days: int = 5  # result reported N working days after a reminder
    criticize_wait_days: Optional[int] = None  # working days without result after the K-th reminder (default: report_back_days)
    extension_notice_days: int = 2  # seed 000, 2c
    drafting_unit: str = "TH"
    signer: str = "chu-tich"
    distribution: tuple[str, ...] = ("Chủ tịch, các Phó Chủ tịch UBND tỉnh", "Chánh Văn phòng, các Phó Chánh Văn phòng")
    report_recipients: tuple[str, ...] = ("Thường trực Tỉnh ủy", "Thường trực HĐND tỉnh")  # (b/c) in Nơi nhận
    # the rest of the report's Nơi nhận (seed 002: the leaders, the units, the communes)
    report_distribution: tuple[str, ...] = ("Chủ tịch, các PCT UBND tỉnh", "Các sở, ban, ngành thuộc UBND tỉnh",
                                            "UBND các xã, phường")
    calendar: Optional[str] = None
    source: Optional[Path] = field(default=None, compare=False)

    def rules(self, within_days: Optional[int] = None, after_reminders: Optional[int] = None):
        """The selection rules (``select.Rules``), command-line values first."""
        from .select import Rules

        wait = self.criticize_wait_days if self.criticize_wait_days is not None else self.report_back_days
        return Rules(within_days=self.remind_within_days if within_days is None else within_days,
                     after_reminders=self.criticize_after_reminders if after_reminders is None else after_reminders,
                     wait_days=wait)

    def work_calendar(self) -> WorkCalendar:
        return WorkCalendar(load_overrides(self.calendar) if self.calendar else None)


def load_tasks_config(path: str | Path | None = None) -> TasksConfig:
    """Defaults, overridden by the file when given (the calendar path is relative to the file)."""
    if path is None:
        return TasksConfig()
    path = Path(path)
    data = load_data_file(path, CONFIG_SCHEMA) or {}
    values = dict(data)
    for key in ("distribution", "report_recipients", "report_distribution"):
        if key in values:
            values[key] = tuple(values[key])
    if values.get("calendar") and not Path(values["calendar"]).is_absolute():
        values["calendar"] = str(path.parent / values["calendar"])
    return replace(TasksConfig(), source=path, **values)
