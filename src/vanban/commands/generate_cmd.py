"""``vanban generate``, ``vanban template``, ``vanban init`` and ``vanban register``."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import click

from ..errors import ConfigError, OutputError
from ..outfiles import atomic_path
from .params import warn_if_pdf_fonts_lack_vietnamese

KIND_HELP = "don-doc, phe-binh, chi-thi, bao-cao-nhiem-vu, tra-ho-so, cong-van, phieu-trinh"


def _office(path: str | None):
    from ..generate import load_office

    return load_office(path)


@click.command(name="generate")
@click.argument("kind", metavar="LOẠI")
@click.option("--data", "data_file", required=True, type=click.Path(dir_okay=False),
              help="Tệp dữ liệu YAML/JSON; có 'records: [...]' thì soạn hàng loạt.")
@click.option("-o", "--output", type=click.Path(), help="Tệp .docx ra (hàng loạt: thư mục ra).")
@click.option("--office", "office_file", type=click.Path(dir_okay=False),
              help="Hồ sơ cơ quan (mặc định ./vanban.yaml, không có thì dùng hồ sơ mẫu).")
@click.option("--number", metavar="auto|SỐ", help="Số văn bản: auto (lấy số tiếp theo trong sổ văn bản đi), một số, hoặc \"\" "
                                "(dự thảo, để trống số); ghi đè trường 'number' của dữ liệu.")
@click.option("--db", "db_file", type=click.Path(dir_okay=False), help="Tệp SQLite của sổ văn bản đi.")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF qua LibreOffice.")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False),
              help="Thư mục mẫu của cơ quan (tệp cùng tên thay mẫu có sẵn).")
@click.option("--merge", "merge_file", type=click.Path(dir_okay=False),
              help="Hàng loạt: gộp tất cả vào một tệp .docx để in.")
@click.option("--name-field", metavar="TRƯỜNG", help="Hàng loạt: trường dùng để đặt tên từng tệp.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
              help="Hàng loạt: số tiến trình soạn song song (mặc định: số lõi CPU); số văn bản vẫn cấp theo thứ tự.")
def generate_command(kind, data_file, output, office_file, number, db_file, pdf, force, template_dir, merge_file,
                     name_field, jobs):
    """Soạn văn bản LOẠI (don-doc, phe-binh, chi-thi, bao-cao-nhiem-vu, tra-ho-so, cong-van, phieu-trinh)
    từ mẫu và tệp dữ liệu, đúng thể thức Nghị định 30/2020/NĐ-CP."""
    from ..config import read_data_file
    from ..generate import render_document, render_many
    from ..generate.render import kind_spec

    kind_spec(kind)
    if number is not None and number not in ("auto", "") and not number.isdigit():
        raise ConfigError(f"--number phải là 'auto', một số, hoặc \"\" (để trống số), nhận được {number!r}")
    data_path = Path(data_file)
    data = read_data_file(data_path)
    office = _office(office_file)
    db_path = Path(db_file) if db_file else None
    templates = Path(template_dir) if template_dir else None
    warn_if_pdf_fonts_lack_vietnamese(pdf)
    if isinstance(data, dict) and "records" in data:
        records = data["records"]
        if not isinstance(records, list):
            raise ConfigError("'records' phải là một danh sách", data_path)
        shared = {k: v for k, v in data.items() if k != "records"}
        records = [{**shared, **r} if isinstance(r, dict) else r for r in records]
        if number is not None:
            records = [dict(r, number=number) if isinstance(r, dict) else r for r in records]
        out_dir = Path(output) if output else Path(data_path.stem)
        results = render_many(kind, records, out_dir, office=office, db_path=db_path, force=force, pdf=pdf,
                              merge=Path(merge_file) if merge_file else None, name_field=name_field,
                              template_dir=templates, data_path=data_path, jobs=jobs or os.cpu_count() or 1)
        for result in results:
            click.echo(f"Đã soạn {result.path} (số {result.number_symbol})")
        if merge_file:
            click.echo(f"Đã gộp {len(results)} văn bản vào {merge_file}")
        return
    if merge_file or name_field:
        raise ConfigError("--merge và --name-field chỉ dùng khi tệp dữ liệu có 'records: [...]'", data_path)
    if isinstance(data, dict) and number is not None:
        data = dict(data, number=number)
    target = Path(output) if output else Path(f"{data_path.stem}.docx")
    if target.suffix.lower() != ".docx":
        raise OutputError("tệp ra phải có đuôi .docx", target)
    result = render_document(kind, data, target, office=office, db_path=db_path, force=force, pdf=pdf,
                             template_dir=templates, data_path=data_path)
    click.echo(f"Đã soạn {result.path} (số {result.number_symbol})")
    if result.pdf_path:
        click.echo(f"Đã xuất {result.pdf_path}")


@click.group(name="template")
def template_group():
    """Mẫu văn bản: liệt kê và kiểm tra mẫu của cơ quan."""


@template_group.command(name="list")
@click.option("--templates", "template_dir", type=click.Path(file_okay=False),
              help="Thư mục mẫu của cơ quan.")
def template_list(template_dir):
    """Liệt kê các loại văn bản và tệp mẫu đang dùng."""
    from ..generate.render import kinds, template_path

    for key, spec in kinds().items():
        path = template_path(key, Path(template_dir) if template_dir else None)
        click.echo(f"{key:18} {spec.name:28} {path}")


@template_group.command(name="check")
@click.argument("file", metavar="TỆP", type=click.Path(dir_okay=False))
@click.option("--kind", metavar="LOẠI", help="Loại văn bản của mẫu (mặc định theo tên tệp, ví dụ don-doc.docx).")
def template_check(file, kind):
    """Kiểm tra một tệp mẫu .docx: biến dùng trong mẫu, thẻ bị tách, lỗi cú pháp,
    biến không có trong dữ liệu của loại văn bản."""
    from ..generate.render import kind_spec
    from ..generate.templatecheck import check_template

    if kind is not None:
        kind_spec(kind)
    report = check_template(file, kind)
    click.echo(f"Mẫu: {report.path}")
    click.echo("Các biến dùng trong mẫu: " + (", ".join(report.variables) or "(không có)"))
    if report.ok:
        click.echo("Không phát hiện lỗi.")
        return
    labels = {"syntax": "Lỗi cú pháp", "split-run": "Thẻ bị tách", "split-paragraph": "Thẻ không đóng",
              "tag-with-text": "Thẻ đoạn lẫn chữ", "unknown-variable": "Biến không có dữ liệu"}
    for problem in report.problems:
        click.echo(f"- {labels.get(problem.kind, problem.kind)} ({problem.where}): {problem.message}")
    raise ConfigError(f"mẫu có {len(report.problems)} lỗi", file)


@click.command(name="init")
@click.argument("path", metavar="ĐƯỜNG_DẪN", required=False, type=click.Path())
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
def init_command(path, force):
    """Tạo hồ sơ cơ quan vanban.yaml (có chú thích) để sửa theo cơ quan mình."""
    from ..generate.office import OFFICE_FILE_NAME, SAMPLE_OFFICE

    target = Path(path) if path else Path(OFFICE_FILE_NAME)
    if target.is_dir() or target.suffix.lower() not in (".yaml", ".yml"):
        target = target / OFFICE_FILE_NAME
    with atomic_path(target, force=force, suffix=".yaml") as tmp:
        shutil.copyfile(SAMPLE_OFFICE, tmp)
    click.echo(f"Đã tạo {target}. Sửa tên cơ quan, địa danh, người ký rồi dùng: vanban generate … --office {target}")


@click.group(name="register")
def register_group():
    """Sổ văn bản đi: xem các số đã cấp và số tiếp theo."""


def _register_db(office_file, db_file):
    if db_file:
        return Path(db_file)
    return _office(office_file).db_path


@register_group.command(name="list")
@click.option("--year", type=int, metavar="NĂM", help="Chỉ xem một năm.")
@click.option("--office", "office_file", type=click.Path(dir_okay=False), help="Hồ sơ cơ quan.")
@click.option("--db", "db_file", type=click.Path(dir_okay=False), help="Tệp SQLite của sổ văn bản đi.")
def register_list(year, office_file, db_file):
    """Liệt kê văn bản đi đã cấp số, số đã giải phóng và số chưa dùng."""
    from ..generate.register import RELEASED, list_entries, unused_numbers

    db = _register_db(office_file, db_file)
    entries = list_entries(db, year, released=True)
    if not entries:
        click.echo("Sổ văn bản đi chưa có văn bản nào" + (f" năm {year}." if year else "."))
        return
    for e in entries:
        series = " (mật)" if e.series == "mat" else ""
        if e.status == RELEASED:
            why = f": {e.release_reason}" if e.release_reason else ""
            click.echo(f"{e.number_symbol:18} {e.date.strftime('%d/%m/%Y')}{series}  đã giải phóng{why}  "
                       f"(trước đây: {e.kind} {e.subject})")
        else:
            gone = "" if Path(e.path).exists() else " (tệp không còn ở đây)"
            click.echo(f"{e.number_symbol:18} {e.date.strftime('%d/%m/%Y')}{series}  {e.kind:16} {e.subject}  "
                       f"→ {e.path}{gone}")
    for y, series in sorted({(e.year, e.series) for e in entries}):
        free = unused_numbers(db, y, series)
        label = "sổ văn bản mật" if series == "mat" else "sổ văn bản"
        if free:
            click.echo(f"Số chưa dùng năm {y} ({label}): " + ", ".join(f"{n:02d}" for n in free) + ".")
        else:
            click.echo(f"Năm {y} ({label}): mọi số đã cấp đều có văn bản.")


@register_group.command(name="next")
@click.option("--year", type=int, metavar="NĂM", help="Năm (mặc định năm nay).")
@click.option("--secret", is_flag=True, help="Hệ thống số của văn bản mật.")
@click.option("--office", "office_file", type=click.Path(dir_okay=False), help="Hồ sơ cơ quan.")
@click.option("--db", "db_file", type=click.Path(dir_okay=False), help="Tệp SQLite của sổ văn bản đi.")
def register_next(year, secret, office_file, db_file):
    """In số tiếp theo sẽ được cấp (không giữ số)."""
    from ..generate.filters import so
    from ..generate.register import SERIES_REGULAR, SERIES_SECRET, peek_next

    office = _office(office_file)
    db = Path(db_file) if db_file else office.db_path
    year = year or dt.date.today().year
    series = SERIES_SECRET if (secret and office.secret_series) else SERIES_REGULAR
    number = peek_next(db, year, series)
    if office.max_per_year is not None and number > office.max_per_year:
        raise ConfigError(f"sổ văn bản năm {year} đã hết số (tối đa {office.max_per_year})", db)
    click.echo(so(number))


@register_group.command(name="release")
@click.argument("number", type=click.IntRange(min=1), metavar="SỐ")
@click.option("--year", type=int, metavar="NĂM", help="Năm của số (mặc định năm nay).")
@click.option("--secret", is_flag=True, help="Số trong hệ thống số của văn bản mật.")
@click.option("--reason", metavar="LÝ DO", help="Lý do (ví dụ: văn bản không ban hành).")
@click.option("--office", "office_file", type=click.Path(dir_okay=False), help="Hồ sơ cơ quan.")
@click.option("--db", "db_file", type=click.Path(dir_okay=False), help="Tệp SQLite của sổ văn bản đi.")
def register_release(number, year, secret, reason, office_file, db_file):
    """Giải phóng một số đã cấp cho văn bản không ban hành (số được ghi là chưa dùng, không tự cấp lại)."""
    from ..generate.register import SERIES_REGULAR, SERIES_SECRET, release_number
    from ..tasks.history import forget_released

    db = _register_db(office_file, db_file)
    year = year or dt.date.today().year
    entry = release_number(db, year, number, SERIES_SECRET if secret else SERIES_REGULAR, reason or "")
    forgotten = forget_released(db, entry.number_symbol, entry.year)
    click.echo(f"Đã giải phóng số {entry.number_symbol} năm {entry.year} ({entry.kind}: {entry.subject}).")
    if forgotten:
        click.echo(f"Lịch sử đôn đốc, phê bình: bỏ {forgotten} dòng của văn bản này.")
    if Path(entry.path).exists():
        click.echo(f"Lưu ý: tệp {entry.path} vẫn mang số này; xóa tệp hoặc soạn lại thành dự thảo.")
