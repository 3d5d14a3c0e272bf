"""Embedded PDF signatures, read with pyHanko (no network, no trust roots).

For each signature: who signed (certificate subject CN and O), when (``/M``
in the signature dictionary), whether the signed bytes still match their
digest (``intact``), whether the signature covers the whole file, and
whether later revisions changed more than form fields (further signatures
and the stamped number/date are form filling, not modification).
Whether the certificate is trusted is not decided here: offices have no
trust roots configured and vanban never goes online.

Two paths give the same results. ``read_signatures_fast`` reads the revisions
from the raw bytes (the pypdf reader the PDF reader already has only parses
objects), the CMS with asn1crypto and the digest with hashlib, and decides
"modified" only where it can prove pyHanko's default difference policy would
say the same (new signature fields and their widgets, form dictionary field
lists, /Info and XMP updates: not modified; freed objects, a changed page
box, catalog keys, a new visible field after a certification signature:
modified). Anything else returns None and ``read_signatures_pyhanko`` decides
the file as before. tests/read/test_signature_fast.py holds them equal on the
real corpus.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import logging
import re
from typing import IO, Iterator, Optional

from vanban.model import DigitalSignature
from vanban.text import normalize_text

_PDF_DATE = re.compile(
    r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?"
    r"\s*(?:(Z)|([+\-])(\d{2})'?(?:(\d{2})'?)?)?"
)

_QUIET_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


def parse_pdf_date(value: object) -> Optional[dt.datetime]:
    """``D:20260106104239+07'00'`` → aware datetime; tolerant of missing parts and junk.

    Without a time-zone the result is naive. Returns None for anything that
    is not a date (the dictionary entry is optional and sometimes garbage).
    """
    if value is None:
        return None
    match = _PDF_DATE.match(str(value))
    if not match:
        return None
    year, month, day, hour, minute, second, zulu, sign, tz_hour, tz_minute = match.groups()
    try:
        tzinfo: Optional[dt.tzinfo] = None
        if zulu:
            tzinfo = dt.timezone.utc
        elif sign:
            offset = dt.timedelta(hours=int(tz_hour), minutes=int(tz_minute or 0))
            tzinfo = dt.timezone(-offset if sign == "-" else offset)
        return dt.datetime(
            int(year), int(month or 1), int(day or 1), int(hour or 0), int(minute or 0), int(second or 0),
            tzinfo=tzinfo,
        )
    except (ValueError, OverflowError):
        return None


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """pyHanko logs every untrusted certificate with a traceback; the user needs none of it."""
    loggers = [logging.getLogger(name) for name in _QUIET_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _subject_fields(cert) -> tuple[Optional[str], Optional[str], Optional[str]]:
    try:
        subject = cert.subject
        native = subject.native
    except Exception:  # noqa: BLE001 - a certificate we cannot parse has no subject for us
        return None, None, None

    def first(key: str) -> Optional[str]:
        value = native.get(key)
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        return normalize_text(str(value)).strip() if value else None

    try:
        human = normalize_text(subject.human_friendly)
    except Exception:  # noqa: BLE001
        human = None
    return first("common_name"), first("organization_name"), human


_READER_CLASS = None


def _caching_reader_class():
    """pyHanko's reader, with two caches its difference analysis needs to be fast.

    The analysis of a later revision reads every object of the signed
    revision (the whole structure tree of a tagged PDF) and pyHanko never
    caches an object read "as of" a revision; an object inside an object
    stream is found by re-parsing the stream's header from the start each
    time. On the real corpus that was 80 % of the signature time. Here an
    object read at a given xref position is kept (the position fixes its
    bytes, and pyHanko copies what a revision view hands out, see
    ``HistoricalResolver._subsume_object``), and each object stream's
    header is parsed once. Results are unchanged: the same objects, read
    from the same bytes, only not re-read.
    """
    global _READER_CLASS
    if _READER_CLASS is not None:
        return _READER_CLASS
    from io import BytesIO

    from pyhanko.pdf_utils import generic, misc
    from pyhanko.pdf_utils.reader import PdfFileReader

    class CachingReader(PdfFileReader):
        def __init__(self, *args, **kwargs):
            self._vanban_objects: dict = {}
            self._vanban_headers: dict = {}
            super().__init__(*args, **kwargs)

        def _read_object(self, ref, marker, never_decrypt=False, as_metadata_stream=False):
            try:
                key = (ref.idnum, ref.generation, marker, never_decrypt, as_metadata_stream)
                hash(key)
            except TypeError:
                return super()._read_object(ref, marker, never_decrypt, as_metadata_stream)
            try:
                return self._vanban_objects[key]
            except KeyError:
                obj = super()._read_object(ref, marker, never_decrypt, as_metadata_stream)
                self._vanban_objects[key] = obj
                return obj

        def _stream_header(self, stmnum):
            """(decoded data, /First, first index and offset of each object number) of an object stream."""
            if stmnum in self._vanban_headers:
                return self._vanban_headers[stmnum]
            header = None
            try:
                stream = generic.Reference(stmnum, 0, self).get_object()
                if isinstance(stream, generic.StreamObject) and stream["/Type"] == "/ObjStm":
                    data = stream.read_data(generic.DecodePurpose.OBJECT_STREAM)
                    reader = BytesIO(data)
                    offsets: dict[int, tuple[int, int]] = {}
                    for i in range(stream["/N"]):
                        misc.read_non_whitespace(reader, seek_back=True)
                        objnum = generic.NumberObject.read_from_stream(reader)
                        misc.read_non_whitespace(reader, seek_back=True)
                        offset = generic.NumberObject.read_from_stream(reader)
                        misc.read_non_whitespace(reader, seek_back=True)
                        offsets.setdefault(int(objnum), (i, int(offset)))
                    header = (data, int(stream["/First"]), int(stream["/N"]), offsets)
            except Exception:  # noqa: BLE001 - an odd stream: pyHanko's own path decides
                header = None
            self._vanban_headers[stmnum] = header
            return header

        def _get_object_from_stream(self, idnum, stmnum, idx):
            header = None if self.strict else self._stream_header(stmnum)
            if header is None:
                return super()._get_object_from_stream(idnum, stmnum, idx)
            data, first, count, offsets = header
            if not (0 <= idx < count):
                return generic.NullObject()
            if idnum not in offsets:
                return super()._get_object_from_stream(idnum, stmnum, idx)
            stream_data = BytesIO(data)
            stream_data.seek(first + offsets[idnum][1])
            try:
                obj = generic.read_object(stream_data, generic.Reference(idnum, 0, self))
            except (misc.PdfStreamError, misc.PdfReadError):
                return generic.NullObject()
            return obj

    from vanban.read.pdf_widgets import fast_hex_reader

    if not getattr(generic.read_hex_string_from_stream, "vanban_fast", False):
        # the signature's /Contents: see fast_hex_reader
        generic.read_hex_string_from_stream = fast_hex_reader(
            generic.read_hex_string_from_stream, misc.PDF_WHITESPACE, generic.pdf_string)
    _READER_CLASS = CachingReader
    return CachingReader


def _intact(signer_info, cert, digest: Optional[bytes]) -> Optional[bool]:
    """Whether the CMS signature still matches the signed bytes' digest (pyHanko's check, CMS only);
    None when it cannot be told (no digest, unknown algorithms, broken CMS)."""
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity

    if digest is None:
        return None
    try:
        intact, _valid = validate_sig_integrity(signer_info, cert, expected_content_type="data", actual_digest=digest)
    except Exception:  # noqa: BLE001 - unknown digest algorithms, broken CMS
        return None
    return intact


def read_signatures_pyhanko(
    stream: IO[bytes], widget_pages: dict[str, int], file_size: int, *, encrypted: bool = False
) -> tuple[list[DigitalSignature], list[str]]:
    """All embedded signatures, read by pyHanko alone: its own parse of the file and its difference
    analysis of every later revision. The reference the fast path is measured against, and its fallback.
    """
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
    from pyhanko.sign.validation.pdf_embedded import SignatureCoverageLevel

    notes: list[str] = []
    signatures: list[DigitalSignature] = []
    with _quiet():
        try:
            reader = _caching_reader_class()(stream, strict=False)
            if encrypted:
                reader.decrypt(b"")  # only files that open with an empty password get here
            embedded = list(reader.embedded_signatures)
        except Exception as exc:  # noqa: BLE001 - the page text is still useful without signatures
            return [], [f"Không đọc được chữ ký số trong tệp ({type(exc).__name__})"]
        for signature in embedded:
            name = str(signature.field_name or "")
            try:
                signer_name, organization, subject = _subject_fields(signature.signer_cert)
            except Exception:  # noqa: BLE001
                signer_name = organization = subject = None
            signing_time = parse_pdf_date(signature.sig_object.get("/M"))
            covers_whole: Optional[bool] = None
            modified: Optional[bool] = None
            try:
                digest = signature.compute_digest()
            except Exception:  # noqa: BLE001 - unknown digest algorithms
                digest = None
            intact = _intact(signature.signer_info, signature.signer_cert, digest)
            try:
                signature.compute_integrity_info(diff_policy=DEFAULT_DIFF_POLICY)
                coverage = signature.coverage
                covers_whole = coverage == SignatureCoverageLevel.ENTIRE_FILE
                if covers_whole:
                    modified = False
                elif coverage == SignatureCoverageLevel.ENTIRE_REVISION:
                    result = signature.diff_result
                    level = getattr(result, "modification_level", None)
                    if isinstance(result, SuspiciousModification):
                        modified = True  # pyHanko found changes no signature policy allows
                    else:
                        # Later signatures and stamped form fields are expected;
                        # new annotations or content are not.
                        modified = None if level is None else level.value > ModificationLevel.FORM_FILLING.value
                else:
                    # The signed byte range is not a complete revision: the file was rewritten.
                    modified = True
            except Exception:  # noqa: BLE001 - fall back to the byte range
                byte_range = signature.sig_object.get("/ByteRange")
                try:
                    end = int(byte_range[2]) + int(byte_range[3])
                    covers_whole = end == file_size
                    modified = None if covers_whole is False else False
                except (TypeError, ValueError, IndexError):
                    pass
            if intact is False:
                modified = True
            signatures.append(DigitalSignature(
                field_name=name,
                signer_name=signer_name,
                organization=organization,
                subject=subject,
                signing_time=signing_time,
                covers_whole_file=covers_whole,
                modified_after_signing=modified,
                intact=intact,
                page=widget_pages.get(name),
            ))
    return signatures, notes


# --------------------------------------------------------------------------
# Fast path: the pypdf reader's bytes, our own reading of the revisions, and
# asn1crypto/hashlib for the CMS. It decides only what it can prove pyHanko
# would decide the same way; anything else goes to read_signatures_pyhanko.


class _Undecided(Exception):
    """The fast path cannot be sure what pyHanko would say: pyHanko decides the file."""


_OBJ_HEADER = re.compile(rb"\s*(\d+)\s+(\d+)\s+obj\b")
_XREF_ENTRY = re.compile(rb"\s*(\d+)\s+(\d+)\s+([nf])")
_SUBSECTION = re.compile(rb"\s*(\d+)\s+(\d+)")
_STARTXREF = re.compile(rb"startxref\s+(\d+)")
_SUBFILTERS = frozenset({"/adbe.pkcs7.detached", "/ETSI.CAdES.detached", "/ETSI.RFC3161", "/PBAD.PAdES"})
# keys of the catalog pyHanko does not compare strictly (ROOT_EXEMPT_STRICT_COMPARISON)
_ROOT_EXEMPT = frozenset({"/AcroForm", "/DSS", "/Extensions", "/Metadata", "/MarkInfo", "/Version"})


def _skip_space(data: bytes, pos: int) -> int:
    while pos < len(data) and data[pos] in b" \t\r\n\f\x00":
        pos += 1
    return pos


class _Section:
    """One cross-reference section: one revision of the file."""

    __slots__ = ("offset", "end", "entries", "hybrid", "trailer")

    def __init__(self, offset: int) -> None:
        self.offset = offset
        self.end = offset
        # idnum -> ("n", offset, generation) | ("c", object stream, index) | ("f", next generation)
        self.entries: dict[int, tuple] = {}
        self.hybrid: dict[int, tuple] = {}
        self.trailer: dict = {}


class _Revisions:
    """The revisions of a PDF file as pyHanko numbers them (0 = oldest), read from the raw bytes."""

    def __init__(self, data: bytes, pdf) -> None:
        self.data = data
        self.pdf = pdf
        self.stream = io.BytesIO(data)
        self._objects: dict = {}
        self._streams: dict = {}
        self.sections = self._read_sections()
        self.last = len(self.sections) - 1

    # -- cross-reference sections

    def _read_sections(self) -> list[_Section]:
        data = self.data
        at = data.rfind(b"startxref", max(0, len(data) - 1024))
        match = _STARTXREF.match(data, at) if at >= 0 else None
        if not match:
            raise _Undecided("no startxref")
        offset: Optional[int] = int(match.group(1))
        sections: list[_Section] = []
        seen: set[int] = set()
        while offset is not None:
            if offset in seen or len(seen) > 500:
                raise _Undecided("xref loop")
            seen.add(offset)
            section = self._read_section(offset)
            sections.append(section)
            prev = section.trailer.get("/Prev")
            offset = int(prev) if prev is not None else None
        sections.reverse()
        return sections

    def _read_section(self, offset: int) -> _Section:
        from pypdf.generic import DictionaryObject, read_object

        data = self.data
        section = _Section(offset)
        if data.startswith(b"xref", offset):
            pos = offset + 4
            while True:
                while pos < len(data) and data[pos] in b" \t\r\n\f\x00":
                    pos += 1
                if data.startswith(b"trailer", pos):
                    pos += 7
                    break
                match = _SUBSECTION.match(data, pos)
                if not match:
                    raise _Undecided("bad xref table")
                start, count = int(match.group(1)), int(match.group(2))
                pos = match.end()
                for idnum in range(start, start + count):
                    entry = _XREF_ENTRY.match(data, pos)
                    if not entry:
                        raise _Undecided("bad xref entry")
                    pos = entry.end()
                    first, generation = int(entry.group(1)), int(entry.group(2))
                    if generation > 0xFFFF or idnum == 0:
                        continue
                    section.entries[idnum] = (
                        ("n", first, generation) if entry.group(3) == b"n" else ("f", generation))
            self.stream.seek(_skip_space(data, pos))
            trailer = read_object(self.stream, self.pdf)
            if not isinstance(trailer, DictionaryObject):
                raise _Undecided("bad trailer")
            section.trailer = trailer
            section.end = self.stream.tell()
            if "/XRefStm" in trailer:
                hybrid = _Section(int(trailer["/XRefStm"]))
                self._read_xref_stream(hybrid)
                section.hybrid = hybrid.entries
        else:
            self._read_xref_stream(section)
        return section

    def _read_xref_stream(self, section: _Section) -> None:
        from pypdf.generic import StreamObject

        stream = self._read_at(section.offset)
        if not isinstance(stream, StreamObject) or stream.get("/Type") != "/XRef":
            raise _Undecided("bad xref stream")
        section.end = self.stream.tell()
        section.trailer = stream
        widths = [int(w) for w in stream["/W"]]
        if len(widths) != 3 or min(widths) < 0:
            raise _Undecided("bad /W")
        index = [int(i) for i in stream.get("/Index", [0, int(stream["/Size"])])]
        raw = stream.get_data()
        step = sum(widths)
        pos = 0
        for start, count in zip(index[0::2], index[1::2]):
            for idnum in range(start, start + count):
                if pos + step > len(raw):
                    raise _Undecided("short xref stream")
                fields = []
                for width in widths:
                    fields.append(int.from_bytes(raw[pos:pos + width], "big") if width else None)
                    pos += width
                kind = 1 if fields[0] is None else fields[0]
                second, third = fields[1] or 0, fields[2] or 0
                if idnum == 0:
                    continue
                if kind == 0:
                    if third <= 0xFFFF:
                        section.entries[idnum] = ("f", third)
                elif kind == 1:
                    if third <= 0xFFFF:
                        section.entries[idnum] = ("n", second, third)
                elif kind == 2:
                    section.entries[idnum] = ("c", second, third)
                else:
                    raise _Undecided("unknown xref entry type")

    # -- objects as of a revision

    def _read_at(self, offset: int, idnum: Optional[int] = None):
        from pypdf.generic import read_object

        match = _OBJ_HEADER.match(self.data, offset)
        if not match or (idnum is not None and int(match.group(1)) != idnum):
            raise _Undecided("object not where the xref says")
        self.stream.seek(_skip_space(self.data, match.end()))
        return read_object(self.stream, self.pdf)

    def entry(self, idnum: int, revision: int) -> tuple[Optional[int], Optional[tuple]]:
        """The revision that last wrote ``idnum`` up to ``revision``, and its entry."""
        for number in range(revision, -1, -1):
            section = self.sections[number]
            found = section.entries.get(idnum)
            if found is None and section.hybrid:
                found = section.hybrid.get(idnum)
            if found is not None:
                return number, found
        return None, None

    def exists(self, idnum: int, revision: int) -> bool:
        _, found = self.entry(idnum, revision)
        return found is not None and found[0] != "f"

    def get(self, idnum: int, revision: int):
        """The object ``idnum`` as revision ``revision`` sees it (None when free or absent)."""
        number, found = self.entry(idnum, revision)
        if found is None or found[0] == "f":
            return None
        key = (number, idnum)
        if key in self._objects:
            return self._objects[key]
        if found[0] == "n":
            obj = self._read_at(found[1], idnum)
        else:
            obj = self._from_stream(found[1], idnum, number)
        self._objects[key] = obj
        return obj

    def _from_stream(self, stream_id: int, idnum: int, revision: int):
        from pypdf.generic import StreamObject, read_object

        key = (stream_id, revision)
        header = self._streams.get(key)
        if header is None:
            stream = self.get(stream_id, revision)
            if not isinstance(stream, StreamObject) or stream.get("/Type") != "/ObjStm":
                raise _Undecided("bad object stream")
            raw = stream.get_data()
            numbers = raw[:int(stream["/First"])].split()
            offsets = {}
            for number, offset in zip(numbers[0::2], numbers[1::2]):
                offsets.setdefault(int(number), int(offset))
            header = (raw, int(stream["/First"]), offsets)
            self._streams[key] = header
        raw, first, offsets = header
        if idnum not in offsets:
            raise _Undecided("object missing from its stream")
        buffer = io.BytesIO(raw)
        buffer.seek(_skip_space(raw, first + offsets[idnum]))
        return read_object(buffer, self.pdf)

    def resolve(self, value, revision: int):
        from pypdf.generic import IndirectObject

        if isinstance(value, IndirectObject):
            return self.get(value.idnum, revision)
        return value

    def refs_in(self, value, revision: int, within: set, seen: set) -> None:
        """Every object reachable from ``value`` through references to objects in ``within``."""
        from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

        todo = [value]
        while todo:
            item = todo.pop()
            if isinstance(item, IndirectObject):
                if item.idnum in seen or item.idnum not in within:
                    continue
                seen.add(item.idnum)
                todo.append(self.get(item.idnum, revision))
            elif isinstance(item, DictionaryObject):
                todo.extend(item.values())
            elif isinstance(item, ArrayObject):
                todo.extend(item)


def _same(old, new) -> bool:
    """Strictly the same PDF value (pyHanko's ``_is_id`` would say so too)."""
    from pypdf.generic import (
        ArrayObject, ByteStringObject, DictionaryObject, IndirectObject, StreamObject, TextStringObject)

    if type(old) is not type(new):
        return False
    if isinstance(old, IndirectObject):
        return (old.idnum, old.generation) == (new.idnum, new.generation)
    if isinstance(old, (TextStringObject, ByteStringObject)):
        return bytes(getattr(old, "original_bytes", old)) == bytes(getattr(new, "original_bytes", new))
    if isinstance(old, StreamObject) and old._data != new._data:
        return False
    if isinstance(old, DictionaryObject):
        return old.keys() == new.keys() and all(_same(dict.__getitem__(old, k), dict.__getitem__(new, k)) for k in old)
    if isinstance(old, ArrayObject):
        return len(old) == len(new) and all(_same(a, b) for a, b in zip(old, new))
    return old == new


def _plainly_different(old, new) -> bool:
    """Different under pyHanko's ``!=`` too: numbers, names and flat arrays of them."""
    from pypdf.generic import ArrayObject, FloatObject, NameObject, NumberObject

    simple = (FloatObject, NumberObject, NameObject)
    if isinstance(old, simple) and isinstance(new, simple):
        if isinstance(old, NameObject) != isinstance(new, NameObject):
            return True
        return old != new
    if isinstance(old, ArrayObject) and isinstance(new, ArrayObject):
        if not all(isinstance(x, simple) for x in list(old) + list(new)):
            return False
        return len(old) != len(new) or any(_plainly_different(a, b) for a, b in zip(old, new))
    return False


def _raw(d, key):
    return dict.get(d, key)


class _Signature:
    __slots__ = ("name", "field_ref", "field", "sig_ref", "sig", "byte_range", "pkcs7", "signed_data",
                 "signer_info", "md_algorithm", "revision")


def _sig_fields(revisions: _Revisions) -> list[tuple[str, object, object]]:
    """(fully qualified name, /V value, field reference) of the filled signature fields, as pyHanko lists them."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    last = revisions.last
    root = revisions.resolve(_raw(revisions.sections[last].trailer, "/Root"), last)
    if not isinstance(root, DictionaryObject):
        raise _Undecided("no catalog")
    form = revisions.resolve(_raw(root, "/AcroForm"), last)
    if not isinstance(form, DictionaryObject) or "/Fields" not in form:
        return []
    found: list = []

    def walk(fields, parent_name: str, parents: tuple, seen: frozenset) -> None:
        fields = revisions.resolve(fields, last)
        if not isinstance(fields, ArrayObject):
            return
        for ref in fields:
            if not isinstance(ref, IndirectObject):
                continue
            key = (ref.idnum, ref.generation)
            if key in seen:
                raise _Undecided("circular form tree")
            field = revisions.get(ref.idnum, last)
            if not isinstance(field, DictionaryObject):
                continue
            if "/T" not in field:
                continue
            title = revisions.resolve(_raw(field, "/T"), last)
            fq_name = str(title) if not parent_name else f"{parent_name}.{title}"
            path = (field,) + parents
            field_type = None
            for node in path:
                if "/FT" in node:
                    field_type = revisions.resolve(_raw(node, "/FT"), last)
                    break
            if field_type == "/Sig":
                value = _raw(field, "/V")
                if revisions.resolve(value, last):
                    found.append((fq_name, value, ref))
            if "/Kids" in field:
                walk(_raw(field, "/Kids"), fq_name, path, seen | {key})

    walk(_raw(form, "/Fields"), "", (), frozenset())
    return found


def _load_signature(revisions: _Revisions, name: str, value, field_ref) -> Optional[_Signature]:
    from asn1crypto import cms
    from pypdf.generic import ByteStringObject, DictionaryObject, IndirectObject, TextStringObject
    from pyhanko.sign.general import extract_signer_info

    last = revisions.last
    if not isinstance(value, IndirectObject):
        raise _Undecided("direct /V")
    sig = revisions.get(value.idnum, last)
    if not isinstance(sig, DictionaryObject):
        raise _Undecided("/V is not a dictionary")
    if str(revisions.resolve(_raw(sig, "/SubFilter"), last)) not in _SUBFILTERS:
        return None  # pyHanko skips signatures of other kinds
    byte_range = revisions.resolve(_raw(sig, "/ByteRange"), last)
    contents = _raw(sig, "/Contents")
    if byte_range is None or not isinstance(contents, (ByteStringObject, TextStringObject)):
        raise _Undecided("no /ByteRange or /Contents")
    signature = _Signature()
    signature.name = name
    signature.field_ref = field_ref
    signature.field = revisions.get(field_ref.idnum, last)
    signature.sig_ref = value
    signature.sig = sig
    try:
        signature.byte_range = [int(x) for x in byte_range]
    except (TypeError, ValueError) as exc:
        raise _Undecided("odd /ByteRange") from exc
    signature.pkcs7 = bytes(getattr(contents, "original_bytes", contents))
    signed_data = cms.ContentInfo.load(signature.pkcs7)["content"]
    signature.signed_data = signed_data
    signature.signer_info = extract_signer_info(signed_data)
    signature.md_algorithm = signature.signer_info["digest_algorithm"]["algorithm"].native.lower()
    if signed_data["encap_content_info"]["content_type"].native != "data":
        raise _Undecided("document timestamp")
    # pyHanko's signed revision: the last one writing the signature dictionary
    signature.revision = None
    for number in range(last, -1, -1):
        entry = revisions.sections[number].entries.get(value.idnum)
        if entry is not None and entry[0] != "f":
            if entry[0] == "n" and entry[2] != value.generation:
                raise _Undecided("generation mismatch")
            signature.revision = number
            break
    if signature.revision is None:
        raise _Undecided("signature dictionary in no revision")
    return signature


def _digest(data: bytes, byte_range: list[int], algorithm: str) -> bytes:
    import hashlib

    if len(byte_range) % 2 or any(x < 0 for x in byte_range):
        raise _Undecided("odd /ByteRange")
    try:
        md = hashlib.new(algorithm)
    except ValueError as exc:
        raise _Undecided(f"digest {algorithm}") from exc
    for start, length in zip(byte_range[0::2], byte_range[1::2]):
        # as pyHanko's byte_range_digest: a range beyond the end digests what there is
        md.update(memoryview(data)[start:start + length])
    return md.digest()


_ENTIRE_FILE, _ENTIRE_REVISION, _PARTIAL = "file", "revision", "partial"


def _coverage(revisions: _Revisions, signature: _Signature) -> str:
    """pyHanko's ``evaluate_signature_coverage``: the whole file, a whole revision, or less."""
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import process_data_at_eof

    byte_range = signature.byte_range
    if len(byte_range) != 4 or byte_range[0] != 0:
        return _PARTIAL
    _, len1, start2, len2 = byte_range
    embedded = len(signature.pkcs7) * 2 + 2
    zone = len1 + len2 + embedded
    if len(revisions.data) == zone:
        return _ENTIRE_FILE
    if start2 != len1 + embedded:
        return _PARTIAL
    stream = io.BytesIO(revisions.data)
    stream.seek(zone)
    try:
        startxref = process_data_at_eof(stream)
    except (PdfReadError, ValueError):
        return _PARTIAL
    if startxref != revisions.sections[signature.revision].offset:
        return _PARTIAL
    if any(revisions.sections[n].end > zone for n in range(signature.revision + 1)):
        raise _Undecided("xref container end")  # our end is an estimate: pyHanko decides
    return _ENTIRE_REVISION


def _top_fields(revisions: _Revisions, revision: int) -> dict[int, object]:
    """The top-level form fields as of a revision: object number → field dictionary."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    root = revisions.resolve(_raw(revisions.sections[revision].trailer, "/Root"), revision)
    if not isinstance(root, DictionaryObject):
        raise _Undecided("no catalog")
    form = revisions.resolve(_raw(root, "/AcroForm"), revision)
    if form is None:
        return {}
    if not isinstance(form, DictionaryObject):
        raise _Undecided("odd /AcroForm")
    fields = revisions.resolve(_raw(form, "/Fields"), revision)
    if fields is None:
        return {}
    if not isinstance(fields, ArrayObject) or not all(isinstance(f, IndirectObject) for f in fields):
        raise _Undecided("odd /Fields")
    result = {}
    for ref in fields:
        field = revisions.get(ref.idnum, revision)
        if not isinstance(field, DictionaryObject):
            raise _Undecided("odd field")
        result[ref.idnum] = field
    return result


def _docmdp(revisions: _Revisions, signature: _Signature) -> bool:
    """Whether the signature certifies the document (DocMDP); odd or field-locking cases are undecided."""
    from pypdf.generic import ArrayObject, DictionaryObject

    last = revisions.last
    if "/Lock" in signature.field:
        raise _Undecided("field lock")
    references = revisions.resolve(_raw(signature.sig, "/Reference"), last)
    if references is None:
        return False
    if not isinstance(references, ArrayObject):
        raise _Undecided("odd /Reference")
    certifying = False
    for item in references:
        item = revisions.resolve(item, last)
        if not isinstance(item, DictionaryObject):
            raise _Undecided("odd /Reference")
        method = revisions.resolve(_raw(item, "/TransformMethod"), last)
        if method != "/DocMDP":
            raise _Undecided(f"transform {method}")
        params = revisions.resolve(_raw(item, "/TransformParams"), last)
        permission = revisions.resolve(_raw(params, "/P"), last) if isinstance(params, DictionaryObject) else None
        if permission not in (1, 2, 3):
            raise _Undecided("odd DocMDP permission")
        certifying = True
    return certifying


def _visible(annot) -> bool:
    """pyHanko's ``is_annot_visible``."""
    try:
        x1, y1, x2, y2 = (float(v) for v in annot["/Rect"])
    except (TypeError, ValueError, KeyError):
        return False
    return bool(abs(x1 - x2) * abs(y1 - y2))


def _xmp_ok(revisions: _Revisions, idnum: int, revision: int) -> bool:
    """pyHanko's ``MetadataUpdateRule.is_well_formed_xml``, with the same parser."""
    from pypdf.generic import StreamObject

    key = ("xmp", idnum, revisions.entry(idnum, revision)[0])
    if key in revisions._objects:
        return revisions._objects[key]
    stream = revisions.get(idnum, revision)
    ok = isinstance(stream, StreamObject)
    if ok:
        try:
            from lxml import etree

            parser = etree.XMLParser(resolve_entities=False, encoding="utf-8")
            root = etree.fromstring(stream.get_data(), parser=parser)
            ok = not any(1 for _ in root.iter(etree.Entity)) and root.tag == "{adobe:ns:meta/}xmpmeta"
        except ImportError as exc:
            raise _Undecided("no lxml") from exc
        except Exception:  # noqa: BLE001 - as pyHanko: any failure is not well-formed
            ok = False
    revisions._objects[key] = ok
    return ok


def _review(revisions: _Revisions, signed: int, revision: int, certifying: bool) -> bool:
    """What pyHanko's difference analysis of ``revision`` against the signed revision says:
    True (modified: annotations or worse), False (at most form filling), or _Undecided."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    section = revisions.sections[revision]
    if section.hybrid:
        raise _Undecided("hybrid xref in a later revision")
    root_ref = _raw(section.trailer, "/Root")
    old_root_ref = _raw(revisions.sections[signed].trailer, "/Root")
    if not (isinstance(root_ref, IndirectObject) and isinstance(old_root_ref, IndirectObject)
            and root_ref.idnum == old_root_ref.idnum):
        raise _Undecided("catalog moved")
    metadata_ref = None
    new_root, old_root = revisions.get(root_ref.idnum, revision), revisions.get(old_root_ref.idnum, signed)
    if not isinstance(new_root, DictionaryObject) or not isinstance(old_root, DictionaryObject):
        raise _Undecided("catalog is not a dictionary")
    if "/Metadata" in new_root:
        # pyHanko's MetadataUpdateRule runs on every revision: the XMP must be well-formed, old and new
        new_metadata, old_metadata = _raw(new_root, "/Metadata"), _raw(old_root, "/Metadata")
        if not isinstance(new_metadata, IndirectObject) or (
                old_metadata is not None and not isinstance(old_metadata, IndirectObject)):
            raise _Undecided("direct /Metadata")
        if not _xmp_ok(revisions, new_metadata.idnum, revision) or (
                old_metadata is not None and not _xmp_ok(revisions, old_metadata.idnum, signed)):
            return True
        if old_metadata is not None and old_metadata.idnum == new_metadata.idnum:
            metadata_ref = new_metadata.idnum
    written = [idnum for idnum, entry in section.entries.items() if entry[0] != "f"]
    updated = [idnum for idnum in written if revisions.exists(idnum, signed)]
    created = [idnum for idnum in written if not revisions.exists(idnum, signed)]

    old_fields = _top_fields(revisions, signed)
    new_fields = _top_fields(revisions, revision)
    if not set(old_fields) <= set(new_fields):
        raise _Undecided("field removed")
    old_names = {str(revisions.resolve(_raw(f, "/T"), signed)) for f in old_fields.values()}
    added = {}
    for idnum, field in new_fields.items():
        if idnum in old_fields:
            continue
        if (revisions.exists(idnum, signed) or revisions.resolve(_raw(field, "/FT"), revision) != "/Sig"
                or "/Kids" in field or "/T" not in field
                or str(revisions.resolve(_raw(field, "/T"), revision)) in old_names
                or revisions.resolve(_raw(field, "/Subtype"), revision) != "/Widget"):
            raise _Undecided("new field of another kind")
        added[idnum] = field
    if certifying and any(_visible(field) for field in added.values()):
        return True  # pyHanko: a new visible signature field is not allowed after a certification signature

    since_signed = {
        idnum for number in range(signed + 1, revision + 1)
        for idnum, entry in revisions.sections[number].entries.items()
        if entry[0] != "f" and not revisions.exists(idnum, signed)
    }
    approved: set[int] = set()
    for idnum in added:
        approved.add(idnum)
        revisions.refs_in(new_fields[idnum], revision, since_signed, approved)

    form_ref = None
    root = revisions.get(root_ref.idnum, revision)
    if isinstance(root, DictionaryObject) and isinstance(_raw(root, "/AcroForm"), IndirectObject):
        form_ref = _raw(root, "/AcroForm").idnum
    fields_ref = None
    form = revisions.resolve(_raw(root, "/AcroForm"), revision) if isinstance(root, DictionaryObject) else None
    if isinstance(form, DictionaryObject) and isinstance(_raw(form, "/Fields"), IndirectObject):
        fields_ref = _raw(form, "/Fields").idnum

    def _check_form(old_form, new_form) -> None:
        """The form dictionary may change its field list (checked above), nothing else."""
        if set(old_form.keys()) != set(new_form.keys()):
            raise _Undecided("form dictionary keys")
        for key in old_form:
            a, b = dict.__getitem__(old_form, key), dict.__getitem__(new_form, key)
            if _same(a, b):
                continue
            if key == "/Fields" and (isinstance(a, ArrayObject) or (
                    isinstance(a, IndirectObject) and isinstance(b, IndirectObject) and a.idnum == b.idnum)):
                continue
            if key in ("/DR", "/DA", "/Q", "/NeedAppearances") and not isinstance(b, IndirectObject):
                # exempt from pyHanko's strict comparison; only when it brings no new object along
                reached: set[int] = set()
                revisions.refs_in(b, revision, since_signed, reached)
                if not reached:
                    continue
            raise _Undecided(f"form dictionary {key}")

    info_ref = None
    old_info, new_info = _raw(revisions.sections[signed].trailer, "/Info"), _raw(section.trailer, "/Info")
    if isinstance(old_info, IndirectObject) and isinstance(new_info, IndirectObject) and old_info.idnum == new_info.idnum:
        info_ref = new_info.idnum

    reach_from = [section.trailer]
    for idnum in updated:
        old = revisions.get(idnum, signed)
        new = revisions.get(idnum, revision)
        if _same(old, new):
            continue
        reach_from.append(new)
        if not isinstance(old, DictionaryObject) or not isinstance(new, DictionaryObject):
            if idnum == fields_ref:
                continue  # the field list, checked above
            raise _Undecided("updated non-dictionary")
        old_type, new_type = _raw(old, "/Type"), _raw(new, "/Type")
        if isinstance(old, StreamObject):
            if old_type == new_type and old_type in ("/XRef", "/ObjStm"):
                continue
            if idnum == metadata_ref:
                continue  # pyHanko's MetadataUpdateRule: same reference, well-formed XMP
            raise _Undecided(f"updated stream {idnum} {old_type}")
        if idnum == info_ref and not isinstance(old, StreamObject):
            continue  # pyHanko's DocInfoRule: updates of /Info are always allowed
        if idnum == root_ref.idnum or idnum == form_ref or old_type == "/Page":
            ignored = (_ROOT_EXEMPT if idnum == root_ref.idnum
                       else frozenset({"/Fields"}) if idnum == form_ref else frozenset({"/Annots"}))
            if (set(old.keys()) - ignored) != (set(new.keys()) - ignored):
                if idnum == form_ref:
                    raise _Undecided("form dictionary keys")
                return True  # pyHanko's compare_dicts: keys differ
            for key in set(old.keys()) - ignored:
                a, b = dict.__getitem__(old, key), dict.__getitem__(new, key)
                if _same(a, b):
                    continue
                if idnum != form_ref and _plainly_different(a, b):
                    return True  # pyHanko's compare_dicts: values differ
                raise _Undecided(f"changed {key}")
            if idnum == root_ref.idnum:
                for key in _ROOT_EXEMPT:
                    a, b = _raw(old, key), _raw(new, key)
                    if (a is None and b is None) or _same(a, b):
                        continue
                    if key == "/AcroForm":
                        if isinstance(a, IndirectObject) and isinstance(b, IndirectObject) and a.idnum == b.idnum:
                            continue  # the form dictionary itself is checked as an updated object
                        if isinstance(a, DictionaryObject) and isinstance(b, DictionaryObject):
                            _check_form(a, b)
                            continue
                    if key in ("/Extensions", "/MarkInfo", "/Version") and not isinstance(a, IndirectObject) \
                            and not isinstance(b, IndirectObject):
                        continue  # pyHanko's catalog rule clears direct values at the LTA level
                    raise _Undecided(f"catalog {key}")
            elif old_type == "/Page":
                old_annots = revisions.resolve(_raw(old, "/Annots"), signed)
                new_annots = revisions.resolve(_raw(new, "/Annots"), revision)
                old_list = ArrayObject() if old_annots is None else old_annots
                if not isinstance(old_list, ArrayObject) or not isinstance(new_annots, ArrayObject):
                    raise _Undecided(f"odd /Annots on {idnum}")
                if isinstance(_raw(old, "/Annots"), IndirectObject) or isinstance(_raw(new, "/Annots"), IndirectObject):
                    raise _Undecided("indirect /Annots")
                old_ids = [a.idnum for a in old_list if isinstance(a, IndirectObject)]
                new_ids = [a.idnum for a in new_annots if isinstance(a, IndirectObject)]
                if len(old_ids) != len(old_list) or len(new_ids) != len(new_annots):
                    raise _Undecided("direct annotation")
                if new_ids[:len(old_ids)] != old_ids or not set(new_ids[len(old_ids):]) <= set(added):
                    raise _Undecided("annotations other than new signature widgets")
            continue
        raise _Undecided(f"updated {old_type} {idnum}")

    reachable: set[int] = set()
    for value in reach_from:
        revisions.refs_in(value, revision, since_signed, reachable)
    for idnum in created:
        if idnum in approved:
            continue
        obj = revisions.get(idnum, revision)
        if isinstance(obj, StreamObject) and _raw(obj, "/Type") in ("/XRef", "/ObjStm"):
            continue
        if idnum == form_ref or idnum == fields_ref:
            raise _Undecided("new form dictionary")
        if idnum in reachable or revisions.exists(idnum, revision - 1):
            raise _Undecided("new object outside the new signature fields")
        # an orphan: pyHanko clears it at the LTA level
    return False


def _modified(revisions: _Revisions, signature: _Signature) -> bool:
    certifying = _docmdp(revisions, signature)
    for revision in range(signature.revision + 1, revisions.last + 1):
        section = revisions.sections[revision]
        if any(entry[0] == "f" and entry[1] > 0 for entry in section.entries.values()):
            return True  # pyHanko's default policy rejects freeing objects
        if _review(revisions, signature.revision, revision, certifying):
            return True
    return False


def read_signatures_fast(
    data: bytes, widget_pages: dict[str, int], file_size: int, reader
) -> Optional[tuple[list[DigitalSignature], list[str]]]:
    """The signatures from the raw bytes and the pypdf reader; None when only pyHanko can tell."""
    from pyhanko.sign.validation.generic_cms import extract_certs_for_validation

    with _quiet():
        try:
            revisions = _Revisions(data, reader)
            loaded = []
            for name, value, field_ref in _sig_fields(revisions):
                signature = _load_signature(revisions, name, value, field_ref)
                if signature is not None:
                    loaded.append(signature)
            loaded.sort(key=lambda s: s.revision)
            signatures = []
            for signature in loaded:
                cert = extract_certs_for_validation(signature.signed_data).signer_cert
                signer_name, organization, subject = _subject_fields(cert)
                signing_time = parse_pdf_date(revisions.resolve(_raw(signature.sig, "/M"), revisions.last))
                intact = _intact(signature.signer_info, cert,
                                 _digest(data, signature.byte_range, signature.md_algorithm))
                coverage = _coverage(revisions, signature)
                covers_whole = coverage == _ENTIRE_FILE
                if intact is False or coverage == _PARTIAL:
                    modified = True
                elif covers_whole:
                    modified = False
                else:
                    modified = _modified(revisions, signature)
                signatures.append(DigitalSignature(
                    field_name=signature.name,
                    signer_name=signer_name,
                    organization=organization,
                    subject=subject,
                    signing_time=signing_time,
                    covers_whole_file=covers_whole,
                    modified_after_signing=modified,
                    intact=intact,
                    page=widget_pages.get(signature.name),
                ))
            return signatures, []
        except _Undecided as exc:
            _log.debug("signatures left to pyHanko: %s", exc)
            return None
        except Exception as exc:  # noqa: BLE001 - anything odd: pyHanko's path decides and reports
            _log.debug("signatures left to pyHanko: %r", exc)
            return None


_log = logging.getLogger(__name__)


def read_signatures(
    stream: IO[bytes], widget_pages: dict[str, int], file_size: int, *, encrypted: bool = False, reader=None
) -> tuple[list[DigitalSignature], list[str]]:
    """All embedded signatures of an open PDF file, and Vietnamese notes on problems.

    ``widget_pages`` maps field names to the 1-based page of their widget. ``reader``, when given, is
    a pypdf reader already open on the same bytes: the fast path reads the file's revisions from the
    bytes and leaves to pyHanko only what it cannot prove pyHanko would decide the same way.
    """
    if reader is not None and not encrypted:
        position = stream.tell()
        data = stream.getvalue() if isinstance(stream, io.BytesIO) else stream.read()
        stream.seek(position)
        if len(data) == file_size:
            result = read_signatures_fast(data, widget_pages, file_size, reader)
            if result is not None:
                return result
    return read_signatures_pyhanko(stream, widget_pages, file_size, encrypted=encrypted)
