"""The checks of the format rules (catalogue ``lint/data/rules.yaml``), one function per rule ID.

Each function takes a :class:`LintContext` and returns ``None`` (not applicable to this document:
no layout, a scan, the element is absent), ``[]`` (passed) or the hits. A hit names the blocks
(indices into ``RawDocument.blocks``) a fix would touch and, for text fixes, the new text.
Nothing here reads a file: the layout comes from :mod:`vanban.read`, the structure from
:mod:`vanban.understand`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Optional

from ..model import Block, Document, LocatedText, Location
from ..text import fold, squash_spaces

MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
NATIONAL_TITLES = {NATIONAL_TITLE, "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"}
A4 = (210.0, 297.0)
PAPER_NAMES = {(216, 279): "Letter", (216, 356): "Legal", (148, 210): "A5", (250, 353): "B4", (176, 250): "B5"}
DEFAULT_MARGINS = {"top": (20.0, 25.0), "bottom": (20.0, 25.0), "left": (30.0, 35.0), "right": (15.0, 20.0)}
SIDE_VI = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
LEGACY_FONT = re.compile(r"^(\.vn|vni[- ]|vn[a-z]*time|tcvn)", re.IGNORECASE)
ACCEPTED_FONTS = ("Times New Roman",)
ETH = "\u00d0\u00f0"


class FormatSettings:
    """Format thresholds: Nghị định 30 defaults, overridable by a check profile's ``format`` section."""

    def __init__(self, profile=None):
        cfg = dict(getattr(profile, "format", None) or {})
        self.fonts = tuple(cfg.get("fonts") or ACCEPTED_FONTS)
        self.page = (float(cfg.get("page_width_mm", A4[0])), float(cfg.get("page_height_mm", A4[1])))
        self.tolerance = float(cfg.get("tolerance_mm", 1.5))
        margins = dict(DEFAULT_MARGINS)
        margins.update({k: tuple(v) for k, v in (cfg.get("margins_mm") or {}).items()})
        self.margins = margins
        self.body_size = tuple(cfg.get("body_size_pt") or (13.0, 14.0))


@dataclass(frozen=True)
class Edit:
    """What ``vanban fix`` does for one hit: run formatting on blocks, or a new text for one block."""

    blocks: tuple[int, ...] = ()
    bold: Optional[bool] = None
    italic: Optional[bool] = None
    size_range: Optional[tuple[float, float]] = None  # runs outside get the nearest bound
    size: Optional[float] = None  # runs outside ``size_range`` get this size instead
    justify: bool = False
    text: Optional[Callable[[str], str]] = None  # new paragraph text from the old (text fixes)
    rule_below: bool = False  # VB612: the underscore line becomes a bottom border
    span: Optional[tuple[int, int]] = None  # only the runs over these characters of the (single) block
    first_line_cm: Optional[float] = None  # paragraph: first-line indent
    min_gap_pt: Optional[float] = None  # paragraph: space after raised so before + after reaches this
    line_range: Optional[tuple[float, float]] = None  # paragraph: automatic line spacing brought into range


@dataclass(frozen=True)
class LintHit:
    location: Optional[str] = None
    evidence: str = ""
    params: dict = field(default_factory=dict)
    edit: Optional[Edit] = None  # None: nothing ``vanban fix`` can do for this hit


@dataclass
class LintContext:
    document: Document
    settings: FormatSettings = field(default_factory=FormatSettings)
    raw_text: Optional[list[str]] = None  # the file's own w:t texts before normalisation (.docx), for VB624

    @property
    def raw(self):
        return self.document.source

    @property
    def has_layout(self) -> bool:
        """Run styles are known (docx, converted doc/rtf), the text is the file's own (not OCR)."""
        src = self.raw
        return src.format in ("docx", "doc", "rtf") and bool(src.text.strip()) and not src.ocr_pages


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _where(loc: Optional[Location]) -> Optional[str]:
    return loc.describe() if loc else None


def _block(ctx: LintContext, located) -> Optional[Block]:
    """The block a located element sits in."""
    loc = getattr(located, "location", None)
    if loc is None:
        return None
    blocks = ctx.raw.blocks
    if 0 <= loc.index < len(blocks) and blocks[loc.index].location == loc:
        return blocks[loc.index]
    return next((b for b in blocks if b.location == loc), None)


def _index(ctx: LintContext, block: Block) -> int:
    return block.location.index


def _span(block: Block, text: Optional[str]) -> Optional[tuple[int, int]]:
    """Where ``text`` (spaces squashed) sits in the block's text; None: the whole block is the element."""
    if text is None or squash_spaces(block.text) == squash_spaces(text):
        return None
    words = text.split()
    if not words:
        return None
    m = re.search(r"\s+".join(re.escape(w) for w in words), block.text)
    return (m.start(), m.end()) if m else None


def _runs(ctx: LintContext, block: Block, text: Optional[str] = None) -> list:
    """The non-blank runs of ``block`` (only those overlapping ``text`` when the block holds more)."""
    runs = [r for r in block.runs if r.text.strip()]
    span = _span(block, text)
    if span is None:
        return runs
    start, stop = span
    out, pos = [], 0
    for r in block.runs:
        end = pos + len(r.text)
        if r.text.strip() and end > start and pos < stop:
            out.append(r)
        pos = end
    return out


def _value(ctx: LintContext, run, attr: str):
    value = getattr(run.style, attr)
    return value if value is not None else getattr(ctx.raw.default_style, attr)


def _style_problems(ctx: LintContext, block: Block, text: Optional[str], *, bold: Optional[bool] = None,
                    italic: Optional[bool] = None, sizes: Optional[tuple[float, float]] = None) -> list[str]:
    runs = _runs(ctx, block, text)
    if not runs:
        return []
    problems = []
    if bold is not None and any(bool(_value(ctx, r, "bold")) != bold for r in runs):
        problems.append("không in đậm" if bold else "không được in đậm")
    if italic is not None and any(bool(_value(ctx, r, "italic")) != italic for r in runs):
        problems.append("không in nghiêng" if italic else "không được in nghiêng")
    if sizes is not None:
        low, high = sizes
        off = sorted({s for s in (_value(ctx, r, "size_pt") for r in runs) if s is not None
                      and not low - 0.01 <= s <= high + 0.01})
        if off:
            wanted = f"phải là cỡ {_num(low)} pt" if low == high else f"ngoài khoảng {_num(low)}–{_num(high)} pt"
            problems.append(f"cỡ {', '.join(_num(s) for s in off)} pt, {wanted}")
    return problems


def _whole(block: Block, text: str) -> bool:
    return squash_spaces(block.text) == squash_spaces(text)


# --------------------------------------------------------------------------
# Page, fonts, sizes (VB601–VB604, VB609, VB625, VB626)
# --------------------------------------------------------------------------

def page_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    s = ctx.settings
    if not ctx.raw.pages:
        return None
    hits, seen = [], set()
    scanned = set(ctx.raw.scanned_pages) | set(ctx.raw.ocr_pages)  # 1-based
    # a scanner's page is not the paper the document was printed on
    pages = [p for p in ctx.raw.pages if ctx.raw.format not in ("pdf", "image") or p.index + 1 not in scanned]
    if not pages:
        return None
    for page in pages:
        w, h = sorted((page.width_mm, page.height_mm))
        key = (round(w), round(h))
        if abs(w - s.page[0]) <= s.tolerance and abs(h - s.page[1]) <= s.tolerance or key in seen:
            continue
        seen.add(key)
        name = PAPER_NAMES.get(key)
        hits.append(LintHit(params={"width": _num(page.width_mm), "height": _num(page.height_mm),
                                    "name": f" ({name})" if name else ""},
                            location=f"trang/phần {page.index + 1}", edit=Edit()))
    return hits


def margin_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    pages = [p for p in ctx.raw.pages if p.margin_left_mm is not None]
    if not pages:
        return None
    page = pages[0]
    hits = []
    for side, (low, high) in ctx.settings.margins.items():
        value = getattr(page, f"margin_{side}_mm")
        if value is None:
            continue
        if value < low - 0.5 or value > high + 0.5:
            hits.append(LintHit(params={"side": SIDE_VI[side], "value": _num(value), "low": _num(low),
                                        "high": _num(high)},
                                location=f"phần {page.index + 1}", edit=Edit()))
    return hits


def _char_weights(ctx: LintContext, attr: str, blocks=None) -> Counter:
    weights: Counter = Counter()
    for block in blocks if blocks is not None else ctx.raw.blocks:
        for run in block.runs:
            n = len(run.text.strip())
            if not n:
                continue
            value = _value(ctx, run, attr)
            if value is not None:
                weights[value] += n
    return weights


_FACE_SUFFIX = re.compile(r"([ ,-]+(bold|italic|oblique|regular|normal|semibold|light|medium|black)|(ps)?mt|ps)+$",
                          re.IGNORECASE)


def font_family(name: str) -> str:
    """The family of a font face: ``Times New Roman Bold``, ``TimesNewRomanPS-BoldMT`` → ``Times New Roman``."""
    base = name.split("+", 1)[-1].strip()  # PDF subset prefix ABCDEF+
    family = _FACE_SUFFIX.sub("", base).strip() or base
    if " " not in family and re.search(r"[a-z][A-Z]", family):
        family = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family)  # TimesNewRoman → Times New Roman
    return family


def font_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    weights: Counter = Counter()
    for font, n in _char_weights(ctx, "font").items():
        weights[font_family(font)] += n
    total = sum(weights.values())
    if not total:
        return None
    accepted = {fold(f) for f in ctx.settings.fonts}
    hits = []
    for font, n in weights.most_common():
        share = 100 * n / total
        if fold(font) in accepted or LEGACY_FONT.match(font) or share < 5:
            continue
        hits.append(LintHit(params={"font": font, "share": f"{share:.0f}"}, evidence=font, edit=Edit()))
    if ctx.raw.format in ("docx", "doc", "rtf"):
        # 'Times New Roman Bold' is a face, not a font: a machine without a font of that name draws another
        for font, n in _char_weights(ctx, "font").items():
            if font != font_family(font) and fold(font_family(font)) in accepted and n >= 20:
                hits.append(LintHit(params={"font": font, "share": f"{100 * n / total:.0f}"}, evidence=font,
                                    edit=Edit()))
    return hits


def _body_blocks(ctx: LintContext) -> list[Block]:
    return [b for b in (ctx.document.body or ()) if b.location.part in ("body", "line")]


def size_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    body = _body_blocks(ctx)
    weights = _char_weights(ctx, "size_pt", body)
    total = sum(weights.values())
    if total < 200:
        return None
    size, n = weights.most_common(1)[0]
    low, high = ctx.settings.body_size
    if low - 0.01 <= size <= high + 0.01:
        return []
    off = tuple(_index(ctx, b) for b in body if b.text.strip() and b.location.part == "body")
    return [LintHit(params={"size": _num(size), "share": f"{100 * n / total:.0f}", "low": _num(low), "high": _num(high)},
                    edit=Edit(blocks=off, size_range=(low, high), size=high))]


def _explicit_fonts(ctx: LintContext) -> Counter:
    """Characters per font that runs actually carry (a style default no text uses does not count)."""
    weights: Counter = Counter()
    for block in ctx.raw.blocks:
        for run in block.runs:
            n = len(run.text.strip())
            if n and run.style.font:
                weights[run.style.font] += n
    return weights


def legacy_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    weights = _explicit_fonts(ctx)
    legacy = sorted({f for f, n in weights.items() if LEGACY_FONT.match(f) and n >= 20})
    what = []
    if ctx.raw.legacy_encoding:
        what.append(f"bảng mã {ctx.raw.legacy_encoding}")
    if legacy:
        what.append("phông " + ", ".join(legacy))
    if not weights and not ctx.raw.legacy_encoding:
        return None
    return [LintHit(params={"what": " và ".join(what)}, evidence=", ".join(legacy))] if what else []


def page_number_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    pages = [p for p in ctx.raw.pages if p.has_page_numbers is not None]
    if not pages or ctx.raw.format not in ("docx", "doc", "rtf"):
        return None
    first = pages[0]
    if not any(p.has_page_numbers for p in pages):
        if ctx.raw.page_count == 1 or len(ctx.raw.text) < 3000:
            return []  # a one-page letter needs no page numbers
        return [LintHit(params={"problem": "Văn bản nhiều trang không đánh số trang"})]
    if first.page_number_on_first_page:
        return [LintHit(params={"problem": "Trang đầu có số trang; số trang đánh từ trang 2"})]
    return []


def orientation_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.raw.pages or ctx.raw.format == "pdf":
        return None
    return [LintHit(params={"section": page.index + 1, "width": _num(page.width_mm), "height": _num(page.height_mm)},
                    location=f"phần {page.index + 1}")
            for page in ctx.raw.pages if page.width_mm > page.height_mm + 1]


# --------------------------------------------------------------------------
# Quốc hiệu, tiêu ngữ (VB605, VB606, VB610–VB612)
# --------------------------------------------------------------------------

_DASHES = "[\u2010\u2011\u2012\u2013\u2014\u2015\u2212-]"
_MOTTO_WORDS = re.compile(rf"^\s*Độc lập\s*{_DASHES}\s*Tự do\s*{_DASHES}\s*Hạnh phúc\s*$")


def _fix_motto(text: str) -> str:
    return re.sub(rf"Độc lập\s*{_DASHES}\s*Tự do\s*{_DASHES}\s*Hạnh phúc", MOTTO, text)


def _has_header(doc: Document) -> bool:
    """The document has a header of its own (a number, a quốc hiệu or a tiêu ngữ); an appendix, a list,
    a charter or an explanation sheet has none and is not asked for one."""
    return any(x is not None for x in (doc.number, doc.national_title, doc.motto))


def motto_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    if not doc.source.text.strip() or doc.source.is_scan:
        return None
    if doc.motto is None:
        if not _has_header(doc):
            return None
        return [LintHit(params={"found": "(không thấy)", "detail": ": văn bản thiếu tiêu ngữ"})]
    found = squash_spaces(doc.motto.text)
    if found == MOTTO:
        return []
    details = []
    if re.search("[\u2012\u2013\u2014\u2015\u2212]", found):
        details.append("dùng gạch ngang dài (–) thay cho gạch nối (-)")
    if re.search(r"\S-|-\S", found):
        details.append("thiếu khoảng cách hai bên gạch nối")
    if found.isupper():
        details.append("viết in hoa toàn bộ")
    detail = ": " + "; ".join(details) if details else ""
    block = _block(ctx, doc.motto)
    edit = None
    if block is not None and _MOTTO_WORDS.match(found):
        edit = Edit(blocks=(_index(ctx, block),), text=_fix_motto)
    return [LintHit(location=_where(doc.motto.location), evidence=found, params={"found": found, "detail": detail},
                    edit=edit)]


def national_title_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    if not doc.source.text.strip() or doc.source.is_scan:
        return None
    if doc.national_title is None:
        if not _has_header(doc):
            return None
        return [LintHit(params={"problem": "không có trên văn bản"})]
    found = squash_spaces(doc.national_title.text)
    if found in NATIONAL_TITLES:
        return []
    edit = None
    if found.upper() in NATIONAL_TITLES:
        problem = "phải viết in hoa"
        block = _block(ctx, doc.national_title)
        if block is not None:
            edit = Edit(blocks=(_index(ctx, block),),
                        text=lambda t, f=found: re.sub(re.escape(f).replace(r"\ ", r"\s+"), f.upper(), t))
    else:
        problem = f"'{found}' không đúng chữ '{NATIONAL_TITLE}'"
    return [LintHit(location=_where(doc.national_title.location), evidence=found, params={"problem": problem},
                    edit=edit)]


def _element_style_hits(ctx: LintContext, located: Optional[LocatedText], *, bold=None, italic=None, sizes=None,
                        size=None, params: Callable[[str, str], dict] = None) -> Optional[list[LintHit]]:
    if located is None or not ctx.has_layout:
        return None
    block = _block(ctx, located)
    if block is None or not block.runs:
        return None
    problems = _style_problems(ctx, block, located.text, bold=bold, italic=italic, sizes=sizes)
    if not problems:
        return []
    text = squash_spaces(located.text)
    edit = Edit(blocks=(_index(ctx, block),), bold=bold, italic=italic, size_range=sizes, size=size,
                span=_span(block, located.text))
    return [LintHit(location=_where(located.location), evidence=text,
                    params=params(text, ", ".join(problems)), edit=edit)]


def national_title_style_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    return _element_style_hits(ctx, ctx.document.national_title, bold=True, sizes=(12.0, 13.0),
                               params=lambda t, p: {"problem": p})


def motto_style_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    return _element_style_hits(ctx, ctx.document.motto, bold=True, sizes=(13.0, 14.0),
                               params=lambda t, p: {"problem": p})


_RULE_LINE = re.compile(r"^[_\-–—=.‾¯]{5,}$")


def motto_rule_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    motto = ctx.document.motto
    if motto is None or not ctx.has_layout:
        return None
    block = _block(ctx, motto)
    if block is None:
        return None
    blocks = ctx.raw.blocks
    i = _index(ctx, block)
    following = blocks[i + 1] if i + 1 < len(blocks) else None
    if following is None or following.location.cell != block.location.cell \
            or following.location.table != block.location.table:
        return []
    line = following.text.strip()
    if not _RULE_LINE.match(line.replace(" ", "")):
        return []
    return [LintHit(location=_where(following.location), evidence=line, params={"line": line[:12] + ("…" if len(line) > 12 else "")},
                    edit=Edit(blocks=(_index(ctx, following),), text=lambda t: "", rule_below=True))]


# --------------------------------------------------------------------------
# Header elements (VB607, VB608, VB613–VB616)
# --------------------------------------------------------------------------

_NUMBER_LINE = re.compile(r"Số\s*:?\s*(\d*)\s*(/.*)$", re.IGNORECASE)


def _fix_number(text: str) -> str:
    """``Số: 5/TTr - SNV`` → ``Số: 05/TTr-SNV``; the blank left for a draft's number stays as it is."""
    def repl(m):
        number = m.group(2)
        if number.isdigit() and int(number) < 10 and len(number) == 1:
            number = "0" + number
        symbol = re.sub(r"\s*([/\-–])\s*", lambda s: "-" if s.group(1) == "–" else s.group(1), m.group(4).rstrip())
        symbol = symbol.lstrip()
        return f"{m.group(1)}{number}{'/' if number else m.group(3)}{symbol}"
    return re.sub(r"(Số\s*:?\s*)(\d*)(\s*/)(.*)$", repl, text, count=1, flags=re.IGNORECASE)


def number_form_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    if doc.number is None:
        return None
    raw = squash_spaces(doc.number.raw)
    m = _NUMBER_LINE.search(raw)
    problems = []
    number = doc.number.number
    if number and number.isdigit() and int(number) < 10 and not number.startswith("0"):
        problems.append(f"số {number} nhỏ hơn 10 phải viết thêm số 0 phía trước ({int(number):02d})")
    symbol = m.group(2) if m else raw[raw.find("/"):] if "/" in raw else ""
    if re.search(r"\s[/\-–]|[/\-–]\s", symbol.strip()):
        problems.append("có khoảng cách quanh dấu '/' hoặc '-' trong ký hiệu")
    return _form_hits(ctx, doc.number, problems, _fix_number)


def _form_hits(ctx: LintContext, element, problems: list[str], fix: Callable[[str], str]) -> list[LintHit]:
    """One hit per problem of a number or a date line, fixed by ``fix`` when it changes the line."""
    raw = squash_spaces(element.raw)
    block = _block(ctx, element)
    edit = None
    if block is not None and problems and fix(block.text) != block.text:
        edit = Edit(blocks=(_index(ctx, block),), text=fix)
    return [LintHit(location=_where(element.location), evidence=raw, params={"raw": raw, "problem": p}, edit=edit)
            for p in problems]


_DATE_PARTS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm", re.IGNORECASE)


def _fix_date(text: str) -> str:
    def repl(m):
        day, month = int(m.group(2)), int(m.group(4))
        month_text = f"{month:02d}" if month <= 2 else str(month)
        return f"{m.group(1)}{day:02d}{m.group(3)}{month_text}{m.group(5)}"
    return re.sub(r"(ngày\s+)(\d{1,2})(\s+tháng\s+)(\d{1,2})(\s+năm)", repl, text, count=1, flags=re.IGNORECASE)


def date_form_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    if doc.date is None:
        return None
    raw = squash_spaces(doc.date.raw)
    m = _DATE_PARTS.search(raw)
    if not m:
        return None
    day, month = m.group(1), m.group(2)
    problems = []
    if int(day) < 10 and len(day) == 1:
        problems.append(f"ngày {day} phải viết '{int(day):02d}'")
    if int(month) in (1, 2) and len(month) == 1:
        problems.append(f"tháng {month} phải viết '{int(month):02d}'")
    if int(month) >= 3 and len(month) == 2 and month.startswith("0"):
        problems.append(f"tháng {month} phải viết '{int(month)}' (chỉ tháng 1, 2 thêm số 0)")
    return _form_hits(ctx, doc.date, problems, _fix_date)


def _upper_problem(text: str) -> Optional[str]:
    letters = [c for c in text if c.isalpha()]
    return "phải viết in hoa" if letters and any(c.islower() for c in letters) else None


def _upper_and_bold_hits(ctx: LintContext, located: Optional[LocatedText], sizes: tuple[float, float],
                         size: float) -> Optional[list[LintHit]]:
    """An element in capitals, bold, in ``sizes``: the style is fixed, the capitals are left to the drafter."""
    if located is None or not ctx.has_layout:
        return None
    block = _block(ctx, located)
    if block is None or not block.runs:
        return None
    text = squash_spaces(located.text)
    problems = _style_problems(ctx, block, located.text, bold=True, sizes=sizes)
    upper = _upper_problem(text)
    hits = []
    if problems:
        edit = Edit(blocks=(_index(ctx, block),), bold=True, size_range=sizes, size=size,
                    span=_span(block, located.text))
        hits.append(LintHit(location=_where(located.location), evidence=text,
                            params={"text": text, "problem": ", ".join(problems)}, edit=edit))
    if upper:
        hits.append(LintHit(location=_where(located.location), evidence=text, params={"text": text, "problem": upper}))
    return hits


def agency_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    agency, number = doc.issuing_agency, doc.number
    # the agency of a header sits above its number; a charter's title line is no issuing agency
    if agency is None or number is None or agency.location is None or number.location is None \
            or agency.location.index > number.location.index:
        return None
    return _upper_and_bold_hits(ctx, agency, (12.0, 13.0), 13.0)


def date_style_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    date = ctx.document.date
    if date is None:
        return None
    located = LocatedText(date.raw, date.location) if date.location else None
    return _element_style_hits(ctx, located, italic=True, sizes=(13.0, 14.0), size=14.0,
                               params=lambda t, p: {"text": t, "problem": p})


def _type_line(ctx: LintContext) -> Optional[LocatedText]:
    """The block that holds the type name (TỜ TRÌNH, QUYẾT ĐỊNH …) between the header and the subject."""
    doc = ctx.document
    if not doc.doc_type or doc.doc_type == "Công văn" or doc.subject is None or doc.subject.location is None:
        return None
    wanted = fold(doc.doc_type)
    stop = doc.subject.location.index
    for block in ctx.raw.blocks[max(0, stop - 6):stop + 1]:
        if fold(squash_spaces(block.text)) == wanted:
            return LocatedText(block.text, block.location)
    return None


def type_name_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    return _upper_and_bold_hits(ctx, _type_line(ctx), (13.0, 14.0), 14.0)


def subject_vv_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    if doc.doc_type != "Công văn" or doc.subject is None:
        return None
    text = squash_spaces(doc.subject.text)
    if re.match(r"^V/v\b", text):
        return []
    return [LintHit(location=_where(doc.subject.location), evidence=text, params={"text": _short(text)})]


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


# --------------------------------------------------------------------------
# Căn cứ, body (VB617–VB619)
# --------------------------------------------------------------------------

_BASIS = re.compile(r"^\s*Căn cứ\b")
# documents with a part "căn cứ ban hành" under the trích yếu (Phụ lục I, II.6.a)
ISSUED_WITH_BASES = {"Quyết định", "Nghị quyết", "Nghị định", "Thông tư", "Chỉ thị"}


def _basis_blocks(ctx: LintContext) -> list[Block]:
    """The căn cứ lines that open the body (a Quyết định may put its authority in capitals above them)."""
    out: list[Block] = []
    if ctx.document.doc_type not in ISSUED_WITH_BASES:
        return out  # a tờ trình, kế hoạch or công văn may open with "Căn cứ …" as ordinary content
    for block in ctx.document.body or ():
        text = block.text.strip()
        if not text:
            continue
        if _BASIS.match(text):
            out.append(block)
        elif out or not text.isupper():
            break
    return out


def basis_italic_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.has_layout:
        return None
    blocks = _basis_blocks(ctx)
    if not blocks:
        return None
    hits = []
    for block in blocks:
        if _style_problems(ctx, block, None, italic=True):
            hits.append(LintHit(location=_where(block.location), evidence=_short(block.text),
                                params={"text": _short(block.text, 50)},
                                edit=Edit(blocks=(_index(ctx, block),), italic=True)))
    return hits


def basis_punctuation_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    blocks = _basis_blocks(ctx)
    if not blocks:
        return None
    hits = []
    for i, block in enumerate(blocks):
        text = block.text.rstrip()
        last = i == len(blocks) - 1
        if text.endswith(";") or last and text.endswith("."):
            continue
        problem = ("là dòng cuối, phải kết thúc bằng dấu chấm (.)" if last
                   else "phải kết thúc bằng dấu chấm phẩy (;)")
        hits.append(LintHit(location=_where(block.location), evidence=_short(text),
                            params={"text": _short(text, 50), "problem": problem}))
    return hits


def justify_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.has_layout:
        return None
    body = [b for b in _body_blocks(ctx) if b.location.part == "body" and len(b.text.strip()) >= 80]
    if not body:
        return None
    left = [b for b in body if b.alignment in ("left", None)]
    if not left:
        return []
    return [LintHit(location=_where(left[0].location), evidence=_short(left[0].text),
                    params={"count": len(left), "where": _where(left[0].location)},
                    edit=Edit(blocks=tuple(_index(ctx, b) for b in left), justify=True))]


# --------------------------------------------------------------------------
# Signature, Nơi nhận (VB620–VB623)
# --------------------------------------------------------------------------

def _signature_lines(ctx: LintContext) -> list[tuple[str, Block]]:
    sig = ctx.document.signature
    if sig is None or sig.location is None:
        return []
    wanted = [t for t in (sig.authority_text, *sig.positions) if t]
    found = []
    start = sig.location.index
    for block in ctx.raw.blocks[max(0, start - 2):start + 12]:
        text = squash_spaces(block.text)
        for w in wanted:
            if text == squash_spaces(w) and all(b is not block for _, b in found):
                found.append((w, block))
    return found


def signature_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.has_layout:
        return None
    lines = _signature_lines(ctx)
    if not lines:
        return None
    hits = []
    for text, block in lines:
        located = LocatedText(block.text, block.location)
        hits += _upper_and_bold_hits(ctx, located, (13.0, 14.0), 14.0) or []
    return hits


def signer_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    sig = ctx.document.signature
    if sig is None or not sig.signer_name or sig.location is None or not ctx.has_layout:
        return None
    name = squash_spaces(sig.signer_name)
    start = sig.location.index
    for block in ctx.raw.blocks[max(0, start - 2):start + 16]:
        if squash_spaces(block.text) == name:
            return _element_style_hits(ctx, LocatedText(block.text, block.location), bold=True,
                                       sizes=(13.0, 14.0), size=14.0, params=lambda t, p: {"text": t, "problem": p})
    return None


_RECIPIENTS = re.compile(r"^\s*Nơi\s+nhận\s*:?", re.IGNORECASE)


def _recipients_block(ctx: LintContext) -> Optional[Block]:
    for block in ctx.raw.blocks:
        if _RECIPIENTS.match(block.text) and len(block.text.strip()) < 40:
            return block
    return None


def recipients_style_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    block = _recipients_block(ctx)
    if block is None or not ctx.has_layout:
        return None
    m = _RECIPIENTS.match(block.text)
    label = m.group(0).strip()
    return _element_style_hits(ctx, LocatedText(block.text if _whole(block, label) else label, block.location),
                               bold=True, italic=True, sizes=(12.0, 12.0), size=12.0,
                               params=lambda t, p: {"text": label, "problem": p})


def archive_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    block = _recipients_block(ctx)
    if block is None and not doc.distribution:
        return None
    if doc.archive is None:
        return [LintHit(location=_where(block.location) if block else None,
                        params={"problem": "không có dòng '- Lưu: VT, …'"})]
    if not re.match(r"^VT\b", doc.archive.strip(), re.IGNORECASE):
        return [LintHit(evidence=doc.archive, params={"problem": f"ghi 'Lưu: {doc.archive}', thiếu 'VT' (văn thư)"})]
    return []


# --------------------------------------------------------------------------
# Writing (Phụ lục III): Ð for Đ (VB624)
# --------------------------------------------------------------------------

def _fix_eth(text: str) -> str:
    return text.replace("\u00d0", "\u0110").replace("\u00f0", "\u0111")


def eth_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if ctx.raw_text is None:
        return None
    count, first = 0, None
    for text in ctx.raw_text:
        n = sum(text.count(c) for c in ETH)
        if n:
            count += n
            if first is None:
                first = next(w for w in text.split() if any(c in w for c in ETH))
    if not count:
        return []
    where = "văn bản"
    wanted = _fix_eth(first)
    block = next((b for b in ctx.raw.blocks if wanted in b.text), None)
    if block is not None:
        where = _where(block.location)
    return [LintHit(location=where, evidence=first, params={"count": count, "where": where, "evidence": first},
                    edit=Edit(text=_fix_eth))]


# --------------------------------------------------------------------------
# Trích yếu, colons, paragraphs (VB627–VB630)
# --------------------------------------------------------------------------

def subject_style_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    doc = ctx.document
    if doc.subject is None:
        return None
    if doc.doc_type == "Công văn":
        bold, sizes = False, (12.0, 13.0)
    elif doc.doc_type:
        bold, sizes = True, (13.0, 14.0)
        block = _block(ctx, doc.subject)
        if block is None or block.alignment != "center":
            return None  # a typed document's trích yếu is centred under its name: this is not it
    else:
        return None
    return _element_style_hits(ctx, doc.subject, bold=bold, sizes=sizes, size=sizes[1],
                               params=lambda t, p: {"text": _short(t), "problem": p})


_LABEL = re.compile(r"^(\s*)(Số|Kính\s+gửi|Nơi\s+nhận)(\s*)(:?)")


def _fix_colon(text: str) -> str:
    return _LABEL.sub(lambda m: f"{m.group(1)}{m.group(2)}:" + ("" if m.group(4) else " " if m.group(3) else ""),
                      text, count=1)


def colon_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.raw.text.strip():
        return None
    hits = []
    for block in ctx.raw.blocks:
        m = _LABEL.match(block.text)
        if not m or m.group(2) == "Số" and not re.match(r"^\s*Số\s*:?\s*\d*\s*/", block.text):
            continue
        if m.group(4) and not m.group(3):
            continue
        label = squash_spaces(m.group(2))
        if m.group(4):
            problem = "có khoảng trắng trước dấu hai chấm"
        elif label == "Số":
            problem = "thiếu dấu hai chấm sau 'Số'"
        else:
            rest = block.text[m.end():].strip()
            if label == "Kính gửi" and not rest:
                problem = "thiếu dấu hai chấm"
            elif label == "Nơi nhận" and rest:
                continue  # 'Nơi nhận' inside a sentence
            else:
                problem = "thiếu dấu hai chấm"
        hits.append(LintHit(location=_where(block.location), evidence=_short(block.text.strip()),
                            params={"text": _short(block.text.strip(), 40), "problem": problem},
                            edit=Edit(blocks=(_index(ctx, block),), text=_fix_colon)))
    return hits


def _prose_blocks(ctx: LintContext) -> list[Block]:
    """Body paragraphs of running text: not a list item, not indented as a whole, not started by a tab."""
    return [b for b in _body_blocks(ctx) if b.location.part == "body" and len(b.text.strip()) >= 80
            and b.alignment in ("justify", "left", None) and not b.text[:1].isspace()
            and not re.match(r"^[-–+•*]", b.text) and not b.left_indent_cm]


def indent_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.has_layout:
        return None
    blocks = _prose_blocks(ctx)
    if not blocks:
        return None
    off = [b for b in blocks if not 0.95 <= (b.first_line_indent_cm or 0.0) <= 1.3]
    if not off:
        return []
    return [LintHit(location=_where(off[0].location), evidence=_short(off[0].text),
                    params={"count": len(off), "where": _where(off[0].location),
                            "indent": f"{off[0].first_line_indent_cm or 0.0:.2f}".replace(".", ",")},
                    edit=Edit(blocks=tuple(_index(ctx, b) for b in off), first_line_cm=1.27))]


def spacing_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    if not ctx.has_layout:
        return None
    blocks = _prose_blocks(ctx)
    if not blocks:
        return None
    tight = [b for b in blocks if (b.space_before_pt or 0) + (b.space_after_pt or 0) < 5.99]
    lines = [b for b in blocks if b.line_spacing is not None and not 0.99 <= b.line_spacing <= 1.51]
    off = [b for b in blocks if b in tight or b in lines]
    if not off:
        return []
    problems = []
    if tight:
        problems.append("cách đoạn dưới 6 pt")
    if lines:
        problems.append(f"cách dòng {_num(lines[0].line_spacing)} lần, ngoài khoảng đơn – 1,5 dòng")
    return [LintHit(location=_where(off[0].location), evidence=_short(off[0].text),
                    params={"count": len(off), "problem": " và ".join(problems), "where": _where(off[0].location)},
                    edit=Edit(blocks=tuple(_index(ctx, b) for b in off), min_gap_pt=6.0, line_range=(1.0, 1.5)))]


# --------------------------------------------------------------------------
# Writing (Phụ lục II and III): capitals, type abbreviations, Kính gửi (VB631–VB634)
# --------------------------------------------------------------------------

def _capitalise_hits(ctx: LintContext, pattern: re.Pattern) -> Optional[list[LintHit]]:
    blocks = [b for b in ctx.raw.blocks if b.location.part in ("body", "table", "line", "textbox")]
    if not any(b.text.strip() for b in blocks):
        return None
    found = [(b, m) for b in blocks for m in [pattern.search(b.text)] if m]
    if not found:
        return []
    count = sum(len(pattern.findall(b.text)) for b, _ in found)
    first, m = found[0]

    def fix(text: str) -> str:
        return pattern.sub(lambda x: x.group(0)[0].upper() + x.group(0)[1:], text)

    return [LintHit(location=_where(first.location), evidence=m.group(0),
                    params={"count": count, "where": _where(first.location), "evidence": m.group(0)},
                    edit=Edit(blocks=tuple(_index(ctx, b) for b, _ in found), text=fix))]


def _cited_types() -> re.Pattern:
    from ..understand.patterns import doc_types

    names = sorted({t.name[0].lower() + t.name[1:] for t in doc_types() if t.cite and t.name != "Văn bản"},
                   key=len, reverse=True)  # "văn bản số …" names no type
    return re.compile(r"(?<![\w/])(?:" + "|".join(re.escape(n) for n in names) + r")(?=\s+số\s+\d)")


_AGENCY_LOWER = re.compile(r"(?<![\w/])(?:ủy|uỷ) ban nhân dân(?= (?:tỉnh|huyện|xã|phường|quận|thị xã|thị trấn|"
                           r"thành phố)\b)|(?<![\w/])hội đồng nhân dân(?= (?:tỉnh|huyện|xã|phường|quận|thị xã|"
                           r"thị trấn|thành phố)\b)")


def cited_type_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    return _capitalise_hits(ctx, _cited_types())


def agency_case_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    return _capitalise_hits(ctx, _AGENCY_LOWER)


def type_abbreviation_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    from ..understand.patterns import doc_types

    doc = ctx.document
    if doc.number is None or not doc.doc_type:
        return None
    raw = squash_spaces(doc.number.raw)
    m = re.search(r"/\s*(?:\d{4}\s*/\s*)?([^\s/\-–]+)", raw)
    if not m:
        return None
    token = m.group(1)
    abbrs = {t.name: t.abbr for t in doc_types() if t.abbr}
    known = set(abbrs.values()) | {"CV"}
    expected = abbrs.get(doc.doc_type)
    params = {"raw": raw, "doc_type": doc.doc_type.lower()}
    if doc.doc_type == "Công văn":
        if token in known:
            return [LintHit(location=_where(doc.number.location), evidence=raw,
                            params={**params, "problem": f"có chữ '{token}'; ký hiệu công văn không có chữ viết tắt "
                                                         "tên loại (ví dụ 12/UBND-VP)"})]
        return []
    if expected is None or token == expected or token not in known:
        return [] if expected else None
    return [LintHit(location=_where(doc.number.location), evidence=raw,
                    params={**params, "problem": f"ghi '{token}'; chữ viết tắt của {doc.doc_type.lower()} là "
                                                 f"'{expected}'"})]


def recipients_list_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    blocks = ctx.raw.blocks
    start = next((i for i, b in enumerate(blocks) if re.match(r"^\s*Kính\s+gửi\b", b.text)), None)
    if start is None:
        return None
    if re.sub(r"^\s*Kính\s+gửi\s*:?", "", blocks[start].text).strip():
        return []  # one recipient on the same line
    items = []
    for block in blocks[start + 1:start + 30]:
        text = block.text.strip()
        if not re.match(r"^[-–+•]", text):
            break
        items.append(block)
    if len(items) < 2:
        return [] if items else None
    hits = []
    for i, block in enumerate(items):
        text = block.text.rstrip()
        last = i == len(items) - 1
        if last and not text.endswith("."):
            problem = "là dòng cuối, phải kết thúc bằng dấu chấm (.)"
        elif not last and not text.endswith(";"):
            problem = "phải kết thúc bằng dấu chấm phẩy (;)"
        else:
            continue
        hits.append(LintHit(location=_where(block.location), evidence=text,
                            params={"text": _short(text.strip(), 50), "problem": problem}))
    return hits


_MARK = re.compile(r"^(\s*)(T\s*/\s*M|K\s*/\s*T|T\s*/\s*L|TUQ|TM|KT|TL)(\s*[./:]\s*|\s+)(?=[A-ZĐÀ-Ỹ])")


def _mark_of(written: str) -> str:
    """``K/T`` → ``KT``."""
    return re.sub(r"[\s/]", "", written)


def _fix_mark(text: str) -> str:
    return _MARK.sub(lambda m: f"{m.group(1)}{_mark_of(m.group(2))}. ", text, count=1)


def authority_mark_hits(ctx: LintContext) -> Optional[list[LintHit]]:
    sig = ctx.document.signature
    if sig is None or sig.location is None:
        return None
    hits = []
    start = sig.location.index
    for block in ctx.raw.blocks[max(0, start - 2):start + 12]:
        m = _MARK.match(block.text)
        if not m or not block.text.strip().isupper():
            continue
        mark = _mark_of(m.group(2)) + ". "
        if m.group(2) + m.group(3) == mark:
            continue
        word = block.text[m.end():].split()[0]
        hits.append(LintHit(location=_where(block.location), evidence=block.text.strip(),
                            params={"text": block.text.strip(), "found": block.text[m.start(2):m.end()] + word,
                                    "wanted": mark + word},
                            edit=Edit(blocks=(_index(ctx, block),), text=_fix_mark)))
    return hits


CHECKS: dict[str, Callable[[LintContext], Optional[list[LintHit]]]] = {
    "VB601": page_hits, "VB602": margin_hits, "VB603": font_hits, "VB604": size_hits, "VB605": motto_hits,
    "VB606": national_title_hits, "VB607": number_form_hits, "VB608": date_form_hits, "VB609": legacy_hits,
    "VB610": national_title_style_hits, "VB611": motto_style_hits, "VB612": motto_rule_hits,
    "VB613": agency_hits, "VB614": date_style_hits, "VB615": type_name_hits, "VB616": subject_vv_hits,
    "VB617": basis_italic_hits, "VB618": basis_punctuation_hits, "VB619": justify_hits,
    "VB620": signature_hits, "VB621": signer_hits, "VB622": recipients_style_hits, "VB623": archive_hits,
    "VB624": eth_hits, "VB625": page_number_hits, "VB626": orientation_hits, "VB627": subject_style_hits,
    "VB628": colon_hits, "VB629": indent_hits, "VB630": spacing_hits, "VB631": cited_type_hits,
    "VB632": agency_case_hits, "VB633": type_abbreviation_hits, "VB634": recipients_list_hits,
    "VB635": authority_mark_hits,
}
