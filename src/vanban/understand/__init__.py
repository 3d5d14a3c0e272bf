"""Understanding a document: RawDocument → Document (spaCy layer).

    understand(raw) -> Document
    understand_many(raws) -> Iterator[Document]        (nlp.pipe)
    parse_citation(text) / find_citations(text)
    parse_number_symbol(text) / parse_doc_date(text)
"""

from __future__ import annotations

from typing import Iterable, Iterator

from vanban.model import Document, RawDocument

from .citations import find_citations, parse_citation
from .fields import parse_doc_date, parse_number_symbol
from .pipeline import get_pipeline, process

__all__ = [
    "understand", "understand_many", "parse_citation", "find_citations",
    "parse_number_symbol", "parse_doc_date", "get_pipeline",
]


def _text_and_starts(raw: RawDocument) -> tuple[str, list[int]]:
    """The text given to spaCy: blocks joined by newlines, markdown bold markers blanked (same length)."""
    starts = []
    position = 0
    parts = []
    for block in raw.blocks:
        starts.append(position)
        parts.append(block.text.replace("*", " "))
        position += len(block.text) + 1
    return "\n".join(parts), starts


def understand(raw: RawDocument) -> Document:
    """The structure of one document."""
    return next(understand_many([raw]))


def understand_many(raws: Iterable[RawDocument]) -> Iterator[Document]:
    """The structure of many documents, processed in batches with ``nlp.pipe``."""
    from .structure import understand_doc

    pending: list[tuple[RawDocument, list[int]]] = []

    def texts() -> Iterator[str]:
        for raw in raws:
            text, starts = _text_and_starts(raw)
            pending.append((raw, starts))
            yield text

    for doc in process(texts()):
        raw, starts = pending.pop(0)
        yield understand_doc(raw, doc, starts)
