"""Vietnamese column headers → field names, from ``data/columns.yaml``.

Matching folds case and accents and drops punctuation, so ``Số, ký hiệu``,
``SỐ KÝ HIỆU`` and ``So ky hieu`` are one header.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..config import load_data_file
from ..text import fold

COLUMNS_FILE = Path(__file__).resolve().parent / "data" / "columns.yaml"
COLUMNS_SCHEMA = "tasks-columns.schema.json"


def header_key(text: object) -> str:
    """``Số, ký hiệu`` → ``so ky hieu``."""
    if text is None:
        return ""
    return " ".join(re.findall(r"[0-9a-z]+", fold(str(text))))


@lru_cache(maxsize=None)
def column_mapping(section: str = "register", path: Optional[str] = None) -> dict[str, str]:
    """folded header → field, for ``register`` or ``programme``."""
    data = load_data_file(path or COLUMNS_FILE, COLUMNS_SCHEMA)
    mapping: dict[str, str] = {}
    for field_name, headers in data[section].items():
        for header in headers:
            mapping[header_key(header)] = field_name
    return mapping


def map_headers(headers: Iterable[object], section: str = "register") -> dict[int, str]:
    """Column index → field for the headers that are known (first occurrence wins)."""
    mapping = column_mapping(section)
    out: dict[int, str] = {}
    seen: set[str] = set()
    for index, header in enumerate(headers):
        field_name = mapping.get(header_key(header))
        if field_name and field_name not in seen:
            out[index] = field_name
            seen.add(field_name)
    return out


def required_fields(section: str) -> tuple[str, ...]:
    return ("symbol", "unit", "content") if section == "register" else ("content", "unit", "due")
