"""Does the serif font LibreOffice will draw Times New Roman with cover Vietnamese?

Documents of Nghị định 30 are set in Times New Roman. On Linux LibreOffice
replaces it with the metric-compatible Liberation Serif; version 1.07 of that
font (Debian's ``fonts-liberation``) has no letters such as ộ, ệ, ư, ơ, so
LibreOffice takes those letters from another font and every PDF mixes two
typefaces (and its text layer comes out scrambled). fontconfig answers the
question: ``fc-match`` names the font used for a family, ``fc-list
':charset=1ed9'`` lists the families that have ộ (U+1ED9).
"""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from typing import Optional

# Letters of Vietnamese outside Latin-1 and Latin Extended-A: ộ ệ ủ ư ơ ạ ả ấ ầ ẩ ẫ ậ …
PROBE_CHARSET = "1ed9 1ec7 1ee7 1b0 1a1 1ea1"
DOCUMENT_FAMILY = "Times New Roman"
FIX_PACKAGE = "fonts-liberation2"


def _run(args: list[str]) -> Optional[str]:
    try:
        result = subprocess.run(args, capture_output=True, text=True, timeout=20, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def matched_family(family: str = DOCUMENT_FAMILY) -> Optional[str]:
    """The family fontconfig draws ``family`` with, or None when fontconfig is not there."""
    if shutil.which("fc-match") is None:
        return None
    out = _run(["fc-match", "-f", "%{family[0]}", family])
    return out.strip() or None if out is not None else None


def vietnamese_families() -> Optional[set[str]]:
    """Every installed family that has all the probe letters (None: fontconfig is not there)."""
    if shutil.which("fc-list") is None:
        return None
    out = _run(["fc-list", f":charset={PROBE_CHARSET}", "family"])
    if out is None:
        return None
    families: set[str] = set()
    for line in out.splitlines():
        families.update(name.strip() for name in line.split(",") if name.strip())
    return families


@lru_cache(maxsize=1)
def font_warning() -> Optional[str]:
    """A Vietnamese warning when PDFs will mix typefaces; None when all is well or nobody can tell."""
    family = matched_family()
    covered = vietnamese_families()
    if family is None or covered is None:
        return None
    if family in covered:
        return None
    return (f"phông {DOCUMENT_FAMILY} được thay bằng {family}, phông này không có đủ chữ tiếng Việt "
            f"(ộ, ệ, ư, ơ …) nên PDF sẽ lẫn hai kiểu chữ. Cài gói {FIX_PACKAGE} "
            f"(apt-get install {FIX_PACKAGE}) rồi xuất lại PDF.")
