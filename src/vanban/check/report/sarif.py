"""SARIF 2.1.0: rules in tool.driver.rules, one result per finding, the file as location."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from ... import __version__
from ..model import DossierResult
from ..rules import catalogue
from .json_report import ListSplice

LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(source: str, file: str | None) -> str:
    base = Path(source)
    path = base / file if file and base.is_dir() else (base if not file else Path(f"{base}/{file}"))
    return quote(path.as_posix(), safe="/:")


def _rules(infos) -> list[dict]:
    return [{
        "id": r.id, "name": r.name,
        "shortDescription": {"text": r.name},
        "fullDescription": {"text": r.why},
        "help": {"text": f"{r.why}\nCăn cứ: {r.clause}\nSai: {r.bad}\nĐúng: {r.good}"},
        "defaultConfiguration": {"level": LEVEL[r.severity]},
        "properties": {"clause": r.clause},
    } for r in infos.values()]


def _results(d: DossierResult, ids: list[str]) -> list[dict]:
    out = []
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
        out.append(result)
    return out


def _document(rules: list[dict], results: list[dict]) -> dict:
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "vanban", "version": __version__, "informationUri": "https://github.com/",
                                "rules": rules}},
            "results": results,
            "columnKind": "unicodeCodePoints",
        }],
    }


def to_sarif(results: list[DossierResult]) -> str:
    infos = catalogue()
    ids = list(infos)
    doc = _document(_rules(infos), [x for d in results for x in _results(d, ids)])
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


class SarifRenderer:
    """``to_sarif`` one dossier at a time: the rules first, then each finding as it comes."""

    spool = False

    def __init__(self):
        infos = catalogue()
        self.ids = list(infos)
        rules = _rules(infos)
        self.splice = ListSplice(lambda items: _document(rules, items))
        self.count = 0

    def add(self, result: DossierResult) -> str:
        parts = []
        for item in _results(result, self.ids):
            parts.append(self.splice.item(item, first=not self.count))
            self.count += 1
        return "".join(parts)

    def finish(self) -> tuple[str, str]:
        return "", self.splice.close(self.count)
