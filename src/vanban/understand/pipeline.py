"""The spaCy layer: a blank Vietnamese pipeline with vanban's recognisers.

Each recogniser is a registered component (``@Language.factory``) that reads
its phrases from ``patterns/*.jsonl`` and writes ``doc.spans`` groups:
``numbers``, ``dates``, ``citations``, ``agencies``, ``positions``,
``authority``, ``recommendations``, ``vague``, ``attachments``, ``marks``.
Regular expressions find the text; ``doc.char_span(..., alignment_mode="expand")``
maps it onto tokens. The parsed value (NumberSymbol, DocDate, Citation, or
the pattern's kind) is kept on the span as ``span._.vanban``.
"""

from __future__ import annotations

import re
import threading
from typing import Callable, Iterable, Iterator, Optional

import spacy
from spacy.lang.vi import VietnameseTokenizer
from spacy.language import Language
from spacy.tokens import Doc, Span

from .citations import find_citation_spans
from .fields import DATE_WORDS, NUMBER_RE, parse_doc_date, parse_number_symbol
from .patterns import alternation, load_patterns, texts

if not Span.has_extension("vanban"):
    Span.set_extension("vanban", default=None)

SPAN_GROUPS = (
    "numbers", "dates", "citations", "agencies", "positions", "authority",
    "recommendations", "vague", "attachments", "marks",
)

_LETTER = "A-Za-zÀ-ỹĐđ"


def doc_text(doc: Doc) -> str:
    """``doc.text`` once per Doc (spaCy rebuilds it from the tokens on every access)."""
    text = doc.user_data.get("vanban_text")
    if text is None:
        text = doc.user_data["vanban_text"] = doc.text
    return text


def _add_spans(doc: Doc, group: str, matches: Iterable[tuple[int, int, object, str]]) -> None:
    spans = list(doc.spans[group]) if group in doc.spans else []
    for start, end, value, label in matches:
        span = doc.char_span(start, end, label=label, alignment_mode="expand")
        if span is None:
            continue
        span._.vanban = value
        spans.append(span)
    doc.spans[group] = spans


@Language.factory("vanban_numbers")
def make_numbers(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    def numbers(doc: Doc) -> Doc:
        matches = []
        text = doc_text(doc)
        for match in NUMBER_RE.finditer(text):
            line_end = text.find("\n", match.start())
            parsed = parse_number_symbol(text[match.start(): line_end if line_end >= 0 else len(text)])
            if parsed is not None:
                matches.append((match.start(), match.end(), parsed, "NUMBER"))
        _add_spans(doc, "numbers", matches)
        return doc

    return numbers


@Language.factory("vanban_dates")
def make_dates(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    def dates(doc: Doc) -> Doc:
        matches = []
        text = doc_text(doc)
        for match in DATE_WORDS.finditer(text):
            line_start = text.rfind("\n", 0, match.start()) + 1
            parsed = parse_doc_date(text[line_start: match.end()])
            if parsed is None:
                continue
            start = match.start()
            if parsed.place:
                found = text.rfind(parsed.place, line_start, match.start())
                start = found if found >= 0 else start
            matches.append((start, match.end(), parsed, "DATE"))
        _add_spans(doc, "dates", matches)
        return doc

    return dates


@Language.factory("vanban_citations")
def make_citations(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    def citations(doc: Doc) -> Doc:
        _add_spans(doc, "citations", ((s, e, c, "CITATION") for s, e, c in find_citation_spans(doc_text(doc))))
        return doc

    return citations


def _phrase_regex(phrases: Iterable[str], *, case_sensitive: bool) -> re.Pattern:
    flags = 0 if case_sensitive else re.IGNORECASE
    return re.compile(rf"(?<![{_LETTER}]){alternation(phrases)}(?![{_LETTER}])", flags)


@Language.factory("vanban_phrases")
def make_phrases(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    """Agencies, positions, authority marks, recommendation verbs, vague and attachment phrases, marks."""
    agency_re = _phrase_regex(texts("agencies", key="head"), case_sensitive=True)
    position_re = _phrase_regex(texts("positions"), case_sensitive=True)
    authority_rows = load_patterns("authority")
    authority_re = re.compile(
        r"(?m)(?:^|(?<=\t)|(?<=   ))[ \t*]*(?P<mark>" + "|".join(f"(?:{r['pattern']})" for r in authority_rows)
        + r")(?:[ \t]*\.[ \t]*|[ \t]+)(?=[A-ZĐÀ-Ỹ]{2})"
    )
    marks_by_kind = {row["text"]: row["kind"] for row in load_patterns("marks")}
    marks_re = _phrase_regex(marks_by_kind, case_sensitive=True)
    verb_re = _phrase_regex(texts("recommendations", "verb"), case_sensitive=False)
    vague_re = _phrase_regex(
        texts("recommendations", "vague") + texts("recommendations", "always_vague"), case_sensitive=False
    )
    attach_re = _phrase_regex(texts("attachments", "phrase"), case_sensitive=False)

    def mark_of(raw: str) -> str:
        letters = re.sub(r"[\s.]", "", raw).upper()
        for row in authority_rows:
            if re.fullmatch(row["pattern"].replace(r"\s*", ""), letters):
                return row["mark"]
        return letters + "."

    def phrases(doc: Doc) -> Doc:
        text = doc_text(doc)
        _add_spans(doc, "agencies", ((m.start(), m.end(), m.group(0), "AGENCY") for m in agency_re.finditer(text)))
        _add_spans(doc, "positions", ((m.start(), m.end(), m.group(0), "POSITION") for m in position_re.finditer(text)))
        _add_spans(doc, "authority", (
            (m.start("mark"), m.end("mark"), mark_of(m.group("mark")), "AUTHORITY") for m in authority_re.finditer(text)
        ))
        _add_spans(doc, "marks", (
            (m.start(), m.end(), marks_by_kind.get(re.sub(r"\s+", " ", m.group(0)), "draft"), "MARK")
            for m in marks_re.finditer(text)
        ))
        _add_spans(doc, "recommendations", (
            (m.start(), m.end(), m.group(0).lower(), "RECOMMENDATION") for m in verb_re.finditer(text)
        ))
        _add_spans(doc, "vague", ((m.start(), m.end(), m.group(0).lower(), "VAGUE") for m in vague_re.finditer(text)))
        _add_spans(doc, "attachments", (
            (m.start(), m.end(), m.group(0).lower(), "ATTACHMENT") for m in attach_re.finditer(text)
        ))
        return doc

    return phrases


_LOCK = threading.Lock()
_NLP: Optional[Language] = None

PIPE_NAMES = ("vanban_numbers", "vanban_dates", "vanban_citations", "vanban_phrases")


def get_pipeline() -> Language:
    """The pipeline, built once per process."""
    global _NLP
    if _NLP is None:
        with _LOCK:
            if _NLP is None:
                nlp = spacy.blank("vi", config={"nlp": {"tokenizer": {"use_pyvi": False}}})
                for pipe in PIPE_NAMES:
                    nlp.add_pipe(pipe)
                _NLP = nlp
    return _NLP


# spaCy's Vietnamese tokenizer aligns words to the text in time quadratic in its length
# (util.get_words_and_spaces): a 300-page report would take minutes. Long texts are tokenized
# in pieces cut after a line break (else a space) and joined into one Doc with the same text,
# then the components run once on the whole Doc.
PIECE_CHARS = 20_000


def text_pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters whose concatenation is ``text``."""
    pieces = []
    start = 0
    while start < len(text):
        end = start + size
        if end < len(text):
            cut = text.rfind("\n", start + size // 2, end)
            if cut < 0:
                cut = text.rfind(" ", start + size // 2, end)
            if cut >= 0:
                end = cut + 1
        pieces.append(text[start:end])
        start = end
    return pieces


def _words_and_spaces(text: str, words: list[str], spaces: list[bool]) -> None:
    """spaCy's ``get_words_and_spaces(text.split(), text)`` (the Vietnamese tokenizer without pyvi),
    in linear time: each word is searched from the current position instead of in a copy of the rest."""
    position = 0
    length = len(text)
    for word in text.split():
        start = text.index(word, position)
        if start > position:
            words.append(text[position:start])
            spaces.append(False)
        words.append(word)
        spaces.append(False)
        position = start + len(word)
        if position < length and text[position] == " ":
            spaces[-1] = True
            position += 1
    if position < length:
        words.append(text[position:])
        spaces.append(False)


def make_doc(nlp: Language, text: str) -> Doc:
    """The tokenized Doc of ``text`` (in pieces when long); ``doc.text == text``.

    With the Vietnamese tokenizer without pyvi, the words of every piece are found directly and
    the Doc built once: the same tokens as ``Doc.from_docs`` of the pieces' Docs, without making a
    Token object per word twice."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, VietnameseTokenizer) and not tokenizer.use_pyvi:
        words: list[str] = []
        spaces: list[bool] = []
        if len(text) <= PIECE_CHARS:
            _words_and_spaces(text, words, spaces)
            doc = Doc(nlp.vocab, words=words, spaces=spaces)
            doc.user_data["vanban_text"] = text  # doc.text, known without a Token per word (doc_text)
            return doc
        firsts = []
        for piece in text_pieces(text):
            firsts.append(len(words))
            _words_and_spaces(piece, words, spaces)
        # Doc.from_docs marks the first token of each piece as a sentence start: so does this Doc
        sent_starts: list = [None] * len(words)
        for first in firsts:
            if first < len(words):
                sent_starts[first] = True
        doc = Doc(nlp.vocab, words=words, spaces=spaces, sent_starts=sent_starts)
        doc.user_data["vanban_text"] = text
        return doc
    if len(text) <= PIECE_CHARS:
        return nlp.make_doc(text)
    return Doc.from_docs([nlp.make_doc(piece) for piece in text_pieces(text)], ensure_whitespace=False)


def process(texts_: Iterable[str], batch_size: int = 16) -> Iterator[Doc]:
    """Run the pipeline over many texts with ``nlp.pipe``; any length up to the reader's limit
    (:data:`vanban.guard.LIMITS.text_chars`) is processed, long texts in pieces."""
    from ..guard import LIMITS

    nlp = get_pipeline()
    nlp.max_length = max(nlp.max_length, LIMITS.text_chars + 1)
    yield from nlp.pipe((make_doc(nlp, text) for text in texts_), batch_size=batch_size)


__all__ = ["get_pipeline", "process", "doc_text", "SPAN_GROUPS"]
