"""From a processed spaCy Doc back to the parts of an administrative document.

The Doc text is the blocks joined by newlines; a table of block start offsets
maps every span back to the Block (and so the Location) it came from.
Header and footer columns laid out with tabs or runs of spaces (plain text,
PDF) are split into *segments*, so "Số: 56/UBND-KTTH<tab>Kon Tum, ngày …"
gives two segments of the same block.
"""

from __future__ import annotations

import bisect
import datetime as dt
import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Doc

from vanban.model import (
    Citation, DocDate, Document, LocatedText, Location, Marks, NumberSymbol, RawDocument,
    Recommendation, SignatureBlock,
)
from vanban.text import fold as _fold_text
from vanban.text import squash_spaces

from .patterns import load_patterns, texts, type_by_abbr, type_by_folded_name
from .pipeline import doc_text

# The same segment is folded by several searches (national title, motto, Kính gửi, Nơi nhận): once is enough.
fold = lru_cache(maxsize=4096)(_fold_text)

HEADER_BLOCKS = 45  # the heading never runs past this many blocks
_SPLIT = re.compile(r"\t+| {3,}|\n")
_RULE = re.compile(r"^[\s_\-–—=*.…·]{3,}$")
_LIST_ITEM = re.compile(r"^\s*[-–—+•·]\s*")
_UPPER_LETTER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_NAME_WORD = re.compile(rf"^[{_UPPER_LETTER}][a-zà-ỹđ{_UPPER_LETTER.lower()}]*$")


@dataclass(frozen=True)
class Segment:
    """One column of one line of one block."""

    text: str
    block: int
    start: int  # offset in the Doc text
    end: int
    column: int  # 0 = leftmost column of its line


def _is_upper(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    if len(letters) < 2:
        return False
    return sum(1 for c in letters if c.isupper()) / len(letters) >= 0.85


def _segments(text: str, offset: int, block: int) -> list[Segment]:
    out = []
    position = 0
    column = 0
    for match in list(_SPLIT.finditer(text)) + [None]:
        end = match.start() if match else len(text)
        piece = text[position:end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            out.append(Segment(stripped, block, offset + position + lead,
                               offset + position + lead + len(stripped), column))
            column += 1
        if match is None:
            break
        if match.group(0) == "\n":
            column = 0
        position = match.end()
    return out


@lru_cache(maxsize=None)
def _title_types() -> dict[str, str]:
    return {name: t.name for name, t in type_by_folded_name().items() if t.title}


@lru_cache(maxsize=None)
def _leading_mark() -> re.Pattern:
    """The authority mark at the start of a line, dot or not: ``KT.CHỦ TỊCH`` → ``CHỦ TỊCH``."""
    marks = "|".join(f"(?:{row['pattern']})" for row in load_patterns("authority"))
    return re.compile(rf"^[\s*]*(?:{marks})(?:\s*\.\s*|\s+)")


@lru_cache(maxsize=None)
def _positions() -> frozenset[str]:
    return frozenset(squash_spaces(p) for p in texts("positions"))


@lru_cache(maxsize=None)
def _placeholders() -> frozenset[str]:
    return frozenset(fold(p) for p in texts("placeholders"))


@lru_cache(maxsize=None)
def _rec_phrases(kind: str) -> tuple[str, ...]:
    return tuple(fold(t) for t in texts("recommendations", kind))


@lru_cache(maxsize=None)
def _attach_excludes() -> tuple[str, ...]:
    return tuple(fold(t) for t in texts("attachments", "exclude"))


class _View:
    """The blocks, their segments and the spans of one document."""

    def __init__(self, raw: RawDocument, doc: Doc, starts: list[int]):
        self.raw = raw
        self.doc = doc
        self.text = doc_text(doc)
        self.starts = starts
        self.segments: list[Segment] = []
        self.blank_after: set[int] = set()  # segment indexes followed by a blank block
        for index, block in enumerate(raw.blocks):
            segs = _segments(self.text[starts[index]: starts[index] + len(block.text)], starts[index], index)
            if not segs and self.segments:
                self.blank_after.add(len(self.segments) - 1)
            self.segments.extend(segs)
        self.by_group: dict[str, list] = {}
        self._starts: dict[str, list[int]] = {}
        for group in doc.spans:
            spans = sorted(doc.spans[group], key=lambda s: s.start_char)
            self.by_group[group] = spans
            self._starts[group] = [s.start_char for s in spans]

    def location(self, block: int) -> Location:
        return self.raw.blocks[block].location

    def block_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.starts, char) - 1)

    def spans(self, group: str, seg: Segment) -> list:
        starts = self._starts.get(group)
        if not starts:
            return []
        low = bisect.bisect_left(starts, seg.start)
        high = bisect.bisect_left(starts, seg.end, low)
        return self.by_group[group][low:high]

    def located(self, seg: Segment, text: Optional[str] = None) -> LocatedText:
        return LocatedText(text if text is not None else seg.text, self.location(seg.block))

    def same_cell(self, a: Segment, b: Segment) -> bool:
        la, lb = self.location(a.block), self.location(b.block)
        return la.part == "table" and lb.part == "table" and (la.table, la.row, la.cell) == (lb.table, lb.row, lb.cell)


def _find(view: _View, predicate, start: int = 0, stop: Optional[int] = None) -> Optional[int]:
    stop = len(view.segments) if stop is None else min(stop, len(view.segments))
    for i in range(start, stop):
        if predicate(view.segments[i]):
            return i
    return None


def _header_stop(view: _View) -> int:
    """Index of the first segment past the block limit of the heading."""
    for i, seg in enumerate(view.segments):
        if seg.block >= HEADER_BLOCKS:
            return i
    return len(view.segments)


def _strip_marker(text: str) -> str:
    return _LIST_ITEM.sub("", text, count=1).strip()


@lru_cache(maxsize=None)
def _rank_re() -> re.Pattern:
    return re.compile(r"^(?:" + "|".join(re.escape(r) for r in texts("ranks")) + r")\s+", re.IGNORECASE)


def _strip_rank(text: str) -> str:
    """'Thiếu tướng Trương Minh Đương' → 'Trương Minh Đương' (ranks are not part of the name)."""
    return _rank_re().sub("", text.strip(), count=1)


def _is_name(text: str) -> bool:
    words = text.replace(".", " ").split()
    if not 2 <= len(words) <= 6 or len(text) > 45 or any(ch.isdigit() for ch in text):
        return False
    if any(mark in text for mark in (":", ";", ",", "(", "/")):
        return False
    if _is_upper(text) and squash_spaces(text) in _positions():
        return False
    if _agency_like(text) or (_is_upper(text) and not _surname_first(text)):
        return False  # an agency's name or a heading in capitals (a seal or title read by OCR), not a person's
    return all(_NAME_WORD.match(w) for w in words)


# Family names, for a signer's name written in capitals (common on scans): "BÁO CÁO" is not a person.
_SURNAMES = set(fold("Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Đào Lâm "
                     "Mai Tô Trịnh Hà Cao Lương Đoàn Tạ Châu Vương Kiều Hứa Thái Lưu Quách Tăng Nông Triệu La Từ "
                     "Đàm Đậu Chu Âu Mạc Giang Tôn Khúc Kim Hầu Lò Lục Ông Phùng Thân Thạch Tiêu Văn Viên Vi Y "
                     "Nguyên Trình Hàn Lạc Lã Doãn Diệp Bạch Cù Cung Khổng Liêu Mã Nghiêm Ninh Quan Sơn Tống").split())


def _surname_first(text: str) -> bool:
    words = fold(text).split()
    return bool(words) and words[0] in _SURNAMES


def _agency_like(text: str) -> bool:
    """An agency or a document type in capitals ("BỘ CÔNG AN", "TỜ TRÌNH"), never a person's name."""
    folded = fold(text).strip()
    if not _is_upper(text):
        return False
    return bool(re.match(r"(bo|so|cong an|uy ban|ubnd|van phong|ban|hoi|tinh|cuc|to trinh|bao cao|quyet dinh|"
                         r"cong van|ke hoach|thong bao|nghi quyet|giay moi|phu luc|danh sach)\b", folded))


def _is_kinh_gui(view: "_View", seg: Segment) -> bool:
    """``Kính gửi: …``, also when the PDF line came apart into ``Kính`` | ``gửi: …``."""
    folded = fold(seg.text)
    if folded.startswith("kinh gui"):
        return True
    if folded.strip() != "kinh":
        return False
    index = view.segments.index(seg)
    following = view.segments[index + 1] if index + 1 < len(view.segments) else None
    if following is None or not fold(following.text).startswith("gui"):
        return False
    a, b = view.raw.blocks[seg.block], view.raw.blocks[following.block]
    return a.y is None or b.y is None or abs(a.y - b.y) < 1.0


def _has_layout(view: "_View", seg: Segment) -> bool:
    block = view.raw.blocks[seg.block]
    return block.x0 is not None and block.x1 is not None and block.y is not None


def _line_gap(upper, lower) -> Optional[float]:
    """Baseline distance from one PDF line to the next (None across pages or without layout)."""
    if upper.y is None or lower.y is None or upper.location.page != lower.location.page:
        return None
    return upper.y - lower.y


def _same_block_of_lines(view: "_View", lines: list[Segment], seg: Segment) -> bool:
    """Whether a PDF line continues the trích yếu under the type name (same size, weight and spacing).

    The trích yếu is one centred block, usually bold; ``Kính gửi``, ``Căn cứ``
    and the body come after a wider gap (often a short rule) in regular type.
    Other formats carry no layout: always True.
    """
    first = view.raw.blocks[lines[0].block]
    previous = view.raw.blocks[lines[-1].block]
    block = view.raw.blocks[seg.block]
    if block.y is None or previous.y is None or first.font_size is None or block.font_size is None:
        return True
    gap = _line_gap(previous, block)
    if gap is None or gap < -0.5:
        return False
    if "ocr" in (first.source, block.source):
        # OCR boxes give a rough size (accents make lines taller) and no weight: the spacing alone decides
        return gap <= max(first.font_size, block.font_size) * 2.2
    if gap > max(first.font_size, block.font_size) * 1.9:
        return False
    if first.bold and block.bold is False:
        return False
    if abs(first.font_size - block.font_size) > 1.0:
        return False
    return True


def _vv_lines(view: "_View", vv_i: int) -> list[Segment]:
    """The ``V/v`` lines of a công văn: the left-column block under the number, to ``Kính gửi``.

    The block goes on over several lines while the right column holds the place
    and date (or nothing, or a stamped widget); a line is part of it when it
    sits under the V/v lines (overlapping them horizontally, not reaching past
    the middle of the page), in the same size, right below the previous line.
    """
    segs = view.segments
    lines = [segs[vv_i]]
    first = view.raw.blocks[segs[vv_i].block]
    size = first.font_size or 12.0
    left, right = first.x0, first.x1
    middle = first.page_width / 2 if first.page_width else None
    for i in range(vv_i + 1, min(vv_i + 12, len(segs))):
        seg = segs[i]
        block = view.raw.blocks[seg.block]
        if block.location.part == "widget":
            continue
        if block.x0 is None or block.y is None:
            break
        if _is_kinh_gui(view, seg) or view.spans("numbers", seg):
            break
        previous = view.raw.blocks[lines[-1].block]
        gap = _line_gap(previous, block)
        if gap is None:
            break
        overlap = min(right, block.x1) - max(left, block.x0)
        in_left_column = overlap > 0.5 * min(right - left, block.x1 - block.x0) and \
            (middle is None or block.x1 <= middle + size * 3)
        if not in_left_column:
            if gap <= 0.5 or view.spans("dates", seg):
                continue  # the right column of a V/v line: place and date
            break
        ocr = "ocr" in (first.source, block.source)
        if gap < 0.5 or gap > size * (2.2 if ocr else 1.9) or (not ocr and abs((block.font_size or size) - size) > 1.0):
            break
        lines.append(seg)
        left, right = min(left, block.x0), max(right, block.x1)
    return lines


def _continues_recipient(view: "_View", i: int, last_text: str) -> bool:
    """A PDF line that carries on the Kính gửi line (``… Ban chấp hành Hội công`` / ``chứng viên …``)."""
    seg = view.segments[i]
    block = view.raw.blocks[seg.block]
    if block.location.part != "page" or not seg.text[:1].islower() or re.search(r"[.;:]\W*$", last_text):
        return False
    previous = view.raw.blocks[view.segments[i - 1].block]
    gap = _line_gap(previous, block)
    return gap is not None and 0 < gap <= (block.font_size or 12.0) * 1.9


def understand_doc(raw: RawDocument, doc: Doc, starts: list[int]) -> Document:
    view = _View(raw, doc, starts)
    segs = view.segments
    header_stop = _header_stop(view)

    # --- national title and motto -------------------------------------------------
    national_i = _find(view, lambda s: "cong hoa xa hoi chu nghia viet nam" in fold(s.text), 0, header_stop)
    motto_i = _find(view, lambda s: re.search(r"doc\s*lap\W+tu\s*do\W+hanh\s*phuc", fold(s.text)) is not None,
                    0, header_stop)
    national = motto = None
    if national_i is not None:
        seg = segs[national_i]
        text = seg.text
        folded = fold(text)
        cut = folded.find("viet nam") + len("viet nam")
        national = view.located(seg, text[folded.find("cong hoa"):cut].strip())
    if motto_i is not None:
        seg = segs[motto_i]
        folded = fold(seg.text)
        motto = view.located(seg, seg.text[folded.find("doc"):].strip())

    # --- number and place/date ----------------------------------------------------
    number: Optional[NumberSymbol] = None
    number_i = None
    for i in range(header_stop):
        found = view.spans("numbers", segs[i])
        if found:
            number = dataclasses.replace(found[0]._.vanban, location=view.location(segs[i].block))
            number_i = i
            break
    date: Optional[DocDate] = None
    for i in range(header_stop):
        found = [s for s in view.spans("dates", segs[i]) if s._.vanban.place and (
            s.start_char - segs[i].start <= 2 or re.match(r"S[ốô]\s*:", segs[i].text))]
        if found:
            date = dataclasses.replace(found[0]._.vanban, location=view.location(segs[i].block))
            break

    # --- type title, V/v, Kính gửi ---------------------------------------------
    def title_of(seg: Segment) -> Optional[str]:
        if not _is_upper(seg.text) or seg.text.rstrip().endswith(":"):
            return None
        key = fold(re.sub(r"D[ỰU]\s*TH[ẢA]O", "", seg.text)).strip(" .")
        key = squash_spaces(key)
        return _title_types().get(key)

    title_i = _find(view, lambda s: title_of(s) is not None and s is not None, 0, header_stop)
    if title_i is not None and national_i is not None and view.same_cell(segs[title_i], segs[national_i]):
        title_i = None
    vv_i = _find(view, lambda s: re.match(r"^(V/[vV]|Về việc)\b", s.text) is not None and
                 (title_i is None or s.block < segs[title_i].block), 0, header_stop)
    kinh_gui_i = _find(view, lambda s: _is_kinh_gui(view, s), 0, header_stop)

    doc_type = title_of(segs[title_i]) if title_i is not None else None
    if doc_type is None and vv_i is not None:
        doc_type = "Công văn"
    # the number alone names the type only inside a real heading (a widget stamp such as
    # "Số: 666/TTr-SNV; 22/12/2025" on an annex names the document it is attached to)
    if doc_type is None and number is not None and (national_i is not None or title_i is not None) and \
            view.location(segs[number_i].block).part != "widget":
        doc_type = type_by_abbr().get(number.type_abbr or "") or (None if number.type_abbr else "Công văn")
    type_abbr = next((t.abbr for t in type_by_folded_name().values() if t.name == doc_type), None)

    # --- trích yếu --------------------------------------------------------------
    subject: Optional[LocatedText] = None
    if title_i is not None:
        lines: list[Segment] = []
        for i in range(title_i + 1, min(title_i + 7, len(segs))):
            seg = segs[i]
            folded = fold(seg.text)
            if lines and view.location(seg.block).part == "widget":
                continue  # a stamp drawn between the lines
            if _RULE.match(seg.text) or folded.startswith(("kinh gui", "can cu", "theo de nghi")) or \
                    _is_kinh_gui(view, seg):
                break
            if lines and (_is_upper(seg.text) or len(" ".join(x.text for x in lines)) > 400):
                break
            if lines and not _same_block_of_lines(view, lines, seg):
                break
            if not lines and _is_upper(seg.text) and len(seg.text) < 60 and fold(seg.text).startswith(("uy ban", "chu tich")):
                break
            lines.append(seg)
            if (i in view.blank_after or raw.blocks[seg.block].has_bottom_border or seg.text.endswith(".")):
                break
        if lines:
            subject = view.located(lines[0], squash_spaces(" ".join(s.text for s in lines)))
    elif vv_i is not None:
        lines = [segs[vv_i]]
        if _has_layout(view, segs[vv_i]):
            lines = _vv_lines(view, vv_i)
        else:
            for i in range(vv_i + 1, min(vv_i + 6, len(segs))):
                seg = segs[i]
                if vv_i + (len(lines) - 1) in view.blank_after:
                    break
                if not seg.text[:1].islower() or view.spans("dates", seg) or seg.column != segs[vv_i].column:
                    break
                lines.append(seg)
        subject = view.located(lines[0], squash_spaces(" ".join(s.text for s in lines)))

    # --- recipients -------------------------------------------------------------
    recipients: list[str] = []
    kinh_gui_end = kinh_gui_i  # last segment of the Kính gửi block
    if kinh_gui_i is not None:
        seg = segs[kinh_gui_i]
        text = seg.text
        if fold(text).strip() == "kinh" and kinh_gui_i + 1 < len(segs):  # "Kính" | "gửi: …" cut in two
            kinh_gui_end = kinh_gui_i + 1
            text = f"{text} {segs[kinh_gui_end].text}"
        rest = re.sub(r"^\s*k[íi]nh\s*g[ửu]i\s*:?", "", text, flags=re.IGNORECASE).strip()
        if rest:
            recipients.append(_strip_marker(rest).rstrip(";.").strip())
        last_text = rest
        for i in range(kinh_gui_end + 1, min(kinh_gui_end + 30, len(segs))):
            text = segs[i].text
            if _LIST_ITEM.match(text):
                recipients.append(_strip_marker(text).rstrip(";.").strip())
            elif recipients and last_text and _continues_recipient(view, i, last_text):
                recipients[-1] = squash_spaces(f"{recipients[-1]} {text.rstrip(';.').strip()}")
            else:
                break
            last_text = text
            kinh_gui_end = i

    heading_end = max(i for i in (title_i, vv_i, kinh_gui_i, number_i, national_i, motto_i, 0) if i is not None)
    if kinh_gui_end is not None:
        heading_end = kinh_gui_end
    elif subject is not None:
        heading_end = max(heading_end, next(i for i, s in enumerate(segs) if s.block == subject.location.index or
                                            view.location(s.block) == subject.location))

    # --- signature block and Nơi nhận ----------------------------------------------
    noi_nhan_i = _find(view, lambda s: squash_spaces(fold(s.text)).startswith("noi nhan"), heading_end + 1)

    def is_position(seg: Segment) -> bool:
        return _is_upper(seg.text) and squash_spaces(seg.text.strip(" .,:")) in _positions()

    def authority_at(seg: Segment):
        found = [s for s in view.spans("authority", seg) if s.start_char - seg.start <= 1]
        return found[0] if found else None

    candidates = [i for i in range(heading_end + 1, len(segs))
                  if authority_at(segs[i]) is not None or is_position(segs[i])]
    sig_i = None
    if candidates:
        if noi_nhan_i is not None:
            near = [i for i in candidates if i >= noi_nhan_i - 4]
            sig_i = min(near, key=lambda i: abs(i - noi_nhan_i)) if near else candidates[-1]
        else:
            sig_i = candidates[0]

    signature: Optional[SignatureBlock] = None
    if sig_i is not None:
        marks: list[str] = []
        authority_lines: list[str] = []
        positions: list[str] = []
        signer = None
        for i in range(sig_i, min(sig_i + 16, len(segs))):
            seg = segs[i]
            text = seg.text
            if _LIST_ITEM.match(text) or squash_spaces(fold(text)).startswith(("noi nhan", "luu")):
                continue
            if fold(text).strip("() []") in {p.strip("() []") for p in _placeholders()} or _RULE.match(text):
                continue
            mark = authority_at(seg)
            if mark is not None:
                marks.append(mark._.vanban)
                # not the span's end: spaCy's token may run on ("KT.CHỦ" is one token)
                rest = _leading_mark().sub("", text, count=1).strip(" .")
                authority_lines.append(f"{mark._.vanban} {rest}".strip())
                continue
            if is_position(seg):
                positions.append(squash_spaces(text.strip(" .,:")))
                continue
            if _is_upper(text) and authority_lines and not positions and not _is_name(text.title()):
                authority_lines[-1] = f"{authority_lines[-1]} {text}"
                continue
            if _is_upper(text) and view.spans("positions", seg):
                positions.append(squash_spaces(text.strip(" .,:")))
                continue
            name = _strip_rank(text)
            if _is_name(name) or (_is_upper(name) and _surname_first(name) and not _agency_like(name)
                                  and _is_name(name.title()) and (positions or marks)):
                signer = squash_spaces(name)
                break
            if len(text) > 60:
                break
        signature = SignatureBlock(
            authority_mark=marks[-1] if marks else None,
            authority_text=" / ".join(authority_lines) or None,
            positions=tuple(positions),
            signer_name=signer,
            location=view.location(segs[sig_i].block),
        )

    distribution: list[str] = []
    archive: Optional[str] = None
    if noi_nhan_i is not None:
        first = re.sub(r"^\s*n[ơo]i\s*nh[ậa]n\s*:?", "", segs[noi_nhan_i].text, flags=re.IGNORECASE).strip()
        items = [first] if first else []
        for i in range(noi_nhan_i + 1, min(noi_nhan_i + 40, len(segs))):
            text = segs[i].text
            if _LIST_ITEM.match(text) or fold(text).startswith("luu"):
                items.append(text)
            elif len(text) > 80:
                break
        for item in items:
            clean = squash_spaces(_strip_marker(item)).rstrip(";").strip()
            if fold(clean).startswith("luu"):
                archive = re.sub(r"^l[ưu]u\s*:?\s*", "", clean, flags=re.IGNORECASE).rstrip("./").strip() or clean
            elif clean:
                distribution.append(clean.rstrip("."))

    body_end = min(i for i in (sig_i, noi_nhan_i, len(segs)) if i is not None)
    if sig_i is not None and noi_nhan_i is not None and sig_i < noi_nhan_i - 4:
        body_end = sig_i

    # --- căn cứ, citations ------------------------------------------------------
    basis_segments: set[int] = set()
    in_basis_section = False
    for i in range(heading_end + 1, body_end):
        folded = fold(segs[i].text)
        if folded.startswith("can cu") and not folded.startswith(("can cu vao tinh hinh", "can cu tinh hinh")):
            basis_segments.add(i)
            in_basis_section = bool(re.match(r"can cu phap ly\s*:?\s*$", folded))
        elif re.search(r"(can cu|co so) phap ly\s*:?\s*$", folded):
            in_basis_section = True
        elif in_basis_section and _LIST_ITEM.match(segs[i].text):
            basis_segments.add(i)
        else:
            in_basis_section = False
    legal_bases: list[Citation] = []
    citations: list[Citation] = []
    for i, seg in enumerate(segs):
        for span in view.spans("citations", seg):
            citation = dataclasses.replace(span._.vanban, is_legal_basis=i in basis_segments,
                                           location=view.location(seg.block))
            citations.append(citation)
            if i in basis_segments:
                legal_bases.append(citation)

    # --- recommendations and attachments ----------------------------------------
    recommendations: list[Recommendation] = []
    attachments: list[LocatedText] = []
    seen_sentences: set[tuple[int, int]] = set()
    for i in range(heading_end + 1, body_end):
        seg = segs[i]
        if i in basis_segments:
            continue
        for span in view.spans("recommendations", seg):
            start, end = _sentence_bounds(view.text, _flow(view, i, heading_end + 1, body_end), span.start_char)
            if (start, end) in seen_sentences:
                continue
            sentence = view.text[start:end]
            before = squash_spaces(fold(view.text[max(start, span.start_char - 25): span.end_char + 12]))
            if any(ex in before for ex in _rec_phrases("exclude")):
                continue
            # the submitting agency's own request: "Sở Nội vụ kính trình …", "Kính đề nghị …",
            # not a verb in the middle of a narrative clause
            if span._.vanban not in _rec_phrases("polite") and len(_clause_prefix(
                    view.text, start, span.start_char + len(span.text) - len(span.text.lstrip("(\"'“-–")))) > 60:
                continue
            seen_sentences.add((start, end))
            proposal = view.text[span.end_char:end].strip(" :,.;/")
            folded = fold(proposal)
            vague = any(p in folded for p in _rec_phrases("always_vague"))
            if not vague and any(p in folded for p in _rec_phrases("vague")):
                rest = folded
                for p in _rec_phrases("vague"):
                    rest = rest.replace(p, " ")
                vague = not any(re.search(rf"(?<!\w){re.escape(c)}(?!\w)", rest) for c in _rec_phrases("concrete"))
            recommendations.append(Recommendation(
                text=squash_spaces(sentence), verb=span._.vanban, proposal=squash_spaces(proposal),
                vague=vague, location=view.location(seg.block),
            ))
        for span in view.spans("attachments", seg):
            window = squash_spaces(fold(view.text[max(seg.start, span.start_char - 20): span.end_char]))
            if any(ex in window for ex in _attach_excludes()):
                continue
            start, end = _sentence_bounds(view.text, _flow(view, i, heading_end + 1, body_end), span.start_char)
            text = squash_spaces(view.text[start:end])
            if not attachments or attachments[-1].text != text:
                attachments.append(LocatedText(text[:400], view.location(seg.block)))

    # --- agencies -----------------------------------------------------------------
    parent, issuing = _agencies(view, header_stop, number_i, national_i, motto_i, title_i, vv_i, kinh_gui_i)

    # --- marks --------------------------------------------------------------------
    marks = _marks(view, header_stop)

    # --- widget text from signed PDFs (number and day/month stamped in the appearance) ---
    before_merge = date
    number, date = _merge_widgets(raw, number, date)
    date, date_note = _check_signing_time(raw, before_merge, date)
    if date_note:
        raw = dataclasses.replace(raw, notes=raw.notes + (date_note,))

    body_blocks = sorted({segs[i].block for i in range(heading_end + 1, body_end)})
    body = tuple(raw.blocks[b] for b in body_blocks)

    return Document(
        source=raw, doc_type=doc_type, type_abbr=type_abbr, national_title=national, motto=motto,
        parent_agency=parent, issuing_agency=issuing, number=number, date=date, subject=subject,
        recipients=tuple(r for r in recipients if r), legal_bases=tuple(legal_bases), citations=tuple(citations),
        recommendations=tuple(recommendations), attachments=tuple(attachments), signature=signature,
        distribution=tuple(distribution), archive=archive, marks=marks, body=body,
    )


def _flow(view: _View, i: int, lo: int, hi: int) -> tuple[int, int]:
    """Character range of the paragraph around segment ``i``.

    PDF pages give one block per printed line, so a sentence runs on over the
    next lines until one ends with sentence punctuation; other formats give
    one block per paragraph.
    """
    segs = view.segments
    if view.location(segs[i].block).part != "page":
        return segs[i].start, segs[i].end
    first = last = i
    while first > lo and view.location(segs[first - 1].block).part == "page" \
            and not re.search(r"[.;:!?]\W*$", segs[first - 1].text) and i - first < 8:
        first -= 1
    while last + 1 < hi and view.location(segs[last + 1].block).part == "page" \
            and not re.search(r"[.;!?]\W*$", segs[last].text) and last - i < 8:
        last += 1
    return segs[first].start, segs[last].end


def _sentence_bounds(text: str, region: tuple[int, int], at: int) -> tuple[int, int]:
    """The sentence of ``region`` containing offset ``at`` (sentences end with '.', ';' or the region)."""
    lo, hi = region
    start = lo
    for match in re.finditer(r"[.;!?](?=\s+[A-ZĐÀ-Ỹ\-+])", text[lo:at]):
        start = lo + match.end()
    end_match = re.search(r"[.;!?](?=\s+[A-ZĐÀ-Ỹ\-+])|\./\.|$", text[at:hi])
    end = at + end_match.start() + (1 if end_match.group(0) in ".;!?" else 0) if end_match else hi
    return start, min(max(end, at), hi)


def _clause_prefix(text: str, start: int, at: int) -> str:
    """What precedes the verb in its clause (after the last '(' ':' or sentence start)."""
    prefix = text[start:at]
    cut = max(prefix.rfind("("), prefix.rfind(":"))
    return squash_spaces(prefix[cut + 1:] if cut >= 0 else prefix)


def _agencies(view: _View, header_stop: int, number_i, national_i, motto_i, title_i, vv_i, kinh_gui_i):
    segs = view.segments
    stops = [i for i in (title_i, vv_i, kinh_gui_i) if i is not None]
    limit = min(stops) if stops else header_stop
    if number_i is not None:
        limit = min(limit, number_i + 1) if not view.location(segs[number_i].block).part == "table" else limit
    skip = {i for i in (national_i, motto_i, number_i) if i is not None}
    lines: list[Segment] = []
    for i in range(min(limit, header_stop)):
        seg = segs[i]
        if i in skip or _RULE.match(seg.text) or not _is_upper(seg.text):
            continue
        if national_i is not None and (view.same_cell(seg, segs[national_i]) or
                                       (seg.block == segs[national_i].block and seg.column > 0)):
            continue
        if motto_i is not None and seg.block == segs[motto_i].block and seg.column > 0:
            continue
        if number_i is not None and i > number_i and not (
                view.same_cell(seg, segs[number_i]) and view.location(seg.block).part == "table"):
            continue
        if re.fullmatch(r"\(?\s*D[ỰU]\s*TH[ẢA]O.*", seg.text) or view.spans("dates", seg) or view.spans("numbers", seg):
            continue
        if any(n.start_char <= seg.start < n.end_char for n in view.by_group.get("numbers", ())):
            continue
        if seg.text.strip() in ("MẬT", "TỐI MẬT", "TUYỆT MẬT", "KHẨN", "THƯỢNG KHẨN", "HỎA TỐC"):
            continue
        lines.append(seg)
    groups: list[list[Segment]] = []
    for seg in lines:
        heads = [s for s in view.spans("agencies", seg) if seg.text.startswith(s._.vanban)]
        if heads:
            groups.append([seg])
        elif groups and seg.block - groups[-1][-1].block <= 2:
            groups[-1].append(seg)
    if not groups and lines and number_i is not None:
        # an agency the patterns do not know ("VIỄN THÔNG LÂM ĐỒNG" under its corporation): the upper-case
        # lines above the number, in runs of adjacent lines; the last run issues, the one before is the parent
        for seg in lines:
            if groups and seg.block - groups[-1][-1].block <= 1:
                groups[-1].append(seg)
            else:
                groups.append([seg])
        groups = groups[-2:]

    def located(group: list[Segment]) -> LocatedText:
        text = squash_spaces(" ".join(re.sub(r"D[ỰU]\s*TH[ẢA]O", "", s.text) for s in group))
        # a number line read into the same line (OCR, or a header typed on one line) is not the agency's
        text = re.split(r"\s+S[ỐốOo]\s*:", text, maxsplit=1)[0].strip()
        return view.located(group[0], text)

    if not groups:
        return None, None
    issuing = located(groups[-1])
    parent = located(groups[-2]) if len(groups) >= 2 else None
    return parent, issuing


def _marks(view: _View, header_stop: int) -> Marks:
    secrecy = urgency = circulation = None
    draft = False
    segs = view.segments
    for i in range(header_stop):
        seg = segs[i]
        for span in view.spans("marks", seg):
            kind = span._.vanban
            standalone = len(seg.text) <= 30 and _is_upper(seg.text)
            if kind == "draft":
                draft = True
            elif kind == "secrecy" and standalone and secrecy is None:
                secrecy = squash_spaces(span.text)
            elif kind == "urgency" and standalone and urgency is None:
                urgency = squash_spaces(span.text).replace("HOẢ", "HỎA")
            elif kind == "circulation" and circulation is None:
                circulation = squash_spaces(span.text)
        if re.search(r"D[ỰU]\s*TH[ẢA]O", seg.text) or re.fullmatch(r"[(\[]?\s*(?:bản\s+)?dự\s+thảo(?:\s+(?:lần\s+)?\d+)?\s*[)\]]?\.?", seg.text, re.IGNORECASE):
            draft = True
    return Marks(secrecy=secrecy, urgency=urgency, circulation=circulation, draft=draft)


def _merge_widgets(raw: RawDocument, number: Optional[NumberSymbol], date: Optional[DocDate]):
    """Signed PDFs: the number and the day/month are stamped in signature widgets, not in the page text."""
    pieces = _unplaced_widget_pieces(raw)
    if not pieces:
        return number, date
    if number is not None and number.number is None:
        for index, piece in enumerate(pieces):
            if re.fullmatch(r"\d{1,6}", piece):
                number = dataclasses.replace(number, number=piece, raw=number.raw.replace("Số:", f"Số: {piece}", 1))
                pieces.pop(index)
                break
    if date is not None and (date.day is None or date.month is None):
        joined = " ".join(pieces)
        match = re.search(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*\d{4})?", joined)
        day = month = None
        if match:
            day, month = int(match.group(1)), int(match.group(2))
        else:
            small = [int(p) for p in pieces if re.fullmatch(r"\d{1,2}", p)]
            if date.day is None and date.month is None and len(small) >= 2:
                day, month = small[0], small[1]
            elif date.day is None and small:
                day = small[0]
            elif date.month is None and small:
                month = small[0]
        if day is not None and 1 <= day <= 31:
            date = dataclasses.replace(date, day=date.day or day)
        if month is not None and 1 <= month <= 12:
            date = dataclasses.replace(date, month=date.month or month)
    return number, date


def _unplaced_widget_pieces(raw: RawDocument) -> list[str]:
    """Words of the widget texts that the reader did not already write into a blank of the page."""
    widget_texts = [b.text.strip() for b in raw.blocks if b.location.part == "widget" and b.text.strip()]
    if not widget_texts:
        widget_texts = [s.widget_text.strip() for s in raw.signatures if s.widget_text and s.widget_text.strip()]
    pieces: list[str] = []
    for text in widget_texts:
        pieces.extend(t for t in re.split(r"\s+", text) if t)
    for block in raw.blocks:
        for _, value in block.stamped:
            if value in pieces:
                pieces.remove(value)
    return pieces


# A document is signed on or after its date, and not months later.
SIGNED_WITHIN_DAYS = 45


def _signing_days(raw: RawDocument) -> list[dt.date]:
    """Signing days in the order of the signatures (the signer's first), each in its own time zone."""
    return [s.signing_time.date() for s in raw.signatures if s.signing_time is not None]


def _stamped_parts(raw: RawDocument, before: Optional[DocDate], after: DocDate) -> set[str]:
    """Which of day/month/year came from signature widgets rather than the printed text."""
    parts: set[str] = set()
    if after.location is not None:
        for block in raw.blocks:
            if block.location == after.location:
                parts.update(kind for kind, _ in block.stamped if kind in ("day", "month", "year"))
                break
    for name in ("day", "month", "year"):
        if getattr(after, name) is not None and (before is None or getattr(before, name) is None):
            parts.add(name)
    return parts


def _format_day(value: dt.date) -> str:
    return value.strftime("%d/%m/%Y")


def _check_signing_time(raw: RawDocument, before: Optional[DocDate], date: Optional[DocDate]):
    """Cross-check the document date with the digital signing time; (date, Vietnamese note or None).

    A document is not dated after it was signed (the last signature: the office
    that stamps number and date may sign a day after the signer), nor more than
    SIGNED_WITHIN_DAYS before the first signature. When the date read fails and
    another reading of the stamped parts agrees (the stamp in the other blank,
    another widget's value, the signing day itself), that reading is taken;
    when none agrees, the printed date is kept and marked uncertain.
    """
    if date is None or date.date is None:
        return date, None
    days = _signing_days(raw)
    if not days:
        return date, None
    low = days[0] - dt.timedelta(days=SIGNED_WITHIN_DAYS)
    high = max(days)

    def fits(value: Optional[dt.date]) -> bool:
        return value is not None and low <= value <= high

    read = date.date
    if fits(read):
        return date, None
    stamped = _stamped_parts(raw, before, date)
    candidates: list[DocDate] = []
    if "day" in stamped or "month" in stamped:
        if date.month is not None and date.day is not None and date.day <= 12:
            candidates.append(dataclasses.replace(date, day=date.month, month=date.day))
        values = [int(p) for p in _widget_numbers(raw) if 1 <= int(p) <= 31]
        if "day" in stamped:
            candidates += [dataclasses.replace(date, day=v) for v in values]
            candidates += [dataclasses.replace(date, day=d.day) for d in days]
        if "month" in stamped:
            candidates += [dataclasses.replace(date, month=v) for v in values if v <= 12]
            if "day" in stamped:
                candidates += [dataclasses.replace(date, day=d.day, month=d.month) for d in days]
    for candidate in candidates:
        if fits(candidate.date):
            note = (f"Ngày văn bản đọc được ({_format_day(read)}) không khớp thời điểm ký số "
                    f"({_format_day(days[0])}); đã đọc lại ngày, tháng đóng trong ô chữ ký số là "
                    f"{_format_day(candidate.date)}")
            return candidate, note
    note = (f"Ngày ghi trên văn bản ({_format_day(read)}) không khớp thời điểm ký số "
            f"({', '.join(sorted({_format_day(d) for d in days}))}): văn bản không thể ký trước ngày ban hành "
            f"hoặc sau đó quá {SIGNED_WITHIN_DAYS} ngày; ngày văn bản chưa chắc chắn, cần đối chiếu bản giấy")
    return dataclasses.replace(date, uncertain=True), note


def _widget_numbers(raw: RawDocument) -> list[str]:
    """Short numbers stamped in widgets (placed or not), in page order."""
    out: list[str] = []
    for block in raw.blocks:
        if block.location.part == "widget":
            out += [p for p in block.text.split() if re.fullmatch(r"\d{1,2}", p)]
    return out
