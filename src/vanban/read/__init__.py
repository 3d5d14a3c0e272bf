"""Readers: any supported file → :class:`~vanban.model.RawDocument`.

The format is decided from the file's first bytes, not only its name: offices
send RTF files named ``.doc`` and Word 97 files named ``.docx``. ``.doc`` and
``.rtf`` go through LibreOffice (:mod:`vanban.read.convert`), then the .docx
reader. Runs in legacy fonts (TCVN3, VNI) are converted to Unicode on the way.
Scanned PDF pages, PDF pages whose text layer is not Vietnamese, and image
files (.jpg/.png/.tif) are read by OCR (:mod:`vanban.read.ocr`), as the
process's :class:`~vanban.read.ocr.OcrOptions` say (or the ``ocr`` argument).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator, Optional

from vanban import guard
from vanban.errors import LimitError, MissingToolError, ReadError
from vanban.model import RawDocument

if TYPE_CHECKING:
    from vanban.read.ocr import OcrOptions

SUPPORTED_SUFFIXES = {".docx", ".doc", ".rtf", ".pdf", ".txt", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}

__all__ = ["SUPPORTED_SUFFIXES", "read_file", "read_many", "sniff_format"]

_UNSUPPORTED = "định dạng không hỗ trợ"


def _head(path: Path, size: int = 8192) -> bytes:
    """The first bytes; a FIFO, device or socket is refused without blocking (:mod:`vanban.guard`)."""
    try:
        with guard.open_regular(path) as handle:
            return handle.read(size)
    except OSError as exc:
        raise ReadError(f"không mở được tệp: {exc.strerror or exc}", path) from exc


def _zip_kind(path: Path) -> str:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "broken-zip"
    if "word/document.xml" in names or any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    if any(n.startswith("ppt/") for n in names):
        return "pptx"
    if "content.xml" in names:
        return "odf"
    return "zip"


_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"II*\x00", b"MM\x00*")


def sniff_format(path: str | Path) -> str:
    """``docx``, ``doc``, ``rtf``, ``pdf``, ``image`` or ``txt`` from the content (and name for text).

    Raises ReadError for empty, encrypted, broken and unsupported files.
    """
    from vanban.read.docx import sniff_container

    from vanban.read.docx import MAX_FILE_BYTES

    path = Path(path)
    head = _head(path)
    suffix = path.suffix.lower()
    if not head:
        raise ReadError("tệp rỗng", path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ReadError(
            f"tệp quá lớn ({size / (1024 * 1024):.0f} MB; giới hạn {MAX_FILE_BYTES // (1024 * 1024)} MB)", path
        )
    container = sniff_container(head)
    if container == "zip":
        kind = _zip_kind(path)
        if kind == "docx":
            return "docx"
        if kind == "broken-zip":
            raise ReadError(f"tệp {suffix or ''} bị hỏng hoặc không đúng định dạng".replace("  ", " "), path)
        names = {"xlsx": "bảng tính Excel", "pptx": "bản trình chiếu PowerPoint", "odf": "tệp OpenDocument"}
        what = names.get(kind, "tệp nén zip")
        raise ReadError(f"{_UNSUPPORTED} ({what}); vanban đọc được {', '.join(sorted(SUPPORTED_SUFFIXES))}", path)
    if container == "ole":
        from vanban.read.ole import ole_stream_names

        names = ole_stream_names(guard.read_bytes(path, MAX_FILE_BYTES))
        if names is None:
            raise ReadError(f"tệp {suffix or 'Office'} bị hỏng hoặc không đúng định dạng", path)
        if "EncryptionInfo" in names or "EncryptedPackage" in names:
            raise ReadError("tệp được bảo vệ bằng mật khẩu: hãy gỡ mật khẩu rồi gửi lại", path)
        if "WordDocument" in names:
            return "doc"
        if "Workbook" in names or "Book" in names:
            raise ReadError(f"{_UNSUPPORTED} (bảng tính Excel .xls)", path)
        if "PowerPoint Document" in names:
            raise ReadError(f"{_UNSUPPORTED} (bản trình chiếu PowerPoint .ppt)", path)
        raise ReadError(f"{_UNSUPPORTED} (tệp Office không phải văn bản Word)", path)
    if container == "rtf":
        return "rtf"
    if container == "html" and suffix in (".doc", ".docx"):
        return "html"  # a Word "web page": read here, never by LibreOffice, which would fetch what it links to
    if container == "markup" and suffix in (".doc", ".docx"):
        return "doc"  # Word 2003 XML: LibreOffice opens it
    if container == "pdf":
        return "pdf"
    if head.startswith(_IMAGE_MAGIC):
        return "image"
    if suffix in (".jpg", ".jpeg", ".png", ".tif", ".tiff"):
        raise ReadError(f"tệp ảnh {suffix} bị hỏng hoặc không đúng định dạng", path)
    if suffix in (".docx", ".doc", ".pdf", ".rtf"):
        raise ReadError(f"tệp {suffix} bị hỏng hoặc không đúng định dạng", path)
    if suffix in (".txt", ".text", ".md"):
        return "txt"
    raise ReadError(f"{_UNSUPPORTED}; vanban đọc được {', '.join(sorted(SUPPORTED_SUFFIXES))}", path)


def _read_pdf(path: Path, ocr: Optional["OcrOptions"]) -> RawDocument:
    try:
        from vanban.read.pdf import read_pdf
    except ImportError as exc:
        raise ReadError("chưa có bộ đọc PDF trong bản vanban này", path) from exc
    from vanban.read.ocr import apply_pdf_ocr

    try:
        return apply_pdf_ocr(read_pdf(path), path, ocr)
    except ReadError as error:
        raise ReadError(error.message, path) from error


def _doc_precheck(path: Path, data: bytes) -> None:
    """Word 97 files that are encrypted or broken get a clear message before LibreOffice runs."""
    from vanban.read.docx import OLE_MAGIC
    from vanban.read.ole import word97_problem

    if not data.startswith(OLE_MAGIC):
        return  # Word's HTML or XML forms: LibreOffice decides
    problem = word97_problem(data)
    if problem:
        raise ReadError(problem, path)


def _from_converted(original: Path, fmt: str, sha256: str, docx_path: Path) -> RawDocument:
    from vanban.read.docx import read_docx

    from vanban.read.docx import sniff_container

    raw = read_docx(docx_path)
    guard.check_text_length(sum(len(block.text) for block in raw.blocks), original)
    notes = raw.notes
    if sniff_container(_head(original)) == "markup":
        notes = ("Tệp mang đuôi .doc nhưng thực chất là tài liệu XML do Word lưu (Word 2003 XML), đã chuyển qua LibreOffice",) + notes
    return without_controls(dataclasses.replace(
        raw, path=str(original), format=fmt, sha256=sha256, converted_with="LibreOffice", notes=notes
    ))


def read_file(path: str | Path, *, ocr: Optional["OcrOptions"] = None) -> RawDocument:
    """Read one file of a supported format; raises ReadError (or MissingToolError for .doc/.rtf),
    LimitError for a file or a text over the limits of :mod:`vanban.guard`.

    ``ocr`` overrides the process's OCR options (:func:`vanban.read.ocr.configure`).
    """
    raw = _read_file(Path(path), ocr)
    guard.check_text_length(sum(len(block.text) for block in raw.blocks), path)
    return without_controls(raw)


# control characters in a document's text (a .txt or a PDF may carry ESC, BEL, form feeds) would
# reach terminals, reports and spreadsheets (openpyxl refuses them): each becomes a space (same length)
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def without_controls(raw: RawDocument) -> RawDocument:
    if not any(_CONTROLS.search(block.text) for block in raw.blocks):
        return raw

    def clean(block):
        if not _CONTROLS.search(block.text):
            return block
        runs = tuple(dataclasses.replace(run, text=_CONTROLS.sub(" ", run.text)) for run in block.runs)
        return dataclasses.replace(block, text=_CONTROLS.sub(" ", block.text), runs=runs)

    return dataclasses.replace(raw, blocks=tuple(clean(block) for block in raw.blocks))


def _read_file(path: Path, ocr: Optional["OcrOptions"]) -> RawDocument:
    fmt = sniff_format(path)
    if fmt == "docx":
        from vanban.read.docx import read_docx

        return read_docx(path)
    if fmt == "txt":
        from vanban.read.plaintext import read_text

        return read_text(path)
    if fmt == "pdf":
        return _read_pdf(path, ocr)
    if fmt == "image":
        from vanban.read.ocr import read_image

        return read_image(path, ocr)
    if fmt == "html":
        from vanban.read.docx import read_file_bytes
        from vanban.read.html import read_html

        return read_html(path, read_file_bytes(path))
    from vanban.read.convert import convert_to_docx
    from vanban.read.docx import read_file_bytes

    data = read_file_bytes(path)
    if fmt == "doc":
        _doc_precheck(path, data)
    sha256 = hashlib.sha256(data).hexdigest()
    docx_path = convert_to_docx(path, sha256)
    return _from_converted(path, fmt, sha256, docx_path)


def read_many(
    paths: Iterable[Path], *, timeout: float = 120
) -> Iterator[tuple[Path, RawDocument | ReadError]]:
    """Read many files; yields ``(path, RawDocument or ReadError)`` in input order.

    Every .doc/.rtf is converted up front in as few LibreOffice starts as
    possible (each with ``timeout`` seconds per file). One bad file never
    stops the batch; a missing LibreOffice becomes a ReadError per .doc/.rtf
    file carrying the install hint.
    """
    from vanban.read.convert import convert_many
    from vanban.read.docx import read_file_bytes

    items: list[tuple[Path, Optional[str], Optional[str], Optional[ReadError]]] = []
    to_convert: list[tuple[Path, str, str]] = []
    for raw_path in paths:
        path = Path(raw_path)
        try:
            fmt = sniff_format(path)
            sha256 = None
            if fmt in ("doc", "rtf"):
                data = read_file_bytes(path)
                if fmt == "doc":
                    _doc_precheck(path, data)
                sha256 = hashlib.sha256(data).hexdigest()
                to_convert.append((path, sha256, "." + fmt))
            items.append((path, fmt, sha256, None))
        except (ReadError, LimitError) as error:
            items.append((path, None, None, error))

    converted: dict[str, Path | ReadError] = {}
    missing_tool: Optional[MissingToolError] = None
    if to_convert:
        try:
            converted = convert_many(to_convert, timeout=timeout)
        except MissingToolError as error:
            missing_tool = error

    for path, fmt, sha256, error in items:
        if error is not None:
            yield path, error
            continue
        try:
            if sha256 is None:
                yield path, read_file(path)
                continue
            if missing_tool is not None:
                yield path, ReadError(missing_tool.message, path)
                continue
            result = converted.get(sha256)
            if isinstance(result, ReadError):
                yield path, ReadError(result.message, path)
            elif result is None:
                yield path, ReadError("LibreOffice không chuyển được tệp sang .docx", path)
            else:
                yield path, _from_converted(path, fmt or "doc", sha256, result)
        except (ReadError, LimitError) as error:
            yield path, error
        except MissingToolError as error:
            yield path, ReadError(error.message, path)
        except Exception as error:  # noqa: BLE001 - a batch must survive any one file
            yield path, ReadError(f"lỗi không mong đợi khi đọc tệp ({type(error).__name__}: {error})", path)
