"""Errors a user sees. Every message is Vietnamese and names the file."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Optional

# Exit codes, documented in the README.
EXIT_OK = 0
EXIT_RETURNED = 1  # vanban check: at least one dossier is returned (chuyển trả)
EXIT_USAGE = 2  # Click's own code for a usage error
EXIT_INPUT = 3  # an input file could not be read
EXIT_OUTPUT = 4  # an output could not be written (exists without --force, disk, …)
EXIT_CONFIG = 5  # a profile, template or data file is invalid
EXIT_MISSING_TOOL = 6  # an external program (LibreOffice) is needed but absent
EXIT_NEEDS_LOOK = 7  # vanban check: none returned, but at least one dossier needs a person's look
EXIT_LIMIT = 8  # an input is over a safety limit (size, depth, rows, YAML aliases, template time/size)
EXIT_INTERNAL = 9  # an unexpected error inside vanban (a bug): reported in one line, no traceback


class VanbanError(Exception):
    """Base class: ``message`` is Vietnamese and complete; ``path`` names the file."""

    exit_code = EXIT_INPUT

    def __init__(self, message: str, path: Optional[str | Path] = None):
        self.message = message
        self.path = str(path) if path is not None else None
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class ReadError(VanbanError):
    """The file cannot be read: corrupt, encrypted, empty, unsupported."""

    exit_code = EXIT_INPUT


class OutputError(VanbanError):
    exit_code = EXIT_OUTPUT


class ConfigError(VanbanError):
    """A profile, data file or template is invalid."""

    exit_code = EXIT_CONFIG


class LimitError(VanbanError):
    """An input is over one of the limits of :mod:`vanban.guard` (the message names the limit)."""

    exit_code = EXIT_LIMIT


class MissingToolError(VanbanError):
    exit_code = EXIT_MISSING_TOOL


def unexpected_message(exc: BaseException) -> str:
    """One Vietnamese line for an error vanban did not foresee (the command line prints it
    instead of a traceback; ``VANBAN_DEBUG=1`` shows the traceback)."""
    if isinstance(exc, MemoryError):
        return "không đủ bộ nhớ để xử lý đầu vào này (tệp quá lớn hoặc bị làm hỏng có chủ ý)"
    if isinstance(exc, RecursionError):
        return "đầu vào lồng nhau quá sâu, vanban không xử lý"
    if isinstance(exc, OverflowError):
        return "một ngày hoặc một số nằm ngoài khoảng vanban xử lý được (ngày từ năm 1900 đến 2100)"
    if isinstance(exc, sqlite3.Error):
        from .store import describe_error

        return f"sổ (cơ sở dữ liệu SQLite): {describe_error(exc)}"
    return (f"lỗi không mong đợi trong vanban ({type(exc).__name__}: {str(exc)[:300]}); hãy báo lỗi kèm lệnh "
            "đã chạy (đặt VANBAN_DEBUG=1 để xem chi tiết)")


def unexpected_exit_code(exc: BaseException) -> int:
    if isinstance(exc, (MemoryError, RecursionError)):
        return EXIT_LIMIT
    if isinstance(exc, (sqlite3.Error, OverflowError)):
        return EXIT_CONFIG
    return EXIT_INTERNAL
