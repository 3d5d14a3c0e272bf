"""The legal-basis registry: which cited documents are in force on a given day.

Data, not code: ``legal/data/legal_bases.yaml`` (seeded from DOMAIN.md §5) plus
any files the office passes (``--legal-registry FILE``), all validated by
``schemas/legal-bases.schema.json``. A citation is resolved by its
number/symbol, or, for laws cited by name (``Luật Tổ chức chính quyền địa
phương năm 2015``), by title + year.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Optional

from ..config import load_data_file
from ..model import Citation
from ..text import fold, normalize_dashes, normalize_text

DEFAULT_REGISTRY = Path(__file__).resolve().parent / "data" / "legal_bases.yaml"


@dataclass(frozen=True)
class LegalEntry:
    symbol: str
    doc_type: str
    title: str
    issued: dt.date
    effective: Optional[dt.date] = None
    expired: Optional[dt.date] = None
    replaced_by: Optional[str] = None
    amended_by: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    note: Optional[str] = None
    source: str = ""  # the registry file it came from

    @property
    def year(self) -> int:
        return self.issued.year

    @property
    def label(self) -> str:
        """``Luật Tổ chức chính quyền địa phương số 77/2015/QH13``."""
        return f"{self.title} số {self.symbol}" if self.doc_type == "Luật" else f"{self.doc_type} số {self.symbol}"


@dataclass(frozen=True)
class Validity:
    """Whether an entry is in force on ``as_of`` and, if not, why (Vietnamese)."""

    entry: LegalEntry
    as_of: dt.date
    in_force: bool
    reason: str = ""


def symbol_key(symbol: str) -> str:
    """Compare symbols forgivingly: ``30/2020/NĐ-CP`` = ``30/2020/ND-CP`` = ``030/2020/nđ - cp``."""
    s = fold(normalize_dashes(normalize_text(symbol)))
    s = re.sub(r"\s+", "", s)
    number, _, rest = s.partition("/")
    return f"{number.lstrip('0') or '0'}/{rest}"


def _date(value) -> Optional[dt.date]:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _fmt(day: dt.date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


@dataclass
class LegalRegistry:
    entries: list[LegalEntry] = field(default_factory=list)

    @classmethod
    def load(cls, extra_files: Iterable[str | Path] = ()) -> "LegalRegistry":
        """The shipped registry plus the office's files (later files win on the same symbol)."""
        by_symbol: dict[str, LegalEntry] = {}
        for path in (DEFAULT_REGISTRY, *map(Path, extra_files)):
            for entry in _load_file(str(path)):
                by_symbol[symbol_key(entry.symbol)] = entry
        return cls(list(by_symbol.values()))

    def by_symbol(self, symbol: str) -> Optional[LegalEntry]:
        key = symbol_key(symbol)
        for entry in self.entries:
            if symbol_key(entry.symbol) == key:
                return entry
        return None

    def resolve(self, citation: Citation, as_of: Optional[dt.date] = None) -> Optional[LegalEntry]:
        """The registry entry a citation points to, or None when it is not registered.

        ``as_of`` breaks ties between laws of the same name and year (two laws on
        local government were passed in 2025): the one in force that day wins.
        """
        if citation.symbol:
            found = self.by_symbol(citation.symbol)
            if found:
                return found
        symbol = _symbol_in(citation.raw)
        if symbol:
            found = self.by_symbol(symbol)
            if found:
                return found
            return None  # cited by a number we do not know: never guess by title
        return self._by_title(citation, as_of)

    def _by_title(self, citation: Citation, as_of: Optional[dt.date]) -> Optional[LegalEntry]:
        text = fold(squash(citation.raw))
        title_text = fold(citation.title or "")
        years = {int(y) for y in re.findall(r"\b(19[5-9]\d|20\d\d)\b", text)}
        if citation.year:
            years.add(citation.year)
        scored: list[tuple[int, LegalEntry]] = []
        for entry in self.entries:
            for name in (entry.title, *entry.aliases):
                key = fold(name)
                if key and (key in text or (title_text and key == title_text)):
                    # a longer name is a more specific match ("Luật sửa đổi … Luật X" over "Luật X")
                    score = len(key) * 10 + (5 if entry.year in years else 0)
                    if years and entry.year not in years:
                        continue
                    scored.append((score, entry))
        if not scored:
            return None
        top = max(score for score, _ in scored)
        candidates = [e for score, e in scored if score == top]
        if as_of and len(candidates) > 1:
            in_force = [e for e in candidates if self.validity(e, as_of).in_force]
            if in_force:
                return in_force[0]
        return candidates[-1] if not as_of else candidates[0]

    def validity(self, entry: LegalEntry, as_of: dt.date) -> Validity:
        if as_of < entry.issued:
            return Validity(entry, as_of, False, f"chưa ban hành tại ngày {_fmt(as_of)} (ban hành ngày {_fmt(entry.issued)})")
        if entry.effective and as_of < entry.effective:
            return Validity(entry, as_of, False, f"chưa có hiệu lực tại ngày {_fmt(as_of)} (có hiệu lực từ {_fmt(entry.effective)})")
        if entry.expired and as_of >= entry.expired:
            reason = f"đã hết hiệu lực từ ngày {_fmt(entry.expired)}"
            if entry.replaced_by:
                reason += f", được thay thế bởi {self._describe(entry.replaced_by)}"
                current = self.in_force_successor(entry, as_of)
                if current is not None and symbol_key(current.symbol) != symbol_key(entry.replaced_by):
                    reason += f", nay là {current.label}"
            return Validity(entry, as_of, False, reason)
        return Validity(entry, as_of, True)

    def in_force_successor(self, entry: LegalEntry, as_of: dt.date) -> Optional[LegalEntry]:
        """Follow ``replaced_by`` to the document in force at ``as_of`` (77/2015 → 65/2025 → 72/2025)."""
        seen = {symbol_key(entry.symbol)}
        current = entry
        while current.replaced_by:
            successor = self.by_symbol(current.replaced_by)
            if successor is None or symbol_key(successor.symbol) in seen:
                return None
            if self.validity(successor, as_of).in_force:
                return successor
            seen.add(symbol_key(successor.symbol))
            current = successor
        return None

    def _describe(self, symbol: str) -> str:
        target = self.by_symbol(symbol)
        return target.label if target else symbol


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


_SYMBOL_RE = re.compile(r"\b(\d{1,5})\s*/\s*((?:19|20)\d\d)\s*/\s*([A-ZĐ][A-Za-zĐđ0-9]*(?:\s*[-–]\s*[A-ZĐ][A-Za-zĐđ0-9]*)*)")


def _symbol_in(text: str) -> Optional[str]:
    """The first normative number/symbol (with a year) in a text."""
    m = _SYMBOL_RE.search(normalize_text(text or ""))
    if not m:
        return None
    tail = re.sub(r"\s+", "", normalize_dashes(m.group(3)))
    return f"{m.group(1)}/{m.group(2)}/{tail}"


@lru_cache(maxsize=32)
def _load_file(path: str) -> tuple[LegalEntry, ...]:
    data = load_data_file(path, "legal-bases.schema.json")
    out = []
    for item in data["entries"]:
        out.append(LegalEntry(
            symbol=normalize_text(item["symbol"]),
            doc_type=item["doc_type"],
            title=normalize_text(item["title"]),
            issued=_date(item["issued"]),
            effective=_date(item.get("effective")),
            expired=_date(item.get("expired")),
            replaced_by=item.get("replaced_by"),
            amended_by=tuple(item.get("amended_by") or ()),
            aliases=tuple(normalize_text(a) for a in item.get("aliases") or ()),
            note=item.get("note"),
            source=path,
        ))
    return tuple(out)
