"""Number and day stamped into signature widgets, placed in awkward spots as the
provincial signing tool does; the trích yếu ends where its block ends.

Each PDF is built here: python-docx → LibreOffice → widgets added with pypdf
(the appearance draws the digits in a two-byte subset font, as real files do).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from lo_convert import libreoffice_convert
from read_builders import header_document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from pypdf import PdfReader, PdfWriter
from test_pdf import _stamp_widget

from vanban.model import Block, DigitalSignature, Location
from vanban.read.pdf import _FontWidths, _fragments, _group_lines, _normalize_fragment, read_pdf
from vanban.understand import understand

SUBJECT_TTR = ("Về việc đề nghị ban hành Kế hoạch kiểm tra công tác cải cách hành chính "
               "năm 2026 trên địa bàn tỉnh Lâm Đồng")
SUBJECT_CV = "V/v góp ý dự thảo Kế hoạch Cải cách hành chính năm 2026 của Ủy ban nhân dân tỉnh Lâm Đồng"


def _letter(path: Path, *, left3: str, right3: str, kind: str) -> Path:
    document = header_document(left3, right3)

    def centred(text: str, bold: bool = False, before: float = 0) -> None:
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_before = Pt(before)
        run = paragraph.add_run(text)
        run.bold = bold

    if kind == "ttr":
        centred("TỜ TRÌNH", bold=True, before=12)
        centred(SUBJECT_TTR, bold=True)
        # no Kính gửi: the body follows the trích yếu directly
    else:
        centred("Kính gửi: Sở Nội vụ.", before=12)
    body = document.add_paragraph(
        "Thực hiện Kế hoạch số 12/KH-UBND ngày 05 tháng 01 năm 2026 của Ủy ban nhân dân tỉnh, "
        "Sở Nội vụ kính trình Ủy ban nhân dân tỉnh xem xét, ban hành Kế hoạch.")
    body.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    body.paragraph_format.first_line_indent = Mm(12)
    body.paragraph_format.space_before = Pt(12)
    document.save(path)
    return path


def _char_x(pdf: Path, needle: str, occurrence: int = 0) -> tuple[float, float]:
    """(x, baseline) where ``needle`` starts on page 1, as the reader places characters."""
    fragments = _fragments(PdfReader(pdf).pages[0], _FontWidths())
    for fragment in fragments:
        _normalize_fragment(fragment)
    found = []
    for line in _group_lines(fragments):
        start = line.text.find(needle)
        while start >= 0:
            found.append((line.chars[start].x, line.y))
            start = line.text.find(needle, start + 1)
    assert len(found) > occurrence, needle
    return found[occurrence]


def _stamp(source: Path, target: Path, widgets: list[tuple[str, tuple[float, float, float, float], str]]) -> Path:
    writer = PdfWriter(clone_from=str(source))
    for name, rect, text in widgets:
        _stamp_widget(writer, 0, name, rect, text)
    with open(target, "wb") as handle:
        writer.write(handle)
    return target


@pytest.fixture(scope="module")
def to_trinh_pdf(tmp_path_factory, soffice) -> Path:
    folder = tmp_path_factory.mktemp("stamps-ttr")
    docx = _letter(folder / "to-trinh.docx", left3="Số:            /TTr-SNV",
                   right3="Lâm Đồng, ngày        tháng 01 năm 2026", kind="ttr")
    return libreoffice_convert(soffice, docx, "pdf", folder)


@pytest.fixture(scope="module")
def cong_van_pdf(tmp_path_factory, soffice) -> Path:
    folder = tmp_path_factory.mktemp("stamps-cv")
    docx = _letter(folder / "cong-van.docx", left3=f"Số:            /SNV-VP\n{SUBJECT_CV}",
                   right3="Lâm Đồng, ngày        tháng       năm 2026", kind="cv")
    return libreoffice_convert(soffice, docx, "pdf", folder)


def _texts(raw) -> list[str]:
    return [b.text for b in raw.blocks if b.location.part == "page"]


def test_tall_number_widget_and_day_right_aligned_near_thang(to_trinh_pdf, tmp_path):
    """The number widget reaches up over the agency line; the day widget's digits end just
    before "tháng" (its left edge is nearer the month than the day's blank start)."""
    number_x, number_y = _char_x(to_trinh_pdf, "Số:")
    thang_x, date_y = _char_x(to_trinh_pdf, "tháng")
    path = _stamp(to_trinh_pdf, tmp_path / "a.pdf", [
        # 40 pt tall: covers "SỞ NỘI VỤ" above; the digits sit on the Số line
        ("Signature3", (number_x + 22, number_y - 5.3, number_x + 120, number_y + 40), "14"),
        # the digits (about 13 pt wide) end right at "tháng"
        ("Signature4", (thang_x - 16, date_y - 5.3, thang_x + 30, date_y + 23.7), "09"),
    ])
    raw = read_pdf(path)
    assert "Số: 14/TTr-SNV" in _texts(raw), _texts(raw)
    assert "Lâm Đồng, ngày 09 tháng 01 năm 2026" in _texts(raw), _texts(raw)
    date_block = next(b for b in raw.blocks if b.text.startswith("Lâm Đồng"))
    assert date_block.stamped == (("day", "09"),)
    doc = understand(dataclasses.replace(raw, signatures=(
        DigitalSignature("Signature1", signing_time=dt.datetime(2026, 1, 9, 10, 0)),)))
    assert doc.number.number == "14"
    assert doc.date.date == dt.date(2026, 1, 9) and not doc.date.uncertain
    assert doc.subject.text == SUBJECT_TTR


def test_day_widget_over_the_month_goes_to_the_blank_day(to_trinh_pdf, tmp_path):
    """A day widget drawn right of "tháng" (over the printed month) never lands before the month."""
    thang_x, date_y = _char_x(to_trinh_pdf, "tháng")
    number_x, number_y = _char_x(to_trinh_pdf, "Số:")
    path = _stamp(to_trinh_pdf, tmp_path / "b.pdf", [
        ("Signature3", (number_x + 22, number_y - 5.3, number_x + 120, number_y + 23.7), "14"),
        ("Signature4", (thang_x + 30, date_y - 5.3, thang_x + 70, date_y + 23.7), "06"),
    ])
    raw = read_pdf(path)
    assert "Lâm Đồng, ngày 06 tháng 01 năm 2026" in _texts(raw), _texts(raw)
    assert "Số: 14/TTr-SNV" in _texts(raw)


def test_number_widget_never_goes_into_the_date(to_trinh_pdf, tmp_path):
    """Only the number is stamped: the date line keeps its blank day."""
    number_x, number_y = _char_x(to_trinh_pdf, "Số:")
    path = _stamp(to_trinh_pdf, tmp_path / "c.pdf", [
        ("Signature3", (number_x + 22, number_y - 5.3, number_x + 120, number_y + 23.7), "14"),
    ])
    raw = read_pdf(path)
    assert "Số: 14/TTr-SNV" in _texts(raw)
    assert "Lâm Đồng, ngày tháng 01 năm 2026" in _texts(raw), _texts(raw)
    doc = understand(raw)
    assert doc.number.number == "14" and doc.date.day is None


def test_day_and_month_both_stamped_on_a_cong_van(cong_van_pdf, tmp_path):
    """Both day and month are blank: each widget goes to the blank it sits over; the V/v
    lines continue under the number (one of them starts with a capital) up to Kính gửi."""
    number_x, number_y = _char_x(cong_van_pdf, "Số:")
    ngay_x, date_y = _char_x(cong_van_pdf, "ngày")
    thang_x, _ = _char_x(cong_van_pdf, "tháng")
    path = _stamp(cong_van_pdf, tmp_path / "d.pdf", [
        ("Signature3", (number_x + 22, number_y - 5.3, number_x + 120, number_y + 40), "125"),
        ("Signature4", (ngay_x + 28, date_y - 5.3, ngay_x + 60, date_y + 23.7), "06"),
        ("Signature5", (thang_x + 34, date_y - 5.3, thang_x + 60, date_y + 23.7), "3"),
    ])
    raw = read_pdf(path)
    assert "Số: 125/SNV-VP" in _texts(raw), _texts(raw)
    assert "Lâm Đồng, ngày 06 tháng 3 năm 2026" in _texts(raw), _texts(raw)
    doc = understand(dataclasses.replace(raw, signatures=(
        DigitalSignature("Signature1", signing_time=dt.datetime(2026, 3, 6, 9, 0)),)))
    assert doc.date.date == dt.date(2026, 3, 6) and not doc.date.uncertain
    assert doc.doc_type == "Công văn"
    assert doc.subject.text == SUBJECT_CV
    assert doc.recipients == ("Sở Nội vụ",)


def test_signing_time_corrects_a_day_stamped_in_the_wrong_blank(to_trinh_pdf, tmp_path):
    """The month blank got the day, the day blank the month: the signing time tells."""
    number_x, number_y = _char_x(to_trinh_pdf, "Số:")
    raw = read_pdf(_stamp(to_trinh_pdf, tmp_path / "e.pdf", [
        ("Signature3", (number_x + 22, number_y - 5.3, number_x + 120, number_y + 23.7), "14"),
    ]))
    # what a mis-placed stamp gives: "ngày 14" (the number) with the month printed
    blocks = tuple(
        dataclasses.replace(b, text="Lâm Đồng, ngày 14 tháng 01 năm 2026", stamped=(("day", "14"),))
        if b.text.startswith("Lâm Đồng") else b for b in raw.blocks)
    blocks += (Block("09", Location("widget", len(blocks), page=1)),)
    signed = dataclasses.replace(raw, blocks=blocks, signatures=(
        DigitalSignature("Signature1", signing_time=dt.datetime(2026, 1, 9, 8, 0)),
        DigitalSignature("Signature2", signing_time=dt.datetime(2026, 1, 9, 9, 0))))
    doc = understand(signed)
    assert doc.date.date == dt.date(2026, 1, 9) and not doc.date.uncertain
    assert any("không khớp thời điểm ký số" in n and "09/01/2026" in n for n in doc.source.notes), doc.source.notes


def test_printed_date_that_disagrees_with_signing_is_marked_uncertain(to_trinh_pdf):
    raw = read_pdf(to_trinh_pdf)
    blocks = tuple(dataclasses.replace(b, text="Lâm Đồng, ngày 20 tháng 5 năm 2026")
                   if b.text.startswith("Lâm Đồng") else b for b in raw.blocks)
    signed = dataclasses.replace(raw, blocks=blocks, signatures=(
        DigitalSignature("Signature1", signing_time=dt.datetime(2026, 1, 9, 8, 0)),))
    doc = understand(signed)
    assert doc.date.date == dt.date(2026, 5, 20) and doc.date.uncertain
    assert any("chưa chắc chắn" in n for n in doc.source.notes)
    # signed within the window: nothing to say
    fine = dataclasses.replace(signed, signatures=(
        DigitalSignature("Signature1", signing_time=dt.datetime(2026, 5, 22, 8, 0)),))
    doc = understand(fine)
    assert not doc.date.uncertain and not any("ký số" in n and "không khớp" in n for n in doc.source.notes)


def test_layout_facts_on_pdf_blocks(to_trinh_pdf):
    raw = read_pdf(to_trinh_pdf)
    title = next(b for b in raw.blocks if b.text == "TỜ TRÌNH")
    body = next(b for b in raw.blocks if b.text.startswith("Thực hiện"))
    assert title.bold is True and body.bold is False
    assert title.font_size == pytest.approx(13, abs=0.5)
    assert title.x0 < title.x1 and title.page_width == pytest.approx(595, abs=20)
    assert abs((title.x0 + title.x1) / 2 - title.page_width / 2) < 30  # centred
