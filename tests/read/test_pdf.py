"""PDF reader: every file here is built by the test (LibreOffice, pypdf, Pillow,
pyHanko with a self-signed certificate), plus the real signed PDFs of the corpus."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from lo_convert import libreoffice_convert
from read_builders import header_document
from pdfsigning import draw_after_signing, self_signed_signer, sign_pdf
from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

import vanban.read.pdf as pdf_module
from vanban.errors import ReadError
from vanban.read import read_file
from vanban.read.pdf import read_pdf
from vanban.read.pdf_signatures import parse_pdf_date
from vanban.read.pdf_widgets import parse_to_unicode

# --------------------------------------------------------------------------
# Builders
# --------------------------------------------------------------------------


def _header_docx(path: Path) -> Path:
    """A draft tờ trình: two-column header in a borderless table, blank number and day."""
    document = header_document("Số:            /TTr-SNV", "Lâm Đồng, ngày        tháng 01 năm 2026")
    document.add_paragraph("TỜ TRÌNH")
    document.add_paragraph("Về việc thành lập Ban chỉ đạo chuyển đổi số tỉnh Lâm Đồng")
    document.add_paragraph("Kính gửi: Ủy ban nhân dân tỉnh")
    document.add_paragraph(
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư; "
        "Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, quyết định."
    )
    document.save(path)
    return path


@pytest.fixture(scope="module")
def text_pdf(tmp_path_factory, soffice) -> Path:
    folder = tmp_path_factory.mktemp("pdf-text")
    return libreoffice_convert(soffice, _header_docx(folder / "to-trinh.docx"), "pdf", folder)


def _fragment_position(pdf_path: Path, needle: str) -> tuple[float, float]:
    """Where pypdf draws the first fragment containing ``needle`` (x, baseline y)."""
    found: list[tuple[float, float]] = []

    def visit(text, cm, tm, font, size):  # noqa: ANN001
        if needle in text and not found:
            found.append((tm[4] * cm[0] + tm[5] * cm[2] + cm[4], tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    PdfReader(pdf_path).pages[0].extract_text(visitor_text=visit)
    assert found, needle
    return found[0]


_TO_UNICODE = b"""/CIDInit /ProcSet findresource begin
12 dict begin
begincmap
/CMapName /Adobe-Identity-UCS def
/CMapType 2 def
1 begincodespacerange
<0000> <FFFF>
endcodespacerange
2 beginbfchar
<0003> <0020>
<0013> <0030>
endbfchar
1 beginbfrange
<0014> <001c> <0031>
endbfrange
endcmap
CMapName currentdict /CMap defineresource pop
end
end
"""

# Glyph codes as in the provincial system's subset fonts: 0x13 → "0" … 0x1C → "9".
_DIGIT_CODES = {str(d): bytes([0, 0x13 + d]) for d in range(10)}


def _stamp_widget(writer: PdfWriter, page_index: int, name: str, rect: tuple[float, float, float, float],
                  text: str, *, to_unicode: bool = True) -> None:
    """A signature widget whose appearance draws ``text`` with a two-byte subset font
    (nested /FRM → /n2 forms, Identity-H, ToUnicode), as the document system does."""
    width, height = rect[2] - rect[0], rect[3] - rect[1]
    cmap = DecodedStreamObject()
    cmap.set_data(_TO_UNICODE)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"),
        NameObject("/Subtype"): NameObject("/Type0"),
        NameObject("/BaseFont"): NameObject("/ABCDEF+TimesNewRomanPS-ItalicMT"),
        NameObject("/Encoding"): NameObject("/Identity-H"),
    })
    if to_unicode:
        font[NameObject("/ToUnicode")] = writer._add_object(cmap)
    codes = b"".join(_DIGIT_CODES[c] for c in text)
    literal = b"".join(b"\\%03o" % byte for byte in codes)

    def form(content: bytes, resources: DictionaryObject) -> object:
        stream = DecodedStreamObject()
        stream.set_data(content)
        stream.update({
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(0), FloatObject(0), FloatObject(width), FloatObject(height)]),
            NameObject("/Resources"): resources,
        })
        return writer._add_object(stream)

    inner = form(
        b"BT\n1 0 0 1 2 5.3 Tm\n1 0 0.21256 1 2 5.3 Tm\n/F1 13 Tf\n0 0 0 rg\n(" + literal + b")Tj\n0 g\nET\n",
        DictionaryObject({NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}),
    )
    blank = form(b"% DSBlank\n", DictionaryObject())
    middle = form(
        b"q 1 0 0 1 0 0 cm /n0 Do Q\nq 1 0 0 1 0 0 cm /n2 Do Q\n",
        DictionaryObject({NameObject("/XObject"): DictionaryObject({NameObject("/n0"): blank, NameObject("/n2"): inner})}),
    )
    outer = form(b"q 1 0 0 1 0 0 cm /FRM Do Q\n",
                 DictionaryObject({NameObject("/XObject"): DictionaryObject({NameObject("/FRM"): middle})}))
    page = writer.pages[page_index]
    widget = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"),
        NameObject("/Subtype"): NameObject("/Widget"),
        NameObject("/FT"): NameObject("/Sig"),
        NameObject("/T"): TextStringObject(name),
        NameObject("/F"): NumberObject(132),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in rect]),
        NameObject("/AP"): DictionaryObject({NameObject("/N"): outer}),
        NameObject("/P"): page.indirect_reference,
    })
    widget_ref = writer._add_object(widget)
    if "/Annots" not in page:
        page[NameObject("/Annots")] = ArrayObject()
    page["/Annots"].append(widget_ref)
    root = writer._root_object
    if "/AcroForm" not in root:
        root[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): ArrayObject(),
                                                          NameObject("/SigFlags"): NumberObject(3)})
    root["/AcroForm"]["/Fields"].append(widget_ref)


@pytest.fixture(scope="module")
def stamped_pdf(text_pdf, tmp_path_factory) -> Path:
    """The draft with the number and the day stamped over its blanks in signature widgets."""
    number_x, number_y = _fragment_position(text_pdf, "Số:")
    date_x, date_y = _fragment_position(text_pdf, "Lâm Đồng")
    writer = PdfWriter(clone_from=str(text_pdf))
    # The system places the widget's left edge a little into the blank after "Số:".
    _stamp_widget(writer, 0, "Signature3", (number_x + 22, number_y - 5.3, number_x + 220, number_y + 23.7), "519")
    # "Lâm Đồng, ngày " is about 95 pt wide at 13 pt.
    _stamp_widget(writer, 0, "Signature4", (date_x + 98, date_y - 5.3, date_x + 143, date_y + 23.7), "14")
    path = tmp_path_factory.mktemp("pdf-stamped") / "stamped.pdf"
    with open(path, "wb") as handle:
        writer.write(handle)
    return path


@pytest.fixture(scope="module")
def scan_pdf(tmp_path_factory) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (827, 1169), "white")
    draw = ImageDraw.Draw(image)
    for y in range(100, 1000, 40):
        draw.line((80, y, 740, y), fill="black", width=3)
    path = tmp_path_factory.mktemp("pdf-scan") / "scan.pdf"
    image.save(path, "PDF", resolution=100.0)
    return path


@pytest.fixture(scope="module")
def signed_pdfs(text_pdf, tmp_path_factory):
    """(signed once, signed twice, edited after signing, time window of the signing)."""
    folder = tmp_path_factory.mktemp("pdf-signed")
    before = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    once = folder / "once.pdf"
    sign_pdf(text_pdf, once, "Signature1", self_signed_signer("Nguyễn Văn Ánh", "SỞ NỘI VỤ TỈNH LÂM ĐỒNG"), box=(300, 60, 500, 120))
    twice = folder / "twice.pdf"
    sign_pdf(once, twice, "Signature2", self_signed_signer("SỞ NỘI VỤ", "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"))
    after = dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=1)

    edited = folder / "edited.pdf"
    draw_after_signing(once, edited)  # what page 1 shows changes after the signature
    return once, twice, edited, before, after


# --------------------------------------------------------------------------
# Text, layout, reading order
# --------------------------------------------------------------------------


def test_text_pdf_lines_pages_and_header_columns(text_pdf):
    raw = read_pdf(text_pdf)
    texts = [b.text for b in raw.blocks]
    assert raw.format == "pdf" and raw.page_count == 1 and raw.scanned_pages == ()
    assert raw.pages[0].orientation == "portrait"
    assert raw.pages[0].margin_top_mm is None
    # python-docx's default section is US Letter
    assert (round(raw.pages[0].width_mm), round(raw.pages[0].height_mm)) == (216, 279)
    # the two header columns come out as separate lines, each whole
    for expected in ("UBND TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ NỘI VỤ",
                     "Độc lập - Tự do - Hạnh phúc", "Số: /TTr-SNV", "Lâm Đồng, ngày tháng 01 năm 2026",
                     "TỜ TRÌNH", "Kính gửi: Ủy ban nhân dân tỉnh"):
        assert expected in texts, (expected, texts)
    assert texts.index("UBND TỈNH LÂM ĐỒNG") < texts.index("Số: /TTr-SNV") < texts.index("TỜ TRÌNH")
    assert all(b.location.part == "page" and b.location.page == 1 for b in raw.blocks)
    assert [b.location.index for b in raw.blocks] == list(range(len(raw.blocks)))
    assert "30/2020/NĐ-CP" in raw.text
    assert raw.signatures == () and raw.sha256 and not raw.notes


def test_dispatcher_sends_pdf_here(text_pdf):
    raw = read_file(text_pdf)
    assert raw.format == "pdf" and "TỜ TRÌNH" in raw.text


def test_landscape_and_rotated_pages(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=842, height=595)
    writer.add_blank_page(width=595, height=842).rotate(90)
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "pages.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert [p.orientation for p in raw.pages] == ["landscape", "landscape", "portrait"]
    assert (raw.pages[0].width_mm, raw.pages[0].height_mm) == (297.0, 209.9)
    assert raw.scanned_pages == (1, 2, 3)
    assert "Trang 2 không có chữ" in raw.notes


def test_scan_is_detected_with_a_vietnamese_note(scan_pdf):
    raw = read_pdf(scan_pdf)
    assert raw.page_count == 1 and raw.scanned_pages == (1,) and raw.is_scan
    assert raw.blocks == ()
    assert "Trang 1 là ảnh quét, không có lớp chữ (chưa hỗ trợ OCR)" in raw.notes


def test_garbled_text_layer_is_reported(tmp_path):
    """Text drawn with codes that map to private-use characters (a font without a real ToUnicode)."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    cmap = DecodedStreamObject()
    cmap.set_data(b"begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
                  b"1 beginbfrange\n<20> <7E> <E020>\nendbfrange\nendcmap\n")
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/ToUnicode"): writer._add_object(cmap),
    })
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 700 Td (Uy ban nhan dan tinh Lam Dong kinh trinh) Tj "
                     b"0 -20 Td (So Noi vu de nghi phe duyet ke hoach nam 2026) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "garbled.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert raw.scanned_pages == ()
    assert any("bị lỗi phông" in n and "trang 1" in n for n in raw.notes), raw.notes


def test_tcvn3_text_layer_is_converted(tmp_path):
    """A PDF printed from a .VnTime document: the text layer holds TCVN3 bytes as Latin-1."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
    })
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    line1 = "Uû ban nh©n d©n tØnh L©m §ång".encode("cp1252")
    line2 = "Së Néi vô kÝnh tr×nh dù th¶o kÕ ho¹ch n¨m 2026".encode("cp1252")
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 700 Td (" + line1 + b") Tj 0 -20 Td (" + line2 + b") Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "vntime.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert [b.text for b in raw.blocks] == ["Uỷ ban nhân dân tỉnh Lâm Đồng",
                                            "Sở Nội vụ kính trình dự thảo kế hoạch năm 2026"]
    assert raw.legacy_encoding == "TCVN3"
    assert any("TCVN3" in n for n in raw.notes)


def test_vntime_font_name_decides(tmp_path):
    """Text drawn in a font named .VnTimeH is TCVN3 capitals; Unicode text in Times is left alone."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    fonts = DictionaryObject()
    for key, base in (("/F1", "/ABCDEF+.VnTimeH"), ("/F2", "/Times-Roman")):
        fonts[NameObject(key)] = writer._add_object(DictionaryObject({
            NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject(base), NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }))
    page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 13 Tf 72 700 Td (" + "tê tr×nh".encode("cp1252") + b") Tj ET "
                     b"BT /F2 13 Tf 72 650 Td (Kinh gui: So Noi vu) Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "vntimeh.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert [b.text for b in raw.blocks] == ["TỜ TRÌNH", "Kinh gui: So Noi vu"]
    assert raw.legacy_encoding == "TCVN3"


def test_decomposed_text_keeps_every_letter(tmp_path):
    """Text extracted as NFD (base letter + combining marks) comes out NFC and whole."""
    import unicodedata

    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    cmap = DecodedStreamObject()
    decomposed = unicodedata.normalize("NFD", "Tờ trình Sở Nội vụ")
    # one code per character of the decomposed text
    pairs = "".join(f"<{i + 0x21:02X}> <{ord(c):04X}>\n" for i, c in enumerate(decomposed))
    cmap.set_data(f"begincmap\n1 begincodespacerange\n<00> <FF>\nendcodespacerange\n"
                  f"{len(decomposed)} beginbfchar\n{pairs}endbfchar\nendcmap\n".encode())
    font = DictionaryObject({
        NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
        NameObject("/BaseFont"): NameObject("/Helvetica"), NameObject("/ToUnicode"): writer._add_object(cmap),
    })
    page[NameObject("/Resources")] = DictionaryObject({
        NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})})
    codes = bytes(0x21 + i for i in range(len(decomposed)))
    literal = b"".join(b"\\%03o" % c for c in codes)
    content = DecodedStreamObject()
    content.set_data(b"BT /F1 12 Tf 72 700 Td (" + literal + b") Tj ET")
    page[NameObject("/Contents")] = writer._add_object(content)
    path = tmp_path / "nfd.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert [b.text for b in raw.blocks] == ["Tờ trình Sở Nội vụ"]


# --------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------


def test_empty_file(tmp_path):
    path = tmp_path / "rỗng.pdf"
    path.write_bytes(b"")
    with pytest.raises(ReadError) as error:
        read_pdf(path)
    assert "tệp rỗng" in str(error.value) and "rỗng.pdf" in str(error.value)


def test_not_a_pdf(tmp_path):
    path = tmp_path / "thư.pdf"
    path.write_text("Kính gửi Ủy ban nhân dân tỉnh", encoding="utf-8")
    with pytest.raises(ReadError, match="không phải tệp PDF"):
        read_pdf(path)


def test_corrupt_pdf(text_pdf, tmp_path):
    path = tmp_path / "hỏng.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 20)
    with pytest.raises(ReadError, match="bị hỏng|không có trang") as error:
        read_pdf(path)
    assert "hỏng.pdf" in error.value.path


def test_truncated_pdf_does_not_crash(text_pdf, tmp_path):
    data = text_pdf.read_bytes()
    path = tmp_path / "cụt.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        raw = read_pdf(path)
    except ReadError as error:
        assert "cụt.pdf" in str(error)
    else:  # pypdf rebuilds what it can; then whatever is left is read
        assert raw.page_count >= 1


def test_password_protected_pdf(text_pdf, tmp_path):
    writer = PdfWriter(clone_from=str(text_pdf))
    writer.encrypt(user_password="matkhau", owner_password="chu", algorithm="AES-128")
    path = tmp_path / "mật-khẩu.pdf"
    writer.write(path)
    with pytest.raises(ReadError, match="mật khẩu") as error:
        read_pdf(path)
    assert "mật-khẩu.pdf" in str(error.value)


def test_pdf_encrypted_with_empty_user_password_is_read(text_pdf, tmp_path):
    writer = PdfWriter(clone_from=str(text_pdf))
    writer.encrypt(user_password="", owner_password="chu-so-huu", algorithm="AES-128")
    path = tmp_path / "chi-han-che-in.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in [b.text for b in raw.blocks]


def test_size_limit(text_pdf, monkeypatch):
    monkeypatch.setattr(pdf_module, "MAX_PDF_BYTES", 1000)
    with pytest.raises(ReadError, match="quá lớn"):
        read_pdf(text_pdf)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="không tìm thấy"):
        read_pdf(tmp_path / "không-có.pdf")


# --------------------------------------------------------------------------
# Widget text: number and day stamped over the blanks
# --------------------------------------------------------------------------


def test_to_unicode_cmap_parsing():
    mapping, width = parse_to_unicode(_TO_UNICODE.decode("latin-1"))
    assert width == 2
    assert mapping[0x13] == "0" and mapping[0x14] == "1" and mapping[0x1C] == "9" and mapping[3] == " "
    mapping, width = parse_to_unicode(
        "begincodespacerange <00> <FF> endcodespacerange\n"
        "1 beginbfrange <41> <43> [<0110> <1EA0> <00D4>] endbfrange")
    assert width == 1 and mapping == {0x41: "Đ", 0x42: "Ạ", 0x43: "Ô"}


def test_stamped_number_and_day_fill_the_blanks(stamped_pdf):
    raw = read_pdf(stamped_pdf)
    page_texts = [b.text for b in raw.blocks if b.location.part == "page"]
    assert "Số: 519/TTr-SNV" in page_texts, page_texts
    assert "Lâm Đồng, ngày 14 tháng 01 năm 2026" in page_texts, page_texts
    widgets = [b for b in raw.blocks if b.location.part == "widget"]
    assert [b.text for b in widgets] == ["519", "14"]
    assert all(b.location.page == 1 for b in widgets)
    assert widgets[0].location.describe() == "chữ ký số trang 1"
    # widget blocks follow the line they were stamped on
    texts = [b.text for b in raw.blocks]
    assert texts.index("Lâm Đồng, ngày 14 tháng 01 năm 2026") < texts.index("519") < texts.index("TỜ TRÌNH")
    assert any("«519» (Signature3)" in n and "Số: 519/TTr-SNV" in n for n in raw.notes), raw.notes


def test_widget_beside_no_blank_is_kept_apart(text_pdf, tmp_path):
    """A stamped widget far from any line blank is reported, not merged."""
    writer = PdfWriter(clone_from=str(text_pdf))
    _stamp_widget(writer, 0, "SignatureX", (400, 30, 460, 60), "7")
    path = tmp_path / "lone.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert [b.text for b in raw.blocks if b.location.part == "widget"] == ["7"]
    assert "Số: /TTr-SNV" in [b.text for b in raw.blocks]


def test_widget_font_without_to_unicode_is_reported(text_pdf, tmp_path):
    writer = PdfWriter(clone_from=str(text_pdf))
    _stamp_widget(writer, 0, "Signature9", (120, 600, 300, 630), "519", to_unicode=False)
    path = tmp_path / "no-tounicode.pdf"
    writer.write(path)
    raw = read_pdf(path)
    assert not [b for b in raw.blocks if b.location.part == "widget"]
    assert any("Signature9" in n and "ToUnicode" in n for n in raw.notes), raw.notes


# --------------------------------------------------------------------------
# Digital signatures
# --------------------------------------------------------------------------


def test_parse_pdf_date():
    assert parse_pdf_date("D:20260106104239+07'00'") == dt.datetime(
        2026, 1, 6, 10, 42, 39, tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert parse_pdf_date("D:20251225092727Z") == dt.datetime(2025, 12, 25, 9, 27, 27, tzinfo=dt.timezone.utc)
    assert parse_pdf_date("D:20250915-03'30") == dt.datetime(
        2025, 9, 15, tzinfo=dt.timezone(-dt.timedelta(hours=3, minutes=30)))
    assert parse_pdf_date("D:2025") == dt.datetime(2025, 1, 1)
    assert parse_pdf_date("20260110155500+07'00") .hour == 15
    assert parse_pdf_date("hôm qua") is None and parse_pdf_date(None) is None
    assert parse_pdf_date("D:20251345") is None


def test_signed_once(signed_pdfs):
    once, _twice, _edited, before, after = signed_pdfs
    raw = read_pdf(once)
    assert len(raw.signatures) == 1
    signature = raw.signatures[0]
    assert signature.field_name == "Signature1"
    assert signature.signer_name == "Nguyễn Văn Ánh"
    assert signature.organization == "SỞ NỘI VỤ TỈNH LÂM ĐỒNG"
    assert "Nguyễn Văn Ánh" in signature.subject and "VN" in signature.subject
    assert signature.intact is True
    assert signature.covers_whole_file is True and signature.modified_after_signing is False
    assert signature.page == 1
    assert signature.signing_time is not None and signature.signing_time.tzinfo is not None
    assert before <= signature.signing_time <= after
    # pyHanko's default stamp draws "Digitally signed by …" in the widget
    assert "Nguyễn Văn Ánh" in signature.widget_text or signature.widget_text.startswith("Digital")
    # the untrusted self-signed certificate is no reason to fail
    assert "Độc lập - Tự do - Hạnh phúc" in raw.text


def test_second_signature_is_form_filling_not_modification(signed_pdfs):
    _once, twice, _edited, _before, _after = signed_pdfs
    raw = read_pdf(twice)
    first, second = raw.signatures
    assert (first.field_name, second.field_name) == ("Signature1", "Signature2")
    assert first.covers_whole_file is False and first.modified_after_signing is False and first.intact is True
    assert second.covers_whole_file is True and second.signer_name == "SỞ NỘI VỤ"
    assert second.organization == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"


def test_content_changed_after_signing(signed_pdfs):
    _once, _twice, edited, _before, _after = signed_pdfs
    raw = read_pdf(edited)
    signature = raw.signatures[0]
    assert signature.intact is True  # the signed bytes are untouched …
    assert signature.covers_whole_file is False
    assert signature.modified_after_signing is True  # … but a later revision changed the page


def test_signed_bytes_tampered(signed_pdfs, tmp_path):
    once = signed_pdfs[0]
    data = bytearray(once.read_bytes())
    position = data.find(b"/Producer")
    assert position > 0
    # change one letter of the producer name inside the signed range
    index = data.find(b"(", position) + 1
    data[index] = ord("X") if data[index] != ord("X") else ord("Y")
    path = tmp_path / "sua.pdf"
    path.write_bytes(bytes(data))
    signature = read_pdf(path).signatures[0]
    assert signature.intact is False and signature.modified_after_signing is True


# --------------------------------------------------------------------------
# The real corpus
# --------------------------------------------------------------------------

# file (in realdocs/dossiers) → the number line and date line the reader must give.
# Numbers and dates agree with the office's own review forms (office-review).
REAL_NUMBERS = {
    "To trinh ban hanh Ke hoach tuyen truyen CCHC nam 2026 tinh Lam Dong. 31.12.2025.pdf":
        ("Số: 05/TTr-SNV", "Lâm Đồng, ngày 06 tháng 01 năm 2026"),
    "Trình UBND tỉnh (2).pdf": ("Số: 143/TTr-SNV", "Lâm Đồng, ngày 03 tháng 3 năm 2026"),
    "Tờ-trình-Giải-thể-Hiệp-hội-rau-quả-Đà-Lạt.pdf": ("Số: 300/TTr-SNV", "Lâm Đồng, ngày 15 tháng 9 năm 2025"),
    "Tờ-trình-UBND-đổi-tên-Hội-Thiện-nguyện-Lan-tỏa-yêu-thương-Bình-Thuận-tỉnh-Lâm-Đồng.pdf":
        ("Số: 156/TTr-SNV", "Lâm Đồng, ngày 25 tháng 8 năm 2025"),
    "SỞ XÂY DỰNG.pdf": ("Số: 951/SXD-QLCLCT", "Lâm Đồng, ngày 27 tháng 8 năm 2025"),
    "TỜ TRÌNH ĐỀ NGHỊ BAN HÀNH QUYẾT ĐỊNH THÀNH LẬP HỘI ĐỒNG ATVSLĐ TRÊN ĐỊA BÀN TỈNH LÂM ĐỒNG.pdf":
        ("Số: 187/TTr - SNV", "Lâm Đồng, ngày 28 tháng 8 năm 2025"),
    "1. Tờ trình CT UBND đề nghị ban hành Quyết định thành lập BVSTBCPN.pdf":
        ("Số: 303/TTr-SNV", "Lâm Đồng, ngày 16 tháng 9 năm 2025"),
    "Tờ trình dự thảo Kế hoạch CCHC năm 2026 của tỉnh.pdf": ("Số: 666/TTr-SNV", "Lâm Đồng, ngày 22 tháng 12 năm 2025"),
    "58_CD-VPCP_10012026_1-signed.pdf": ("Số: 58/CĐ-VPCP", "Hà Nội, ngày 10 tháng 01 năm 2026"),
}


def _find(realdocs: Path, name: str) -> Path:
    import unicodedata

    for path in (realdocs / "dossiers").glob("*/*.pdf"):
        if unicodedata.normalize("NFC", path.name) == unicodedata.normalize("NFC", name):
            return path
    pytest.skip(f"không có tệp {name} trong bộ văn bản thật")


@pytest.mark.parametrize("name", sorted(REAL_NUMBERS))
def test_real_signed_pdfs_yield_number_and_date(realdocs, name):
    raw = read_pdf(_find(realdocs, name))
    number_line, date_line = REAL_NUMBERS[name]
    texts = [b.text for b in raw.blocks if b.location.part == "page"]
    assert number_line in texts, texts[:12]
    assert date_line in texts, texts[:12]
    assert raw.signatures and all(s.intact for s in raw.signatures)
    assert all(s.signing_time is not None for s in raw.signatures)


def test_real_provincial_signatures(realdocs):
    raw = read_pdf(_find(realdocs, "To trinh ban hanh Ke hoach tuyen truyen CCHC nam 2026 tinh Lam Dong. 31.12.2025.pdf"))
    by_name = {s.field_name: s for s in raw.signatures}
    assert by_name["Signature1"].signer_name == "Trần Hữu Tuấn"
    assert by_name["Signature1"].organization == "ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG"
    assert by_name["Signature1"].signing_time == dt.datetime(2026, 1, 6, 10, 42, 39,
                                                             tzinfo=dt.timezone(dt.timedelta(hours=7)))
    assert by_name["Signature1"].modified_after_signing is False
    assert [by_name[f"Signature{i}"].widget_text for i in (3, 4, 5, 6)] == ["05", "06", "01", "2026"]
    assert by_name["Signature6"].covers_whole_file is True
    assert all(s.page == 1 for s in raw.signatures)


def test_real_rewritten_signed_file(realdocs):
    """Signed twice, then saved again by another program: the signatures no longer match."""
    name = "255 To trinh ve viec cong nhan ket qua dai hoi va phe duyet Dieu le Hiep hoi Nuoc mam Phan Thiet.signed.signed.kydauden.pdf"
    raw = read_pdf(_find(realdocs, name))
    assert "Số: 255/TTr-SNV" in [b.text for b in raw.blocks]
    assert len(raw.signatures) == 2
    assert all(s.intact is False and s.modified_after_signing is True for s in raw.signatures)
    assert raw.signatures[0].signer_name == "Đỗ Văn Chung"


def test_real_scans(realdocs):
    raw = read_pdf(_find(realdocs, "24841.pdf"))
    assert raw.is_scan and raw.scanned_pages == (1, 2, 3, 4, 5)
    # a certified copy: scanned pages with one stamp line of text on page 1
    raw = read_pdf(_find(realdocs, "519-TTr-CAT-PC06.pdf"))
    assert raw.is_scan and raw.page_count == 7
    assert "Trang 1 là ảnh quét, không có lớp chữ (chưa hỗ trợ OCR)" in raw.notes
    assert any(s.signer_name == "CÔNG AN TỈNH LÂM ĐỒNG" for s in raw.signatures)
    # the signer's stamp (three lines) is widget text, never merged into a page line
    widgets = [b.text for b in raw.blocks if b.location.part == "widget"]
    assert widgets[:3] == ["Ký bởi: CÔNG AN TỈNH LÂM ĐỒNG", "Email: congantinhlamdong@lgsp.bca", "Cơ quan: BỘ CÔNG AN"]


def test_every_real_pdf_reads(realdocs):
    paths = sorted((realdocs / "dossiers").glob("*/*.pdf"))
    assert paths
    for path in paths:
        raw = read_pdf(path)
        assert raw.page_count and len(raw.pages) == raw.page_count
        assert raw.blocks or raw.scanned_pages, path.name


def _odd_by_rule(char: str) -> bool:
    """The rule behind pdf._ODD, one character at a time."""
    import unicodedata

    code = ord(char)
    if char.isspace() or code < 0x7F and char.isprintable():
        return False
    if 0xE000 <= code <= 0xF8FF or code == 0xFFFD or unicodedata.category(char) in ("Cc", "Co", "Cn", "Cs"):
        return True
    if 0x00A0 <= code <= 0x024F or 0x1EA0 <= code <= 0x1EF9 or 0x0300 <= code <= 0x036F:
        return False
    if 0x2000 <= code <= 0x206F or char in "•№€…‰′″−–—":
        return False
    return True


def test_the_odd_character_class_is_the_rule_for_every_character_of_the_bmp():
    mismatched = [hex(code) for code in range(0x10000) if not 0xD800 <= code <= 0xDFFF
                  and bool(pdf_module._ODD.fullmatch(chr(code))) != _odd_by_rule(chr(code))]
    assert not mismatched, mismatched[:20]
