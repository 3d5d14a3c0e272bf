"""Benchmark: load a large task register and produce the yearly report.

    python bench/bench_tasks.py [N] [--docx]        (default N = 100000)

A register of N tasks (the sample generator: 22 units, Vietnamese texts) is
written once as .xlsx and .csv. Each step then runs in its own child process,
so its time is not slowed by tracing and its peak memory is the child's max
RSS; the baseline runs the same way in the same run, so the ratios do not
depend on the machine:

* baseline: a plain pass over the same file that touches every cell
  (openpyxl read-only ``iter_rows`` for .xlsx, ``csv.reader`` for .csv);
* vanban load: ``load_register`` (header mapping, dates, schema check of every
  row, secrecy, stable ids);
* vanban yearly report: load (csv) + statuses in working days + counts per unit
  and status + the formatted report .xlsx (and, with ``--docx``, the chart and
  the .docx through the generator; a 100,000-row Word table is slow to build
  and to open, so it is optional).
* idle: the interpreter with the modules imported, to read memory above it.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _rss_mib() -> float:
    """Peak RSS of this process: VmHWM (reset by exec, unlike ru_maxrss, which a child
    inherits from the parent it was forked from)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def step(name: str, path: Path, out: Path) -> dict:
    """Run one step in this (child) process and return its measurements."""
    import openpyxl  # noqa: F401  (imported by every step, so "idle" carries the same modules)

    from vanban.calendar import WorkCalendar
    from vanban.tasks.period import parse_period
    from vanban.tasks.register import load_register
    from vanban.tasks.report import build_report, overdue_sentence

    info: dict = {}
    start = time.perf_counter()
    if name == "idle":
        pass
    elif name == "baseline":
        if path.suffix == ".xlsx":
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
            info["cells"] = sum(sum(v is not None for v in row) for row in wb.worksheets[0].iter_rows(values_only=True))
            wb.close()
        else:
            with open(path, encoding="utf-8-sig", newline="") as fh:
                info["cells"] = sum(sum(bool(v) for v in row) for row in csv.reader(fh, delimiter=";"))
    elif name == "load":
        load = load_register(path)
        info["tasks"] = len(load.tasks)
    elif name in ("report", "report-docx"):
        load = load_register(path)
        info["load_s"] = time.perf_counter() - start
        calendar = WorkCalendar()
        period = parse_period("2026")
        t = time.perf_counter()
        report = build_report(load.tasks, period, calendar)
        info["counts_s"] = time.perf_counter() - t
        info["overall"] = overdue_sentence(report.overall)
        t = time.perf_counter()
        from vanban.tasks.xlsx import write_report_xlsx

        write_report_xlsx(report, out / "bc.xlsx", title="BÁO CÁO NHIỆM VỤ, CÔNG VIỆC NĂM 2026", force=True)
        info["xlsx_s"] = time.perf_counter() - t
        # baseline for the writer: the same table, values only, openpyxl write-only without styles
        t = time.perf_counter()
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("plain")
        for st in report.statuses:
            task = st.task
            ws.append([task.symbol, task.issued, task.summary, task.content, st.effective_deadline, task.result,
                       task.completed, st.category.label, None])
        wb.save(out / "plain.xlsx")
        info["plain_xlsx_s"] = time.perf_counter() - t
        if name == "report-docx":
            from vanban.generate import load_office
            from vanban.tasks.outputs import write_report
            from vanban.tasks.settings import TasksConfig

            t = time.perf_counter()
            write_report(load.tasks, period, out / "docx", calendar=calendar, config=TasksConfig(),
                         office=load_office(None), db_path=out / "db.sqlite3", force=True)
            info["docx_s"] = time.perf_counter() - t
    info["seconds"] = time.perf_counter() - start - info.get("plain_xlsx_s", 0.0)  # the baseline is not ours
    info["rss_mib"] = _rss_mib()
    return info


def run_child(name: str, path: Path, out: Path) -> dict:
    result = subprocess.run([sys.executable, __file__, "--step", name, str(path), str(out)],
                            capture_output=True, text=True, check=False)
    if result.returncode:
        raise SystemExit(f"step {name} failed:\n{result.stderr}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--docx", action="store_true", help="also render the yearly report .docx")
    parser.add_argument("--step", nargs=3, metavar=("NAME", "PATH", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.step:
        name, path, out = args.step
        print(json.dumps(step(name, Path(path), Path(out)), ensure_ascii=False))
        return 0

    from vanban.tasks.sample import generate_rows, write_csv, write_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        t0 = time.perf_counter()
        rows = generate_rows(args.n, special_rows=False)
        xlsx, csv_path = write_xlsx(rows, out / "reg.xlsx"), write_csv(rows, out / "reg.csv")
        del rows
        print(f"register of {args.n:,} tasks written in {time.perf_counter() - t0:.1f} s "
              f"(xlsx {xlsx.stat().st_size / 2**20:.1f} MiB, csv {csv_path.stat().st_size / 2**20:.1f} MiB)")
        idle = run_child("idle", csv_path, out)["rss_mib"]
        print(f"idle interpreter with modules: {idle:.0f} MiB RSS\n")
        print(f"{'step':38} {'seconds':>8} {'peak RSS':>9} {'above idle':>11} {'× baseline':>11}")
        rows_out = []
        for label, path in (("xlsx", xlsx), ("csv", csv_path)):
            base = run_child("baseline", path, out)
            load = run_child("load", path, out)
            rows_out += [(f"baseline pass {label}", base, base), (f"load_register {label}", load, base)]
        csv_base = rows_out[2][1]
        report = run_child("report-docx" if args.docx else "report", csv_path, out)
        rows_out.append(("yearly report from csv (counts + xlsx" + (" + docx)" if args.docx else ")"), report,
                         csv_base))
        for label, info, base in rows_out:
            print(f"{label:38} {info['seconds']:8.2f} {info['rss_mib']:7.0f} M {info['rss_mib'] - idle:9.0f} M "
                  f"{info['seconds'] / base['seconds']:11.2f}")
        parts = ", ".join(f"{k[:-2]} {v:.2f} s" for k, v in report.items() if k.endswith("_s")
                          and k != "plain_xlsx_s")
        print(f"\nyearly report split: {parts}")
        print(f"formatted report .xlsx: {report['xlsx_s']:.2f} s = {report['xlsx_s'] / report['plain_xlsx_s']:.2f} × "
              f"a plain unstyled openpyxl write of the same rows ({report['plain_xlsx_s']:.2f} s)")
        print(f"overall: {report['overall']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
