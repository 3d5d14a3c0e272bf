"""VB3xx: the submission recommends something concrete; comments and appraisals take a stance."""

from __future__ import annotations

from ...text import fold, squash_spaces
from .. import facts
from ..model import ROLE_APPRAISAL, ROLE_COMMENT
from ..patterns import patterns
from . import Hit, RuleContext, rule


def _readable(df) -> bool:
    return bool(df and df.document and df.document.source.text.strip() and not df.document.source.is_scan)


@rule("VB301")
def recommendation_stated(ctx: RuleContext):
    sub = ctx.submission
    if not _readable(sub):
        return None
    if sub.document.recommendations:
        return []
    block, _ = facts.find_in_blocks(sub.document, patterns().recommendation)
    return [] if block is not None else [Hit(file=sub.name)]


def _vague_blocks(doc):
    pats = patterns()
    for rec in doc.recommendations:
        if rec.vague:
            yield rec.text, rec.location
    for block in doc.source.blocks:
        folded = squash_spaces(fold(block.text))
        m = pats.vague_request.search(folded)
        if m and not pats.concrete_request.search(folded):
            yield block.text, block.location


@rule("VB302")
def recommendation_not_vague(ctx: RuleContext):
    targets = [f for f in [ctx.submission] if _readable(f)]
    targets += [f for f in ctx.dossier.with_role(ROLE_APPRAISAL, preferred_only=True) if _readable(f)]
    if not targets:
        return None
    hits, seen = [], set()
    for df in targets:
        for text, location in _vague_blocks(df.document):
            text = squash_spaces(text)
            if text in seen:
                continue
            seen.add(text)
            short = text if len(text) <= 140 else text[:139] + "…"
            hits.append(Hit(file=df.name, location=location.describe() if location else None, evidence=text,
                            params={"evidence": short}))
    return hits


@rule("VB303")
def comment_stance_clear(ctx: RuleContext):
    comments = [f for f in ctx.dossier.with_role(ROLE_COMMENT, preferred_only=True) if _readable(f)]
    if not comments:
        return None
    return [Hit(file=f.name) for f in comments if not patterns().stance_clear.search(facts.folded_text(f.document))]


@rule("VB304")
def appraisal_conclusion_clear(ctx: RuleContext):
    appraisals = [f for f in ctx.dossier.with_role(ROLE_APPRAISAL, preferred_only=True) if _readable(f)]
    if not appraisals:
        return None
    hits = []
    for f in appraisals:
        text = facts.folded_text(f.document)
        if not patterns().appraisal_conclusion.search(text) or patterns().appraisal_vague.search(text):
            hits.append(Hit(file=f.name))
    return hits


@rule("VB305")
def consultation_finished(ctx: RuleContext):
    sub = ctx.submission
    if not _readable(sub):
        return None
    block, _ = facts.find_in_blocks(sub.document, patterns().consultation_pending)
    if block is None:
        return []
    sentence = squash_spaces(block.text)
    return [Hit(file=sub.name, location=block.location.describe() if block.location else None, evidence=sentence,
                params={"evidence": sentence if len(sentence) <= 160 else sentence[:159] + "…"})]
