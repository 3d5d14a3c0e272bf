"""The web application's own storage: one SQLite file and a folder of content-addressed blobs.

Everything a user uploads or downloads is a blob stored under its SHA-256 (``blobs/ab/abcd…``):
no file name a user chose ever becomes a path on disk, and nothing stored is executed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import sqlite3
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

from ..store import connect, ensure_schema
from ..text import fold

DB_NAME = "vanban-web.sqlite3"
SESSION_HOURS = 8  # a working day: then sign in again
ROLES = {"chuyen_vien": "Chuyên viên", "lanh_dao": "Lãnh đạo", "quan_tri": "Quản trị"}

DDL = """
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY, username TEXT UNIQUE NOT NULL, full_name TEXT NOT NULL, role TEXT NOT NULL,
  password_hash TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1, created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sessions (
  token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), created TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_key ON login_failures(key, at);
CREATE TABLE IF NOT EXISTS intakes (
  id INTEGER PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id), name TEXT NOT NULL,
  received TEXT NOT NULL, status TEXT NOT NULL, error TEXT, results TEXT, batch TEXT, options TEXT);
CREATE TABLE IF NOT EXISTS intake_files (
  intake_id INTEGER NOT NULL REFERENCES intakes(id), name TEXT NOT NULL, sha256 TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS register (
  intake_id INTEGER NOT NULL REFERENCES intakes(id), idx INTEGER NOT NULL, received TEXT NOT NULL,
  agency TEXT, number TEXT, doc_date TEXT, subject TEXT, outcome TEXT, decision TEXT, checked_by TEXT,
  name TEXT, files TEXT, folded TEXT, PRIMARY KEY (intake_id, idx));
CREATE TABLE IF NOT EXISTS artifacts (
  id INTEGER PRIMARY KEY, owner_id INTEGER NOT NULL REFERENCES users(id), intake_id INTEGER,
  kind TEXT NOT NULL, label TEXT NOT NULL, file_name TEXT NOT NULL, sha256 TEXT NOT NULL, created TEXT NOT NULL);
"""


def now_iso() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    full_name: str
    role: str

    @property
    def role_label(self) -> str:
        return ROLES[self.role]

    @property
    def reads_all(self) -> bool:
        """Lãnh đạo and quản trị read every dossier; a chuyên viên reads their own."""
        return self.role in ("lanh_dao", "quan_tri")

    @property
    def works(self) -> bool:
        """Checks dossiers, drafts letters, tracks tasks."""
        return self.role == "chuyen_vien"


class Blobs:
    """Files stored by content: ``root/ab/<sha256>``, written through a temp file and a rename."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a SHA-256")
        return self.root / sha256[:2] / sha256

    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self.path(digest)
        if not target.exists():
            target.parent.mkdir(exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".in-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        return digest

    def put_file(self, path: Path) -> str:
        return self.put_bytes(Path(path).read_bytes())


class WebStore:
    """Users, sessions, the intake register and the downloads, in ``<data>/vanban-web.sqlite3``."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.db_path = self.data_dir / DB_NAME
        self.blobs = Blobs(self.data_dir / "blobs")
        self._local = threading.local()
        ensure_schema(self.conn, DDL)

    @property
    def conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = connect(self.db_path)
        return conn

    def secret_key(self) -> bytes:
        """The key that signs session cookies: made once, kept private in the data folder."""
        path = self.data_dir / "secret.key"
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(secrets.token_bytes(32))
        return path.read_bytes()

    # ---------------------------------------------------------------- users
    def add_user(self, username: str, full_name: str, role: str, password_hash: str) -> User:
        if role not in ROLES:
            raise ValueError(role)
        cur = self.conn.execute(
            "INSERT INTO users(username, full_name, role, password_hash, created) VALUES (?,?,?,?,?)",
            (username, full_name, role, password_hash, now_iso()))
        return User(cur.lastrowid, username, full_name, role)

    def set_password(self, username: str, password_hash: str) -> None:
        self.conn.execute("UPDATE users SET password_hash=? WHERE username=?", (password_hash, username))
        self.conn.execute("DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE username=?)", (username,))

    def deactivate(self, username: str) -> None:
        """The account can no longer sign in; its open sessions end now. What it did stays in the register."""
        self.conn.execute("UPDATE users SET active=0 WHERE username=?", (username,))
        self.conn.execute("DELETE FROM sessions WHERE user_id=(SELECT id FROM users WHERE username=?)", (username,))

    def user_row(self, username: str) -> Optional[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM users WHERE username=? AND active=1", (username,)).fetchone()

    def user(self, user_id: int) -> Optional[User]:
        row = self.conn.execute("SELECT * FROM users WHERE id=? AND active=1", (user_id,)).fetchone()
        return User(row["id"], row["username"], row["full_name"], row["role"]) if row else None

    def users(self) -> list[User]:
        rows = self.conn.execute("SELECT * FROM users WHERE active=1 ORDER BY username").fetchall()
        return [User(r["id"], r["username"], r["full_name"], r["role"]) for r in rows]

    # ------------------------------------------------------------- sessions
    def open_session(self, user_id: int) -> str:
        token = secrets.token_urlsafe(32)
        self.conn.execute("INSERT INTO sessions(token, user_id, created) VALUES (?,?,?)", (token, user_id, now_iso()))
        return token

    def session_user(self, token: str) -> Optional[User]:
        """The user of a session opened less than SESSION_HOURS ago (an older one is closed)."""
        row = self.conn.execute("SELECT user_id, created FROM sessions WHERE token=?", (token,)).fetchone()
        if row is None:
            return None
        age = dt.datetime.now().astimezone() - dt.datetime.fromisoformat(row["created"])
        if age > dt.timedelta(hours=SESSION_HOURS):
            self.close_session(token)
            return None
        return self.user(row["user_id"])

    def close_session(self, token: str) -> None:
        self.conn.execute("DELETE FROM sessions WHERE token=?", (token,))

    # ---------------------------------------------------------- rate limit
    def login_failures(self, key: str, since: float) -> int:
        self.conn.execute("DELETE FROM login_failures WHERE at < ?", (since,))
        return self.conn.execute("SELECT COUNT(*) FROM login_failures WHERE key=? AND at>=?",
                                 (key, since)).fetchone()[0]

    def add_login_failure(self, key: str, at: float) -> None:
        self.conn.execute("INSERT INTO login_failures(key, at) VALUES (?,?)", (key, at))

    # --------------------------------------------------------------- intake
    def new_intake(self, user_id: int, name: str, files: Iterable[tuple[str, str, int]],
                   batch: Optional[str] = None, options: Optional[dict] = None) -> int:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            cur = conn.execute(
                "INSERT INTO intakes(user_id, name, received, status, batch, options) VALUES (?,?,?,?,?,?)",
                (user_id, name, now_iso(), "pending", batch, json.dumps(options or {}, ensure_ascii=False)))
            intake_id = cur.lastrowid
            conn.executemany("INSERT INTO intake_files(intake_id, name, sha256, size) VALUES (?,?,?,?)",
                             [(intake_id, n, h, s) for n, h, s in files])
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        return intake_id

    def intake(self, intake_id: int) -> Optional[sqlite3.Row]:
        return self.conn.execute(
            "SELECT intakes.*, users.full_name AS checked_by FROM intakes JOIN users ON users.id=intakes.user_id "
            "WHERE intakes.id=?", (intake_id,)).fetchone()

    def intake_files(self, intake_id: int) -> list[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM intake_files WHERE intake_id=? ORDER BY rowid", (intake_id,)).fetchall()

    def pending_intakes(self) -> list[int]:
        return [r[0] for r in self.conn.execute(
            "SELECT id FROM intakes WHERE status IN ('pending','running') ORDER BY id")]

    def batch_intakes(self, batch: str) -> list[sqlite3.Row]:
        return self.conn.execute(
            "SELECT intakes.*, register.decision, register.outcome FROM intakes LEFT JOIN register "
            "ON register.intake_id=intakes.id AND register.idx=0 WHERE batch=? ORDER BY id", (batch,)).fetchall()

    def set_status(self, intake_id: int, status: str, error: Optional[str] = None) -> None:
        self.conn.execute("UPDATE intakes SET status=?, error=? WHERE id=?", (status, error, intake_id))

    def finish_intake(self, intake_id: int, results: dict, rows: list[dict[str, Any]],
                      artifacts: list[tuple[str, str, str, str]]) -> None:
        """Results, register rows and downloads of one dossier, in one transaction."""
        intake = self.intake(intake_id)
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute("UPDATE intakes SET status='done', error=NULL, results=? WHERE id=?",
                         (json.dumps(results, ensure_ascii=False), intake_id))
            conn.execute("DELETE FROM register WHERE intake_id=?", (intake_id,))
            conn.execute("DELETE FROM artifacts WHERE intake_id=?", (intake_id,))
            for idx, row in enumerate(rows):
                values = dict(row, intake_id=intake_id, idx=idx, received=intake["received"],
                              checked_by=intake["checked_by"])
                values["folded"] = fold(" ".join(str(v) for v in values.values() if v))
                conn.execute(f"INSERT INTO register({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
                             tuple(values.values()))
            for kind, label, file_name, sha in artifacts:
                conn.execute("INSERT INTO artifacts(owner_id, intake_id, kind, label, file_name, sha256, created) "
                             "VALUES (?,?,?,?,?,?,?)", (intake["user_id"], intake_id, kind, label, file_name, sha,
                                                        now_iso()))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def register_rows(self, user: User, query: str = "") -> list[sqlite3.Row]:
        sql = ("SELECT register.* FROM register JOIN intakes ON intakes.id=register.intake_id WHERE 1=1")
        args: list[Any] = []
        if not user.reads_all:
            sql += " AND intakes.user_id=?"
            args.append(user.id)
        for word in fold(query).split():
            sql += " AND register.folded LIKE ? ESCAPE '\\'"
            args.append("%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%")
        return self.conn.execute(sql + " ORDER BY register.intake_id DESC, register.idx", args).fetchall()

    def intakes_for(self, user: User, limit: int = 50) -> list[sqlite3.Row]:
        sql = "SELECT * FROM intakes" + ("" if user.reads_all else " WHERE user_id=?") + " ORDER BY id DESC LIMIT ?"
        args = (limit,) if user.reads_all else (user.id, limit)
        return self.conn.execute(sql, args).fetchall()

    # ------------------------------------------------------------ downloads
    def add_artifact(self, owner_id: int, kind: str, label: str, file_name: str, sha: str,
                     intake_id: Optional[int] = None) -> int:
        cur = self.conn.execute(
            "INSERT INTO artifacts(owner_id, intake_id, kind, label, file_name, sha256, created) VALUES (?,?,?,?,?,?,?)",
            (owner_id, intake_id, kind, label, file_name, sha, now_iso()))
        return cur.lastrowid

    def artifact(self, artifact_id: int) -> Optional[sqlite3.Row]:
        return self.conn.execute("SELECT * FROM artifacts WHERE id=?", (artifact_id,)).fetchone()

    def artifacts(self, *, intake_id: Optional[int] = None, owner_id: Optional[int] = None,
                  kinds: tuple[str, ...] = ()) -> list[sqlite3.Row]:
        sql, args = "SELECT * FROM artifacts WHERE 1=1", []
        if intake_id is not None:
            sql += " AND intake_id=?"
            args.append(intake_id)
        if owner_id is not None:
            sql += " AND owner_id=?"
            args.append(owner_id)
        if kinds:
            sql += f" AND kind IN ({','.join('?' for _ in kinds)})"
            args += list(kinds)
        return self.conn.execute(sql + " ORDER BY id DESC", args).fetchall()
