"""Cell values as offices type them: dates, empty markers, lists of units."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Any, Optional

from ..dates import FORMS_HINT, BadDate, match_date
from ..text import fold, normalize_text, squash_spaces

# Excel's day zero (the 1900 leap-year bug makes it 30/12/1899 for serials > 60).
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_MY = re.compile(r"^(?:tháng\s*)?(\d{1,2})\s*[/.\-]\s*(\d{4})$", re.IGNORECASE)
_EMPTY = {"", "-", "--", "x", "không", "khong", "không có", "khong co", "không thời hạn", "khong thoi han",
          "không có hạn", "khong co han", "không quy định", "khong quy dinh"}


class BadValue(ValueError):
    """A cell that cannot be read; the message is Vietnamese."""


# characters normalize_text would change besides NFC (look-alikes, odd and zero-width spaces)
_NEEDS_NORMALIZING = re.compile("[\u00d0\u00f0\u0189\u00a0\u00ad\u2000-\u200d\u202f\u205f\u2060\u3000\ufeff]")


def clean_text(value: Any) -> Optional[str]:
    """NFC text with single spaces, or None when blank (fast path for text already clean)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    if not text.isascii() and (not unicodedata.is_normalized("NFC", text) or _NEEDS_NORMALIZING.search(text)):
        text = normalize_text(text)
    text = " ".join(text.split())
    return text or None


_EMPTY_FOLDED = frozenset(fold(e) for e in _EMPTY)


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if not isinstance(value, str):
        return False
    text = clean_text(value)
    # only short cells can be an "empty" marker: skip folding long texts
    return text is None or (len(text) <= 16 and fold(text) in _EMPTY_FOLDED)


def parse_date(value: Any, *, month_end: bool = False) -> Optional[dt.date]:
    """A date from an Excel date, an Excel serial, ``dd/mm/yyyy`` or ISO; None when empty.

    ``month_end``: ``10/2026`` (a month, as work programmes write it) → 31/10/2026.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 20000 <= value <= 80000:  # 1954..2119 as an Excel serial
            return _EXCEL_EPOCH + dt.timedelta(days=int(value))
        raise BadValue(f"không hiểu ngày {value!r}")
    if is_empty(value):
        return None
    text = clean_text(value)
    try:
        day = match_date(text)
    except BadDate as exc:
        raise BadValue(str(exc)) from None
    if day is not None:
        return day
    try:
        if month_end and (m := _MY.match(text)):
            month, year = int(m.group(1)), int(m.group(2))
            if not 1 <= month <= 12:
                raise ValueError(month)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return nxt - dt.timedelta(days=1)
        if re.fullmatch(r"\d{5}(\.0+)?", text):
            return parse_date(float(text))
    except ValueError:
        raise BadValue(f"ngày không có thật: '{text}'") from None
    raise BadValue(f"không hiểu ngày '{text}' (cần {FORMS_HINT})")


def split_units(value: Any) -> list[str]:
    """``Sở Tài chính; Sở Xây dựng`` → two units (``;``, new lines, or ``,`` between names)."""
    text = normalize_text(str(value)) if value is not None else ""
    parts = re.split(r"[;\n]+", text)
    if len(parts) == 1:
        parts = text.split(",")
    return [squash_spaces(p).strip(" .-+") for p in parts if squash_spaces(p).strip(" .-+")]


SECRET_LEVELS = {"mat": "Mật", "toi mat": "Tối mật", "tuyet mat": "Tuyệt mật"}


def secrecy_level(value: Any) -> Optional[str]:
    """``Mật``/``Tối mật``/``Tuyệt mật`` when the cell names one; None for ordinary documents."""
    text = clean_text(value)
    if text is None:
        return None
    return SECRET_LEVELS.get(" ".join(re.findall(r"[a-z]+", fold(text))))
