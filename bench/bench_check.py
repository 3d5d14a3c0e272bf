"""Benchmark of `vanban check` on a batch (not run by pytest).

    python bench/bench_check.py [--dossiers 1000] [--jobs 2]

Copies the sample dossiers of fixtures/dossiers (built by
fixtures/build_dossiers.py) N times into a temp dir, checks them with jobs=1
and jobs=J, and prints dossiers/s, the scaling ratio (measured in the same run,
so no absolute threshold) and the peak memory of this process and its workers.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "fixtures"))


def make_batch(root: Path, count: int) -> list[Path]:
    import build_dossiers as bd

    samples = root / "_samples"
    bd.build_all(samples, force=True)
    sources = sorted(samples.iterdir())
    batch = root / "batch"
    batch.mkdir()
    out = []
    for i in range(count):
        src = sources[i % len(sources)]
        dst = batch / f"{i:05d} {src.name}"
        if src.is_dir():
            shutil.copytree(src, dst)
        else:
            shutil.copyfile(src, dst)
        out.append(dst)
    return out


def peak_mb(who) -> float:
    # ru_maxrss is in KiB on Linux
    return resource.getrusage(who).ru_maxrss / 1024


def cpu_seconds() -> float:
    total = 0.0
    for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN):
        usage = resource.getrusage(who)
        total += usage.ru_utime + usage.ru_stime
    return total


def run(paths, jobs: int) -> tuple[float, dict]:
    from vanban.check.engine import CheckSettings, check_many

    start, cpu_start = time.perf_counter(), cpu_seconds()
    results = check_many(paths, CheckSettings(), jobs=jobs)
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds() - cpu_start
    # CPU time does not depend on what else runs on the machine; wall time does
    print(f"  jobs={jobs}: {cpu / len(paths) * 1000:.0f} ms CPU mỗi hồ sơ; CPU/thời gian thực = {cpu / elapsed:.2f} "
          f"(gần {jobs} khi máy rảnh; thấp hơn nghĩa là các tiến trình khác đang chiếm CPU)")
    outcomes: dict[str, int] = {}
    for r in results:
        outcomes[r.decision.label] = outcomes.get(r.decision.label, 0) + 1
    return elapsed, outcomes


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dossiers", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="vanban-bench-") as tmp:
        paths = make_batch(Path(tmp), args.dossiers)
        base, outcomes = run(paths, 1)
        print(f"jobs=1: {len(paths)} hồ sơ trong {base:.1f} s = {len(paths) / base:.1f} hồ sơ/s; {outcomes}")
        par, outcomes_par = run(paths, args.jobs)
        print(f"jobs={args.jobs}: {len(paths)} hồ sơ trong {par:.1f} s = {len(paths) / par:.1f} hồ sơ/s; {outcomes_par}")
        print(f"tỉ lệ tăng tốc jobs={args.jobs}/jobs=1: {base / par:.2f}")
        assert outcomes == outcomes_par, "kết quả song song khác tuần tự"
    print(f"bộ nhớ đỉnh: tiến trình chính {peak_mb(resource.RUSAGE_SELF):.0f} MB, "
          f"tiến trình con (lớn nhất) {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
