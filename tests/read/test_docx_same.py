"""The .docx reader's speed-ups keep what it reads.

- the reader remembers the styles and theme of a content it has seen (``_derived``): a document read
  with that memory gives the same RawDocument as read with it empty, and as read after another
  document with the same styles;
- the paragraph, run and element limits are enforced by ``read_docx`` itself, from the main part's
  bytes before its tree is built; bounds are only a shortcut: a document just under them reads;
- the fixtures read as they were frozen (a digest of ``dataclasses.asdict``; on a difference,
  ``python bench/docx_same.py`` shows which fields changed).

The whole corpus is compared before and after a change with ``bench/docx_same.py`` (outside the
repository: the corpus is not ours to copy).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path

import io
import zipfile

import pytest

from vanban.errors import LimitError
from vanban.read import docx as docx_reader
from vanban.read.docx import MAX_DOCX_PARAGRAPHS, check_counts, read_docx

REPO = Path(__file__).resolve().parents[2]
FIXTURES = sorted((REPO / "fixtures").rglob("*.docx"))
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _docx_with_body(body: str) -> bytes:
    """A package of only a main part whose w:body is ``body`` (the reader finds word/document.xml)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>')
    return buf.getvalue()


def _digest(path: Path) -> str:
    data = dataclasses.asdict(read_docx(path))
    data.pop("path")
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True, default=repr).encode()).hexdigest()[:16]


# Frozen before the reader's speed-ups (issue 15): file name → digest of what read_docx gives.
FROZEN = {
    "dossiers/01 Hồ sơ đầy đủ - Tờ trình 05 SNV/Công văn góp ý của Sở Tài chính.docx":
        "8a41c3db5639c519",
    "dossiers/01 Hồ sơ đầy đủ - Tờ trình 05 SNV/Dự thảo Kế hoạch tuyên truyền CCHC 2026.docx":
        "e3d831635561dac5",
    "dossiers/01 Hồ sơ đầy đủ - Tờ trình 05 SNV/Tờ trình ban hành Kế hoạch tuyên truyền CCHC 2026.docx":
        "a86a71c08d0a9d24",
    "dossiers/02 Thiếu dự thảo - Tờ trình 12 SNV/Tờ trình ban hành Kế hoạch tuyên truyền CCHC 2026.docx":
        "c1d3c09d38157da8",
    "dossiers/03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV/Dự thảo Kế hoạch tuyên truyền CCHC 2026.docx":
        "a501bc03b4ea38d4",
    "dossiers/03 Căn cứ hết hiệu lực, cấp phó ký - Tờ trình 15 SNV/Tờ trình ban hành Kế hoạch tuyên truyền CCHC 2026.docx":
        "a0e85cfa3815bc13",
}


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.parent.name[:2] + "/" + p.name)
def test_fixture_reads_as_frozen(path):
    assert FROZEN, "FROZEN is empty"
    assert _digest(path) == FROZEN[path.relative_to(REPO / "fixtures").as_posix()], "run: python bench/docx_same.py to see what changed"


@pytest.mark.parametrize("path", FIXTURES + sorted((REPO / "templates").glob("*.docx")), ids=lambda p: p.name)
def test_remembered_styles_read_the_same(path):
    docx_reader._DERIVED.clear()
    cold = read_docx(path)
    warm = read_docx(path)
    assert warm == cold
    assert len(docx_reader._DERIVED) == 1  # the styles were remembered, and used by the second read
    docx_reader._DERIVED.clear()
    assert read_docx(path) == cold


def test_limits_are_the_readers_own(tmp_path):
    empty = tmp_path / "rong.docx"
    empty.write_bytes(_docx_with_body("<w:p/>" * (MAX_DOCX_PARAGRAPHS + 1)))
    with pytest.raises(LimitError, match="quá nhiều đoạn"):
        read_docx(empty)
    runs = tmp_path / "runs.docx"
    runs.write_bytes(_docx_with_body("<w:p>" + "<w:r><w:t>a</w:t></w:r>" * 200_001 + "</w:p>"))
    with pytest.raises(LimitError, match="quá nhiều đoạn"):
        read_docx(runs)
    # More elements than the first bound, few paragraphs and runs: read.
    many = tmp_path / "nhieu.docx"
    many.write_bytes(_docx_with_body("<w:p><w:r><w:t>a</w:t></w:r></w:p><w:proofErr/>" * 40_000))
    assert len(read_docx(many).blocks) == 40_000


def test_bounds_count_any_prefix():
    # The byte bounds count start tags whatever their prefix: a w:p written with another prefix
    # (or none) is still counted, so the shortcut never lets a document over the limits through.
    body = "<x:p/>" * (MAX_DOCX_PARAGRAPHS + 1)
    raw = f'<x:document xmlns:x="{W_NS}"><x:body>{body}</x:body></x:document>'.encode()
    with pytest.raises(LimitError):
        check_counts(raw, Path("x.docx"))
    plain = (f'<document xmlns="{W_NS}"><body>' + "<p\t/>" * (MAX_DOCX_PARAGRAPHS + 1) + "</body></document>").encode()
    with pytest.raises(LimitError):
        check_counts(plain, Path("x.docx"))
    check_counts(plain.replace(b"<p\t/>", b"", 1), Path("x.docx"))
