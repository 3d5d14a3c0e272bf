"""Text drawn inside PDF signature widgets (``/AP /N`` appearance streams).

Provincial document systems stamp the issue number and the day/month of a
document into signature widgets placed over the blanks of ``Số:   /TTr-SNV``
and ``ngày   tháng   năm``; the page text itself keeps the blanks. The text
is drawn with subset fonts (Identity-H, two-byte glyph codes), so it has to
be decoded through each font's ``/ToUnicode`` CMap. This module interprets
the appearance stream (and the form XObjects nested in it) just far enough
to collect that text and where it starts on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator, Optional

from pypdf.generic import ArrayObject, ByteStringObject, ContentStream, DictionaryObject, TextStringObject

# Appearance streams nest form XObjects (/FRM → /n2 …); real ones go 3 deep.
MAX_NESTING = 8
# A widget stream bigger than this is an image, not stamped text.
MAX_STREAM_BYTES = 2 * 1024 * 1024

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


HEX_DIGITS = b"0123456789abcdefABCDEF"


def fast_hex_reader(original, whitespace: bytes, build):
    """A PDF parser's hex-string reader (``<48656C6C6F>``) that reads the string at once.

    pypdf and pyHanko read a hex string one byte per Python call: a fifth of
    pyHanko's signature time (``/Contents`` holds 10 000 to 30 000 digits)
    and a sixth of pypdf's text extraction (Word's PDFs draw text as hex
    glyph codes). This reads up to ``>`` in growing chunks and decodes with
    ``binascii``. Anything unusual (a comment sign, a character that is
    neither a hex digit nor white space, no ``>``) goes back to ``original``
    from the start, so results and errors stay the library's own. ``build``
    makes the library's string object from the bytes (and the extra
    arguments of ``original``).
    """
    import binascii

    allowed = HEX_DIGITS + whitespace

    def read_hex_string_from_stream(stream, *args):
        start = stream.tell()
        stream.read(1)
        body, size = b"", 128
        while True:
            chunk = stream.read(size)
            end = chunk.find(b">")
            if end >= 0:
                body += chunk[:end]
                after: Optional[int] = stream.tell() - len(chunk) + end + 1
                break
            if not chunk:
                after = None
                break
            body += chunk
            size *= 4
        if after is None or body.translate(None, allowed):
            stream.seek(start)
            return original(stream, *args)
        digits = body.translate(None, whitespace)
        stream.seek(after)
        return build(binascii.unhexlify(digits + (b"0" if len(digits) % 2 else b"")), *args)

    read_hex_string_from_stream.vanban_fast = True  # type: ignore[attr-defined]
    return read_hex_string_from_stream


def install_fast_pypdf_hex() -> None:
    """pypdf's object parser (content streams, file objects) with :func:`fast_hex_reader`."""
    from pypdf._utils import WHITESPACES_AS_BYTES
    from pypdf.generic import _data_structures
    from pypdf.generic._utils import create_string_object

    original = _data_structures.read_hex_string_from_stream
    if not getattr(original, "vanban_fast", False):
        _data_structures.read_hex_string_from_stream = fast_hex_reader(
            original, WHITESPACES_AS_BYTES, create_string_object)


@dataclass(frozen=True)
class WidgetText:
    """Text found in one signature widget's appearance, in page coordinates (points)."""

    field_name: str
    page: int  # 1-based
    rect: tuple[float, float, float, float]  # x0, y0, x1, y1, normalised
    text: str  # decoded, whitespace squashed; "" when the widget draws no text
    text_x: Optional[float] = None  # page x where the first glyph starts
    text_y: Optional[float] = None  # page y of the first glyph's baseline
    font_size: Optional[float] = None
    undecodable: bool = False  # glyphs drawn with a font that has no usable ToUnicode


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """``a × b`` for PDF matrices [a b c d e f] (row-vector convention)."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _matrix(values) -> Matrix:
    try:
        numbers = tuple(float(v) for v in values)
    except (TypeError, ValueError):
        return IDENTITY
    return numbers if len(numbers) == 6 else IDENTITY  # type: ignore[return-value]


# --------------------------------------------------------------------------
# ToUnicode CMaps
# --------------------------------------------------------------------------

_HEX = re.compile(r"<([0-9A-Fa-f\s]*)>")
_CODESPACE = re.compile(r"begincodespacerange(.*?)endcodespacerange", re.S)
_BFCHAR = re.compile(r"beginbfchar(.*?)endbfchar", re.S)
_BFRANGE = re.compile(r"beginbfrange(.*?)endbfrange", re.S)
_RANGE_LINE = re.compile(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])")


def _utf16_hex(hex_text: str) -> str:
    hex_text = re.sub(r"\s", "", hex_text)
    if len(hex_text) % 2:
        hex_text += "0"
    data = bytes.fromhex(hex_text)
    if len(data) % 2:
        return data.decode("latin-1")
    return data.decode("utf-16-be", errors="replace")


@dataclass
class CharMap:
    """Glyph code → Unicode for one font; ``code_bytes`` is the code width."""

    mapping: dict[int, str]
    code_bytes: int
    simple_fallback: bool = False  # no ToUnicode: one byte per code, cp1252

    def decode(self, data: bytes) -> tuple[str, bool]:
        """Decoded text and whether every code was found."""
        if self.simple_fallback:
            if data.startswith(b"\xfe\xff"):  # some signers write UTF-16 text strings into the stream
                return data[2:].decode("utf-16-be", errors="replace"), True
            return data.decode("cp1252", errors="replace"), True
        out: list[str] = []
        complete = True
        step = self.code_bytes
        for start in range(0, len(data) - step + 1, step):
            code = int.from_bytes(data[start:start + step], "big")
            char = self.mapping.get(code)
            if char is None:
                complete = False
                continue
            out.append(char)
        return "".join(out), complete


def parse_to_unicode(cmap_text: str) -> tuple[dict[int, str], int]:
    """Parse a ToUnicode CMap: (code → text, bytes per code)."""
    code_bytes = 0
    for block in _CODESPACE.findall(cmap_text):
        for low in _HEX.findall(block)[::2]:
            code_bytes = max(code_bytes, len(re.sub(r"\s", "", low)) // 2)
    mapping: dict[int, str] = {}
    for block in _BFCHAR.findall(cmap_text):
        values = _HEX.findall(block)
        for src, dst in zip(values[::2], values[1::2]):
            src = re.sub(r"\s", "", src)
            code_bytes = code_bytes or len(src) // 2
            mapping[int(src, 16)] = _utf16_hex(dst)
    for block in _BFRANGE.findall(cmap_text):
        for low, high, target in _RANGE_LINE.findall(block):
            code_bytes = code_bytes or len(low) // 2
            lo, hi = int(low, 16), int(high, 16)
            if hi < lo or hi - lo > 0xFFFF:
                continue
            if target.startswith("["):
                for offset, item in enumerate(_HEX.findall(target)):
                    if lo + offset > hi:
                        break
                    mapping[lo + offset] = _utf16_hex(item)
            else:
                base = bytearray(bytes.fromhex(target[1:-1] or "00"))
                for offset in range(hi - lo + 1):
                    value = int.from_bytes(base, "big") + offset
                    raw = value.to_bytes(len(base), "big")
                    mapping[lo + offset] = raw.decode("utf-16-be", errors="replace") if len(raw) % 2 == 0 else raw.decode("latin-1")
    return mapping, code_bytes or 1


def font_char_map(font: DictionaryObject) -> Optional[CharMap]:
    """The CharMap of a font dictionary, or None when its codes cannot be decoded."""
    font = font.get_object()
    to_unicode = font.get("/ToUnicode")
    is_type0 = font.get("/Subtype") == "/Type0"
    if to_unicode is not None:
        try:
            cmap_text = to_unicode.get_object().get_data().decode("latin-1")
            mapping, code_bytes = parse_to_unicode(cmap_text)
        except Exception:  # noqa: BLE001 - a broken CMap only loses this font's text
            mapping, code_bytes = {}, 2 if is_type0 else 1
        if mapping:
            return CharMap(mapping, code_bytes)
    if is_type0:
        return None
    return CharMap({}, 1, simple_fallback=True)


# --------------------------------------------------------------------------
# Appearance stream interpretation
# --------------------------------------------------------------------------

@dataclass
class _Glyphs:
    text: str
    x: float
    y: float
    size: float


class _Collector:
    def __init__(self) -> None:
        self.pieces: list[_Glyphs] = []
        self.undecodable = False
        self._fonts: dict[int, Optional[CharMap]] = {}

    def char_map(self, resources, name) -> Optional[CharMap]:
        fonts = resources.get("/Font") if resources is not None else None
        if fonts is None:
            return None
        fonts = fonts.get_object()
        ref = fonts.get(name)
        if ref is None:
            return None
        key = id(ref.get_object())
        if key not in self._fonts:
            self._fonts[key] = font_char_map(ref.get_object())
        return self._fonts[key]

    def run(self, xobject, ctm: Matrix, depth: int) -> None:
        if depth > MAX_NESTING:
            return
        xobject = xobject.get_object()
        try:
            length = int(xobject.get("/Length", 0) or 0)
        except (TypeError, ValueError):
            length = 0
        if length > MAX_STREAM_BYTES:
            return
        resources = xobject.get("/Resources")
        resources = resources.get_object() if resources is not None else None
        try:
            operations = ContentStream(xobject, xobject.indirect_reference.pdf if xobject.indirect_reference else None).operations
        except Exception:  # noqa: BLE001 - an unreadable appearance simply has no text
            return
        stack: list[Matrix] = []
        text_matrix = line_matrix = IDENTITY
        char_map: Optional[CharMap] = None
        size = 0.0
        leading = 0.0
        for operands, operator in operations:
            if operator == b"q":
                stack.append(ctm)
            elif operator == b"Q":
                ctm = stack.pop() if stack else ctm
            elif operator == b"cm":
                ctm = multiply(_matrix(operands), ctm)
            elif operator == b"BT":
                text_matrix = line_matrix = IDENTITY
            elif operator == b"Tf" and len(operands) == 2:
                char_map = self.char_map(resources, operands[0])
                size = float(operands[1])
            elif operator == b"TL" and operands:
                leading = float(operands[0])
            elif operator == b"Tm":
                text_matrix = line_matrix = _matrix(operands)
            elif operator in (b"Td", b"TD") and len(operands) == 2:
                tx, ty = float(operands[0]), float(operands[1])
                if operator == b"TD":
                    leading = -ty
                line_matrix = text_matrix = multiply((1, 0, 0, 1, tx, ty), line_matrix)
            elif operator == b"T*":
                line_matrix = text_matrix = multiply((1, 0, 0, 1, 0, -leading), line_matrix)
            elif operator in (b"Tj", b"'", b'"', b"TJ"):
                if operator in (b"'", b'"'):
                    line_matrix = text_matrix = multiply((1, 0, 0, 1, 0, -leading), line_matrix)
                strings = operands[-1:] if operator != b"TJ" else (
                    operands[0] if operands and isinstance(operands[0], ArrayObject) else [])
                data = b"".join(_string_bytes(item) for item in strings)
                self.show(data, char_map, multiply(text_matrix, ctm), size)
            elif operator == b"Do" and operands and resources is not None:
                xobjects = resources.get("/XObject")
                child = xobjects.get_object().get(operands[0]) if xobjects is not None else None
                if child is not None and child.get_object().get("/Subtype") == "/Form":
                    child_matrix = _matrix(child.get_object().get("/Matrix", IDENTITY))
                    self.run(child, multiply(child_matrix, ctm), depth + 1)

    def show(self, data: bytes, char_map: Optional[CharMap], matrix: Matrix, size: float) -> None:
        if not data:
            return
        if char_map is None:
            self.undecodable = True
            return
        text, complete = char_map.decode(data)
        if not complete:
            self.undecodable = True
        if text:
            scale = (matrix[2] ** 2 + matrix[3] ** 2) ** 0.5
            self.pieces.append(_Glyphs(text, matrix[4], matrix[5], size * scale))


def _string_bytes(item) -> bytes:
    """The raw glyph codes of a string operand (numbers in a TJ array give none)."""
    if isinstance(item, TextStringObject):
        return item.original_bytes
    if isinstance(item, (ByteStringObject, bytes)):
        return bytes(item)
    return b""


def _rect(annotation) -> Optional[tuple[float, float, float, float]]:
    try:
        x0, y0, x1, y1 = (float(v) for v in annotation["/Rect"])
    except (KeyError, TypeError, ValueError):
        return None
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _field_name(annotation) -> str:
    parts: list[str] = []
    node = annotation
    for _ in range(32):  # field trees are shallow; guard against loops
        title = node.get("/T")
        if title is not None:
            parts.append(str(title))
        parent = node.get("/Parent")
        if parent is None:
            break
        node = parent.get_object()
    return ".".join(reversed(parts))


def _is_signature_widget(annotation) -> bool:
    if annotation.get("/Subtype") != "/Widget":
        return False
    field_type = annotation.get("/FT")
    if field_type is None and annotation.get("/Parent") is not None:
        field_type = annotation["/Parent"].get_object().get("/FT")
    return field_type == "/Sig"


def widget_texts(reader) -> list[WidgetText]:
    """Every signature widget of every page with the text its normal appearance draws."""
    found: list[WidgetText] = []
    for page_number, page in enumerate(reader.pages, start=1):
        try:
            annotations = page.get("/Annots")
            annotations = annotations.get_object() if annotations is not None else []
        except Exception:  # noqa: BLE001 - a broken annotation array: no widgets on this page
            continue
        for ref in annotations:
            try:
                annotation = ref.get_object()
                if not isinstance(annotation, DictionaryObject) or not _is_signature_widget(annotation):
                    continue
                found.append(_read_widget(annotation, page_number))
            except Exception:  # noqa: BLE001 - one odd widget must not stop the file
                continue
    return found


def _join_lines(pieces: list[_Glyphs]) -> str:
    """Pieces drawn on different baselines become separate lines (``\\n``)."""
    lines: list[str] = []
    current = ""
    last_y: Optional[float] = None
    for piece in pieces:
        if last_y is not None and abs(piece.y - last_y) > max(piece.size, 1.0) * 0.5:
            lines.append(current)
            current = ""
        current += piece.text
        last_y = piece.y
    lines.append(current)
    squashed = (re.sub(r"\s+", " ", line).strip() for line in lines)
    return "\n".join(line for line in squashed if line)


def _read_widget(annotation, page_number: int) -> WidgetText:
    name = _field_name(annotation)
    rect = _rect(annotation) or (0.0, 0.0, 0.0, 0.0)
    appearance = annotation.get("/AP")
    normal = appearance.get_object().get("/N") if appearance is not None else None
    if normal is not None:
        normal = normal.get_object()
        if isinstance(normal, DictionaryObject) and "/Subtype" not in normal and "/BBox" not in normal:
            # an appearance sub-dictionary keyed by state; use the current state
            state = annotation.get("/AS")
            normal = normal.get(state).get_object() if state is not None and normal.get(state) is not None else None
    if normal is None or not hasattr(normal, "get_data"):
        return WidgetText(name, page_number, rect, "")
    # Form XObject space → page: BBox transformed by /Matrix is fitted onto /Rect.
    matrix = _matrix(normal.get("/Matrix", IDENTITY))
    try:
        bx0, by0, bx1, by1 = (float(v) for v in normal.get("/BBox", (0, 0, 0, 0)))
    except (TypeError, ValueError):
        bx0 = by0 = bx1 = by1 = 0.0
    corners = [multiply((1, 0, 0, 1, x, y), matrix) for x, y in ((bx0, by0), (bx1, by1))]
    tbx0, tby0 = min(c[4] for c in corners), min(c[5] for c in corners)
    tbx1, tby1 = max(c[4] for c in corners), max(c[5] for c in corners)
    sx = (rect[2] - rect[0]) / (tbx1 - tbx0) if tbx1 > tbx0 else 1.0
    sy = (rect[3] - rect[1]) / (tby1 - tby0) if tby1 > tby0 else 1.0
    fit = (sx, 0.0, 0.0, sy, rect[0] - tbx0 * sx, rect[1] - tby0 * sy)
    collector = _Collector()
    collector.run(normal, multiply(matrix, fit), 0)
    pieces = [p for p in collector.pieces if p.text.strip()]
    text = _join_lines(collector.pieces)
    first = pieces[0] if pieces else None
    return WidgetText(
        field_name=name,
        page=page_number,
        rect=rect,
        text=text,
        text_x=first.x if first else None,
        text_y=first.y if first else None,
        font_size=first.size if first else None,
        undecodable=collector.undecodable,
    )


# --------------------------------------------------------------------------
# Broken ToUnicode maps of embedded TrueType fonts
# --------------------------------------------------------------------------

# Some Word versions write a ToUnicode map that sends many capital letters
# ("H", "D", "N", "T", "Ậ" …) to U+0020; the page then reads "Sở ội vụ",
# "iệp hội oanh nghiệp". The embedded TrueType program still knows every
# glyph (its cmap and glyph names), so those codes are decoded from it.

_SPACE_NAMES = frozenset({"space", "nbspace", "uni00A0", "nonbreakingspace", "uni0020", ".notdef"})
MAX_FONT_BYTES = 20 * 1024 * 1024


def _glyph_unicode(font_file: bytes) -> dict[int, str]:
    """Glyph id → character, from the font's own cmap, else its glyph names."""
    import io

    from fontTools.agl import toUnicode
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(font_file), lazy=True)
    order = font.getGlyphOrder()
    by_name: dict[str, str] = {}
    try:
        for code, name in (font.getBestCmap() or {}).items():
            char = chr(code)
            # the first (lowest) code point wins, except a space never hides a letter
            if name not in by_name or (by_name[name].isspace() and not char.isspace()):
                by_name[name] = char
    except Exception:  # noqa: BLE001 - no usable cmap: glyph names only
        pass
    out: dict[int, str] = {}
    for gid, name in enumerate(order):
        char = by_name.get(name)
        if char is None and name not in _SPACE_NAMES:
            try:
                char = toUnicode(name) or None
            except Exception:  # noqa: BLE001
                char = None
        if char:
            out[gid] = char
    return out


# A bfchar destination that is blank (what :func:`_repair_font` counts): NUL or a Unicode space.
_BLANK_TARGET = re.compile(
    r"<\s*(?:00(?:0[09a-dA-D]|20|85|[aA]0|00)|1680|200[0-9aA]|202[89fF]|205[fF]|3000)\s*>\s*(?:\r?\n|\s|$)"
)


def _repair_font(font) -> bool:
    """Rewrite one Type0/TrueType font's ToUnicode when it maps letters to spaces; True when changed."""
    from pypdf.generic import DecodedStreamObject, NameObject

    if font.get("/Subtype") != "/Type0" or font.get("/Encoding") not in ("/Identity-H", "/Identity-V"):
        return False
    to_unicode = font.get("/ToUnicode")
    descendants = font.get("/DescendantFonts")
    if to_unicode is None or descendants is None:
        return False
    descendant = descendants.get_object()[0].get_object()
    if descendant.get("/Subtype") != "/CIDFontType2":
        return False
    gid_map = descendant.get("/CIDToGIDMap")
    if gid_map is not None and gid_map != "/Identity":
        return False
    descriptor = descendant.get("/FontDescriptor")
    font_file = descriptor.get_object().get("/FontFile2") if descriptor is not None else None
    if font_file is None:
        return False
    cmap_text = to_unicode.get_object().get_data().decode("latin-1")
    if "bfrange" not in cmap_text and len(_BLANK_TARGET.findall(cmap_text)) < 2:
        return False  # no two codes map to a blank: nothing to repair, and no need to parse the map
    mapping, code_bytes = parse_to_unicode(cmap_text)
    if code_bytes != 2:
        return False
    blank = [code for code, text in mapping.items() if not text.strip() or text == "\x00"]
    if len(blank) < 2:  # one code for the space is normal
        return False
    data = font_file.get_object()
    if int(data.get("/Length", 0) or 0) > MAX_FONT_BYTES:
        return False
    glyphs = _glyph_unicode(data.get_data())
    fixed = 0
    for code in blank:
        char = glyphs.get(code)
        if char and not char.isspace():
            mapping[code] = char
            fixed += 1
    if not fixed:
        return False
    entries = sorted(mapping.items())
    body = []
    for start in range(0, len(entries), 100):
        chunk = entries[start:start + 100]
        body.append(f"{len(chunk)} beginbfchar")
        body.extend(f"<{code:04X}> <{text.encode('utf-16-be').hex().upper()}>" for code, text in chunk)
        body.append("endbfchar")
    cmap = "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
        "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
        *body, "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])
    stream = DecodedStreamObject()
    stream.set_data(cmap.encode("latin-1"))
    font[NameObject("/ToUnicode")] = stream
    return True


def page_fonts(page, seen_forms: set[int]) -> Iterator:
    """The font dictionaries of the page's resources and of the form XObjects it draws, nested up to
    MAX_NESTING; a form whose id is in ``seen_forms`` is not entered again (ids are added here)."""
    stack = [(page.get("/Resources"), 0)]
    while stack:
        resources, depth = stack.pop()
        if resources is None or depth > MAX_NESTING:
            continue
        resources = resources.get_object()
        fonts = resources.get("/Font")
        for ref in (fonts.get_object().values() if fonts is not None else ()):
            yield ref.get_object()
        xobjects = resources.get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects is not None else ()):
            child = ref.get_object()
            if id(child) in seen_forms or child.get("/Subtype") != "/Form":
                continue
            seen_forms.add(id(child))
            stack.append((child.get("/Resources"), depth + 1))


def repair_to_unicode(page, seen: set[int], fixed: Optional[set[int]] = None) -> int:
    """Fix the ToUnicode maps of the page's fonts (and those of its forms) in memory.

    Only the reader's copy changes; the file on disk is never written. Returns
    how many fonts were repaired; ``seen`` holds fonts (and forms) already looked at. With
    ``fixed`` (ids of fonts repaired so far, updated here), the count also
    includes the page's fonts repaired on an earlier page.
    """
    repaired = 0
    for font in page_fonts(page, seen):
        if id(font) in seen:
            repaired += fixed is not None and id(font) in fixed
            continue
        seen.add(id(font))
        try:
            if _repair_font(font):
                repaired += 1
                if fixed is not None:
                    fixed.add(id(font))
        except Exception:  # noqa: BLE001 - an odd font keeps its own map
            continue
    return repaired
