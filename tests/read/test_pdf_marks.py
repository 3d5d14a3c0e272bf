"""Marks a PDF draws apart from the text: superscript footnote marks and the page's own number. Read into
the flow they split words and citations (``Kế`` / ``3`` / ``hoạch``, ``của Ủy ban nhân`` / ``1`` / ``dân
tỉnh``), as on the signed tờ trình of the real corpus. The PDF is written by LibreOffice from a .docx the
test builds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm, Pt

from vanban.read.pdf import read_pdf
from vanban.understand import understand

from lo_convert import libreoffice_convert

pytestmark = pytest.mark.libreoffice

BASIS = ("Căn cứ Quyết định số 58/QĐ-UBND ngày 08/01/2026 của Ủy ban nhân dân tỉnh về việc áp dụng Quyết định "
         "quy định công tác thi đua, khen thưởng trên địa bàn tỉnh Lâm Đồng")
REQUEST = ("Sở Nội vụ kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, ký ban hành Kế hoạch kiểm tra công tác "
           "cải cách hành chính năm 2026 trên địa bàn tỉnh Lâm Đồng")


def _marked_docx(path: Path) -> Path:
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(14)
    section = document.sections[0]
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    document.add_paragraph("TỜ TRÌNH")
    document.add_paragraph("Về việc ban hành Kế hoạch kiểm tra công tác cải cách hành chính năm 2026")
    document.add_paragraph("Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh")
    for text, cut in ((BASIS, "nhân"), (REQUEST, "Kế")):
        paragraph = document.add_paragraph()
        head, tail = text.split(cut, 1)
        paragraph.add_run(head + cut)
        mark = paragraph.add_run("1")
        mark.font.superscript = True  # a footnote reference inside the sentence
        paragraph.add_run(tail + ";")
    note = document.add_paragraph()
    mark = note.add_run("1")
    mark.font.superscript = True
    note.add_run(" Các cơ quan được giao chủ trì theo dõi.").font.size = Pt(10)
    document.save(path)
    return path


@pytest.fixture(scope="module")
def marked_pdf(tmp_path_factory, soffice) -> Path:
    folder = tmp_path_factory.mktemp("pdf-marks")
    return libreoffice_convert(soffice, _marked_docx(folder / "to-trinh.docx"), "pdf", folder)


def test_footnote_marks_do_not_split_the_text(marked_pdf):
    raw = read_pdf(marked_pdf)
    assert not [b.text for b in raw.blocks if re.fullmatch(r"\s*\d{1,3}\s*", b.text)]
    document = understand(raw)
    basis = next(c for c in document.citations if c.symbol and c.symbol.startswith("58"))
    assert basis.issuer == "Ủy ban nhân dân tỉnh"
    assert basis.raw.endswith("trên địa bàn tỉnh Lâm Đồng")
    assert any("ký ban hành Kế hoạch kiểm tra" in r.text for r in document.recommendations)


def test_a_number_in_the_text_stays(tmp_path, soffice):
    # digits at the size of the text around them are text (a list of counts, a year alone on a line)
    document = Document()
    document.styles["Normal"].font.size = Pt(14)
    for text in ("Số hồ sơ đã tiếp nhận:", "12", "Số hồ sơ chuyển trả:", "3"):
        document.add_paragraph(text)
    document.save(tmp_path / "so.docx")
    path = libreoffice_convert(soffice, tmp_path / "so.docx", "pdf", tmp_path)
    assert [b.text for b in read_pdf(path).blocks] == ["Số hồ sơ đã tiếp nhận:", "12", "Số hồ sơ chuyển trả:", "3"]
