"""Write the format-rule catalogue as ``docs/lint-rules.md``:

    python -m vanban.lint.docs [OUT]      (default: docs/lint-rules.md of the checkout)

The page is generated from ``lint/data/rules.yaml``; a test fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from ..outfiles import write_atomic
from .catalogue import FIX_VI, lint_catalogue

DEFAULT_OUT = Path(__file__).resolve().parents[3] / "docs" / "lint-rules.md"
SEVERITY_VI = {"error": "lỗi", "warning": "cảnh báo", "info": "thông tin"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown() -> str:
    rules = list(lint_catalogue().values())
    lines = [
        "# Quy tắc thể thức văn bản (`vanban lint`, `vanban fix`)",
        "",
        "<!-- Tệp sinh tự động từ src/vanban/lint/data/rules.yaml bằng `python -m vanban.lint.docs`; "
        "đừng sửa tay. -->",
        "",
        f"Họ quy tắc VB6xx: {len(rules)} quy tắc theo Nghị định 30/2020/NĐ-CP (Phụ lục I, Phụ lục III). "
        f"{sum(r.fixable for r in rules)} quy tắc `vanban fix` sửa được; các quy tắc đánh dấu *hồ sơ* cũng chạy "
        "trong `vanban check` (mức thông tin theo profile mặc định).",
        "",
        "Cách sửa: *sửa tự động (giữ nguyên chữ)* chỉ đổi định dạng; *sửa tự động (sửa chữ, có liệt kê)* đổi chữ "
        "và báo cáo của `vanban fix` liệt kê từng đoạn trước và sau khi sửa; *người soạn sửa* để lại cho người "
        "soạn thảo.",
        "",
        "| Mã | Quy tắc | Mức | Căn cứ | Cách sửa | Hồ sơ |",
        "|---|---|---|---|---|---|",
    ]
    for r in rules:
        lines.append(f"| {r.id} | {_cell(r.name)} | {SEVERITY_VI[r.severity]} | {_cell(r.clause)} | "
                     f"{FIX_VI[r.fix]} | {'có' if r.dossier else ''} |")
    for r in rules:
        lines += ["", f"## {r.id} — {r.name}", "",
                  f"- Căn cứ: {r.clause}",
                  f"- Mức: {SEVERITY_VI[r.severity]}",
                  f"- Vì sao: {r.why}",
                  f"- Thông báo: `{r.message}`",
                  f"- Ví dụ sai: {r.bad}",
                  f"- Ví dụ đúng: {r.good}",
                  f"- Cách sửa: {FIX_VI[r.fix]}" + (f". {r.fix_note}" if r.fix_note else "")]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else DEFAULT_OUT
    write_atomic(out, render_markdown(), force=True)
    print(out)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
