"""VB1xx: the dossier's components, and the number and date of the submission."""

from __future__ import annotations

import re
from pathlib import Path

from ...text import fold, squash_spaces
from .. import facts
from ..model import ROLE_APPRAISAL, ROLE_COMMENT, ROLE_DRAFT, ROLE_SUBMISSION, ROLE_SUPPORTING
from ..patterns import agencies, patterns
from . import Hit, RuleContext, rule


def _has_text(df) -> bool:
    return bool(df and df.document and df.document.source.text.strip() and not df.document.source.is_scan)


@rule("VB101")
def submission_present(ctx: RuleContext):
    if ctx.submission is None:
        return [Hit()]
    return []


@rule("VB102")
def submission_not_a_report(ctx: RuleContext):
    sub = ctx.submission
    if sub is None or not sub.document.doc_type:
        return None
    if fold(sub.document.doc_type) == "bao cao":
        return [Hit(file=sub.name, location=_loc(sub.document.subject), params={"doc_type": "báo cáo"},
                    evidence=sub.document.subject.text if sub.document.subject else "")]
    return []


def _loc(located):
    return located.location.describe() if located is not None and located.location is not None else None


@rule("VB103")
def draft_present(ctx: RuleContext):
    sub = ctx.submission
    if sub is None or not sub.document.source.text.strip():
        return None
    if not facts.asks_to_issue(sub.document):
        return None
    if ctx.dossier.with_role(ROLE_DRAFT):
        return []
    kinds = facts.requested_kinds(sub.document)
    requested = ", ".join(facts.kind_label(k) for k in kinds) or "văn bản"
    return [Hit(file=sub.name, params={"requested": requested},
                evidence=sub.document.subject.text if sub.document.subject else "")]


_COMMENT_NAME = re.compile(r"gop y|y kien|tiep thu|giai trinh")


@rule("VB104")
def comments_present(ctx: RuleContext):
    sub = ctx.submission
    if not _has_text(sub):
        return None
    block, match = facts.find_in_blocks(sub.document, patterns().consulted)
    if block is None:
        return None
    if ctx.dossier.with_role(ROLE_COMMENT) or ctx.dossier.with_role(ROLE_APPRAISAL):
        return []
    for f in ctx.dossier.files:
        if f.role in (ROLE_SUPPORTING, ROLE_COMMENT) and _COMMENT_NAME.search(fold(Path(f.name).stem)):
            return []
    evidence = squash_spaces(block.text)
    short = evidence if len(evidence) <= 120 else evidence[:117] + "…"
    return [Hit(file=sub.name, location=block.location.describe(), evidence=evidence, params={"evidence": short})]


@rule("VB105")
def appraisal_present(ctx: RuleContext):
    sub = ctx.submission
    if sub is None or not ctx.profile.appraisal_required:
        return None
    text = facts.heading_text(sub.document) + " " + facts.folded_text(sub.document)[:4000]
    for pattern in ctx.profile.appraisal_required:
        m = re.search(pattern, text)
        if m:
            if ctx.dossier.with_role(ROLE_APPRAISAL):
                return []
            return [Hit(file=sub.name, params={"matter": m.group(0)}, evidence=m.group(0))]
    return None


_ATTACH_KINDS = re.compile(r"\b(du thao )?(quyet dinh|ke hoach|chuong trinh|chi thi|cong van|dieu le|de an|phuong an|"
                           r"quy che|bao cao tham dinh|bien ban|danh sach|phu luc|bang tong hop)\b")
_ATTACH_DRAFT_ONLY = re.compile(r"\bdu thao (quy dinh)\b")


def _attachment_mentions(doc) -> list[tuple[str, object]]:
    """(attachment text, block) for 'đính kèm …' / '(… kèm theo)' in the submission."""
    out = []
    for item in doc.attachments:
        out.append((item.text, item.location))
    if out:
        return out
    pat = patterns().attachment
    for block in doc.source.blocks:
        folded = squash_spaces(fold(block.text))
        if pat.search(folded):
            out.append((squash_spaces(block.text), block.location))
    return out


@rule("VB106")
def attachments_present(ctx: RuleContext):
    sub = ctx.submission
    if not _has_text(sub):
        return None
    mentions = _attachment_mentions(sub.document)
    if not mentions:
        return None
    others = [f for f in ctx.dossier.files if f.role != ROLE_SUBMISSION]
    have = " | ".join(fold(Path(f.name).stem).replace("-", " ").replace("_", " ") for f in others)
    have += " | " + " | ".join(fold(f.document.doc_type or "") + " " + fold(f.document.subject.text if f.document.subject else "")
                               for f in others if f.document)
    have = re.sub(r"\bqd\b", "quyet dinh", have)
    have = re.sub(r"\bkh\b", "ke hoach", have)
    hits, reported = [], set()
    for text, location in mentions:
        folded = squash_spaces(fold(text))
        if _OBLIGATION.search(folded) or not _OWN_SENDING.search(folded):
            continue  # a rule quoted ("… phải gửi kèm biên bản"), or papers listed as another's: not what this sends
        for tail in _attachment_tails(folded):
            for m in [*_ATTACH_KINDS.finditer(tail), *_ATTACH_DRAFT_ONLY.finditer(tail)]:
                kind = m.group(m.lastindex)
                if kind in have or kind in reported:
                    continue
                if kind in _PART_KINDS and _PART_OF_DOCUMENT.search(folded):
                    continue  # "dự thảo Kế hoạch (có Phụ lục kèm theo)": the appendix is inside that document
                reported.add(kind)
                hits.append(Hit(file=sub.name, location=location.describe() if location else None, evidence=text,
                                params={"attachment": _original_words(text, m.group(0))}))
    return hits


# The submission's own words that it sends something: "(đính kèm …)", "(Có dự thảo … kèm theo)",
# "gửi kèm …", "kèm theo Tờ trình này".
_OWN_SENDING = re.compile(r"(gui|dinh) kem|kem theo (to trinh|cong van|van ban|bao cao) nay|"
                          r"\(\s*(co |gui kem|dinh kem|kem theo|du thao)")
_OBLIGATION = re.compile(r"trong thoi han|theo quy dinh|co trach nhiem|\bphai\b|thanh phan ho so")
_PART_KINDS = {"phu luc", "danh sach", "bang tong hop", "bien ban"}
_PART_OF_DOCUMENT = re.compile(r"(ke hoach|quyet dinh|bao cao|de an|chuong trinh|dieu le|giai trinh)[^()]{0,20}"
                               r"\(\s*(co|kem theo|dinh kem)[^()]*(phu luc|danh sach|bang tong hop|bien ban)")


_CITED_DOCUMENT = re.compile(r"^\s*(luat|bo luat|nghi dinh|thong tu|nghi quyet|quyet dinh|chi thi|cong van|ke hoach|van ban)"
                             r"\s+(so\s+)?\d")


def _attachment_tails(folded: str) -> list[str]:
    """What follows 'đính kèm' / precedes '… kèm theo)': the named documents, not the whole sentence."""
    tails = []
    for m in patterns().attachment.finditer(folded):
        after = re.split(r"[).;]", folded[m.end():], maxsplit=1)[0][:100]
        if _CITED_DOCUMENT.match(after):
            continue  # "Phụ lục II kèm theo Nghị định số 126/2024/NĐ-CP": part of a cited document
        opening = folded.rfind("(", 0, m.start())
        # "(Có dự thảo Quyết định kèm theo)": only inside a parenthesis still open at "kèm theo"
        before = folded[opening:m.start()] if opening >= 0 and ")" not in folded[opening:m.start()] else ""
        tails.append(f"{before} {m.group(0)} {after}")
    return tails


def _original_words(text: str, folded_words: str) -> str:
    """The words as written (with diacritics) for a folded match, when they can be found."""
    folded = fold(text)
    i = folded.find(folded_words)
    return text[i:i + len(folded_words)] if i >= 0 and len(folded) == len(text) else folded_words


# ---------------------------------------------------------------- number, date

def _signed_copy(ctx: RuleContext):
    sub = ctx.submission
    if sub is not None and sub.is_signed:
        return sub
    signed = [f for f in ctx.dossier.submission_copies if f.is_signed and f.preferred]
    return signed[0] if signed else None


@rule("VB121")
def symbol_fits_issuer(ctx: RuleContext):
    sub = ctx.submission
    if sub is None or sub.document.number is None:
        return None
    doc = sub.document
    num = doc.number
    problems = []
    if doc.doc_type and fold(doc.doc_type) == "to trinh" and num.type_abbr != "TTr":
        seen = f" (thấy '{num.type_abbr}')" if num.type_abbr else ""
        problems.append(f"không có chữ viết tắt loại văn bản 'TTr' của tờ trình{seen}")
    if num.issuer_abbr and doc.issuing_agency:
        match = agencies().abbr_matches(num.issuer_abbr, doc.issuing_agency.text)
        expected = ", ".join(agencies().abbrs_for(doc.issuing_agency.text))
        if match is False and expected:  # an agency missing from the table is not evidence of a fault
            problems.append(f"có chữ viết tắt cơ quan '{num.issuer_abbr}' không khớp '{squash_spaces(doc.issuing_agency.text)}' (cần {expected})")
    return [Hit(file=sub.name, location=num.location.describe() if num.location else None, evidence=num.raw,
                params={"symbol": num.symbol or num.raw, "problem": p}) for p in problems]


def _copy_label(df) -> str:
    return "Văn bản trình đã ký số" if df.is_signed else "Văn bản trình (bản chưa ký)"


def _judged_copy(ctx: RuleContext):
    """The copy of the submission whose number and date count: the signed twin when there is one.

    None (rule not applicable) without a submission, or when that copy is a scan:
    its number is in the image and VB003/VB004 ask for a look.
    """
    if ctx.submission is None:
        return None
    target = _signed_copy(ctx) or ctx.submission
    # a scan (read by OCR or not): the number and day are often handwritten in the image; VB004 asks for a look
    return None if target.document.source.is_scan or target.document.source.ocr_pages else target


@rule("VB122")
def number_on_signed_copy(ctx: RuleContext):
    target = _judged_copy(ctx)
    if target is None:
        return None
    doc = target.document
    if facts.is_numbered(doc):
        return []
    raw = doc.number.raw if doc.number else "không thấy dòng 'Số:'"
    loc = doc.number.location.describe() if doc.number and doc.number.location else None
    severity = None if target.is_signed else "info"
    return [Hit(file=target.name, location=loc, evidence=raw, severity=severity,
                params={"what": _copy_label(target), "raw": raw})]


@rule("VB123")
def date_on_signed_copy(ctx: RuleContext):
    target = _judged_copy(ctx)
    if target is None:
        return None
    doc = target.document
    if doc.date and doc.date.date:
        return []
    raw = doc.date.raw if doc.date else "không thấy dòng địa danh, ngày tháng"
    loc = doc.date.location.describe() if doc.date and doc.date.location else None
    severity = None if target.is_signed else "info"
    return [Hit(file=target.name, location=loc, evidence=raw, severity=severity,
                params={"what": _copy_label(target), "raw": raw})]


@rule("VB107")
def drafts_digitally_signed(ctx: RuleContext):
    drafts = ctx.dossier.with_role(ROLE_DRAFT, preferred_only=True)
    if not drafts:
        return None
    # a scanned draft may carry its seal or initials in the image: only a look can tell
    unsigned = [d for d in drafts if d.document and not d.is_signed and not d.document.source.is_scan]
    return [Hit(file=d.name, params={"file": d.name}) for d in unsigned]
