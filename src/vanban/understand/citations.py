"""Citations of other documents: ``Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ``.

A citation is a document type (from ``patterns/doc_types.jsonl``), a
number/symbol, then optionally a date, ``của`` + issuer and a trích yếu.
Laws are also cited by name: ``Luật Tổ chức chính quyền địa phương năm 2015``.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Optional

from vanban.model import Citation
from vanban.text import DASH_CLASS, normalize_text, squash_spaces

from .patterns import alternation, doc_types

_SYMBOL = (
    r"(?P<symbol>\d{1,6}[a-z]?(?:/(?P<year>(?:19|20)\d\d))?/[A-ZĐ][A-Za-zĐđ0-9&]*"
    rf"(?:{DASH_CLASS}[A-ZĐ0-9][A-Za-zĐđ0-9&]*)*(?:\([A-ZĐ0-9]+\))?"
    r"|\d{1,4}/(?P<year_only>(?:19|20)\d\d)/[A-ZĐ0-9]+\d*)"
)
_DATE = (
    r"ngày\s+(?P<day>\d{1,2})\s*(?:tháng\s*|[/.-])(?P<month>\d{1,2})\s*(?:năm\s*|[/.-])(?P<dyear>(?:19|20)\d\d)"
)
# Words that end an issuer and start a trích yếu.
_TITLE_START = (
    r"(?:về\s+việc|về|V/v|ban\s+hành|quy\s+định|hướng\s+dẫn|phê\s+duyệt|sửa\s+đổi|thành\s+lập|"
    r"triển\s+khai|thực\s+hiện|giao|công\s+nhận|phân\s+công|quy\s+chế|kiện\s+toàn|giải\s+thể|cho\s+phép)"
)
_ISSUER = rf"(?P<issuer>[A-ZĐÀ-Ỹ][^;,.()\n\t“”\"]*?)(?=\s+{_TITLE_START}\b|\s*[;,.()\n\t“”\"]|\s*$)"
_TITLE = rf"(?P<title>{_TITLE_START}\s[^;\n\t]{{2,300}}?)(?=\s*;|\s*\.(?:\s|$|/)|\s*\(|\s*$|\s*\n)"


@lru_cache(maxsize=None)
def _citation_re() -> re.Pattern:
    names = [t.name for t in doc_types() if t.cite and t.name != "Luật"]
    type_alt = alternation(names + [n.lower() for n in names])
    return re.compile(
        rf"(?P<type>{type_alt}|Luật|Công\s+văn|công\s+văn|văn\s+bản|Văn\s+bản)"
        rf"(?:\s+số)?\s*:?\s*{_SYMBOL}"
        rf"(?:\s*,?\s*{_DATE})?"
        rf"(?:\s+của\s+{_ISSUER})?"
        rf"(?:\s*(?:,\s*)?(?:{_TITLE}))?"
    )


# Laws by name: "Luật <Name> năm 2015" / "Luật <Name> ngày 16 tháng 6 năm 2025" / "Luật <Name> số 72/2025/QH15"
_LAW_BY_NAME = re.compile(
    r"(?P<type>Bộ\s+luật|Luật|Pháp\s+lệnh|Hiến\s+pháp)\s+(?P<name>(?:sửa\s+đổi|[A-ZĐÀ-Ỹ])[^;:()\n\t\d“”]{2,220}?)"
    r"\s+(?:(?:số\s+(?P<symbol>\d{1,4}/(?P<syear>(?:19|20)\d\d)/[A-ZĐ0-9-]+))|"
    r"(?:năm\s+(?P<year>(?:19|20)\d\d))|"
    rf"(?:{_DATE}))"
)


def _date(day: Optional[str], month: Optional[str], year: Optional[str]) -> Optional[dt.date]:
    if not (day and month and year):
        return None
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        return None


def _type_name(raw: str) -> str:
    name = squash_spaces(raw)
    return name[0].upper() + name[1:]


def _clean_title(title: Optional[str]) -> Optional[str]:
    if not title:
        return None
    title = squash_spaces(title).strip(" ,:")
    title = re.sub(r"^(?:về\s+việc|V/v)\s+", "", title, flags=re.IGNORECASE)
    return title or None


def _clean_issuer(issuer: Optional[str]) -> Optional[str]:
    if not issuer:
        return None
    issuer = squash_spaces(issuer).strip(" ,")
    return issuer or None


_SOFT_BREAK = re.compile(r"\n(?=[a-zà-ỹđ])")
_PLACE_BREAK = re.compile(r"\b(tỉnh|thành phố|xã|phường|đặc khu)\n(?=[A-ZĐ])")  # ``tỉnh`` / ``Lâm Đồng``


def find_citation_spans(text: str, *, is_legal_basis: bool = False) -> list[tuple[int, int, Citation]]:
    """Every citation in ``text`` with its character offsets, in order of appearance.

    Offsets refer to ``text`` as given (normalisation keeps lengths for NFC input).
    """
    # a line that breaks inside a name (``của Ủy ban nhân`` / ``dân tỉnh``: a PDF's lines, a hard break
    # typed in Word) goes on in lower case: it is one line, same length so the offsets hold
    text = _PLACE_BREAK.sub(r"\1 ", _SOFT_BREAK.sub(" ", normalize_text(text or "")))
    found: list[tuple[int, int, Citation]] = []
    for match in _LAW_BY_NAME.finditer(text):
        year = match.group("year") or match.group("syear") or match.group("dyear")
        symbol = match.group("symbol")
        found.append((match.start(), match.end(), Citation(
            raw=squash_spaces(match.group(0)),
            doc_type=_type_name(match.group("type")),
            number=symbol.split("/")[0] if symbol else None,
            year=int(year) if year else None,
            symbol=symbol,
            issued=_date(match.group("day"), match.group("month"), match.group("dyear")),
            title=squash_spaces(match.group("name")),
            is_legal_basis=is_legal_basis,
        )))
    for match in _citation_re().finditer(text):
        if any(start <= match.start() < end for start, end, _ in found):
            continue
        symbol = match.group("symbol")
        year = match.group("year") or match.group("year_only") or match.group("dyear")
        found.append((match.start(), match.end(), Citation(
            raw=squash_spaces(match.group(0)).rstrip(" ,"),
            doc_type=_type_name(match.group("type")),
            number=symbol.split("/")[0],
            year=int(year) if year else None,
            symbol=symbol,
            issued=_date(match.group("day"), match.group("month"), match.group("dyear")),
            issuer=_clean_issuer(match.group("issuer")),
            title=_clean_title(match.group("title")),
            is_legal_basis=is_legal_basis,
        )))
    found.sort(key=lambda item: item[0])
    return found


def find_citations(text: str, *, is_legal_basis: bool = False) -> list[Citation]:
    """Every citation in ``text``, in order of appearance."""
    return [c for _, _, c in find_citation_spans(text, is_legal_basis=is_legal_basis)]


def parse_citation(text: str) -> Optional[Citation]:
    """The first citation in ``text``, or None."""
    found = find_citations(text)
    return found[0] if found else None
