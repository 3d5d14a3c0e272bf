"""Word 97-2003 (.doc) files: checks made before handing them to LibreOffice.

A password-protected .doc makes LibreOffice fail silently (or wait for a
password), so the File Information Block is read first to give the user the
real reason.
"""

from __future__ import annotations

import io
import struct
from typing import Optional

import olefile

_WORD_IDENT = 0xA5EC
_F_ENCRYPTED = 0x0100
_F_OBFUSCATED = 0x8000


def word97_problem(data: bytes) -> Optional[str]:
    """A Vietnamese message when the .doc is encrypted or broken, else None."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:  # olefile raises several types for broken containers
        return "tệp .doc bị hỏng hoặc không đúng định dạng"
    try:
        if not ole.exists("WordDocument"):
            return "tệp .doc bị hỏng: không có luồng nội dung WordDocument"
        try:
            head = ole.openstream("WordDocument").read(12)
        except Exception:
            return "tệp .doc bị hỏng hoặc không đúng định dạng"
        if len(head) < 12:
            return "tệp .doc bị hỏng hoặc không đúng định dạng"
        ident, = struct.unpack_from("<H", head, 0)
        flags, = struct.unpack_from("<H", head, 0x0A)
        if ident != _WORD_IDENT:
            return "tệp .doc bị hỏng hoặc không phải văn bản Word 97-2003"
        if flags & (_F_ENCRYPTED | _F_OBFUSCATED):
            return "tệp được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi gửi lại"
        return None
    finally:
        ole.close()


def ole_stream_names(data: bytes) -> Optional[set[str]]:
    """Top-level stream/storage names of an OLE container, or None when it is broken."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(data))
    except Exception:
        return None
    try:
        return {"/".join(entry) for entry in ole.listdir(streams=True, storages=True)}
    finally:
        ole.close()
