"""The .docx reader: lxml directly on the zip parts.

python-docx is convenient but slow and hides what matters here (text boxes,
theme fonts, the ``w:hAnsi`` font that draws Vietnamese letters, line shapes
under the agency name). This module walks ``word/document.xml`` itself and
produces a :class:`~vanban.model.RawDocument`:

* blocks in reading order: body paragraphs, table cells (nested too), text
  boxes (one branch of ``mc:AlternateContent`` only), then headers and footers;
* per run the resolved style (run → character style → paragraph style chain →
  docDefaults, theme fonts resolved through ``theme1.xml``);
* per paragraph the layout (alignment, indents, spacing, bottom rule);
* per section the page setup and whether pages are numbered.

Every XML part is parsed without entity resolution or network access and
only after its uncompressed size has been checked.
"""

from __future__ import annotations

import hashlib
import posixpath
import re
import threading
import zipfile
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

from lxml import etree

from vanban.errors import LimitError, ReadError
from vanban.guard import number_text, read_member
from vanban.model import Block, Location, PageSetup, RawDocument, RunStyle, TextRun
from vanban.read import legacy
from vanban.text import normalize_text

MAX_FILE_BYTES = 100 * 1024 * 1024  # whole file
MAX_PART_BYTES = 200 * 1024 * 1024  # one uncompressed XML part (zip-bomb guard)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC_NS = "http://schemas.openxmlformats.org/markup-compatibility/2006"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS_NS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"
V_NS = "urn:schemas-microsoft-com:vml"
O_NS = "urn:schemas-microsoft-com:office:office"
PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
# ISO "strict" documents use other namespace names for the same elements.
_STRICT_NAMESPACES = {
    b"http://purl.oclc.org/ooxml/wordprocessingml/main": W_NS.encode(),
    b"http://purl.oclc.org/ooxml/officeDocument/relationships": R_NS.encode(),
    b"http://purl.oclc.org/ooxml/drawingml/main": A_NS.encode(),
}

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class _Qualified(dict):
    """Local name → ``{W_NS}name``, built once per name."""

    def __missing__(self, name: str) -> str:
        value = self[name] = f"{{{W_NS}}}{name}"
        return value


_W = _Qualified()
_VAL = _W["val"]


def w(tag: str) -> str:
    return _W[tag]


def _wattr(el, name: str) -> Optional[str]:
    return el.get(_W[name])


_P, _R, _T, _TBL, _TR, _TC = w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc")
_PPR, _RPR, _SECTPR = w("pPr"), w("rPr"), w("sectPr")
_SDT, _SDTCONTENT, _CUSTOMXML = w("sdt"), w("sdtContent"), w("customXml")
_TXBX = w("txbxContent")
_ALTERNATE = f"{{{MC_NS}}}AlternateContent"
_CHOICE, _FALLBACK = f"{{{MC_NS}}}Choice", f"{{{MC_NS}}}Fallback"

# Inside a paragraph, these never hold visible text.
# Tracked changes: insertions are read, deletions are not (the "accept all" view).
_REVISION_TAGS = {w("ins"), w("del"), w("moveFrom"), w("moveTo")}
_INLINE_SKIP = {
    _PPR, w("del"), w("moveFrom"), w("sdtPr"), w("sdtEndPr"), w("bookmarkStart"), w("bookmarkEnd"),
    w("proofErr"), w("commentRangeStart"), w("commentRangeEnd"), w("permStart"), w("permEnd"),
}

_FALSE_VALUES = {"0", "false", "off", "none"}
_ALIGNMENTS = {
    "left": "left", "start": "left", "center": "center", "right": "right", "end": "right",
    "both": "justify", "distribute": "justify", "justify": "justify",
    "mediumKashida": "justify", "highKashida": "justify", "lowKashida": "justify", "thaiDistribute": "justify",
}
_PAGE_FIELD = re.compile(r"(?<![A-Z])PAGE(?![A-Z])")

_TWIPS_PER_CM = 1440 / 2.54
_TWIPS_PER_MM = 1440 / 25.4


def safe_parser() -> etree.XMLParser:
    """For XML from outside: no entities expanded, no DTD, no network, no huge trees."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
        remove_comments=True, remove_pis=True, huge_tree=False,
    )


def _on(el) -> Optional[bool]:
    """Value of an on/off property element (``<w:b/>`` is on, ``w:val="0"`` off)."""
    if el is None:
        return None
    value = el.get(_W["val"])
    return value is None or value.lower() not in _FALSE_VALUES


def _int(value: Optional[str]) -> Optional[int]:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


# --------------------------------------------------------------------------
# Opening the package
# --------------------------------------------------------------------------

class _Package:
    """The zip parts of one .docx, parsed on demand with size checks."""

    def __init__(self, path: Path, data: bytes):
        self.path = path
        try:
            import io

            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, ValueError, OSError) as exc:
            raise ReadError("tệp .docx bị hỏng hoặc không đúng định dạng", path) from exc

    def has(self, name: str) -> bool:
        return name in self.names

    def raw(self, name: str) -> Optional[bytes]:
        """The inflated bytes of a part (strict namespaces renamed), None when absent."""
        try:
            info = self.zip.getinfo(name)
        except KeyError:
            return None
        if info.file_size > MAX_PART_BYTES:
            raise ReadError(
                f"tệp .docx có phần '{name}' quá lớn khi giải nén ({info.file_size // (1024 * 1024)} MB); "
                "nghi tệp bị hỏng hoặc là tệp nén độc hại", self.path,
            )
        try:  # inflated in steps and counted: the header's size may lie (vanban.guard)
            raw = read_member(self.zip, info, MAX_PART_BYTES, self.path, f"phần '{name}' của tệp .docx")
        except (zipfile.BadZipFile, OSError, EOFError, RuntimeError) as exc:
            raise ReadError("tệp .docx bị hỏng hoặc không đúng định dạng", self.path) from exc
        for strict, transitional in _STRICT_NAMESPACES.items():
            if strict in raw:
                raw = raw.replace(strict, transitional)
        return raw

    def parse(self, name: str, raw: Optional[bytes]):
        if raw is None:
            return None
        try:
            return etree.fromstring(raw, safe_parser())
        except etree.XMLSyntaxError as exc:
            raise ReadError(f"tệp .docx bị hỏng hoặc không đúng định dạng (phần '{name}' lỗi XML)", self.path) from exc

    def xml(self, name: str):
        return self.parse(name, self.raw(name))

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """``rId`` → (type suffix, part name) for the internal relationships of ``part``."""
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        root = self.xml(rels_name)
        result: dict[str, tuple[str, str]] = {}
        if root is None:
            return result
        for rel in root.iter(f"{{{PKG_REL_NS}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target") or ""
            if target.startswith("/"):
                name = target.lstrip("/")
            else:
                name = posixpath.normpath(posixpath.join(folder, target))
            rel_type = (rel.get("Type") or "").rsplit("/", 1)[-1]
            result[rel.get("Id") or ""] = (rel_type, name)
        return result

    def main_part(self) -> str:
        for rel_type, name in self.relationships("").values():
            if rel_type == "officeDocument" and self.has(name):
                return name
        if self.has("word/document.xml"):
            return "word/document.xml"
        raise ReadError("tệp không phải văn bản Word (.docx): thiếu phần word/document.xml", self.path)


def sniff_container(data: bytes) -> str:
    """``zip``, ``ole``, ``rtf``, ``pdf``, ``html``, ``markup`` or ``unknown`` from the first bytes."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    head = data[:16].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        return "rtf"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    lowered = data[:4096].lower()
    if head.startswith(b"<") and b"<html" in lowered:
        return "html"  # Word "web page" saved under a .doc name
    if head.startswith(b"<") and (b"word.document" in lowered or b"<w:worddocument" in lowered):
        return "markup"  # Word 2003 XML saved under a .doc name
    return "unknown"


def ole_is_encrypted_package(data: bytes) -> bool:
    """An OLE container that holds an encrypted OOXML package (password-protected .docx)."""
    return data.startswith(OLE_MAGIC) and (
        "EncryptionInfo".encode("utf-16-le") in data or "EncryptedPackage".encode("utf-16-le") in data
    )


# --------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------

@dataclass
class _Style:
    style_type: str
    name: str
    based_on: Optional[str]
    rpr: dict
    ppr: dict


@dataclass
class _Styles:
    styles: dict[str, _Style] = field(default_factory=dict)
    default_rpr: dict = field(default_factory=dict)
    default_ppr: dict = field(default_factory=dict)
    default_paragraph_style: Optional[str] = None
    default_character_style: Optional[str] = None
    _chain_cache: dict = field(default_factory=dict)

    def chain(self, style_id: Optional[str], kind: str) -> dict:
        """Merged ``rpr``/``ppr`` of a style and everything it is based on."""
        key = (style_id, kind)
        if key in self._chain_cache:
            return self._chain_cache[key]
        order: list[_Style] = []
        seen: set[str] = set()
        current = style_id
        while current and current not in seen and current in self.styles:
            seen.add(current)
            order.append(self.styles[current])
            current = self.styles[current].based_on
        merged: dict = {}
        for style in reversed(order):
            merged.update(getattr(style, kind))
        if style_id is None or style_id in self.styles:  # shared between documents: only what the styles define
            self._chain_cache[key] = merged
        return merged

    def name(self, style_id: Optional[str]) -> Optional[str]:
        style = self.styles.get(style_id or "")
        return style.name if style else None


def _theme_fonts(root) -> dict[str, str]:
    fonts: dict[str, str] = {}
    if root is None:
        return fonts
    for kind in ("major", "minor"):
        el = root.find(f".//{{{A_NS}}}{kind}Font/{{{A_NS}}}latin")
        if el is not None and el.get("typeface"):
            fonts[kind] = el.get("typeface")
    return fonts


_RFONTS, _SZ, _U, _RSTYLE = w("rFonts"), w("sz"), w("u"), w("rStyle")
_ON_OFF_KEYS = {w("b"): "b", w("i"): "i", w("caps"): "caps", w("vanish"): "vanish"}
_FONT_SLOTS = tuple((slot, w(slot), w(slot + "Theme")) for slot in ("ascii", "hAnsi"))


def _parse_rpr(rpr, theme: dict[str, str]) -> dict:
    """The properties a run-properties element sets (only those it sets)."""
    props: dict = {}
    if rpr is None:
        return props
    for child in rpr:
        tag = child.tag
        key = _ON_OFF_KEYS.get(tag)
        if key is not None:
            props[key] = _on(child)
        elif tag == _RFONTS:
            for slot, name_attr, theme_attr in _FONT_SLOTS:
                theme_ref = child.get(theme_attr)
                name = theme.get("major" if theme_ref.startswith("major") else "minor") if theme_ref else None
                name = name or child.get(name_attr)
                if name:
                    # LibreOffice writes alternates as "VNtime;Times New Roman": the first is the font.
                    props[slot] = name.split(";", 1)[0].strip() or name
        elif tag == _SZ:
            size = _int(child.get(_VAL))
            if size is not None:
                props["sz"] = size / 2
        elif tag == _U:
            props["u"] = (child.get(_VAL) or "single").lower() not in _FALSE_VALUES
        elif tag == _RSTYLE:
            props["rStyle"] = child.get(_VAL)
    return props


_PSTYLE = w("pStyle")
_JC, _IND, _SPACING, _PBDR, _BOTTOM, _NUMPR, _NUMID, _ILVL = (
    w("jc"), w("ind"), w("spacing"), w("pBdr"), w("bottom"), w("numPr"), w("numId"), w("ilvl"))
_IND_LEFT, _IND_START, _IND_FIRST, _IND_HANGING = w("left"), w("start"), w("firstLine"), w("hanging")
_SPACING_ATTRS = tuple((name, w(name)) for name in ("before", "after", "line"))
_LINE_RULE = w("lineRule")
_PPR_TAGS = {_JC, _IND, _SPACING, _PBDR, _NUMPR}


def _parse_ppr(ppr) -> dict:
    props: dict = {}
    if ppr is None:
        return props
    seen: set = set()
    bottom = None
    for child in ppr:
        tag = child.tag
        if tag not in _PPR_TAGS:
            continue
        if tag == _PBDR:  # the first w:bottom of any w:pBdr (find("pBdr/bottom"))
            if bottom is None:
                bottom = child.find(_BOTTOM)
            continue
        if tag in seen:  # only the first of each kind counts
            continue
        seen.add(tag)
        if tag == _JC:
            value = child.get(_VAL)
            if value:
                props["jc"] = _ALIGNMENTS.get(value, value)
        elif tag == _IND:
            left = _int(child.get(_IND_LEFT) or child.get(_IND_START))
            if left is not None:
                props["left"] = left
            first = _int(child.get(_IND_FIRST))
            hanging = _int(child.get(_IND_HANGING))
            if hanging is not None:
                props["firstLine"] = -hanging
            elif first is not None:
                props["firstLine"] = first
        elif tag == _SPACING:
            for attr, qualified in _SPACING_ATTRS:
                value = _int(child.get(qualified))
                if value is not None:
                    props[attr] = value
            rule = child.get(_LINE_RULE)
            if rule:
                props["lineRule"] = rule
        else:  # numPr
            num_id = child.find(_NUMID)
            level = child.find(_ILVL)
            if num_id is not None:
                props["numId"] = num_id.get(_VAL)
            if level is not None:
                props["ilvl"] = _int(level.get(_VAL)) or 0
    if bottom is not None:
        props["bottomBorder"] = (bottom.get(_VAL) or "single") not in ("nil", "none")
    return props


def _load_styles(root, theme: dict[str, str]) -> _Styles:
    result = _Styles()
    if root is None:
        return result
    defaults = root.find(w("docDefaults"))
    if defaults is not None:
        result.default_rpr = _parse_rpr(defaults.find(f"{w('rPrDefault')}/{_RPR}"), theme)
        result.default_ppr = _parse_ppr(defaults.find(f"{w('pPrDefault')}/{_PPR}"))
    for el in root.iter(w("style")):
        style_id = _wattr(el, "styleId")
        if not style_id:
            continue
        style_type = _wattr(el, "type") or "paragraph"
        name_el = el.find(w("name"))
        based_el = el.find(w("basedOn"))
        result.styles[style_id] = _Style(
            style_type=style_type,
            name=_wattr(name_el, "val") if name_el is not None else style_id,
            based_on=_wattr(based_el, "val") if based_el is not None else None,
            rpr=_parse_rpr(el.find(_RPR), theme),
            ppr=_parse_ppr(el.find(_PPR)),
        )
        if _on(el.find(w("default"))) or (_wattr(el, "default") or "").lower() in ("1", "true", "on"):
            if style_type == "paragraph":
                result.default_paragraph_style = style_id
            elif style_type == "character":
                result.default_character_style = style_id
    return result


# --------------------------------------------------------------------------
# Numbering (automatic list labels such as "Điều 1." or "a)")
# --------------------------------------------------------------------------

def _roman(n: int) -> str:
    table = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
             (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for value, letters in table:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def _letters(n: int) -> str:
    # Word repeats the letter: a … z, aa … zz.
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _format_number(n: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerRoman":
        return _roman(n).lower()
    if fmt == "upperRoman":
        return _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


@dataclass
class _Level:
    fmt: str = "decimal"
    text: str = "%1."
    start: int = 1
    suffix: str = "tab"
    ppr: dict = field(default_factory=dict)  # the level's indents (between style and direct formatting)


class _Numbering:
    """Counts list items in document order and renders their labels."""

    def __init__(self, root):
        self.abstract: dict[str, dict[int, _Level]] = {}  # parsed when a list first uses it
        self.abstract_elements: dict[str, object] = {}
        self.num_to_abstract: dict[str, str] = {}
        self.overrides: dict[str, dict[int, int]] = {}
        self.counters: dict[str, list[Optional[int]]] = {}
        self.started: set[str] = set()
        if root is None:
            return
        for abstract in root.iter(w("abstractNum")):
            self.abstract_elements[_wattr(abstract, "abstractNumId") or ""] = abstract  # the last of an id counts
        for num in root.iter(w("num")):
            num_id = _wattr(num, "numId") or ""
            ref = num.find(w("abstractNumId"))
            if ref is not None:
                self.num_to_abstract[num_id] = _wattr(ref, "val") or ""
            starts: dict[int, int] = {}
            for override in num.iter(w("lvlOverride")):
                start = override.find(w("startOverride"))
                if start is not None:
                    starts[_int(_wattr(override, "ilvl")) or 0] = _int(_wattr(start, "val")) or 1
            self.overrides[num_id] = starts

    def levels(self, abstract_id: str) -> dict[int, _Level]:
        """The levels of an abstract numbering definition ({} when there is none)."""
        levels = self.abstract.get(abstract_id)
        if levels is not None:
            return levels
        abstract = self.abstract_elements.get(abstract_id)
        levels = {}
        if abstract is not None:
            for lvl in abstract.iter(w("lvl")):
                index = _int(_wattr(lvl, "ilvl")) or 0
                level = _Level()
                fmt = lvl.find(w("numFmt"))
                if fmt is not None and _wattr(fmt, "val"):
                    level.fmt = _wattr(fmt, "val")
                text = lvl.find(w("lvlText"))
                if text is not None:
                    level.text = _wattr(text, "val") or ""
                start = lvl.find(w("start"))
                if start is not None and _int(_wattr(start, "val")) is not None:
                    level.start = _int(_wattr(start, "val"))
                suffix = lvl.find(w("suff"))
                if suffix is not None:
                    level.suffix = _wattr(suffix, "val") or "tab"
                level.ppr = {k: v for k, v in _parse_ppr(lvl.find(_PPR)).items() if k in ("left", "firstLine")}
                levels[index] = level
        self.abstract[abstract_id] = levels
        return levels

    def level_ppr(self, num_id: Optional[str], level_index: int) -> dict:
        if not num_id or num_id not in self.num_to_abstract:
            return {}
        level = self.levels(self.num_to_abstract[num_id]).get(level_index)
        return level.ppr if level else {}

    def label(self, num_id: Optional[str], level_index: int) -> str:
        if not num_id or num_id == "0" or num_id not in self.num_to_abstract:
            return ""
        levels = self.levels(self.num_to_abstract[num_id])
        if level_index not in levels:
            return ""
        # Lists that share an abstract definition continue each other's
        # numbering, unless a list restarts it with w:startOverride.
        key = self.num_to_abstract[num_id]
        counters: list[Optional[int]] = self.counters.setdefault(key, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for overridden, start in self.overrides.get(num_id, {}).items():
                if 0 <= overridden < 10:
                    counters[overridden] = start - 1
        level_index = min(level_index, 9)
        for deeper in range(level_index + 1, 10):
            counters[deeper] = None
        level = levels[level_index]
        current = counters[level_index]
        counters[level_index] = level.start if current is None else current + 1
        if level.fmt == "bullet":
            return ""

        def substitute(match: re.Match) -> str:
            ref = int(match.group(1)) - 1
            ref_level = levels.get(ref, _Level())
            value = counters[ref] if 0 <= ref < 10 and counters[ref] is not None else ref_level.start
            return _format_number(value, ref_level.fmt)

        text = re.sub(r"%(\d)", substitute, level.text)
        if not text:
            return ""
        return text + {"tab": "\t", "space": " "}.get(level.suffix, "")


# --------------------------------------------------------------------------
# Walking the document
# --------------------------------------------------------------------------

def _choose_branch(alternate):
    """One branch of mc:AlternateContent: the first Choice, else the Fallback."""
    choice = alternate.find(_CHOICE)
    if choice is not None:
        return choice
    return alternate.find(_FALLBACK)


def _iter_textboxes(el) -> Iterator:
    """Text box contents below ``el``, taking one branch of each AlternateContent."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        if child.tag == _TXBX:
            yield child
        elif child.tag == _ALTERNATE:
            branch = _choose_branch(child)
            if branch is not None:
                yield from _iter_textboxes(branch)
        else:
            yield from _iter_textboxes(child)


_LINE_GEOMETRIES = {"line", "straightConnector1"}


def _has_line_shape(el) -> bool:
    """A drawn line (DrawingML or VML): offices draw the rule under the agency name this way."""
    for geom in el.iter(f"{{{A_NS}}}prstGeom"):
        if geom.get("prst") in _LINE_GEOMETRIES:
            return True
    for _ in el.iter(f"{{{WPS_NS}}}cNvCnPr"):
        return True
    for _ in el.iter(f"{{{V_NS}}}line"):
        return True
    for shape in el.iter(f"{{{V_NS}}}shape"):
        if shape.get(f"{{{O_NS}}}connectortype") or shape.get("type") in ("#_x0000_t32", "#_x0000_t20"):
            return True
    return False


_TOGGLE_KEYS = {"b", "i", "caps"}
_RUN_SPECIALS = {w("tab"): "\t", w("ptab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-"}
_DRAWING_TAGS = {w("drawing"), w("pict"), w("object"), _ALTERNATE}


@dataclass
class _RunPiece:
    text: str
    style: RunStyle
    caps: bool = False


@dataclass
class _PendingBlock:
    """A paragraph whose text waits for the per-font legacy decision."""

    location: Location
    pieces: list
    fields: dict


# How much text per legacy font is kept to decide whether it is really legacy.
_LEGACY_SAMPLE_CHARS = 100_000


class _DocxWalker:
    def __init__(self, package: _Package, styles: _Styles, numbering: _Numbering, theme: dict[str, str]):
        self.package = package
        self.theme = theme
        self.styles = styles
        self.numbering = numbering
        self.blocks: list[_PendingBlock] = []
        self.legacy_samples: dict[str, list[str]] = {}
        self.revisions = 0
        self.table_count = 0
        self.sections: list = []
        self.legacy_encodings: set[str] = set()
        self._style_cache: dict = {}
        self._base_props: dict = {}  # (paragraph style, character style) → run properties before direct ones
        self._base_ppr: dict = {}  # paragraph style → paragraph properties before numbering and direct ones
        self._legacy_fonts: dict = {}  # font → legacy encoding or None
        self._run_looks: dict = {}  # (paragraph style, direct run properties) → (RunStyle or None if hidden, caps)
        self.elements: list = []  # the w:p of each block, same index (vanban.lint.fix edits them)

    # ---- runs -------------------------------------------------------------
    def _run_props(self, paragraph_style: Optional[str], run_rpr: dict) -> dict:
        char_style = run_rpr.get("rStyle") or self.styles.default_character_style
        key = (paragraph_style, char_style)
        base = self._base_props.get(key)
        if base is None:
            base = dict(self.styles.default_rpr)
            from_paragraph_style = self.styles.chain(paragraph_style, "rpr")
            base.update(from_paragraph_style)
            if char_style:
                for name, value in self.styles.chain(char_style, "rpr").items():
                    # Toggle properties: bold in the paragraph style and again in the
                    # character style cancel out (Word shows the run upright).
                    if name in _TOGGLE_KEYS and value and from_paragraph_style.get(name):
                        base[name] = False
                    else:
                        base[name] = value
            self._base_props[key] = base
        props = dict(base)
        props.update(run_rpr)  # direct formatting is absolute
        return props

    def _run_style(self, props: dict) -> RunStyle:
        key = (props.get("hAnsi"), props.get("ascii"), props.get("sz"), props.get("b"), props.get("i"), props.get("u"))
        style = self._style_cache.get(key)
        if style is None:
            style = RunStyle(
                font=props.get("hAnsi") or props.get("ascii"),
                size_pt=props.get("sz", 10.0),  # Word's built-in default is 10 pt
                bold=bool(props.get("b", False)),
                italic=bool(props.get("i", False)),
                underline=bool(props.get("u", False)),
            )
            self._style_cache[key] = style
        return style

    def _collect_inline(self, el, paragraph_style, pieces: list[_RunPiece], textboxes: list, flags: dict) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag in _REVISION_TAGS:
                self.revisions += 1
            if tag in _INLINE_SKIP:
                continue
            if tag == _R:
                self._collect_run(child, paragraph_style, pieces, textboxes, flags)
            elif tag == _ALTERNATE:
                branch = _choose_branch(child)
                if branch is not None:
                    self._collect_inline(branch, paragraph_style, pieces, textboxes, flags)
            else:
                self._collect_inline(child, paragraph_style, pieces, textboxes, flags)

    def _collect_run(self, run, paragraph_style, pieces, textboxes, flags) -> None:
        parts: list[str] = []
        rpr = None
        for child in run:
            tag = child.tag
            if tag == _T:
                parts.append(child.text or "")
            elif tag in _RUN_SPECIALS:
                parts.append(_RUN_SPECIALS[tag])
            elif tag in _DRAWING_TAGS:
                target = _choose_branch(child) if tag == _ALTERNATE else child
                if target is None:
                    continue
                textboxes.extend(_iter_textboxes(target))
                if _has_line_shape(target):
                    flags["line_shape"] = True
            elif tag == _RPR and rpr is None:
                rpr = child
        text = "".join(parts)
        if not text:
            return
        run_rpr = _parse_rpr(rpr, self.theme)
        key = (paragraph_style, *run_rpr.items())  # the values are str, float or bool
        look = self._run_looks.get(key)
        if look is None:
            props = self._run_props(paragraph_style, run_rpr)
            look = self._run_looks[key] = (
                None if props.get("vanish") else self._run_style(props), bool(props.get("caps")))
        style, caps = look
        if style is None:
            return  # hidden text is not printed
        font = style.font
        encoding = self._legacy_fonts.get(font, False)
        if encoding is False:
            encoding = self._legacy_fonts[font] = legacy.legacy_encoding_for_font(font)
        if encoding:
            sample = self.legacy_samples.setdefault(font, [])
            if sum(len(t) for t in sample) < _LEGACY_SAMPLE_CHARS:
                sample.append(text)
        pieces.append(_RunPiece(text, style, caps))

    # ---- paragraphs and tables ---------------------------------------------
    def paragraph(self, p, part: str, table=None, row=None, cell=None) -> None:
        ppr_el = p.find(_PPR)
        direct_ppr = _parse_ppr(ppr_el)
        style_id = None
        if ppr_el is not None:
            style_el = ppr_el.find(_PSTYLE)
            if style_el is not None:
                style_id = _wattr(style_el, "val")
        style_id = style_id or self.styles.default_paragraph_style
        base = self._base_ppr.get(style_id)
        if base is None:
            base = self._base_ppr[style_id] = dict(self.styles.default_ppr)
            base.update(self.styles.chain(style_id, "ppr"))
        ppr = dict(base)
        num_id = direct_ppr.get("numId", ppr.get("numId"))
        if num_id:
            ppr.update(self.numbering.level_ppr(num_id, direct_ppr.get("ilvl", ppr.get("ilvl", 0))))
        ppr.update(direct_ppr)

        pieces: list[_RunPiece] = []
        textboxes: list = []
        flags: dict = {}
        self._collect_inline(p, style_id, pieces, textboxes, flags)

        label = self.numbering.label(ppr.get("numId"), ppr.get("ilvl", 0)) if ppr.get("numId") else ""
        if label:
            # The label takes the paragraph mark's formatting; the first run's is close enough.
            label_style = pieces[0].style if pieces else self._run_style(self._run_props(style_id, {}))
            pieces.insert(0, _RunPiece(label, label_style))

        line = ppr.get("line")
        line_rule = ppr.get("lineRule", "auto")
        self.elements.append(p)
        self.blocks.append(_PendingBlock(
            location=Location(part=part, index=len(self.blocks), table=table, row=row, cell=cell),
            pieces=pieces,
            fields=dict(
                alignment=ppr.get("jc", "left"),
                first_line_indent_cm=round(ppr["firstLine"] / _TWIPS_PER_CM, 2) if "firstLine" in ppr else 0.0,
                left_indent_cm=round(ppr["left"] / _TWIPS_PER_CM, 2) if "left" in ppr else 0.0,
                space_before_pt=ppr["before"] / 20 if "before" in ppr else 0.0,
                space_after_pt=ppr["after"] / 20 if "after" in ppr else 0.0,
                line_spacing=(round(line / 240, 2) if line_rule == "auto" else None) if line is not None else 1.0,
                style_name=self.styles.name(style_id),
                has_bottom_border=bool(ppr.get("bottomBorder")) or bool(flags.get("line_shape")),
            ),
        ))
        for box in textboxes:
            self.container(box, "textbox")
        if ppr_el is not None:
            section = ppr_el.find(_SECTPR)
            if section is not None:
                self.sections.append(section)

    def table(self, tbl, part: str) -> None:
        index = self.table_count
        self.table_count += 1
        cell_part = "table" if part == "body" else part
        for row_index, tr in enumerate(_children(tbl, _TR)):
            for cell_index, tc in enumerate(_children(tr, _TC)):
                self.container(tc, cell_part, index, row_index, cell_index)

    def container(self, el, part: str, table=None, row=None, cell=None) -> None:
        """Block-level content of a body, cell, text box, header or footer."""
        for child in el:
            tag = child.tag
            if tag == _P:
                self.paragraph(child, part, table, row, cell)
            elif tag == _TBL:
                self.table(child, "body" if part == "table" else part)
            elif tag in (_SDT, _CUSTOMXML, _SDTCONTENT):
                self.container(child.find(_SDTCONTENT) if tag == _SDT else child, part, table, row, cell)
            elif tag == _ALTERNATE:
                branch = _choose_branch(child)
                if branch is not None:
                    self.container(branch, part, table, row, cell)
            elif tag == _SECTPR and part == "body":
                self.sections.append(child)


    def finish(self) -> list[Block]:
        """Decide the legacy fonts, convert their runs, and build the Blocks."""
        legacy_fonts = {
            font for font, sample in self.legacy_samples.items()
            if legacy.font_text_is_legacy(font, "".join(sample))
        }
        blocks: list[Block] = []
        for pending in self.blocks:
            styles: list[RunStyle] = []
            texts: list[list[str]] = []
            for piece in pending.pieces:
                text = piece.text
                style = piece.style
                if legacy_fonts and style.font in legacy_fonts:
                    text, encoding = legacy.convert_run_text(text, style.font)
                    if encoding:
                        self.legacy_encodings.add(encoding)
                if piece.caps:
                    text = text.upper()
                text = normalize_text(text)
                if not text:
                    continue
                if styles and (styles[-1] is style or styles[-1] == style):
                    texts[-1].append(text)  # same look as the previous run: one run
                else:
                    styles.append(style)
                    texts.append([text])
            runs = tuple(TextRun("".join(parts), style) for style, parts in zip(styles, texts))
            blocks.append(Block(
                text="".join(r.text for r in runs),
                location=pending.location,
                runs=runs,
                **pending.fields,
            ))
        return blocks


def _children(el, tag: str) -> Iterator:
    """Direct children with ``tag``, looking through content controls and custom XML."""
    if el is None:
        return
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (_SDT, _SDTCONTENT, _CUSTOMXML):
            yield from _children(child.find(_SDTCONTENT) if child.tag == _SDT else child, tag)


# --------------------------------------------------------------------------
# Sections, headers and footers
# --------------------------------------------------------------------------

def _has_page_field(root) -> bool:
    if root is None:
        return False
    for instr in root.iter(w("instrText")):
        if _PAGE_FIELD.search((instr.text or "").upper()):
            return True
    for simple in root.iter(w("fldSimple")):
        if _PAGE_FIELD.search((_wattr(simple, "instr") or "").upper()):
            return True
    return False


def _page_setups(sections: list, rels: dict, parts: dict) -> list[PageSetup]:
    """PageSetup per section; header/footer references are inherited from the previous section."""
    setups: list[PageSetup] = []
    inherited: dict[tuple[str, str], str] = {}
    for index, section in enumerate(sections):
        for kind in ("header", "footer"):
            for ref in section.findall(w(f"{kind}Reference")):
                rel = rels.get(ref.get(f"{{{R_NS}}}id") or "")
                if rel:
                    inherited[(kind, _wattr(ref, "type") or "default")] = rel[1]
        size = section.find(w("pgSz"))
        margins = section.find(w("pgMar"))
        width = _int(_wattr(size, "w")) if size is not None else None
        height = _int(_wattr(size, "h")) if size is not None else None
        width = width or 11906  # A4 when absent
        height = height or 16838
        orientation = _wattr(size, "orient") if size is not None else None
        if not orientation:
            orientation = "landscape" if width > height else "portrait"

        def margin(name: str) -> Optional[float]:
            value = _int(_wattr(margins, name)) if margins is not None else None
            return round(abs(value) / _TWIPS_PER_MM, 1) if value is not None else None

        def numbered(kind_type: str) -> bool:
            return any(
                parts.get(inherited.get((kind, kind_type)) or "") for kind in ("header", "footer")
            )

        has_numbers = numbered("default") or numbered("even") or numbered("first")
        title_page = _on(section.find(w("titlePg"))) or False
        first_page = numbered("first") if title_page else numbered("default")
        setups.append(PageSetup(
            index=index,
            width_mm=round(width / _TWIPS_PER_MM, 1),
            height_mm=round(height / _TWIPS_PER_MM, 1),
            orientation=orientation,
            margin_top_mm=margin("top"),
            margin_bottom_mm=margin("bottom"),
            margin_left_mm=margin("left"),
            margin_right_mm=margin("right"),
            has_page_numbers=has_numbers,
            page_number_on_first_page=first_page if has_numbers else False,
        ))
    return setups


# --------------------------------------------------------------------------
# Public entry points
# --------------------------------------------------------------------------

# A .docx of a million empty paragraphs is 10 KB and takes the reader a minute and a gigabyte: the
# main part's paragraphs, runs and elements are bounded before its tree is built (a 1,500-page
# report has some 50,000 paragraphs).
MAX_DOCX_PARAGRAPHS = 100_000
MAX_DOCX_RUNS = 200_000
MAX_DOCX_ELEMENTS = 3_000_000

# Start tags whose local name is p or r, whatever the prefix: at least as many as the w:p and w:r.
_P_START = re.compile(rb"<[^\s/>!?:]*:?p[\s/>]")
_R_START = re.compile(rb"<[^\s/>!?:]*:?r[\s/>]")


def check_counts(raw: bytes, path: Path) -> None:
    """Refuse a main part over the paragraph, run or element limits, before its tree is built.

    Bounds from the bytes first (every element has one ``<`` not followed by ``/``; every w:p one
    match of ``_P_START``): a document within them is within the limits. Otherwise the elements are
    counted exactly, streamed in bounded memory."""
    elements = raw.count(b"<") - raw.count(b"</")
    if elements <= MAX_DOCX_PARAGRAPHS:
        return
    if elements <= MAX_DOCX_ELEMENTS and len(_P_START.findall(raw)) <= MAX_DOCX_PARAGRAPHS \
            and len(_R_START.findall(raw)) <= MAX_DOCX_RUNS:
        return
    import io

    para, run = _P, _R
    counts = {"p": 0, "r": 0, "all": 0}
    try:
        for _, element in etree.iterparse(io.BytesIO(raw), events=("end",), resolve_entities=False, no_network=True,
                                          load_dtd=False, huge_tree=False):
            counts["all"] += 1
            if element.tag == para:
                counts["p"] += 1
            elif element.tag == run:
                counts["r"] += 1
            element.clear()
            if counts["p"] > MAX_DOCX_PARAGRAPHS or counts["r"] > MAX_DOCX_RUNS \
                    or counts["all"] > MAX_DOCX_ELEMENTS:
                raise LimitError(
                    f"văn bản có quá nhiều đoạn hoặc phần tử (giới hạn {number_text(MAX_DOCX_PARAGRAPHS)} "
                    f"đoạn, {number_text(MAX_DOCX_RUNS)} đoạn định dạng); nghi tệp bị làm hỏng", path)
    except etree.LxmlError:
        return  # broken: the parser says what is wrong in its own words


_DERIVED: "OrderedDict[tuple, object]" = OrderedDict()
_DERIVED_SIZE = 64
_DERIVED_LOCK = threading.Lock()


def _derived(kind: str, raws: tuple, build):
    """``build()``, remembered for the same bytes of the parts it reads (least recently used first out).
    What is remembered is read-only for the walker (its per-document state lives in the walker)."""
    key = (kind, *(hashlib.sha1(raw).digest() if raw is not None else None for raw in raws))
    with _DERIVED_LOCK:
        value = _DERIVED.get(key)
        if value is not None:
            _DERIVED.move_to_end(key)
            return value
    value = build()
    with _DERIVED_LOCK:
        _DERIVED[key] = value
        while len(_DERIVED) > _DERIVED_SIZE:
            _DERIVED.popitem(last=False)
    return value


def check_docx_bytes(path: Path, data: bytes) -> None:
    """Raise the ReadError a user should see for bytes that are not a readable .docx."""
    if not data:
        raise ReadError("tệp rỗng", path)
    if ole_is_encrypted_package(data):
        raise ReadError("tệp được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi gửi lại", path)
    if not data.startswith(ZIP_MAGIC):
        raise ReadError("tệp .docx bị hỏng hoặc không đúng định dạng", path)


def read_file_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes, refusing files over ``limit``."""
    try:
        size = path.stat().st_size
        if size > limit:
            raise ReadError(
                f"tệp quá lớn ({size / (1024 * 1024):.0f} MB; giới hạn {limit // (1024 * 1024)} MB)", path
            )
        return path.read_bytes()
    except OSError as exc:
        raise ReadError(f"không mở được tệp: {exc.strerror or exc}", path) from exc


def read_docx(path: str | Path, data: Optional[bytes] = None, *, _parts: Optional[dict] = None) -> RawDocument:
    """Read a .docx file into a RawDocument (blocks in reading order, styles, page setup).

    ``_parts`` (see :func:`read_docx_for_edit`) receives the parsed XML parts it walked.
    """
    path = Path(path)
    if data is None:
        data = read_file_bytes(path)
    check_docx_bytes(path, data)
    package = _Package(path, data)
    main = package.main_part()
    rels = package.relationships(main)
    by_type: dict[str, list[str]] = {}
    for rel_type, name in rels.values():
        by_type.setdefault(rel_type, []).append(name)

    def first_part(rel_type: str) -> tuple[str, Optional[bytes]]:
        names = by_type.get(rel_type) or []
        return (names[0], package.raw(names[0])) if names else ("", None)

    # Styles and theme are read once per distinct content: the documents of
    # one office share them, and they are often larger than the text (Word's default styles.xml).
    theme_part, styles_part = first_part("theme"), first_part("styles")

    def load_styles():
        theme = _theme_fonts(package.parse(*theme_part))
        return theme, _load_styles(package.parse(*styles_part), theme)

    theme, styles = _derived("styles", (theme_part[1], styles_part[1]), load_styles)
    styles_root = package.parse(*styles_part) if _parts is not None else None
    numbering_part = first_part("numbering")
    numbering = _Numbering(package.parse(*numbering_part))  # definitions parsed as lists use them
    main_raw = package.raw(main)
    if main_raw is not None:
        check_counts(main_raw, path)
    document = package.parse(main, main_raw)
    if document is None:
        raise ReadError("tệp .docx bị hỏng hoặc không đúng định dạng", path)
    body = document.find(w("body"))
    if body is None:
        raise ReadError("tệp .docx bị hỏng: không có phần thân văn bản (w:body)", path)

    walker = _DocxWalker(package, styles, numbering, theme)
    walker.container(body, "body")
    if _parts is not None:
        _parts.update({main: document, "": walker.elements})

    # Headers and footers come after the body so the document's own first
    # lines (agency name, national title) stay first.
    header_footer_roots: dict[str, object] = {}
    page_field_parts: dict[str, bool] = {}
    seen: set[str] = set()
    for section in walker.sections:
        for kind in ("header", "footer"):
            for ref in section.findall(w(f"{kind}Reference")):
                rel = rels.get(ref.get(f"{{{R_NS}}}id") or "")
                if not rel or rel[1] in seen:
                    continue
                seen.add(rel[1])
                root = package.xml(rel[1])
                if root is None:
                    continue
                header_footer_roots[rel[1]] = (kind, root)
                page_field_parts[rel[1]] = _has_page_field(root)
    for name, (kind, root) in header_footer_roots.items():
        walker.container(root, kind)
    if _parts is not None:
        _parts.update({name: root for name, (_, root) in header_footer_roots.items()})
        if styles_root is not None:
            _parts[by_type["styles"][0]] = styles_root

    blocks = walker.finish()
    default_props = dict(styles.default_rpr)
    default_props.update(styles.chain(styles.default_paragraph_style, "rpr"))
    notes = [legacy.NOTES[e] for e in sorted(walker.legacy_encodings)]
    if walker.revisions:
        notes.append(
            f"Văn bản còn {walker.revisions} chỗ sửa đổi được theo dõi (Track Changes) chưa chấp nhận hoặc từ chối; "
            "nội dung được đọc như khi đã chấp nhận tất cả"
        )
    comments = 0
    for name in by_type.get("comments", []):
        root = package.xml(name)
        if root is not None:
            comments += sum(1 for _ in root.iter(w("comment")))
    if comments:
        notes.append(f"Văn bản còn {comments} ghi chú (comment) của người soạn thảo hoặc góp ý")
    return RawDocument(
        path=str(path),
        format="docx",
        blocks=tuple(blocks),
        pages=tuple(_page_setups(walker.sections, rels, page_field_parts)),
        legacy_encoding="+".join(sorted(walker.legacy_encodings)) or None,
        default_style=walker._run_style(default_props),
        notes=tuple(notes),
        sha256=hashlib.sha256(data).hexdigest(),
    )


def iter_docx_xml_text(path: str | Path) -> Iterator[str]:
    """Only unzip ``word/document.xml`` and yield each ``w:t`` text: the floor for benchmarks."""
    with zipfile.ZipFile(path) as archive:
        with archive.open("word/document.xml") as stream:
            for _, el in etree.iterparse(stream, events=("end",), tag=_T, resolve_entities=False, no_network=True):
                yield el.text or ""
                el.clear()


def read_docx_for_edit(path: str | Path) -> tuple[RawDocument, dict, list]:
    """:func:`read_docx`, also giving what a writer needs to edit the file (vanban.lint.fix): the parsed
    main, styles, header and footer parts (part name → root) and the ``w:p`` element of each block."""
    parts: dict = {}
    raw = read_docx(path, _parts=parts)
    return raw, parts, parts.pop("")
