"""Build real .docx files for the reader tests (python-docx plus raw XML where it has no API)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

NSDECL = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def textbox_run(text: str):
    """A run holding a text box the way Word 2010+ writes it: DrawingML choice + VML fallback."""
    body = f'<w:txbxContent><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:txbxContent>'
    return parse_xml(
        f'<w:r {NSDECL}><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wp:anchor><a:graphic><a:graphicData '
        f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp>'
        f'<wps:txbx>{body}</wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox>{body}</v:textbox></v:shape></w:pict></mc:Fallback>'
        f'</mc:AlternateContent></w:r>'
    )


def line_shape_run():
    """A VML line, as offices draw the short rule under the agency name."""
    return parse_xml(f'<w:r {NSDECL}><w:pict><v:line from="0,0" to="90pt,0"/></w:pict></w:r>')


def page_field_paragraph_xml() -> str:
    return (f'<w:p {NSDECL}><w:pPr><w:jc w:val="center"/></w:pPr>'
            '<w:fldSimple w:instr=" PAGE \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple></w:p>')


def build_official_letter(path: Path, *, first_page_number: bool) -> Path:
    """A công văn laid out like the real ones: heading table, body, text box, numbered header."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)

    header = doc.add_table(rows=1, cols=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = "ỦY BAN NHÂN DÂN"
    left.add_paragraph("TỈNH LÂM ĐỒNG")._p.append(line_shape_run())
    right.paragraphs[0].text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    motto = right.add_paragraph("Độc lập - Tự do - Hạnh phúc")
    border = parse_xml(f'<w:pBdr {NSDECL}><w:bottom w:val="single" w:sz="6" w:space="1" w:color="auto"/></w:pBdr>')
    motto._p.get_or_add_pPr().append(border)
    nested = right.add_table(rows=1, cols=1)
    nested.rows[0].cells[0].paragraphs[0].text = "Ô lồng"

    doc.add_paragraph("Kính gửi: Sở Nội vụ")
    with_box = doc.add_paragraph("Đoạn có khung")
    with_box._p.append(textbox_run("Nội dung khung"))
    doc.add_paragraph("Dòng đầu\tcột\nDòng hai")

    section.different_first_page_header_footer = not first_page_number
    section.header.paragraphs[0]._p.addnext(parse_xml(page_field_paragraph_xml()))
    doc.save(path)
    return path


def build_styled(path: Path) -> Path:
    """Font from a paragraph style whose w:hAnsi differs from w:ascii; size from the style too."""
    doc = Document()
    style = doc.styles.add_style("VanBanThan", WD_STYLE_TYPE.PARAGRAPH)
    style.font.size = Pt(14)
    style.font.bold = True
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:ascii"), "Arial")
    fonts.set(qn("w:hAnsi"), "Times New Roman")
    char_style = doc.styles.add_style("Nghieng", WD_STYLE_TYPE.CHARACTER)
    char_style.font.italic = True
    p = doc.add_paragraph(style="VanBanThan")
    p.add_run("Căn cứ Luật ")
    p.add_run("Tổ chức", style="Nghieng")
    direct = p.add_run(" chính quyền")
    direct.font.bold = False
    direct.font.size = Pt(13)
    plain = doc.add_paragraph("Đoạn thường")
    plain.paragraph_format.first_line_indent = Mm(10)
    plain.paragraph_format.space_after = Pt(6)
    plain.paragraph_format.line_spacing = 1.5
    plain.alignment = 3  # justify
    doc.save(path)
    return path


def build_legacy(path: Path) -> Path:
    """Runs in .VnTime / .VnTimeH / VNI-Times with their 8-bit text, and Unicode text in an old font name."""
    doc = Document()
    p = doc.add_paragraph()
    run = p.add_run("ñy ban nh©n d©n")  # .VnTimeH draws these as capitals
    run.font.name = ".VnTimeH"
    p = doc.add_paragraph()
    run = p.add_run("QuyÕt ®Þnh vÒ viÖc thµnh lËp Ban chØ ®¹o")
    run.font.name = ".VnTime"
    p = doc.add_paragraph()
    run = p.add_run("Chuû tòch UÛy ban nhaân daân tænh")
    run.font.name = "VNI-Times"
    p = doc.add_paragraph()
    run = p.add_run("Tô Lâm, Hồ Chí Minh")  # Unicode typed over an old font name
    run.font.name = "VNI-Helve"
    doc.save(path)
    return path


def header_document(number_line: str, date_line: str):
    """A Sở Nội vụ letter's start, as the PDF tests need it: 13 pt Times New Roman, 20 mm side margins, and
    the two-column header in a table (agency and motto, then ``number_line`` beside ``date_line``)."""
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    section = document.sections[0]
    section.left_margin = section.right_margin = Mm(20)
    table = document.add_table(rows=3, cols=2)
    table.autofit = False
    cells = [("UBND TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
             ("SỞ NỘI VỤ", "Độc lập - Tự do - Hạnh phúc"), (number_line, date_line)]
    for row, (left, right) in zip(table.rows, cells):
        row.cells[0].text, row.cells[1].text = left, right
        row.cells[0].width, row.cells[1].width = Mm(70), Mm(105)
    table.columns[0].width, table.columns[1].width = Mm(70), Mm(105)
    return document
