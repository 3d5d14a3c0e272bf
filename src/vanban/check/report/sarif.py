"""SARIF 2.1.0: rules in tool.driver.rules, one result per finding, the file as location."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ..model import DossierResult
from ..rules import catalogue

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(source: str, file: str | None) -> str:
    base = Path(source)
    path = base / file if file and base.is_dir() else (base if not file else Path(f"{base}/{file}"))
    return quote(path.as_posix(), safe="/:")


def to_sarif(results: list[DossierResult]) -> str:
    infos = catalogue()
    ids = list(infos)
    rules = [{
        "id": r.id, "name": r.name,
        "shortDescription": {"text": r.name},
        "fullDescription": {"text": r.why},
        "help": {"text": f"{r.why}\nCăn cứ: {r.clause}\nSai: {r.bad}\nĐúng: {r.good}"},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"clause": r.clause},
    } for r in infos.values()]
    out_results = []
    for d in results:
        for f in d.findings:
            result = {
                "ruleId": f.rule_id, "ruleIndex": ids.index(f.rule_id) if f.rule_id in ids else -1,
                "level": LEVEL[f.severity], "message": {"text": f.message},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(d.source, f.file)}},
                               **({"message": {"text": f.location}} if f.location else {})}],
                "properties": {"dossier": d.name, "decision": d.decision.label, "evidence": f.evidence},
            }
            if result["ruleIndex"] < 0:
                del result["ruleIndex"]
            out_results.append(result)
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "vanban", "version": __version__, "informationUri": "https://github.com/",
                                "rules": rules}},
            "results": out_results,
            "columnKind": "unicodeCodePoints",
        }],
    }
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
