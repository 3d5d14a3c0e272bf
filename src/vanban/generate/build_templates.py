"""Build the shipped .docx templates from code, so their layout is exact and reproducible.

Run ``python -m vanban.generate.build_templates [OUT_DIR]`` (default: the
top-level ``templates/`` folder of the checkout). Each template is an ordinary
Word document with docxtpl/Jinja tags a clerk can open and edit: page A4,
margins 20/20/30/15 mm, Times New Roman, the sizes and styles of Nghị định
30/2020/NĐ-CP Phụ lục I.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

FONT = "Times New Roman"
ALIGN = {
    "left": WD_ALIGN_PARAGRAPH.LEFT,
    "center": WD_ALIGN_PARAGRAPH.CENTER,
    "right": WD_ALIGN_PARAGRAPH.RIGHT,
    "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
}

# Page geometry (Phụ lục I: top 20–25, bottom 20–25, left 30–35, right 15–20 mm).
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
BODY_SIZE = 14
BODY_LINE_SPACING = 1.15
FIRST_LINE_INDENT_CM = 1.27


# --------------------------------------------------------------------------
# Low-level helpers
# --------------------------------------------------------------------------

def _set_run_font(rpr_parent, size: Optional[float] = None) -> None:
    """Times New Roman for every script slot (Vietnamese letters use hAnsi)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)


def add_run(paragraph, text: str, *, size: float = BODY_SIZE, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    _set_run_font(run._r)
    # complex-script size too, so Word shows the same size everywhere
    szcs = OxmlElement("w:szCs")
    szcs.set(qn("w:val"), str(int(size * 2)))
    run._r.get_or_add_rPr().append(szcs)
    return run


def _mark_size(paragraph, size: float) -> None:
    """Size of the paragraph mark, which sets the height of an empty paragraph."""
    ppr = paragraph._p.get_or_add_pPr()
    rpr = ppr.find(qn("w:rPr"))
    if rpr is None:
        rpr = OxmlElement("w:rPr")
        ppr.append(rpr)
    fonts = OxmlElement("w:rFonts")
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), FONT)
    rpr.append(fonts)
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), str(int(size * 2)))
    rpr.append(sz)


def add_para(container, runs=(), *, align: str = "justify", size: float = BODY_SIZE, first_line_cm: float = 0,
             left_cm: float = 0, right_cm: float = 0, before: float = 0, after: float = 0,
             line_spacing: float = 1.0, keep_next: bool = False):
    """A paragraph made of ``runs``: a string or (text, {"bold":…, "italic":…, "size":…}) pairs."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.alignment = ALIGN[align]
    fmt.first_line_indent = Cm(first_line_cm) if first_line_cm else None
    fmt.left_indent = Cm(left_cm) if left_cm else None
    fmt.right_indent = Cm(right_cm) if right_cm else None
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = line_spacing
    fmt.widow_control = True
    if keep_next:
        fmt.keep_with_next = True
    if isinstance(runs, str):
        runs = [runs]
    for item in runs:
        text, style = (item, {}) if isinstance(item, str) else item
        add_run(paragraph, text, size=style.get("size", size), bold=style.get("bold", False),
                italic=style.get("italic", False))
    _mark_size(paragraph, size)
    return paragraph


def add_tag(container, tag: str, size: float = BODY_SIZE):
    """A docxtpl paragraph tag (``{%p for … %}``): the whole paragraph is replaced when rendered."""
    return add_para(container, [tag], align="left", size=size)


def add_rule(container, width_cm: float, container_width_cm: float, *, before: float = 0, after: float = 0):
    """A short horizontal rule: an empty narrow centred paragraph with a bottom border."""
    side = max((container_width_cm - width_cm) / 2, 0)
    paragraph = add_para(container, [], align="center", size=2, left_cm=side, right_cm=side,
                         before=before, after=after)
    ppr = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")  # eighths of a point
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    # pBdr must come before spacing/ind/jc in pPr (schema order)
    anchor = ppr.find(qn("w:spacing"))
    if anchor is None:
        ppr.append(borders)
    else:
        anchor.addprevious(borders)
    return paragraph


def _set_cell_width(cell, width_cm: float) -> None:
    cell.width = Cm(width_cm)


def _borderless(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _grid_borders(table) -> None:
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr.append(borders)


def _fixed_layout(table, widths_cm: list[float]) -> None:
    table.autofit = False
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    tbl_pr = table._tbl.tblPr
    if tbl_pr.find(qn("w:tblLayout")) is None:  # table.autofit = False already adds it
        layout = OxmlElement("w:tblLayout")
        layout.set(qn("w:type"), "fixed")
        tbl_pr.append(layout)
    width = OxmlElement("w:tblW")
    width.set(qn("w:w"), str(int(sum(widths_cm) / 2.54 * 1440)))
    width.set(qn("w:type"), "dxa")
    old = tbl_pr.find(qn("w:tblW"))
    if old is not None:
        tbl_pr.remove(old)
    tbl_pr.append(width)
    # narrow cell margins so the national title fits on one line
    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), "57")  # 1 mm
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tbl_pr.append(margins)
    for row in table.rows:
        for cell, w in zip(row.cells, widths_cm):
            _set_cell_width(cell, w)
    grid = table._tbl.tblGrid
    for col, w in zip(grid.findall(qn("w:gridCol")), widths_cm):
        col.set(qn("w:w"), str(int(w / 2.54 * 1440)))


def _clear_cell(cell) -> None:
    """A new cell holds one empty paragraph; remove it so content starts at the top."""
    for p in list(cell.paragraphs):
        p._p.getparent().remove(p._p)


def _repeat_header(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    tr_pr.append(header)


def _cant_split(row) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))


def _page_number_field(paragraph, size: float = 14) -> None:
    """``PAGE`` field: begin / instruction / separate / placeholder / end."""
    def fld(kind: str):
        run = add_run(paragraph, "", size=size)
        element = OxmlElement("w:fldChar")
        element.set(qn("w:fldCharType"), kind)
        run._r.append(element)

    fld("begin")
    run = add_run(paragraph, "", size=size)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = " PAGE "
    run._r.append(instr)
    fld("separate")
    add_run(paragraph, "2", size=size)
    fld("end")


# Child order required by the WordprocessingML schema (ECMA-376 Part 1, §17): Word refuses
# ("unreadable content") some files whose property elements are out of order.
_SCHEMA_ORDER = {
    "w:pPr": ["pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
              "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
              "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
              "sectPr", "pPrChange"],
    "w:rPr": ["rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
              "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
              "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
              "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath"],
    "w:tblPr": ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
                "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar",
                "tblLook", "tblCaption", "tblDescription"],
}


def _schema_order(doc) -> None:
    """Sort property children into schema order in the body, headers and footers."""
    roots = [doc.element.body]
    for section in doc.sections:
        roots += [section.header._element, section.first_page_header._element, section.footer._element,
                  section.first_page_footer._element]
    for root in roots:
        for tag, order in _SCHEMA_ORDER.items():
            rank = {qn(f"w:{name}"): i for i, name in enumerate(order)}
            for element in root.iter(qn(tag)):
                children = list(element)
                ordered = sorted(children, key=lambda c: rank.get(c.tag, len(rank)))
                if ordered != children:
                    for child in children:
                        element.remove(child)
                    for child in ordered:
                        element.append(child)


# --------------------------------------------------------------------------
# The document skeleton
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Page:
    landscape: bool = False

    @property
    def width_mm(self) -> float:
        return 297 if self.landscape else 210

    @property
    def text_width_cm(self) -> float:
        return (self.width_mm - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10


def new_document(page: Page):
    doc = new_docx()
    # document defaults and the Normal style: Times New Roman 14, black
    styles = doc.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_SIZE)
    _set_run_font(normal.element)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr_default = defaults.find(qn("w:rPrDefault"))
        if rpr_default is not None:
            rpr = rpr_default.find(qn("w:rPr"))
            if rpr is not None:
                fonts = rpr.find(qn("w:rFonts"))
                if fonts is None:
                    fonts = OxmlElement("w:rFonts")
                    rpr.insert(0, fonts)
                for attr in list(fonts.attrib):
                    del fonts.attrib[attr]
                for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                    fonts.set(qn(slot), FONT)
    section = doc.sections[0]
    if page.landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = Mm(MARGINS_MM["top"])
    section.bottom_margin = Mm(MARGINS_MM["bottom"])
    section.left_margin = Mm(MARGINS_MM["left"])
    section.right_margin = Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    section.footer_distance = Mm(10)
    # page numbers top centre from page 2 (Phụ lục I): a different, empty first-page header
    section.different_first_page_header_footer = True
    header_paragraph = section.header.paragraphs[0]
    header_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number_field(header_paragraph)
    first = section.first_page_header.paragraphs[0]
    _mark_size(first, BODY_SIZE)
    # the template's body starts empty
    body = doc.element.body
    for p in list(body.findall(qn("w:p"))):
        body.remove(p)
    fixed = dt.datetime(2026, 1, 1, 0, 0, 0)
    doc.core_properties.author = "vanban"
    doc.core_properties.created = fixed
    doc.core_properties.modified = fixed
    doc.core_properties.last_modified_by = "vanban"
    doc.core_properties.revision = 1
    return doc


def header_table(doc, page: Page, *, cong_van: bool, date_line: bool = True) -> None:
    """Agency | national title block, as a two-column borderless table (``date_line=False``: the
    office's forms that are dated by their signatures, like the phiếu trình)."""
    total = page.text_width_cm
    left_w = 6.2 if not page.landscape else 9.0
    right_w = total - left_w if not page.landscape else 11.5
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _fixed_layout(table, [left_w, right_w])
    left, right = table.rows[0].cells
    _clear_cell(left)
    _clear_cell(right)

    add_tag(left, "{%p if office.parent_agency %}", 13)
    add_para(left, ["{{ office.parent_agency }}"], align="center", size=13)
    add_tag(left, "{%p endif %}", 13)
    add_tag(left, "{%p for line in office.header_lines %}", 13)
    add_para(left, [("{{ line }}", {"bold": True})], align="center", size=13)
    add_tag(left, "{%p endfor %}", 13)
    add_rule(left, 2.2, left_w - 0.2, after=4)
    add_para(left, ["Số: {{ number }}/{{ symbol }}"], align="center", size=13, before=2)
    if cong_van:
        add_para(left, ["V/v {{ subject }}"], align="center", size=12, before=2)
    add_tag(left, "{%p if secrecy %}", 13)
    add_para(left, [("{{ secrecy }}", {"bold": True})], align="center", size=13, before=6)
    add_tag(left, "{%p endif %}", 13)
    add_tag(left, "{%p if urgency %}", 13)
    add_para(left, [("{{ urgency }}", {"bold": True})], align="center", size=13, before=6)
    add_tag(left, "{%p endif %}", 13)

    add_para(right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"bold": True})], align="center", size=13)
    add_para(right, [("Độc lập - Tự do - Hạnh phúc", {"bold": True})], align="center", size=14)
    add_rule(right, 6.2, right_w - 0.2, after=6)
    if date_line:
        add_para(right, [("{{ office.place }}, {{ date|ngay_nd30 }}", {"italic": True})], align="center", size=14,
                 before=4)


def title_block(doc, page: Page, title: Optional[str], subject_template: str) -> None:
    """Type name (``CHỈ THỊ``) and trích yếu, bold, centred, with a short rule."""
    add_para(doc, [], align="center", size=BODY_SIZE)
    if title:
        add_para(doc, [(title, {"bold": True})], align="center", size=14, before=6, keep_next=True)
    add_para(doc, [(subject_template, {"bold": True})], align="center", size=14, keep_next=True)
    add_rule(doc, 3.5, page.text_width_cm, before=3, after=12)


def recipients_block(doc) -> None:
    """``Kính gửi:`` one recipient on the line; several as ``- …;`` lines, the last ending with ``.``."""
    add_tag(doc, "{%p if recipients|length == 1 %}")
    add_para(doc, ["Kính gửi: {{ recipients[0] }}"], align="center", before=6, after=12)
    add_tag(doc, "{%p elif recipients|length > 1 %}")
    add_para(doc, ["Kính gửi:"], align="left", left_cm=3.0, before=6, after=0)
    add_tag(doc, "{%p for r in recipients %}")
    add_para(doc, ["- {{ r }}{{ '.' if loop.last else ';' }}"], align="left", left_cm=5.0)
    add_tag(doc, "{%p endfor %}")
    add_para(doc, [], align="left", after=6)
    add_tag(doc, "{%p endif %}")


def body(doc, text_runs, **kw) -> None:
    """A body paragraph: 14 pt, justified, first-line indent 1.27 cm, 6 pt after."""
    options = dict(align="justify", first_line_cm=FIRST_LINE_INDENT_CM, after=6, line_spacing=BODY_LINE_SPACING)
    options.update(kw)
    add_para(doc, text_runs, **options)


def signature_block(doc, page: Page) -> None:
    """Nơi nhận (left) | authority, position, space for the signature, name (right)."""
    last = doc.paragraphs[-1] if doc.paragraphs else None
    if last is not None and not last.text.startswith("{%"):
        last.paragraph_format.keep_with_next = True
    add_para(doc, [], size=BODY_SIZE, after=0, keep_next=True)
    total = page.text_width_cm
    left_w = 7.5 if not page.landscape else 12.0
    right_w = total - left_w if not page.landscape else 10.0
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _fixed_layout(table, [left_w, right_w])
    _cant_split(table.rows[0])
    left, right = table.rows[0].cells
    _clear_cell(left)
    _clear_cell(right)
    add_para(left, [("Nơi nhận:", {"bold": True, "italic": True})], align="left", size=12)
    add_tag(left, "{%p for item in distribution %}", 11)
    add_para(left, ["- {{ item }};"], align="left", size=11)
    add_tag(left, "{%p endfor %}", 11)
    add_para(left, ["- Lưu: VT, {{ unit }}."], align="left", size=11)

    add_tag(right, "{%p if signer.authority %}", 14)
    add_para(right, [("{{ signer.authority }}", {"bold": True})], align="center", size=14)
    add_tag(right, "{%p endif %}", 14)
    add_para(right, [("{{ signer.position }}", {"bold": True})], align="center", size=14)
    for _ in range(4):
        add_para(right, [], align="center", size=14)
    add_para(right, [("{{ signer.name }}", {"bold": True})], align="center", size=14)


def numbered_tasks(doc) -> None:
    """The list of tasks reminded, one numbered paragraph each."""
    add_tag(doc, "{%p for t in tasks %}")
    body(doc, ["{{ loop.index }}. {{ t.content }} (theo {{ t.source }}); thời hạn: "
               "{{ t.deadline|ngay if t.deadline else 'không quy định' }}; tình hình: {{ t.status }}"
               "{{ ' (quá hạn ' ~ t.overdue_days ~ ' ngày làm việc)' if t.overdue_days else '' }}"
               "{{ '.' if loop.last else ';' }}"])
    add_tag(doc, "{%p endfor %}")


# --------------------------------------------------------------------------
# One function per kind
# --------------------------------------------------------------------------

# ``nhiệm vụ`` for one task, ``các nhiệm vụ`` for several (Vietnamese marks the plural with ``các``)
TASKS_WORD = "{{ 'nhiệm vụ' if tasks|length == 1 else 'các nhiệm vụ' }}"


def build_don_doc(page: Page):
    doc = new_document(page)
    header_table(doc, page, cong_van=True)
    add_para(doc, [], after=0)
    recipients_block(doc)
    add_tag(doc, "{%p if intro %}")
    body(doc, ["{{ intro }}"])
    add_tag(doc, "{%p endif %}")
    body(doc, ["Qua theo dõi, tổng hợp tình hình thực hiện nhiệm vụ do {{ office.short_name }}, "
               "Chủ tịch {{ office.short_name }} giao, {{ unit_name }} còn {{ tasks|length|so }} nhiệm vụ "
               "chưa hoàn thành, cụ thể như sau:"])
    numbered_tasks(doc)
    body(doc, ["Để bảo đảm tiến độ, chất lượng thực hiện nhiệm vụ được giao, {{ office.short_name }} "
               "đề nghị {{ unit_name }} khẩn trương chỉ đạo, tổ chức thực hiện " + TASKS_WORD + " nêu trên; báo "
               "cáo kết quả thực hiện về {{ office.short_name }} (qua Văn phòng {{ office.short_name }}) trước ngày "
               "{{ report_by|ngay }} để tổng hợp, theo dõi; trường hợp không bảo đảm thời hạn phải báo cáo "
               "rõ lý do bằng văn bản ít nhất 02 ngày làm việc trước khi hết hạn./."])
    signature_block(doc, page)
    return doc


def build_phe_binh(page: Page):
    doc = new_document(page)
    header_table(doc, page, cong_van=True)
    add_para(doc, [], after=0)
    recipients_block(doc)
    add_tag(doc, "{%p if reminders %}")
    # one letter: "Công văn số 01/UBND-TH ngày …"; several: "các Công văn số … ngày …, số … ngày … và số … ngày …"
    body(doc, ["{{ office.short_name }} đã có {{ 'Công văn' if reminders|length == 1 else 'các Công văn' }} "
               "{% for r in reminders %}số {{ r.number }} ngày {{ r.date|ngay }}"
               "{{ '' if loop.last else (' và ' if loop.revindex == 2 else ', ') }}{% endfor %} đôn đốc "
               "{{ unit_name }} thực hiện " + TASKS_WORD + " được giao. Tuy nhiên, đã quá thời hạn báo cáo kết "
               "quả mà {{ unit_name }} vẫn chưa hoàn thành " + TASKS_WORD + " sau:"])
    add_tag(doc, "{%p else %}")
    body(doc, ["Đến nay, {{ unit_name }} vẫn chưa hoàn thành " + TASKS_WORD + " do {{ office.short_name }}, "
               "Chủ tịch {{ office.short_name }} giao sau đây:"])
    add_tag(doc, "{%p endif %}")
    numbered_tasks(doc)
    body(doc, ["Việc chậm thực hiện " + TASKS_WORD + " nêu trên, không kịp thời báo cáo lý do, đã ảnh hưởng đến "
               "tiến độ chung, thể hiện việc chưa nghiêm túc chấp hành Quy chế làm việc của "
               "{{ office.short_name }}. {{ office.short_name }} phê bình {{ unit_name }} và yêu cầu:"])
    body(doc, ["1. Thủ trưởng {{ unit_name }} nghiêm túc kiểm điểm, làm rõ trách nhiệm của tập thể, cá nhân "
               "có liên quan; báo cáo giải trình bằng văn bản gửi {{ office.short_name }} (qua Văn phòng "
               "{{ office.short_name }}) trước ngày {{ explanation_by|ngay }}."])
    body(doc, ["2. Khẩn trương hoàn thành " + TASKS_WORD + " nêu trên, bảo đảm chất lượng; kết quả thực hiện là "
               "căn cứ đánh giá, xếp loại mức độ hoàn thành nhiệm vụ của cơ quan, đơn vị và người đứng đầu./."])
    signature_block(doc, page)
    return doc


def build_chi_thi(page: Page):
    doc = _typed_document(page, "CHỈ THỊ")
    _lines(doc, "paragraph in preamble", ["{{ paragraph }}"])
    add_tag(doc, "{%p for d in directives %}")
    _heading(doc, "{{ loop.index }}. {{ d.title }}")
    _lines(doc, "item in d['items']", ["{{ item }}"])
    add_tag(doc, "{%p endfor %}")
    body(doc, ["{{ closing }}"])
    signature_block(doc, page)
    return doc


def build_cong_van(page: Page):
    doc = new_document(page)
    header_table(doc, page, cong_van=True)
    add_para(doc, [], after=0)
    recipients_block(doc)
    add_tag(doc, "{%p for paragraph in paragraphs %}")
    body(doc, ["{{ paragraph }}"])
    add_tag(doc, "{%p endfor %}")
    signature_block(doc, page)
    return doc


def build_tra_ho_so(page: Page):
    doc = new_document(page)
    header_table(doc, page, cong_van=True)
    add_para(doc, [], after=0)
    recipients_block(doc)
    body(doc, ["{{ issuer.short_name }} nhận được {{ dossier.title }} số {{ dossier.number }} ngày "
               "{{ dossier.date|ngay }} của {{ dossier.issuer }}{{ ' về ' ~ dossier.subject if dossier.subject "
               "else '' }}. Qua rà soát, hồ sơ chưa bảo đảm thành phần, trình tự, thủ tục và thể thức theo "
               "quy định, cụ thể như sau:"])
    add_tag(doc, "{%p for reason in reasons %}")
    body(doc, ["{{ loop.index }}. {{ reason }}{{ '.' if loop.last else ';' }}"])
    add_tag(doc, "{%p endfor %}")
    # the Văn phòng returns a dossier under the UBND's working regulation, for the UBND to consider it later
    body(doc, ["Căn cứ Quy chế làm việc của {{ office.short_name }}, {{ issuer.short_name }} chuyển trả hồ sơ "
               "và đề nghị {{ dossier.issuer }} hoàn thiện theo các nội dung nêu trên"
               "{{ ', gửi lại trước ngày ' ~ (resubmit_by|ngay) if resubmit_by else '' }}"
               " để {{ office.short_name }} xem xét, giải quyết theo quy định./."])
    signature_block(doc, page)
    return doc


def _table_cell(cell, text: str, *, size: float = 12, bold: bool = False, align: str = "left",
                space: float = 2) -> None:
    _clear_cell(cell)
    add_para(cell, [(text, {"bold": bold})] if text else [], align=align, size=size, before=space, after=space)


def _merge_row(table, row_index: int):
    row = table.rows[row_index]
    return row.cells[0].merge(row.cells[-1])


APPENDIX_SIZE = 11  # the appendix tables: a date (dd/mm/yyyy) fits in 2.4 cm with the cell margins


def _landscape_section(doc):
    """A new section on a new page, A4 landscape, same margins (the appendices of a portrait report)."""
    from docx.enum.section import WD_SECTION

    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("top", "bottom", "left", "right"):
        setattr(section, f"{side}_margin", Mm(MARGINS_MM[side]))
    section.different_first_page_header_footer = False  # page numbers go on: the appendix is not page 1
    return section


def _appendix_heading(doc, number: str, title: str, *, page_break: bool = False) -> None:
    """``Phụ lục I`` / TITLE / ``(Kèm theo Báo cáo số …/BC-UBND ngày … của UBND tỉnh)`` (Nghị định 30,
    Phụ lục I, mục VIII), kept with the table below."""
    para = add_para(doc, [(f"Phụ lục {number}", {"bold": True})], align="center", size=14, keep_next=True)
    if page_break:
        para.paragraph_format.page_break_before = True
    add_para(doc, [(title, {"bold": True})], align="center", size=14, keep_next=True)
    add_para(doc, [("(Kèm theo Báo cáo số {{ number }}/{{ symbol }} {{ date|ngay_nd30 }} của {{ office.short_name }})",
                    {"italic": True})], align="center", size=14, after=6, keep_next=True)
    add_rule(doc, 3.5, Page(landscape=True).text_width_cm, after=6)


def build_bao_cao(page: Page):
    """The periodic report: a portrait body of one or two pages (figures in the form of seed 001, causes,
    proposals, ``./.``), then landscape appendices: Phụ lục I the counts per unit (and the chart),
    Phụ lục II the tasks (the columns of seed 002, Điều 7)."""
    doc = new_document(page)
    header_table(doc, page, cong_van=False)
    title_block(doc, page, "BÁO CÁO", "{{ subject }}")
    recipients_block(doc)  # none as a rule: the report's addressees are in Nơi nhận, "(b/c)"
    body(doc, ["Thực hiện Quy chế làm việc của {{ office.short_name }}, trên cơ sở theo dõi tình hình thực hiện "
               "nhiệm vụ do {{ office.short_name }}, Chủ tịch {{ office.short_name }} giao {{ period_label }} "
               "(số liệu tính đến ngày {{ as_of|ngay }}), {{ office.short_name }} báo cáo như sau:"])
    body(doc, [("I. KẾT QUẢ THỰC HIỆN", {"bold": True})], keep_next=True)
    _lines(doc, "paragraph in summary", ["{{ paragraph }}"])
    body(doc, ["Số liệu của từng cơ quan, đơn vị tại Phụ lục I; danh mục nhiệm vụ tại Phụ lục II kèm theo "
               "Báo cáo này."])
    for heading, items in (("II. NGUYÊN NHÂN", "causes"),
                           ("{{ 'III' if causes else 'II' }}. ĐỀ XUẤT, KIẾN NGHỊ", "proposals")):
        add_tag(doc, "{%%p if %s %%}" % items)  # a section only when the data has its paragraphs
        body(doc, [(heading, {"bold": True})], keep_next=True)
        _lines(doc, f"paragraph in {items}", ["{{ paragraph }}"])
        add_tag(doc, "{%p endif %}")
    body(doc, ["{{ closing }}"])
    signature_block(doc, page)

    _landscape_section(doc)
    wide = Page(landscape=True).text_width_cm
    _appendix_heading(doc, "I", "SỐ LIỆU THỰC HIỆN NHIỆM VỤ THEO CƠ QUAN, ĐƠN VỊ")
    totals_headers = ["Cơ quan, đơn vị", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn",
                      "Đang thực hiện trong hạn", "Đang thực hiện quá hạn", "Chưa thực hiện",
                      "Không có thời hạn", "Tỷ lệ quá hạn"]
    widths = [7.0, 2.0, 2.3, 2.3, 2.4, 2.4, 2.2, 2.2, 2.4]
    assert abs(sum(widths) - wide) < 0.01
    table = doc.add_table(rows=5, cols=len(totals_headers))
    _grid_borders(table)
    _fixed_layout(table, widths)
    _repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, totals_headers):
        _table_cell(cell, text, bold=True, align="center", size=APPENDIX_SIZE, space=1)
    _table_cell(_merge_row(table, 1), "{%tr for t in totals %}")
    fields = ["{{ t.unit }}", "{{ t.total|so_vn }}", "{{ t.done_on_time|so_vn }}", "{{ t.done_late|so_vn }}",
              "{{ t.in_progress_on_time|so_vn }}", "{{ t.in_progress_overdue|so_vn }}",
              "{{ t.not_started|so_vn }}", "{{ t.no_deadline|so_vn }}", "{{ t.rate }}"]
    for index, (cell, text) in enumerate(zip(table.rows[2].cells, fields)):
        _table_cell(cell, text, align="left" if index == 0 else "center", size=APPENDIX_SIZE, space=1)
    _cant_split(table.rows[2])
    _table_cell(_merge_row(table, 3), "{%tr endfor %}")
    # the total row is not part of the loop, so it can be bold
    for index, (cell, text) in enumerate(zip(table.rows[4].cells, fields)):
        _table_cell(cell, text.replace("t.", "overall."), bold=True, align="left" if index == 0 else "center",
                    size=APPENDIX_SIZE, space=1)
    _cant_split(table.rows[4])
    add_tag(doc, "{%p if chart %}")
    add_para(doc, ["{{ chart }}"], align="center", before=6, after=6)
    add_tag(doc, "{%p endif %}")

    _appendix_heading(doc, "II", "BÁO CÁO NHIỆM VỤ, CÔNG VIỆC {{ period_label|hoa }}", page_break=True)
    headers = ["STT", "Số, ký hiệu", "Ngày ban hành văn bản", "Trích yếu văn bản", "Nội dung theo dõi",
               "Hạn xử lý", "Tình hình, kết quả thực hiện", "Ngày hoàn thành", "Ghi chú"]
    widths = [1.0, 3.0, 2.4, 3.4, 4.2, 2.4, 3.4, 2.4, 3.0]  # a symbol (1457/UBND-KT) on one line
    assert abs(sum(widths) - wide) < 0.01
    table = doc.add_table(rows=7, cols=len(headers))
    _grid_borders(table)
    _fixed_layout(table, widths)
    _repeat_header(table.rows[0])
    _cant_split(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers):
        _table_cell(cell, text, bold=True, align="center", size=APPENDIX_SIZE)
    _table_cell(_merge_row(table, 1), "{%tr for g in groups %}")
    group = _merge_row(table, 2)
    _table_cell(group, "{{ g.roman }}. {{ g.unit }}", bold=True, size=APPENDIX_SIZE)
    group.paragraphs[0].paragraph_format.keep_with_next = True  # a unit's name never ends a page
    _cant_split(table.rows[2])
    _table_cell(_merge_row(table, 3), "{%tr for r in g.rows %}")
    fields = ["{{ loop.index }}", "{{ r.symbol }}", "{{ r.issued|ngay }}", "{{ r.summary }}", "{{ r.content }}",
              "{{ r.deadline|ngay if r.deadline else 'Không có hạn' }}", "{{ r.result }}",
              "{{ r.completed|ngay }}", "{{ r.note }}"]
    centred = {0, 1, 2, 5, 7}
    for index, (cell, text) in enumerate(zip(table.rows[4].cells, fields)):
        _table_cell(cell, text, align="center" if index in centred else "left", size=APPENDIX_SIZE)
    _cant_split(table.rows[4])
    _table_cell(_merge_row(table, 5), "{%tr endfor %}")
    _table_cell(_merge_row(table, 6), "{%tr endfor %}")
    return doc


# --------------------------------------------------------------------------
# Phiếu trình: the Văn phòng's review form (one bordered table under the heading)
# --------------------------------------------------------------------------

FORM_SIZE = 12  # the form's text inside its table, as on the office's own phiếu
REVIEW_WIDTHS = [5.4, 5.4, 5.7]  # Chuyên viên | Lãnh đạo phòng | Lãnh đạo Văn phòng (16.5 cm, the text width)
CELL_PADDING_CM = 0.2  # _fixed_layout's 1 mm cell margins, both sides
BLANK_DATE = "Ngày ….. tháng ….. năm ……"  # signatures are dated by hand
LEADER_END = "\u200b"  # LibreOffice draws a tab's dotted leader in a table cell only when something follows it


def _tab_stops(paragraph, stops) -> None:
    """``stops``: (position in cm, "left" | "right", dotted leader?)."""
    from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER

    for position, align, dots in stops:
        paragraph.paragraph_format.tab_stops.add_tab_stop(
            Cm(position), WD_TAB_ALIGNMENT.RIGHT if align == "right" else WD_TAB_ALIGNMENT.LEFT,
            WD_TAB_LEADER.DOTS if dots else WD_TAB_LEADER.SPACES)


BOX_SIZE = 10  # smaller than the text, so boxes on consecutive lines stay apart


def _box_run(paragraph, text: str, size: float = BOX_SIZE):
    """A check box: a run with a border all round (``{{ boxes.x }}`` gives its inside: blank or X)."""
    run = add_run(paragraph, text, size=size)
    border = OxmlElement("w:bdr")
    border.set(qn("w:val"), "single")
    border.set(qn("w:sz"), "4")
    border.set(qn("w:space"), "0")
    border.set(qn("w:color"), "000000")
    run._r.get_or_add_rPr().append(border)
    return run


def _form_para(cell, runs, *, align: str = "justify", **kw):
    options = dict(align=align, size=FORM_SIZE, before=0, after=0)
    options.update(kw)
    return add_para(cell, runs, **options)


def _box_line(cell, items, *, left_cm: float = 0.3) -> None:
    """One line of labelled boxes: ``items`` = [(label, box key, box position cm, label position cm), …]."""
    paragraph = _form_para(cell, [], align="left", left_cm=left_cm)
    stops = []
    for index, (label, key, box_at, label_at) in enumerate(items):
        if index:
            paragraph.add_run().add_tab()
            stops.append((label_at, "left", False))
        add_run(paragraph, label, size=FORM_SIZE)
        paragraph.add_run().add_tab()
        stops.append((box_at, "left", False))
        _box_run(paragraph, "{{ boxes.%s }}" % key)
    _tab_stops(paragraph, stops)


def _option_line(cell, label: str, key: str, tail: Optional[str], width_cm: float) -> None:
    """``4.2. Thống nhất  ☐  Sửa:……………`` with a dotted leader to the right edge."""
    paragraph = _form_para(cell, [label], align="left")
    paragraph.add_run().add_tab()
    _box_run(paragraph, "{{ boxes.%s }}" % key)
    stops = [(4.6, "left", False)]
    if tail:
        paragraph.add_run().add_tab()
        add_run(paragraph, tail, size=FORM_SIZE)
        # the proposed option's note (Sửa: …, Lý do: …) before the dots, which fill the rest of the line
        add_run(paragraph, "{{ (' ' ~ option_notes.%s) if option_notes.%s else '' }}" % (key, key), size=FORM_SIZE)
        paragraph.add_run().add_tab()
        add_run(paragraph, LEADER_END, size=FORM_SIZE)
        stops += [(5.6, "left", False), (width_cm - 0.1, "right", True)]
    _tab_stops(paragraph, stops)


def _dotted_line(cell, width_cm: float, margin_cm: float = 0.3) -> None:
    """A line of dots across the cell (``margin_cm`` free on both sides), for a handwritten opinion."""
    paragraph = _form_para(cell, [], align="left", left_cm=margin_cm)
    paragraph.add_run().add_tab()
    add_run(paragraph, LEADER_END, size=FORM_SIZE)
    _tab_stops(paragraph, [(width_cm - margin_cm, "right", True)])


def _signature_cell(cell, title: str, name_tag: str, width_cm: float, *, dotted: int = 0, space: int = 4,
                    dots_margin_cm: float = 0.3) -> None:
    """Title, lines for an opinion, a blank date, room for the signature, the name (or a blank line)."""
    _clear_cell(cell)
    _form_para(cell, [(title, {"bold": True})], align="center", before=2)
    for _ in range(dotted):
        _dotted_line(cell, width_cm - CELL_PADDING_CM, dots_margin_cm)
    _form_para(cell, [(BLANK_DATE, {"italic": True})], align="center")
    for _ in range(space):
        _form_para(cell, [], align="center")
    _form_para(cell, [(name_tag, {"bold": True})], align="center", after=2)


def _vertical_merge(table, column: int, first_row: int, last_row: int):
    return table.cell(first_row, column).merge(table.cell(last_row, column))


def build_phieu_trinh(page: Page):
    doc = new_document(page)
    header_table(doc, page, cong_van=False, date_line=False)
    add_para(doc, [("PHIẾU TRÌNH", {"bold": True})], align="center", size=14, before=6, after=2, keep_next=True)

    # Kính gửi: on the left, the list on the right (as on the office's form)
    table = doc.add_table(rows=1, cols=2)
    _borderless(table)
    _fixed_layout(table, [5.4, page.text_width_cm - 5.4])
    left, right = table.rows[0].cells
    _clear_cell(left)
    _clear_cell(right)
    add_para(left, [("Kính gửi:", {"bold": True})], align="right", size=14)
    add_tag(right, "{%p for r in recipients %}", 14)
    add_para(right, ["- {{ r }}{{ '.' if loop.last else ';' }}"], align="left", size=14)
    add_tag(right, "{%p endfor %}", 14)
    add_para(doc, [], size=2, after=0)  # a table right after a table would merge with it

    total = sum(REVIEW_WIDTHS)
    table = doc.add_table(rows=4, cols=3)
    _grid_borders(table)
    _fixed_layout(table, REVIEW_WIDTHS)
    content = _merge_row(table, 0)
    unit_cell = table.cell(1, 0).merge(table.cell(1, 1))
    office_head = _vertical_merge(table, 2, 1, 2)
    leader_cell = _merge_row(table, 3)
    _clear_cell(content)
    inner = total - CELL_PADDING_CM
    bold, bold_italic = {"bold": True}, {"bold": True, "italic": True}

    # I. what is submitted
    _form_para(content, [("I. NỘI DUNG TRÌNH/CHỈ ĐẠO", bold)], align="left", before=3)
    _form_para(content, [("1. Văn bản/cơ quan, đơn vị: ", bold), "{{ submission_line }}"])
    _form_para(content, [("2. Trích yếu: ", bold), "{{ subject_line }}"])
    # II. the review
    _form_para(content, [("II. RÀ SOÁT, TỔNG HỢP CỦA PHÒNG CHUYÊN MÔN THUỘC VĂN PHÒNG", bold)], align="left")
    _form_para(content, [("1. Lưu ý thêm (Rà soát cần phải xin ý kiến các cơ quan thì đánh dấu X vào ô "
                          "tương ứng):", bold_italic)])
    _box_line(content, [("+ Văn bản của cơ quan trình", "co_quan_trinh", 8.2, 0),
                        ("+ Bộ, ngành Trung ương", "bo_nganh", 15.3, 9.0)])
    _box_line(content, [("+ Quy chế làm việc của {{ party_committee }}", "tinh_uy", 8.2, 0),
                        ("+ {{ council }}", "hdnd", 15.3, 9.0)])
    _box_line(content, [("+ Quy chế làm việc của Đảng ủy {{ office.short_name }}", "dang_uy", 8.2, 0),
                        ("+ Cơ quan khác", "khac", 15.3, 9.0)])
    _box_line(content, [("+ Quy chế làm việc của {{ office.short_name }}", "ubnd", 8.2, 0)])
    _form_para(content, [("2. Các sở, ban, ngành, đơn vị, địa phương trình (kết quả đề nghị): ", bold_italic),
                         "{{ proposer_line }}"])
    _form_para(content, [("3. Thẩm quyền (Chọn ghi thẩm quyền tương ứng): ", bold_italic), "{{ competence_line }}"])
    _form_para(content, [("4. Phòng chuyên môn của Văn phòng {{ office.short_name }} đề xuất phương án:",
                          bold_italic)])
    _form_para(content, [("* Căn cứ pháp lý:", {"italic": True})])
    add_tag(content, "{%p if legal_bases_note %}", FORM_SIZE)
    _form_para(content, ["{{ legal_bases_note }}"])
    add_tag(content, "{%p endif %}", FORM_SIZE)
    add_tag(content, "{%p for b in legal_bases %}", FORM_SIZE)
    _form_para(content, ["- {{ b.text }}: {{ b.status }}{{ '.' if loop.last else ';' }}"])
    add_tag(content, "{%p endfor %}", FORM_SIZE)
    add_tag(content, "{%p if components.present or components.missing %}", FORM_SIZE)
    _form_para(content, [("* Thành phần hồ sơ:", {"italic": True})])
    add_tag(content, "{%p for c in components.present %}", FORM_SIZE)
    _form_para(content, ["- {{ c }}{{ '.' if loop.last and not components.missing else ';' }}"])
    add_tag(content, "{%p endfor %}", FORM_SIZE)
    add_tag(content, "{%p for m in components.missing %}", FORM_SIZE)
    _form_para(content, ["- Thiếu: {{ m }}{{ '.' if loop.last else ';' }}"])
    add_tag(content, "{%p endfor %}", FORM_SIZE)
    add_tag(content, "{%p endif %}", FORM_SIZE)
    _form_para(content, [("* Đề xuất của cơ quan trình: ", {"italic": True}), "{{ recommendation_line }}"])
    add_tag(content, "{%p for n in notes %}", FORM_SIZE)
    _form_para(content, ["{{ n }}"])
    add_tag(content, "{%p endfor %}", FORM_SIZE)
    add_tag(content, "{%p if review %}", FORM_SIZE)
    _form_para(content, [("* Kết quả rà soát: ", {"italic": True}),
                         ("{{ review_label }}{{ ':' if review.reasons else '.' }}", bold)])
    add_tag(content, "{%p for r in review.reasons %}", FORM_SIZE)
    _form_para(content, ["- {{ r }}{{ '.' if loop.last else ';' }}"])
    add_tag(content, "{%p endfor %}", FORM_SIZE)
    add_tag(content, "{%p endif %}", FORM_SIZE)
    add_tag(content, "{%p if proposal %}", FORM_SIZE)
    _form_para(content, ["{{ proposal }}"])
    add_tag(content, "{%p endif %}", FORM_SIZE)
    _option_line(content, "4.1. Thống nhất hoàn toàn", "thong_nhat", None, inner)
    _option_line(content, "4.2. Thống nhất", "sua", "Sửa:", inner)
    _option_line(content, "4.3. Không thống nhất", "khong_thong_nhat", "Lý do:", inner)
    _form_para(content, [("5. Độ mật: ", bold_italic), "{{ secrecy_line }}"], after=3)

    # the signature grid: dates and opinions are written by hand
    _clear_cell(unit_cell)
    _form_para(unit_cell, [("PHÒNG XỬ LÝ CHÍNH: {{ unit_name|hoa }}", bold)], align="center", before=2, after=2)
    # heights: the Chuyên viên / Lãnh đạo phòng row matches the Lãnh đạo Văn phòng cell beside it
    _signature_cell(office_head, "LÃNH ĐẠO VĂN PHÒNG", "{{ reviewers.office_head }}", REVIEW_WIDTHS[2],
                    dotted=2, space=1)
    _signature_cell(table.cell(2, 0), "Chuyên viên", "{{ reviewers.specialist }}", REVIEW_WIDTHS[0], space=2)
    _signature_cell(table.cell(2, 1), "Lãnh đạo phòng", "{{ reviewers.unit_head }}", REVIEW_WIDTHS[1], space=2)
    _signature_cell(leader_cell, "{{ leader_title }}", "{{ signer.name or '' }}", total, dotted=1, space=2,
                    dots_margin_cm=4.0)
    for row in table.rows[1:]:
        _cant_split(row)
    # the grid stays in one piece: every paragraph above its last row keeps with the next
    for row in table.rows[1:3]:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.keep_with_next = True
    return doc


# --------------------------------------------------------------------------
# What a Văn phòng drafts every day: quyết định, tờ trình, giấy mời, thông báo kết luận
# (their contexts: office_kinds.py; punctuation and numbering are computed there)
# --------------------------------------------------------------------------

BOLD = {"bold": True}


def _lines(doc, loop: str, runs, **kw) -> None:
    """One body paragraph per item of a ``{%p for … %}`` loop."""
    add_tag(doc, "{%%p for %s %%}" % loop)
    body(doc, runs, **kw)
    add_tag(doc, "{%p endfor %}")


def _heading(doc, text: str) -> None:
    """A bold heading of the body (``I. Thành phần dự họp``, ``Điều …``) kept with what follows."""
    body(doc, [(text, BOLD)], keep_next=True)


def _typed_document(page: Page, title: str):
    """A document with a type name: the header table, then the type name and the trích yếu."""
    doc = new_document(page)
    header_table(doc, page, cong_van=False)
    title_block(doc, page, title, "{{ subject }}")
    return doc


def build_quyet_dinh(page: Page):
    """Quyết định cá biệt (Phụ lục I, mẫu 1.4): the authority under the trích yếu, căn cứ in italics,
    ``QUYẾT ĐỊNH:``, Điều 1…, the article on who carries it out, ``- Như Điều …;`` first in Nơi nhận."""
    doc = _typed_document(page, "QUYẾT ĐỊNH")
    add_para(doc, [("{{ authority_heading }}", BOLD)], align="center", size=14, after=12, keep_next=True)
    _lines(doc, "line in preamble", [("{{ line }}", {"italic": True})])
    add_para(doc, [("QUYẾT ĐỊNH:", BOLD)], align="center", size=14, before=6, after=12, keep_next=True)
    add_tag(doc, "{%p for a in articles %}")
    body(doc, [("Điều {{ a.number }}. ", BOLD), "{{ a.text }}"])
    _lines(doc, "item in a['items']", ["{{ item }}"])
    add_tag(doc, "{%p endfor %}")
    body(doc, [("Điều {{ execution.number }}. ", BOLD), "{{ execution.text }}"])
    signature_block(doc, page)
    return doc


def build_to_trinh(page: Page):
    """Tờ trình of the Văn phòng to the UBND / Chủ tịch: căn cứ, content in numbered parts, KIẾN NGHỊ."""
    doc = _typed_document(page, "TỜ TRÌNH")
    recipients_block(doc)
    _lines(doc, "b in bases", ["{{ b }}"])
    body(doc, ["{{ intro }}"])
    add_tag(doc, "{%p for s in sections %}")
    _heading(doc, "{{ s.roman }}. {{ s.title|hoa }}")
    _lines(doc, "paragraph in s.paragraphs", ["{{ paragraph }}"])
    add_tag(doc, "{%p endfor %}")
    _heading(doc, "{{ proposal.roman }}. KIẾN NGHỊ")
    _lines(doc, "paragraph in proposal.paragraphs", ["{{ paragraph }}"])
    body(doc, ["{{ closing }}"])
    signature_block(doc, page)
    return doc


def build_giay_moi(page: Page):
    """Giấy mời họp: thành phần (the chair first), nội dung, thời gian, địa điểm, phân công chuẩn bị."""
    doc = _typed_document(page, "GIẤY MỜI")
    body(doc, ["{{ intro }}"])
    _heading(doc, "I. Thành phần dự họp")
    _lines(doc, "person in invitees", ["- {{ person }}"])
    body(doc, [("II. Nội dung: ", BOLD), "{{ content }}"])
    _heading(doc, "III. Thời gian, địa điểm")
    body(doc, ["1. Thời gian: {{ time_line }}"])
    body(doc, ["2. Địa điểm: {{ place }}"])
    add_tag(doc, "{%p if preparation %}")
    _heading(doc, "IV. Phân công chuẩn bị")
    _lines(doc, "task in preparation", ["- {{ task }}"])
    add_tag(doc, "{%p endif %}")
    body(doc, ["{{ closing }}"])
    signature_block(doc, page)
    return doc


def build_thong_bao_ket_luan(page: Page):
    """Thông báo kết luận của Chủ tịch / Phó Chủ tịch tại cuộc họp: who chaired and attended, the
    numbered conclusions (a conclusion with points under it is a bold heading)."""
    doc = _typed_document(page, "THÔNG BÁO")
    body(doc, ["{{ opening }}"])
    body(doc, ["{{ lead_in }}"])
    add_tag(doc, "{%p for c in conclusions %}")
    add_tag(doc, "{%p if c['items'] %}")
    _heading(doc, "{{ c.number }}. {{ c.text }}")
    _lines(doc, "item in c['items']", ["{{ item }}"])
    add_tag(doc, "{%p else %}")
    body(doc, ["{{ c.number }}. {{ c.text }}"])
    add_tag(doc, "{%p endif %}")
    add_tag(doc, "{%p endfor %}")
    body(doc, ["{{ closing }}"])
    signature_block(doc, page)
    return doc


BUILDERS: dict[str, tuple[Callable, Page]] = {
    "don-doc": (build_don_doc, Page()),
    "phe-binh": (build_phe_binh, Page()),
    "chi-thi": (build_chi_thi, Page()),
    "bao-cao-nhiem-vu": (build_bao_cao, Page()),
    "tra-ho-so": (build_tra_ho_so, Page()),
    "cong-van": (build_cong_van, Page()),
    "phieu-trinh": (build_phieu_trinh, Page()),
    "quyet-dinh": (build_quyet_dinh, Page()),
    "to-trinh": (build_to_trinh, Page()),
    "giay-moi": (build_giay_moi, Page()),
    "thong-bao-ket-luan": (build_thong_bao_ket_luan, Page()),
}


def build_all(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind, (builder, page) in BUILDERS.items():
        path = out_dir / f"{kind}.docx"
        tmp = out_dir / f".{kind}.docx.tmp"
        document = builder(page)
        _schema_order(document)
        document.save(str(tmp))
        os.replace(tmp, path)  # a reader never sees a half-written template
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else Path(__file__).resolve().parents[3] / "templates"
    for path in build_all(out):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
