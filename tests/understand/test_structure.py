"""The structure of real files written by code: a tờ trình .docx (header and footer tables) and a
tab-laid .txt (the way PDF and plain-text headers put both columns on one line)."""

from __future__ import annotations

import datetime as dt

import pytest

from vanban.model import Block, Location, RawDocument
from vanban.read import read_file
from vanban.understand import understand, understand_many

from .builders import TAB_LAID, build_to_trinh


@pytest.fixture(scope="module")
def to_trinh(tmp_path_factory):
    path = build_to_trinh(tmp_path_factory.mktemp("tt") / "to-trinh.docx")
    return understand(read_file(path))


def test_heading(to_trinh):
    d = to_trinh
    assert d.doc_type == "Tờ trình" and d.type_abbr == "TTr"
    assert d.national_title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert d.motto.text == "Độc lập – Tự do – Hạnh phúc"
    assert d.parent_agency.text == "UBND TỈNH LÂM ĐỒNG"
    assert d.issuing_agency.text == "SỞ NỘI VỤ"
    assert d.issuing_agency.location.part == "table" and d.issuing_agency.location.cell == 0
    assert (d.number.number, d.number.symbol) == ("05", "TTr-SNV")
    assert d.number.location.part == "table"
    assert d.date.place == "Lâm Đồng" and d.date.date == dt.date(2026, 1, 6)
    assert d.date.location.cell == 1
    assert d.subject.text == "Về việc ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026 tỉnh Lâm Đồng"
    assert d.subject.location.part == "body"
    assert d.recipients == ("Ủy ban nhân dân tỉnh Lâm Đồng",)


def test_legal_bases_and_citations(to_trinh):
    bases = to_trinh.legal_bases
    assert [(c.doc_type, c.symbol, c.issued) for c in bases] == [
        ("Luật", None, dt.date(2025, 6, 16)),
        ("Nghị định", "30/2020/NĐ-CP", dt.date(2020, 3, 5)),
        ("Quyết định", "1457/QĐ-UBND", dt.date(2022, 9, 15)),
    ]
    assert all(c.is_legal_basis for c in bases)
    assert bases[2].issuer == "UBND tỉnh" and bases[2].title == "ban hành Quy chế làm việc"
    others = [c for c in to_trinh.citations if not c.is_legal_basis]
    assert {c.symbol for c in others} == {"01/2011/TT-BNV", "72/2025/QH15"}
    # every citation points at the paragraph it came from
    assert all(c.location is not None and c.location.part == "body" for c in to_trinh.citations)


def test_recommendation_and_attachments(to_trinh):
    (rec,) = to_trinh.recommendations
    assert rec.verb == "kính trình" and not rec.vague
    assert rec.proposal.startswith("Ủy ban nhân dân tỉnh xem xét, ban hành Kế hoạch")
    texts = [a.text for a in to_trinh.attachments]
    assert any("đính kèm" in t for t in texts) and any("gửi kèm dự thảo" in t for t in texts)


def test_signature_and_distribution(to_trinh):
    sig = to_trinh.signature
    assert (sig.authority_mark, sig.authority_text, sig.positions, sig.signer_name) == (
        "KT.", "KT. GIÁM ĐỐC", ("PHÓ GIÁM ĐỐC",), "Trần Hữu Tuấn")
    assert sig.location.part == "table" and sig.location.cell == 1
    assert to_trinh.distribution == ("Như trên", "Lãnh đạo Sở")
    assert to_trinh.archive == "VT, CCHC"
    assert to_trinh.marks.draft is False and to_trinh.marks.secrecy is None


def test_draft_marks_and_blank_number(tmp_path):
    path = build_to_trinh(tmp_path / "du-thao.docx", number="", day="", month="",
                          marks=("MẬT", "KHẨN", "DỰ THẢO"), authority="GIÁM ĐỐC", position=None,
                          signer="Đỗ Văn Chung", vague=True, placeholder=False)
    d = understand(read_file(path))
    assert d.number.number is None and d.number.symbol == "TTr-SNV"
    assert d.date.day is None and d.date.month is None and d.date.year == 2026 and d.date.date is None
    assert (d.marks.secrecy, d.marks.urgency, d.marks.draft) == ("MẬT", "KHẨN", True)
    assert d.issuing_agency.text == "SỞ NỘI VỤ"
    (rec,) = d.recommendations
    assert rec.vague
    assert (d.signature.authority_mark, d.signature.positions, d.signature.signer_name) == (
        None, ("GIÁM ĐỐC",), "Đỗ Văn Chung")


def test_tab_laid_text(tmp_path):
    path = tmp_path / "519.txt"
    path.write_text(TAB_LAID, encoding="utf-8")
    d = understand(read_file(path))
    assert d.parent_agency.text == "UBND TỈNH LÂM ĐỒNG" and d.issuing_agency.text == "CÔNG AN TỈNH"
    assert d.motto.text == "Độc lập-Tự do-Hạnh phúc"
    assert (d.number.number, d.number.type_abbr, d.number.issuer_abbr, d.number.unit) == ("519", "TTr", "CAT", "PC06")
    assert d.date.date == dt.date(2025, 12, 24) and d.date.place == "Lâm Đồng"
    assert d.subject.text.startswith("Đề nghị ban hành Quyết định thành lập Ban Chỉ đạo")
    assert d.recipients == ("Chủ tịch Ủy ban nhân dân tỉnh", "Văn phòng Ủy ban nhân dân tỉnh")
    assert [c.symbol for c in d.legal_bases] == ["2319/QĐ-TTg"]
    (rec,) = d.recommendations
    assert rec.verb == "đề nghị" and rec.vague  # "cân nhắc" is never a concrete proposal
    sig = d.signature
    assert (sig.authority_mark, sig.positions, sig.signer_name) == ("KT.", ("PHÓ GIÁM ĐỐC",), "Nguyễn Văn An")
    assert d.archive == "VT, PC06" and d.distribution == ("Như trên",)
    assert d.number.location == Location(part="line", index=2)


def _raw(lines: list[tuple[str, str]]) -> RawDocument:
    blocks = tuple(Block(text=text, location=Location(part=part, index=i, page=1)) for i, (part, text) in enumerate(lines))
    return RawDocument(path="ky-so.pdf", format="pdf", blocks=blocks)


def test_widget_number_and_date_fill_blanks():
    raw = _raw([
        ("page", "UBND TỈNH LÂM ĐỒNG"), ("page", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("page", "SỞ NỘI VỤ"), ("page", "Độc lập - Tự do - Hạnh phúc"),
        ("page", "Số:      /TTr-SNV"), ("widget", "05"),
        ("page", "Lâm Đồng, ngày      tháng      năm 2026"), ("widget", "06/01"),
        ("page", "TỜ TRÌNH"), ("page", "Về việc ban hành Kế hoạch năm 2026"),
    ])
    d = understand(raw)
    assert d.number.number == "05" and d.number.symbol == "TTr-SNV"
    assert d.date.date == dt.date(2026, 1, 6)


def test_understand_many_keeps_order(tmp_path):
    first = build_to_trinh(tmp_path / "a.docx", number="11")
    second = build_to_trinh(tmp_path / "b.docx", number="12")
    docs = list(understand_many(read_file(p) for p in (first, second, first)))
    assert [d.number.number for d in docs] == ["11", "12", "11"]
    assert [d.path for d in docs] == [str(first), str(second), str(first)]


def test_empty_document():
    d = understand(RawDocument(path="trong.txt", format="txt", blocks=()))
    assert d.doc_type is None and d.number is None and d.signature is None and d.body == ()


@pytest.mark.parametrize("mark_line, expected", [
    ("KT.CHỦ TỊCH", "KT. CHỦ TỊCH"),      # no space after the dot: spaCy keeps "KT.CHỦ" as one token
    ("KT. CHỦ TỊCH", "KT. CHỦ TỊCH"),
    ("KT CHỦ TỊCH", "KT. CHỦ TỊCH"),
])
def test_authority_text_keeps_the_whole_position(mark_line, expected):
    raw = _raw([
        ("page", "ỦY BAN NHÂN DÂN"), ("page", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
        ("page", "TỈNH BÌNH DƯƠNG"), ("page", "Độc lập - Tự do - Hạnh phúc"),
        ("page", "Số: 09/2009/CT-UBND"), ("page", "Thủ Dầu Một, ngày 15 tháng 4 năm 2009"),
        ("page", "CHỈ THỊ"), ("page", "Về việc đẩy mạnh hoạt động khoa học và công nghệ cấp cơ sở"),
        ("page", "Các sở, ngành triển khai thực hiện nghiêm túc Chỉ thị này./."),
        ("page", "Nơi nhận:\tTM. ỦY BAN NHÂN DÂN"), ("page", f"- Bộ Khoa học và Công nghệ;\t{mark_line}"),
        ("page", "- Lưu: VT.\tPHÓ CHỦ TỊCH"), ("page", "Nguyễn Văn Hiệp"),
    ])
    sig = understand(raw).signature
    assert sig.authority_text == f"TM. ỦY BAN NHÂN DÂN / {expected}", sig
    assert sig.signer_name == "Nguyễn Văn Hiệp"
