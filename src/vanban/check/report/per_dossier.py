"""Documents written one per checked dossier (phiếu trình, công văn trả hồ sơ).

One dossier: the target is the .docx itself (or an existing folder to put it in).
A batch: the target is a folder with one ``<dossier><suffix>`` each. A dossier
whose document cannot be written is reported and the others are still written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

from ...errors import EXIT_OUTPUT, VanbanError
from ..model import DossierResult

_UNSAFE = re.compile(r'[\x00-\x1f<>:"/\\|?*]+')
MAX_NAME_BYTES = 200  # file systems allow 255 bytes; the temporary file adds about 20


@dataclass(frozen=True)
class DocumentOutcome:
    dossier: str
    path: Optional[Path] = None  # the document written
    error: Optional[str] = None  # why it was not (Vietnamese)
    exit_code: int = 0
    skipped: bool = False  # nothing to write for this dossier (e.g. no return letter for an accepted one)


class Skip(Exception):
    """Raised by a writer when the dossier needs no document; the message says why (Vietnamese)."""


def output_name(dossier_name: str, suffix: str, copy: int = 1) -> str:
    """``<dossier><suffix>`` (``<dossier> (2)<suffix>`` for a second dossier of the same name), safe on
    every file system: no separators, at most MAX_NAME_BYTES bytes in UTF-8."""
    stem = _UNSAFE.sub("-", unicodedata.normalize("NFC", dossier_name)).strip(" .-") or "ho-so"
    tail = (f" ({copy})" if copy > 1 else "") + suffix
    budget = MAX_NAME_BYTES - len(tail.encode("utf-8"))
    while len(stem.encode("utf-8")) > budget:
        stem = stem[:-1]
    return f"{stem.rstrip(' .-')}{tail}"


class Names:
    """The names given so far in a batch's folder: a second dossier of the same name gets `` (2)``.
    Kept across calls, so a batch whose documents are written as its results come names them as
    one call for the whole batch would."""

    def __init__(self):
        self.used: set[str] = set()

    def path(self, result: DossierResult, target: Path, suffix: str) -> Path:
        name = output_name(result.name, suffix)
        copy = 2
        while name in self.used:
            name = output_name(result.name, suffix, copy)
            copy += 1
        self.used.add(name)
        return target / name


def target_paths(results: list[DossierResult], target: Path, suffix: str, *, single: bool,
                 names: Optional[Names] = None) -> list[Path]:
    if single:
        return [target / output_name(results[0].name, suffix) if target.is_dir() else target] if results else []
    names = names if names is not None else Names()
    return [names.path(r, target, suffix) for r in results]


def write_per_dossier(results: list[DossierResult], target: Path, suffix: str, *, single: bool,
                      write_one: Callable[[DossierResult, Path], Path],
                      names: Optional[Names] = None) -> list[DocumentOutcome]:
    """``names``: those given by earlier calls of the same batch (results written as they come)."""
    outcomes = []
    for result, path in zip(results, target_paths(results, target, suffix, single=single, names=names)):
        try:
            written = write_one(result, path)
        except Skip as why:
            outcomes.append(DocumentOutcome(result.name, None, str(why), skipped=True))
        except VanbanError as exc:
            outcomes.append(DocumentOutcome(result.name, None, str(exc), exc.exit_code))
        except OSError as exc:  # the folder cannot be made, the disk is full
            outcomes.append(DocumentOutcome(result.name, None, f"{path}: không ghi được tệp ({exc.strerror})",
                                            EXIT_OUTPUT))
        else:
            outcomes.append(DocumentOutcome(result.name, written))
    return outcomes
