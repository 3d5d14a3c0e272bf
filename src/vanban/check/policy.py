"""Policy (separate from the rules, as in veraPDF): which rules run, at what
severity, and what the findings mean for the dossier: tiếp nhận, tiếp nhận có
lưu ý, or chuyển trả."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..config import load_data_file
from ..errors import ConfigError
from .model import (OUTCOME_ACCEPT, OUTCOME_INCOMING, OUTCOME_LOOK, OUTCOME_NOTE, OUTCOME_RETURN, OUTCOME_VI,
                    SEVERITY_VI, Decision, Finding)
from .rules import catalogue

DEFAULT_PROFILE = Path(__file__).resolve().parent / "profiles" / "default.yaml"


@dataclass
class Profile:
    name: str = "Mặc định"
    select: tuple[str, ...] = ("VB",)
    ignore: tuple[str, ...] = ()
    severity: dict[str, str] = field(default_factory=dict)
    meetings: dict[str, int] = field(default_factory=dict)
    default_meeting_kind: str = "ubnd"
    appraisal_required: tuple[str, ...] = ()
    assigned_to_head: bool = False
    return_on: tuple[str, ...] = ("error",)
    note_on: tuple[str, ...] = ("warning",)
    max_warnings: Optional[int] = None
    format: dict = field(default_factory=dict)
    source: str = ""


def _merge(base: dict, extra: dict) -> dict:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _load_raw(path: Path, depth: int = 0) -> dict:
    if depth > 5:
        raise ConfigError("chuỗi 'extends' quá sâu hoặc lặp vòng", path)
    data = load_data_file(path, "profile.schema.json") or {}
    parent = data.pop("extends", None)
    if parent:
        parent_path = DEFAULT_PROFILE if parent == "default" else (path.parent / parent)
        return _merge(_load_raw(parent_path, depth + 1), data)
    return data


def load_profile(path: str | Path | None = None) -> Profile:
    """The shipped default, or an office profile (which inherits the default's unset fields)."""
    data = _load_raw(DEFAULT_PROFILE)
    source = str(DEFAULT_PROFILE)
    if path is not None:
        data = _merge(data, _load_raw(Path(path)))
        source = str(path)
    known = catalogue()
    for rule_id in data.get("severity", {}):
        if rule_id not in known:
            raise ConfigError(f"trường 'severity.{rule_id}': không có quy tắc này", source)
    decision = data.get("decision") or {}
    return Profile(
        name=data.get("name", "Mặc định"),
        select=tuple(data.get("select") or ("VB",)),
        ignore=tuple(data.get("ignore") or ()),
        severity=dict(data.get("severity") or {}),
        meetings={str(k): int(v) for k, v in (data.get("meetings") or {}).items()},
        default_meeting_kind=data.get("default_meeting_kind", "ubnd"),
        appraisal_required=tuple(data.get("appraisal_required") or ()),
        assigned_to_head=bool(data.get("assigned_to_head", False)),
        return_on=tuple(decision.get("return_on") or ("error",)),
        note_on=tuple(decision.get("note_on") or ("warning",)),
        max_warnings=decision.get("max_warnings"),
        format=dict(data.get("format") or {}),
        source=source,
    )


def _prefix_match(rule_id: str, codes: Iterable[str]) -> int:
    """Length of the longest code that selects ``rule_id`` (VB2 selects VB201; VB2xx too)."""
    best = -1
    for code in codes:
        stem = code.rstrip("x")
        if rule_id.startswith(stem):
            best = max(best, len(stem))
    return best


def enabled_rules(profile: Profile, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[str]:
    """Rule IDs to run: the command line's --select/--ignore win over the profile's; the more specific code wins."""
    select = tuple(select) or profile.select
    ignore = tuple(ignore) + profile.ignore
    known = catalogue()
    for code in (*select, *ignore):
        stem = code.rstrip("x")
        if not any(r.startswith(stem) for r in known):
            raise ConfigError(f"mã quy tắc '{code}' không khớp quy tắc nào (xem `vanban rules`)")
    out = []
    for rule_id in known:
        s, i = _prefix_match(rule_id, select), _prefix_match(rule_id, ignore)
        if s >= 0 and s > i:
            out.append(rule_id)
    return out


def severity_of(profile: Profile):
    infos = catalogue()
    return lambda rule_id: profile.severity.get(rule_id, infos[rule_id].severity)


def decide(findings: Iterable[Finding], profile: Profile, classification=None,
           ocr_files: frozenset[str] = frozenset()) -> Decision:
    """The outcome: what the dossier is first (classify.py), then what its findings prove.

    A dossier is returned only for faults its files prove: when a returning finding rests on
    text read by OCR, or the dossier cannot be judged from its files, a person looks instead.
    """
    findings = list(findings)  # format (VB6xx) is information in the default profile: it decides nothing
    kind = getattr(classification, "kind", "submission")
    if kind == "incoming":
        return Decision(OUTCOME_INCOMING, OUTCOME_VI[OUTCOME_INCOMING], (classification.reason + ".",))
    if kind != "submission":
        reasons = [classification.reason + "."]
        reasons += [_reason(f) for f in findings if f.severity in profile.return_on and not f.rule_id.startswith("VB1")]
        return Decision(OUTCOME_LOOK, OUTCOME_VI[OUTCOME_LOOK], tuple(dict.fromkeys(reasons)))
    returning = [f for f in findings if f.severity in profile.return_on]
    warnings = [f for f in findings if f.severity == "warning"]
    if returning and any(f.file in ocr_files for f in returning):
        reasons = tuple(dict.fromkeys(_reason(f) for f in returning))
        return Decision(OUTCOME_LOOK, OUTCOME_VI[OUTCOME_LOOK], reasons + (
            "Lỗi trên được phát hiện từ nội dung đọc bằng nhận dạng chữ (OCR) của bản quét: cần xem trực tiếp "
            "bản gốc trước khi chuyển trả.",))
    if profile.max_warnings is not None and len(warnings) > profile.max_warnings and "warning" not in profile.return_on:
        reasons = tuple(_reason(f) for f in returning) + (
            f"Có {len(warnings)} cảnh báo, vượt ngưỡng {profile.max_warnings} của hồ sơ chính sách.",)
        return Decision(OUTCOME_RETURN, OUTCOME_VI[OUTCOME_RETURN], reasons)
    if returning:
        return Decision(OUTCOME_RETURN, OUTCOME_VI[OUTCOME_RETURN], tuple(dict.fromkeys(_reason(f) for f in returning)))
    noting = [f for f in findings if f.severity in profile.note_on]
    if noting:
        return Decision(OUTCOME_NOTE, OUTCOME_VI[OUTCOME_NOTE], tuple(dict.fromkeys(_reason(f) for f in noting)))
    return Decision(OUTCOME_ACCEPT, OUTCOME_VI[OUTCOME_ACCEPT], ())


def findings_behind(decision: Decision, findings: Iterable[Finding]) -> list[tuple[str, Optional[Finding]]]:
    """Each reason of the decision with the finding it was written from (None for a summary reason,
    e.g. too many warnings), in the decision's order."""
    by_reason: dict[str, Finding] = {}
    for f in findings:
        by_reason.setdefault(_reason(f), f)
    return [(reason, by_reason.get(reason)) for reason in decision.reasons]


def _reason(f: Finding) -> str:
    where = f" ({f.file})" if f.file else ""
    return f"[{f.rule_id}] {SEVERITY_VI[f.severity]}: {f.message}{where}"
