"""PDF reader speed on the real corpus, against pypdf's plain text extraction.

    VANBAN_REALDOCS=/work/shared/realdocs python bench/bench_read_pdf.py

The baseline (``PdfReader(path).pages[i].extract_text()`` for every page) is
measured in the same run, so the printed ratios do not depend on the machine.
read_pdf does more: positioned lines, widget text, and pyHanko's signature
checks (digest and the difference analysis of every later revision), which is
printed separately. Peak memory is the tracemalloc peak while reading all
files once.
"""

from __future__ import annotations

import io
import os
import sys
import time
import tracemalloc
from pathlib import Path

from pypdf import PdfReader

from vanban.read.pdf import read_pdf
from vanban.read.pdf_signatures import read_signatures


def _best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def _baseline(paths: list[Path]) -> int:
    return sum(len(page.extract_text() or "") for path in paths for page in PdfReader(path).pages)


def _signatures_only(paths: list[Path]) -> int:
    count = 0
    for path in paths:
        data = path.read_bytes()
        count += len(read_signatures(io.BytesIO(data), {}, len(data))[0])
    return count


def main() -> int:
    corpus = Path(os.environ.get("VANBAN_REALDOCS", ""))
    if not corpus.is_dir():
        print("Đặt VANBAN_REALDOCS trỏ tới thư mục bộ văn bản thật", file=sys.stderr)
        return 2
    paths = sorted(corpus.rglob("*.pdf"))
    if not paths:
        print("Không có tệp PDF trong bộ văn bản", file=sys.stderr)
        return 2
    read_pdf(paths[0])  # imports (pyHanko is slow to import) outside the timing
    pages = sum(len(PdfReader(p).pages) for p in paths)
    baseline = _best_of(3, lambda: _baseline(paths))
    full = _best_of(3, lambda: [read_pdf(p) for p in paths])
    signatures = _best_of(3, lambda: _signatures_only(paths))
    tracemalloc.start()
    for path in paths:
        read_pdf(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f".pdf: {len(paths)} tệp, {pages} trang; pypdf extract_text {baseline:.3f} s; "
          f"read_pdf {full:.3f} s (tỉ lệ {full / baseline:.1f}×), trong đó chữ ký số {signatures:.3f} s "
          f"({signatures / baseline:.1f}×); bộ nhớ đỉnh {peak / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
