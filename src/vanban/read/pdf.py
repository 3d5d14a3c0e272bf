"""PDF reader: text layer, page geometry, scans, digital signatures, widget text.

How a page becomes blocks
    pypdf reports every text fragment with its position (``visitor_text``);
    glyph widths come from the font (code → Unicode map inverted). Fragments
    are grouped into lines by baseline and sorted left to right. A line is
    split into columns where the visible text is more than COLUMN_GAP_EM
    apart, or where another line was drawn in between in the content stream
    (Word and LibreOffice draw a table cell by cell) and a gap remains. So
    the two-column header gives ``Số: …`` and ``Lâm Đồng, ngày … tháng …
    năm …`` as separate blocks, each one line; body lines are never split.

Number and date stamped into signature widgets (DOMAIN.md §6)
    Signed PDFs from the provincial document system keep ``Số:    /TTr-SNV``
    and ``ngày   tháng`` blank in the page text; the number and the day/month
    are drawn inside signature widgets placed over the blanks
    (:mod:`vanban.read.pdf_widgets` decodes them through the fonts'
    ToUnicode maps). Each widget's text becomes a ``widget`` block placed
    right after the page line it sits on, and, when the widget starts over a
    blank of that line, the text is also written into the blank, so the page
    block reads ``Số: 05/TTr-SNV`` and ``Lâm Đồng, ngày 06 tháng 01 năm 2026``.
    A note in ``RawDocument.notes`` says what was filled in.

Everything the user sees (errors, notes) is Vietnamese; nothing is OCR'd.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from vanban.errors import ReadError
from vanban.model import Block, DigitalSignature, Location, PageSetup, RawDocument
from vanban.read.legacy import NOTES as LEGACY_NOTES
from vanban.read.legacy import (
    TCVN3,
    TCVN3_TO_UNICODE,
    convert_run_text,
    font_text_is_legacy,
    legacy_encoding_for_font,
    tcvn3_to_unicode,
)
from vanban.read.pdf_widgets import WidgetText, page_fonts, repair_to_unicode, widget_texts
from vanban.text import normalize_text

__all__ = ["MAX_PDF_BYTES", "read_pdf"]

MAX_PDF_BYTES = 100 * 1024 * 1024
_MM_PER_POINT = 25.4 / 72

# A page with fewer letters/digits than this in its text layer is a scan (or blank).
MIN_MEANINGFUL_CHARS = 25
# Below this many, a page whose images cover half of it is a scan carrying a stamp line.
SCAN_STAMP_CHARS = 200
# Share of odd code points (private use, controls, replacement, symbols) above
# which a page's text layer is reported as garbled.
GARBLED_SHARE = 0.15
# Two parts of one baseline further apart than this many font sizes are two columns.
COLUMN_GAP_EM = 4.0
# Widget text longer than this is a signer stamp ("Ký bởi: …"), not a number or date.
MAX_MERGE_CHARS = 16


# --------------------------------------------------------------------------
# Opening
# --------------------------------------------------------------------------

def _load(path: Path) -> bytes:
    try:
        size = path.stat().st_size
    except FileNotFoundError as exc:
        raise ReadError("không tìm thấy tệp", path) from exc
    except OSError as exc:
        raise ReadError(f"không mở được tệp: {exc.strerror or exc}", path) from exc
    if path.is_dir():
        raise ReadError("đây là thư mục, không phải tệp", path)
    if size == 0:
        raise ReadError("tệp rỗng", path)
    if size > MAX_PDF_BYTES:
        raise ReadError(
            f"tệp PDF quá lớn ({size / (1024 * 1024):.0f} MB; giới hạn {MAX_PDF_BYTES // (1024 * 1024)} MB)", path
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"không đọc được tệp: {exc.strerror or exc}", path) from exc
    if b"%PDF-" not in data[:1024]:
        raise ReadError("không phải tệp PDF (thiếu phần đầu %PDF)", path)
    return data


try:  # pypdf raises DependencyError when AES needs a missing crypto library
    from pypdf.errors import DependencyError as DependencyErrorType
except ImportError:  # pragma: no cover - older pypdf
    DependencyErrorType = NotImplementedError  # type: ignore[misc,assignment]


def _open(path: Path, data: bytes):
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, PdfReadError

    from vanban.read.pdf_widgets import install_fast_pypdf_hex

    install_fast_pypdf_hex()

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
        if encrypted:
            try:
                opened = reader.decrypt("")
            except (NotImplementedError, DependencyErrorType) as exc:  # unsupported encryption
                raise ReadError(f"tệp PDF được mã hóa theo cách chưa hỗ trợ ({exc})", path) from exc
            if not opened:
                raise ReadError("tệp PDF được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi gửi lại", path)
        page_count = len(reader.pages)
    except ReadError:
        raise
    except FileNotDecryptedError as exc:
        raise ReadError("tệp PDF được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi gửi lại", path) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, RecursionError, OSError) as exc:
        raise ReadError(f"tệp PDF bị hỏng, không đọc được ({type(exc).__name__}: {exc})", path) from exc
    if page_count == 0:
        raise ReadError("tệp PDF không có trang nào", path)
    return reader, encrypted


# --------------------------------------------------------------------------
# Page geometry
# --------------------------------------------------------------------------

def _page_setup(index: int, page) -> PageSetup:
    box = page.mediabox
    width = abs(float(box.right) - float(box.left)) * _MM_PER_POINT
    height = abs(float(box.top) - float(box.bottom)) * _MM_PER_POINT
    try:
        rotation = int(page.get("/Rotate", 0) or 0) % 360
    except (TypeError, ValueError):
        rotation = 0
    if rotation in (90, 270):
        width, height = height, width
    return PageSetup(
        index=index,
        width_mm=round(width, 1),
        height_mm=round(height, 1),
        orientation="landscape" if width > height else "portrait",
    )


# --------------------------------------------------------------------------
# Lines from positioned fragments
# --------------------------------------------------------------------------

@dataclass(slots=True)
class _Fragment:
    x: float
    y: float
    size: float
    text: str
    widths: list[float]  # advance of each character, in points
    order: int = 0  # position in the content stream
    font: Optional[str] = None  # BaseFont without the subset prefix: ".VnTime", "TimesNewRomanPSMT"
    bold: bool = False


@dataclass(slots=True)
class _Char:
    char: str
    x: float
    column_break: bool = False  # a new column starts at this character
    size: float = 0.0
    bold: bool = False
    stamp: Optional[str] = None  # slot (number | day | month | year) whose widget text starts here


@dataclass
class _Line:
    y: float
    size: float
    chars: list[_Char]
    filled: list[tuple[str, str]] = field(default_factory=list)  # (field name, text) written into blanks
    widgets: list[WidgetText] = field(default_factory=list)  # widgets sitting on this line

    @property
    def text(self) -> str:
        return "".join(c.char for c in self.chars)


# Advance of a glyph, in em, when the font gives no width for it.
_FALLBACK_GLYPH_EM = 0.5
# An interrupted run (another line was drawn in between) further than this is a new column.
_INTERRUPTED_GAP_EM = 0.8


class _FontWidths:
    """Unicode character → advance (1/1000 em) for the fonts of one file.

    pypdf hands the visitor Unicode text; widths are keyed by glyph code, so
    the font's code → Unicode map is inverted to find them.
    """

    def __init__(self) -> None:
        self._cache: dict[int, tuple[dict[str, float], float]] = {}
        self.repaired: set[int] = set()  # fonts whose ToUnicode map was checked (pdf_widgets.repair_to_unicode)

    def table(self, font_dict) -> tuple[dict[str, float], float]:
        if font_dict is None:
            return {}, _FALLBACK_GLYPH_EM * 1000
        key = id(font_dict)
        if key not in self._cache:
            self._cache[key] = self._build(font_dict)
        return self._cache[key]

    @staticmethod
    def _build(font_dict) -> tuple[dict[str, float], float]:
        try:
            from pypdf._cmap import get_encoding
            from pypdf.generic._font import Font

            font = Font.from_font_resource(font_dict)
            widths = font.character_widths
            default = float(widths.get("default", _FALLBACK_GLYPH_EM * 1000)) or _FALLBACK_GLYPH_EM * 1000
            encoding, code_map = get_encoding(font_dict)
        except Exception:  # noqa: BLE001 - any odd font: fall back to an average width
            return {}, _FALLBACK_GLYPH_EM * 1000
        table: dict[str, float] = {}
        if isinstance(encoding, dict):
            for code, char in encoding.items():
                code_char = chr(code) if isinstance(code, int) else str(code)
                if isinstance(char, str) and char and code_char in widths:
                    table.setdefault(char[0], float(widths[code_char]))
        for code_char, char in (code_map or {}).items():
            if isinstance(char, str) and char and code_char in widths:
                table[char[0]] = float(widths[code_char])
        for char, width in widths.items():
            if isinstance(char, str) and len(char) == 1 and char not in table and char.isprintable():
                table.setdefault(char, float(width))
        return table, default


def _font_name(font_dict) -> Optional[str]:
    try:
        name = str(font_dict.get("/BaseFont") or "") if font_dict is not None else ""
    except Exception:  # noqa: BLE001
        return None
    name = name.lstrip("/")
    if re.match(r"^[A-Z]{6}\+", name):
        name = name[7:]
    return name.split(",", 1)[0] or None


_TCVN3_BYTES = set(TCVN3_TO_UNICODE)
_UNICODE_ONLY = re.compile("[\u1ea0-\u1ef9\u0103\u0102\u0111\u0110\u01a1\u01a0\u01b0\u01af]")


def _looks_like_tcvn3(text: str) -> bool:
    """Text in TCVN3 bytes whose font name gives no hint: many TCVN3 letters, no Unicode-only ones."""
    letters = [c for c in text if c.isalpha() or c in _TCVN3_BYTES]
    if len(letters) < 20 or _UNICODE_ONLY.search(text):
        return False
    return sum(1 for c in letters if c in _TCVN3_BYTES and not c.isascii()) / len(letters) > 0.05


def _convert_legacy(fragments: list[_Fragment]) -> Optional[str]:
    """Convert fragments drawn in TCVN3/VNI fonts to Unicode; returns the encoding met.

    As in the .docx reader, a legacy font name alone is not enough: the text
    drawn in it must look legacy-encoded (offices retype in Unicode and keep
    the old font). A page whose fonts were renamed but whose text is TCVN3
    throughout is caught by :func:`_looks_like_tcvn3`.
    """
    found: Optional[str] = None
    by_font: dict[str, list[_Fragment]] = {}
    for fragment in fragments:
        if fragment.font and legacy_encoding_for_font(fragment.font):
            by_font.setdefault(fragment.font, []).append(fragment)
    for font, items in by_font.items():
        if font_text_is_legacy(font, "".join(f.text for f in items)):
            for fragment in items:
                fragment.text, encoding = convert_run_text(fragment.text, font)
                found = found or encoding
    if found is None and _looks_like_tcvn3("".join(f.text for f in fragments)):
        for fragment in fragments:
            fragment.text = tcvn3_to_unicode(fragment.text)
        found = TCVN3
    return found


_BOLD_NAME = re.compile(r"bold|black|heavy|semibold|demibold|,b$|-b$", re.IGNORECASE)


def _is_bold(font_dict, name: Optional[str]) -> bool:
    """A bold face: by name (``TimesNewRomanPS-BoldMT``, ``Times New Roman,Bold``) or descriptor weight."""
    if name and _BOLD_NAME.search(name):
        return True
    try:
        descriptor = font_dict.get("/FontDescriptor")
        if descriptor is None and font_dict.get("/DescendantFonts") is not None:
            descriptor = font_dict["/DescendantFonts"].get_object()[0].get_object().get("/FontDescriptor")
        if descriptor is None:
            return False
        descriptor = descriptor.get_object()
        weight = float(descriptor.get("/FontWeight", 0) or 0)
        flags = int(descriptor.get("/Flags", 0) or 0)
        return weight >= 600 or bool(flags & (1 << 18))  # ForceBold
    except Exception:  # noqa: BLE001 - an odd descriptor: not bold
        return False


def _fragments(page, widths: _FontWidths) -> list[_Fragment]:
    fragments: list[_Fragment] = []
    bold_cache: dict[int, bool] = {}
    try:  # letters a broken ToUnicode map sends to spaces are taken from the embedded font
        repair_to_unicode(page, widths.repaired)
    except Exception:  # noqa: BLE001 - the map as written is still usable
        pass

    def visit(text, cm, tm, font_dict, font_size):  # noqa: ANN001 - pypdf's callback signature
        if not text or not text.strip("\n"):
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (abs(tm[2] * cm[1] + tm[3] * cm[3]) or abs(tm[0] * cm[0] + tm[1] * cm[2]) or 1.0)
        size = abs(float(font_size or 0)) * scale or 10.0
        table, default = widths.table(font_dict)
        font_name = _font_name(font_dict)
        key = id(font_dict)
        if key not in bold_cache:
            bold_cache[key] = font_dict is not None and _is_bold(font_dict, font_name)
        # pypdf may hand over several lines at once; later lines get estimated baselines
        for offset, part in enumerate(text.split("\n")):
            if part:
                advances = [table.get(c, default) * size / 1000 for c in part]
                fragments.append(_Fragment(x, y - offset * size * 1.2, size, part, advances, len(fragments),
                                           font_name, bold_cache[key]))

    page.extract_text(visitor_text=visit)
    return fragments


# --------------------------------------------------------------------------
# Fragments from PDFium (the default text engine)
# --------------------------------------------------------------------------

def _open_pdfium(data: bytes):
    """The file in PDFium (C), or None when it cannot open it (pypdf then reads every page)."""
    try:
        import pypdfium2 as pdfium

        return pdfium.PdfDocument(data)
    except Exception:  # noqa: BLE001 - PDFium refuses a file pypdf may still read
        return None


class _Pdfium:
    """The few PDFium calls the reader makes per character, declared to take and return plain addresses:
    pypdfium2's typed pointers cost a ``ctypes.cast`` per character to compare."""

    _instance: Optional["_Pdfium"] = None

    def __init__(self) -> None:
        import ctypes

        import pypdfium2.raw as raw
        import pypdfium2_raw.bindings as bindings

        library = bindings._libs["pdfium"]

        def call(name: str, restype, *argtypes):
            function = library[name]  # a new function object: pypdfium2's own stays as it is
            function.restype = restype
            if argtypes:
                function.argtypes = argtypes
            return function

        address, integer = ctypes.c_void_p, ctypes.c_int
        self.raw = raw
        # the three calls made per character take no argtypes (ctypes then converts nothing): callers
        # pass the text page as a c_void_p, the index as int and the outputs by reference
        self.text_object = call("FPDFText_GetTextObject", address)
        self.origin = call("FPDFText_GetCharOrigin", integer)
        self.generated = call("FPDFText_IsGenerated", integer)
        self.font_size = call("FPDFText_GetFontSize", ctypes.c_double, address, integer)
        self.font = call("FPDFTextObj_GetFont", address, address)
        self.base_font_name = call("FPDFFont_GetBaseFontName", ctypes.c_size_t, address, ctypes.c_char_p,
                                   ctypes.c_size_t)
        self.font_flags = call("FPDFFont_GetFlags", integer, address)

    @classmethod
    def get(cls) -> "_Pdfium":
        if cls._instance is None:
            cls._instance = cls()
        return cls._instance


class _PdfiumFonts:
    """PDFium font handle → (name without subset prefix, bold), as :func:`_font_name` and :func:`_is_bold`."""

    def __init__(self) -> None:
        self._cache: dict[int, tuple[Optional[str], str, bool]] = {}

    def get(self, calls: _Pdfium, text_object: int, page_bold: dict[str, bool]) -> tuple[Optional[str], bool]:
        """``page_bold``: the page's fonts by name, bold or not as :func:`_is_bold` reads their dictionary
        (PDFium makes up a weight from the stem width when the descriptor has none)."""
        import ctypes

        key = calls.font(text_object) or 0
        if key in self._cache:
            name, full, bold = self._cache[key]
            return name, page_bold.get(full, bold)
        name: Optional[str] = None
        full = ""
        bold = False
        if key:
            size = calls.base_font_name(key, None, 0)
            if size > 0:
                buffer = ctypes.create_string_buffer(size)
                calls.base_font_name(key, buffer, size)
                full = _unsubset(buffer.value.decode("latin-1"))
                name = full.split(",", 1)[0] or None
            flags = calls.font_flags(key)
            bold = bool(name and _BOLD_NAME.search(name)) or (flags > 0 and bool(flags & (1 << 18)))
        self._cache[key] = (name, full, bold)
        return name, page_bold.get(full, bold)


def _unsubset(base_font: str) -> str:
    """``/ABCDEF+TimesNewRomanPS-BoldMT`` → ``TimesNewRomanPS-BoldMT``."""
    name = base_font.lstrip("/")
    return name[7:] if re.match(r"^[A-Z]{6}\+", name) else name


def _page_bold(page, cache: dict[int, tuple[str, bool]]) -> dict[str, bool]:
    """BaseFont (without subset prefix) → bold, for the fonts of the page's resources and of its forms,
    read from their dictionaries. Two fonts of one name that disagree are left to PDFium."""
    out: dict[str, bool] = {}
    for font in page_fonts(page, set()):
        if id(font) not in cache:
            try:
                full = _unsubset(str(font.get("/BaseFont") or ""))
            except Exception:  # noqa: BLE001
                full = ""
            cache[id(font)] = (full, _is_bold(font, _font_name(font)))
        full, bold = cache[id(font)]
        if full:
            out[full] = bold if out.get(full, bold) == bold else None  # type: ignore[assignment]
    return {name: bold for name, bold in out.items() if bold is not None}


# Two text objects on one baseline further apart than this many font sizes are two words.
_WORD_GAP_EM = 0.05
# Punctuation that closes a word: a gap before it (a footnote mark was drawn there) is no space.
_NO_SPACE_BEFORE = set(",.;:!?)]}%\u201d\u2019")


# The content a page may inflate to (its content streams and forms) before PDFium is given it: PDFium
# inflates a stream whole, so a few kilobytes that inflate to 600 MB would take that much memory. A
# larger page goes to pypdf, which stops at its own limit and reports the page as unreadable.
MAX_PAGE_CONTENT_BYTES = 32 * 1024 * 1024


def _content_within_limit(page, limit: int = MAX_PAGE_CONTENT_BYTES) -> bool:
    """Whether the page's content streams and form XObjects inflate to at most ``limit`` bytes in all,
    found by inflating them in C with the output capped (never more than ``limit`` bytes held)."""
    import zlib

    budget = limit
    seen: set[int] = set()
    stack = [(page.get("/Contents"), page.get("/Resources"), 0)]
    while stack:
        contents, resources, depth = stack.pop()
        if depth > 8:
            return False
        contents = contents.get_object() if contents is not None else None
        streams = list(contents) if isinstance(contents, list) else [contents]
        for stream in streams:
            stream = stream.get_object() if stream is not None else None
            if stream is None or id(stream) in seen:
                continue
            seen.add(id(stream))
            data = getattr(stream, "_data", b"") or b""
            filters = stream.get("/Filter")
            filters = [str(f) for f in filters] if isinstance(filters, list) else [str(filters or "")]
            if "/FlateDecode" in filters or "/Fl" in filters:
                inflater = zlib.decompressobj()
                try:
                    size = len(inflater.decompress(data, budget + 1))
                except zlib.error:
                    size = len(data)
            else:
                size = len(data)
            budget -= size
            if budget < 0:
                return False
        resources = resources.get_object() if resources is not None else None
        xobjects = resources.get("/XObject") if resources is not None else None
        for ref in (xobjects.get_object().values() if xobjects is not None else ()):
            child = ref.get_object()
            if id(child) not in seen and child.get("/Subtype") == "/Form":
                stack.append((child, child.get("/Resources"), depth + 1))
    return True


def _page_text_utf16(raw, textpage, count: int) -> Optional[str]:
    """The text of all ``count`` characters, one str character per PDFium character (None if not 1:1)."""
    import ctypes

    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = raw.FPDFText_GetText(textpage, 0, count, buffer)
    data = bytes(memoryview(buffer).cast("B"))[: max(written - 1, 0) * 2]
    text = data.decode("utf-16-le", errors="replace")
    return text if len(text) == count else None


def _fragments_pdfium(document, index: int, fonts: _PdfiumFonts, page_bold: dict[str, bool]) -> list[_Fragment]:
    """The page's text as fragments: runs of characters of one text object on one baseline, each
    character placed where PDFium puts its origin (so advances are measured, not estimated). PDFium's
    line breaks are dropped (the layout comes from positions); a space it generates for a word gap
    drawn by moving the pen is kept, as is one between two text objects set apart on one baseline."""
    import ctypes

    calls = _Pdfium.get()
    raw = calls.raw
    page = document[index]
    textpage = page.get_textpage()
    try:
        tp = textpage.raw
        count = raw.FPDFText_CountChars(tp)
        text = _page_text_utf16(raw, tp, count)
        if text is None:
            text = "".join(chr(raw.FPDFText_GetUnicode(tp, i) or 0xFFFD) for i in range(count))
        tp_address = ctypes.cast(tp, ctypes.c_void_p).value
        tp_arg = ctypes.c_void_p(tp_address)
        x_out, y_out = ctypes.c_double(), ctypes.c_double()
        x_ref, y_ref = ctypes.byref(x_out), ctypes.byref(y_out)
        box = raw.FS_RECTF()
        fragments: list[_Fragment] = []
        chars: list[str] = []
        xs: list[float] = []
        current = None  # the text object of the characters in ``chars``
        y0 = size = 0.0
        name: Optional[str] = None
        bold = False
        last = -1

        def flush() -> None:
            if not chars:
                return
            widths = [b - a for a, b in zip(xs, xs[1:])]
            end = xs[-1] + size * _FALLBACK_GLYPH_EM
            if chars[-1] == " ":
                end = xs[-1] + size * 0.25
            elif raw.FPDFText_GetLooseCharBox(tp, last, box) and box.right > xs[-1]:
                end = box.right
            widths.append(end - xs[-1])
            fragments.append(_Fragment(xs[0], y0, size, "".join(chars), widths, len(fragments), name, bold))
            chars.clear()
            xs.clear()

        get_origin = calls.origin
        get_object = calls.text_object
        is_generated = calls.generated
        for i, char in enumerate(text):
            if char in "\ufffe\x02\r\n\x00":
                if char in "\ufffe\x02" and raw.FPDFText_IsHyphen(tp, i):
                    char = "-"  # a hyphen ending a line, as drawn
                else:
                    continue  # PDFium's line breaks
            get_origin(tp_arg, i, x_ref, y_ref)
            x = x_out.value
            y = y_out.value
            if char == " " and is_generated(tp_arg, i):
                if chars and -0.01 <= y - y0 <= 0.01 and x >= xs[-1] and chars[-1] != " ":
                    chars.append(char)
                    xs.append(x)
                continue
            address = get_object(tp_arg, i)
            if address != current or not -0.01 <= y - y0 <= 0.01 or (xs and x < xs[-1] - 0.01):
                flush()
                if address != current:
                    current = address
                    size = abs(calls.font_size(tp_address, i)) or 10.0
                    name, bold = fonts.get(calls, address, page_bold) if address else (None, False)
                y0 = y
                # the fragment before on this baseline (a footnote mark may sit between: "phương¹ tham")
                previous = next((f for f in reversed(fragments[-3:]) if abs(f.y - y) <= 0.01), None)
                if (previous is not None and char != " " and char not in _NO_SPACE_BEFORE
                        and not previous.text.endswith(" ")):
                    end = previous.x + sum(previous.widths)
                    if x - end > _WORD_GAP_EM * size:  # the next word placed by moving the pen
                        chars.append(" ")
                        xs.append(end)
            chars.append(char)
            xs.append(x)
            last = i
        flush()
        return fragments
    finally:
        textpage.close()
        page.close()


@dataclass(slots=True)
class _Run:
    """Fragments of one line that pypdf placed at the same x, in stream order."""

    x: float
    size: float
    text: str
    widths: list[float]
    first: int
    last: int
    styles: list[tuple[float, bool]] = field(default_factory=list)  # (size, bold) of each character

    def natural_end(self) -> float:
        return self.x + sum(self.widths)

    def visible_start(self) -> float:
        leading = len(self.text) - len(self.text.lstrip())
        return self.x + sum(self.widths[:leading])

    def visible_end(self) -> float:
        return self.x + sum(self.widths[:len(self.text.rstrip())])


def _runs(parts: list[_Fragment]) -> list[_Run]:
    # pypdf reports the same start for several pieces of one text object,
    # so pieces sharing an x are one run, read in stream order.
    runs: list[_Run] = []
    for fragment in sorted(parts, key=lambda f: (round(f.x, 1), f.order)):
        if runs and abs(runs[-1].x - fragment.x) < 0.05:
            run = runs[-1]
            run.text += fragment.text
            run.widths.extend(fragment.widths)
            run.styles.extend([(fragment.size, fragment.bold)] * len(fragment.text))
            run.size = max(run.size, fragment.size)
            run.last = max(run.last, fragment.order)
            run.first = min(run.first, fragment.order)
        else:
            runs.append(_Run(fragment.x, fragment.size, fragment.text, list(fragment.widths),
                             fragment.order, fragment.order, [(fragment.size, fragment.bold)] * len(fragment.text)))
    return runs


def _normalize_fragment(fragment: _Fragment) -> None:
    """NFC and look-alike fixes; keeps one width per character when the length changes."""
    text = normalize_text(fragment.text)
    if len(text) != len(fragment.widths):
        total = sum(fragment.widths)
        fragment.widths = [total / len(text)] * len(text) if text else []
    fragment.text = text


def _group_lines(fragments: list[_Fragment]) -> list[_Line]:
    ordered = sorted(fragments, key=lambda f: (-round(f.y, 1), f.order))
    groups: list[list[_Fragment]] = []
    for fragment in ordered:
        if groups:
            head = groups[-1][0]
            if abs(head.y - fragment.y) <= 0.4 * max(min(head.size, fragment.size), 4.0):
                groups[-1].append(fragment)
                continue
        groups.append([fragment])
    lines: list[_Line] = []
    for parts in groups:
        runs = _runs(parts)
        chars: list[_Char] = []
        last_content: Optional[int] = None  # index of the last run with visible text
        for i, run in enumerate(runs):
            following = runs[i + 1] if i + 1 < len(runs) else None
            natural = sum(run.widths)
            continuous = following is not None and following.first == run.last + 1
            # a continuous run ends where the next begins (spacing stretched by justification)
            stretch = 1.0
            if continuous and natural > 0 and run.x < following.x <= run.x + natural * 1.5:
                stretch = (following.x - run.x) / natural
            new_column = False
            if run.text.strip() and last_content is not None:
                previous = runs[last_content]
                gap = run.visible_start() - previous.visible_end()
                between = runs[last_content:i + 1]
                interrupted = any(b.first != a.last + 1 for a, b in zip(between, between[1:]))
                new_column = gap > run.size * COLUMN_GAP_EM or (interrupted and gap > run.size * _INTERRUPTED_GAP_EM)
            first_visible = len(run.text) - len(run.text.lstrip())
            column_at = first_visible if new_column else -1
            x = run.x
            styles = run.styles
            plain = (run.size, False)
            for k, (c, width) in enumerate(zip(run.text, run.widths)):
                size_k, bold_k = styles[k] if k < len(styles) else plain
                chars.append(_Char(c, x, k == column_at, size_k, bold_k))
                x += width * stretch
            if run.text.strip():
                last_content = i
        size = max(f.size for f in parts)
        lines.append(_Line(y=parts[0].y, size=size, chars=chars))
    return lines


_PAGE_NUMBER = re.compile(r"^(?:trang\s+)?[-–]?\s*(\d{1,3})\s*[-–]?$", re.IGNORECASE)


def _without_page_number(lines: list[_Line], page_number: int) -> list[_Line]:
    """The page's own number (``2``, ``- 2 -``, ``Trang 2``) alone on the first or last line is not text of
    the document: read into the flow it splits a sentence running over the page (``của Ủy ban nhân`` /
    ``1`` / ``dân tỉnh``)."""
    for index in (0, len(lines) - 1) if lines else ():
        m = _PAGE_NUMBER.match(lines[index].text.strip())
        if m and int(m.group(1)) == page_number:
            return lines[:index] + lines[index + 1:]
    return lines


# a footnote mark is drawn smaller than the text around it: 9 pt beside 14 pt, 6.5 pt before a 10 pt note
_FOOTNOTE_MARK_RATIO = 0.75


def _without_footnote_marks(lines: list[_Line]) -> list[_Line]:
    """Superscript footnote marks (``Kế¹ hoạch``) are lines of their own, a little above the baseline; read
    into the flow they split words and citations (``Kế`` / ``3`` / ``hoạch``). A line of digits only, drawn
    much smaller than a neighbouring line, is such a mark."""
    kept = []
    for index, line in enumerate(lines):
        text = line.text.strip()
        neighbours = [lines[i].size for i in (index - 1, index + 1) if 0 <= i < len(lines)]
        if (text and len(text) <= 7 and all(c.isdigit() or c in " ,*" for c in text) and neighbours
                and line.size <= _FOOTNOTE_MARK_RATIO * max(neighbours)):
            continue
        kept.append(line)
    return kept


def _blanks(line: _Line) -> list[tuple[int, int, float, float]]:
    """Blank stretches of a line: (first char, end char, x start, x end).

    A blank is two or more spaces, or a space-less jump wider than one em
    (some generators position the next word instead of typing spaces).
    """
    blanks: list[tuple[int, int, float, float]] = []
    chars = line.chars
    i = 0
    while i < len(chars):
        if chars[i].char.isspace():
            j = i
            while j < len(chars) and chars[j].char.isspace():
                j += 1
            x_end = chars[j].x if j < len(chars) else chars[j - 1].x + line.size * 0.5
            if j - i >= 2 or x_end - chars[i].x > line.size:
                blanks.append((i, j, chars[i].x, x_end))
            i = j
            continue
        if i + 1 < len(chars) and not chars[i + 1].char.isspace() and chars[i + 1].x - chars[i].x > line.size * 1.5:
            blanks.append((i + 1, i + 1, chars[i].x + line.size * 0.5, chars[i + 1].x))
        i += 1
    return blanks


# The blanks a stamped widget may fill: the number of "Số:   /TTr-SNV" and the
# day, month and year of "ngày   tháng   năm". Blank = spaces, dots or nothing.
_NUMBER_SLOT = re.compile(r"S[ốô]\s*:(?P<number>[\s.…_]*)/")
_DATE_SLOTS = re.compile(
    r"ngày(?P<day>[\s.…_]*\d{0,2}[\s.…_]*)tháng(?P<month>[\s.…_]*\d{0,2}[\s.…_]*)năm(?P<year>[\s.…_]*(?:\d{4})?)",
    re.IGNORECASE,
)
_STAMPABLE = re.compile(r"\d{1,6}")


@dataclass
class _Slot:
    kind: str  # number | day | month | year
    start: int  # char indexes of the blank (end exclusive)
    end: int
    x0: float
    x1: float
    empty: bool


def _slot_x(line: _Line, start: int, end: int) -> tuple[float, float]:
    chars = line.chars
    x0 = chars[start].x if start < end else (chars[start - 1].x + line.size * 0.5 if start > 0 else 0.0)
    x1 = chars[end].x if end < len(chars) else (chars[end - 1].x + line.size * 0.5 if end > 0 else x0)
    return x0, max(x1, x0)


def _slots(line: _Line) -> tuple[Optional[_Slot], dict[str, _Slot], Optional[tuple[float, float]]]:
    """The number slot, the date slots and the x range of the date (``ngày`` … year) of a line."""
    text = line.text
    number = None
    match = _NUMBER_SLOT.search(text)
    if match:
        start, end = match.span("number")
        number = _Slot("number", start, end, *_slot_x(line, start, end), empty=not re.search(r"\d", match["number"]))
    dates: dict[str, _Slot] = {}
    region = None
    match = _DATE_SLOTS.search(text)
    if match:
        for kind in ("day", "month", "year"):
            start, end = match.span(kind)
            dates[kind] = _Slot(kind, start, end, *_slot_x(line, start, end), empty=not re.search(r"\d", match[kind]))
        year = dates["year"]
        region = (line.chars[match.start()].x, year.x1 if not year.empty else year.x0 + line.size * 2.5)
    return number, dates, region


def _distance(a: tuple[float, float], b: tuple[float, float]) -> float:
    return max(0.0, b[0] - a[1], a[0] - b[1])


def _widget_span(widget: WidgetText, size: float) -> tuple[float, float]:
    if widget.text_x is None:
        return widget.rect[0], widget.rect[2]
    width = len(widget.text) * (widget.font_size or size) * 0.5
    return widget.text_x, min(widget.text_x + width, max(widget.rect[2], widget.text_x))


def _choose_slot(line: _Line, widget: WidgetText) -> Optional[_Slot]:
    """The blank a short numeric widget stamps: never a printed digit, never the date for the number.

    The widget belongs to the number when it sits nearer the ``Số:`` blank than
    the ``ngày … năm`` stretch, else to the date. A day or month value goes into
    the day blank when the day is blank and the month is written (a day widget
    right-aligned near "tháng" still means the day), into the month blank only
    when the month is blank too and the widget sits nearer it.
    """
    text = widget.text.strip()
    if not _STAMPABLE.fullmatch(text):
        return None
    number, dates, region = _slots(line)
    span = _widget_span(widget, line.size)
    reach = line.size * 2
    number_d = _distance(span, (number.x0, number.x1)) if number else None
    date_d = _distance(span, region) if region else None
    if number_d is not None and (date_d is None or number_d <= date_d):
        return number if number.empty and number_d <= reach else None
    if date_d is None or date_d > reach:
        return None
    value = int(text)
    if len(text) == 4:
        year = dates["year"]
        return year if year.empty and 1900 <= value <= 2100 else None
    if len(text) > 2:
        return None
    day, month = dates["day"], dates["month"]
    day_ok = day.empty and 1 <= value <= 31
    month_ok = month.empty and 1 <= value <= 12
    if day_ok and month_ok:
        return month if _distance(span, (month.x0, month.x1)) < _distance(span, (day.x0, day.x1)) else day
    if day_ok:
        return day
    if month_ok:
        return month
    return None


def _fill_blank(line: _Line, widget: WidgetText) -> bool:
    """Write the widget's text into the number or date blank it stamps; False when there is none."""
    slot = _choose_slot(line, widget)
    if slot is None:
        return False
    start, end = slot.start, slot.end
    text = widget.text.strip()
    before = line.chars[start - 1].char if start > 0 else ""
    after = line.chars[end].char if end < len(line.chars) else ""
    lead = 1 if before and not before.isspace() and before not in "/-" else 0
    padded = " " * lead + text + (" " if after and after not in "/-" else "")
    step = (slot.x1 - slot.x0) / max(len(padded), 1)
    neighbour = line.chars[start - 1] if start > 0 else (line.chars[end] if end < len(line.chars) else None)
    size = neighbour.size if neighbour else line.size
    bold = neighbour.bold if neighbour else False
    line.chars[start:end] = [
        _Char(c, slot.x0 + k * step, size=size, bold=bold, stamp=slot.kind if k == lead else None)
        for k, c in enumerate(padded)
    ]
    follow = start + len(padded)
    if follow < len(line.chars):
        line.chars[follow].column_break = False  # "Số: 05" and "/TTr-SNV" are one column again
    line.filled.append((widget.field_name, text))
    return True


@dataclass
class _Segment:
    """One column of one line, with what the page shows of it."""

    text: str
    x0: float
    x1: float
    size: float
    bold: bool
    stamped: tuple[tuple[str, str], ...]


def _column_segments(line: _Line) -> list[_Segment]:
    """The line cut where a new column starts (see :func:`_group_lines`), with position and style."""
    groups: list[list[_Char]] = [[]]
    for char in line.chars:
        if char.column_break and groups[-1]:
            groups.append([])
        groups[-1].append(char)
    out: list[_Segment] = []
    for group in groups:
        text = re.sub(r"[ \t]+", " ", "".join(c.char for c in group)).strip()
        visible = [c for c in group if not c.char.isspace()]
        if not text or not visible:
            continue
        stamped = []
        for k, c in enumerate(group):
            if c.stamp:
                value = re.match(r"\d+", "".join(x.char for x in group[k:]))
                stamped.append((c.stamp, value.group(0) if value else ""))
        last = visible[-1]
        out.append(_Segment(
            text=text, x0=visible[0].x, x1=last.x + (last.size or line.size) * 0.5,
            size=max((c.size for c in visible), default=line.size) or line.size,
            bold=all(c.bold for c in visible if c.char.isalnum()) and any(c.char.isalnum() for c in visible),
            stamped=tuple(stamped),
        ))
    return out


def _split_columns(line: _Line) -> list[str]:
    """The line's text, cut where a new column starts (see :func:`_group_lines`)."""
    return [segment.text for segment in _column_segments(line)]


def _page_block(segment: _Segment, line: _Line, index: int, page_number: int, page) -> Block:
    try:
        width: Optional[float] = abs(float(page.mediabox.right) - float(page.mediabox.left))
    except Exception:  # noqa: BLE001 - a page without a usable MediaBox
        width = None
    return Block(
        text=segment.text, location=Location(part="page", index=index, page=page_number),
        x0=round(segment.x0, 2), x1=round(segment.x1, 2), y=round(line.y, 2), font_size=round(segment.size, 2),
        bold=segment.bold, page_width=width, stamped=segment.stamped,
    )


# --------------------------------------------------------------------------
# Text quality
# --------------------------------------------------------------------------

# A character that does not occur in Vietnamese administrative text: anything but white space, printable
# ASCII, Latin with its accents (U+00A0-U+024F, combining marks U+0300-U+036F), Vietnamese letters
# (U+1EA0-U+1EF9), general punctuation (U+2000-U+206F, U+2065 being unassigned) and a few signs. One
# class, so that counting runs in C (tests/read/test_pdf.py spells the rule out character by character).
_ODD = re.compile("[^\\s\x20-\x7e\u00a0-\u024f\u0300-\u036f\u1ea0-\u1ef9\u2000-\u2064\u2066-\u206f"
                  "\u2022\u2116\u20ac\u2026\u2030\u2032\u2033\u2212\u2013\u2014]")
_SPACE = re.compile(r"\s+")


def _garbled(text: str) -> bool:
    visible = _SPACE.sub("", text)
    if len(visible) < MIN_MEANINGFUL_CHARS:
        return False
    odd = len(_ODD.findall(visible))
    return odd / len(visible) > GARBLED_SHARE


def _meaningful_chars(text: str) -> int:
    return sum(map(str.isalnum, text)) - sum(map(str.isalnum, _ODD.findall(text)))


def _image_coverage(page, page_area: float) -> float:
    """Share of the page covered by images drawn directly by its content stream (0..1)."""
    from pypdf.generic import ContentStream

    from vanban.read.pdf_widgets import IDENTITY, multiply

    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None or page_area <= 0:
            return 0.0
        xobjects = xobjects.get_object()
        contents = page.get_contents()
        if contents is None:
            return 0.0
        operations = ContentStream(contents, page.pdf).operations
    except Exception:  # noqa: BLE001 - only used to tell a scan from a text page
        return 0.0
    ctm = IDENTITY
    stack = []
    covered = 0.0
    for operands, operator in operations:
        if operator == b"q":
            stack.append(ctm)
        elif operator == b"Q":
            ctm = stack.pop() if stack else ctm
        elif operator == b"cm" and len(operands) == 6:
            try:
                ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                continue
        elif operator == b"Do" and operands:
            image = xobjects.get(operands[0])
            if image is not None and image.get_object().get("/Subtype") == "/Image":
                covered += abs(ctm[0] * ctm[3] - ctm[1] * ctm[2])
    return min(covered / page_area, 1.0)


def _has_images(page) -> bool:
    try:
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects is None:
            return False
        return any(x.get_object().get("/Subtype") in ("/Image", "/Form") for x in xobjects.get_object().values())
    except Exception:  # noqa: BLE001 - only used to phrase a note
        return False


def _is_scan(page, page_text: str) -> Optional[str]:
    """Why the page counts as having no text layer (a note), or None for a text page.

    A page with a few stamp words ("SAO Y; CÔNG AN TỈNH …") over a page-sized
    image is still a scan: the document's own text is only in the image.
    """
    meaningful = _meaningful_chars(page_text)
    visible = len(_SPACE.sub("", page_text))
    if meaningful >= SCAN_STAMP_CHARS or visible >= SCAN_STAMP_CHARS:
        return None  # a text page (possibly garbled: reported separately)
    if visible < MIN_MEANINGFUL_CHARS:
        return "scan" if _has_images(page) else "empty"
    box = page.mediabox
    area = abs(float(box.right) - float(box.left)) * abs(float(box.top) - float(box.bottom))
    return "scan" if _image_coverage(page, area) >= 0.5 else None


# --------------------------------------------------------------------------
# The reader
# --------------------------------------------------------------------------

def _widget_pages(widgets: list[WidgetText]) -> dict[str, int]:
    pages: dict[str, int] = {}
    for widget in widgets:
        pages.setdefault(widget.field_name, widget.page)
    return pages


def _lines_for_widget(lines: list[_Line], widget: WidgetText) -> list[int]:
    """Page lines whose baseline lies inside the widget rectangle, nearest its text first."""
    x0, y0, x1, y1 = widget.rect
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return []
    target = widget.text_y if widget.text_y is not None else y0 + (y1 - y0) * 0.25
    candidates: list[tuple[float, int]] = []
    for index, line in enumerate(lines):
        if not (y0 - line.size * 0.5 <= line.y <= y1):
            continue
        if not line.chars or line.chars[-1].x < x0 - line.size * 6 or line.chars[0].x > x1:
            continue
        candidates.append((abs(line.y - target), index))
    return [index for _, index in sorted(candidates)]


def _insert_position(lines: list[_Line], widget: WidgetText) -> int:
    """Index of the first line below the widget (widget blocks go before it)."""
    y = widget.text_y if widget.text_y is not None else widget.rect[3]
    for index, line in enumerate(lines):
        if line.y < y - 0.5:
            return index
    return len(lines)


TEXT_ENGINES = ("pdfium", "pypdf")


def read_pdf(path: str | Path, *, engine: str = "pdfium") -> RawDocument:
    """Read a PDF into a RawDocument (format ``pdf``); raises ReadError naming the file.

    ``engine`` chooses who parses the pages' content: ``pdfium`` (C, the default) or ``pypdf`` (pure
    Python, slower; kept because a page whose fonts map letters to spaces is read through pypdf with
    the map repaired, and to compare the two). pypdf reads the file's structure either way: page
    boxes, widgets and signature dictionaries.
    """
    if engine not in TEXT_ENGINES:
        raise ValueError(f"unknown PDF text engine {engine!r}")
    path = Path(path)
    data = _load(path)
    reader, encrypted = _open(path, data)
    document = _open_pdfium(data) if engine == "pdfium" else None
    try:
        return _read(path, data, reader, encrypted, document)
    finally:
        if document is not None:
            document.close()


def _read(path: Path, data: bytes, reader, encrypted: bool, document) -> RawDocument:

    notes: list[str] = []
    pages: list[PageSetup] = []
    blocks: list[Block] = []
    scanned: list[int] = []
    garbled: list[int] = []
    undecodable: list[str] = []

    try:
        widgets = widget_texts(reader)
    except Exception:  # noqa: BLE001 - widgets are extra information; the page text stands alone
        widgets = []
    by_page: dict[int, list[WidgetText]] = {}
    for widget in widgets:
        if widget.undecodable and not widget.text:
            undecodable.append(widget.field_name)
        if widget.text:
            by_page.setdefault(widget.page, []).append(widget)

    index = 0
    legacy: Optional[str] = None
    font_widths = _FontWidths()
    if document is not None and len(document) != len(reader.pages):
        document = None  # the two parsers disagree on the pages: pypdf reads them all
    pdfium_fonts = _PdfiumFonts()
    repaired_fonts: set[int] = set()
    bold_fonts: dict[int, tuple[str, bool]] = {}
    for page_number, page in enumerate(reader.pages, start=1):
        try:
            pages.append(_page_setup(page_number - 1, page))
        except Exception:  # noqa: BLE001 - a page without a usable MediaBox
            notes.append(f"Trang {page_number}: không đọc được khổ giấy")
        fragments: Optional[list[_Fragment]] = None
        if document is not None:
            try:  # a font whose ToUnicode map sends letters to spaces is repaired in pypdf's copy only
                repaired = repair_to_unicode(page, font_widths.repaired, repaired_fonts)
            except Exception:  # noqa: BLE001 - the map as written is still usable
                repaired = 0
            try:
                fits = _content_within_limit(page)
            except Exception:  # noqa: BLE001 - an odd content structure: pypdf reads the page
                fits = False
            if not repaired and fits:
                try:
                    fragments = _fragments_pdfium(document, page_number - 1, pdfium_fonts,
                                                  _page_bold(page, bold_fonts))
                except Exception:  # noqa: BLE001 - pypdf reads this page instead
                    fragments = None
        if fragments is None:
            try:
                fragments = _fragments(page, font_widths)
            except Exception as exc:  # noqa: BLE001 - keep the other pages
                notes.append(f"Trang {page_number}: không đọc được lớp chữ ({type(exc).__name__})")
                fragments = []
        legacy = _convert_legacy(fragments) or legacy
        for fragment in fragments:
            _normalize_fragment(fragment)
        page_text = "".join(f.text for f in fragments)
        scan = _is_scan(page, page_text)
        if scan is not None:
            scanned.append(page_number)
            if scan == "scan":
                notes.append(f"Trang {page_number} là ảnh quét, không có lớp chữ (chưa hỗ trợ OCR)")
            else:
                notes.append(f"Trang {page_number} không có chữ")
        elif _garbled(page_text):
            garbled.append(page_number)

        lines = _without_footnote_marks(_without_page_number(_group_lines(fragments), page_number))
        page_widgets = sorted(by_page.get(page_number, []), key=lambda w: (w.text_x or w.rect[0]))
        unplaced: list[WidgetText] = []
        for widget in page_widgets:
            candidates = _lines_for_widget(lines, widget)
            if not candidates:
                unplaced.append(widget)
                continue
            # a tall widget can reach the line above: take the nearest line with a blank under it
            home = candidates[0]
            if "\n" not in widget.text and len(widget.text) <= MAX_MERGE_CHARS:
                home = next((i for i in candidates if _fill_blank(lines[i], widget)), home)
            lines[home].widgets.append(widget)
        extra_before: dict[int, list[WidgetText]] = {}
        for widget in unplaced:
            extra_before.setdefault(_insert_position(lines, widget), []).append(widget)

        def widget_blocks(items: list[WidgetText]) -> None:
            nonlocal index
            for widget in items:
                for text_line in widget.text.split("\n"):
                    blocks.append(Block(text=normalize_text(text_line),
                                        location=Location(part="widget", index=index, page=page_number)))
                    index += 1

        for line_index, line in enumerate(lines):
            widget_blocks(extra_before.get(line_index, []))
            for segment in _column_segments(line):
                blocks.append(_page_block(segment, line, index, page_number, page))
                index += 1
            widget_blocks(line.widgets)
            if line.filled:
                filled = ", ".join(f"«{text}» ({name})" for name, text in line.filled)
                merged = " | ".join(_split_columns(line))
                notes.append(
                    f"Trang {page_number}: đã điền {filled} từ ô chữ ký số vào chỗ trống của dòng «{merged}»"
                )
        widget_blocks(extra_before.get(len(lines), []))

    if garbled:
        listed = ", ".join(str(n) for n in garbled)
        notes.append(
            f"Lớp chữ của trang {listed} bị lỗi phông (phông không có bảng mã Unicode hoặc dùng bảng mã cũ): "
            "nội dung đọc được có thể sai, cần đối chiếu với bản in"
        )
    if legacy:
        notes.append(LEGACY_NOTES[legacy])
    if undecodable:
        notes.append(
            "Không giải mã được chữ trong ô chữ ký số " + ", ".join(undecodable)
            + " (phông không có bảng ToUnicode)"
        )

    from vanban.read.pdf_signatures import read_signatures

    signature_list, signature_notes = read_signatures(
        io.BytesIO(data), _widget_pages(widgets), len(data), encrypted=encrypted, reader=reader
    )
    notes.extend(signature_notes)
    texts = {w.field_name: w.text for w in widgets}
    signatures: list[DigitalSignature] = [
        dataclasses.replace(s, widget_text=texts.get(s.field_name, "")) for s in signature_list
    ]

    return RawDocument(
        path=str(path),
        format="pdf",
        blocks=tuple(blocks),
        pages=tuple(pages),
        signatures=tuple(signatures),
        page_count=len(reader.pages),
        scanned_pages=tuple(scanned),
        legacy_encoding=legacy,
        notes=tuple(notes),
        sha256=hashlib.sha256(data).hexdigest(),
    )
