"""Plain-text reader: one Block per line.

Seeds and pasted texts arrive as UTF-8 (often with a BOM), sometimes as
UTF-16 (Notepad "Unicode") or Windows-1258 (old Vietnamese Windows). The
text is kept as written (``**bold**`` markers, tabs) apart from
:func:`vanban.text.normalize_text`.
"""

from __future__ import annotations

import codecs
import hashlib
from pathlib import Path

from vanban.errors import ReadError
from vanban.model import Block, Location, RawDocument
from vanban.text import normalize_text

MAX_TEXT_BYTES = 20 * 1024 * 1024



def decode_text_bytes(data: bytes) -> tuple[str, str]:
    """Decode ``data`` and return ``(text, encoding)``.

    Order: BOMs, UTF-8, UTF-16 without BOM (many NUL bytes), cp1258.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    sample = data[:4096]
    if sample and sample.count(b"\x00") * 4 >= len(sample):
        # ASCII-range text in UTF-16: every other byte is NUL.
        even_nuls = sample[0::2].count(0)
        odd_nuls = sample[1::2].count(0)
        encoding = "utf-16-be" if even_nuls > odd_nuls else "utf-16-le"
        return data.decode(encoding, errors="replace"), encoding
    text = data.decode("cp1258", errors="replace")
    return text, "cp1258"


def read_text(path: Path, data: bytes | None = None) -> RawDocument:
    """Read a .txt file (UTF-8/UTF-16/cp1258) into one Block per line."""
    path = Path(path)
    if data is None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise ReadError(f"không mở được tệp: {exc.strerror or exc}", path) from exc
        if size > MAX_TEXT_BYTES:
            raise ReadError(
                f"tệp văn bản quá lớn ({size // (1024 * 1024)} MB, giới hạn {MAX_TEXT_BYTES // (1024 * 1024)} MB)", path
            )
        data = path.read_bytes()
    if not data:
        raise ReadError("tệp rỗng", path)
    text, encoding = decode_text_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    blocks = tuple(
        Block(text=normalize_text(line), location=Location(part="line", index=i))
        for i, line in enumerate(text.split("\n"))
    )
    # A trailing newline does not make an extra line.
    if blocks and not blocks[-1].text and text.endswith("\n"):
        blocks = blocks[:-1]
    notes: tuple[str, ...] = ()
    if encoding == "cp1258":
        notes = ("Tệp văn bản không phải UTF-8, đã đọc theo bảng mã Windows-1258",)
    elif encoding.startswith("utf-16"):
        notes = ("Tệp văn bản mã hóa UTF-16",)
    return RawDocument(
        path=str(path),
        format="txt",
        blocks=blocks,
        notes=notes,
        sha256=hashlib.sha256(data).hexdigest(),
    )
