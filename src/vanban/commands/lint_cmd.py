"""``vanban lint`` and ``vanban fix``: a thin shell over :mod:`vanban.lint`.

Exit codes (lint): 0 no format fault (information only), 1 at least one fault (error or warning),
2 usage, 3 a file could not be read, 4 the output could not be written, 5 a rule code is unknown.
Exit codes (fix): 0 written, 2 usage, 3 the input could not be read (or the result would differ in
text: nothing is written), 4 the output exists (without --force) or could not be written.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import EXIT_INPUT, EXIT_OK, EXIT_RETURNED, OutputError
from .check_cmd import _split_codes

LINT_SUFFIXES = (".docx", ".doc", ".rtf", ".pdf")


def _files(paths) -> list[Path]:
    out = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.suffix.lower() in LINT_SUFFIXES and p.is_file()
                          and not p.name.startswith(("~$", ".")))
        else:
            out.append(path)
    return out


@click.command(name="lint")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP...")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "sarif", "junit"]), default="text",
              show_default=True, help="Định dạng kết quả in ra (hoặc ghi vào --output).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Ghi kết quả vào tệp thay vì màn hình.")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp kết quả đã có.")
@click.option("--select", multiple=True, metavar="MÃ", help="Chỉ chạy các quy tắc này (ví dụ VB60,VB617).")
@click.option("--ignore", multiple=True, metavar="MÃ", help="Bỏ qua các quy tắc này (ví dụ VB625).")
def lint_command(paths, fmt, output, force, select, ignore):
    """Kiểm tra thể thức văn bản theo Nghị định 30/2020/NĐ-CP (Phụ lục I).

    TỆP là văn bản .docx, .doc, .rtf hoặc .pdf (PDF chỉ kiểm tra được phần đọc
    được), hoặc thư mục chứa các văn bản đó. Danh mục quy tắc: docs/lint-rules.md.

    Mã thoát: 0 không có lỗi thể thức (chỉ có thông tin); 1 có lỗi hoặc cảnh
    báo; 2 sai cách dùng; 3 có tệp không đọc được; 4 không ghi được kết quả;
    5 mã quy tắc không có.
    """
    from ..lint import lint_file, select_rules
    from ..lint.report import FORMATS
    from ..outfiles import write_atomic

    if output is not None and output.exists() and not force:
        raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", output)
    rules = select_rules(_split_codes(select), _split_codes(ignore))
    files = _files(paths)
    if not files:
        raise click.UsageError("không có văn bản .docx, .doc, .rtf hay .pdf nào trong đường dẫn đã cho.")
    results = [lint_file(p, rules) for p in files]
    rendered = FORMATS[fmt](results)
    if output is not None:
        write_atomic(output, rendered, force=force)
    else:
        click.echo(rendered, nl=False)
    if any(r.failed for r in results):
        sys.exit(EXIT_INPUT)
    faults = any(f.severity in ("error", "warning") for r in results for f in r.findings)
    sys.exit(EXIT_RETURNED if faults else EXIT_OK)


@click.command(name="fix")
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="TỆP")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Tệp .docx ghi bản đã sửa.")
@click.option("--in-place", is_flag=True, help="Sửa ngay trên tệp .docx gốc (thay cho -o).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp kết quả đã có.")
@click.option("--select", multiple=True, metavar="MÃ", help="Chỉ sửa theo các quy tắc này (ví dụ VB602).")
@click.option("--ignore", multiple=True, metavar="MÃ", help="Không sửa theo các quy tắc này.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Định dạng báo cáo những gì đã sửa và những gì để người soạn sửa.")
def fix_command(source, output, in_place, force, select, ignore, fmt):
    """Sửa thể thức văn bản Word theo Nghị định 30/2020/NĐ-CP.

    Sửa những điểm sửa an toàn (khổ giấy, lề, phông, cỡ chữ, đậm/nghiêng, căn
    lề, cách viết ngày tháng và số ký hiệu, chữ 'Ð'), ghi ra tệp mới (-o) và
    báo cáo những gì đã sửa, những gì để người soạn sửa. Nội dung chữ được so
    sánh trước và sau khi sửa; khác thì không ghi.

    Mã thoát: 0 đã ghi; 2 sai cách dùng; 3 không đọc được tệp gốc; 4 không ghi
    được tệp kết quả (đã có mà không có --force).
    """
    from ..lint import select_rules
    from ..lint.fix import fix_file, fix_in_place
    from ..lint.report import fix_json, fix_text

    if in_place and output is not None:
        raise click.UsageError("dùng -o TỆP hoặc --in-place, không dùng cả hai.")
    if not in_place and output is None:
        raise click.UsageError("cần -o TỆP_KẾT_QUẢ.docx (hoặc --in-place để sửa ngay trên tệp gốc).")
    if in_place and source.suffix.lower() != ".docx":
        raise click.UsageError("--in-place chỉ dùng cho tệp .docx; tệp .doc/.rtf cần -o TỆP.docx.")
    if output is not None and output.resolve() == source.resolve():
        raise click.UsageError("tệp kết quả trùng tệp gốc: dùng --in-place nếu muốn sửa ngay trên tệp gốc.")
    rules = select_rules(_split_codes(select), _split_codes(ignore))
    report = fix_in_place(source, rules) if in_place else fix_file(source, output, force=force, rules=rules)
    click.echo((fix_json if fmt == "json" else fix_text)(report), nl=False)
    sys.exit(EXIT_OK)
