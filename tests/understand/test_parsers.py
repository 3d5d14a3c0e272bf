"""Number/symbol, place/date and citation parsers on the forms found in real documents."""

from __future__ import annotations

import datetime as dt

import pytest

from vanban.understand import find_citations, parse_citation, parse_doc_date, parse_number_symbol


@pytest.mark.parametrize("text, number, year, type_abbr, issuer, unit, symbol", [
    ("Số: 519/TTr-CAT-PC06", "519", None, "TTr", "CAT", "PC06", "TTr-CAT-PC06"),
    ("Số:      /TTr-SNV", None, None, "TTr", "SNV", None, "TTr-SNV"),
    ("Số: 56 /UBND-KTTH", "56", None, None, "UBND", "KTTH", "UBND-KTTH"),
    ("             Số:           /TTr - SNV", None, None, "TTr", "SNV", None, "TTr-SNV"),
    ("Số: 30/2020/NĐ-CP", "30", 2020, "NĐ", "CP", None, "NĐ-CP"),
    ("Số:          /QĐ-UBNDDỰ THẢO", None, None, "QĐ", "UBND", None, "QĐ-UBND"),
    ("Số: 409/TTr-CAT(PC04)", "409", None, "TTr", "CAT", "PC04", "TTr-CAT-PC04"),
    ("Số: 05/TTr–SNV", "05", None, "TTr", "SNV", None, "TTr-SNV"),
    ("**Số: 56 /UBND-KTTH**\tKon Tum, ngày 08 tháng 01 năm 2024", "56", None, None, "UBND", "KTTH", "UBND-KTTH"),
])
def test_number_symbol(text, number, year, type_abbr, issuer, unit, symbol):
    parsed = parse_number_symbol(text)
    assert parsed is not None
    assert (parsed.number, parsed.year, parsed.type_abbr, parsed.issuer_abbr, parsed.unit) == (
        number, year, type_abbr, issuer, unit)
    assert parsed.symbol == symbol


def test_number_symbol_absent():
    assert parse_number_symbol("Số lượng hồ sơ tăng") is None
    assert parse_number_symbol("") is None


@pytest.mark.parametrize("text, place, day, month, year", [
    ("Lâm Đồng, ngày 05 tháng 01 năm 2026", "Lâm Đồng", 5, 1, 2026),
    ("Lâm Đồng, ngày      tháng 8 năm 2025", "Lâm Đồng", None, 8, 2025),
    ("    Tuần Giáo, ngày     tháng   năm 2021", "Tuần Giáo", None, None, 2021),
    ("Số: 56 /UBND-KTTH\tKon Tum, ngày 08 tháng 01 năm 2024", "Kon Tum", 8, 1, 2024),
    ("Số: /UBND-THKSTTHC Long An, ngày tháng 12 năm 2021", "Long An", None, 12, 2021),
    ("Lâm Đồng, ngày       tháng    năm   ", "Lâm Đồng", None, None, None),
])
def test_doc_date(text, place, day, month, year):
    parsed = parse_doc_date(text)
    assert parsed is not None
    assert (parsed.place, parsed.day, parsed.month, parsed.year) == (place, day, month, year)
    expected = dt.date(year, month, day) if day and month and year else None
    assert parsed.date == expected


def test_doc_date_rejects_impossible_values():
    parsed = parse_doc_date("Hà Nội, ngày 45 tháng 13 năm 2024")
    assert parsed is not None and parsed.day is None and parsed.month is None and parsed.date is None
    assert parse_doc_date("không có ngày nào ở đây") is None


def test_citation_full():
    c = parse_citation("Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;")
    assert c is not None
    assert (c.doc_type, c.number, c.year, c.symbol, c.issued, c.issuer) == (
        "Nghị định", "30", 2020, "30/2020/NĐ-CP", dt.date(2020, 3, 5), "Chính phủ")
    assert c.title == "về công tác văn thư"


def test_citation_short_date_and_no_issuer():
    c = parse_citation("theo Quyết định số 1457/QĐ-UBND ngày 15/09/2022.")
    assert (c.doc_type, c.number, c.symbol, c.issued, c.issuer) == (
        "Quyết định", "1457", "1457/QĐ-UBND", dt.date(2022, 9, 15), None)


def test_laws_by_name_and_number():
    found = find_citations("Luật Tổ chức chính quyền địa phương năm 2015; Luật số 72/2025/QH15; "
                           "Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025.")
    assert [(c.doc_type, c.title, c.year, c.symbol) for c in found] == [
        ("Luật", "Tổ chức chính quyền địa phương", 2015, None),
        ("Luật", None, 2025, "72/2025/QH15"),
        ("Luật", "Tổ chức chính quyền địa phương", 2025, None),
    ]
    assert found[2].issued == dt.date(2025, 6, 16)


def test_circular_without_so_and_issuer_before_title():
    (tt,) = find_citations("Thông tư 01/2011/TT-BNV hướng dẫn thể thức")
    assert (tt.doc_type, tt.number, tt.year, tt.symbol) == ("Thông tư", "01", 2011, "01/2011/TT-BNV")
    (qd,) = find_citations("Căn cứ Quyết định số 42/2014/QĐ-TTg ngày 27/7/2014 của Thủ tướng Chính phủ "
                           "ban hành Quy chế theo dõi;")
    assert qd.issuer == "Thủ tướng Chính phủ" and qd.title.startswith("ban hành Quy chế")


def test_no_citation_in_plain_text():
    assert find_citations("Sở Nội vụ đã tổng hợp ý kiến của các sở, ngành.") == []
    assert parse_citation("") is None


def test_signer_names_are_people_not_headings_read_by_ocr():
    from vanban.understand.structure import _is_name

    for person in ("Trương Minh Đương", "Nguyễn Văn An", "Đậu Xuân Bảo"):
        assert _is_name(person), person
    for heading in ("TỜ TRÌNH", "BỘ CÔNG AN", "BÁO CÁO", "CÔNG AN TỈNH"):
        assert not _is_name(heading), heading
