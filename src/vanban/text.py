"""Text normalisation shared by every reader.

Real files mix Unicode forms (NFD from some keyboards), use the Icelandic
``Ð`` (U+00D0) for ``Đ``, non-breaking and zero-width spaces, and several
dash characters. Everything that vanban compares goes through here first.
"""

from __future__ import annotations

import functools
import re
import unicodedata

# Characters that look like Vietnamese letters but are not.
_LOOKALIKES = str.maketrans({
    "\u00d0": "\u0110",  # Ð (Icelandic eth) → Đ
    "\u00f0": "\u0111",  # ð → đ
    "\u0189": "\u0110",  # Ɖ (African D) → Đ
})

# Spaces that should count as one ordinary space.
_SPACES = re.compile(r"[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")

DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
DASH_CLASS = "[" + re.escape(DASHES) + "]"


def normalize_text(text: str) -> str:
    """NFC, look-alike letters fixed, odd spaces made plain; line breaks kept."""
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text)
    text = text.translate(_LOOKALIKES)
    text = _ZERO_WIDTH.sub("", text)
    text = _SPACES.sub(" ", text)
    return text


def normalize_dashes(text: str) -> str:
    """Every dash variant becomes ASCII ``-`` (for matching, not for display)."""
    return re.sub(DASH_CLASS, "-", text)


# the combining marks Vietnamese letters decompose into (NFD): after removing them a Vietnamese text is
# usually ASCII, and then no other mark can be left
_COMBINING = re.compile("[\u0300-\u036f]")
_NONSPACING_MARKS: dict[int, None] | None = None


def _nonspacing_marks() -> dict[int, None]:
    """Every nonspacing mark (category Mn) this Python's Unicode knows, as a ``str.translate`` table that
    deletes them; built on first use (a fifth of a second)."""
    global _NONSPACING_MARKS
    if _NONSPACING_MARKS is None:
        category = unicodedata.category
        _NONSPACING_MARKS = {code: None for code in range(0x110000) if category(chr(code)) == "Mn"}
    return _NONSPACING_MARKS


@functools.lru_cache(maxsize=32768)
def fold(text: str) -> str:
    """Lower case without diacritics, for forgiving comparisons (``Tờ trình`` → ``to trinh``). Cached:
    the rules fold the same lines again and again."""
    text = normalize_text(text).replace("đ", "d").replace("Đ", "D")
    text = _COMBINING.sub("", unicodedata.normalize("NFD", text))
    if not text.isascii():
        text = text.translate(_nonspacing_marks())
    return text.lower()


def squash_spaces(text: str) -> str:
    """Collapse runs of white space (including tabs) into single spaces."""
    return re.sub(r"\s+", " ", text).strip()
