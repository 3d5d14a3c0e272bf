"""The two PDF text engines read the same words.

PDFium (C, the default) places every character where the page draws it; pypdf (pure Python) is kept
for pages whose fonts map letters to spaces and as a reference. On every real PDF the two must read
the same words: a character PDFium drops or a space it does not see would change what the rules read.
Where they differ, PDFium is the one that is right on the corpus (a word split by a footnote mark, a
page number read into the text); the allowance below is for those.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from vanban.read.pdf import read_pdf

# words in one reading and not the other, as a share of all words: a footnote mark or a page
# number more or less, a table cell cut differently
MAX_WORD_DIFFERENCE = 0.01


def _words(raw) -> Counter:
    text = " ".join(b.text for b in raw.blocks)
    return Counter(w for w in re.findall(r"\w+", text) if not w.isdigit())


def _pdfs(realdocs: Path) -> list[Path]:
    return sorted(p for p in (realdocs / "dossiers").rglob("*") if p.suffix.lower() == ".pdf")


def test_pdfium_and_pypdf_read_the_same_words(realdocs):
    files = _pdfs(realdocs)
    assert len(files) >= 80, len(files)
    worst = []
    for path in files:
        fast, reference = read_pdf(path), read_pdf(path, engine="pypdf")
        a, b = _words(fast), _words(reference)
        total = max(sum(b.values()), 1)
        missing, extra = b - a, a - b
        share = (sum(missing.values()) + sum(extra.values())) / total
        worst.append((share, path.name, sorted(missing)[:8], sorted(extra)[:8]))
        # the page geometry, the scans and the signatures come from the file, not the text engine
        assert fast.page_count == reference.page_count, path.name
        assert fast.scanned_pages == reference.scanned_pages, path.name
        assert fast.signatures == reference.signatures, path.name
        assert fast.legacy_encoding == reference.legacy_encoding, path.name
    worst.sort(reverse=True)
    print("largest differences:", worst[:3])
    assert worst[0][0] <= MAX_WORD_DIFFERENCE, worst[:3]


def test_stamped_numbers_and_dates_agree(realdocs):
    """The number and day stamped into signature widgets land in the same blanks with either engine."""
    checked = 0
    for path in _pdfs(realdocs):
        fast = read_pdf(path)
        stamped = [(b.text, b.stamped) for b in fast.blocks if b.stamped]
        if not stamped:
            continue
        reference = read_pdf(path, engine="pypdf")
        assert stamped == [(b.text, b.stamped) for b in reference.blocks if b.stamped], path.name
        checked += 1
    assert checked >= 20, checked


def test_unknown_engine_is_refused(tmp_path):
    with pytest.raises(ValueError):
        read_pdf(tmp_path / "x.pdf", engine="mupdf")
