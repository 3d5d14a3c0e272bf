"""``vanban fix``: apply the safe fixes of the format rules to a .docx (a .doc is converted first).

The file is read by :func:`vanban.read.docx.read_docx_for_edit`, which gives the ``w:p`` element of
every block; the rules say which blocks to change and how (:class:`vanban.lint.rules.Edit`). Only
the parts that changed are written again, every other part of the package is copied byte for byte.
Before the result is published it is read back: every paragraph must have the text it had (or the
text a listed text fix gave it), else nothing is written.
"""

from __future__ import annotations

import difflib
import os
import stat
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from lxml import etree

from ..errors import OutputError, ReadError, VanbanError
from ..model import Block
from ..outfiles import atomic_path, refuse_overwrite, temp_beside
from ..read.docx import _RUN_SPECIALS  # tab, break: the reader's text of a run, so offsets agree
from ..text import normalize_text
from .catalogue import LintRule, lint_catalogue
from .engine import LintFinding, docx_text, run_checks, to_finding
from .rules import LEGACY_FONT, FormatSettings, LintContext, LintHit, font_family

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
A4_TWIPS = (11906, 16838)
TWIPS_PER_MM = 1440 / 25.4
TARGET_FONT = "Times New Roman"
RPR_ORDER = ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
             "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"]
PPR_ORDER = ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange"]
_SKIP_INSIDE = {f"{{{W_NS}}}{t}" for t in ("txbxContent", "del", "moveFrom")}
_STRICT = b"http://purl.oclc.org/ooxml/wordprocessingml/main"


def w(tag: str) -> str:
    return f"{{{W_NS}}}{tag}"


@dataclass(frozen=True)
class Change:
    rule_id: str
    what: str  # Vietnamese: what was changed
    location: Optional[str] = None
    before: Optional[str] = None  # text fixes: the paragraph before and after
    after: Optional[str] = None


@dataclass
class FixReport:
    source: str
    output: str
    changes: list[Change] = field(default_factory=list)
    left: list[LintFinding] = field(default_factory=list)  # for a person
    remaining: list[LintFinding] = field(default_factory=list)  # fixed rules lint still finds on the output

    @property
    def text_changes(self) -> list[Change]:
        return [c for c in self.changes if c.before is not None]


# --------------------------------------------------------------------------
# Small XML helpers
# --------------------------------------------------------------------------

def _child(parent, name: str, order: list[str]):
    """The child ``w:name`` of ``parent``, created in schema order when absent."""
    el = parent.find(w(name))
    if el is not None:
        return el
    el = etree.Element(w(name))
    rank = order.index(name)
    for i, child in enumerate(parent):
        local = etree.QName(child).localname if isinstance(child.tag, str) else ""
        if local in order and order.index(local) > rank:
            child.addprevious(el)
            return el
    parent.append(el)
    return el


def _props(el, name: str):
    """The properties element (``pPr`` of a paragraph, ``rPr`` of a run): its first child, made when absent."""
    props = el.find(w(name))
    if props is None:
        props = etree.Element(w(name))
        el.insert(0, props)
    return props


def _ppr(p):
    return _props(p, "pPr")


def _rpr(r):
    return _props(r, "rPr")


def _own(el, tag: str):
    """Descendants ``tag`` of a paragraph that belong to it (not to a text box inside it, not deleted)."""
    for child in el:
        if not isinstance(child.tag, str) or child.tag in _SKIP_INSIDE:
            continue
        if child.tag == tag:
            yield child
        else:
            yield from _own(child, tag)


def _text_runs(p) -> list:
    return [r for r in _own(p, w("r")) if any((t.text or "").strip() for t in r.findall(w("t")))]


def _run_text(r) -> str:
    return "".join((c.text or "") if c.tag == w("t") else _RUN_SPECIALS.get(c.tag, "") for c in r)


def _paragraph_text(p) -> str:
    return "".join(_run_text(r) for r in _own(p, w("r")))


def _runs_in_span(p, span: Optional[tuple[int, int]], block: Block):
    """The runs of ``p`` over the characters ``span`` of the block's text (the whole paragraph when None).

    Offsets are mapped through the paragraph's own ``w:t`` text, which must be the block's text."""
    runs = _text_runs(p)
    if span is None:
        return runs
    pos, out = 0, []
    all_runs = list(_own(p, w("r")))
    texts = [_run_text(r) for r in all_runs]
    if normalize_text("".join(texts)) != block.text:
        return None  # a list label, capitals by style or a legacy font: offsets do not map
    start, stop = span
    for r, text in zip(all_runs, texts):
        end = pos + len(text)
        if text.strip() and end > start and pos < stop:
            out.append(r)
        pos = end
    return out


def _set_on(rpr, name: str, value: bool) -> None:
    for tag in (name, name + "Cs"):
        el = _child(rpr, tag, RPR_ORDER)
        if value:
            el.attrib.pop(w("val"), None)
        else:
            el.set(w("val"), "0")


def _size(rpr) -> Optional[float]:
    sz = rpr.find(w("sz")) if rpr is not None else None
    try:
        return int(sz.get(w("val"))) / 2 if sz is not None else None
    except (TypeError, ValueError):
        return None


def _set_size(rpr, size: float) -> None:
    for tag in ("sz", "szCs"):
        _child(rpr, tag, RPR_ORDER).set(w("val"), str(int(round(size * 2))))


# --------------------------------------------------------------------------
# Applying one hit
# --------------------------------------------------------------------------

class _Fixer:
    def __init__(self, raw, parts: dict, elements: list):
        self.raw = raw
        self.parts = parts
        self.elements = elements
        self.changed: set[str] = set()
        self.expected: dict[int, str] = {}  # block index → text after the text fixes
        self.text_widths = self._text_widths()  # before any page or margin change

    def _text_widths(self) -> list[Optional[int]]:
        """Width of the text area of each section, in twips (None when the section does not say)."""
        out = []
        for sect in self._main().iter(w("sectPr")):
            size, mar = sect.find(w("pgSz")), sect.find(w("pgMar"))
            try:
                out.append(int(float(size.get(w("w")))) - abs(int(float(mar.get(w("left"))))) -
                           abs(int(float(mar.get(w("right"))))))
            except (AttributeError, TypeError, ValueError):
                out.append(None)
        return out

    def fit_tables(self) -> int:
        """After a page or margin change: a table of fixed width that no longer fits the narrower text area
        is narrowed in proportion (columns, cells, nested tables), keeping what it overhung before."""
        body = self._main().find(w("body"))
        new_widths = self._text_widths()
        section, count = 0, 0
        for child in body:
            if child.tag == w("p"):
                if child.find(f"{w('pPr')}/{w('sectPr')}") is not None:
                    section += 1
                continue
            if child.tag != w("tbl") or section >= len(new_widths):
                continue
            old, new = self.text_widths[section], new_widths[section]
            grid = [int(float(c.get(w("w"), 0))) for c in child.iterfind(f"{w('tblGrid')}/{w('gridCol')}")]
            width = sum(grid)
            if not old or not new or new >= old or not width:
                continue
            target = min(width, new + max(0, width - old))
            if target >= width - 20:
                continue
            factor = target / width
            for el in child.iter(w("gridCol"), w("tcW"), w("tblW")):
                value = el.get(w("w"))
                if value and el.get(w("type"), "dxa") == "dxa":
                    try:
                        el.set(w("w"), str(int(float(value) * factor)))
                    except ValueError:
                        continue
            count += 1
            self._mark(child)
        return count

    def _main(self):
        return next(root for name, root in self.parts.items() if root.tag == w("document"))

    def _mark(self, el) -> None:
        root = el.getroottree().getroot()
        for name, part in self.parts.items():
            if part is root:
                self.changed.add(name)

    def page(self) -> str:
        out = []
        for sect in self._main().iter(w("sectPr")):
            size = sect.find(w("pgSz"))
            if size is None:
                continue
            width, height = int(float(size.get(w("w"), A4_TWIPS[0]))), int(float(size.get(w("h"), A4_TWIPS[1])))
            landscape = width > height
            new = A4_TWIPS[::-1] if landscape else A4_TWIPS
            if abs(width - new[0]) > 85 or abs(height - new[1]) > 85:  # 1,5 mm
                size.set(w("w"), str(new[0]))
                size.set(w("h"), str(new[1]))
                out.append(f"{width / TWIPS_PER_MM:.0f}×{height / TWIPS_PER_MM:.0f} → "
                           f"{new[0] / TWIPS_PER_MM:.0f}×{new[1] / TWIPS_PER_MM:.0f} mm")
                self.changed.add(self._part_name(sect))
        return "khổ giấy " + "; ".join(out) if out else ""

    def _part_name(self, el) -> str:
        root = el.getroottree().getroot()
        return next(name for name, part in self.parts.items() if part is root)

    def margins(self, settings: FormatSettings) -> str:
        out = []
        for sect in self._main().iter(w("sectPr")):
            mar = sect.find(w("pgMar"))
            if mar is None:
                continue
            for side, (low, high) in settings.margins.items():
                value = mar.get(w(side))
                try:
                    twips = int(float(value))
                except (TypeError, ValueError):
                    continue
                mm = abs(twips) / TWIPS_PER_MM
                if low - 0.5 <= mm <= high + 0.5:
                    continue
                target = low if mm < low else high
                mar.set(w(side), str(int(round(target * TWIPS_PER_MM))))
                self.changed.add(self._part_name(sect))
                out.append(f"lề {_SIDE_VI[side]} {mm:.1f} → {target:.0f} mm".replace(".", ","))
        return "; ".join(dict.fromkeys(out))

    def fonts(self, names: set[str]) -> str:
        bad = {n.lower() for n in names}
        count = 0
        for name, root in self.parts.items():
            for fonts in root.iter(w("rFonts")):
                touched = False
                for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
                    theme = fonts.get(w(slot + "Theme"))
                    value = fonts.get(w(slot))
                    family = font_family(value.split(";", 1)[0]) if value else None
                    if theme is not None and slot in ("ascii", "hAnsi"):
                        del fonts.attrib[w(slot + "Theme")]
                        fonts.set(w(slot), TARGET_FONT)
                        touched = True
                    elif value and value.split(";", 1)[0].strip().lower() in bad:
                        fonts.set(w(slot), TARGET_FONT)  # a face name: the font, and the face as bold/italic
                        parent = fonts.getparent()
                        for word, prop in (("bold", "b"), ("italic", "i")):
                            if word in value.lower() and parent is not None and parent.tag == w("rPr"):
                                _set_on(parent, prop, True)
                        touched = True
                    elif family and family.lower() in bad and not LEGACY_FONT.match(family):
                        fonts.set(w(slot), TARGET_FONT)
                        touched = True
                if touched:
                    count += 1
                    self.changed.add(name)
        return f"đổi phông {', '.join(sorted(names))} sang {TARGET_FONT} ({count} chỗ khai báo phông)" if count else ""

    def runs(self, index: int, edit) -> str:
        p = self.elements[index]
        block = self.raw.blocks[index]
        runs = _runs_in_span(p, edit.span, block)
        if runs is None or not runs and not (edit.justify or edit.first_line_cm or edit.min_gap_pt):
            return ""
        done = self._paragraph(p, block, edit)
        for r in runs:
            rpr = _rpr(r)
            if edit.bold is not None:
                _set_on(rpr, "b", edit.bold)
            if edit.italic is not None:
                _set_on(rpr, "i", edit.italic)
            if edit.size_range is not None:
                low, high = edit.size_range
                current = _size(rpr)
                if current is None or not low - 0.01 <= current <= high + 0.01:
                    target = edit.size if edit.size is not None else (
                        high if current is None or current > high else low)
                    _set_size(rpr, target)
        if edit.bold is not None:
            done.append("in đậm" if edit.bold else "bỏ in đậm")
        if edit.italic is not None:
            done.append("in nghiêng" if edit.italic else "bỏ in nghiêng")
        if edit.size_range is not None:
            low, high = edit.size_range
            done.append(f"cỡ chữ {_num(low)} pt" if low == high else f"cỡ chữ trong khoảng {_num(low)}–{_num(high)} pt")
        self._mark(p)
        return ", ".join(done)

    def _paragraph(self, p, block: Block, edit) -> list[str]:
        """Paragraph properties: alignment, first-line indent, spacing."""
        done = []
        if edit.justify:
            _child(_ppr(p), "jc", PPR_ORDER).set(w("val"), "both")
            done.append("căn đều hai lề")
        if edit.first_line_cm is not None:
            ind = _child(_ppr(p), "ind", PPR_ORDER)
            ind.attrib.pop(w("hanging"), None)
            ind.attrib.pop(w("hangingChars"), None)
            ind.attrib.pop(w("firstLineChars"), None)
            ind.set(w("firstLine"), str(int(round(edit.first_line_cm * TWIPS_PER_MM * 10))))
            done.append(f"lùi đầu dòng {_num(edit.first_line_cm)} cm")
        if edit.min_gap_pt is not None:
            before, after = block.space_before_pt or 0.0, block.space_after_pt or 0.0
            if before + after < edit.min_gap_pt - 0.01:
                spacing = _child(_ppr(p), "spacing", PPR_ORDER)
                spacing.attrib.pop(w("afterAutospacing"), None)
                spacing.attrib.pop(w("afterLines"), None)
                spacing.set(w("after"), str(int(round((edit.min_gap_pt - before) * 20))))
                done.append(f"cách đoạn {_num(edit.min_gap_pt)} pt")
        if edit.line_range is not None and block.line_spacing is not None:
            low, high = edit.line_range
            if not low - 0.01 <= block.line_spacing <= high + 0.01:
                target = low if block.line_spacing < low else high
                spacing = _child(_ppr(p), "spacing", PPR_ORDER)
                spacing.set(w("line"), str(int(round(target * 240))))
                spacing.set(w("lineRule"), "auto")
                done.append(f"cách dòng {_num(target)} lần")
        return done

    def text(self, index: int, fix) -> Optional[tuple[str, str]]:
        """Apply a text fix to one paragraph, run by run (formatting kept); (before, after) or None."""
        p = self.elements[index]
        block = self.raw.blocks[index]
        whole = _paragraph_text(p)
        if normalize_text(whole) != block.text:
            return None  # the reader shows this paragraph otherwise (labels, capitals, legacy font)
        ts = list(_own(p, w("t")))
        old = "".join(t.text or "" for t in ts)
        new = fix(old)
        if new == old:
            return None
        _replace_text(ts, old, new)
        after = normalize_text(fix(whole))
        self.expected[index] = after
        self._mark(p)
        return block.text, after

    def everywhere(self, fix) -> int:
        """A letter-level text fix (Ð → Đ) in every text of the document; the reader's text is unchanged."""
        count = 0
        for name, root in self.parts.items():
            for t in root.iter(w("t")):
                if t.text and fix(t.text) != t.text:
                    count += sum(1 for a, b in zip(t.text, fix(t.text)) if a != b)
                    t.text = fix(t.text)
                    self.changed.add(name)
        return count

    def rule_below(self, index: int) -> None:
        """The emptied underscore line under the motto becomes a short rule: a bottom border."""
        p = self.elements[index]
        ppr = _ppr(p)
        borders = _child(ppr, "pBdr", PPR_ORDER)
        bottom = _child(borders, "bottom", ["top", "left", "bottom", "right", "between", "bar"])
        for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
            bottom.set(w(key), value)
        cell = next((a for a in p.iterancestors(w("tc"))), None)
        width = None
        if cell is not None:
            tcw = cell.find(f"{w('tcPr')}/{w('tcW')}")
            if tcw is not None and tcw.get(w("type"), "dxa") == "dxa":
                try:
                    width = int(float(tcw.get(w("w"))))
                except (TypeError, ValueError):
                    width = None
        if width:
            side = max((width - 216 - int(62 * TWIPS_PER_MM)) // 2, 0)  # the motto in 14 pt bold: about 62 mm
            ind = _child(ppr, "ind", PPR_ORDER)
            ind.set(w("left"), str(side))
            ind.set(w("right"), str(side))
        _child(ppr, "jc", PPR_ORDER).set(w("val"), "center")
        self._mark(p)


_SIDE_VI = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def _replace_text(ts: list, old: str, new: str) -> None:
    """Change the ``w:t`` elements so their joined text reads ``new``; each edit goes to the run it falls in."""
    owner: list[int] = []
    for i, t in enumerate(ts):
        owner += [i] * len(t.text or "")
    pieces = [list(t.text or "") for t in ts]
    offsets = [0] * len(ts)  # characters inserted (−removed) so far in each w:t
    starts, pos = [], 0
    for t in ts:
        starts.append(pos)
        pos += len(t.text or "")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        k = owner[i1] if i1 < len(owner) else owner[-1] if owner else 0
        if op in ("replace", "delete"):
            for pos_ in range(i1, i2):
                kk = owner[pos_]
                local = pos_ - starts[kk] + offsets[kk]
                pieces[kk][local] = ""  # blank now, removed at the end (indices stay stable)
        if op in ("replace", "insert"):
            at = (i1 - starts[k] + offsets[k]) if i1 < len(owner) else len(pieces[k])
            pieces[k][at:at] = list(new[j1:j2])
            offsets[k] += j2 - j1
    for t, chars in zip(ts, pieces):
        text = "".join(chars)
        if text != (t.text or ""):
            t.text = text
            t.set(XML_SPACE, "preserve")


# --------------------------------------------------------------------------
# The whole file
# --------------------------------------------------------------------------

def _docx_of(path: Path) -> Path:
    from ..read import sniff_format

    fmt = sniff_format(path)
    if fmt == "docx":
        return path
    if fmt in ("doc", "rtf"):
        import hashlib

        from ..read.convert import convert_to_docx
        from ..read.docx import read_file_bytes

        return convert_to_docx(path, hashlib.sha256(read_file_bytes(path)).hexdigest())
    raise ReadError("vanban fix chỉ sửa văn bản Word (.docx, .doc, .rtf); tệp PDF chỉ kiểm tra được "
                    "bằng `vanban lint`", path)


def plan_fixes(ctx: LintContext, rules: Iterable[str]) -> list[tuple[LintRule, LintHit]]:
    return [(rule, hit) for rule, hits in run_checks(ctx, rules) for hit in hits]


def fix_in_place(source: str | Path, rules: Optional[Iterable[str]] = None) -> FixReport:
    """``vanban fix --in-place``: the person asked to replace the .docx itself. The result is written and
    checked beside it first (as any output), then moved onto it in one step, keeping its permissions."""
    source = Path(source)
    tmp = temp_beside(source, ".docx")
    try:
        report = fix_file(source, tmp, force=True, rules=rules)
        os.chmod(tmp, stat.S_IMODE(source.stat().st_mode))
        os.replace(tmp, source)
    except OSError as exc:
        raise OutputError(f"không ghi được tệp ({exc.strerror})", source) from None
    finally:
        tmp.unlink(missing_ok=True)
    report.output = str(source)
    return report


def fix_file(source: str | Path, output: str | Path, *, force: bool = False,
             rules: Optional[Iterable[str]] = None) -> FixReport:
    """Write ``source`` with the safe fixes applied to ``output``; raises ReadError for a file it cannot
    read, OutputError for one it cannot write (an existing file without ``force``)."""
    from ..read.docx import read_docx_for_edit
    from ..understand import understand

    source, output = Path(source), Path(output)
    if output.suffix.lower() != ".docx":
        raise ReadError("tệp kết quả của vanban fix phải có đuôi .docx", output)
    refuse_overwrite(output, force)
    docx_path = _docx_of(source)
    if _STRICT in zipfile.ZipFile(docx_path).read("word/document.xml")[:4000]:
        raise ReadError("văn bản lưu theo chuẩn 'Strict Open XML': vanban chưa sửa được dạng này; hãy lưu lại "
                        "bằng Word dạng .docx thông thường", source)
    raw, parts, elements = read_docx_for_edit(docx_path)
    settings = FormatSettings()
    ctx = LintContext(understand(raw), settings, docx_text(raw))
    rules = tuple(rules) if rules is not None else tuple(lint_catalogue())
    fixer = _Fixer(raw, parts, elements)
    report = FixReport(source=str(source), output=str(output))
    fixed_rules: set[str] = set()
    by_rule: dict[str, list[LintHit]] = {}
    for rule, hit in plan_fixes(ctx, rules):
        if not rule.fixable or hit.edit is None:
            report.left.append(to_finding(rule, hit))
            continue
        by_rule.setdefault(rule.id, []).append(hit)
    for rule_id, hits in by_rule.items():
        rule = lint_catalogue()[rule_id]
        left = _apply(fixer, rule, hits, settings, report)
        if not left:
            fixed_rules.add(rule_id)  # lint on the result must not find this rule again
        report.left += [to_finding(rule, h) for h in left]
    geometry = [r for r in ("VB602", "VB601") if r in by_rule]
    if geometry:
        narrowed = fixer.fit_tables()
        if narrowed:
            report.changes.append(Change(geometry[0], f"thu hẹp {narrowed} bảng cho vừa vùng chữ mới (giữ tỷ lệ cột)"))
    _write(docx_path, parts, fixer.changed, output, raw, fixer.expected, report, fixed_rules, force)
    return report


def _apply(fixer: _Fixer, rule: LintRule, hits: list[LintHit], settings: FormatSettings,
           report: FixReport) -> list[LintHit]:
    """Apply one rule's fixes; the hits it could not (wholly) fix are returned, for a person."""
    rid = rule.id
    if rid in ("VB601", "VB602", "VB603"):
        what = (fixer.page() if rid == "VB601" else fixer.margins(settings) if rid == "VB602"
                else fixer.fonts({h.params["font"] for h in hits}))
        if what:
            report.changes.append(Change(rid, what))
        return [] if what else hits
    if rid == "VB624":
        n = fixer.everywhere(hits[0].edit.text)
        if n:
            report.changes.append(Change(rid, f"thay {n} chữ 'Ð'/'ð' (U+00D0/U+00F0) bằng 'Đ'/'đ'", hits[0].location,
                                         before=hits[0].evidence, after=hits[0].edit.text(hits[0].evidence)))
        return [] if n else hits
    left = []
    for hit in hits:
        edit = hit.edit
        whole = True
        for index in edit.blocks:
            location = fixer.raw.blocks[index].location.describe()
            if edit.text is not None:
                pair = fixer.text(index, edit.text)
                if pair is None:
                    whole = False
                    continue
                if edit.rule_below:
                    fixer.rule_below(index)
                label = "thay dòng ký tự gạch bằng đường kẻ" if edit.rule_below else "sửa chữ"
                report.changes.append(Change(rid, label, location, before=pair[0], after=pair[1]))
            else:
                done = fixer.runs(index, edit)
                if done:
                    report.changes.append(Change(rid, done, location))
                else:
                    whole = False
        if not whole:
            left.append(hit)
    return left


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _write(docx_path: Path, parts: dict, changed: set[str], output: Path, raw, expected: dict[int, str],
           report: FixReport, fixed_rules: set[str], force: bool) -> None:
    from ..read import read_file
    from ..understand import understand

    with atomic_path(output, force=force, suffix=".docx") as tmp:
        with zipfile.ZipFile(docx_path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = _serialise(parts[info.filename]) if info.filename in changed else src.read(info.filename)
                dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        try:
            after = read_file(tmp)
        except VanbanError as exc:
            raise ReadError(f"bản đã sửa không đọc lại được ({exc.message}); không ghi tệp", output) from None
        before = [expected.get(i, b.text) for i, b in enumerate(raw.blocks)]
        now = [b.text for b in after.blocks]
        if before != now:
            first = next((i for i, (a, b) in enumerate(zip(before, now)) if a != b), min(len(before), len(now)))
            raise ReadError(f"bản đã sửa khác chữ với bản gốc ở đoạn {first + 1}; không ghi tệp để không mất "
                            "nội dung", output)
        again = LintContext(understand(after), FormatSettings(), docx_text(after))
        report.remaining = [to_finding(rule, hit) for rule, hits in run_checks(again, sorted(fixed_rules))
                            for hit in hits]
