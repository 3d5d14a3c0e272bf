"""Legacy Vietnamese fonts (TCVN3 .VnTime, VNI-Times) converted to Unicode."""

from __future__ import annotations

import unicodedata

import pytest

from lo_convert import libreoffice_convert
from read_builders import build_legacy
from vanban.read import read_file
from vanban.read.legacy import (
    TCVN3, TCVN3_TO_UNICODE, VNI, VNI_TO_UNICODE, convert_run_text, font_text_is_legacy,
    legacy_encoding_for_font, tcvn3_to_unicode, vni_to_unicode,
)

BASES = "aăâeêioôơuưy"
TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]
VIETNAMESE_LOWER = {unicodedata.normalize("NFC", b + t) for b in BASES for t in TONES} | {"đ"}
VIETNAMESE_ALL = VIETNAMESE_LOWER | {c.upper() for c in VIETNAMESE_LOWER}
PLAIN = set("aeiouyAEIOUY")


def test_tcvn3_table_is_complete():
    produced = set(TCVN3_TO_UNICODE.values())
    # Every toned lower-case letter, plus the seven capitals TCVN3 has.
    assert (VIETNAMESE_LOWER - PLAIN) <= produced
    assert set("ĂÂÊÔƠƯĐ") <= produced
    # 73 lower-case letters minus the 6 plain vowels, plus 7 capitals; one code each.
    assert len(TCVN3_TO_UNICODE) == len(produced) == 74
    assert tcvn3_to_unicode("Uû ban nh©n d©n tØnh L©m §ång") == "Uỷ ban nhân dân tỉnh Lâm Đồng"


def test_vni_table_is_complete_and_round_trips():
    produced = set(VNI_TO_UNICODE.values())
    assert (VIETNAMESE_ALL - PLAIN) <= produced
    encode = {v: k for k, v in VNI_TO_UNICODE.items()}
    sentence = "Quyết định thành lập Ban chỉ đạo; CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH Lâm Đồng, ngày mười bảy"
    encoded = "".join(encode.get(c, c) for c in sentence)
    assert encoded != sentence
    assert vni_to_unicode(encoded) == sentence


@pytest.mark.parametrize("font,encoding", [
    (".VnTime", TCVN3), (".VnTimeH", TCVN3), (".VnArial", TCVN3), (".VnCentury Schoolbook", TCVN3),
    ("VNI-Times", VNI), ("VNI-Helve", VNI), ("VNtimes new roman", TCVN3), ("Times New Roman", None), (None, None),
])
def test_font_detection(font, encoding):
    assert legacy_encoding_for_font(font) == encoding


def test_capitals_font_and_private_use_symbols():
    assert convert_run_text("ñy ban", ".VnTimeH") == ("ỦY BAN", TCVN3)
    assert convert_run_text("ñy ban", ".VnTimeH;Times New Roman") == ("ỦY BAN", TCVN3)
    # Word keeps 8-bit symbol-font text in U+F0xx; it is brought back first.
    assert convert_run_text("".join(chr(0xF000 + ord(c)) for c in "§ång"), ".VnTime") == ("Đồng", TCVN3)
    assert convert_run_text("Lâm Đồng", "Arial") == ("Lâm Đồng", None)


def test_unicode_text_in_old_font_is_left_alone():
    assert not font_text_is_legacy("VNI-Times", "Tô Lâm, Hồ Chí Minh")
    assert not font_text_is_legacy(".VnTime", "Quyết định")
    assert font_text_is_legacy(".VnTime", "QuyÕt ®Þnh")
    assert font_text_is_legacy("VNI-Times", "Quyeát ñònh")


def _check_legacy_text(raw):
    texts = [b.text for b in raw.blocks if b.text]
    assert texts == [
        "ỦY BAN NHÂN DÂN",
        "Quyết định về việc thành lập Ban chỉ đạo",
        "Chủ tịch Ủy ban nhân dân tỉnh",
        "Tô Lâm, Hồ Chí Minh",
    ]
    assert set(raw.legacy_encoding.split("+")) == {TCVN3, VNI}
    assert "Văn bản dùng phông chữ cũ TCVN3 (.VnTime), đã chuyển sang Unicode" in raw.notes


def test_docx_with_legacy_runs(tmp_path):
    _check_legacy_text(read_file(build_legacy(tmp_path / "cu.docx")))


def test_word97_doc_with_legacy_fonts(tmp_path, soffice):
    """A real Word 97 file whose runs carry .VnTime/VNI font names, read through LibreOffice."""
    source = build_legacy(tmp_path / "cu.docx")
    doc = libreoffice_convert(soffice, source, "doc:MS Word 97", tmp_path / "out")
    raw = read_file(doc)
    assert raw.format == "doc"
    _check_legacy_text(raw)


def test_realdocs_legacy_samples(realdocs):
    """The Word 97 files in legacy/ already hold Unicode text: read as Vietnamese, nothing re-converted."""
    samples = sorted((realdocs / "legacy").iterdir())
    assert len(samples) == 2
    expected = {"QD15UB": "QUYẾT ĐỊNH", "CT9UB": "CHỈ THỊ"}
    for sample in samples:
        raw = read_file(sample)
        assert raw.format == "doc"
        assert raw.text.startswith("ỦY BAN NHÂN DÂN")
        key = next(k for k in expected if k in sample.name)
        assert expected[key] in raw.text
        assert "Căn cứ Luật" in raw.text or "Ủy ban nhân dân tỉnh" in raw.text
        assert raw.legacy_encoding is None


def test_looks_like_tcvn3_for_text_without_font_names():
    from vanban.read.legacy import looks_like_tcvn3

    assert looks_like_tcvn3("Uû ban nh©n d©n tØnh L©m §ång quyÕt ®Þnh thµnh lËp")
    assert not looks_like_tcvn3("Ủy ban nhân dân tỉnh Lâm Đồng quyết định thành lập")
    assert not looks_like_tcvn3("ngắn")
