"""The outgoing-document register (sổ văn bản đi) in SQLite.

A number is taken and recorded inside one ``BEGIN IMMEDIATE`` transaction that
also covers writing the document: two runs at the same time queue on the
write lock and never get the same number, and a failed write rolls the number
back, so the register has no holes from failed runs.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..errors import ConfigError, OutputError
from ..store import connect, ensure_schema

SERIES_REGULAR = "thuong"
SERIES_SECRET = "mat"

DDL = """
CREATE TABLE IF NOT EXISTS outgoing (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    year INTEGER NOT NULL,
    series TEXT NOT NULL,
    number INTEGER NOT NULL,
    symbol TEXT NOT NULL,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    date TEXT NOT NULL,
    recipients TEXT NOT NULL,
    path TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (year, series, number)
);
"""


@dataclass(frozen=True)
class OutgoingEntry:
    year: int
    series: str
    number: int
    symbol: str
    kind: str
    subject: str
    date: dt.date
    recipients: str
    path: str
    created_at: str

    @property
    def number_symbol(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


def open_register(db_path: Path | None) -> sqlite3.Connection:
    try:
        conn = connect(db_path)
        ensure_schema(conn, DDL)
    except sqlite3.DatabaseError as exc:
        raise OutputError(f"không mở được sổ văn bản đi ({exc})", db_path) from None
    return conn


def series_for(secrecy: Optional[str], secret_series: bool) -> str:
    """Secret documents take their own series when the office keeps one."""
    return SERIES_SECRET if (secrecy and secret_series) else SERIES_REGULAR


def _next_number(conn: sqlite3.Connection, year: int, series: str) -> int:
    row = conn.execute("SELECT MAX(number) FROM outgoing WHERE year = ? AND series = ?", (year, series)).fetchone()
    return (row[0] or 0) + 1


def peek_next(db_path: Path | None, year: int, series: str = SERIES_REGULAR) -> int:
    conn = open_register(db_path)
    try:
        return _next_number(conn, year, series)
    finally:
        conn.close()


@dataclass
class Reservation:
    """A number held inside an open transaction until :meth:`record` or rollback."""

    conn: sqlite3.Connection
    year: int
    series: str
    number: int
    recorded: bool = False

    def record(self, *, symbol: str, kind: str, subject: str, date: dt.date, recipients: list[str],
               path: Path) -> None:
        self.conn.execute(
            "INSERT INTO outgoing (year, series, number, symbol, kind, subject, date, recipients, path, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (self.year, self.series, self.number, symbol, kind, subject, date.isoformat(),
             "; ".join(recipients), str(path), dt.datetime.now().isoformat(timespec="seconds")),
        )
        self.recorded = True


@contextmanager
def reserve_number(db_path: Path | None, year: int, series: str, *, max_per_year: Optional[int] = None) -> Iterator[Reservation]:
    """Hold the next number of ``year``/``series`` while the caller writes the document.

    The caller calls ``reservation.record(...)`` once the file is in place; on
    any exception the transaction is rolled back and the number stays free.
    """
    conn = open_register(db_path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        number = _next_number(conn, year, series)
        if max_per_year is not None and number > max_per_year:
            raise ConfigError(f"sổ văn bản năm {year} đã hết số (tối đa {max_per_year})", db_path)
        reservation = Reservation(conn, year, series, number)
        yield reservation
        if reservation.recorded:
            conn.execute("COMMIT")
        else:
            conn.execute("ROLLBACK")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    finally:
        conn.close()


def list_entries(db_path: Path | None, year: Optional[int] = None) -> list[OutgoingEntry]:
    conn = open_register(db_path)
    try:
        sql = "SELECT * FROM outgoing"
        args: tuple = ()
        if year is not None:
            sql += " WHERE year = ?"
            args = (year,)
        sql += " ORDER BY year, series, number"
        return [OutgoingEntry(r["year"], r["series"], r["number"], r["symbol"], r["kind"], r["subject"],
                              dt.date.fromisoformat(r["date"]), r["recipients"], r["path"], r["created_at"])
                for r in conn.execute(sql, args)]
    finally:
        conn.close()
