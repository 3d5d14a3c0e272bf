"""Where the shipped templates, schemas and data live.

In a wheel they sit inside the package (``vanban/templates``, ``vanban/schemas``,
placed there by the build); in a source checkout they are the top-level folders.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent
_REPO_DIR = _PACKAGE_DIR.parent.parent


def resource_dir(name: str) -> Path:
    """``templates`` or ``schemas``: the folder shipped with the package, else the checkout's."""
    for candidate in (_PACKAGE_DIR / name, _REPO_DIR / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"không tìm thấy thư mục tài nguyên '{name}' của vanban")


def data_dir() -> Path:
    """Data files that are code-adjacent (legal registry, default profiles)."""
    return _PACKAGE_DIR / "data"


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    """Load ``schemas/<name>`` (e.g. ``document.schema.json``)."""
    with open(resource_dir("schemas") / name, encoding="utf-8") as fh:
        return json.load(fh)
