"""Load the checker's phrase patterns and agency table (data files next to the rules)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Optional

from ..config import read_data_file
from ..errors import ConfigError
from ..text import fold

DATA = Path(__file__).resolve().parent / "data"
PATTERNS_PATH = DATA / "patterns.yaml"
AGENCIES_PATH = DATA / "agencies.yaml"

_PHRASES = ("issue_request", "issue_request_any", "consulted", "stance_clear", "appraisal_conclusion",
            "appraisal_vague", "vague_request", "concrete_request", "recommendation", "attachment",
            "consultation_pending", "addressed_to_ubnd", "asks_decision", "central_agency", "central_symbol",
            "organisation", "ubnd_issuer", "office_issuer", "answers_letter")
_ROLE_KEYS = {"role", "reason", "doc_type", "filename", "heading", "body", "draft_mark", "numbered", "signed", "no_doc_type"}
_ROLES = {"submission", "draft", "comment", "appraisal", "supporting", "not_part", "other"}


@dataclass(frozen=True)
class RolePattern:
    role: str
    reason: str
    doc_type: tuple[str, ...] = ()
    filename: Optional[re.Pattern] = None
    heading: Optional[re.Pattern] = None
    body: Optional[re.Pattern] = None
    draft_mark: Optional[bool] = None
    numbered: Optional[bool] = None
    signed: Optional[bool] = None
    no_doc_type: bool = False


@dataclass(frozen=True)
class Patterns:
    roles: tuple[RolePattern, ...]
    phrases: dict[str, re.Pattern]

    def __getattr__(self, name: str) -> re.Pattern:
        try:
            return self.phrases[name]
        except KeyError:
            raise AttributeError(name) from None


def _compile(value, where: str) -> re.Pattern:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"'{where}' phải là một biểu thức chính quy không rỗng", PATTERNS_PATH)
    try:
        return re.compile(value)
    except re.error as exc:
        raise ConfigError(f"'{where}': biểu thức chính quy sai ({exc})", PATTERNS_PATH) from None


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    data = read_data_file(PATTERNS_PATH)
    if not isinstance(data, dict) or not isinstance(data.get("roles"), list):
        raise ConfigError("thiếu danh sách 'roles'", PATTERNS_PATH)
    roles = []
    for i, item in enumerate(data["roles"]):
        where = f"roles[{i}]"
        if not isinstance(item, dict) or item.get("role") not in _ROLES:
            raise ConfigError(f"'{where}.role' phải là một trong: {', '.join(sorted(_ROLES))}", PATTERNS_PATH)
        unknown = set(item) - _ROLE_KEYS
        if unknown:
            raise ConfigError(f"'{where}' có trường không được phép: {', '.join(sorted(unknown))}", PATTERNS_PATH)
        roles.append(RolePattern(
            role=item["role"], reason=str(item.get("reason", item["role"])),
            doc_type=tuple(item.get("doc_type") or ()),
            filename=_compile(item["filename"], f"{where}.filename") if "filename" in item else None,
            heading=_compile(item["heading"], f"{where}.heading") if "heading" in item else None,
            body=_compile(item["body"], f"{where}.body") if "body" in item else None,
            draft_mark=item.get("draft_mark"), numbered=item.get("numbered"), signed=item.get("signed"),
            no_doc_type=bool(item.get("no_doc_type", False)),
        ))
    phrases = {key: _compile(data.get(key), key) for key in _PHRASES}
    return Patterns(tuple(roles), phrases)


@dataclass(frozen=True)
class AgencyTable:
    names_by_abbr: dict[str, tuple[str, ...]]
    head_positions: tuple[str, ...]
    deputy_prefixes: tuple[str, ...]
    unit_positions: tuple[str, ...]

    def abbr_matches(self, abbr: str, agency_name: str) -> Optional[bool]:
        """True/False when the abbreviation is known, None when it is not in the table."""
        key = fold(abbr)
        names = next((v for k, v in self.names_by_abbr.items() if fold(k) == key), None)
        if names is None:
            return None
        agency = fold(agency_name)
        return any(fold(n) in agency for n in names)

    def abbrs_for(self, agency_name: str) -> list[str]:
        agency = fold(agency_name)
        return [k for k, names in self.names_by_abbr.items() if any(fold(n) in agency for n in names)]


@lru_cache(maxsize=1)
def agencies() -> AgencyTable:
    data = read_data_file(AGENCIES_PATH)
    if not isinstance(data, dict) or not isinstance(data.get("agencies"), dict):
        raise ConfigError("thiếu bảng 'agencies'", AGENCIES_PATH)
    return AgencyTable(
        names_by_abbr={str(k): tuple(v) for k, v in data["agencies"].items()},
        head_positions=tuple(data.get("head_positions") or ()),
        deputy_prefixes=tuple(data.get("deputy_prefixes") or ("PHÓ",)),
        unit_positions=tuple(data.get("unit_positions") or ()),
    )
