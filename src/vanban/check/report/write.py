"""Atomic writes that never overwrite without being told to (shared with the rest of vanban), and
reports written piece by piece as the results of a batch come (:class:`StreamedReport`)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable, Optional, Protocol

from ...errors import OutputError
from ...outfiles import publish, refuse_overwrite, temp_beside, write_atomic
from ..model import DossierResult

__all__ = ["Renderer", "StreamedReport", "write_atomic"]


class Renderer(Protocol):
    """A report format that takes the results one at a time and gives the same bytes as its list
    renderer. ``add`` gives the text that follows what came before; ``finish`` the text to put before
    everything written (only when ``spool``: a head that needs totals, as JUnit's) and after it."""

    spool: bool

    def add(self, result: DossierResult) -> str: ...

    def finish(self) -> tuple[str, str]: ...


class StreamedReport:
    """A report written as the results come, put in place at once by :meth:`close`.

    To ``path``: the text goes to a temp file beside it (an existing ``path`` is refused up front
    without ``force``), renamed onto it at the end; :meth:`discard` (an error, Ctrl-C) removes the
    temp, so there is never a half-written report. To ``sink`` (the screen): the text is written as it
    comes (``hold``: at the end, as when a progress bar shares the terminal). A renderer that
    ``spool``s writes its body to a second temp file (beside ``path``, or an anonymous one for the
    screen) and copies it after the head at the end. Only the renderer's small running totals stay in
    memory.
    """

    def __init__(self, renderer: Renderer, path: Optional[Path] = None, *, force: bool = False,
                 sink: Optional[Callable[[str], None]] = None, hold: bool = False):
        if (path is None) == (sink is None):
            raise ValueError("a path or a sink")
        self.renderer = renderer
        self.path = Path(path) if path is not None else None
        self.sink = sink
        self._tmp: Optional[Path] = None
        self._body_path: Optional[Path] = None
        self._body = None  # the open file the body goes to (None: straight to the sink)
        self._written = False
        self._spool = renderer.spool or (hold and self.path is None)
        if self.path is not None:
            refuse_overwrite(self.path, force)
            self._tmp = temp_beside(self.path)
            if self._spool:
                self._body_path = temp_beside(self.path, ".body.tmp")
            self._body = self._open(self._body_path or self._tmp)
        elif self._spool:
            self._body = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")

    def _open(self, path: Path, mode: str = "w"):
        try:
            return open(path, mode, encoding="utf-8", newline="")
        except OSError as exc:
            self.discard()
            raise OutputError(f"không ghi được tệp ({exc.strerror})", self.path) from None

    def write(self, text: str) -> None:
        """Append ``text`` (a writer that makes its own pieces, as the HTML index, calls this)."""
        if not text:
            return
        if self._body is None:
            self.sink(text)
        else:
            try:
                self._body.write(text)
            except OSError as exc:
                raise OutputError(f"không ghi được tệp ({exc.strerror})", self.path) from None
        self._written = True

    def add(self, result: DossierResult) -> None:
        self.write(self.renderer.add(result))

    def close(self) -> Optional[Path]:
        """Write the end (and the head a spooling renderer gives now) and put the report in place."""
        prefix, suffix = self.renderer.finish()
        try:
            if self._spool:
                body, self._body = self._body, None
                body.flush()
                if self.path is not None:
                    body.close()
                    with open(self._tmp, "w", encoding="utf-8", newline="") as out, \
                            open(self._body_path, encoding="utf-8", newline="") as spooled:
                        out.write(prefix)
                        shutil.copyfileobj(spooled, out, 1 << 20)
                        out.write(suffix)
                else:
                    self.sink(prefix)
                    body.seek(0)
                    while chunk := body.read(1 << 20):
                        self.sink(chunk)
                    body.close()
                    self.sink(suffix)
            else:
                if prefix and self._written:
                    raise ValueError("a head at the end needs a spooling renderer")
                self.write(prefix)
                self.write(suffix)
                if self._body is not None:
                    self._body.close()
                    self._body = None
        except OSError as exc:
            self.discard()
            raise OutputError(f"không ghi được tệp ({exc.strerror})", self.path) from None
        except BaseException:
            self.discard()
            raise
        if self.path is None:
            return None
        tmp, self._tmp = self._tmp, None
        self._drop_body()
        return publish(tmp, self.path)  # removes the temp when it cannot be moved

    def _drop_body(self) -> None:
        if self._body_path is not None:
            self._body_path.unlink(missing_ok=True)
            self._body_path = None

    def discard(self) -> None:
        """Remove what was written so far (nothing is left beside the target)."""
        if self._body is not None:
            try:
                self._body.close()
            except OSError:
                pass
            self._body = None
        if self._tmp is not None:
            self._tmp.unlink(missing_ok=True)
            self._tmp = None
        self._drop_body()
