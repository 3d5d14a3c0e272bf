"""One guard for every input that comes from outside vanban.

Dossier files, data files (``--data``, ``--office``, ``--config``, profiles),
task registers and templates are written by other people, sometimes by an
attacker. Every entry point opens them through this module, which enforces:

* **regular files only**: a FIFO, device or socket named ``.docx`` is refused
  after ``os.stat`` and opened with ``O_NONBLOCK``, so nothing ever blocks;
* **size**: of the file on disk and of each zip member *as actually inflated*
  (streamed and counted, whatever the header declares);
* **structure**: nesting depth, number of nodes after YAML aliases are expanded
  (a 1 KB "billion laughs" file) and cycles, counted without expanding anything;
* **text and rows**: characters of one document, rows of one register.

Each refusal is a :class:`~vanban.errors.LimitError` (exit code 8) whose
Vietnamese message names the file and the limit.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import stat
import sys
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import yaml

from .errors import ConfigError, LimitError, ReadError

MB = 1024 * 1024


@dataclass(frozen=True)
class InputLimits:
    document_bytes: int = 100 * MB  # one document file (.docx, .pdf, .doc, image)
    member_bytes: int = 200 * MB  # one zip member (a .docx part, an .xlsx sheet) once inflated
    data_bytes: int = 5 * MB  # a YAML/JSON data, office or configuration file (1,000 letters take 1 MB)
    table_bytes: int = 100 * MB  # a task register (.xlsx/.csv/.json)
    text_chars: int = 5_000_000  # characters of text in one document (about 1,500 pages)
    rows: int = 200_000  # rows of one task register
    cell_chars: int = 100_000  # characters of one register cell / CSV field
    depth: int = 64  # nesting of a YAML/JSON data file
    nodes: int = 300_000  # values of a data file, YAML aliases expanded


LIMITS = InputLimits()


def size_text(n: int) -> str:
    if n >= MB:
        return f"{n / MB:.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} byte"


def number_text(n: int) -> str:
    """``1.000.000``: thousands as Vietnamese writes them."""
    return f"{n:,}".replace(",", ".")


def special_file_text(mode: int) -> str:
    """Why a file of this mode is not read (Vietnamese)."""
    if stat.S_ISDIR(mode):
        return "là thư mục, không phải tệp"
    if stat.S_ISFIFO(mode):
        return "là ống dẫn (FIFO), không phải tệp thông thường; vanban không đọc"
    if stat.S_ISSOCK(mode):
        return "là socket, không phải tệp thông thường; vanban không đọc"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "là tệp thiết bị, không phải tệp thông thường; vanban không đọc"
    return "không phải tệp thông thường; vanban không đọc"


# (device, inode) of every file read through the guard in this run: outputs may never replace them
_INPUTS: set[tuple[int, int]] = set()


def is_input(path: str | Path) -> bool:
    """Was ``path`` (the same file, by device and inode) read as an input of this run?"""
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_dev, st.st_ino) in _INPUTS


def remember_input(path: str | Path) -> None:
    """Count ``path`` (any kind) as an input of this run without opening it."""
    try:
        st = os.stat(path)
    except OSError:
        return
    _INPUTS.add((st.st_dev, st.st_ino))


def forget_inputs() -> None:
    _INPUTS.clear()


def check_regular(path: str | Path, error: type = ReadError) -> os.stat_result:
    """``os.stat`` of ``path``, refusing anything but a regular file (nothing is opened); the file is
    remembered as an input of this run (:func:`is_input`)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise error("không tìm thấy tệp", path) from None
    except OSError as exc:
        raise error(f"không truy cập được tệp ({exc.strerror})", path) from None
    if not stat.S_ISREG(st.st_mode):
        raise error(special_file_text(st.st_mode), path)
    _INPUTS.add((st.st_dev, st.st_ino))
    return st


def check_size(path: str | Path, limit: int, what: str = "tệp") -> int:
    st = check_regular(path)
    if st.st_size > limit:
        raise LimitError(f"{what} quá lớn ({size_text(st.st_size)}; giới hạn {size_text(limit)})", path)
    return st.st_size


def open_regular(path: str | Path, error: type = ReadError) -> BinaryIO:
    """Open ``path`` for reading without ever blocking: ``O_NONBLOCK``, then ``fstat`` on the open file."""
    check_regular(path, error)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error("không tìm thấy tệp", path) from None
    except OSError as exc:
        raise error(f"không mở được tệp ({exc.strerror})", path) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):  # swapped between stat and open
            raise error(special_file_text(mode), path)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_bytes(path: str | Path, limit: int, what: str = "tệp", error: type = ReadError) -> bytes:
    """All bytes of a regular file, refusing more than ``limit`` (also when the file grows while read)."""
    with open_regular(path, error) as fh:
        size = os.fstat(fh.fileno()).st_size
        if size > limit:
            raise LimitError(f"{what} quá lớn ({size_text(size)}; giới hạn {size_text(limit)})", path)
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise error(f"không đọc được tệp ({exc.strerror})", path) from None
    if len(data) > limit:
        raise LimitError(f"{what} quá lớn (trên {size_text(limit)}; giới hạn {size_text(limit)})", path)
    return data


def read_text(path: str | Path, limit: int, what: str = "tệp", error: type = ConfigError) -> str:
    """A UTF-8 text file (BOM allowed) of at most ``limit`` bytes."""
    data = read_bytes(path, limit, what, error)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise error("tệp không phải văn bản UTF-8", path) from None


def read_member(archive: zipfile.ZipFile, name: str | zipfile.ZipInfo, limit: int, path: str | Path,
                what: str | None = None) -> bytes:
    """A zip member's bytes, inflated in small steps and counted: a header that understates
    the size cannot make vanban inflate more than ``limit``."""
    label = what or f"phần '{name if isinstance(name, str) else name.filename}' trong tệp nén"
    out = io.BytesIO()
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(1 << 16)
            if not chunk:
                break
            if out.tell() + len(chunk) > limit:
                raise LimitError(f"{label} vượt {size_text(limit)} khi giải nén (giới hạn {size_text(limit)}); "
                                 "nghi tệp hỏng hoặc tệp nén độc hại ('bom zip')", path)
            out.write(chunk)
    return out.getvalue()


def check_zip(path: str | Path, member_limit: int | None = None, total_limit: int | None = None,
              what: str = "tệp") -> None:
    """Inflate every member of a zip container (an .xlsx) once, counting, before a library that trusts
    the headers (openpyxl) opens it: a zip bomb is refused here, in bounded memory. A broken
    container passes: the reader that opens it next reports it."""
    member_limit = member_limit or LIMITS.member_bytes
    total_limit = total_limit or 2 * LIMITS.member_bytes
    total = 0
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                size = 0
                with archive.open(info) as stream:
                    while chunk := stream.read(1 << 20):
                        size += len(chunk)
                        if size > member_limit or total + size > total_limit:
                            raise LimitError(f"{what} giải nén ra quá lớn (phần '{info.filename[:80]}' vượt "
                                             f"{size_text(min(member_limit, total_limit))}); nghi 'bom zip'", path)
                total += size
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
            ValueError, zlib.error):
        return  # a broken container: the reader that opens it next names the problem in its own words


def check_text_length(chars: int, path: str | Path, limit: int | None = None) -> None:
    limit = LIMITS.text_chars if limit is None else limit
    if chars > limit:
        raise LimitError(f"văn bản quá dài ({number_text(chars)} ký tự; giới hạn {number_text(limit)} ký tự)", path)


def check_rows(count: int, path: str | Path, limit: int | None = None) -> None:
    limit = LIMITS.rows if limit is None else limit
    if count > limit:
        raise LimitError(f"sổ có quá nhiều dòng (trên {number_text(limit)} dòng; giới hạn {number_text(limit)})", path)


# --------------------------------------------------------------------------
# Structure of data files: depth, expanded size, cycles
# --------------------------------------------------------------------------

def check_structure(data: Any, path: str | Path | None, limits: InputLimits = LIMITS) -> Any:
    """Refuse data nested deeper than ``limits.depth``, holding more than ``limits.nodes`` values once
    every shared (aliased) value is counted at each place it appears, or referring to itself.

    Iterative, and each distinct container is visited once, so a "billion laughs" file is
    measured in microseconds without being expanded.
    """
    weight: dict[int, int] = {}
    # (container, depth, children iterator, running total)
    stack: list[list[Any]] = []
    on_path: set[int] = set()

    def children(value: Any):
        return iter(list(value.keys()) + list(value.values()) if isinstance(value, dict) else list(value))

    def push(value: Any, depth: int) -> int | None:
        """Returns the weight at once for scalars and already measured containers."""
        if not isinstance(value, (dict, list, tuple)):
            return 1
        key = id(value)
        if key in weight:
            return weight[key]
        if key in on_path:
            raise LimitError("dữ liệu tự tham chiếu chính nó (bí danh YAML vòng lặp)", path)
        if depth > limits.depth:
            raise LimitError(f"dữ liệu lồng nhau quá sâu (trên {limits.depth} cấp; giới hạn {limits.depth})", path)
        on_path.add(key)
        stack.append([value, depth, children(value), 1])
        return None

    total = push(data, 1)
    while stack:
        frame = stack[-1]
        child = next(frame[2], _END)
        if child is _END:
            stack.pop()
            on_path.discard(id(frame[0]))
            weight[id(frame[0])] = frame[3]
            if stack:
                stack[-1][3] += frame[3]
                _check_nodes(stack[-1][3], path, limits)
            else:
                total = frame[3]
            continue
        got = push(child, frame[1] + 1)
        if got is not None:
            frame[3] += got
            _check_nodes(frame[3], path, limits)
    _check_nodes(total or 0, path, limits)
    return data


_END = object()


def _check_nodes(count: int, path: str | Path | None, limits: InputLimits) -> None:
    if count > limits.nodes:
        raise LimitError(f"dữ liệu có quá nhiều giá trị khi mở rộng bí danh YAML (trên {number_text(limits.nodes)}"
                         f"; giới hạn {number_text(limits.nodes)}), nghi 'bom bí danh'", path)


class _GuardedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with the nesting depth counted while composing (the composer is
    recursive: 50,000 nested brackets would otherwise end in a RecursionError)."""

    max_depth = LIMITS.depth

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark
                raise LimitError(f"dữ liệu lồng nhau quá sâu (trên {self.max_depth} cấp; giới hạn "
                                 f"{self.max_depth}) ở dòng {mark.line + 1}", self.name)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _digits_text(exc: ValueError) -> str:
    match = re.search(r"has (\d+) digits", str(exc))
    digits = f"{number_text(int(match.group(1)))} chữ số; " if match else ""
    return f"{digits}giới hạn {number_text(sys.get_int_max_str_digits())} chữ số"


def load_yaml(text: str, path: str | Path | None) -> Any:
    """``yaml.safe_load`` with depth, alias-expansion and cycle limits."""
    try:
        if yaml.__with_libyaml__:  # libyaml: five times faster, and it stops at 1,000 levels itself
            data = yaml.load(text, Loader=yaml.CSafeLoader)  # noqa: S506 - the C *safe* loader
        else:
            loader = _GuardedLoader(text)
            loader.name = str(path) if path is not None else "<dữ liệu>"
            try:
                data = loader.get_single_data()
            finally:
                loader.dispose()
    except yaml.YAMLError as exc:
        if "nesting depth" in str(getattr(exc, "problem", "") or ""):
            raise LimitError(f"dữ liệu lồng nhau quá sâu (giới hạn {LIMITS.depth} cấp)", path) from None
        raise
    except RecursionError:
        raise LimitError(f"dữ liệu lồng nhau quá sâu (giới hạn {LIMITS.depth} cấp)", path) from None
    except ValueError as exc:  # int('1' * 100000): over 4,300 digits; 2026-13-45: a date that does not exist
        if "digits" in str(exc):
            raise LimitError(f"dữ liệu có số quá dài ({_digits_text(exc)})", path) from None
        what = "một ngày không có thật" if re.search(r"month|day|year", str(exc)) else "một giá trị không đọc được"
        raise ConfigError(f"YAML có {what} ({exc})", path) from None
    return check_structure(data, path)


def load_json(text: str, path: str | Path | None) -> Any:
    """``json.loads`` with depth and size limits (a RecursionError becomes a LimitError)."""
    try:
        data = json.loads(text)
    except RecursionError:
        raise LimitError(f"dữ liệu lồng nhau quá sâu (giới hạn {LIMITS.depth} cấp)", path) from None
    except json.JSONDecodeError:
        raise
    except ValueError as exc:
        raise LimitError(f"dữ liệu có số quá dài ({_digits_text(exc)})", path) from None
    return check_structure(data, path)


# --------------------------------------------------------------------------
# Names from outside: safe for file systems, terminals and spreadsheets
# --------------------------------------------------------------------------

# C0/C1 controls, DEL, and the bidirectional overrides that make "gpj.exe" read as "exe.jpg"
_UNSAFE_CHARS = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
MAX_NAME_CHARS = 200  # of a name shown in a report (a path part over 255 bytes cannot exist on disk)
MAX_DISK_NAME_BYTES = 120


def decoded_name(name: str) -> str:
    """A name read from the file system: bytes that are not UTF-8 (``os.walk`` keeps them as
    surrogates, which cannot be printed) are read as Windows-1258, the Vietnamese code page."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = name.encode("utf-8", "surrogateescape")
        return raw.decode("cp1258", errors="replace")


def safe_name(name: str, limit: int = MAX_NAME_CHARS) -> str:
    """A name to show: NFC, control and direction characters replaced by ``_``, each part at most
    ``limit`` characters (the middle cut, the extension kept), so it cannot add lines to a report,
    move a terminal's cursor or hide its real extension."""
    name = _UNSAFE_CHARS.sub("_", unicodedata.normalize("NFC", decoded_name(name)))
    return "/".join(_shorten(part, limit) for part in name.split("/"))


def _shorten(part: str, limit: int) -> str:
    if len(part) <= limit:
        return part
    stem, dot, suffix = part.rpartition(".")
    suffix = "." + suffix if dot and len(suffix) <= 10 else ""
    stem = part[: len(part) - len(suffix)]
    keep = limit - len(suffix) - 1
    return stem[: keep - keep // 3] + "…" + stem[len(stem) - keep // 3:] + suffix


def disk_name(name: str, index: int, used: set[str]) -> str:
    """A short file name, unique among ``used``, for extracting member ``index`` called ``name`` flat:
    no folders, no control characters, at most ``MAX_DISK_NAME_BYTES`` bytes, the extension kept
    (readers need it); the member's own base name when it is free, else numbered."""
    base = safe_name(name).rsplit("/", 1)[-1].replace("\\", "_").replace(":", "_")
    suffix = Path(base).suffix if len(Path(base).suffix) <= 10 else ""
    stem = (base[: len(base) - len(suffix)] if suffix else base).lstrip(".")
    encoded = stem.encode("utf-8")
    if len(encoded) > MAX_DISK_NAME_BYTES:
        digest = hashlib.sha256(encoded).hexdigest()[:8]
        stem = encoded[:MAX_DISK_NAME_BYTES - 9].decode("utf-8", "ignore") + "-" + digest
    candidate = f"{stem or 'tep'}{suffix}"
    if candidate.lower() in used:  # lower: a case-insensitive disk would merge them
        candidate = f"{index:04d}-{candidate}"
    used.add(candidate.lower())
    return candidate


def unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``name (2)``, ``name (3)`` … when it is taken (two zip members of one name)."""
    if name not in taken:
        taken.add(name)
        return name
    stem, dot, suffix = name.rpartition(".")
    if not dot or "/" in suffix:
        stem, suffix = name, ""
    else:
        suffix = "." + suffix
    n = 2
    while f"{stem} ({n}){suffix}" in taken:
        n += 1
    unique = f"{stem} ({n}){suffix}"
    taken.add(unique)
    return unique
