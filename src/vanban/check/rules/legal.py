"""VB2xx: legal bases present, well formed, and in force at the submission's date."""

from __future__ import annotations

import re

from ...model import Citation
from ...text import fold, squash_spaces
from ..model import ROLE_DRAFT
from . import Hit, RuleContext, rule

_LAW_TYPES = {"luat", "bo luat", "hien phap", "phap lenh"}
_YEAR = re.compile(r"\b(19[4-9]\d|20\d\d)\b")
_SYMBOL = re.compile(r"\d+\s*/\s*[0-9A-ZĐa-zđ]")


def _short(text: str, limit: int = 110) -> str:
    text = re.sub(r"^(Căn cứ|căn cứ)\s+", "", squash_spaces(text)).rstrip(";.,")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# a "Căn cứ …" line is a legal basis when it names a document; "Căn cứ Kế hoạch này, các cơ quan …" or
# "Căn cứ tình hình thực tế" are sentences of the body (folded text)
_NAMES_A_DOCUMENT = re.compile(
    r"^\s*can cu\s*(?:vao\s+)?:?\s*(?:$|(?:hien phap|bo luat|luat|phap lenh|nghi dinh|nghi quyet|quyet dinh|"
    r"thong tu|chi thi|cong van|ke hoach|huong dan|thong bao|van ban|quy che|quy dinh|dieu le|ket luan)\b"
    r"(?!\s+(?:nay|tren|neu tren)\b))")


def _bases(doc) -> tuple[Citation, ...]:
    """The căn cứ citations, plus "Căn cứ …" lines the understanding layer could not parse
    (a basis without number or year is exactly what VB202 must report)."""
    found = list(doc.legal_bases)
    covered = {c.location for c in found if c.location is not None}
    for block in doc.source.blocks:
        if block.location in covered or not _NAMES_A_DOCUMENT.match(fold(block.text)):
            continue
        if any(c.raw and c.raw[:30] in block.text for c in found):
            continue
        found.append(Citation(raw=block.text.strip(), is_legal_basis=True, location=block.location))
    return tuple(found)


@rule("VB201")
def legal_bases_present(ctx: RuleContext):
    sub = ctx.submission
    if sub is None or not sub.document.source.text.strip() or sub.document.source.is_scan:
        return None
    doc = sub.document
    if doc.legal_bases or doc.citations:
        return []
    if re.search(r"\bcan cu\b", fold(doc.source.text)):
        return []
    return [Hit(file=sub.name)]


def _well_formed_problem(c: Citation) -> str | None:
    kind = fold(c.doc_type or "")
    raw = fold(c.raw)
    if kind in _LAW_TYPES or raw.startswith(("can cu luat", "luat", "can cu bo luat", "can cu hien phap", "can cu phap lenh")):
        if c.symbol or c.year or _YEAR.search(c.raw) or _SYMBOL.search(c.raw):
            return None
        return "luật phải nêu tên và năm thông qua (hoặc số hiệu)"
    if c.symbol or _SYMBOL.search(c.raw):
        return None
    named = c.doc_type or _type_named(c.raw)
    if not named:
        return None  # "Căn cứ tình hình thực tế …": a practical basis, not a legal citation
    return f"{named} không có số, ký hiệu"


_TYPE_NAMES = ("Hiến pháp", "Bộ luật", "Pháp lệnh", "Nghị quyết", "Nghị định", "Quyết định", "Thông tư liên tịch",
               "Thông tư", "Chỉ thị", "Công văn", "Kế hoạch", "Kết luận", "Thông báo")


def _type_named(raw: str):
    head = fold(raw)[:40]
    for name in _TYPE_NAMES:
        if re.match(rf"^\s*(can cu\s+)?(vao\s+)?{fold(name)}\b", head):
            return name
    return None


@rule("VB202")
def legal_bases_well_formed(ctx: RuleContext):
    files = _files(ctx)
    if not files:
        return None
    hits = []
    for df in files:
        for c in _bases(df.document):
            problem = _well_formed_problem(c)
            if problem:
                hits.append(Hit(file=df.name, location=c.location.describe() if c.location else None,
                                evidence=c.raw, params={"citation": _short(c.raw), "problem": problem}))
    return hits


def _files(ctx: RuleContext):
    out = []
    if ctx.submission is not None:
        out.append(ctx.submission)
    out += ctx.dossier.with_role(ROLE_DRAFT, preferred_only=True)
    return [f for f in out if f.document and _bases(f.document)]


@rule("VB203")
def legal_bases_in_force(ctx: RuleContext):
    files = _files(ctx)
    if not files:
        return None
    as_of = ctx.submission_date()
    hits = []
    seen = set()
    for df in files:
        for c in _bases(df.document):
            entry = ctx.registry.resolve(c, as_of)
            if entry is None:
                continue
            validity = ctx.registry.validity(entry, as_of)
            if validity.in_force or (df.name, c.raw) in seen:
                continue
            seen.add((df.name, c.raw))
            hits.append(Hit(file=df.name, location=c.location.describe() if c.location else None, evidence=c.raw,
                            params={"citation": _short(c.raw), "reason": f"({entry.label}) {validity.reason}",
                                    "as_of": as_of.strftime("%d/%m/%Y")}))
    return hits


@rule("VB204")
def legal_bases_not_in_registry(ctx: RuleContext):
    """Well-formed bases the registry does not know: their validity was not checked (say so)."""
    files = _files(ctx)
    if not files:
        return None
    as_of = ctx.submission_date()
    hits = []
    seen = set()
    for df in files:
        for c in _bases(df.document):
            if _well_formed_problem(c) or ctx.registry.resolve(c, as_of) is not None:
                continue
            # the same document cited in the submission and the draft, dates written two ways
            key = fold(c.symbol) if c.symbol else (fold(c.doc_type or ""), c.year, fold(c.title or c.raw))
            if key in seen:
                continue
            seen.add(key)
            hits.append(Hit(file=df.name, location=c.location.describe() if c.location else None,
                            evidence=c.raw, params={"citation": _short(c.raw)}))
    return hits
