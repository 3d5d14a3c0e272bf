"""LibreOffice run directly (not through vanban), to build .doc/.rtf/.pdf fixtures and as an oracle
(a module of its own name, not "conftest": see tests/web/web_helpers.py)."""

from __future__ import annotations

import subprocess
from pathlib import Path


def libreoffice_convert(soffice: str, source: Path, target_format: str, outdir: Path) -> Path:
    """Convert with LibreOffice directly (to build .doc/.rtf fixtures), not through vanban."""
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), str(source)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=180,
    )
    produced = outdir / (source.stem + "." + target_format.split(":")[0])
    assert produced.is_file(), f"LibreOffice did not produce {produced}"
    return produced


def libreoffice_convert_many(soffice: str, sources: list[Path], target_format: str, outdir: Path) -> list[Path]:
    """One LibreOffice start for many files (an oracle for the reader tests)."""
    outdir.mkdir(parents=True, exist_ok=True)
    profile = outdir / "lo-profile"
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", target_format, "--outdir", str(outdir), *map(str, sources)],
        check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600,
    )
    extension = target_format.split(":")[0]
    produced = [outdir / f"{source.stem}.{extension}" for source in sources]
    missing = [p.name for p in produced if not p.is_file()]
    assert not missing, f"LibreOffice did not produce {missing}"
    return produced
