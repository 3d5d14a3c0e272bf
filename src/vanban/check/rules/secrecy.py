"""VB45x: secret content goes on paper only (seed 003, point 4c)."""

from __future__ import annotations

from . import Hit, RuleContext, rule


@rule("VB451")
def no_secret_in_electronic_dossier(ctx: RuleContext):
    docs = [f for f in ctx.dossier.files if f.document is not None]
    if not docs:
        return None
    return [Hit(file=f.name, evidence=f.document.marks.secrecy, params={"mark": f.document.marks.secrecy})
            for f in docs if f.document.marks.secrecy]
