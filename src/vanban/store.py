"""The office's embedded SQLite database (sổ văn bản đi and the task history).

One file, opened with WAL and a busy timeout so that two vanban runs at the
same time queue instead of failing; each module creates its own tables with
``CREATE TABLE IF NOT EXISTS`` through :func:`ensure_schema`.

A register is an input too: before anything is written, :func:`connect` checks
that the file is a regular SQLite file (header), that it is not corrupt
(``quick_check``), that it is vanban's (application id, or the tables of an
older vanban) and of a schema version this vanban knows, and that it can be
written; ``readonly=True`` opens it for reading only (``mode=ro``), so listing
never changes a byte. :func:`ensure_schema` writes only when a table is
missing, and refuses a table of the same name with other columns. Every
failure is a Vietnamese :class:`~vanban.errors.ConfigError` naming the file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from . import guard
from .errors import ConfigError, OutputError

DEFAULT_DB_ENV = "VANBAN_DB"
DEFAULT_DB_NAME = "vanban.sqlite3"
APPLICATION_ID = 0x564E424E  # "VNBN", stamped in the header of every register vanban creates
SCHEMA_VERSION = 1  # PRAGMA user_version; a newer file is refused, an older one migrated by its module
SQLITE_HEADER = b"SQLite format 3\x00"
# tables of registers written by vanban before the application id was stamped
KNOWN_TABLES = {"outgoing", "tasks_task", "tasks_letter", "users", "sessions", "login_failures", "intakes",
                "intake_files", "register", "artifacts"}


def default_db_path() -> Path:
    """``$VANBAN_DB`` or ``./vanban.sqlite3`` (the office's working folder)."""
    return Path(os.environ.get(DEFAULT_DB_ENV) or DEFAULT_DB_NAME)


def connect(path: str | Path | None = None, *, readonly: bool = False) -> sqlite3.Connection:
    """Open the register, checked (see the module's doc); ``readonly`` never writes a byte."""
    path = Path(path) if path else default_db_path()
    exists = os.path.lexists(path)
    if exists:
        _check_file(path)
    elif readonly:
        raise ConfigError("không tìm thấy sổ (tệp cơ sở dữ liệu SQLite)", path)
    try:
        if readonly:
            conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30.0, isolation_level=None)
        else:
            if exists and not os.access(path, os.W_OK):
                raise OutputError("sổ là tệp chỉ đọc: không ghi được (cấp quyền ghi hoặc chép sang chỗ khác)", path)
            if path.parent and not path.parent.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA busy_timeout=30000")
        if exists:
            _check_identity(conn, path)
        if not readonly:
            if not exists:  # an existing file keeps its journal mode: opening it rewrites no header
                conn.execute("PRAGMA journal_mode=WAL")
            # With WAL, NORMAL keeps the database consistent after a crash and skips an fsync per number.
            conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA foreign_keys=ON")
    except sqlite3.Error as exc:
        raise ConfigError(describe_error(exc), path) from None
    except OSError as exc:
        raise OutputError(f"không tạo được sổ ({exc.strerror})", path) from None
    return conn


def _check_file(path: Path) -> None:
    guard.check_regular(path, ConfigError)
    with guard.open_regular(path, ConfigError) as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head and head != SQLITE_HEADER:
        raise ConfigError("không phải tệp cơ sở dữ liệu SQLite (sổ của vanban là tệp .sqlite3)", path)


def _check_identity(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse, before any write, a corrupt file, another program's database and a newer schema."""
    check = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
    if check != "ok":
        raise ConfigError(f"tệp sổ bị hỏng (SQLite báo: {check[:120]}); hãy dùng bản sao lưu", path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
              if not r[0].startswith("sqlite_")}
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if tables and app_id != APPLICATION_ID and not tables & KNOWN_TABLES:
        shown = ", ".join(sorted(tables)[:5])
        raise ConfigError(f"cơ sở dữ liệu không phải sổ của vanban (có các bảng {shown}); vanban không ghi vào", path)
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise ConfigError(f"sổ được tạo bởi phiên bản vanban mới hơn (lược đồ {version}, bản này hiểu đến "
                          f"{SCHEMA_VERSION}); hãy cập nhật vanban", path)


def ensure_schema(conn: sqlite3.Connection, ddl: str) -> None:
    """Create the tables of ``ddl`` that are missing (nothing is written when none is); a table of
    the same name with other columns is refused (another program's, or a damaged schema)."""
    expected = _tables_of(ddl)
    path = _db_file(conn)
    missing = []
    for table, columns in expected.items():
        have = [r[1] for r in conn.execute(f"PRAGMA table_info({_quote(table)})")]
        if not have:
            missing.append(table)
            continue
        lacking = [c for c in columns if c not in have]
        required = [c for c in lacking if c in _required_columns(ddl, table)]
        if required:
            raise ConfigError(f"bảng '{table}' của sổ khác cấu trúc vanban cần (thiếu cột {', '.join(required)}): "
                              "không phải sổ của vanban hoặc sổ đã bị sửa tay", path)
    if missing:
        try:
            conn.executescript(ddl)
            if conn.execute("PRAGMA application_id").fetchone()[0] == 0:
                conn.execute(f"PRAGMA application_id={APPLICATION_ID}")
            if conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                conn.execute(f"PRAGMA user_version={SCHEMA_VERSION}")
        except sqlite3.Error as exc:
            raise ConfigError(describe_error(exc), path) from None


_SCHEMA_CACHE: dict[str, dict[str, list[str]]] = {}


def _tables_of(ddl: str) -> dict[str, list[str]]:
    """Table → columns of ``ddl``, learnt by running it in memory."""
    if ddl not in _SCHEMA_CACHE:
        mem = sqlite3.connect(":memory:")
        try:
            mem.executescript(ddl)
            names = [r[0] for r in mem.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            _SCHEMA_CACHE[ddl] = {n: [r[1] for r in mem.execute(f"PRAGMA table_info({_quote(n)})")] for n in names}
        finally:
            mem.close()
    return _SCHEMA_CACHE[ddl]


def _required_columns(ddl: str, table: str) -> set[str]:
    """Columns a module's own migration cannot add (NOT NULL without a default, or keys)."""
    mem = sqlite3.connect(":memory:")
    try:
        mem.executescript(ddl)
        return {r[1] for r in mem.execute(f"PRAGMA table_info({_quote(table)})")
                if (r[3] and r[4] is None) or r[5]}
    finally:
        mem.close()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _db_file(conn: sqlite3.Connection) -> str | None:
    row = conn.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else None


def describe_error(exc: sqlite3.Error) -> str:
    """An SQLite error as a clerk can act on it."""
    text = str(exc).lower()
    if "not a database" in text:
        return "không phải tệp cơ sở dữ liệu SQLite"
    if "malformed" in text or "corrupt" in text:
        return "tệp sổ bị hỏng; hãy dùng bản sao lưu"
    if "readonly" in text or "read-only" in text:
        return "sổ là tệp chỉ đọc (hoặc nằm trong thư mục chỉ đọc): không ghi được"
    if "locked" in text or "busy" in text:
        return "sổ đang bị chương trình khác khóa quá lâu; thử lại sau"
    if "no such table" in text or "no such column" in text or "has no column" in text:
        return f"sổ khác cấu trúc vanban cần ({exc}); không phải sổ của vanban hoặc đã bị sửa tay"
    if "disk" in text and "full" in text:
        return "ổ đĩa đầy: không ghi được sổ"
    if "unable to open" in text:
        return "không mở được tệp sổ (thư mục không tồn tại hoặc không có quyền)"
    return f"lỗi cơ sở dữ liệu SQLite ({exc})"
