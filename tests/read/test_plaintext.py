"""The .txt reader: encodings, one block per line, the seeds."""

from __future__ import annotations

import codecs

import pytest

from vanban.errors import ReadError
from vanban.read import read_file

TEXT = "ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n**Quyết định** số 15/QĐ-UBND\r\n\nKính gửi: Sở Nội vụ\n"
LINES = ["ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "**Quyết định** số 15/QĐ-UBND", "", "Kính gửi: Sở Nội vụ"]


@pytest.mark.parametrize("encoding,prefix", [
    ("utf-8", b""), ("utf-8", codecs.BOM_UTF8), ("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-le", b""),
    ("utf-16-be", codecs.BOM_UTF16_BE),
])
def test_unicode_encodings(tmp_path, encoding, prefix):
    path = tmp_path / "vb.txt"
    path.write_bytes(prefix + TEXT.encode(encoding))
    raw = read_file(path)
    assert raw.format == "txt"
    assert [b.text for b in raw.blocks] == LINES
    assert [b.location.part for b in raw.blocks] == ["line"] * 4
    assert raw.blocks[3].location.describe() == "dòng 4"


def test_windows_1258(tmp_path):
    path = tmp_path / "cu.txt"
    # cp1258 stores tones as combining marks: the reader must give NFC back.
    path.write_bytes("Quy\u00ea\u0301t \u0111i\u0323nh tha\u0300nh l\u00e2\u0323p".encode("cp1258"))
    raw = read_file(path)
    assert raw.blocks[0].text == "Quyết định thành lập"
    assert any("1258" in note for note in raw.notes)


def test_empty_text_file(tmp_path):
    (tmp_path / "rong.txt").write_bytes(b"")
    with pytest.raises(ReadError, match="tệp rỗng"):
        read_file(tmp_path / "rong.txt")


def test_seeds_read(seeds_dir):
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert len(seeds) == 5
    for seed in seeds:
        raw = read_file(seed)
        assert raw.format == "txt" and len(raw.blocks) > 20
        assert "ỦY BAN NHÂN DÂN" in raw.text or "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in raw.text
        # Kept as written: markdown markers survive, lines are not joined.
        assert len(raw.blocks) == len(seed.read_text(encoding="utf-8-sig").splitlines())
    assert "**" in read_file(seeds[1]).text


def test_a_web_page_saved_as_doc_is_read_without_libreoffice(tmp_path):
    """Word's "web page" under a .doc name: its text, paragraphs and table cells in order, its charset honoured;
    scripts and styles left out; nothing it links to is fetched (LibreOffice would)."""
    from vanban.read import read_file, sniff_format

    page = tmp_path / "to-trinh.doc"
    page.write_bytes(
        '<html><head><meta charset="utf-8"><title>T</title><style>p{color:red}</style>'
        '<link rel="stylesheet" href="http://127.0.0.1:9/s.css"></head><body>'
        '<table><tr><td>SỞ NỘI VỤ</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</td></tr></table>'
        '<p class=MsoNormal>TỜ TRÌNH</p><div><p>Về việc ban hành   Kế hoạch</p></div>'
        '<script>alert(1)</script><img src="http://127.0.0.1:9/a.png"></body></html>'.encode("utf-8"))
    assert sniff_format(page) == "html"
    raw = read_file(page)
    assert raw.format == "html"
    assert [(b.text, b.location.part) for b in raw.blocks] == [
        ("SỞ NỘI VỤ", "table"), ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "table"), ("TỜ TRÌNH", "body"),
        ("Về việc ban hành Kế hoạch", "body")]
    assert any("không mở bằng LibreOffice" in note for note in raw.notes)
