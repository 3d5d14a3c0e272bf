"""JSON report (schemas/check-report.schema.json)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from typing import Callable, Optional

from ... import __version__
from ..model import DossierResult

OUTCOME_KEYS = {"tiep_nhan": "accepted", "tiep_nhan_luu_y": "accepted_with_notes", "chuyen_tra": "returned",
                "can_xem": "needs_look", "van_ban_den": "incoming"}


def dossier_data(r: DossierResult) -> dict:
    d = dataclasses.asdict(r)
    d.pop("review", None)  # the phiếu trình's working data, not part of the report's schema
    d["counts"] = {"error": r.count("error"), "warning": r.count("warning"), "info": r.count("info")}
    return d


def _generated() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")


def _document(dossiers: list, outcomes: dict[str, int], generated: str) -> dict:
    summary = {"dossiers": sum(outcomes.values())}
    summary.update({key: outcomes.get(outcome, 0) for outcome, key in OUTCOME_KEYS.items()})
    return {
        "tool": {"name": "vanban", "version": __version__},
        "generated": generated,
        "dossiers": dossiers,
        "summary": summary,
    }


def _outcomes(results: list[DossierResult]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for r in results:
        counts[r.decision.outcome] = counts.get(r.decision.outcome, 0) + 1
    return counts


def to_json_data(results: list[DossierResult], generated: Optional[str] = None) -> dict:
    return _document([dossier_data(r) for r in results], _outcomes(results), generated or _generated())


def to_json(results: list[DossierResult], generated: Optional[str] = None) -> str:
    return dump(to_json_data(results, generated))


def dump(document) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


_FIRST, _SECOND = "\x00vanban:first-item\x00", "\x00vanban:second-item\x00"


class ListSplice:
    """A JSON document (indent 2) one of whose lists is written item by item, in the bytes ``dump``
    gives for the whole: ``skeleton(items)`` builds the document around the list; ``open`` (what comes
    before the first item), ``between`` (between two items) and the indentation of the items are found
    by rendering it with two markers, the end once the list is complete (it may hold totals)."""

    def __init__(self, skeleton: Callable[[list], dict]):
        self.skeleton = skeleton
        self.open, self.between, _ = self._split()
        self.indent = self.open[self.open.rindex("\n") + 1:]

    def _split(self) -> tuple[str, str, str]:
        text = dump(self.skeleton([_FIRST, _SECOND]))
        first, second = json.dumps(_FIRST), json.dumps(_SECOND)
        a, b = text.index(first), text.index(second)
        return text[:a], text[a + len(first):b], text[b + len(second):]

    def item(self, value, first: bool) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + self.indent)
        return (self.open if first else self.between) + text

    def close(self, count: int) -> str:
        """The text after the last item; with no item at all, the whole document."""
        return self._split()[2] if count else dump(self.skeleton([]))


class JsonRenderer:
    """``to_json`` one dossier at a time (the summary, after the dossiers, from running counts)."""

    spool = False

    def __init__(self, generated: Optional[str] = None):
        self.generated = generated or _generated()
        self.outcomes: dict[str, int] = {}
        self.count = 0
        self.splice = ListSplice(lambda items: _document(items, self.outcomes, self.generated))

    def add(self, result: DossierResult) -> str:
        text = self.splice.item(dossier_data(result), first=not self.count)
        self.count += 1
        self.outcomes[result.decision.outcome] = self.outcomes.get(result.decision.outcome, 0) + 1
        return text

    def finish(self) -> tuple[str, str]:
        return "", self.splice.close(self.count)
