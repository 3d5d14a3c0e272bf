"""Convert .doc/.rtf to .docx with LibreOffice (headless), with a cache.

One LibreOffice start converts many files (starting it costs seconds); each
start gets its own throw-away profile folder (``-env:UserInstallation``) so
parallel runs and a user's open LibreOffice never collide. A start that runs
past its time limit is killed with its whole process group and the files it
did not finish are retried one by one, so one file that hangs LibreOffice only
fails itself. Results are cached by the sha256 of the input bytes; nothing is
ever written next to the input.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from vanban.errors import MissingToolError, ReadError

# Bumped when the conversion command changes, so old cache entries are not reused.
_CACHE_VERSION = "lo2"
# Files per LibreOffice start: more is faster, fewer limits what one crash costs.
BATCH_SIZE = 40
MISSING_LIBREOFFICE = "Cần LibreOffice để đọc tệp .doc/.rtf: cài bằng `apt-get install libreoffice-writer-nogui`"

_CANDIDATE_PATHS = (
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    r"C:\Program Files\LibreOffice\program\soffice.exe",
)


def find_soffice() -> Optional[str]:
    """The LibreOffice executable: ``$VANBAN_SOFFICE``, then PATH, then the usual install folders."""
    override = os.environ.get("VANBAN_SOFFICE")
    if override:
        return override if Path(override).is_file() else None
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in _CANDIDATE_PATHS:
        if Path(candidate).is_file():
            return candidate
    for candidate in sorted(Path("/opt").glob("libreoffice*/program/soffice")) if Path("/opt").is_dir() else ():
        return str(candidate)
    return None


def require_soffice() -> str:
    exe = find_soffice()
    if exe is None:
        raise MissingToolError(MISSING_LIBREOFFICE)
    return exe


def cache_dir() -> Path:
    """``$VANBAN_CACHE_DIR`` or ``$XDG_CACHE_HOME/vanban/convert`` (``~/.cache`` by default)."""
    explicit = os.environ.get("VANBAN_CACHE_DIR")
    if explicit:
        base = Path(explicit)
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = Path(xdg) / "vanban" / "convert"
    try:
        base.mkdir(parents=True, exist_ok=True)
        probe = base / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
        return base
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"vanban-convert-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


# Conversions not used for this long are removed (reading one refreshes it).
CACHE_MAX_AGE_DAYS = 60
_pruned = False


def prune_cache(max_age_days: float = CACHE_MAX_AGE_DAYS) -> int:
    """Delete cached conversions (and stray temp files) older than ``max_age_days``; returns how many."""
    limit = time.time() - max_age_days * 86400
    removed = 0
    for entry in cache_dir().glob("*.docx"):
        try:
            if entry.stat().st_mtime < limit:
                entry.unlink()
                removed += 1
        except OSError:
            continue  # another process got there first
    return removed


@dataclass(frozen=True)
class _Job:
    source: Path
    sha256: str
    suffix: str  # ".doc" or ".rtf": tells LibreOffice which filter to try first

    @property
    def stem(self) -> str:
        return self.sha256[:32]


def _cache_path(sha256: str) -> Path:
    return cache_dir() / f"{sha256}-{_CACHE_VERSION}.docx"


def cached_conversion(sha256: str) -> Optional[Path]:
    path = _cache_path(sha256)
    try:
        if path.stat().st_size > 0:
            os.utime(path)  # recently used entries survive pruning
            return path
    except OSError:
        pass
    return None


# Settings of the throw-away LibreOffice profile: an untrusted file must not make
# LibreOffice touch the network (a linked picture ``INCLUDEPICTURE "http://…"``
# in a .doc/.rtf, an ``<img src="http://…">`` in an HTML file named .doc) or run
# anything. Each is (path, property, type, value) in LibreOffice's registry.
OFFLINE_SETTINGS = (
    # links are loaded only from documents in trusted locations (there are none)
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "xs:boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "DisableMacrosExecution", "xs:boolean", "true"),
    ("/org.openoffice.Office.Common/Security/Scripting", "MacroSecurityLevel", "xs:int", "3"),
)


def write_offline_profile(profile: Path) -> Path:
    """The ``registrymodifications.xcu`` of a fresh LibreOffice profile with :data:`OFFLINE_SETTINGS`."""
    from xml.sax.saxutils import escape, quoteattr

    items = "".join(
        f'<item oor:path={quoteattr(path)}><prop oor:name={quoteattr(name)} oor:op="fuse" oor:type="{kind}">'
        f"<value>{escape(value)}</value></prop></item>\n"
        for path, name, kind, value in OFFLINE_SETTINGS
    )
    target = profile / "user" / "registrymodifications.xcu"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n' + items + "</oor:items>\n",
        encoding="utf-8",
    )
    return target


# soffice.bin asks to be started again after it set up a fresh profile (oosplash does that).
_RESTART_EXIT_CODE = 81
_PR_SET_PDEATHSIG = 1


def _program(exe: str) -> str:
    """``soffice.bin`` beside the ``soffice`` launcher when there is one (Linux).

    The launcher runs ``oosplash``, which starts ``soffice.bin`` as its own
    child: a signal set to reach LibreOffice when vanban dies would stop at
    ``oosplash``. Started directly, the converting process is vanban's child.
    """
    if not sys.platform.startswith("linux"):
        return exe
    program = Path(exe).resolve().parent / "soffice.bin"
    return str(program) if program.is_file() and os.access(program, os.X_OK) else exe


def _death_signal_setter():
    """A function for the child, between fork and exec, that makes LibreOffice get SIGKILL when vanban ends,
    however it ends (``prctl(PR_SET_PDEATHSIG)``); None where there is no prctl.

    Everything is looked up here, in vanban's process: the child of a process with threads
    (the web server, Dask) must not import or take locks before it execs.
    """
    try:
        import ctypes

        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    kill = int(signal.SIGKILL)

    def set_death_signal() -> None:  # pragma: no cover - runs in the child
        prctl(_PR_SET_PDEATHSIG, kill, 0, 0, 0)
        if os.getppid() != parent:  # vanban died before the signal was set
            os._exit(1)

    return set_death_signal


def _run_soffice(exe: str, inputs: list[Path], outdir: Path, timeout: float) -> Optional[int]:
    """Run one LibreOffice start over ``inputs``; its exit code, or None when it had to be killed.

    LibreOffice runs with an offline profile (:data:`OFFLINE_SETTINGS`), in
    its own process group (a hung start is killed with its children), and
    ends with vanban: on Ctrl-C or any exception the group is killed; on
    Linux a killed vanban takes it along (parent-death signal).
    """
    with tempfile.TemporaryDirectory(prefix="vanban-lo-profile-") as profile:
        write_offline_profile(Path(profile))
        program = _program(exe)
        command = [
            program,
            f"-env:UserInstallation={Path(profile).as_uri()}",
            "--headless", "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
            "--convert-to", "docx:MS Word 2007 XML",
            "--outdir", str(outdir),
            *[str(p) for p in inputs],
        ]
        env = dict(os.environ)
        env.setdefault("HOME", profile)
        # Its own process group, so a hung start can be killed with its children.
        if os.name == "nt":
            group: dict = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP}
        else:
            group = {"start_new_session": True}
            setter = _death_signal_setter() if sys.platform.startswith("linux") else None
            if setter is not None:
                group["preexec_fn"] = setter
        deadline = time.monotonic() + timeout  # for both starts, as oosplash's restart was inside one
        code: Optional[int] = None
        for _attempt in range(2):
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            process = subprocess.Popen(
                command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, env=env,
                **group,
            )
            try:
                code = process.wait(timeout=left)
            except subprocess.TimeoutExpired:
                _kill_group(process)
                return None
            except BaseException:  # Ctrl-C, SystemExit: LibreOffice does not outlive vanban
                _kill_group(process)
                raise
            if not (code == _RESTART_EXIT_CODE and program != exe):
                return code
        return code


def _kill_group(process: subprocess.Popen) -> None:
    if not hasattr(os, "killpg"):  # Windows: no process groups to signal
        process.kill()
        process.wait()
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        process.wait()


def _store(produced: Path, sha256: str) -> Path:
    """Move a fresh conversion into the cache atomically."""
    target = _cache_path(sha256)
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".docx")
    os.close(fd)
    shutil.copyfile(produced, tmp_name)
    os.replace(tmp_name, target)
    return target


def convert_many(
    sources: Iterable[tuple[Path, str, str]], *, timeout: float = 120
) -> dict[str, Path | ReadError]:
    """Convert files to .docx; ``sources`` are ``(path, sha256, suffix)``.

    Returns ``sha256 → cached .docx path`` or the ReadError for that file.
    ``timeout`` is the limit for one file; a batch start gets ``timeout``
    plus a share per extra file before it is killed.
    """
    global _pruned
    if not _pruned:
        _pruned = True
        prune_cache()
    results: dict[str, Path | ReadError] = {}
    jobs: dict[str, _Job] = {}
    for path, sha256, suffix in sources:
        hit = cached_conversion(sha256)
        if hit is not None:
            results[sha256] = hit
        elif sha256 not in jobs:
            jobs[sha256] = _Job(Path(path), sha256, suffix)
    if not jobs:
        return results
    exe = require_soffice()
    pending = list(jobs.values())
    for start in range(0, len(pending), BATCH_SIZE):
        batch = pending[start:start + BATCH_SIZE]
        leftovers = _convert_batch(exe, batch, timeout + timeout * 0.25 * (len(batch) - 1), results)
        if len(batch) > 1:
            # The start was killed: give each unfinished file its own start and limit.
            for job in leftovers:
                _convert_batch(exe, [job], timeout, results)
        for job in leftovers:
            results.setdefault(job.sha256, ReadError(
                f"LibreOffice không chuyển xong tệp trong {timeout:.0f} giây (tệp hỏng hoặc quá phức tạp)",
                job.source,
            ))
    return results


def _convert_batch(exe: str, batch: list[_Job], timeout: float, results: dict) -> list[_Job]:
    """Convert ``batch`` in one start; returns the jobs left unfinished by a timeout."""
    with tempfile.TemporaryDirectory(prefix="vanban-convert-") as work:
        work_dir = Path(work)
        in_dir, out_dir = work_dir / "in", work_dir / "out"
        in_dir.mkdir()
        out_dir.mkdir()
        inputs: list[Path] = []
        for job in batch:
            # A copy under a plain name: originals may have names LibreOffice
            # mangles, and two inputs may share a stem.
            copy = in_dir / f"{job.stem}{job.suffix}"
            try:
                shutil.copyfile(job.source, copy)
            except OSError as exc:
                results[job.sha256] = ReadError(f"không mở được tệp: {exc.strerror or exc}", job.source)
                continue
            inputs.append(copy)
        if not inputs:
            return []
        exit_code = _run_soffice(exe, inputs, out_dir, timeout)
        leftovers: list[_Job] = []
        for job in batch:
            if job.sha256 in results:
                continue
            produced = out_dir / f"{job.stem}.docx"
            if produced.is_file() and produced.stat().st_size > 0:
                results[job.sha256] = _store(produced, job.sha256)
            elif exit_code is None:
                leftovers.append(job)
            elif exit_code != 0:
                results[job.sha256] = ReadError(
                    f"LibreOffice dừng với mã lỗi {exit_code} khi chuyển tệp sang .docx", job.source
                )
            else:
                results[job.sha256] = ReadError(
                    "LibreOffice không chuyển được tệp sang .docx (tệp hỏng, có mật khẩu hoặc không phải văn bản Word)",
                    job.source,
                )
        return leftovers


def convert_to_docx(path: Path, sha256: Optional[str] = None, *, timeout: float = 120) -> Path:
    """Convert one .doc/.rtf; returns the cached .docx path or raises ReadError/MissingToolError."""
    path = Path(path)
    if sha256 is None:
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
    suffix = ".rtf" if path.suffix.lower() == ".rtf" else ".doc"
    result = convert_many([(path, sha256, suffix)], timeout=timeout)[sha256]
    if isinstance(result, ReadError):
        raise result
    return result
