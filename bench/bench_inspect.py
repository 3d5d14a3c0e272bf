"""Benchmark: .docx inspection (read + understand) in documents per second, against a raw-XML floor.

    python bench/bench_inspect.py [N]        (default N = 300)

The bench GENERATES N tờ trình .docx files (python-docx, the builder of
tests/understand/builders.py with varying numbers, dates and signers), so it
runs without the corpus. In the same run it measures:

- floor: unzip word/document.xml and iterate every ``w:t`` (lxml iterparse),
  the least any .docx reader must do;
- read: ``vanban.read.read_file`` (guards, styles, tables, layout facts);
- understand: ``vanban.understand.understand_many`` over already-read documents (spaCy ``nlp.pipe``);
- inspect: read + understand, what ``vanban inspect`` does per file.

Times are CPU seconds of this process (``time.process_time``: the machine may be
shared); ratios are against the floor measured in the same run. The reader
remembers the styles and theme of a content it has seen (``read.docx._derived``):
"read, lạnh" empties that memory before every file, the worst case. Peak Python
memory (tracemalloc) is reported for a batch of 100 inspections, and the
process's max RSS at the end. With VANBAN_REALDOCS set, the corpus's .docx files
are measured too, and a last table gives the read and inspect ratios of both.
Not run by pytest.
"""

from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
import tracemalloc
import zipfile
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))

from understand.builders import build_to_trinh  # noqa: E402

from vanban.read import read_file  # noqa: E402
from vanban.read import docx as docx_reader  # noqa: E402
from vanban.understand import get_pipeline, understand_many  # noqa: E402

W_T = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"


def floor(paths: list[Path]) -> int:
    chars = 0
    for path in paths:
        with zipfile.ZipFile(path) as archive, archive.open("word/document.xml") as handle:
            for _, element in etree.iterparse(handle, events=("end",), tag=W_T):
                chars += len(element.text or "")
                element.clear()
    return chars


def timed(label: str, func, paths: list[Path], baseline: float | None = None) -> float:
    best = float("inf")
    for _ in range(3):  # the least of three: other processes only ever add time
        start = time.process_time()
        func(paths)
        best = min(best, time.process_time() - start)
    rate = len(paths) / best
    ratio = f"  ({best / baseline:.2f}× sàn)" if baseline else ""
    print(f"  {label:34} {best:8.3f} s CPU  {rate:9.1f} văn bản/s{ratio}")
    return best


def read_all(paths):
    return [read_file(p) for p in paths]


def read_cold(paths):
    out = []
    for p in paths:
        getattr(docx_reader, "_DERIVED", {}).clear()
        out.append(read_file(p))
    return out


def inspect_all(paths):
    return list(understand_many(read_file(p) for p in paths))


def measure(title: str, paths: list[Path]) -> dict:
    print(f"{title}: {len(paths)} tệp .docx")
    base = timed("floor (unzip + w:t)", floor, paths)
    read = timed("read (vanban.read)", read_all, paths, base)
    cold = timed("read, lạnh (không nhớ styles)", read_cold, paths, base)
    raws = read_all(paths)
    timed("understand (nlp.pipe)", lambda _: list(understand_many(raws)), paths, base)
    inspect = timed("inspect = read + understand", inspect_all, paths, base)
    return {"read": read / base, "cold": cold / base, "inspect": inspect / base}


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    get_pipeline()  # built once per process: not part of the per-document cost
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        distinct = min(n, 25)
        sources = [build_to_trinh(folder / f"src{i}.docx", number=f"{i + 1:02d}", day=f"{i % 28 + 1:02d}",
                                  signer=["Trần Hữu Tuấn", "Đỗ Văn Chung", "Nguyễn Đức Vũ"][i % 3],
                                  vague=i % 5 == 0) for i in range(distinct)]
        paths = []
        for i in range(n):
            target = folder / f"tt{i}.docx"
            target.write_bytes(sources[i % distinct].read_bytes())
            paths.append(target)
        ratios = {"Tờ trình sinh ra": measure("Tờ trình sinh bằng python-docx", paths)}

        batch = paths[:100]
        tracemalloc.start()
        inspect_all(batch)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"  bộ nhớ Python đỉnh (tracemalloc) cho {len(batch)} văn bản: {peak / 1024 / 1024:.1f} MB")

    corpus = os.environ.get("VANBAN_REALDOCS")
    if corpus and Path(corpus).is_dir():
        real = sorted(p for p in Path(corpus).rglob("*.docx") if zipfile.is_zipfile(p))
        if real:
            ratios["Văn bản thật"] = measure("Bộ văn bản thật (VANBAN_REALDOCS)", real)
    print("Tỉ lệ so với sàn (cùng lần chạy): read | read lạnh | inspect")
    for title, figures in ratios.items():
        print(f"  {title:18} {figures['read']:6.2f}× | {figures['cold']:6.2f}× | {figures['inspect']:6.2f}×")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"RSS tối đa của tiến trình: {rss:.0f} MB")


if __name__ == "__main__":
    main()
