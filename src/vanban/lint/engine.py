"""Run the format rules on one file: ``lint_file`` reads, understands and lints it (a file that cannot be
read gives a result with an error); ``run_checks`` runs the rules on a :class:`LintContext`."""

from __future__ import annotations

import dataclasses
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

from ..errors import ConfigError, VanbanError
from .catalogue import LintRule, lint_catalogue
from .rules import CHECKS, FormatSettings, LintContext, LintHit

SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
EDITABLE_FORMATS = ("docx", "doc", "rtf")


@dataclass(frozen=True)
class LintFinding:
    rule_id: str
    severity: str
    message: str
    clause: str
    name: str
    fix: str  # safe | text | manual (the catalogue's policy)
    location: Optional[str] = None
    evidence: str = ""
    fixable: bool = False  # vanban fix can apply this one (policy allows it and the element was found)


@dataclass
class LintResult:
    path: str
    findings: list[LintFinding] = field(default_factory=list)
    error: Optional[str] = None  # Vietnamese: why the file could not be read
    format: Optional[str] = None
    rules_run: tuple[str, ...] = ()
    applied: tuple[str, ...] = ()  # the rules that could judge this file (the others did not apply)

    @property
    def failed(self) -> bool:
        return self.error is not None


def select_rules(select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[str]:
    """Rule IDs to run: prefixes as in ``vanban check`` (``VB61`` = VB610–VB619); the longer prefix wins."""
    known = list(lint_catalogue())
    select = [c.strip().upper() for c in select if c.strip()] or ["VB6"]
    ignore = [c.strip().upper() for c in ignore if c.strip()]
    for code in (*select, *ignore):
        stem = code.rstrip("X")
        if not any(r.startswith(stem) for r in known):
            raise ConfigError(f"mã quy tắc '{code}' không khớp quy tắc thể thức nào (xem docs/lint-rules.md)")

    def match(rule_id: str, codes: list[str]) -> int:
        return max((len(c.rstrip("X")) for c in codes if rule_id.startswith(c.rstrip("X"))), default=-1)

    return [r for r in known if match(r, select) >= 0 and match(r, select) > match(r, ignore)]


def run_checks(ctx: LintContext, rules: Optional[Iterable[str]] = None) -> list[tuple[LintRule, list[LintHit]]]:
    """(rule, hits) for each rule that applies (a rule returning None is left out)."""
    catalogue = lint_catalogue()
    out = []
    for rule_id in rules if rules is not None else catalogue:
        hits = CHECKS[rule_id](ctx)
        if hits is not None:
            out.append((catalogue[rule_id], list(hits)))
    return out


def to_finding(rule: LintRule, hit: LintHit, severity: Optional[str] = None) -> LintFinding:
    return LintFinding(rule_id=rule.id, severity=severity or rule.severity, message=rule.format_message(hit.params),
                       clause=rule.clause, name=rule.name, fix=rule.fix, location=hit.location,
                       evidence=hit.evidence, fixable=rule.fixable and hit.edit is not None)


def docx_text(raw) -> Optional[list[str]]:
    """The ``w:t`` texts of the .docx behind ``raw`` as written (before normalisation): VB624 needs them."""
    from ..read.docx import iter_docx_xml_text

    path = Path(raw.path)
    if raw.format in ("doc", "rtf"):
        from ..read.convert import cached_conversion

        path = cached_conversion(raw.sha256)
    elif raw.format != "docx":
        return None
    if not path:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            data = archive.read("word/document.xml")
        if not any(mark in data for mark in ("Ð".encode(), "ð".encode(), b"&#")):
            return []  # no eth in the file: no need to walk its text
        return list(iter_docx_xml_text(path))
    except Exception:  # the reader already read this file; a part it skips is no reason to fail here
        return None


def context_for(path: str | Path) -> LintContext:
    """Read and understand one file (raises ReadError/MissingToolError)."""
    from ..read import read_file
    from ..read.ocr import OcrOptions
    from ..understand import understand

    raw = read_file(path, ocr=OcrOptions(mode="off"))  # layout is the file's own: a scan has none to judge
    return LintContext(understand(raw), FormatSettings(), docx_text(raw))


def lint_file(path: str | Path, rules: Optional[Iterable[str]] = None) -> LintResult:
    rules = tuple(rules) if rules is not None else tuple(lint_catalogue())
    try:
        ctx = context_for(path)
    except VanbanError as exc:
        return LintResult(path=str(path), error=exc.message, rules_run=rules)
    pairs = run_checks(ctx, rules)
    editable = ctx.raw.format in EDITABLE_FORMATS  # a PDF is only read: nothing of it is fixable
    findings = [dataclasses.replace(to_finding(rule, hit), fixable=editable and rule.fixable and hit.edit is not None)
                for rule, hits in pairs for hit in hits]
    findings.sort(key=lambda f: (SEVERITY_ORDER[f.severity], f.rule_id))
    return LintResult(path=str(path), findings=findings, format=ctx.raw.format, rules_run=rules,
                      applied=tuple(rule.id for rule, _ in pairs))
