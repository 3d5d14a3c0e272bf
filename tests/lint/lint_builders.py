"""Documents for the format-rule tests: passing bases written by vanban's own generator (and the
dossier builder for a Quyết định with căn cứ lines), and mutations of them made with python-docx."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "fixtures"))

import build_dossiers as bd  # noqa: E402

OFFICE_DIR = REPO / "fixtures" / "office"
DECISION = bd.DocSpec(
    type_name="QUYẾT ĐỊNH", parent="", agency="ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG", number="Số: 15/QĐ-UBND",
    subject="Ban hành Kế hoạch tuyên truyền cải cách hành chính năm 2026", recipients=(), bases=bd.GOOD_BASES,
    body=("Điều 1. Ban hành kèm theo Quyết định này Kế hoạch tuyên truyền cải cách hành chính năm 2026 của "
          "tỉnh Lâm Đồng, gồm các nhiệm vụ, giải pháp và phân công thực hiện.",
          "Điều 2. Quyết định này có hiệu lực kể từ ngày ký./."),
    authority="TM. ỦY BAN NHÂN DÂN", position="CHỦ TỊCH", signer="Trần Văn Bình",
    distribution=("- Như Điều 2;", "- Lưu: VT, NC."))


def paragraphs(doc):
    """Every paragraph of a python-docx document: body, table cells (nested too)."""
    def walk(container):
        for p in container.paragraphs:
            yield p
        for table in getattr(container, "tables", ()):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)
    seen: list = []  # the elements themselves (a merged cell shows the same paragraphs twice)
    for p in walk(doc):
        if not any(p._p is e for e in seen):
            seen.append(p._p)
            yield p


def mutate(src: Path, dst: Path, change: Callable) -> Path:
    import docx

    doc = docx.Document(str(src))
    change(doc)
    doc.save(str(dst))
    return dst
