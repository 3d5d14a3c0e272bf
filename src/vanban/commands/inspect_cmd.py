"""``vanban inspect``: read and understand files, print their structure.

Exit codes: 0 every file read; 3 (EXIT_INPUT) when a file is unreadable,
encrypted, empty or corrupt; 6 when LibreOffice is needed but missing. The
other files of the same call are still printed.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..errors import EXIT_OK, VanbanError


@click.command(name="inspect")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP...")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Dạng kết quả: text (tóm tắt tiếng Việt) hoặc json (theo schemas/document.schema.json).")
@click.option("--ocr", "ocr_mode", type=click.Choice(["off", "auto", "force"]), default=None,
              help="Nhận dạng chữ (OCR) trang scan và tệp ảnh: off không đọc; auto đọc trang không có lớp chữ hoặc "
                   "lớp chữ không phải tiếng Việt; force đọc lại mọi trang. Mặc định: auto.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Không dùng kết quả OCR đã lưu, nhận dạng lại.")
def inspect_command(files: tuple[Path, ...], output_format: str, ocr_mode: str, no_cache: bool):
    """Đọc và phân tích cấu trúc văn bản: loại, số/ký hiệu, ngày, cơ quan, trích yếu,
    căn cứ, kiến nghị, người ký, nơi nhận, dấu hiệu mật/khẩn/dự thảo, chữ ký số."""
    from ..read import read_many
    from ..read.ocr import configure, default_options
    from ..understand import understand_many
    from ..understand.report import document_to_dict, error_to_dict, format_text, report_to_dict

    configure(default_options(ocr_mode, not no_cache))
    results: dict[int, object] = {}
    readable = []
    for index, (path, result) in enumerate(read_many(list(files))):
        if isinstance(result, VanbanError):
            results[index] = result
        else:
            readable.append((index, result))
    for (index, _), document in zip(readable, understand_many(raw for _, raw in readable)):
        results[index] = document

    exit_code = EXIT_OK
    entries = []
    for index, path in enumerate(files):
        result = results[index]
        if isinstance(result, VanbanError):
            exit_code = exit_code or result.exit_code
            if output_format == "json":
                entries.append(error_to_dict(str(path), result.message, result.exit_code))
            else:
                click.echo(f"Lỗi: {result}", err=True)
        elif output_format == "json":
            entries.append(document_to_dict(result))
        else:
            if index:
                click.echo("")
            click.echo(format_text(result))
    if output_format == "json":
        click.echo(json.dumps(report_to_dict(entries), ensure_ascii=False, indent=2))
    sys.exit(exit_code)
