"""The task history in the office's SQLite file (next to the outgoing register).

``tasks_task`` keeps every task imported (by its stable id) and when it was
seen; ``tasks_letter`` keeps which reminder (don-doc) or criticism (phe-binh)
letters were sent for which task: number, symbol, date, file.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from ..store import connect, ensure_schema
from .model import Task

DDL = """
CREATE TABLE IF NOT EXISTS tasks_task (
    id TEXT PRIMARY KEY,
    symbol TEXT NOT NULL,
    issued TEXT NOT NULL,
    unit TEXT NOT NULL,
    content TEXT NOT NULL,
    deadline TEXT,
    completed TEXT,
    source_file TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tasks_letter (
    letter_id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT NOT NULL REFERENCES tasks_task(id),
    kind TEXT NOT NULL CHECK (kind IN ('don-doc', 'phe-binh')),
    number TEXT,
    symbol TEXT NOT NULL,
    date TEXT NOT NULL,
    unit TEXT NOT NULL,
    path TEXT
);
CREATE INDEX IF NOT EXISTS tasks_letter_task ON tasks_letter(task_id, kind);
"""


@dataclass(frozen=True)
class LetterRecord:
    task_id: str
    kind: str  # don-doc | phe-binh
    number: Optional[str]
    symbol: str
    date: dt.date
    unit: str
    path: Optional[str]


def open_history(db_path: str | Path | None) -> sqlite3.Connection:
    conn = connect(db_path)
    ensure_schema(conn, DDL)
    return conn


def import_tasks(conn: sqlite3.Connection, tasks: Iterable[Task], source_file: str) -> int:
    """Insert new tasks and refresh known ones; returns how many were new."""
    now = dt.datetime.now().isoformat(timespec="seconds")
    before = conn.execute("SELECT COUNT(*) FROM tasks_task").fetchone()[0]
    rows = [(t.id, t.symbol, t.issued.isoformat(), t.unit, t.content,
             t.deadline.isoformat() if t.deadline else None, t.completed.isoformat() if t.completed else None,
             source_file, now, now) for t in tasks]
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(
            """INSERT INTO tasks_task (id, symbol, issued, unit, content, deadline, completed, source_file,
                                       first_seen, last_seen)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT(id) DO UPDATE SET deadline = excluded.deadline, completed = excluded.completed,
                   source_file = excluded.source_file, last_seen = excluded.last_seen""", rows)
    return conn.execute("SELECT COUNT(*) FROM tasks_task").fetchone()[0] - before


def record_letters(conn: sqlite3.Connection, letters: Iterable[LetterRecord]) -> None:
    """Record the tasks of letters sent. A letter written again to the same file (``--force``) replaces
    its entries instead of counting as one more letter."""
    letters = list(letters)
    with conn:
        conn.execute("BEGIN IMMEDIATE")
        for kind, path in {(r.kind, r.path) for r in letters if r.path}:
            conn.execute("DELETE FROM tasks_letter WHERE kind = ? AND path = ?", (kind, path))
        conn.executemany(
            "INSERT INTO tasks_letter (task_id, kind, number, symbol, date, unit, path) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(r.task_id, r.kind, r.number, r.symbol, r.date.isoformat(), r.unit, r.path) for r in letters])


def forget_letter(conn: sqlite3.Connection, kind: str, path: str) -> None:
    with conn:
        conn.execute("DELETE FROM tasks_letter WHERE kind = ? AND path = ?", (kind, path))


def forget_released(db_path: str | Path | None, number_symbol: str, year: int) -> int:
    """Take a released letter (``07/UBND-TH`` of ``year``) out of the history: it was never sent."""
    number, _, symbol = number_symbol.partition("/")
    conn = open_history(db_path)
    try:
        with conn:
            cursor = conn.execute("DELETE FROM tasks_letter WHERE number = ? AND symbol = ? AND substr(date, 1, 4) = ?",
                                  (number, symbol, f"{year:04d}"))
        return cursor.rowcount
    finally:
        conn.close()


def letters_by_task(conn: sqlite3.Connection, kind: str, up_to: Optional[dt.date] = None
                    ) -> dict[str, list[LetterRecord]]:
    """Letters of one kind sent on or before ``up_to``, per task, oldest first."""
    sql = "SELECT task_id, kind, number, symbol, date, unit, path FROM tasks_letter WHERE kind = ?"
    args: list = [kind]
    if up_to is not None:
        sql += " AND date <= ?"
        args.append(up_to.isoformat())
    out: dict[str, list[LetterRecord]] = {}
    for row in conn.execute(sql + " ORDER BY date, letter_id", args):
        out.setdefault(row["task_id"], []).append(
            LetterRecord(row["task_id"], row["kind"], row["number"], row["symbol"],
                         dt.date.fromisoformat(row["date"]), row["unit"], row["path"]))
    return out
