"""VB6xx: layout under Nghị định 30/2020/NĐ-CP (Phụ lục I), the format rules of ``vanban lint``.

The rules, their catalogue entries and their checks live in :mod:`vanban.lint`; the checker runs
those marked ``dossier: true`` on the submission and the drafts. :func:`check_format` is public:
the generator calls it on the letters it writes to prove they pass.
"""

from __future__ import annotations

from typing import Optional

from ...lint.catalogue import lint_catalogue
from ...lint.rules import CHECKS, MOTTO, FormatSettings, LintContext, font_family
from ...model import Document
from ..model import ROLE_DRAFT, ROLE_SUBMISSION, Finding
from . import Hit, RuleContext, catalogue, make_finding, rule

FORMAT_CHECKS = {rule_id: CHECKS[rule_id] for rule_id, r in lint_catalogue().items() if r.dossier}


def _hits(func, document: Document, settings: FormatSettings, file: Optional[str]) -> Optional[list[Hit]]:
    hits = func(LintContext(document, settings))
    if hits is None:
        return None
    return [Hit(file=file, location=h.location, evidence=h.evidence, params=h.params) for h in hits]


def check_format(document: Document, profile=None, file: Optional[str] = None) -> list[Finding]:
    """Every VB6xx finding for one document (profile: severity overrides, format thresholds)."""
    settings = FormatSettings(profile)
    infos = catalogue()
    overrides = getattr(profile, "severity", None) or {}
    name = file if file is not None else document.path
    return [make_finding(infos[rule_id], hit, overrides.get(rule_id, infos[rule_id].severity))
            for rule_id, func in FORMAT_CHECKS.items() for hit in _hits(func, document, settings, name) or ()]


def _format_targets(ctx: RuleContext):
    """The submission and the drafts the People's Committee will sign: one copy each (the judged one),
    never an attachment, an appendix, a scan or text read by OCR (its layout is the camera's)."""
    out = [f for f in ctx.dossier.submission_copies if f.preferred]
    for draft in ctx.dossier.with_role(ROLE_DRAFT, preferred_only=True):
        doc = draft.document
        # an appendix or a charter has no header of its own: Nghị định 30's layout is not asked of it
        if doc.number is not None or doc.national_title is not None:
            out.append(draft)
    return [f for f in out if f.document is not None and f.document.source.text.strip()
            and not f.document.source.is_scan and not getattr(f.document.source, "ocr_pages", ())]


def _make_rule(rule_id: str):
    func = FORMAT_CHECKS[rule_id]

    def check(ctx: RuleContext):
        settings = FormatSettings(ctx.profile)
        results = []
        applied = False
        for df in _format_targets(ctx):
            hits = _hits(func, df.document, settings, df.name)
            if hits is None:
                continue
            applied = True
            results += hits
        return results if applied else None

    check.__name__ = f"format_{rule_id}"
    return rule(rule_id)(check)


for _rule_id in FORMAT_CHECKS:
    _make_rule(_rule_id)

__all__ = ["check_format", "FORMAT_CHECKS", "FormatSettings", "MOTTO", "ROLE_SUBMISSION", "font_family"]
