"""`vanban check` on the real corpus: per file type against floors, per stage, --jobs 1 vs 2.

    VANBAN_REALDOCS=../shared/realdocs python bench/bench_real.py [--jobs 2] [--skip-jobs]

Everything is measured in one run, so the ratios do not depend on the machine:

- file types, every file of the corpus once (warm: imports and the language
  pipeline loaded before timing):
    .docx  vanban's reader against the raw-XML floor (unzip, iterate ``w:t``);
    .pdf   vanban's reader (text with positions, stamped numbers and dates,
           signatures) against ``pdftotext`` from poppler (C), and the share
           of the signature checks (pyHanko) in it;
    .doc   vanban's reading of all .doc/.rtf with an empty conversion cache
           (one LibreOffice start for the batch) against one plain
           ``soffice --convert-to docx`` of the same files;
- stages of ``check_many(jobs=1)`` over every dossier of ``dossiers/``:
  read (of which signatures), OCR, understand, rules (with collection and
  classification), reports (JSON and text of all results); OCR is off for
  these figures (``VANBAN_OCR=off``: OCR results are cached, so a timing with
  OCR measures the cache), conversions come from the cache filled above;
- ``--jobs 1`` against ``--jobs N`` over the same dossiers, CPU and wall time.

Peak memory is the resident-set high-water mark (``ru_maxrss``) of this
process after each part, and of the largest worker.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

os.environ["VANBAN_OCR"] = "off"


def rss_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024  # KiB on Linux


def cpu_seconds(children: bool = False) -> float:
    whos = (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) if children else (resource.RUSAGE_SELF,)
    return sum(resource.getrusage(w).ru_utime + resource.getrusage(w).ru_stime for w in whos)


class Clock:
    """Wall and CPU time of a block (CPU of this process and, if asked, of its children)."""

    def __init__(self, children: bool = False):
        self.children = children

    def __enter__(self):
        self.wall0, self.cpu0 = time.perf_counter(), cpu_seconds(self.children)
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self.wall0
        self.cpu = cpu_seconds(self.children) - self.cpu0


def corpus_files(corpus: Path, suffixes: tuple[str, ...]) -> list[Path]:
    return sorted(p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)


# --------------------------------------------------------------------------
# File types against their floors
# --------------------------------------------------------------------------

def bench_docx(corpus: Path) -> None:
    from vanban.read.docx import iter_docx_xml_text, read_docx

    paths = corpus_files(corpus, (".docx",))
    read_docx(paths[0])
    with Clock() as floor:
        for p in paths:
            sum(len(t) for t in iter_docx_xml_text(p))
    with Clock() as ours:
        for p in paths:
            read_docx(p)
    print(f".docx  {len(paths)} tệp: sàn XML thô {floor.cpu:.2f} s CPU; vanban {ours.cpu:.2f} s CPU "
          f"= {ours.cpu / floor.cpu:.1f}× sàn; RSS đỉnh {rss_mb():.0f} MB")


def bench_pdf(corpus: Path) -> None:
    from vanban.read.pdf import read_pdf

    paths = corpus_files(corpus, (".pdf",))
    pdftotext = shutil.which("pdftotext")
    read_pdf(paths[0])  # imports outside the timing
    pages = 0
    with Clock(children=True) as floor:
        for p in paths:
            if pdftotext:
                subprocess.run([pdftotext, "-q", "-layout", str(p), "-"], stdout=subprocess.DEVNULL, check=False)
    with Clock() as ours:
        for p in paths:
            pages += read_pdf(p).page_count
    from bench_read import _opened, _signatures_only  # bench/ is on the path when run as a script

    opened = _opened(paths)  # the structure is read by the reader anyway; only the signatures are timed
    with Clock() as signatures:
        _signatures_only(opened)
    floor_note = f"pdftotext (C) {floor.cpu:.2f} s CPU" if pdftotext else "không có pdftotext"
    ratio = f" = {ours.cpu / floor.cpu:.1f}× sàn" if pdftotext and floor.cpu else ""
    print(f".pdf   {len(paths)} tệp, {pages} trang: {floor_note}; vanban {ours.cpu:.2f} s CPU{ratio} "
          f"({ours.cpu / max(pages, 1) * 1000:.0f} ms/trang), trong đó chữ ký số {signatures.cpu:.2f} s; "
          f"RSS đỉnh {rss_mb():.0f} MB")


def bench_doc(corpus: Path, cache: Path) -> None:
    from vanban.read import read_many
    from vanban.read.convert import find_soffice

    paths = corpus_files(corpus, (".doc", ".rtf"))
    soffice = find_soffice()
    if not soffice or not paths:
        print(".doc   bỏ qua: không có LibreOffice hoặc không có tệp .doc/.rtf")
        return
    with tempfile.TemporaryDirectory(prefix="vanban-bench-lo-") as tmp:
        profile = Path(tmp) / "profile"
        with Clock(children=True) as floor:
            subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                            "--convert-to", "docx", "--outdir", str(Path(tmp) / "out"), *map(str, paths)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=1800, check=False)
    os.environ["VANBAN_CACHE_DIR"] = str(cache)
    with Clock(children=True) as first:
        failures = sum(1 for _, r in read_many(paths) if not hasattr(r, "blocks"))
    with Clock(children=True) as again:
        list(read_many(paths))
    print(f".doc   {len(paths)} tệp .doc/.rtf ({failures} lỗi): một lần soffice --convert-to {floor.wall:.1f} s; "
          f"vanban bộ đệm trống {first.wall:.1f} s = {first.wall / floor.wall:.2f}× sàn; "
          f"lần hai (bộ đệm) {again.wall:.2f} s; RSS đỉnh {rss_mb():.0f} MB")


# --------------------------------------------------------------------------
# Stages of a check
# --------------------------------------------------------------------------

def bench_stages(dossiers: list[Path]) -> list:
    """check_many(jobs=1), with the time of each stage taken by wrapping the functions it calls."""
    import vanban.check.engine as engine
    import vanban.read as read_module
    import vanban.read.pdf_signatures as signatures_module
    import vanban.understand as understand_module
    from vanban.check.report.json_report import to_json
    from vanban.check.report.text import to_text

    spent: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    originals = []

    def wrap(owner, name: str, stage: str) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def timed(*args, **kwargs):
            start = time.process_time()
            try:
                return original(*args, **kwargs)
            finally:
                spent[stage] += time.process_time() - start
                counts[stage] += 1

        setattr(owner, name, timed)

    wrap(read_module, "read_file", "read")
    wrap(read_module, "read_many", "read")  # the .doc/.rtf of a dossier, read up front (generator: see below)
    wrap(signatures_module, "read_signatures", "signatures")
    wrap(understand_module, "understand", "understand")
    wrap(engine.Checker, "judge", "rules")
    try:
        settings = engine.CheckSettings(ocr="off")
        engine.Checker(settings)  # profile, registry, pipeline loaded outside the timing
        understand_module.get_pipeline()
        with Clock() as total:
            results = engine.check_many(dossiers, settings, jobs=1)
        with Clock() as reports:
            to_json(results)
            to_text(results)
    finally:
        for owner, name, original in reversed(originals):
            setattr(owner, name, original)
    files = sum(len(r.files) for r in results)
    # read_many is a generator: its wrapper times only its creation, the reading happens in prefetching_reader
    read = total.cpu - spent["understand"] - spent["rules"]
    print(f"các bước, --jobs 1, OCR tắt, {len(dossiers)} hồ sơ ({len(results)} kết quả, {files} tệp): "
          f"tổng {total.cpu:.1f} s CPU ({total.cpu / len(results):.2f} s mỗi hồ sơ), thời gian thực {total.wall:.1f} s")
    print(f"  đọc và thu thập tệp {read:.1f} s ({read / total.cpu:.0%}), trong đó chữ ký số "
          f"{spent['signatures']:.1f} s ({spent['signatures'] / total.cpu:.0%})")
    print("  OCR 0 s (tắt cho phép đo này)")
    print(f"  phân tích (understand, spaCy) {spent['understand']:.1f} s ({spent['understand'] / total.cpu:.0%})")
    print(f"  quy tắc và kết luận {spent['rules']:.1f} s ({spent['rules'] / total.cpu:.0%})")
    print(f"  báo cáo JSON + văn bản {reports.cpu:.2f} s; RSS đỉnh {rss_mb():.0f} MB")
    return results


def bench_jobs(dossiers: list[Path], jobs: int) -> None:
    from vanban.check.engine import CheckSettings, check_many

    settings = CheckSettings(ocr="off")
    outcomes = []
    figures = []
    for n in (1, jobs):
        with Clock(children=True) as clock:
            results = check_many(dossiers, settings, jobs=n)
        outcomes.append([(r.name, r.decision.outcome) for r in results])
        figures.append(clock)
        print(f"--jobs {n}: {clock.wall:.1f} s thực, {clock.cpu:.1f} s CPU, "
              f"{len(dossiers) / clock.wall:.2f} hồ sơ/s; CPU/thực {clock.cpu / clock.wall:.2f}")
    load = os.getloadavg()[0]
    print(f"tăng tốc --jobs {jobs}/--jobs 1: {figures[0].wall / figures[1].wall:.2f}× (tải máy {load:.1f} "
          f"trên {os.cpu_count()} lõi); RSS đỉnh tiến trình con lớn nhất {rss_mb(resource.RUSAGE_CHILDREN):.0f} MB")
    if outcomes[0] != outcomes[1]:
        print("CẢNH BÁO: kết quả song song khác tuần tự")


# --------------------------------------------------------------------------
# Against the code as it stood before (same run, same machine)
# --------------------------------------------------------------------------

# The code when issue 15 (speed on real dossiers) was filed: the parent of its first commit.
DEFAULT_BASELINE = "bed6b12^"

_CHILD = r"""
import json, os, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from vanban.check.engine import Checker, CheckSettings, check_many
from vanban.read.pdf import read_pdf
import vanban.understand as understand
paths = [Path(p) for p in json.loads(sys.argv[2])]
pdfs = [Path(p) for p in json.loads(sys.argv[3])]
settings = CheckSettings(ocr="off")
Checker(settings)
understand.get_pipeline()
read_pdf(pdfs[0])
start = time.process_time()
for p in pdfs:
    read_pdf(p)
pdf_cpu = time.process_time() - start
start = time.process_time()
results = check_many(paths, settings, jobs=1)
check_cpu = time.process_time() - start
print(json.dumps({"pdf": pdf_cpu, "check": check_cpu, "results": len(results),
                  "outcomes": [[r.name, r.decision.outcome] for r in results]}))
"""


def _run_child(src: Path, dossiers: list[Path], pdfs: list[Path]) -> dict:
    import json

    done = subprocess.run([sys.executable, "-c", _CHILD, str(src), json.dumps([str(p) for p in dossiers]),
                           json.dumps([str(p) for p in pdfs])],
                          capture_output=True, text=True, env={**os.environ, "VANBAN_OCR": "off"}, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench_baseline(ref: str, corpus: Path, dossiers: list[Path]) -> None:
    """The whole corpus checked (--jobs 1, OCR off) and its PDFs read by the code at ``ref`` and by this
    code, one after the other, each in a fresh process (CPU of that process)."""
    repo = Path(__file__).resolve().parent.parent
    pdfs = corpus_files(corpus, (".pdf",))
    with tempfile.TemporaryDirectory(prefix="vanban-bench-base-") as tmp:
        archive = subprocess.run(["git", "-C", str(repo), "archive", ref, "src", "schemas", "templates"],
                                 capture_output=True, check=False)
        if archive.returncode != 0:
            print(f"so với {ref}: bỏ qua (không lấy được mã: {archive.stderr.decode(errors='replace').strip()})")
            return
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        commit = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short", ref], capture_output=True,
                                text=True, check=False).stdout.strip()
        before = _run_child(Path(tmp) / "src", dossiers, pdfs)
    after = _run_child(repo / "src", dossiers, pdfs)
    n = max(after["results"], 1)
    print(f"so với mã {commit} ({ref}), cùng lần chạy, mỗi bên một tiến trình mới, --jobs 1, OCR tắt:")
    print(f"  đọc {len(pdfs)} PDF: trước {before['pdf']:.2f} s CPU, nay {after['pdf']:.2f} s "
          f"= nhanh hơn {before['pdf'] / after['pdf']:.1f}×")
    print(f"  kiểm tra {len(dossiers)} hồ sơ ({after['results']} kết quả): trước {before['check']:.1f} s CPU "
          f"({before['check'] / n:.2f} s mỗi hồ sơ), nay {after['check']:.1f} s ({after['check'] / n:.2f} s) "
          f"= nhanh hơn {before['check'] / after['check']:.1f}×")
    changed = [(a, b) for a, b in zip(before["outcomes"], after["outcomes"]) if a != b]
    print(f"  kết luận khác trước: {len(changed)} hồ sơ (các sửa lỗi đọc từ đó tới nay)")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--skip-jobs", action="store_true", help="không đo --jobs 1 với --jobs N")
    parser.add_argument("--skip-types", action="store_true", help="không đo từng loại tệp")
    parser.add_argument("--baseline", default=DEFAULT_BASELINE, metavar="REF",
                        help=f"so với mã ở REF của git (mặc định {DEFAULT_BASELINE}: trước vấn đề 15); '' để bỏ qua")
    args = parser.parse_args(argv)
    corpus = Path(os.environ.get("VANBAN_REALDOCS", ""))
    if not corpus.is_dir():
        print("Đặt VANBAN_REALDOCS trỏ tới thư mục bộ văn bản thật", file=sys.stderr)
        return 2
    from vanban.check.engine import discover

    dossiers = discover([corpus / "dossiers"])
    print(f"bộ văn bản thật {corpus}: {len(dossiers)} hồ sơ; {time.strftime('%d/%m/%Y %H:%M')}, "
          f"tải máy {os.getloadavg()[0]:.1f} trên {os.cpu_count()} lõi")
    with tempfile.TemporaryDirectory(prefix="vanban-bench-cache-") as cache:
        if not args.skip_types:
            bench_docx(corpus)
            bench_pdf(corpus)
            bench_doc(corpus, Path(cache))
        os.environ.setdefault("VANBAN_CACHE_DIR", cache)
        bench_stages(dossiers)
        if args.baseline:
            bench_baseline(args.baseline, corpus, dossiers)
        if not args.skip_jobs:
            bench_jobs(dossiers, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
