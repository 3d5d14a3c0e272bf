"""JSON report (schemas/check-report.schema.json)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

from ... import __version__
from ..model import DossierResult


def to_json_data(results: list[DossierResult]) -> dict:
    dossiers = []
    for r in results:
        d = dataclasses.asdict(r)
        d.pop("review", None)  # the phiếu trình's working data, not part of the report's schema
        d["counts"] = {"error": r.count("error"), "warning": r.count("warning"), "info": r.count("info")}
        dossiers.append(d)
    return {
        "tool": {"name": "vanban", "version": __version__},
        "generated": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "dossiers": dossiers,
        "summary": {
            "dossiers": len(results),
            "accepted": sum(1 for r in results if r.decision.outcome == "tiep_nhan"),
            "accepted_with_notes": sum(1 for r in results if r.decision.outcome == "tiep_nhan_luu_y"),
            "returned": sum(1 for r in results if r.decision.outcome == "chuyen_tra"),
            "needs_look": sum(1 for r in results if r.decision.outcome == "can_xem"),
            "incoming": sum(1 for r in results if r.decision.outcome == "van_ban_den"),
        },
    }


def to_json(results: list[DossierResult]) -> str:
    return json.dumps(to_json_data(results), ensure_ascii=False, indent=2) + "\n"
