"""Pattern data of the understanding layer (JSONL files next to this module).

Every list the recognisers use (document types, agency heads, positions,
authority marks, recommendation verbs, vague phrases, attachment phrases,
marks, signature placeholders) lives in ``patterns/<name>.jsonl`` and is
validated against ``patterns/patterns.schema.json`` when first loaded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

import jsonschema

from vanban.errors import ConfigError
from vanban.text import fold

PATTERN_DIR = Path(__file__).with_name("patterns")


@lru_cache(maxsize=None)
def _schema() -> dict:
    return json.loads((PATTERN_DIR / "patterns.schema.json").read_text(encoding="utf-8"))


@lru_cache(maxsize=None)
def load_patterns(name: str, directory: Path = PATTERN_DIR) -> tuple[dict, ...]:
    """Rows of ``patterns/<name>.jsonl``, each validated; ConfigError names file and line."""
    path = Path(directory) / f"{name}.jsonl"
    schema = {**_schema(), "$ref": f"#/$defs/{name}"}
    validator = jsonschema.Draft202012Validator(schema)
    rows = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigError(f"không đọc được tệp mẫu: {exc.strerror or exc}", path) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError(f"dòng {number}: JSON không hợp lệ ({exc.msg})", path) from exc
        error = next(iter(validator.iter_errors(row)), None)
        if error is not None:
            raise ConfigError(f"dòng {number}: {error.message}", path)
        rows.append(row)
    return tuple(rows)


def alternation(texts, *, flexible_space: bool = True) -> str:
    """A regex alternation of literal phrases, longest first, spaces matching any run of blanks."""
    parts = []
    for text in sorted(set(texts), key=len, reverse=True):
        escaped = re.escape(text)
        if flexible_space:
            escaped = escaped.replace(r"\ ", r"\s+")
        parts.append(escaped)
    return "(?:" + "|".join(parts) + ")"


@dataclass(frozen=True)
class DocType:
    name: str
    abbr: Optional[str]
    title: bool
    cite: bool


@lru_cache(maxsize=None)
def doc_types() -> tuple[DocType, ...]:
    return tuple(DocType(r["name"], r["abbr"], r["title"], r["cite"]) for r in load_patterns("doc_types"))


@lru_cache(maxsize=None)
def type_by_abbr() -> dict[str, str]:
    return {t.abbr: t.name for t in doc_types() if t.abbr}


@lru_cache(maxsize=None)
def type_by_folded_name() -> dict[str, DocType]:
    return {fold(t.name): t for t in doc_types()}


def texts(name: str, kind: Optional[str] = None, key: str = "text") -> tuple[str, ...]:
    return tuple(r[key] for r in load_patterns(name) if kind is None or r.get("kind") == kind)
