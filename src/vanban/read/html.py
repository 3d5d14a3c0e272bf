"""A Word "web page" saved under a .doc name, read by vanban itself.

LibreOffice would open it, and in doing so ask the network for what it links to (a stylesheet, a picture):
a file from outside must not make vanban touch the network. lxml's HTML parser fetches nothing; the text of
each block element becomes a Block, in reading order (table cells as ``table`` blocks).
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from vanban.errors import ReadError
from vanban.model import Block, Location, RawDocument
from vanban.read.plaintext import decode_text_bytes
from vanban.text import normalize_text, squash_spaces

_BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "td", "th", "div", "pre", "blockquote", "caption", "dt",
           "dd", "title"}
_SKIP = {"script", "style", "head", "noscript", "template", "object", "iframe", "svg", "math"}
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([A-Za-z0-9_-]+)""", re.IGNORECASE)


def _decode(data: bytes) -> tuple[str, str]:
    declared = _CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        if name in ("windows-1258", "cp1258", "utf-8", "utf8", "utf-16", "windows-1252", "iso-8859-1"):
            try:
                return data.decode(name), name
            except (UnicodeDecodeError, LookupError):
                pass
    return decode_text_bytes(data)


def _has_block_child(element) -> bool:
    return any(isinstance(child.tag, str) and child.tag.lower() in _BLOCKS for child in element)


def read_html(path: str | Path, data: bytes) -> RawDocument:
    """The blocks of an HTML page (``format`` ``html``); raises ReadError naming the file."""
    from lxml import etree, html

    path = Path(path)
    text, encoding = _decode(data)
    try:
        # no_network is lxml's default; said here because it is the point of this reader
        parser = html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)
        root = html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"không đọc được trang HTML ({exc})", path) from None
    blocks: list[Block] = []

    def emit(element, part: str) -> None:
        words = squash_spaces(normalize_text(element.text_content()))
        if words:
            blocks.append(Block(text=words, location=Location(part=part, index=len(blocks))))

    def walk(element, in_table: bool) -> None:
        for child in element:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.lower()
            if tag in _SKIP:
                continue
            if tag in ("td", "th") and not _has_block_child(child):
                emit(child, "table")
            elif tag in _BLOCKS and tag != "title" and not _has_block_child(child):
                emit(child, "table" if in_table else "body")
            else:
                walk(child, in_table or tag == "table")

    body = root.find("body")
    walk(body if body is not None else root, False)
    notes = ("Trang web (HTML) mang tên .doc: vanban tự đọc chữ, không mở bằng LibreOffice để không tải nội dung "
             "liên kết từ mạng",)
    if encoding == "cp1258":
        notes += ("Trang web không khai báo bảng mã, đã đọc theo bảng mã Windows-1258",)
    return RawDocument(path=str(path), format="html", blocks=tuple(blocks), notes=notes,
                       sha256=hashlib.sha256(data).hexdigest())
