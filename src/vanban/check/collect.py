"""Collect a dossier's files safely: a folder as it is, a .zip into a temp dir.

Zip members are never trusted: names with ``..`` or absolute paths, symlinks,
too many members, members too large, a total too large and a compression
ratio typical of zip bombs are refused one by one (each becomes a finding).
The byte counts are measured while extracting, not taken from the headers,
which a crafted archive can fake.

Names from outside are made safe (:func:`vanban.guard.safe_name`: no control
characters or newlines, no direction overrides, bytes that are not UTF-8 read
as Windows-1258, very long names shortened). Members are extracted flat, each
under its own short numbered name, so two members of one name, or a file and a
folder of one name, are both kept (the second shown as ``x (2).docx``), each
with its own hash. A file that cannot be read, a FIFO or a device in a folder
is reported and the batch goes on.
"""

from __future__ import annotations

import hashlib
import os
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Optional

from .. import guard
from ..errors import ReadError

# photographed and scanned pages (.jpg/.png/.tif) are documents too: read by OCR (vanban.read.ocr)
DOCUMENT_SUFFIXES = {".docx", ".doc", ".pdf", ".rtf", ".txt", ".odt", ".jpg", ".jpeg", ".png", ".tif", ".tiff"}
SUPPORTING_SUFFIXES = {".xlsx", ".xls", ".csv", ".ods", ".pptx", ".ppt"}
IGNORED_NAMES = {"thumbs.db", ".ds_store", "desktop.ini"}


@dataclass(frozen=True)
class Limits:
    max_members: int = 500
    max_member_bytes: int = 100 * 1024 * 1024
    max_total_bytes: int = 500 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, per member
    max_file_bytes: int = 200 * 1024 * 1024  # a single file in a folder dossier
    max_folder_files: int = 2000  # files of a folder (a folder of dossiers included)
    max_folder_depth: int = 12  # sub-folders below the dossier's folder


@dataclass
class CollectedFile:
    name: str  # relative, "/" separated, NFC
    path: Optional[Path]
    size: int = 0
    sha256: str = ""
    refused: Optional[str] = None  # why it was not extracted (Vietnamese)
    oversized: bool = False


@dataclass
class Collection:
    files: list[CollectedFile] = field(default_factory=list)
    root: Optional[Path] = None


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with guard.open_regular(path) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def is_ignored(name: str) -> bool:
    base = PurePosixPath(name).name
    return base.lower() in IGNORED_NAMES or base.startswith("~$") or base.startswith(".")


def collect_folder(folder: Path, limits: Limits = Limits()) -> Collection:
    """Every regular file under ``folder`` (symlinks and special files are listed as refused, never
    followed or opened)."""
    out = Collection(root=folder)
    taken: set[str] = set()
    count = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        base = Path(dirpath)
        if len(base.relative_to(folder).parts) >= limits.max_folder_depth and dirnames:
            rel = guard.safe_name(base.relative_to(folder).as_posix())
            out.files.append(CollectedFile(rel + "/", None, refused=f"thư mục lồng quá sâu (trên "
                                           f"{limits.max_folder_depth} cấp), không xét các thư mục con"))
            dirnames[:] = []
        for fname in sorted(filenames):
            path = base / fname
            rel = guard.unique_name(guard.safe_name(path.relative_to(folder).as_posix()), taken)
            if is_ignored(rel):
                continue
            count += 1
            if count > limits.max_folder_files:
                out.files.append(CollectedFile(rel, None, refused=f"thư mục có quá nhiều tệp (giới hạn "
                                               f"{guard.number_text(limits.max_folder_files)}); tệp này không được xét"))
                if count > limits.max_folder_files + 20:
                    return out  # the first refusals name the problem; the rest is not walked
                continue
            try:
                st = path.lstat()
            except OSError as exc:
                out.files.append(CollectedFile(rel, None, refused=f"không truy cập được ({exc.strerror})"))
                continue
            if stat.S_ISLNK(st.st_mode):
                out.files.append(CollectedFile(rel, None, refused="là liên kết tượng trưng (symlink), không theo"))
                continue
            if not stat.S_ISREG(st.st_mode):
                out.files.append(CollectedFile(rel, None, refused=guard.special_file_text(st.st_mode)))
                continue
            if st.st_size > limits.max_file_bytes:
                out.files.append(CollectedFile(rel, path, size=st.st_size, oversized=True,
                                               refused=f"quá lớn ({st.st_size // (1024 * 1024)} MB, giới hạn {limits.max_file_bytes // (1024 * 1024)} MB)"))
                continue
            try:
                digest = _sha256(path)
            except (OSError, ReadError) as exc:
                reason = exc.message if isinstance(exc, ReadError) else f"không đọc được tệp ({exc.strerror})"
                out.files.append(CollectedFile(rel, None, size=st.st_size, refused=reason))
                continue
            out.files.append(CollectedFile(rel, path, size=st.st_size, sha256=digest))
    return out


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: UTF-8 when flagged; otherwise zipfile decoded it as
    cp437, but Windows and most Vietnamese tools write UTF-8 (or cp1258) without the flag."""
    name = info.filename
    if not info.flag_bits & 0x800:
        raw = name.encode("cp437", errors="replace")
        for encoding in ("utf-8", "cp1258"):
            try:
                name = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
    return guard.safe_name(unicodedata.normalize("NFC", name.replace("\\", "/")))


def _unsafe_reason(name: str, info: zipfile.ZipInfo) -> Optional[str]:
    if name.startswith("/") or (len(name) > 1 and name[1] == ":"):
        return "đường dẫn tuyệt đối"
    parts = PurePosixPath(name).parts
    if any(p == ".." for p in parts):
        return "đường dẫn chứa '..' (ra ngoài thư mục hồ sơ)"
    mode = (info.external_attr >> 16) & 0o177777
    if stat.S_ISLNK(mode):
        return "là liên kết tượng trưng (symlink)"
    return None


def collect_zip(archive: Path, dest: Path, limits: Limits = Limits()) -> Collection:
    """Extract the safe members of ``archive`` into ``dest`` (an empty temp dir)."""
    out = Collection(root=dest)
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise ReadError("không mở được gói .zip: tệp hỏng hoặc không phải tệp nén .zip", archive) from None
    except OSError as exc:
        raise ReadError(f"không mở được gói .zip ({exc.strerror})", archive) from None
    try:
        dest.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ReadError(f"không tạo được thư mục giải nén ({exc.strerror})", dest) from None
    total = 0
    taken: set[str] = set()
    on_disk: set[str] = set()
    with zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        for count, info in enumerate(infos):
            name = member_name(info)
            if is_ignored(name) or name.startswith("__MACOSX/"):
                continue
            if count >= limits.max_members:
                out.files.append(CollectedFile(name, None, refused=f"gói nén có quá nhiều tệp (giới hạn {limits.max_members})"))
                continue
            reason = _unsafe_reason(name, info)
            name = guard.unique_name(name, taken)
            # extracted flat under a short numbered name: nothing outside ``dest``, no clash between
            # two members of one name or a file and a folder of one name
            target = dest / guard.disk_name(name, count, on_disk)
            if reason is None and info.flag_bits & 0x1:
                reason = "tệp trong gói nén được đặt mật khẩu"
            if reason:
                out.files.append(CollectedFile(name, None, size=info.file_size, refused=reason))
                continue
            written = 0
            refused = None
            h = hashlib.sha256()
            try:
                with zf.open(info) as src, open(target, "wb") as dst:
                    while True:
                        chunk = src.read(1 << 16)
                        if not chunk:
                            break
                        written += len(chunk)
                        if written > limits.max_member_bytes:
                            refused = f"giải nén vượt {limits.max_member_bytes // (1024 * 1024)} MB"
                            break
                        if total + written > limits.max_total_bytes:
                            refused = f"tổng dung lượng giải nén vượt {limits.max_total_bytes // (1024 * 1024)} MB"
                            break
                        if written > 1 << 20 and written / max(info.compress_size, 1) > limits.max_ratio:
                            refused = f"tỉ lệ nén bất thường (trên {limits.max_ratio:.0f} lần, nghi 'bom zip')"
                            break
                        h.update(chunk)
                        dst.write(chunk)
            except RuntimeError as exc:  # zipfile says "… is encrypted, password required"
                refused = ("tệp trong gói nén được đặt mật khẩu" if "encrypted" in str(exc)
                           else f"không giải nén được ({type(exc).__name__})")
            except NotImplementedError:
                refused = "gói .zip dùng kiểu nén không hỗ trợ"
            except (zipfile.BadZipFile, EOFError, zlib.error):
                refused = "dữ liệu nén hỏng (tải về chưa đủ hoặc tệp bị lỗi)"
            except OSError as exc:
                refused = f"không ghi được tệp giải nén ({exc.strerror})"
            except Exception as exc:  # bz2/lzma errors and friends from a corrupt stream
                refused = f"không giải nén được ({type(exc).__name__})"
            if refused:
                target.unlink(missing_ok=True)
                out.files.append(CollectedFile(name, None, size=written, refused=refused))
                continue
            total += written
            out.files.append(CollectedFile(name, target, size=written, sha256=h.hexdigest()))
    return out
