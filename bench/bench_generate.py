"""Benchmark: reminder letters (don-doc) per second through vanban, against plain docxtpl.

    python bench/bench_generate.py [N] [JOBS]     (default N = 1000, JOBS = the CPU count)

The baseline renders the same template with the same context through plain
docxtpl (default Jinja environment, a DocxTemplate per letter as its README
shows, no validation, no temp-file/rename), one letter after the other, in the
same run, so the ratios are independent of the machine. vanban renders the
batch as ``vanban generate --data records.yaml`` does (:func:`render_many`:
validation, the compiled template, temp file and rename) with one process
and with JOBS processes, as drafts and with register numbers (``number:
auto``, taken in order in the main process).

Reported per run: letters per second (wall clock: the point of JOBS), the CPU
time per letter of the main process and its workers together, and the peak
memory: Python allocations of the main process (tracemalloc, 100 letters) and
the peak RSS of the main process and of the largest worker.
"""

from __future__ import annotations

import datetime as dt
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from docxtpl import DocxTemplate

from vanban.config import read_data_file
from vanban.generate import build_context, load_office, render_many, template_path
from vanban.generate.filters import FILTERS

REPO = Path(__file__).resolve().parent.parent
OFFICE_DIR = REPO / "fixtures" / "office"


def records(n: int, number: str = "") -> list[dict]:
    base = read_data_file(OFFICE_DIR / "don-doc.yaml")
    return [dict(base, unit_name=f"Sở số {i}", recipients=[f"Sở số {i}"], number=number) for i in range(n)]


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers, counted once they have exited
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed(fn) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), cpu_seconds()
    fn()
    return time.perf_counter() - wall, cpu_seconds() - cpu


def run_vanban(data: list[dict], out: Path, office, jobs: int) -> None:
    render_many("don-doc", data, out, office=office, db_path=out / "db.sqlite3", force=True, jobs=jobs)


def run_plain_docxtpl(data: list[dict], out: Path, office) -> None:
    import jinja2

    template = str(template_path("don-doc"))
    env = jinja2.Environment()
    env.filters.update(FILTERS)
    out.mkdir(parents=True, exist_ok=True)
    for i, record in enumerate(data):
        context = build_context("don-doc", record, office, number=None, date=dt.date(2026, 1, 5))
        tpl = DocxTemplate(template)
        tpl.render(context, env)
        tpl.save(str(out / f"p{i}.docx"))


def peak_memory(fn) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> int:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
    jobs = int(sys.argv[2]) if len(sys.argv) > 2 else (os.cpu_count() or 1)
    office = load_office(OFFICE_DIR / "vanban.yaml")
    drafts, numbered = records(n), records(n, "auto")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        run_vanban(drafts[:5], out / "warm", office, 1)  # schemas, the compiled template
        base_wall, base_cpu = timed(lambda: run_plain_docxtpl(drafts, out / "plain", office))
        rows.append(("plain docxtpl (baseline)", base_wall, base_cpu))
        for label, data, j in (("vanban, drafts, jobs=1", drafts, 1), (f"vanban, drafts, jobs={jobs}", drafts, jobs),
                               ("vanban, register, jobs=1", numbered, 1),
                               (f"vanban, register, jobs={jobs}", numbered, jobs)):
            wall, cpu = timed(lambda: run_vanban(data, out / label.replace(" ", "").replace(",", "-"), office, j))
            rows.append((label, wall, cpu))
        small = drafts[:100]
        mem_plain = peak_memory(lambda: run_plain_docxtpl(small, out / "mem-plain", office))
        mem_one = peak_memory(lambda: run_vanban(records(100, "auto"), out / "mem-one", office, 1))
        mem_many = peak_memory(lambda: run_vanban(records(100, "auto"), out / "mem-many", office, jobs))
    rss_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss_worker = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"letters: {n}; jobs: {jobs}; CPUs: {os.cpu_count()}; load average: {os.getloadavg()[0]:.1f}")
    print(f"{'run':30} {'letters/s':>10} {'× baseline':>11} {'CPU ms/letter':>14} {'× baseline CPU':>15}")
    for label, wall, cpu in rows:
        print(f"{label:30} {n / wall:10.1f} {base_wall / wall:10.2f}× {1000 * cpu / n:14.2f} "
              f"{base_cpu / cpu:14.2f}×")
    print(f"peak Python memory of the main process, 100 letters: baseline {mem_plain:.1f} MiB, "
          f"vanban jobs=1 {mem_one:.1f} MiB, jobs={jobs} {mem_many:.1f} MiB")
    print(f"peak RSS: main process {rss_self:.0f} MiB, largest worker {rss_worker:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
