"""Benchmark: reminder letters (don-doc) per second through vanban, against plain docxtpl.

    python bench/bench_generate.py [N]        (default N = 1000)

The baseline renders the same template with the same context through plain
docxtpl (default Jinja environment, no validation, no temp-file/rename), in the
same run, so the ratio is independent of the machine. Also reported: the run
with register numbers (``number: auto``, one SQLite transaction per letter)
and the peak Python memory (tracemalloc) for a batch of 100 letters.
"""

from __future__ import annotations

import datetime as dt
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from docxtpl import DocxTemplate

from vanban.config import read_data_file
from vanban.generate import build_context, load_office, render_document, template_path
from vanban.generate.filters import FILTERS

REPO = Path(__file__).resolve().parent.parent
OFFICE_DIR = REPO / "fixtures" / "office"


def records(n: int) -> list[dict]:
    base = read_data_file(OFFICE_DIR / "don-doc.yaml")
    return [dict(base, unit_name=f"Sở số {i}", recipients=[f"Sở số {i}"], number="") for i in range(n)]


def run_vanban(data: list[dict], out: Path, office, *, auto: bool) -> float:
    start = time.perf_counter()
    for i, record in enumerate(data):
        if auto:
            record = dict(record, number="auto")
        render_document("don-doc", record, out / f"v{i}.docx", office=office, db_path=out / "db.sqlite3", force=True)
    return time.perf_counter() - start


def run_plain_docxtpl(data: list[dict], out: Path, office) -> float:
    import jinja2

    template = str(template_path("don-doc"))
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    start = time.perf_counter()
    for i, record in enumerate(data):
        context = build_context("don-doc", record, office, number=None, date=dt.date(2026, 1, 5))
        tpl = DocxTemplate(template)
        tpl.render(context, env)
        tpl.save(str(out / f"p{i}.docx"))
    return time.perf_counter() - start


def peak_memory(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    office = load_office(OFFICE_DIR / "vanban.yaml")
    data = records(n)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run_vanban(data[:5], out, office, auto=False)  # warm caches (schemas, templates)
        baseline = run_plain_docxtpl(data, out, office)
        ours = run_vanban(data, out, office, auto=False)
        numbered = run_vanban(data, out, office, auto=True)
        small = data[:100]
        mem_plain = peak_memory(lambda: run_plain_docxtpl(small, out, office))
        mem_ours = peak_memory(lambda: run_vanban(small, out, office, auto=True))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"letters: {n}")
    print(f"plain docxtpl (baseline): {n / baseline:8.1f} letters/s")
    print(f"vanban render_document:   {n / ours:8.1f} letters/s  speed {baseline / ours:.2f}× the baseline")
    print(f"vanban with register:     {n / numbered:8.1f} letters/s  speed {baseline / numbered:.2f}× the baseline")
    print(f"peak Python memory, 100 letters: baseline {mem_plain:.1f} MiB, vanban {mem_ours:.1f} MiB")
    print(f"peak RSS of the process: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
