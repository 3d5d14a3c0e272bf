"""Atomic writes that never overwrite without being told to."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ...errors import OutputError


def write_atomic(path: str | Path, data: str | bytes, force: bool = False) -> Path:
    """Write through a temp file in the same folder, then ``os.replace``."""
    path = Path(path)
    if path.exists() and not force:
        raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", path)
    if path.exists() and path.is_dir():
        raise OutputError("là một thư mục, không ghi đè được", path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"không tạo được tệp ({exc.strerror})", path) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise OutputError(f"không ghi được tệp ({exc.strerror})", path) from None
    return path
