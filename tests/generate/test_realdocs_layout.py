"""Our header looks like the ones the Văn phòng UBND tỉnh Lâm Đồng actually issues.

For every real .docx of the corpus, the style of the national title, the motto,
the number line and the place-and-date line is read with vanban's reader; the
generated letters must use the same weight and slant as the majority of real
files, and a size within one point of it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from vanban.generate import render_document

from .conftest import OFFICE_DIR, sample_data

pytestmark = pytest.mark.realdocs

ELEMENTS = {
    "national_title": re.compile(r"^CỘNG HO?ÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM$"),
    "motto": re.compile(r"^Độc lập\s*[-–]\s*Tự do\s*[-–]\s*Hạnh phúc$"),
    "number": re.compile(r"^Số:\s*\d*\s*/"),
    "place_date": re.compile(r"^[A-ZĐ][\wÀ-ỹ ]+, ngày\s"),
}


def _style(block):
    runs = [r for r in block.runs if r.text.strip()]
    if not runs:
        return None
    first = runs[0].style
    return (first.size_pt, bool(first.bold), bool(first.italic))


def _element_styles(raw) -> dict[str, tuple]:
    found = {}
    for block in raw.blocks[:30]:
        text = " ".join(block.text.split())
        for name, pattern in ELEMENTS.items():
            if name not in found and pattern.search(text):
                style = _style(block)
                if style and style[0]:
                    found[name] = style
    return found


@pytest.fixture(scope="module")
def office_practice(realdocs):
    read_file = pytest.importorskip("vanban.read").read_file
    counts: dict[str, Counter] = {name: Counter() for name in ELEMENTS}
    read = 0
    for path in sorted(realdocs.rglob("*.docx")):
        try:
            raw = read_file(path)
        except Exception:  # a broken real file says nothing about practice
            continue
        read += 1
        for name, style in _element_styles(raw).items():
            counts[name][style] += 1
    if read < 5:
        pytest.skip("bộ văn bản thật có quá ít tệp .docx đọc được")
    return {name: c for name, c in counts.items() if c}


@pytest.mark.parametrize("kind", ["don-doc", "chi-thi", "bao-cao-nhiem-vu"])
def test_header_matches_office_practice(office_practice, tmp_path, office, kind):
    read_file = pytest.importorskip("vanban.read").read_file
    generated = render_document(kind, sample_data(kind), tmp_path / f"{kind}.docx", office=office,
                                db_path=tmp_path / "db.sqlite3", data_path=OFFICE_DIR / f"{kind}.yaml")
    ours = _element_styles(read_file(generated.path))
    assert set(ours) == set(ELEMENTS)
    for name, counter in office_practice.items():
        (size, bold, italic), _ = counter.most_common(1)[0]
        our_size, our_bold, our_italic = ours[name]
        assert (our_bold, our_italic) == (bold, italic), (name, ours[name], counter.most_common(3))
        assert abs(our_size - size) <= 1, (name, ours[name], counter.most_common(3))
