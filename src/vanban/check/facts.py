"""Small questions the roles and rules ask of a Document (pure functions)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from ..model import Document
from ..text import fold, squash_spaces
from .patterns import patterns

_KIND_NAMES = {
    "quyet dinh": "Quyết định", "ke hoach": "Kế hoạch", "chuong trinh": "Chương trình", "chi thi": "Chỉ thị",
    "cong van": "Công văn", "van ban": "văn bản", "thong bao": "Thông báo", "de an": "Đề án",
    "phuong an": "Phương án", "quy che": "Quy chế", "quy dinh": "Quy định", "dieu le": "Điều lệ",
    "nghi quyet": "Nghị quyết", "bao cao": "Báo cáo", "huong dan": "Hướng dẫn",
}


def full_text(doc: Document) -> str:
    return doc.source.text


def folded_text(doc: Document) -> str:
    return squash_spaces(fold(doc.source.text))


def heading_text(doc: Document) -> str:
    """Type name, trích yếu and the first lines, folded: what a clerk reads to classify."""
    parts = [doc.doc_type or "", doc.subject.text if doc.subject else ""]
    # the header only (up to the trích yếu): a body that mentions "góp ý" does not make a comment letter
    blocks = doc.source.blocks
    end = 10
    if doc.subject is not None and doc.subject.location is not None:
        end = next((i + 1 for i, b in enumerate(blocks) if b.location == doc.subject.location), 10)
    parts += [b.text for b in blocks[: min(end, 15)]]
    return squash_spaces(fold(" ".join(parts)))


def is_numbered(doc: Document) -> bool:
    return bool(doc.number and doc.number.number)


def is_signed(doc: Document) -> bool:
    return bool(doc.source.signatures)


def signing_dates(doc: Document) -> list[dt.date]:
    return sorted(s.signing_time.date() for s in doc.source.signatures if s.signing_time)


def document_date(doc: Document) -> Optional[dt.date]:
    """The date written on the document, else the first signing day."""
    if doc.date and doc.date.date:
        return doc.date.date
    days = signing_dates(doc)
    return days[0] if days else None


def requested_kinds(doc: Document) -> list[str]:
    """Folded kinds ("quyet dinh", "ke hoach") the submission asks to issue or approve."""
    text = heading_text(doc) + " " + " ".join(fold(r.text) for r in doc.recommendations)
    kinds = []
    for m in patterns().issue_request.finditer(text):
        if m.group(1) not in kinds:
            kinds.append(m.group(1))
    return kinds


def asks_to_issue(doc: Document) -> bool:
    text = heading_text(doc) + " " + folded_text(doc)
    return bool(requested_kinds(doc)) or bool(patterns().issue_request_any.search(text))


def kind_label(kind: str) -> str:
    return _KIND_NAMES.get(kind, kind)


def doc_kind(doc: Document) -> Optional[str]:
    return fold(doc.doc_type) if doc.doc_type else None


def sentence_around(text: str, start: int, end: int, width: int = 90) -> str:
    lo = max(0, text.rfind(".", 0, start) + 1, start - width)
    hi = min(len(text), end + width)
    dot = text.find(".", end)
    if 0 <= dot < hi:
        hi = dot + 1
    return squash_spaces(text[lo:hi])


def find_in_blocks(doc: Document, pattern: re.Pattern):
    """(block, match) of the first block whose folded text matches."""
    for block in doc.source.blocks:
        m = pattern.search(squash_spaces(fold(block.text)))
        if m:
            return block, m
    return None, None


def number_text(number) -> Optional[str]:
    """``NumberSymbol`` → ``05/TTr-SNV``; None while the number is blank (a draft, a handwritten number)."""
    if number is None or not number.number:
        return None
    return f"{number.number}/{number.symbol}" if number.symbol else number.number
