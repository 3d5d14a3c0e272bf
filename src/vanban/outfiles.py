"""Writing output files: never half-written, never overwritten without ``--force``.

Every file vanban writes goes through a temporary file in the target folder and
``os.replace``, so a crash or a full disk leaves the old file (or nothing), never
a truncated letter. An output never replaces a file this run read as an input
(:func:`vanban.guard.is_input`), whatever ``--force`` says; the files a run
created are remembered, and :func:`discard_created` removes them when the run
fails (the command line does so on any error). ``mkstemp`` creates private (0600) files; a letter on the
office's shared folder must get the usual permissions, so the umask is applied
before the rename.
"""

from __future__ import annotations

import os
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from . import guard
from .errors import OutputError

# files this run created (not those it replaced with --force): removed if the run fails
_CREATED: list[Path] = []
# every file this run wrote (created or replaced), resolved
_WRITTEN: set[Path] = set()


def written_this_run(path: Path) -> bool:
    return Path(path).resolve() in _WRITTEN


def begin_run() -> None:
    """A new command: forget the inputs and outputs of the previous one (in the same process)."""
    _CREATED.clear()
    _WRITTEN.clear()
    guard.forget_inputs()


# what a removed file takes with it: the outgoing register's number, the task history's entry
_ON_DISCARD: list = []


def on_discard(callback) -> None:
    """``callback(removed_paths)`` runs after :func:`discard_created` has removed this run's files."""
    if callback not in _ON_DISCARD:
        _ON_DISCARD.append(callback)


def declare_inputs(paths, max_files: int = 5000) -> None:
    """Name the inputs of a command whose files are read elsewhere (``check`` reads dossiers in worker
    processes): each file, and the files of each folder (at most ``max_files``), becomes an input of
    the run that no output may replace."""
    count = 0
    for path in paths:
        path = Path(path)
        if not path.is_dir():
            guard.remember_input(path)
            continue
        for folder, _, files in os.walk(path):
            for name in files:
                guard.remember_input(Path(folder) / name)
                count += 1
                if count >= max_files:
                    return


def discard_created() -> list[Path]:
    """Remove the files this run created; a failed run leaves nothing half-done behind."""
    removed = []
    while _CREATED:
        path = _CREATED.pop()
        try:
            path.unlink()
            removed.append(path)
        except OSError:
            pass
    for callback in _ON_DISCARD:
        try:
            callback(removed)
        except Exception:  # the run has failed already; the register shows what is left (register list)
            pass
    return removed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _refuse_special(path: Path) -> None:
    """``-o /dev/null --force`` run as root would replace the device itself."""
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise OutputError(f"{guard.special_file_text(mode).split(';')[0]}: vanban không ghi kết quả vào đó", path)


def _refuse_input(path: Path) -> None:
    if guard.is_input(path):
        raise OutputError("là tệp đầu vào của chính lần chạy này; vanban không bao giờ ghi đè tệp đầu vào "
                          "(kể cả với --force): hãy chọn tên hoặc thư mục khác", path)


def refuse_overwrite(path: Path, force: bool) -> None:
    _refuse_input(path)
    if path.is_dir():
        raise OutputError("là một thư mục, không ghi đè được", path)
    _refuse_special(path)
    if path.exists() and not force:
        raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", path)


def temp_beside(path: Path, suffix: str = ".tmp") -> Path:
    """An empty private temp file in ``path``'s folder (same file system, so the rename is atomic)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    except OSError as exc:
        raise OutputError(f"không tạo được tệp ({exc.strerror})", path) from None
    os.close(fd)
    return Path(name)


def publish(tmp: Path, path: Path) -> Path:
    """Give ``tmp`` the usual permissions and move it onto ``path`` in one step."""
    try:
        _refuse_input(path)
        _refuse_special(path)
    except OutputError:
        tmp.unlink(missing_ok=True)
        raise
    existed = os.path.lexists(path)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"không ghi được tệp ({exc.strerror})", path) from None
    if not existed:
        _CREATED.append(Path(path))
    _WRITTEN.add(Path(path).resolve())
    return path


@contextmanager
def atomic_path(path: str | Path, *, force: bool = True, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temp path to write; it becomes ``path`` when the block ends without error.

    ``force=False`` refuses an existing ``path`` before anything is written.
    """
    path = Path(path)
    refuse_overwrite(path, force)
    tmp = temp_beside(path, suffix)
    try:
        yield tmp
    except OSError as exc:
        raise OutputError(f"không ghi được tệp ({exc.strerror})", path) from None
    else:
        publish(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def write_atomic(path: str | Path, data: str | bytes, force: bool = False) -> Path:
    """Write ``data`` (text as UTF-8) to ``path`` atomically."""
    path = Path(path)
    with atomic_path(path, force=force) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path
