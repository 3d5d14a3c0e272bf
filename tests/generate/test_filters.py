import datetime as dt

import pytest

from vanban.errors import ConfigError
from vanban.generate.filters import doc_so, ngay, ngay_nd30, phan_tram, so, so_vn, tien


@pytest.mark.parametrize("value, expected", [
    ("2026-01-05", "ngày 05 tháng 01 năm 2026"),
    (dt.date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
    ("2026-05-15", "ngày 15 tháng 5 năm 2026"),  # no leading zero for months 3–12
    ("2026-12-09", "ngày 09 tháng 12 năm 2026"),
])
def test_nd30_dates(value, expected):
    assert ngay_nd30(value) == expected


def test_short_dates_and_numbers():
    assert ngay("2026-01-05") == "05/01/2026"
    assert ngay(None) == ""
    assert so(5) == "05" and so("12") == "12" and so(123) == "123"
    assert so_vn(1206) == "1.206"
    assert so_vn(18.5) == "18,5"
    assert so_vn(1234567.25) == "1.234.567,25"
    assert so_vn(-1500) == "-1.500"
    assert phan_tram(18.5) == "18,5%"
    assert phan_tram(222 / 1206 * 100) == "18,4%"  # 18,408…: one way of writing a rate, as the report does
    assert phan_tram(20) == "20,0%"
    assert phan_tram(0.05) == "0,1%"  # half up
    assert tien(1500000) == "1.500.000 đồng"


@pytest.mark.parametrize("value, words", [
    (0, "không đồng"),
    (15, "mười lăm đồng"),
    (21, "hai mươi mốt đồng"),
    (24, "hai mươi tư đồng"),
    (105, "một trăm linh năm đồng"),
    (1005, "một nghìn không trăm linh năm đồng"),
    (1500000, "một triệu năm trăm nghìn đồng"),
    (2_500_000_000_000, "hai nghìn năm trăm tỷ đồng"),
])
def test_amount_in_words(value, words):
    assert doc_so(value) == words


def test_bad_values_name_the_problem():
    with pytest.raises(ConfigError, match="không phải ngày"):
        ngay_nd30("05/01/2026")
    with pytest.raises(ConfigError, match="không phải số"):
        so_vn("abc")
