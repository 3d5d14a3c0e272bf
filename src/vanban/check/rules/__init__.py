"""The rule engine: a catalogue (data) and check functions looked up by ID.

The catalogue ``check/data/rules.yaml`` gives each rule its name, severity,
Vietnamese message template, clause, why and examples. A family module
registers the function that tests the rule::

    @rule("VB201")
    def legal_bases_present(ctx):
        if ctx.submission is None:
            return None          # not applicable: neither passed nor failed
        return [Hit(...)]         # one finding per hit; [] means passed
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import importlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable, Optional

from ...calendar import WorkCalendar
from ...config import load_data_file
from ...errors import ConfigError
from ...legal import LegalRegistry
from ..model import CheckOptions, Dossier, DossierFile, Finding, RuleStat

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "data" / "rules.yaml"
FAMILY_MODULES = ("intake", "components", "legal", "stance", "signatory", "secrecy", "deadline", "format")


@dataclass(frozen=True)
class RuleInfo:
    id: str
    name: str
    severity: str
    message: str
    clause: str
    why: str
    bad: str
    good: str
    applies_to: tuple[str, ...] = ()

    def format_message(self, params: dict) -> str:
        try:
            return self.message.format(**params)
        except (KeyError, IndexError, ValueError) as exc:
            raise ConfigError(f"mẫu thông báo của quy tắc {self.id} cần tham số {exc}", CATALOGUE_PATH) from None


@dataclass(frozen=True)
class Hit:
    """One failure found by a check function; the engine turns it into a Finding."""

    file: Optional[str] = None
    location: Optional[str] = None
    evidence: str = ""
    params: dict = field(default_factory=dict)
    severity: Optional[str] = None  # a rule may lower itself (blank number on a draft → info)


CheckFunction = Callable[["RuleContext"], Optional[Iterable[Hit]]]
_REGISTRY: dict[str, CheckFunction] = {}


def rule(rule_id: str) -> Callable[[CheckFunction], CheckFunction]:
    def register(func: CheckFunction) -> CheckFunction:
        if rule_id in _REGISTRY:
            raise RuntimeError(f"rule {rule_id} registered twice")
        _REGISTRY[rule_id] = func
        return func
    return register


@lru_cache(maxsize=1)
def catalogue() -> dict[str, RuleInfo]:
    data = load_data_file(CATALOGUE_PATH, "rules.schema.json")
    out: dict[str, RuleInfo] = {}
    for item in data["rules"]:
        if item["id"] in out:
            raise ConfigError(f"mã quy tắc {item['id']} bị lặp", CATALOGUE_PATH)
        out[item["id"]] = RuleInfo(
            id=item["id"], name=item["name"], severity=item["severity"], message=item["message"],
            clause=item["clause"], why=item["why"], bad=item["bad"], good=item["good"],
            applies_to=tuple(item.get("applies_to") or ()),
        )
    from ...lint.catalogue import lint_catalogue  # the VB6xx family: the format rules of `vanban lint`

    for r in lint_catalogue().values():
        if r.dossier:
            out[r.id] = RuleInfo(id=r.id, name=r.name, severity=r.severity, message=r.message, clause=r.clause,
                                 why=r.why, bad=r.bad, good=r.good, applies_to=r.applies_to)
    return out


@lru_cache(maxsize=1)
def families() -> dict[str, str]:
    return dict(load_data_file(CATALOGUE_PATH, "rules.schema.json")["families"])


def load_checks() -> dict[str, CheckFunction]:
    """Import every family module (they register themselves) and return the registry."""
    for name in FAMILY_MODULES:
        importlib.import_module(f"{__name__}.{name}")
    missing = set(catalogue()) - set(_REGISTRY)
    if missing:
        raise ConfigError("quy tắc không có hàm kiểm tra: " + ", ".join(sorted(missing)), CATALOGUE_PATH)
    return _REGISTRY


@dataclass
class RuleContext:
    """Everything a check function may look at."""

    dossier: Dossier
    profile: "Profile"  # noqa: F821 - vanban.check.policy.Profile
    registry: LegalRegistry
    calendar: WorkCalendar
    options: CheckOptions = field(default_factory=CheckOptions)

    @property
    def submission(self) -> Optional[DossierFile]:
        return self.dossier.submission

    @property
    def today(self) -> dt.date:
        return self.options.today or dt.date.today()

    def submission_date(self) -> dt.date:
        """The day the submission speaks for: its signed date, else its signing time, else today."""
        from ..dossier import document_date

        sub = self.submission
        if sub and sub.document:
            day = document_date(sub.document)
            if day:
                return day
        return self.options.received or self.today


_NUMBERS_AND_SPACES = re.compile(r"[\d\s]+")


def merge_twin_hits(ctx: RuleContext, info: RuleInfo, hits: list[Hit]) -> list[Hit]:
    """One finding per document, not per copy.

    When the editable copy and the signed copy of one document show the same
    fault (the same message once numbers are set aside: the editable copy's
    number is often blank), it is reported once, on the copy that counts, with
    a note that the other copy has it too.
    """
    files = {f.name: f for f in ctx.dossier.files}
    groups: dict[tuple, list[Hit]] = {}
    order: list[tuple] = []
    for index, hit in enumerate(hits):
        copy = files.get(hit.file) if hit.file else None
        if copy is None or not copy.twin_of:
            key: tuple = ("alone", index)
        else:
            shape = _NUMBERS_AND_SPACES.sub("", info.format_message(hit.params))
            key = ("twins", frozenset((copy.name, copy.twin_of)), shape)
        if key not in groups:
            groups[key] = []
            order.append(key)
        groups[key].append(hit)
    merged = []
    for key in order:
        group = groups[key]
        if len(group) == 1 or key[0] == "alone":
            merged.extend(group)
            continue
        kept = next((h for h in group if files[h.file].preferred), group[0])
        others = sorted({h.file for h in group if h.file != kept.file})
        note = "; cũng có ở bản " + ", ".join(f"'{name}'" for name in others)
        merged.append(dataclasses.replace(kept, location=(kept.location or "") + note if kept.location else note[2:]))
    return merged


def make_finding(info: RuleInfo, hit: Hit, severity: str) -> Finding:
    return Finding(
        rule_id=info.id, severity=hit.severity or severity,
        message=info.format_message(hit.params), clause=info.clause, file=hit.file,
        location=hit.location, evidence=hit.evidence, rule_name=info.name,
    )


def run_rules(ctx: RuleContext, enabled: Iterable[str], severity_of: Callable[[str], str]) -> tuple[list[Finding], list[RuleStat]]:
    """Run the enabled rules; a rule that crashes becomes a finding, never a crash of the batch."""
    checks = load_checks()
    infos = catalogue()
    findings: list[Finding] = []
    stats: list[RuleStat] = []
    for rule_id in enabled:
        info = infos[rule_id]
        try:
            hits = checks[rule_id](ctx)
            hits = None if hits is None else list(hits)
        except Exception as exc:  # a bug in one rule must not hide the others
            findings.append(Finding(rule_id=rule_id, severity="warning", rule_name=info.name, clause=info.clause,
                                    message=f"Quy tắc {rule_id} không chạy được ({type(exc).__name__}: {exc}); cần kiểm tra thủ công."))
            stats.append(RuleStat(rule_id, info.name, 1, 1))
            continue
        if hits is None:
            stats.append(RuleStat(rule_id, info.name, 0, 0))
            continue
        severity = severity_of(rule_id)
        produced = [make_finding(info, hit, severity) for hit in merge_twin_hits(ctx, info, hits)]
        findings.extend(produced)
        stats.append(RuleStat(rule_id, info.name, 1, len(produced)))
    return findings, stats
