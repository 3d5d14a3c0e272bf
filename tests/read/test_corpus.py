"""Every file of the real corpus and every seed reads without a crash.

Uses read_many so LibreOffice starts once for all .doc files.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lo_convert import libreoffice_convert_many
from vanban.errors import ReadError
from vanban.model import RawDocument
from vanban.read import read_file, read_many

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"


def _corpus_files(realdocs: Path) -> list[Path]:
    return sorted(
        p for p in realdocs.rglob("*")
        if p.is_file() and p.parent != realdocs  # SOURCES.md describes the corpus; it is not part of it
    )


def test_whole_corpus_reads(realdocs):
    files = _corpus_files(realdocs)
    pdf_reader = importlib.util.find_spec("vanban.read.pdf") is not None
    results = dict(read_many(files))
    assert set(results) == set(files)
    by_suffix: dict[str, int] = {}
    titled = 0
    for path, result in results.items():
        suffix = path.suffix.lower()
        by_suffix[suffix] = by_suffix.get(suffix, 0) + 1
        if suffix == ".xlsx":
            assert isinstance(result, ReadError) and "định dạng không hỗ trợ" in result.message, path
            continue
        if suffix == ".pdf" and not pdf_reader:
            continue
        assert isinstance(result, RawDocument), f"{path}: {result}"
        assert result.format == {".docx": "docx", ".doc": "doc", ".pdf": "pdf", ".rtf": "rtf"}[suffix], path
        assert result.sha256 and result.path == str(path)
        if result.is_scan:
            continue
        text = result.text
        if path.name == "Danh sách bổ sung.pdf" and not result.ocr_pages:
            # a scanner's own text layer, not Vietnamese: the text-layer check says so (read by OCR when on)
            from vanban.read.textlayer import is_vietnamese

            assert not is_vietnamese(text), path
            continue
        assert len(text.strip()) > 100, f"{path}: văn bản gần như rỗng"  # a one-line list is 150 characters
        assert "\ufffd" not in text, path
        assert any("\u1ea0" <= c <= "\u1ef9" for c in text), f"{path}: không có chữ tiếng Việt"
        titled += NATIONAL_TITLE in text.upper()
    assert by_suffix.get(".doc", 0) >= 20 and by_suffix.get(".docx", 0) >= 30 and by_suffix.get(".xlsx") == 2
    readable = sum(1 for p, r in results.items() if isinstance(r, RawDocument) and not r.is_scan)
    # Nearly every administrative document carries the national title (the Điều lệ drafts may not).
    assert titled >= 0.8 * readable


def test_office_review_forms(realdocs):
    """The office's own review forms (phiếu trình): .docx and .doc, all from the same layout."""
    forms = sorted((realdocs / "office-review").rglob("*.doc*"))
    assert len(forms) >= 8
    for path, raw in read_many(forms):
        assert isinstance(raw, RawDocument), f"{path}: {raw}"
        lines = [b.text.strip() for b in raw.blocks if b.text.strip()]
        title = next((line for line in lines if line.startswith("PHIẾU TRÌNH")), None)
        assert title is not None, path  # "PHIẾU TRÌNH" or "PHIẾU TRÌNH GIẢI QUYẾT CÔNG VIỆC"
        national = next(i for i, line in enumerate(lines) if NATIONAL_TITLE in line)
        assert national < lines.index(title), path
        assert "VĂN PHÒNG" in raw.text.upper(), path


def test_seeds(seeds_dir):
    for seed in sorted(seeds_dir.glob("*.txt")):
        raw = read_file(seed)
        assert raw.format == "txt" and raw.text.strip(), seed


def _comparable_lines(text: str) -> list[str]:
    import re
    import unicodedata

    lines = (re.sub(r"\s+", " ", unicodedata.normalize("NFC", line).replace("\u00ad", "")).strip()
             for line in text.split("\n"))
    # LibreOffice writes a footnote's reference number into the line ("Bảo Lộc1."); vanban keeps the
    # text without it: compare without such numbers on both sides
    return [re.sub(r"(?<=[^\W\d_])\d{1,2}(?=[\s.,;:)]|$)", "", line) for line in lines if line]


def test_docx_text_matches_libreoffice_export(realdocs, soffice, tmp_path):
    """An independent reader as the oracle: LibreOffice's plain-text export of every real .docx.

    LibreOffice leaves text boxes out of that export, so ours are left out too;
    list labels ("Điều 1.", "a)") must match, as must every line of the body and tables.
    """
    import difflib
    import shutil

    from vanban.read.docx import read_docx

    sources = sorted(realdocs.rglob("*.docx"))
    copies = []
    for index, source in enumerate(sources):
        copy = tmp_path / f"{index:03d}.docx"
        shutil.copyfile(source, copy)
        copies.append(copy)
    exports = libreoffice_convert_many(soffice, copies, "txt:Text (encoded):UTF8", tmp_path / "txt")
    mismatched = []
    for source, copy, export in zip(sources, copies, exports):
        raw = read_docx(copy)
        ours = _comparable_lines("\n".join(
            b.text for b in raw.blocks if b.location.part not in ("header", "footer", "textbox")
        ))
        theirs = _comparable_lines(export.read_text(encoding="utf-8-sig"))
        matcher = difflib.SequenceMatcher(None, ours, theirs, autojunk=False)
        # a floating table becomes a frame in LibreOffice, which its text export leaves out (a "Dự thảo" box)
        lost = [line for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
                for line in ours[i1:i2] + theirs[j1:j2]]
        if matcher.ratio() < 0.99 and not all(len(line) <= 12 for line in lost):
            mismatched.append((source.name, round(matcher.ratio(), 3), lost[:4]))
    assert not mismatched, mismatched
