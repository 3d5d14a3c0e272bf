"""The outgoing-document register (sổ văn bản đi) in SQLite.

A number and its document are one transaction, written ahead:

1. ``reserve_number`` takes the next number under ``BEGIN IMMEDIATE`` (two runs
   at the same time queue on the write lock and never get the same number) and
   records it at once as *pending*, with the target file, the process and the
   time;
2. the caller writes the document (temp file, PDF, rename);
3. ``Reservation.record`` marks the number *used*; an error in step 2 deletes
   the pending row, so the number is free again.

A run killed in step 2 (``kill -9``, power cut) leaves a pending row whose
process is gone. The next run that opens the register settles it: if the
target file was published by that run (it is there, written after the
number was taken) the number is used; otherwise the row is deleted, with the
half-made temp file and PDF the run left beside the target. So no file carries
a number the register does not have, and no number stays taken without its
file.

Writing the same file again (``--force``) keeps its number (same year and
series); a number leaves the register only by ``release`` (``vanban register
release``), which keeps the row, marked released, or with its file when the
command that made the file fails (``outfiles.discard_created`` removes what
the run created; the number goes with it). ``unused_numbers`` lists the
numbers below the last one that name no document (released, or never used).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import socket
import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Optional

from ..errors import ConfigError, OutputError
from ..store import connect, ensure_schema

SERIES_REGULAR = "thuong"
SERIES_SECRET = "mat"
USED, PENDING, RELEASED = "used", "pending", "released"
STALE_AFTER = dt.timedelta(hours=6)  # a pending row this old is settled even if its process id lives on

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
    status TEXT NOT NULL DEFAULT 'used',
    pid INTEGER,
    host TEXT,
    released_at TEXT,
    release_reason TEXT,
    UNIQUE (year, series, number)
);
"""
# columns added after the first release (older registers get them in place: _migrate)
COLUMNS = {"status": f"TEXT NOT NULL DEFAULT '{USED}'", "pid": "INTEGER", "host": "TEXT",
           "released_at": "TEXT", "release_reason": "TEXT"}


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
    status: str = USED
    released_at: Optional[str] = None
    release_reason: Optional[str] = None

    @property
    def number_symbol(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


INDEXES = {"outgoing_status": "outgoing(status)", "outgoing_path": "outgoing(path)"}


def _missing(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    have = {row["name"] for row in conn.execute("PRAGMA table_info(outgoing)")}
    indexes = {row["name"] for row in conn.execute("PRAGMA index_list(outgoing)")}
    return [c for c in COLUMNS if c not in have], [i for i in INDEXES if i not in indexes]


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a register of an earlier version up to date (columns of the pending step, the indexes);
    under the write lock, so two runs opening it at once do not both add a column."""
    if not any(_missing(conn)):
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        columns, indexes = _missing(conn)
        for name in columns:
            conn.execute(f"ALTER TABLE outgoing ADD COLUMN {name} {COLUMNS[name]}")
        for name in indexes:
            conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {INDEXES[name]}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


_READY: set[str] = set()  # registers whose schema this process has already made current


def open_register(db_path: Path | None) -> sqlite3.Connection:
    try:
        conn = connect(db_path)
        key = str(Path(db_path).resolve()) if db_path else ""
        if key not in _READY or not Path(key).exists():
            ensure_schema(conn, DDL)
            _migrate(conn)
            if key:
                _READY.add(key)
        _settle_interrupted(conn)
    except sqlite3.DatabaseError as exc:
        raise OutputError(f"không mở được sổ văn bản đi ({exc})", db_path) from None
    return conn


def series_for(secrecy: Optional[str], secret_series: bool) -> str:
    """Secret documents take their own series when the office keeps one."""
    return SERIES_SECRET if (secrecy and secret_series) else SERIES_REGULAR


# ---------------------------------------------------------------- interrupted runs

def _alive(pid: Optional[int], host: Optional[str]) -> bool:
    if host != socket.gethostname():
        return True  # another machine's run (a shared folder): settled once STALE_AFTER has passed
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _written_since(path: Path, since: dt.datetime) -> bool:
    try:
        return dt.datetime.fromtimestamp(path.stat().st_mtime) >= since - dt.timedelta(seconds=2)
    except OSError:
        return False


def _leftovers(target: Path, since: dt.datetime, busy_folders: set[Path]) -> list[Path]:
    """What a run writing ``target`` leaves beside it when killed: its temp files (``outfiles.temp_beside``),
    its PDF, and the work folder of its PDF conversion (``pdf.docx_to_pdf``, a numbered copy inside) unless
    another run is writing in the same folder."""
    found = [p for p in target.parent.glob(f".{target.name}.*") if _written_since(p, since)]
    pdf = target.with_suffix(".pdf")
    if _written_since(pdf, since):
        found.append(pdf)
    if target.parent not in busy_folders:
        found += [p for p in target.parent.glob("vanban-pdf-*") if p.is_dir() and _written_since(p, since)]
    return found


def _settle_interrupted(conn: sqlite3.Connection) -> None:
    """Settle the pending numbers of runs that died while writing (see the module's docstring)."""
    rows = conn.execute(f"SELECT id, path, pid, host, created_at FROM outgoing WHERE status = '{PENDING}'").fetchall()
    now = dt.datetime.now()
    dead, busy = [], set()
    for row in rows:
        since = dt.datetime.fromisoformat(row["created_at"])
        if _alive(row["pid"], row["host"]) and now - since < STALE_AFTER:
            busy.add(Path(row["path"]).parent)
        else:
            dead.append((row, since))
    for row, since in dead:
        if not row["path"]:  # a number held without a file name: nothing on disk to look at
            conn.execute("DELETE FROM outgoing WHERE id = ? AND status = ?", (row["id"], PENDING))
            continue
        target = Path(row["path"])
        unfinished = [p for p in target.parent.glob(f".{target.name}.*") if _written_since(p, since)]
        if _written_since(target, since) and not unfinished:
            conn.execute(f"UPDATE outgoing SET status = '{USED}', pid = NULL, host = NULL WHERE id = ?", (row["id"],))
            continue
        for leftover in _leftovers(target, since, busy):
            if leftover.is_dir():
                shutil.rmtree(leftover, ignore_errors=True)
            else:
                leftover.unlink(missing_ok=True)
        conn.execute("DELETE FROM outgoing WHERE id = ? AND status = ?", (row["id"], PENDING))


# ---------------------------------------------------------------- numbers

def _next_number(conn: sqlite3.Connection, year: int, series: str) -> int:
    row = conn.execute("SELECT MAX(number) FROM outgoing WHERE year = ? AND series = ?", (year, series)).fetchone()
    return (row[0] or 0) + 1


def peek_next(db_path: Path | None, year: int, series: str = SERIES_REGULAR) -> int:
    conn = open_register(db_path)
    try:
        return _next_number(conn, year, series)
    finally:
        conn.close()


def entry_for_path(conn: sqlite3.Connection, path: Path) -> Optional[sqlite3.Row]:
    """The used number that names the file ``path``, if any."""
    return conn.execute(f"SELECT * FROM outgoing WHERE path = ? AND status IN ('{USED}', '{PENDING}') "
                        "ORDER BY id DESC LIMIT 1", (str(Path(path).resolve()),)).fetchone()


def _release_hint(row) -> str:
    secret = " --secret" if row["series"] == SERIES_SECRET else ""
    return f"vanban register release {row['number']} --year {row['year']}{secret}"


def refuse_to_unnumber(db_path: Path | None, path: Path) -> None:
    """A draft or a fixed number must not be written over a file the register numbers (its number would
    name no document)."""
    if not Path(path).exists() or db_path is None or not Path(db_path).is_file():
        return  # no register yet: it numbers nothing (and is not created just to be asked)
    conn = open_register(db_path)
    try:
        row = entry_for_path(conn, path)
    finally:
        conn.close()
    if row is not None:
        raise OutputError(f"tệp đang mang số {row['number']:02d}/{row['symbol']} trong sổ văn bản đi; ghi lại với "
                          f"--number auto để giữ số này, hoặc giải phóng số trước: {_release_hint(row)}", path)


class Discarded:
    """Files this process recorded in a SQLite file: when a failed command removes the files it created
    (``outfiles.discard_created``), their rows go too (``sql``, one parameter: the resolved path)."""

    def __init__(self, opener, sql: str):
        self.opener, self.sql, self.paths = opener, sql, {}

    def remember(self, path: Path, db_path: Path | None) -> None:
        from ..outfiles import on_discard

        self.paths[str(Path(path).resolve())] = db_path
        on_discard(self.forget)

    def forget(self, removed: list[Path]) -> None:
        for path in removed:
            key = str(Path(path).resolve())
            if key in self.paths:
                conn = self.opener(self.paths.pop(key))
                try:
                    with conn:
                        conn.execute(self.sql, (key,))
                finally:
                    conn.close()


# a new number goes with its file when the command that wrote it fails: no number is left naming nothing
_NUMBERED = Discarded(open_register, f"DELETE FROM outgoing WHERE path = ? AND status = '{USED}'")


@dataclass
class Reservation:
    """A number held for one document until :meth:`record` (used) or an error (freed)."""

    conn: sqlite3.Connection
    year: int
    series: str
    number: int
    row_id: int
    reused: bool = False  # the file already had this number (written again)
    recorded: bool = False
    db_path: Path | None = None

    def record(self, *, symbol: str, kind: str, subject: str, date: dt.date, recipients: list[str],
               path: Path) -> None:
        target = str(Path(path).resolve())
        self.conn.execute(
            f"UPDATE outgoing SET symbol = ?, kind = ?, subject = ?, date = ?, recipients = ?, path = ?, "
            f"status = '{USED}', pid = NULL, host = NULL WHERE id = ?",
            (symbol, kind, subject, date.isoformat(), "; ".join(recipients), target, self.row_id))
        self.recorded = True
        if not self.reused:
            _NUMBERED.remember(Path(target), self.db_path)


@contextmanager
def reserve_number(db_path: Path | None, year: int, series: str, *, max_per_year: Optional[int] = None,
                   path: Path | None = None, symbol: str = "", kind: str = "", subject: str = "",
                   date: Optional[dt.date] = None, recipients: tuple[str, ...] | list[str] = ()
                   ) -> Iterator[Reservation]:
    """Hold a number for the document written to ``path`` while the caller writes it.

    The file already numbered in this year and series keeps its number. The
    caller calls ``reservation.record(...)`` once the file is in place; without
    it, or on any exception, a new number is freed again (a kept one stays with
    its file).
    """
    conn = open_register(db_path)
    target = str(Path(path).resolve()) if path is not None else ""
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = entry_for_path(conn, Path(target)) if target else None
        if row is not None and row["status"] == USED:
            if (row["year"], row["series"]) != (year, series):
                raise ConfigError(
                    f"tệp {target} đã mang số {row['number']:02d}/{row['symbol']} năm {row['year']} trong sổ văn "
                    f"bản đi; văn bản ghi lại phải cùng năm và cùng sổ, hoặc giải phóng số cũ trước: "
                    f"{_release_hint(row)}", db_path)
            reservation = Reservation(conn, year, series, row["number"], row["id"], reused=True, db_path=db_path)
        else:
            number = _next_number(conn, year, series)
            if max_per_year is not None and number > max_per_year:
                raise ConfigError(f"sổ văn bản năm {year} đã hết số (tối đa {max_per_year})", db_path)
            cursor = conn.execute(
                "INSERT INTO outgoing (year, series, number, symbol, kind, subject, date, recipients, path, "
                "created_at, status, pid, host) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (year, series, number, symbol, kind, subject, (date or dt.date.today()).isoformat(),
                 "; ".join(recipients), target, dt.datetime.now().isoformat(timespec="microseconds"), PENDING,
                 os.getpid(), socket.gethostname()))
            reservation = Reservation(conn, year, series, number, cursor.lastrowid, db_path=db_path)
        conn.execute("COMMIT")  # the number is held (pending): other runs take the next one meanwhile
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
        raise
    try:
        yield reservation
    finally:
        if not reservation.reused:  # not recorded: the number is free again
            conn.execute("DELETE FROM outgoing WHERE id = ? AND status = ?", (reservation.row_id, PENDING))
        conn.close()


# ---------------------------------------------------------------- listing and releasing

def _entry(r: sqlite3.Row) -> OutgoingEntry:
    return OutgoingEntry(r["year"], r["series"], r["number"], r["symbol"], r["kind"], r["subject"],
                         dt.date.fromisoformat(r["date"]), r["recipients"], r["path"], r["created_at"], r["status"],
                         r["released_at"], r["release_reason"])


def list_entries(db_path: Path | None, year: Optional[int] = None, *, released: bool = False
                 ) -> list[OutgoingEntry]:
    """The numbers used (with ``released``: the released ones too), by year, series and number."""
    conn = open_register(db_path)
    try:
        states = (USED, RELEASED) if released else (USED,)
        sql = f"SELECT * FROM outgoing WHERE status IN ({', '.join('?' * len(states))})"
        args: tuple = states
        if year is not None:
            sql += " AND year = ?"
            args += (year,)
        sql += " ORDER BY year, series, number"
        return [_entry(r) for r in conn.execute(sql, args)]
    finally:
        conn.close()


def unused_numbers(db_path: Path | None, year: int, series: str = SERIES_REGULAR) -> list[int]:
    """Numbers below the last one taken that name no document: released, or never used."""
    conn = open_register(db_path)
    try:
        used = {r[0] for r in conn.execute("SELECT number FROM outgoing WHERE year = ? AND series = ? AND status IN "
                                           f"('{USED}', '{PENDING}')", (year, series))}
        last = _next_number(conn, year, series) - 1
    finally:
        conn.close()
    return [n for n in range(1, last + 1) if n not in used]


def release_number(db_path: Path | None, year: int, number: int, series: str = SERIES_REGULAR,
                   reason: str = "") -> OutgoingEntry:
    """Mark a used number released (the document was not issued); the row stays, the number is not
    given again automatically."""
    conn = open_register(db_path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        row = conn.execute("SELECT * FROM outgoing WHERE year = ? AND series = ? AND number = ?",
                           (year, series, number)).fetchone()
        if row is None or row["status"] == PENDING:
            conn.execute("ROLLBACK")
            raise ConfigError(f"sổ văn bản đi năm {year} không có số {number:02d} đã cấp", db_path)
        if row["status"] == RELEASED:
            conn.execute("ROLLBACK")
            when = dt.datetime.fromisoformat(row["released_at"])
            raise ConfigError(f"số {number:02d}/{row['symbol']} năm {year} đã được giải phóng ngày "
                              f"{when:%d/%m/%Y} lúc {when:%H:%M}", db_path)
        conn.execute(f"UPDATE outgoing SET status = '{RELEASED}', released_at = ?, release_reason = ? WHERE id = ?",
                     (dt.datetime.now().isoformat(timespec="seconds"), reason or None, row["id"]))
        conn.execute("COMMIT")
        return _entry(conn.execute("SELECT * FROM outgoing WHERE id = ?", (row["id"],)).fetchone())
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        conn.close()
