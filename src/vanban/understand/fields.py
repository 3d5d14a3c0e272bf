"""Number/symbol and place/date lines: ``Số: 56 /UBND-KTTH``, ``Kon Tum, ngày 08 tháng 01 năm 2024``."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Optional

from vanban.model import DocDate, NumberSymbol
from vanban.text import DASH_CLASS, normalize_text, squash_spaces

from .patterns import type_by_abbr

# "Số:" (also "Số :" and "So:"), the number (may be blank in drafts), an
# optional year (normative documents), then the symbol parts joined by dashes.
_SYMBOL_TOKEN = r"[A-ZĐ0-9][A-Za-zĐđ0-9&]*(?:\.[A-ZĐ0-9][A-Za-zĐđ0-9]*)*"
NUMBER_RE = re.compile(
    r"S[ốô]\s*:?[ \t]*(?P<number>\d{1,6}[a-zA-Z]?(?:[-.]\d{1,3})?)?[ \t]*/[ \t]*"
    r"(?:(?P<year>(?:19|20)?\d\d)[ \t]*/[ \t]*)?"
    rf"(?P<symbol>{_SYMBOL_TOKEN}(?:[ \t]*{DASH_CLASS}[ \t]*{_SYMBOL_TOKEN}|\({_SYMBOL_TOKEN}\))*)"
)
_DRAFT_GLUE = re.compile(r"D[ỰU]\s*TH[ẢA]O.*$", re.IGNORECASE)

DATE_WORDS = re.compile(
    r"ngày\s*(?P<day>\d{1,2})?[\s.…_]*(?:tháng|/)\s*(?P<month>\d{1,2})?[\s.…_]*(?:năm|/)[ \t]*(?P<year>(?:19|20)\d\d)?",
    re.IGNORECASE,
)
# A place written before "ngày": capitalised words, no digits.
_PLACE = re.compile(r"(?P<place>[A-ZĐÀ-Ỹ][^\d,:;\t]{0,40}?)\s*,\s*$")


@lru_cache(maxsize=None)
def _type_abbrs() -> frozenset[str]:
    return frozenset(type_by_abbr())


def parse_number_symbol(text: str) -> Optional[NumberSymbol]:
    """Parse ``Số: 519/TTr-CAT-PC06`` (blank number, spaces and dashes tolerated)."""
    text = normalize_text(text or "")
    text = text.replace("*", "")
    text = _DRAFT_GLUE.sub("", text)
    match = NUMBER_RE.search(text)
    if not match:
        return None
    symbol = re.sub(rf"[ \t]*{DASH_CLASS}[ \t]*", "-", match.group("symbol"))
    symbol = symbol.replace("(", "-").replace(")", "")
    parts = [p for p in re.split(r"[-\s]+", symbol) if p]
    if not parts:
        return None
    type_abbr = None
    if parts[0] in _type_abbrs():
        type_abbr = parts.pop(0)
    issuer = parts.pop(0) if parts else None
    unit = "-".join(parts) or None
    year = int(match.group("year")) if match.group("year") else None
    if year is not None and year < 100:
        year += 2000
    return NumberSymbol(
        raw=squash_spaces(match.group(0)),
        number=match.group("number"),
        year=year,
        type_abbr=type_abbr,
        issuer_abbr=issuer,
        unit=unit,
    )


def parse_doc_date(text: str) -> Optional[DocDate]:
    """Parse ``Lâm Đồng, ngày 05 tháng 01 năm 2026`` (blank day/month kept as None)."""
    text = normalize_text(text or "").replace("*", "")
    match = DATE_WORDS.search(text)
    if not match:
        return None
    before = text[: match.start()]
    # The place is the last column before "ngày" (tab-laid headers keep the
    # number or agency on the same line).
    column = re.split(r"\t| {3,}", before)[-1]
    place_match = _PLACE.search(column)
    place = squash_spaces(place_match.group("place")) if place_match else None
    if place:
        # "Số: /UBND-THKSTTHC Long An, ngày …" on one line: drop the number part.
        words = place.split()
        while words and (re.search(r"[/\d-]", words[0]) or re.fullmatch(r"S[ốô]:?", words[0])):
            words.pop(0)
        place = " ".join(words) or None

    def number(name: str) -> Optional[int]:
        value = match.group(name)
        return int(value) if value else None

    day, month = number("day"), number("month")
    if day is not None and not 1 <= day <= 31:
        day = None
    if month is not None and not 1 <= month <= 12:
        month = None
    raw_start = match.start() - (len(column) - column.rfind(place) if place else 0)
    raw = squash_spaces(text[max(raw_start, 0): match.end()])
    return DocDate(raw=raw, place=place, day=day, month=month, year=number("year"))

