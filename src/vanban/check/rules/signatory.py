"""VB4xx: who signs the submission (Nghị định 30, Điều 13; seed 003, points 4a–4b)."""

from __future__ import annotations

import re

from ...text import fold, squash_spaces
from ..patterns import agencies
from . import Hit, RuleContext, rule


def _upper(text: str | None) -> str:
    return squash_spaces(text or "").upper()


def _is_deputy(position: str) -> bool:
    return any(_upper(position).startswith(p) for p in agencies().deputy_prefixes)


def _mark(sig) -> str:
    return (sig.authority_mark or "").upper().rstrip(".") + ("." if sig.authority_mark else "")


def _sig(ctx: RuleContext):
    sub = ctx.submission
    if sub is None or sub.document.signature is None:
        return None, None
    return sub, sub.document.signature


@rule("VB401")
def head_or_deputy_with_kt(ctx: RuleContext):
    sub, sig = _sig(ctx)
    if sig is None or not sig.position:
        return None
    if _is_deputy(sig.position) and _mark(sig) not in ("KT.",):
        if _mark(sig) in ("TL.", "TUQ."):
            return []  # VB402 reports it
        return [Hit(file=sub.name, location=sig.location.describe() if sig.location else None,
                    evidence=" / ".join(sig.positions), params={"signer": sig.signer_name or "?", "position": sig.position})]
    return []


@rule("VB402")
def no_tl_tuq_or_unit_signing(ctx: RuleContext):
    sub, sig = _sig(ctx)
    if sig is None:
        return None
    position = _upper(sig.position)
    unit = any(position == p or position.startswith(p + " ") for p in agencies().unit_positions)
    if _mark(sig) in ("TL.", "TUQ.") or unit:
        return [Hit(file=sub.name, location=sig.location.describe() if sig.location else None,
                    evidence=" / ".join(filter(None, (sig.authority_text, *sig.positions))),
                    params={"authority": sig.authority_text or _mark(sig) or position, "position": position or "?"})]
    return []


@rule("VB403")
def head_signs_when_assigned(ctx: RuleContext):
    assigned = ctx.options.assigned_to_head if ctx.options.assigned_to_head is not None else ctx.profile.assigned_to_head
    if not assigned:
        return None
    sub, sig = _sig(ctx)
    if sig is None:
        return None
    if _mark(sig) == "KT." or (sig.position and _is_deputy(sig.position)):
        return [Hit(file=sub.name, location=sig.location.describe() if sig.location else None,
                    evidence=" / ".join(filter(None, (sig.authority_text, *sig.positions))),
                    params={"authority": sig.authority_text or sig.position or "?"})]
    return []


_AGENCY_WORDS = re.compile(r"\b(uy ban|ubnd|so |cong an|van phong|ban |trung tam|cong ty|bo |tong cuc|cuc )")


def _name_key(name: str) -> str:
    return squash_spaces(fold(name))


@rule("VB404")
def digital_signer_matches(ctx: RuleContext):
    copies = [f for f in ctx.dossier.submission_copies if f.is_signed]
    if not copies:
        return None
    names = [f.document.signature.signer_name for f in ctx.dossier.submission_copies
             if f.document.signature and f.document.signature.signer_name]
    if not names:
        return None
    hits = []
    for f in copies:
        # the copy's own signature block speaks for it; else the judged submission's
        own = f.document.signature.signer_name if f.document.signature and f.document.signature.signer_name else None
        signer = own or names[0]
        key = _name_key(signer)
        personal = [s for s in f.document.source.signatures
                    if s.signer_name and not _AGENCY_WORDS.search(_name_key(s.signer_name) + " ")]
        if not personal:
            continue
        if any(key and (key in _name_key(s.signer_name) or _name_key(s.signer_name) in key) for s in personal):
            continue
        hits.append(Hit(file=f.name, evidence=personal[0].subject or personal[0].signer_name,
                        location=f"chữ ký số trang {personal[0].page}" if personal[0].page else "chữ ký số",
                        params={"cert_name": personal[0].signer_name, "signer": signer}))
    return hits


@rule("VB405")
def signer_identified(ctx: RuleContext):
    sub = ctx.submission
    if sub is None:
        return None
    if any(f.is_signed or (f.document.signature and (f.document.signature.signer_name or f.document.signature.positions))
           for f in ctx.dossier.submission_copies):
        return []
    if not sub.document.source.text.strip():
        return None
    return [Hit(file=sub.name)]
