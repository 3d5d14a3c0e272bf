"""Embedded PDF signatures, read with pyHanko (no network, no trust roots).

For each signature: who signed (certificate subject CN and O), when (``/M``
in the signature dictionary), whether the signed bytes still match their
digest (``intact``), whether the signature covers the whole file, and
whether later revisions changed more than form fields (further signatures
and the stamped number/date are form filling, not modification).
Whether the certificate is trusted is not decided here: offices have no
trust roots configured and vanban never goes online.
"""

from __future__ import annotations

import contextlib
import datetime as dt
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


def read_signatures(
    stream: IO[bytes], widget_pages: dict[str, int], file_size: int, *, encrypted: bool = False, reader=None
) -> tuple[list[DigitalSignature], list[str]]:
    """All embedded signatures of an open PDF file, and Vietnamese notes on problems.

    ``widget_pages`` maps field names to the 1-based page of their widget. ``reader``, when given, is
    a pypdf reader already open on the same bytes.
    """
    from pyhanko.sign.diff_analysis import DEFAULT_DIFF_POLICY, ModificationLevel, SuspiciousModification
    from pyhanko.sign.validation.generic_cms import validate_sig_integrity
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
            intact: Optional[bool] = None
            try:
                intact, _valid = validate_sig_integrity(
                    signature.signer_info, signature.signer_cert,
                    expected_content_type="data", actual_digest=signature.compute_digest(),
                )
            except Exception:  # noqa: BLE001 - unknown digest algorithms, broken CMS
                intact = None
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
