"""Speed of ``vanban lint`` and ``vanban fix`` on the real .docx files, against the raw-XML read of the
same files (zipfile + lxml parse of word/document.xml), measured in the same run.

    VANBAN_REALDOCS=../shared/realdocs python bench/bench_lint.py [--runs N]

- raw XML: open the zip, parse word/document.xml with lxml (the floor any tool pays);
- lint: read (styles, tables, text boxes, headers), understand, every format rule;
- fix: lint, apply the safe fixes, write the new .docx, read it back to compare the text and lint it
  again for the fixed rules.

Files per second and the ratio to the raw read are printed; the ratios do not depend on the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import zipfile
from pathlib import Path

from lxml import etree

from bench_read import _best_of  # the same timing as the reader benchmark
from vanban.lint import lint_file
from vanban.lint.fix import fix_file


def _raw_xml(paths: list[Path]) -> int:
    count = 0
    for path in paths:
        with zipfile.ZipFile(path) as archive:
            root = etree.fromstring(archive.read("word/document.xml"))
        count += len(root)
    return count


def _lint(paths: list[Path]) -> int:
    return sum(len(lint_file(p).findings) for p in paths)


def _fix(paths: list[Path], root: Path) -> int:
    out = Path(tempfile.mkdtemp(dir=root))  # new files each run: a file read back is never written over
    return sum(len(fix_file(p, out / f"{i}.docx").changes) for i, p in enumerate(paths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="best of N runs (default 3)")
    args = parser.parse_args(argv)
    root = os.environ.get("VANBAN_REALDOCS")
    if not root or not Path(root).is_dir():
        print("VANBAN_REALDOCS chưa đặt: cần thư mục bộ văn bản thật", file=sys.stderr)
        return 2
    paths = sorted(p for p in Path(root).rglob("*.docx") if not p.name.startswith("~$"))
    size = sum(p.stat().st_size for p in paths) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        _lint(paths[:3])  # imports and the spaCy pipeline load once, outside the timing
        raw = _best_of(args.runs, lambda: _raw_xml(paths))
        lint = _best_of(args.runs, lambda: _lint(paths))
        fix = _best_of(args.runs, lambda: _fix(paths, Path(tmp)))
    n = len(paths)
    print(f"{n} .docx files, {size:.1f} MB")
    print(f"{'step':<28}{'seconds':>9}{'files/s':>10}{'× raw XML':>11}")
    for name, seconds in (("raw XML (zip + lxml)", raw), ("vanban lint", lint), ("vanban fix (+ read-back)", fix)):
        print(f"{name:<28}{seconds:>9.2f}{n / seconds:>10.1f}{seconds / raw:>11.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
