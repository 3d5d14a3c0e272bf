"""The format-rule catalogue (``lint/data/rules.yaml``, schema ``schemas/lint-rules.schema.json``).

One catalogue for ``vanban lint``, ``vanban fix`` and the VB6xx family of ``vanban check``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..config import load_data_file
from ..errors import ConfigError

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "rules.yaml"
FIX_VI = {"safe": "sửa tự động (giữ nguyên chữ)", "text": "sửa tự động (sửa chữ, có liệt kê)",
          "manual": "người soạn sửa"}


@dataclass(frozen=True)
class LintRule:
    id: str
    name: str
    severity: str
    message: str
    clause: str
    fix: str  # safe | text | manual
    why: str
    bad: str
    good: str
    fix_note: str = ""
    dossier: bool = False
    applies_to: tuple[str, ...] = ()

    @property
    def fixable(self) -> bool:
        return self.fix != "manual"

    def format_message(self, params: dict) -> str:
        try:
            return self.message.format(**params)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"mẫu thông báo của quy tắc {self.id} cần tham số {exc}", CATALOGUE_PATH) from None


@lru_cache(maxsize=1)
def lint_catalogue() -> dict[str, LintRule]:
    data = load_data_file(CATALOGUE_PATH, "lint-rules.schema.json")
    out: dict[str, LintRule] = {}
    for item in data["rules"]:
        if item["id"] in out:
            raise ConfigError(f"mã quy tắc {item['id']} bị lặp", CATALOGUE_PATH)
        out[item["id"]] = LintRule(**{**item, "applies_to": tuple(item.get("applies_to") or ())})
    return out
