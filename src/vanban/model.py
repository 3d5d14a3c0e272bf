"""Plain data passed between the steps of vanban.

    file ──read──▶ RawDocument ──understand──▶ Document ──(many)──▶ Dossier

Readers (``vanban.read``) only produce :class:`RawDocument`; the understanding
layer (``vanban.understand``) only produces :class:`Document`. Nothing
downstream of the readers imports python-docx, lxml or pypdf.
All text held here is Unicode NFC (see :func:`vanban.text.normalize_text`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Optional


# --------------------------------------------------------------------------
# Where something was found
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Location:
    """Where a piece of text sits in its file.

    ``part`` is one of: ``body`` (a body paragraph), ``table`` (a paragraph
    inside a table cell), ``textbox``, ``header``, ``footer``, ``page`` (PDF
    page text), ``widget`` (text drawn in a PDF signature widget), ``line``
    (plain-text line).
    """

    part: str
    index: int  # running paragraph/line index within the file, reading order
    table: Optional[int] = None
    row: Optional[int] = None
    cell: Optional[int] = None
    page: Optional[int] = None  # 1-based, PDFs (and converted files when known)

    def describe(self) -> str:
        """Vietnamese description, e.g. ``bảng 1, hàng 1, ô 2`` or ``đoạn 12``."""
        if self.part == "table" and self.table is not None:
            return f"bảng {self.table + 1}, hàng {(self.row or 0) + 1}, ô {(self.cell or 0) + 1}"
        if self.part == "widget":
            return f"chữ ký số trang {self.page}" if self.page else "chữ ký số"
        if self.part == "page":
            return f"trang {self.page}"
        names = {
            "body": "đoạn",
            "textbox": "khung văn bản, đoạn",
            "header": "đầu trang, đoạn",
            "footer": "chân trang, đoạn",
            "line": "dòng",
        }
        return f"{names.get(self.part, self.part)} {self.index + 1}"


# --------------------------------------------------------------------------
# What a reader produces
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class RunStyle:
    """Resolved character formatting (run → paragraph style → defaults)."""

    font: Optional[str] = None  # the font that renders Vietnamese letters (w:hAnsi, else w:ascii)
    size_pt: Optional[float] = None
    bold: Optional[bool] = None
    italic: Optional[bool] = None
    underline: Optional[bool] = None


@dataclass(frozen=True)
class TextRun:
    text: str
    style: RunStyle = field(default_factory=RunStyle)


@dataclass(frozen=True)
class Block:
    """One paragraph (or PDF line group / text line) in reading order."""

    text: str
    location: Location
    runs: tuple[TextRun, ...] = ()
    alignment: Optional[str] = None  # left | center | right | justify
    first_line_indent_cm: Optional[float] = None
    left_indent_cm: Optional[float] = None
    space_before_pt: Optional[float] = None
    space_after_pt: Optional[float] = None
    line_spacing: Optional[float] = None  # multiple of single (1.0, 1.15, 1.5) when known
    style_name: Optional[str] = None
    has_bottom_border: bool = False  # a rule drawn under the paragraph
    source: str = "text"  # text (the file's own text) | ocr (read from the page image)
    confidence: Optional[float] = None  # OCR blocks: Tesseract's mean word confidence, 0-100
    # PDF layout facts (points, page coordinates; None for other formats)
    x0: Optional[float] = None  # where the first visible glyph starts
    x1: Optional[float] = None  # where the last visible glyph ends
    y: Optional[float] = None  # baseline
    font_size: Optional[float] = None  # largest size on the line
    bold: Optional[bool] = None  # True when every visible glyph is drawn in a bold font
    page_width: Optional[float] = None  # width of the page the line is on
    # PDF: widget text written into blanks of this line, as (slot, text): slot is
    # number | day | month | year (see vanban.read.pdf)
    stamped: tuple[tuple[str, str], ...] = ()

    @property
    def is_bold(self) -> Optional[bool]:
        """True when every non-blank run is bold, False when none is, else None."""
        values = {r.style.bold for r in self.runs if r.text.strip()}
        return values.pop() if len(values) == 1 else None

    @property
    def is_italic(self) -> Optional[bool]:
        values = {r.style.italic for r in self.runs if r.text.strip()}
        return values.pop() if len(values) == 1 else None


@dataclass(frozen=True)
class PageSetup:
    """Page geometry of one section (docx) or page (pdf), in millimetres."""

    index: int
    width_mm: float
    height_mm: float
    orientation: str  # portrait | landscape
    margin_top_mm: Optional[float] = None
    margin_bottom_mm: Optional[float] = None
    margin_left_mm: Optional[float] = None
    margin_right_mm: Optional[float] = None
    # page numbers in the header/footer, and whether page 1 shows one
    has_page_numbers: Optional[bool] = None
    page_number_on_first_page: Optional[bool] = None


@dataclass(frozen=True)
class DigitalSignature:
    """One embedded PDF signature."""

    field_name: str
    signer_name: Optional[str] = None  # certificate subject CN
    organization: Optional[str] = None  # certificate subject O
    subject: Optional[str] = None  # full subject, human-readable
    signing_time: Optional[dt.datetime] = None  # /M in the signature dictionary
    covers_whole_file: Optional[bool] = None
    modified_after_signing: Optional[bool] = None  # True when later revisions change content
    intact: Optional[bool] = None  # digest matches the signed bytes
    widget_text: str = ""  # text stamped in the widget appearance (number, date)
    page: Optional[int] = None


@dataclass(frozen=True)
class RawDocument:
    """A file as read: its text blocks in reading order and its layout facts."""

    path: str
    format: str  # docx | doc | rtf | pdf | txt | image
    blocks: tuple[Block, ...]
    pages: tuple[PageSetup, ...] = ()
    signatures: tuple[DigitalSignature, ...] = ()
    page_count: Optional[int] = None
    scanned_pages: tuple[int, ...] = ()  # 1-based pages with no readable text (no text layer, no OCR)
    legacy_encoding: Optional[str] = None  # TCVN3 | VNI when text was converted to Unicode
    converted_with: Optional[str] = None  # e.g. "LibreOffice" for .doc/.rtf
    default_style: RunStyle = field(default_factory=RunStyle)
    notes: tuple[str, ...] = ()  # Vietnamese remarks from the reader
    sha256: str = ""
    ocr_pages: tuple[int, ...] = ()  # 1-based pages whose text was read by OCR (blocks with source "ocr")

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def has_ocr(self) -> bool:
        """Some of the text was read from page images (OCR), so it may hold misread letters."""
        return bool(self.ocr_pages)

    @property
    def is_scan(self) -> bool:
        return self.page_count is not None and self.page_count > 0 and len(self.scanned_pages) == self.page_count


# --------------------------------------------------------------------------
# What the understanding layer produces
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class LocatedText:
    text: str
    location: Location


@dataclass(frozen=True)
class NumberSymbol:
    """``Số: 15/QĐ-UBND`` parsed. ``number`` is None for a draft's blank number."""

    raw: str
    number: Optional[str] = None  # as written, leading zeros kept ("05")
    year: Optional[int] = None  # normative documents: 30/2020/NĐ-CP
    type_abbr: Optional[str] = None  # QĐ, TTr … ; None for công văn
    issuer_abbr: Optional[str] = None  # UBND, SNV, CAT …
    unit: Optional[str] = None  # drafting unit or field (UBND-KTTH → KTTH; CAT-PC06 → PC06)
    location: Optional[Location] = None

    @property
    def symbol(self) -> str:
        """The symbol without the number: ``TTr-SNV``."""
        parts = [p for p in (self.type_abbr, self.issuer_abbr) if p]
        s = "-".join(parts)
        if self.unit:
            s = f"{s}-{self.unit}" if s else self.unit
        return s


@dataclass(frozen=True)
class DocDate:
    """``Lâm Đồng, ngày 05 tháng 01 năm 2026``; day/month may be blank in drafts."""

    raw: str
    place: Optional[str] = None
    day: Optional[int] = None
    month: Optional[int] = None
    year: Optional[int] = None
    location: Optional[Location] = None
    # the date disagrees with the digital signing time and no other reading of the
    # stamped day/month agrees (see understand.structure._check_signing_time)
    uncertain: bool = False

    @property
    def date(self) -> Optional[dt.date]:
        if self.day and self.month and self.year:
            try:
                return dt.date(self.year, self.month, self.day)
            except ValueError:
                return None
        return None


@dataclass(frozen=True)
class Citation:
    """A reference to another legal or administrative document."""

    raw: str
    doc_type: Optional[str] = None  # Luật, Nghị định, Quyết định, Thông tư, Nghị quyết, …
    number: Optional[str] = None  # "30"
    year: Optional[int] = None
    symbol: Optional[str] = None  # full number/symbol "30/2020/NĐ-CP", "1457/QĐ-UBND"
    issued: Optional[dt.date] = None
    issuer: Optional[str] = None  # "Chính phủ", "Ủy ban nhân dân tỉnh"
    title: Optional[str] = None  # trích yếu or the name of a law
    is_legal_basis: bool = False  # found in a "Căn cứ …" line
    location: Optional[Location] = None


@dataclass(frozen=True)
class Recommendation:
    """A sentence that asks for something: kính trình, đề nghị, kiến nghị, đề xuất."""

    text: str
    verb: str
    proposal: str  # what is asked for, after the verb
    vague: bool = False  # xin chủ trương / xin ý kiến / cân nhắc without a concrete proposal
    location: Optional[Location] = None


@dataclass(frozen=True)
class SignatureBlock:
    authority_mark: Optional[str] = None  # TM. | KT. | TL. | TUQ. | Q. | None (signs in own name)
    authority_text: Optional[str] = None  # "KT. GIÁM ĐỐC", "TM. ỦY BAN NHÂN DÂN"
    positions: tuple[str, ...] = ()  # "PHÓ GIÁM ĐỐC", "CHỦ TỊCH"
    signer_name: Optional[str] = None
    location: Optional[Location] = None

    @property
    def position(self) -> Optional[str]:
        """The position of the person who signs (last position line)."""
        return self.positions[-1] if self.positions else None


@dataclass(frozen=True)
class Marks:
    secrecy: Optional[str] = None  # MẬT | TỐI MẬT | TUYỆT MẬT
    urgency: Optional[str] = None  # KHẨN | THƯỢNG KHẨN | HỎA TỐC
    circulation: Optional[str] = None
    draft: bool = False  # DỰ THẢO


@dataclass(frozen=True)
class Document:
    """The structure of one administrative document."""

    source: RawDocument
    doc_type: Optional[str] = None  # "Tờ trình", "Quyết định", "Công văn", … (DOMAIN.md §1)
    type_abbr: Optional[str] = None  # "TTr"; None for công văn
    national_title: Optional[LocatedText] = None
    motto: Optional[LocatedText] = None
    parent_agency: Optional[LocatedText] = None
    issuing_agency: Optional[LocatedText] = None
    number: Optional[NumberSymbol] = None
    date: Optional[DocDate] = None
    subject: Optional[LocatedText] = None  # trích yếu
    recipients: tuple[str, ...] = ()  # Kính gửi
    legal_bases: tuple[Citation, ...] = ()  # the căn cứ lines
    citations: tuple[Citation, ...] = ()  # every citation in the text
    recommendations: tuple[Recommendation, ...] = ()
    attachments: tuple[LocatedText, ...] = ()  # "đính kèm …", "kèm theo …"
    signature: Optional[SignatureBlock] = None
    distribution: tuple[str, ...] = ()  # Nơi nhận items
    archive: Optional[str] = None  # "Lưu: VT, …"
    marks: Marks = field(default_factory=Marks)
    body: tuple[Block, ...] = ()  # the blocks between the heading and the signature

    @property
    def path(self) -> str:
        return self.source.path
