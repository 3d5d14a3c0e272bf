"""Reader speed on the real corpus: vanban's .docx reader against a raw-XML floor.

    VANBAN_REALDOCS=/work/shared/realdocs python bench/bench_read.py

The floor (unzip word/document.xml, iterate w:t) is measured in the same run,
so the printed ratio does not depend on the machine. Peak memory is the
tracemalloc peak while reading all files once.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from vanban.read import read_many
from vanban.read.docx import iter_docx_xml_text, read_docx


def _best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    corpus = Path(os.environ.get("VANBAN_REALDOCS", ""))
    if not corpus.is_dir():
        print("Đặt VANBAN_REALDOCS trỏ tới thư mục bộ văn bản thật", file=sys.stderr)
        return 2
    docx_files = sorted(corpus.rglob("*.docx"))
    floor = _best_of(3, lambda: [sum(len(t) for t in iter_docx_xml_text(p)) for p in docx_files])
    reader = _best_of(3, lambda: [read_docx(p) for p in docx_files])
    tracemalloc.start()
    for path in docx_files:
        read_docx(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f".docx: {len(docx_files)} tệp; sàn XML {floor:.3f} s; read_docx {reader:.3f} s; "
          f"tỉ lệ {reader / floor:.1f}×; bộ nhớ đỉnh {peak / 1e6:.1f} MB")

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
    return 0


if __name__ == "__main__":
    sys.exit(main())
