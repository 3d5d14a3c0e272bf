"""The .docx reader on real files built by python-docx (plus raw XML where it has no API)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from docx import Document
from lxml import etree

from read_builders import build_official_letter, build_styled
from vanban.errors import ReadError
from vanban.read import read_file, read_many
from vanban.read.docx import MAX_FILE_BYTES, iter_docx_xml_text, read_docx


@pytest.fixture(scope="module")
def letter(tmp_path_factory) -> Path:
    return build_official_letter(tmp_path_factory.mktemp("docx") / "cong-van.docx", first_page_number=False)


def test_reading_order_tables_textboxes_headers(letter):
    raw = read_file(letter)
    texts = [b.text for b in raw.blocks if b.text]
    assert texts == [
        "ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
        "Ô lồng", "Kính gửi: Sở Nội vụ", "Đoạn có khung", "Nội dung khung", "Dòng đầu\tcột\nDòng hai", "1",
    ]
    by_text = {b.text: b for b in raw.blocks}
    motto = by_text["Độc lập - Tự do - Hạnh phúc"].location
    assert (motto.part, motto.table, motto.row, motto.cell) == ("table", 0, 0, 1)
    nested = by_text["Ô lồng"].location
    assert nested.part == "table" and nested.table == 1
    # The text box is read once (DrawingML branch only), right after its paragraph.
    assert by_text["Nội dung khung"].location.part == "textbox"
    assert by_text["Kính gửi: Sở Nội vụ"].location.part == "body"
    assert by_text["1"].location.part == "header"
    assert [b.location.index for b in raw.blocks] == list(range(len(raw.blocks)))
    assert raw.format == "docx" and len(raw.sha256) == 64


def test_rules_under_agency_and_motto(letter):
    by_text = {b.text: b for b in read_file(letter).blocks}
    assert by_text["TỈNH LÂM ĐỒNG"].has_bottom_border  # drawn VML line
    assert by_text["Độc lập - Tự do - Hạnh phúc"].has_bottom_border  # paragraph border
    assert not by_text["ỦY BAN NHÂN DÂN"].has_bottom_border


def test_page_setup_and_page_numbers(letter, tmp_path):
    page = read_file(letter).pages[0]
    assert (page.width_mm, page.height_mm, page.orientation) == (210.0, 297.0, "portrait")
    assert (page.margin_top_mm, page.margin_bottom_mm, page.margin_left_mm, page.margin_right_mm) == (20, 20, 30, 15)
    assert page.has_page_numbers is True
    assert page.page_number_on_first_page is False  # titlePg with an empty first-page header
    numbered_first = read_file(build_official_letter(tmp_path / "b.docx", first_page_number=True)).pages[0]
    assert numbered_first.has_page_numbers and numbered_first.page_number_on_first_page


def test_landscape_section_and_no_numbers(tmp_path):
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    doc = Document()
    doc.add_paragraph("Phụ lục")
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    doc.save(tmp_path / "ngang.docx")
    page = read_file(tmp_path / "ngang.docx").pages[0]
    assert page.orientation == "landscape" and page.width_mm == 297.0
    assert page.has_page_numbers is False


def test_style_resolution(tmp_path):
    raw = read_file(build_styled(tmp_path / "style.docx"))
    first = raw.blocks[0]
    assert first.style_name == "VanBanThan"
    styles = [r.style for r in first.runs]
    # w:hAnsi (Vietnamese letters) wins over w:ascii.
    assert {s.font for s in styles} == {"Times New Roman"}
    assert [(s.size_pt, s.bold, s.italic) for s in styles] == [(14.0, True, False), (14.0, True, True), (13.0, False, False)]
    body = raw.blocks[1]
    assert body.alignment == "justify"
    assert body.first_line_indent_cm == pytest.approx(1.0, abs=0.01)
    assert body.space_after_pt == 6.0 and body.line_spacing == 1.5


def test_theme_fonts_resolved(tmp_path):
    doc = Document()
    doc.add_paragraph("Chữ theo phông của chủ đề")
    doc.save(tmp_path / "theme.docx")
    with zipfile.ZipFile(tmp_path / "theme.docx") as archive:
        theme = etree.fromstring(archive.read("word/theme/theme1.xml"))
    ns = {"a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
    minor = theme.find(".//a:minorFont/a:latin", ns).get("typeface")
    raw = read_file(tmp_path / "theme.docx")
    assert raw.blocks[0].runs[0].style.font == minor
    assert raw.default_style.font == minor


def test_numbering_labels(tmp_path):
    doc = Document()
    for text in ("Thành lập Ban", "Giao nhiệm vụ", "Hiệu lực"):
        doc.add_paragraph(text, style="List Number")
    doc.save(tmp_path / "so.docx")
    assert [b.text for b in read_file(tmp_path / "so.docx").blocks] == ["1.\tThành lập Ban", "2.\tGiao nhiệm vụ", "3.\tHiệu lực"]


def test_text_is_normalised(tmp_path):
    doc = Document()
    doc.add_paragraph("Ða Lạt\u00a0tỉnh " + "Lâm Đồng".replace("â", "a\u0302"))  # Icelandic Ð, nbsp, NFD
    doc.save(tmp_path / "nfc.docx")
    assert read_file(tmp_path / "nfc.docx").blocks[0].text == "Đa Lạt tỉnh Lâm Đồng"


def test_external_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("BÍ MẬT", encoding="utf-8")
    doc = Document()
    doc.add_paragraph("X")
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(tmp_path / "xxe.docx", "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(b"?>", f'?><!DOCTYPE w:document [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'.encode(), 1)
                data = data.replace(b">X<", b">&x;<")
            dst.writestr(item, data)
    try:
        text = read_file(tmp_path / "xxe.docx").text
    except ReadError:
        return  # refusing the file is fine too
    assert "BÍ MẬT" not in text


# ---------------------------------------------------------------- errors

def test_empty_file(tmp_path):
    (tmp_path / "rong.docx").write_bytes(b"")
    with pytest.raises(ReadError, match="tệp rỗng") as info:
        read_file(tmp_path / "rong.docx")
    assert "rong.docx" in str(info.value)


def test_corrupt_files(tmp_path):
    (tmp_path / "hong.docx").write_bytes(b"day khong phai la tep docx")
    with pytest.raises(ReadError, match="bị hỏng hoặc không đúng định dạng"):
        read_file(tmp_path / "hong.docx")
    doc = Document()
    doc.add_paragraph("Cắt cụt")
    doc.save(tmp_path / "full.docx")
    data = (tmp_path / "full.docx").read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    with pytest.raises(ReadError, match="bị hỏng"):
        read_file(tmp_path / "cut.docx")
    with pytest.raises(ReadError, match="bị hỏng"):
        read_docx(tmp_path / "hong.docx")


def test_zip_that_is_not_word(tmp_path):
    with zipfile.ZipFile(tmp_path / "khac.docx", "w") as archive:
        archive.writestr("readme.txt", "không phải Word")
    with pytest.raises(ReadError, match="định dạng không hỗ trợ"):
        read_file(tmp_path / "khac.docx")


def test_xlsx_is_not_a_document(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active["A1"] = "Tổng hợp góp ý"
    book.save(tmp_path / "bang.xlsx")
    with pytest.raises(ReadError, match="định dạng không hỗ trợ"):
        read_file(tmp_path / "bang.xlsx")


def test_password_protected_docx(tmp_path):
    pytest.importorskip("msoffcrypto", reason="msoffcrypto-tool (MIT) builds the encrypted file")
    from msoffcrypto.format.ooxml import OOXMLFile

    doc = Document()
    doc.add_paragraph("Tài liệu mật")
    doc.save(tmp_path / "plain.docx")
    with open(tmp_path / "plain.docx", "rb") as src, open(tmp_path / "matkhau.docx", "wb") as dst:
        OOXMLFile(src).encrypt("123456", dst)
    assert (tmp_path / "matkhau.docx").read_bytes()[:4] == b"\xd0\xcf\x11\xe0"
    with pytest.raises(ReadError, match="bảo vệ bằng mật khẩu"):
        read_file(tmp_path / "matkhau.docx")
    with pytest.raises(ReadError, match="bảo vệ bằng mật khẩu"):
        read_docx(tmp_path / "matkhau.docx")


def test_file_over_size_limit(tmp_path):
    big = tmp_path / "lon.docx"
    with open(big, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    with pytest.raises(ReadError, match="quá lớn"):
        read_file(big)


def test_read_many_survives_bad_files(tmp_path, letter):
    (tmp_path / "rong.docx").write_bytes(b"")
    results = list(read_many([letter, tmp_path / "rong.docx", tmp_path / "khong-co.docx", letter]))
    assert [p for p, _ in results] == [letter, tmp_path / "rong.docx", tmp_path / "khong-co.docx", letter]
    kinds = [type(r).__name__ for _, r in results]
    assert kinds == ["RawDocument", "ReadError", "ReadError", "RawDocument"]
    assert "không tìm thấy" in str(results[2][1])


def test_raw_xml_floor_helper(letter):
    text = "".join(iter_docx_xml_text(letter))
    assert "ỦY BAN NHÂN DÂN" in text and "Nội dung khung" in text


def test_numbering_restart_and_levels(tmp_path):
    """Two lists on one abstract definition: the second restarts with w:startOverride; levels nest."""
    from docx.oxml import parse_xml

    doc = Document()
    numbering = doc.part.numbering_part.element
    w_ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    numbering.insert(0, parse_xml(
        f'<w:abstractNum {w_ns} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="Điều %1."/>'
        '<w:suff w:val="space"/><w:pPr><w:ind w:left="0" w:firstLine="720"/></w:pPr></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%2)"/>'
        '<w:suff w:val="space"/><w:pPr><w:ind w:left="720" w:hanging="360"/></w:pPr></w:lvl></w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {w_ns} w:numId="91"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(parse_xml(
        f'<w:num {w_ns} w:numId="92"><w:abstractNumId w:val="90"/>'
        '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'))

    def item(text: str, num_id: int, level: int) -> None:
        p = doc.add_paragraph(text)
        p._p.get_or_add_pPr().append(parse_xml(
            f'<w:numPr {w_ns}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))

    item("Phạm vi", 91, 0)
    item("tỉnh", 91, 1)
    item("xã", 91, 1)
    item("Đối tượng", 91, 0)
    item("Hiệu lực", 91, 0)
    item("Phụ lục", 92, 0)
    doc.save(tmp_path / "dieu.docx")
    blocks = read_file(tmp_path / "dieu.docx").blocks
    assert [b.text for b in blocks] == [
        "Điều 1. Phạm vi", "a) tỉnh", "b) xã", "Điều 2. Đối tượng", "Điều 3. Hiệu lực", "Điều 1. Phụ lục",
    ]
    # Indents come from the list level unless the paragraph sets its own.
    assert (blocks[1].left_indent_cm, blocks[1].first_line_indent_cm) == (pytest.approx(1.27, abs=0.01), pytest.approx(-0.64, abs=0.01))
    assert blocks[0].first_line_indent_cm == pytest.approx(1.27, abs=0.01)


def test_toggle_bold_between_paragraph_and_character_styles(tmp_path):
    from docx.enum.style import WD_STYLE_TYPE

    doc = Document()
    heading = doc.styles.add_style("TieuDeDam", WD_STYLE_TYPE.PARAGRAPH)
    heading.font.bold = True
    emphasis = doc.styles.add_style("NhanManh", WD_STYLE_TYPE.CHARACTER)
    emphasis.font.bold = True
    p = doc.add_paragraph(style="TieuDeDam")
    p.add_run("QUYẾT ĐỊNH ")
    p.add_run("bỏ đậm", style="NhanManh")
    forced = p.add_run(" đậm lại", style="NhanManh")
    forced.font.bold = True
    doc.save(tmp_path / "toggle.docx")
    runs = read_file(tmp_path / "toggle.docx").blocks[0].runs
    assert [(r.text, r.style.bold) for r in runs] == [("QUYẾT ĐỊNH ", True), ("bỏ đậm", False), (" đậm lại", True)]


def test_tracked_changes_and_comments_are_noted(tmp_path):
    from docx.oxml import parse_xml

    w_ns = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    doc = Document()
    p = doc.add_paragraph("Thời hạn ")
    p._p.append(parse_xml(
        f'<w:del {w_ns} w:id="1" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:delText>30 ngày</w:delText></w:r></w:del>'))
    p._p.append(parse_xml(
        f'<w:ins {w_ns} w:id="2" w:author="A" w:date="2025-01-01T00:00:00Z"><w:r><w:t>15 ngày</w:t></w:r></w:ins>'))
    if hasattr(doc, "add_comment"):  # python-docx >= 1.2
        doc.add_comment(p.runs, text="Xem lại thời hạn", author="Chuyên viên")
    doc.save(tmp_path / "sua.docx")
    raw = read_file(tmp_path / "sua.docx")
    assert raw.blocks[0].text == "Thời hạn 15 ngày"
    assert any("2 chỗ sửa đổi được theo dõi" in note for note in raw.notes)
    if hasattr(doc, "add_comment"):
        assert any("1 ghi chú (comment)" in note for note in raw.notes)
    clean = Document()
    clean.add_paragraph("Không sửa")
    clean.save(tmp_path / "sach.docx")
    assert read_file(tmp_path / "sach.docx").notes == ()
