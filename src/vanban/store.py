"""The office's embedded SQLite database (sổ văn bản đi and the task history).

One file, opened with WAL and a busy timeout so that two vanban runs at the
same time queue instead of failing; each module creates its own tables with
``CREATE TABLE IF NOT EXISTS`` through :func:`ensure_schema`.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

DEFAULT_DB_ENV = "VANBAN_DB"
DEFAULT_DB_NAME = "vanban.sqlite3"


def default_db_path() -> Path:
    """``$VANBAN_DB`` or ``./vanban.sqlite3`` (the office's working folder)."""
    return Path(os.environ.get(DEFAULT_DB_ENV) or DEFAULT_DB_NAME)


def connect(path: str | Path | None = None) -> sqlite3.Connection:
    path = Path(path) if path else default_db_path()
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(str(path), timeout=30.0, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA journal_mode=WAL")
    # With WAL, NORMAL keeps the database consistent after a crash and skips an fsync per number.
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA busy_timeout=30000")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def ensure_schema(conn: sqlite3.Connection, ddl: str) -> None:
    """Run idempotent DDL (CREATE TABLE IF NOT EXISTS …)."""
    conn.executescript(ddl)
