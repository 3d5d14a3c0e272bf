"""Reader speed on the real corpus, each format against a baseline measured in the same run.

    VANBAN_REALDOCS=../shared/realdocs python bench/bench_read.py

- .docx: vanban's reader against the raw-XML floor (unzip word/document.xml,
  iterate w:t);
- .doc/.rtf: the first pass (LibreOffice) against the second (conversion cache);
- .pdf: read_pdf against pypdf's plain ``extract_text`` of every page. read_pdf
  does more: positioned lines, widget text, and pyHanko's signature checks
  (digest and the difference analysis of every later revision), printed
  separately.

The printed ratios do not depend on the machine. Peak memory is the
tracemalloc peak while reading all files of a format once.
"""

from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from pypdf import PdfReader

from vanban.read import docx as docx_reader
from vanban.read import read_file, read_many
from vanban.read.docx import iter_docx_xml_text, read_docx
from vanban.read.pdf import read_pdf
from vanban.read.pdf_signatures import read_signatures


def _best_of(runs: int, fn) -> float:
    """The least CPU time of ``runs`` runs (the machine may be shared: others only add time)."""
    best = float("inf")
    for _ in range(runs):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _peak_bytes(read, paths) -> int:
    tracemalloc.start()
    for path in paths:
        read(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def _pypdf_text(paths: list[Path]) -> int:
    return sum(len(page.extract_text() or "") for path in paths for page in PdfReader(path).pages)


def _opened(paths: list[Path]) -> list:
    """Each file's bytes with a pypdf reader on them, as read_pdf hands them to read_signatures."""
    opened = []
    for path in paths:
        data = path.read_bytes()
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            reader.decrypt("")
        opened.append((data, reader))
    return opened


def _signatures_only(opened: list) -> int:
    return sum(len(read_signatures(io.BytesIO(data), {}, len(data), encrypted=reader.is_encrypted,
                                   reader=reader)[0]) for data, reader in opened)


def bench_pdf(corpus: Path) -> None:
    paths = sorted(corpus.rglob("*.pdf"))
    if not paths:
        print(".pdf: không có tệp PDF trong bộ văn bản")
        return
    read_pdf(paths[0])  # imports (pyHanko is slow to import) outside the timing
    pages = sum(len(PdfReader(p).pages) for p in paths)
    baseline = _best_of(3, lambda: _pypdf_text(paths))
    full = _best_of(3, lambda: [read_pdf(p) for p in paths])
    opened = _opened(paths)
    signatures = _best_of(3, lambda: _signatures_only(opened))
    peak = _peak_bytes(read_pdf, paths)
    print(f".pdf: {len(paths)} tệp, {pages} trang; pypdf extract_text {baseline:.3f} s; "
          f"read_pdf {full:.3f} s (tỉ lệ {full / baseline:.1f}×), trong đó chữ ký số {signatures:.3f} s "
          f"({signatures / baseline:.1f}×); bộ nhớ đỉnh {peak / 1e6:.1f} MB")


def main() -> int:
    corpus = Path(os.environ.get("VANBAN_REALDOCS", ""))
    if not corpus.is_dir():
        print("Đặt VANBAN_REALDOCS trỏ tới thư mục bộ văn bản thật", file=sys.stderr)
        return 2
    docx_files = sorted(corpus.rglob("*.docx"))
    floor = _best_of(3, lambda: [sum(len(t) for t in iter_docx_xml_text(p)) for p in docx_files])
    reader = _best_of(3, lambda: [read_docx(p) for p in docx_files])
    guarded = _best_of(3, lambda: [read_file(p) for p in docx_files])

    def cold():  # styles and theme read again for every file (read.docx._derived forgets them)
        for p in docx_files:
            getattr(docx_reader, "_DERIVED", {}).clear()
            read_docx(p)

    cold_reader = _best_of(3, cold)
    peak = _peak_bytes(read_docx, docx_files)
    print(f".docx: {len(docx_files)} tệp; sàn XML {floor:.3f} s CPU; read_docx {reader:.3f} s = {reader / floor:.2f}× sàn "
          f"(không nhớ styles {cold_reader / floor:.2f}×); read_file (thêm nhận dạng định dạng) {guarded:.3f} s "
          f"= {guarded / floor:.2f}×; bộ nhớ đỉnh {peak / 1e6:.1f} MB")

    doc_files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".doc", ".rtf"))
    # A fresh cache so the first pass really runs LibreOffice.
    cache = tempfile.mkdtemp(prefix="vanban-bench-cache-")
    os.environ["VANBAN_CACHE_DIR"] = cache
    start = time.perf_counter()
    failures = sum(1 for _, r in read_many(doc_files) if not hasattr(r, "blocks"))
    first = time.perf_counter() - start
    start = time.perf_counter()
    list(read_many(doc_files))
    cached = time.perf_counter() - start
    print(f".doc/.rtf: {len(doc_files)} tệp ({failures} lỗi); lần đầu {first:.1f} s (LibreOffice); "
          f"lần hai {cached:.2f} s (bộ đệm), tỉ lệ {first / max(cached, 1e-9):.0f}×")
    shutil.rmtree(cache, ignore_errors=True)
    bench_pdf(corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
