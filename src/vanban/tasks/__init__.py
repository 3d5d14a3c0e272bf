"""Task tracking (seed 002): the register, status as of a date, reminders, criticism, reports.

    register file ──register.load_register──▶ [Task] ──status.task_status(as_of)──▶ [TaskStatus]
        ──select──▶ letters (don-doc, phe-binh through vanban.generate)
        ──report.build_report──▶ TaskReport ──▶ .docx (bao-cao-nhiem-vu) · .xlsx · chart .png
"""

from .model import Category, RegisterLoad, RowProblem, Task, TaskStatus
from .period import Period, parse_period
from .register import load_register
from .report import Counts, TaskReport, build_report, overdue_sentence
from .status import effective_deadline, task_status

__all__ = ["Category", "Counts", "Period", "RegisterLoad", "RowProblem", "Task", "TaskReport", "TaskStatus",
           "build_report", "effective_deadline", "load_register", "overdue_sentence", "parse_period",
           "task_status"]
