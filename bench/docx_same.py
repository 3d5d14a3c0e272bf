"""Freeze what vanban reads and understands from .docx files, and compare a later run with it.

    python bench/docx_same.py dump OUT_DIR [FILE_OR_DIR ...]
    python bench/docx_same.py compare BEFORE_DIR AFTER_DIR

``dump`` writes, per .docx, ``dataclasses.asdict`` of ``read_docx`` (the reader alone), of
``read_file`` (the reader behind the guards of ``vanban.read``) and of ``understand`` (what
``vanban inspect`` and ``vanban check`` work from) plus ``document_to_dict`` (the inspect JSON),
as one JSON file named by the path's hash. With no FILE_OR_DIR: every .docx of
``$VANBAN_REALDOCS``, ``fixtures/`` and ``templates/``. ``compare`` lists the files whose dumps
differ. A speed change of the reader or the understanding must leave every dump equal.
The dumps stay outside the repository (the corpus is not ours to copy).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def _plain(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_plain(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return repr(value)


def docx_paths(args: list[str]) -> list[Path]:
    roots = [Path(a) for a in args]
    if not roots:
        corpus = os.environ.get("VANBAN_REALDOCS")
        roots = ([Path(corpus)] if corpus else []) + [REPO / "fixtures", REPO / "templates"]
    paths: list[Path] = []
    for root in roots:
        paths.extend([root] if root.is_file() else sorted(root.rglob("*.docx")))
    return paths


def dump(out: Path, paths: list[Path]) -> None:
    from vanban.read import read_file
    from vanban.read.docx import read_docx
    from vanban.understand import understand
    from vanban.understand.report import document_to_dict

    out.mkdir(parents=True, exist_ok=True)
    for path in paths:
        entry: dict = {"path": str(path)}
        for name, func in (("read_docx", read_docx), ("read_file", read_file)):
            try:
                entry[name] = _plain(func(path))
            except Exception as exc:  # noqa: BLE001 - an error is an outcome to compare too
                entry[name] = f"{type(exc).__name__}: {exc}"
        try:
            document = understand(read_file(path))
            entry["understand"] = _plain(document)
            entry["inspect"] = document_to_dict(document)
        except Exception as exc:  # noqa: BLE001
            entry["understand"] = f"{type(exc).__name__}: {exc}"
        key = hashlib.sha256(str(path).encode()).hexdigest()[:16]
        (out / f"{key}.json").write_text(json.dumps(entry, ensure_ascii=False, indent=1, sort_keys=True,
                                                    default=repr))
    print(f"{len(paths)} tệp đã ghi vào {out}")


def compare(before: Path, after: Path) -> int:
    names = sorted({p.name for p in before.glob("*.json")} | {p.name for p in after.glob("*.json")})
    differ = 0
    for name in names:
        a, b = before / name, after / name
        if not a.exists() or not b.exists() or a.read_bytes() != b.read_bytes():
            differ += 1
            source = json.loads((a if a.exists() else b).read_text())["path"]
            parts = []
            if a.exists() and b.exists():
                left, right = json.loads(a.read_text()), json.loads(b.read_text())
                parts = [k for k in sorted(set(left) | set(right)) if left.get(k) != right.get(k)]
            print(f"KHÁC: {source} {parts}")
    print(f"{len(names)} tệp, {differ} khác")
    return 1 if differ else 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "dump":
        dump(Path(argv[1]), docx_paths(argv[2:]))
        return 0
    if len(argv) == 3 and argv[0] == "compare":
        return compare(Path(argv[1]), Path(argv[2]))
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
