"""Convert a .docx to PDF with LibreOffice (headless, own profile, time limit)."""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

from ..errors import MissingToolError, OutputError
from ..read.convert import find_soffice  # one lookup for the whole tool: $VANBAN_SOFFICE, PATH, install folders

CONVERT_TIMEOUT_S = 180


@lru_cache(maxsize=1)
def _profile_dir() -> Path:
    """One LibreOffice profile per process: a shared profile makes parallel runs collide."""
    path = Path(tempfile.mkdtemp(prefix="vanban-lo-profile-"))
    atexit.register(shutil.rmtree, path, True)
    return path


def docx_to_pdf(source: Path, target: Path) -> Path:
    """Write ``target`` (PDF) from ``source``; ``target`` appears only when complete."""
    exe = find_soffice()
    if exe is None:
        raise MissingToolError("cần LibreOffice để xuất PDF nhưng chưa cài "
                               "(cài gói libreoffice-writer hoặc bỏ tùy chọn --pdf)")
    with tempfile.TemporaryDirectory(prefix="vanban-pdf-", dir=target.parent) as work:
        work_dir = Path(work)
        # a plain ASCII copy name: LibreOffice names its output after the input
        staged = work_dir / "document.docx"
        shutil.copyfile(source, staged)
        command = [exe, f"-env:UserInstallation={_profile_dir().as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", str(work_dir), str(staged)]
        try:
            result = subprocess.run(command, capture_output=True, timeout=CONVERT_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise OutputError(f"LibreOffice không chuyển xong sang PDF sau {CONVERT_TIMEOUT_S} giây", target) from None
        produced = work_dir / "document.pdf"
        if result.returncode != 0 or not produced.is_file() or produced.stat().st_size == 0:
            detail = (result.stderr or result.stdout or b"").decode("utf-8", "replace").strip()[:200]
            raise OutputError(f"LibreOffice không chuyển được sang PDF ({detail or 'không rõ lý do'})", target)
        os.replace(produced, target)
    return target
