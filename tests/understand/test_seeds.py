"""The seed documents (shared/seeds): what is really in each one, pinned."""

from __future__ import annotations

import datetime as dt

import pytest

from vanban.read import read_file
from vanban.understand import understand_many


@pytest.fixture(scope="module")
def seeds(seeds_dir):
    paths = sorted(seeds_dir.glob("00*.txt"))
    assert len(paths) == 5
    return {p.name[:3]: d for p, d in zip(paths, understand_many(read_file(p) for p in paths))}


def test_seed_000_cong_van_tan_yen(seeds):
    d = seeds["000"]
    assert d.doc_type == "Công văn" and d.type_abbr is None
    assert d.number.number is None and d.number.symbol == "UBND-VP"  # "Số: /UBND-VP": not yet numbered
    assert (d.date.place, d.date.day, d.date.month, d.date.year) == ("Tân Yên", None, 5, 2024)
    assert d.issuing_agency.text == "ỦY BAN NHÂN DÂN HUYỆN TÂN YÊN" and d.parent_agency is None
    assert d.subject.text == "V/v nâng cao chất lượng hiệu quả thực hiện Quy chế làm việc của UBND huyện"
    assert d.recipients == ("Các cơ quan, đơn vị thuộc UBND huyện", "UBND các xã, thị trấn")
    assert any(c.symbol == "1457/QĐ-UBND" and c.issued == dt.date(2022, 9, 15) for c in d.citations)
    assert d.signature.positions == ("CHỦ TỊCH",) and d.signature.signer_name == "Nguyễn Viết Toàn"
    assert d.distribution[0] == "Như trên"


def test_seed_001_cong_van_56_kon_tum(seeds):
    d = seeds["001"]
    assert d.doc_type == "Công văn"
    assert (d.number.number, d.number.issuer_abbr, d.number.unit, d.number.symbol) == ("56", "UBND", "KTTH", "UBND-KTTH")
    assert d.date.place == "Kon Tum" and d.date.date == dt.date(2024, 1, 8)
    assert d.issuing_agency.text == "ỦY BAN NHÂN DÂN TỈNH KON TUM"
    assert d.national_title.text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert d.subject.text.startswith("V/v tăng cường vai trò, trách nhiệm của Người đứng đầu")
    assert d.recipients == ("Các sở, ban ngành, đơn vị thuộc UBND tỉnh", "Ủy ban nhân dân các huyện, thành phố")
    symbols = {c.symbol for c in d.citations}
    assert {"54/2023/QĐ-UBND", "9000/VPCP-TH"} <= symbols
    qd = next(c for c in d.citations if c.symbol == "54/2023/QĐ-UBND")
    assert qd.issued == dt.date(2023, 10, 4) and qd.issuer == "Ủy ban nhân dân tỉnh"
    assert d.signature.signer_name == "Lê Ngọc Tuấn"
    assert d.archive == "VT, KTTH.TK"
    assert "Thường trực Tỉnh ủy (b/c)" in d.distribution


def test_seed_002_draft_quyet_dinh_tuan_giao(seeds):
    d = seeds["002"]
    assert d.doc_type == "Quyết định" and d.type_abbr == "QĐ"
    assert d.number.number is None and d.number.symbol == "QĐ-UBND"
    assert d.marks.draft  # "DỰ THẢO" glued to the symbol in the source text
    assert (d.date.place, d.date.day, d.date.month, d.date.year) == ("Tuần Giáo", None, None, 2021)
    assert d.issuing_agency.text == "ỦY BAN NHÂN DÂN HUYỆN TUẦN GIÁO"
    assert d.subject.text.startswith("Ban hành Quy chế theo dõi, đôn đốc kiểm tra việc thực hiện nhiệm vụ")
    bases = d.legal_bases
    assert [(c.doc_type, c.symbol, c.year) for c in bases] == [
        ("Luật", None, 2015), ("Luật", None, 2019),
        ("Quyết định", "42/2014/QĐ-TTg", 2014), ("Quyết định", "15/2015/QĐ-UBND", 2015),
    ]
    assert bases[0].title == "Tổ chức chính quyền địa phương"
    qd42 = bases[2]
    assert qd42.issued == dt.date(2014, 7, 27) and qd42.issuer == "Thủ tướng Chính phủ" and qd42.is_legal_basis
    sig = d.signature
    assert (sig.authority_mark, sig.authority_text, sig.signer_name) == ("TM.", "TM. ỦY BAN NHÂN DÂN", "Vũ Văn Đức")
    assert d.distribution[:2] == ("Như Điều 3", "UBND tỉnh") and d.archive == "VT"


def test_seed_003_long_an_without_header(seeds):
    d = seeds["003"]
    assert d.doc_type == "Công văn" and d.number.symbol == "UBND-THKSTTHC"
    assert (d.date.place, d.date.month, d.date.year) == ("Long An", 12, 2021)
    assert d.national_title is None and d.issuing_agency is None  # the text starts at the number line
    assert d.subject.text == "V/v tiếp tục nâng cao trách nhiệm công vụ"
    assert len(d.recipients) == 3
    assert (d.signature.authority_mark, d.signature.positions, d.signature.signer_name) == (
        "TM.", ("CHỦ TỊCH",), "Nguyễn Văn Út")
    # "(đề nghị cơ quan soạn thảo cân nhắc,...)" is the vague wording point 4e forbids
    assert any(r.vague and "cân nhắc" in r.proposal for r in d.recommendations)


def test_seed_004_is_not_an_administrative_document(seeds):
    d = seeds["004"]
    assert d.national_title is not None and d.motto.text == "Độc lập – Tự do – Hạnh phúc"
    assert d.doc_type is None and d.number is None and d.issuing_agency is None and d.signature is None
