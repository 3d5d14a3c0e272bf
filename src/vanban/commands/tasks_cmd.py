"""``vanban tasks``: the task register, reminders, criticism letters and reports."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import click

from ..errors import ConfigError
from .params import DATE, warn_if_pdf_fonts_lack_vietnamese


def _number(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value != "auto" and not value.isdigit():
        raise ConfigError(f"--number phải là 'auto', một số, hoặc \"\" (để trống số), nhận được {value!r}")
    return value


class _Session:
    """What every sub-command needs: settings, calendar, office, register, history."""

    def __init__(self, register, config_file, office_file, db_file, calendar_file, load_office=True):
        from ..store import default_db_path
        from ..tasks.settings import load_tasks_config

        self.config = load_tasks_config(config_file)
        if calendar_file:
            from dataclasses import replace

            self.config = replace(self.config, calendar=calendar_file)
        self.calendar = self.config.work_calendar()
        self.office = None
        if load_office:
            from ..generate import load_office as load

            self.office = load(office_file)
        office_db = self.office.db_path if self.office is not None else None
        self.db_path = Path(db_file) if db_file else (office_db or default_db_path())
        self.load = None
        if register:
            from ..tasks.register import load_register

            self.load = load_register(register)
            _print_problems(self.load)

    def history(self):
        from ..tasks.history import import_tasks, open_history

        conn = open_history(self.db_path)
        import_tasks(conn, self.load.tasks, str(Path(self.load.path).resolve()))
        return conn


def _print_problems(load) -> None:
    secret = load.refused_secret
    other = [p for p in load.problems if not p.refused_secret]
    click.echo(f"Sổ nhiệm vụ {load.path}: nhận {len(load.tasks)} nhiệm vụ"
               + (f", bỏ qua {len(other)} dòng lỗi" if other else "")
               + (f", từ chối {len(secret)} dòng văn bản mật" if secret else "") + ".")
    for problem in [*other, *secret]:
        click.echo(f"  - {problem}", err=True)


def _common(f):
    options = [
        click.option("--register", "register", required=True, type=click.Path(dir_okay=False),
                     help="Sổ theo dõi nhiệm vụ (.xlsx, .csv, .json)."),
        click.option("--config", "config_file", type=click.Path(dir_okay=False),
                     help="Tệp cấu hình theo dõi nhiệm vụ (YAML; mặc định: 5 ngày, 2 lần đôn đốc, 5 ngày giải trình)."),
        click.option("--calendar", "calendar_file", type=click.Path(dir_okay=False),
                     help="Tệp ngày nghỉ/làm bù bổ sung (YAML)."),
        click.option("--office", "office_file", type=click.Path(dir_okay=False),
                     help="Hồ sơ cơ quan (mặc định ./vanban.yaml, không có thì dùng hồ sơ mẫu)."),
        click.option("--db", "db_file", type=click.Path(dir_okay=False),
                     help="Tệp SQLite (sổ văn bản đi và lịch sử nhiệm vụ)."),
        click.option("--unit", metavar="ĐƠN VỊ", help="Chỉ xử lý một đơn vị chủ trì."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


def _letters_options(f):
    options = [
        click.option("--as-of", "as_of", type=DATE, help="Ngày xét (dd/mm/yyyy hoặc yyyy-mm-dd; mặc định hôm nay)."),
        click.option("-o", "--output", "output", default=".", type=click.Path(file_okay=False),
                     help="Thư mục ghi văn bản."),
        click.option("--number", metavar="SỐ", help="Số văn bản: auto (lấy số trong sổ văn bản đi) hoặc để trống (dự thảo)."),
        click.option("--pdf", is_flag=True, help="Xuất thêm PDF qua LibreOffice."),
        click.option("--force", is_flag=True, help="Ghi đè tệp đã có."),
        click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Số tiến trình soạn song song (mặc định: số lõi CPU); số văn bản vẫn cấp theo thứ tự."),
    ]
    for option in reversed(options):
        f = option(f)
    return f


@click.group(name="tasks")
def tasks_group():
    """Theo dõi nhiệm vụ được giao: tình hình, đôn đốc, phê bình, báo cáo định kỳ."""


@tasks_group.command(name="status")
@_common
@click.option("--as-of", "as_of", type=DATE, help="Ngày xét (mặc định hôm nay).")
def status_command(register, config_file, calendar_file, office_file, db_file, unit, as_of):
    """Tình hình thực hiện từng nhiệm vụ tại một ngày (tính theo ngày làm việc)."""
    from ..tasks.report import Counts, overdue_sentence
    from ..tasks.status import task_status
    from ..text import fold

    session = _Session(register, config_file, office_file, db_file, calendar_file, load_office=False)
    day = as_of or dt.date.today()
    overall = Counts("Tổng cộng")
    for task in session.load.tasks:
        if task.issued > day or (unit and fold(task.unit) != fold(unit)):
            continue
        st = task_status(task, day, session.calendar, session.config.extension_notice_days)
        overall.add(st.category)
        extra = f" {st.overdue_days} ngày làm việc" if st.overdue_days else ""
        notes = f" ({'; '.join(st.notes)})" if st.notes else ""
        click.echo(f"{task.symbol} | {task.unit} | {st.category.label}{extra}{notes} | {task.content}")
    click.echo(f"Tổng số {overall.total} nhiệm vụ; " + "; ".join(
        f"{c.label}: {n}" for c, n in overall.by_category.items()) + f". {overdue_sentence(overall)}.")


def _issue(kind, select, *, register, config_file, calendar_file, office_file, db_file, unit, as_of, output, number,
           pdf, force, jobs):
    from ..tasks.letters import issue_letters

    warn_if_pdf_fonts_lack_vietnamese(pdf)
    session = _Session(register, config_file, office_file, db_file, calendar_file)
    day = as_of or dt.date.today()
    history = session.history()
    try:
        selection = select(session, history, day)
        held = "; ".join(f"{n} nhiệm vụ {why}" for why, n in sorted(selection.held.items()))
        left_out = "không đôn đốc lần này:" if kind == "don-doc" else "chưa phê bình:"
        if not selection:
            click.echo("Không có đơn vị nào cần " + ("đôn đốc" if kind == "don-doc" else "phê bình")
                       + (f" ({left_out} {held})." if held else "."))
            return
        letters = issue_letters(kind, selection, day, Path(output), office=session.office, config=session.config,
                                calendar=session.calendar, history=history, db_path=session.db_path,
                                number=_number(number), force=force, pdf=pdf,
                                jobs=jobs or os.cpu_count() or 1)
    finally:
        history.close()
    what = "công văn đôn đốc" if kind == "don-doc" else "công văn phê bình"
    click.echo(f"Đã soạn {len(letters)} {what} ngày {day:%d/%m/%Y}:")
    for letter in letters:
        numbered = f"số {letter.number}/{letter.symbol}" if letter.number else "dự thảo, chưa cấp số"
        click.echo(f"  - {letter.unit}: {letter.task_count} nhiệm vụ; {numbered}; {letter.path}")
    if held:
        click.echo(f"{left_out.capitalize()} {held}.")
    if not any(letter.number for letter in letters):
        click.echo("Lưu ý: văn bản dự thảo không được ghi vào lịch sử đôn đốc/phê bình (dùng --number auto).")


def _select(kind, within=None, after_reminders=None, unit=None):
    """The selection function of ``_issue``: statuses on the day, the letters sent before it, the rules."""
    from ..tasks.history import letters_by_task
    from ..tasks.select import select_criticism, select_reminders
    from ..tasks.status import statuses

    def select(session, history, day):
        rules = session.config.rules(within, after_reminders)
        seen = statuses([t for t in session.load.tasks if t.issued <= day], day, session.calendar,
                        session.config.extension_notice_days)
        reminders, criticized = letters_by_task(history, "don-doc", day), letters_by_task(history, "phe-binh", day)
        chooser = select_reminders if kind == "don-doc" else select_criticism
        return chooser(seen, reminders, criticized, rules, session.calendar, unit)

    return select


@tasks_group.command(name="remind")
@_common
@_letters_options
@click.option("--within", type=click.IntRange(0, 60), metavar="N", help="Đôn đốc nhiệm vụ đến hạn trong N ngày làm việc (mặc định theo cấu hình, 5).")
def remind_command(within, **options):
    """Soạn công văn đôn đốc cho từng đơn vị có nhiệm vụ quá hạn hoặc sắp đến hạn
    (nhiệm vụ đã đôn đốc chỉ đôn đốc lại khi hết thời hạn báo cáo kết quả)."""
    _issue("don-doc", _select("don-doc", within=within, unit=options["unit"]), **options)


@tasks_group.command(name="criticize")
@_common
@_letters_options
@click.option("--after-reminders", type=click.IntRange(1, 10), metavar="K", help="Phê bình khi đã đôn đốc K lần mà chưa hoàn thành (mặc định 2).")
def criticize_command(after_reminders, **options):
    """Soạn công văn phê bình đơn vị có nhiệm vụ quá hạn đã đôn đốc K lần, quá thời hạn báo cáo
    mà chưa có kết quả (không phê bình nhiệm vụ đã đề nghị gia hạn kịp thời)."""
    _issue("phe-binh", _select("phe-binh", after_reminders=after_reminders, unit=options["unit"]), **options)


@tasks_group.command(name="report")
@_common
@click.option("--period", required=True, metavar="KỲ", help="Kỳ báo cáo: 2026-10 (tháng), 2026-Q3 (quý), 2026-H1 (6 tháng), 2026 (năm).")
@click.option("--as-of", "as_of", type=DATE, help="Ngày chốt số liệu (mặc định ngày cuối kỳ).")
@click.option("-o", "--output", "output", default=".", type=click.Path(file_okay=False), help="Thư mục ghi báo cáo.")
@click.option("--number", metavar="SỐ", help="Số văn bản: auto hoặc để trống (dự thảo).")
@click.option("--no-docx", is_flag=True, help="Chỉ xuất bảng tính .xlsx (không soạn báo cáo .docx).")
@click.option("--pdf", is_flag=True, help="Xuất thêm PDF qua LibreOffice.")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
def report_command(register, config_file, calendar_file, office_file, db_file, unit, period, as_of, output, number,
                   no_docx, pdf, force):
    """Báo cáo nhiệm vụ, công việc theo kỳ: .docx (kèm biểu đồ), .xlsx và số liệu theo đơn vị."""
    from ..tasks.outputs import write_report
    from ..tasks.period import parse_period
    from ..tasks.report import overdue_sentence, vn_percent

    span = parse_period(period)
    warn_if_pdf_fonts_lack_vietnamese(pdf)
    session = _Session(register, config_file, office_file, db_file, calendar_file, load_office=not no_docx)
    day = as_of
    result = write_report(session.load.tasks, span, Path(output), calendar=session.calendar, config=session.config,
                          office=session.office, db_path=session.db_path, as_of=day, unit=unit,
                          number=_number(number), docx=not no_docx, pdf=pdf, force=force)
    report = result.report
    click.echo(f"Báo cáo {span.label} (số liệu đến {report.as_of:%d/%m/%Y}): {report.overall.total} nhiệm vụ; "
               f"{overdue_sentence(report.overall)}.")
    for c in report.units:
        click.echo(f"  - {c.unit}: {c.total} nhiệm vụ, quá hạn {c.overdue}/{c.with_deadline} "
                   f"({vn_percent(c.overdue_rate)})")
    for path in result.files:
        click.echo(f"Đã ghi {path}")


@tasks_group.command(name="programme")
@click.option("--file", "programme_file", required=True, type=click.Path(dir_okay=False),
              help="Bảng chương trình công tác (.xlsx, .csv, .json).")
@click.option("--period", required=True, metavar="KỲ", help="Kỳ đánh giá: 2026-10, 2026-Q3, 2026-H1, 2026.")
@click.option("--as-of", "as_of", type=DATE, help="Ngày chốt số liệu (mặc định ngày cuối kỳ).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), help="Ghi kết quả ra tệp .xlsx.")
@click.option("--force", is_flag=True, help="Ghi đè tệp đã có.")
def programme_command(programme_file, period, as_of, output, force):
    """Đánh giá thực hiện chương trình công tác: phải trình, đã trình, đã ban hành, chưa trình và tỷ lệ."""
    from ..tasks.outputs import write_programme_xlsx
    from ..tasks.period import parse_period
    from ..tasks.programme import evaluate_programme, load_programme

    span = parse_period(period)
    items, problems = load_programme(programme_file)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)
    evaluation = evaluate_programme(items, span, as_of, tuple(problems))
    click.echo(f"Chương trình công tác {span.label}: {evaluation.overall.sentence()}.")
    for c in evaluation.units:
        click.echo(f"  - {c.unit}: {c.sentence()}")
    if evaluation.not_submitted:
        click.echo("Nội dung chưa trình:")
        for item in evaluation.not_submitted:
            click.echo(f"  - {item.unit}: {item.content} (hạn {item.due:%d/%m/%Y})")
    if output:
        click.echo(f"Đã ghi {write_programme_xlsx(evaluation, Path(output), force=force)}")
