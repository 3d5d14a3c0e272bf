"""Dates as Vietnamese offices write them: ``15/10/2026``, ``15-10-2026``, ``15.10.2026`` or ISO.

One parser for the command line, data files and registers, so a date that one
command accepts is accepted by all of them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

DAY_FIRST = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")
FORMS_HINT = "dd/mm/yyyy hoặc yyyy-mm-dd"


class BadDate(ValueError):
    """A text that is not a date, or names a day that does not exist; the message is Vietnamese."""


def match_date(text: str) -> Optional[dt.date]:
    """The date ``text`` names; None when it is not written as a date; BadDate for 31/02/2026."""
    text = text.strip()
    try:
        if m := DAY_FIRST.match(text):
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        if m := ISO.match(text):
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise BadDate(f"ngày không có thật: '{text}'") from None
    return None


def parse_date(text: str) -> dt.date:
    """Like :func:`match_date`, but a text that is not a date is an error too."""
    day = match_date(text)
    if day is None:
        raise BadDate(f"không hiểu ngày '{text.strip()}' (cần {FORMS_HINT})")
    return day
