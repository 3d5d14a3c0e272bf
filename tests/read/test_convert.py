""".doc and .rtf through LibreOffice: real files made by LibreOffice from a .docx built here."""

from __future__ import annotations

import hashlib
import shutil
import struct
from pathlib import Path

import olefile
import pytest

from lo_convert import libreoffice_convert
from read_builders import build_official_letter
from vanban.errors import MissingToolError, ReadError
from vanban.model import RawDocument
from vanban.read import read_file, read_many, sniff_format

HEADING = ["ỦY BAN NHÂN DÂN", "TỈNH LÂM ĐỒNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]


@pytest.fixture(scope="module")
def legacy_formats(tmp_path_factory, soffice) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("legacy-formats")
    source = build_official_letter(folder / "cong-van.docx", first_page_number=True)
    doc = libreoffice_convert(soffice, source, "doc:MS Word 97", folder)
    rtf = libreoffice_convert(soffice, source, "rtf", folder)
    rtf_as_doc = folder / "rtf-doi-ten.doc"
    shutil.copyfile(rtf, rtf_as_doc)
    doc_as_docx = folder / "word97-doi-ten.docx"
    shutil.copyfile(doc, doc_as_docx)
    return {"doc": doc, "rtf": rtf, "rtf_as_doc": rtf_as_doc, "doc_as_docx": doc_as_docx}


def _no_new_files_next_to(path: Path, before: set[str]) -> None:
    assert {p.name for p in path.parent.iterdir()} == before


def test_doc_read_through_libreoffice(legacy_formats):
    doc = legacy_formats["doc"]
    before = {p.name for p in doc.parent.iterdir()}
    raw = read_file(doc)
    assert raw.format == "doc" and raw.converted_with == "LibreOffice"
    assert raw.path == str(doc)
    assert raw.sha256 == hashlib.sha256(doc.read_bytes()).hexdigest()
    texts = [b.text for b in raw.blocks if b.text]
    assert texts[:4] == HEADING
    assert "Nội dung khung" in texts and "Kính gửi: Sở Nội vụ" in texts
    assert raw.pages[0].has_page_numbers and raw.pages[0].page_number_on_first_page
    _no_new_files_next_to(doc, before)


@pytest.mark.parametrize("name,fmt", [("rtf", "rtf"), ("rtf_as_doc", "rtf"), ("doc_as_docx", "doc")])
def test_format_sniffed_from_content(legacy_formats, name, fmt):
    path = legacy_formats[name]
    assert sniff_format(path) == fmt
    raw = read_file(path)
    assert raw.format == fmt
    assert [b.text for b in raw.blocks if b.text][:4] == HEADING


def test_second_read_comes_from_cache(legacy_formats, monkeypatch):
    read_file(legacy_formats["doc"])
    # With LibreOffice made unfindable, only the cache can answer.
    monkeypatch.setenv("VANBAN_SOFFICE", "/khong/co/soffice")
    raw = read_file(legacy_formats["doc"])
    assert [b.text for b in raw.blocks if b.text][:4] == HEADING


def test_missing_libreoffice(legacy_formats, monkeypatch, tmp_path):
    monkeypatch.setenv("VANBAN_SOFFICE", "/khong/co/soffice")
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "empty-cache"))
    with pytest.raises(MissingToolError, match="Cần LibreOffice để đọc tệp .doc/.rtf") as info:
        read_file(legacy_formats["rtf"])
    assert info.value.exit_code == 6
    results = dict(read_many([legacy_formats["rtf"]]))
    error = results[legacy_formats["rtf"]]
    assert isinstance(error, ReadError) and "apt-get install libreoffice-writer-nogui" in str(error)


def test_encrypted_word97(legacy_formats, tmp_path):
    locked = tmp_path / "matkhau.doc"
    shutil.copyfile(legacy_formats["doc"], locked)
    with olefile.OleFileIO(str(locked), write_mode=True) as ole:
        stream = bytearray(ole.openstream("WordDocument").read())
        flags, = struct.unpack_from("<H", stream, 0x0A)
        struct.pack_into("<H", stream, 0x0A, flags | 0x0100)  # fEncrypted
        ole.write_stream("WordDocument", bytes(stream))
    with pytest.raises(ReadError, match="bảo vệ bằng mật khẩu"):
        read_file(locked)


def test_corrupt_doc(tmp_path):
    broken = tmp_path / "hong.doc"
    broken.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100 + "WordDocument".encode("utf-16-le"))
    with pytest.raises(ReadError, match="bị hỏng"):
        read_file(broken)
    (tmp_path / "rac.doc").write_bytes(b"rac rac rac")
    with pytest.raises(ReadError, match="bị hỏng"):
        read_file(tmp_path / "rac.doc")


def test_read_many_batch_keeps_order_and_survives(legacy_formats, tmp_path):
    (tmp_path / "rong.doc").write_bytes(b"")
    (tmp_path / "rac.rtf").write_bytes(b"{\\rtf1 " + b"\x00" * 50)  # RTF that LibreOffice cannot make a text of
    paths = [legacy_formats["doc"], tmp_path / "rong.doc", legacy_formats["rtf_as_doc"], tmp_path / "rac.rtf",
             legacy_formats["rtf"]]
    results = list(read_many(paths))
    assert [p for p, _ in results] == paths
    assert isinstance(results[0][1], RawDocument) and results[0][1].format == "doc"
    assert isinstance(results[1][1], ReadError) and "tệp rỗng" in str(results[1][1])
    assert isinstance(results[2][1], RawDocument) and results[2][1].format == "rtf"
    assert isinstance(results[4][1], RawDocument)
    bad = results[3][1]
    assert isinstance(bad, ReadError) or not bad.text.strip()


def test_timeout_is_a_per_file_error(legacy_formats, tmp_path, monkeypatch):
    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "fresh-cache"))
    results = list(read_many([legacy_formats["rtf"], legacy_formats["doc"]], timeout=0.05))
    assert len(results) == 2
    for path, result in results:
        assert isinstance(result, ReadError)
        assert "không chuyển xong" in str(result) and path.name in str(result)


def test_web_page_saved_as_doc(tmp_path):
    """Word's "web page" format under a .doc name, as e-office systems export it."""
    page = tmp_path / "xuat-tu-he-thong.doc"
    page.write_text(
        '<html xmlns:w="urn:schemas-microsoft-com:office:word"><head><meta charset="utf-8"></head><body>'
        "<p><b>ỦY BAN NHÂN DÂN</b></p><p>Quyết định thành lập Ban chỉ đạo</p>"
        "<table><tr><td>Nơi nhận:</td><td>CHỦ TỊCH</td></tr></table></body></html>",
        encoding="utf-8",
    )
    raw = read_file(page)
    # read by vanban itself: LibreOffice would fetch what the page links to
    assert raw.format == "html" and raw.converted_with is None
    assert [b.text for b in raw.blocks if b.text][:4] == ["ỦY BAN NHÂN DÂN", "Quyết định thành lập Ban chỉ đạo", "Nơi nhận:", "CHỦ TỊCH"]
    assert any("HTML" in note for note in raw.notes)


def test_cache_pruning_keeps_recent_entries(legacy_formats, tmp_path, monkeypatch):
    import os
    import time

    from vanban.read.convert import cache_dir, prune_cache

    monkeypatch.setenv("VANBAN_CACHE_DIR", str(tmp_path / "cache"))
    read_file(legacy_formats["rtf"])
    old = cache_dir() / ("0" * 64 + "-lo1.docx")
    old.write_bytes(b"PK old entry")
    long_ago = time.time() - 90 * 86400
    os.utime(old, (long_ago, long_ago))
    assert prune_cache(max_age_days=60) == 1
    assert not old.exists()
    assert len(list(cache_dir().glob("*.docx"))) == 1  # the fresh conversion stays
