"""Text normalisation shared by every reader.

Real files mix Unicode forms (NFD from some keyboards), use the Icelandic
``Ð`` (U+00D0) for ``Đ``, non-breaking and zero-width spaces, and several
dash characters. Everything that vanban compares goes through here first.
"""

from __future__ import annotations

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


_NONSPACING_MARKS: re.Pattern[str] | None = None


def _nonspacing_marks() -> re.Pattern[str]:
    """One character class of every nonspacing mark (category Mn) this Python's Unicode knows; built
    on first use (a fifth of a second), then ``fold`` drops the marks in C instead of testing each
    character's category in Python."""
    global _NONSPACING_MARKS
    if _NONSPACING_MARKS is None:
        category = unicodedata.category
        ranges: list[tuple[int, int]] = []
        for code in range(0x110000):
            if category(chr(code)) == "Mn":
                if ranges and ranges[-1][1] == code - 1:
                    ranges[-1] = (ranges[-1][0], code)
                else:
                    ranges.append((code, code))
        _NONSPACING_MARKS = re.compile(
            "[" + "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges) + "]")
    return _NONSPACING_MARKS


def fold(text: str) -> str:
    """Lower case without diacritics, for forgiving comparisons (``Tờ trình`` → ``to trinh``)."""
    text = normalize_text(text).replace("đ", "d").replace("Đ", "D")
    return _nonspacing_marks().sub("", unicodedata.normalize("NFD", text)).lower()


def squash_spaces(text: str) -> str:
    """Collapse runs of white space (including tabs) into single spaces."""
    return re.sub(r"\s+", " ", text).strip()
