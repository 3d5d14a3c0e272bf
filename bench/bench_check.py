"""Benchmark of `vanban check` on a batch (not run by pytest).

    python bench/bench_check.py [--dossiers 100] [--jobs 2]

Copies the sample dossiers of fixtures/dossiers (built by
fixtures/build_dossiers.py) N and 4N times into a temp dir and runs
`vanban check BATCH --format json -o … --summary ….csv --html …` on each, every
run in a process of its own, so that its peak memory is its own:

- memory: the peak RSS of the main process (not its workers) for N and 4N
  dossiers, streamed (the command as it is) and kept in a list (the reports
  rendered at the end from `check_many`, as the command did before): streamed,
  the peak must not grow with the batch (within a small margin);
- throughput: --jobs 1 against --jobs J on the 4N batch, CPU time per dossier
  (main process and workers; does not depend on what else runs) and wall time,
  with the load of the machine, as ratios measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "fixtures"))

RSS_MARGIN = 1.10  # streamed: the 4N peak within 10 % of the N peak


def make_batch(root: Path, count: int, samples: Path) -> Path:
    sources = sorted(samples.iterdir())
    batch = root / f"batch-{count}"
    batch.mkdir()
    for i in range(count):
        src = sources[i % len(sources)]
        dst = batch / f"{i:05d} {src.name}"
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)
    return batch


def _cpu(who) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def child(mode: str, batch: str, jobs: int, out: str) -> None:
    """One run in this process; prints its figures as one JSON line."""
    out_dir = Path(out)
    start = time.perf_counter()
    if mode == "stream":
        from vanban.cli import main

        try:
            main(["check", batch, "--jobs", str(jobs), "--format", "json", "-o", str(out_dir / "report.json"),
                  "--summary", str(out_dir / "summary.csv"), "--html", str(out_dir / "html")],
                 prog_name="vanban", standalone_mode=False)
            code = 0
        except SystemExit as exc:
            code = exc.code
    else:  # what the command did before: every result in a list, the reports rendered from it at the end
        from vanban.check.engine import CheckSettings, check_many, discover
        from vanban.check.report import to_json, write_atomic, write_html, write_summary

        results = check_many(discover([batch]), CheckSettings(), jobs=jobs)
        write_atomic(out_dir / "report.json", to_json(results))
        write_summary(results, out_dir / "summary.csv")
        write_html(results, out_dir / "html")
        code = 0
    wall = time.perf_counter() - start
    figures = {"code": code, "wall": wall, "cpu_main": _cpu(resource.RUSAGE_SELF),
               "cpu_workers": _cpu(resource.RUSAGE_CHILDREN),
               "rss_main_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # KiB on Linux
    # taken before the report is read back here (reading it whole would be the peak)
    with open(out_dir / "report.json", "rb") as report:
        report.seek(max(0, os.fstat(report.fileno()).st_size - 4096))  # the summary is at the end
        tail = report.read().decode("utf-8", "ignore")
    figures["summary"] = json.loads(tail[tail.rindex('"summary": ') + len('"summary": '):].rstrip().rstrip("}"))
    print(json.dumps(figures))


def run(mode: str, batch: Path, jobs: int, root: Path) -> dict:
    out = Path(tempfile.mkdtemp(prefix=f"out-{mode}-{jobs}-", dir=root))
    load = os.getloadavg()[0]
    done = subprocess.run([sys.executable, __file__, "--child", mode, str(batch), str(jobs), str(out)],
                          capture_output=True, text=True, env=dict(os.environ, VANBAN_OCR="off"))
    if done.returncode != 0:
        raise SystemExit(f"{mode} jobs={jobs}: {done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["load"] = load
    shutil.rmtree(out)
    return figures


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=100, help="N (the large batch has 4N)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--child", nargs=4, metavar=("MODE", "BATCH", "JOBS", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        mode, batch, jobs, out = args.child
        child(mode, batch, int(jobs), out)
        return 0
    import build_dossiers as bd

    n, jobs = args.dossiers, args.jobs
    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as tmp:
        root = Path(tmp)
        bd.build_all(root / "_samples", force=True)
        small, large = make_batch(root, n, root / "_samples"), make_batch(root, 4 * n, root / "_samples")
        print(f"bộ nhớ đỉnh của tiến trình chính, --jobs {jobs} (lô {n} và {4 * n} hồ sơ):")
        peaks = {}
        for mode in ("stream", "list"):
            a, b = run(mode, small, jobs, root), run(mode, large, jobs, root)
            assert b["summary"]["dossiers"] == 4 * n and a["summary"]["dossiers"] == n
            peaks[mode] = (a["rss_main_mb"], b["rss_main_mb"])
            label = "ghi dần (lệnh hiện nay)" if mode == "stream" else "giữ cả danh sách (trước đây)"
            print(f"  {label}: {a['rss_main_mb']:.1f} MB → {b['rss_main_mb']:.1f} MB "
                  f"(×{b['rss_main_mb'] / a['rss_main_mb']:.3f}; {(b['rss_main_mb'] - a['rss_main_mb']) / (3 * n) * 1024:.1f} KB "
                  f"mỗi hồ sơ thêm); lô {4 * n}: {(b['cpu_main'] + b['cpu_workers']) / (4 * n) * 1000:.0f} ms CPU "
                  f"mỗi hồ sơ, {b['cpu_main'] / (4 * n) * 1000:.1f} ms ở tiến trình chính")
        print(f"lô {4 * n} hồ sơ, --jobs 1 và --jobs {jobs} (ghi dần):")
        n *= 4
        one, par = run("stream", large, 1, root), run("stream", large, jobs, root)
        assert one["summary"] == par["summary"], "kết quả song song khác tuần tự"
        for f, j in ((one, 1), (par, jobs)):
            cpu = f["cpu_main"] + f["cpu_workers"]
            print(f"  jobs={j}: {n / f['wall']:.2f} hồ sơ/s thực; {cpu / n * 1000:.0f} ms CPU mỗi hồ sơ "
                  f"(chính {f['cpu_main'] / n * 1000:.0f}); CPU/thời gian thực {cpu / f['wall']:.2f}; "
                  f"tải máy lúc bắt đầu {f['load']:.1f} trên {os.cpu_count()} lõi")
        cpu_one = one["cpu_main"] + one["cpu_workers"]
        cpu_par = par["cpu_main"] + par["cpu_workers"]
        print(f"  tăng tốc thời gian thực jobs={jobs}/jobs=1: {one['wall'] / par['wall']:.2f}; "
              f"CPU mỗi hồ sơ jobs={jobs}/jobs=1: {cpu_par / cpu_one:.2f} (1.00 = song song không tốn thêm; "
              f"thêm {cpu_par - cpu_one:.1f} s CPU, phần lớn là khởi động {jobs} tiến trình con)")
        print(f"  kết quả: {one['summary']}")
    small_peak, large_peak = peaks["stream"]
    flat = large_peak <= small_peak * RSS_MARGIN
    print(f"bộ nhớ ghi dần {'phẳng' if flat else 'TĂNG'}: {large_peak:.1f} MB ≤ {small_peak:.1f} MB × {RSS_MARGIN}"
          if flat else f"bộ nhớ ghi dần TĂNG: {large_peak:.1f} MB > {small_peak:.1f} MB × {RSS_MARGIN}")
    return 0 if flat else 1


if __name__ == "__main__":
    sys.exit(main())
