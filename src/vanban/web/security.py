"""Passwords, CSRF tokens, login throttling and the checks every upload passes before anything is stored."""

from __future__ import annotations

import hmac
import io
import secrets
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Optional

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from ..check.collect import Limits

_HASHER = PasswordHasher()  # Argon2id with the library's current parameters
_DUMMY = _HASHER.hash("vanban-dummy-password")  # an unknown user costs as much time as a wrong password

LOGIN_WINDOW_SECONDS = 15 * 60
LOGIN_MAX_FAILURES = 5  # per account
LOGIN_MAX_FAILURES_ADDRESS = 20  # per machine (several clerks may share one address behind a router)
MIN_PASSWORD = 8


class UploadRefused(Exception):
    """An upload refused before anything is written; the message is Vietnamese and names the file."""


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"mật khẩu phải có ít nhất {MIN_PASSWORD} ký tự")
    return _HASHER.hash(password)


def verify_password(stored: Optional[str], password: str) -> bool:
    try:
        return _HASHER.verify(stored or _DUMMY, password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_csrf_token() -> str:
    return secrets.token_urlsafe(32)


def csrf_ok(expected: Optional[str], given: Optional[str]) -> bool:
    return bool(expected) and bool(given) and hmac.compare_digest(expected, given)


def throttle_keys(username: str, address: str) -> dict[str, int]:
    """The counters a failed sign-in adds to, each with its limit within LOGIN_WINDOW_SECONDS."""
    return {f"user:{username.casefold()}": LOGIN_MAX_FAILURES, f"addr:{address}": LOGIN_MAX_FAILURES_ADDRESS}


def window_start() -> float:
    return time.time() - LOGIN_WINDOW_SECONDS


# --------------------------------------------------------------------------
# Uploads
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class UploadLimits:
    max_request_bytes: int = 200 * 1024 * 1024  # one request (Flask refuses more before reading it)
    max_files: int = 200
    zip: Limits = Limits()


def safe_upload_name(raw: Optional[str]) -> str:
    """The name a browser gave, kept only as a label: a bare file name, or the upload is refused."""
    name = unicodedata.normalize("NFC", (raw or "").strip())
    if not name:
        raise UploadRefused("tệp tải lên không có tên")
    if ("/" in name or "\\" in name or name in (".", "..") or name.startswith(".")
            or any(ord(c) < 32 for c in name) or len(name.encode("utf-8")) > 240):
        raise UploadRefused(f"tên tệp '{name}' không hợp lệ (chứa đường dẫn, ký tự điều khiển hoặc quá dài); "
                            "chỉ nhận tên tệp đơn thuần")
    return name


def check_zip(name: str, data: bytes, limits: Limits = Limits()) -> None:
    """Refuse a .zip whose directory already shows a bomb, traversal or too many members."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UploadRefused(f"tệp '{name}' không phải gói .zip hợp lệ (tệp hỏng)") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > limits.max_members:
            raise UploadRefused(f"gói '{name}' có {len(infos)} tệp, vượt giới hạn {limits.max_members} tệp")
        total = 0
        for info in infos:
            member = info.filename.replace("\\", "/")
            if member.startswith("/") or ".." in member.split("/") or (len(member) > 1 and member[1] == ":"):
                raise UploadRefused(f"gói '{name}' chứa tệp có đường dẫn ra ngoài thư mục ('{member}')")
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limits.max_member_bytes or (info.file_size > 1024 * 1024 and ratio > limits.max_ratio):
                raise UploadRefused(f"gói '{name}' chứa tệp '{member}' giải nén ra {info.file_size:,} byte "
                                    f"(tỉ lệ nén {ratio:.0f} lần): nghi 'bom zip', không nhận".replace(",", "."))
        if total > limits.max_total_bytes:
            raise UploadRefused(f"gói '{name}' giải nén ra {total:,} byte, vượt giới hạn "
                                f"{limits.max_total_bytes:,} byte".replace(",", "."))
