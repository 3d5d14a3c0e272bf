"""``vanban check`` and ``vanban rules``: a thin shell over :mod:`vanban.check`.

A batch streams: the dossiers are checked a few at a time (:func:`vanban.check.engine.iter_check_groups`)
and every output is written as their results come, so memory does not grow with the batch.

Exit codes: 0 every dossier accepted (possibly with notes), 1 at least one
returned (chuyển trả), 2 usage, 3 a dossier could not be read at all,
4 an output could not be written, 5 a profile/registry/calendar is invalid.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import click

from ..errors import EXIT_INPUT, EXIT_NEEDS_LOOK, EXIT_OK, EXIT_OUTPUT, EXIT_RETURNED, OutputError
from .params import DATE

FORMAT_CHOICES = ("text", "json", "sarif", "junit")


def _executor(value: str) -> str:
    from ..check.engine import check_executor

    try:
        return check_executor(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--executor") from None


def _split_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    out = []
    for v in values:
        out += [c.strip().upper() for c in v.split(",") if c.strip()]
    return tuple(out)


@click.command(name="check")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="ĐƯỜNG_DẪN...")
@click.option("--format", "fmt", type=click.Choice(FORMAT_CHOICES), default="text", show_default=True,
              help="Định dạng kết quả in ra (hoặc ghi vào --output).")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Ghi kết quả vào tệp thay vì màn hình.")
@click.option("--summary", type=click.Path(path_type=Path), help="Tệp tổng hợp một dòng mỗi hồ sơ (.csv hoặc .xlsx).")
@click.option("--html", "html_dir", type=click.Path(path_type=Path), help="Thư mục ghi báo cáo HTML (index.html và một trang mỗi hồ sơ).")
@click.option("--force", is_flag=True, help="Cho phép ghi đè tệp kết quả đã có.")
@click.option("--profile", "profile_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Hồ sơ chính sách (YAML) của Văn phòng; mặc định: profile đi kèm vanban.")
@click.option("--select", multiple=True, metavar="MÃ", help="Chỉ chạy các quy tắc này (ví dụ VB2,VB401).")
@click.option("--ignore", multiple=True, metavar="MÃ", help="Bỏ qua các quy tắc này (ví dụ VB6).")
@click.option("--legal-registry", "legal_files", multiple=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Sổ căn cứ pháp lý bổ sung (YAML), có thể lặp lại.")
@click.option("--calendar", "calendar_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Tệp điều chỉnh lịch làm việc (ngày nghỉ, ngày làm bù).")
@click.option("--meeting", type=DATE, help="Ngày phiên họp mà hồ sơ được trình.")
@click.option("--meeting-kind", metavar="LOẠI", help="Loại phiên họp: ubnd, giao-ban, ban-can-su … (theo profile).")
@click.option("--received", type=DATE, help="Ngày hồ sơ đến Văn phòng (mặc định: ngày ký mới nhất trong hồ sơ).")
@click.option("--assigned-to-head", is_flag=True, default=None,
              help="Nội dung được giao Ủy viên UBND là Thủ trưởng cơ quan: cấp phó không được ký.")
@click.option("-j", "--jobs", type=click.IntRange(min=1), default=None, metavar="N", help="Số tiến trình chạy song song (mặc định: số lõi CPU).")
@click.option("--executor", default="local", show_default=True, metavar="local|dask-local|dask://MÁY:CỔNG",
              callback=lambda ctx, param, value: _executor(value),
              help="Nơi kiểm tra các hồ sơ: các tiến trình của máy này; một cụm Dask cục bộ (--jobs tiến trình); "
                   "hoặc cụm Dask đang chạy (các máy phải thấy cùng đường dẫn). Dask: pip install 'vanban[dask]'.")
@click.option("--review-form", "review_form", type=click.Path(path_type=Path),
              help="Lập dự thảo phiếu trình (.docx) theo kết quả kiểm tra: một hồ sơ → tệp .docx; nhiều hồ sơ → "
                   "thư mục, mỗi hồ sơ một tệp <hồ sơ>-phieu-trinh.docx.")
@click.option("--return-letter", "return_letter", type=click.Path(path_type=Path),
              help="Soạn dự thảo công văn trả hồ sơ (.docx, chưa cấp số) cho hồ sơ bị chuyển trả, nêu các lỗi: "
                   "một hồ sơ → tệp .docx; nhiều hồ sơ → thư mục, mỗi hồ sơ một tệp <hồ sơ>-tra-ho-so.docx.")
@click.option("--office", "office_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Hồ sơ cơ quan cho phiếu trình và công văn trả hồ sơ (như `vanban generate --office`; mặc định "
                   "./vanban.yaml, không có thì dùng hồ sơ mẫu).")
@click.option("--review-unit", metavar="MÃ", help="Phòng xử lý chính ghi trên phiếu trình và công văn trả hồ sơ (ký "
                                                  "hiệu trong hồ sơ cơ quan, ví dụ NC); mặc định phòng đầu tiên.")
@click.option("--signer", "signer_key", metavar="KHÓA", help="Người ký công văn trả hồ sơ (khóa trong hồ sơ cơ quan); "
                                                             "mặc định Phó Chủ tịch đầu tiên ký KT.")
@click.option("--ocr", "ocr_mode", type=click.Choice(["off", "auto", "force"]), default=None,
              help="Nhận dạng chữ (OCR) trang scan: off không đọc; auto đọc trang không có lớp chữ hoặc lớp chữ "
                   "không phải tiếng Việt; force đọc lại mọi trang. Mặc định: auto.")
@click.option("--no-cache", "no_cache", is_flag=True, help="Không dùng kết quả OCR đã lưu, nhận dạng lại.")
def check_command(paths, fmt, output, summary, html_dir, force, profile_path, select, ignore, legal_files,
                  calendar_file, meeting, meeting_kind, received, assigned_to_head, jobs, executor, review_form,
                  return_letter,
                  office_file, review_unit, signer_key, ocr_mode, no_cache):
    """Kiểm tra hồ sơ trình trước khi tiếp nhận.

    ĐƯỜNG_DẪN là một hồ sơ (thư mục chứa văn bản, hoặc tệp .zip) hoặc một thư
    mục chứa nhiều hồ sơ (mỗi thư mục con hoặc tệp .zip là một hồ sơ).

    Với --review-form, vanban lập thêm dự thảo phiếu trình của Văn phòng cho
    từng hồ sơ (số phiếu và ngày ký để trống cho Văn phòng ghi). Với
    --return-letter, vanban soạn dự thảo công văn trả hồ sơ cho từng hồ sơ bị
    chuyển trả, gửi cơ quan trình, nêu các lỗi đã phát hiện.

    Kết luận mỗi hồ sơ: tiếp nhận; tiếp nhận, lưu ý; chuyển trả (chỉ vì lỗi mà
    các tệp chứng minh được); cần xem trực tiếp (văn bản trình là bản quét
    chưa đọc được, không thấy văn bản trình, thư mục gồm nhiều hồ sơ); văn bản
    đến, không phải hồ sơ trình (văn bản của bộ, ngành trung ương).

    Mã thoát: 0 không có hồ sơ bị chuyển trả hay cần xem; 1 có hồ sơ bị chuyển
    trả; 2 sai cách dùng; 3 có hồ sơ không đọc được; 4 không ghi được kết quả;
    5 cấu hình sai; 7 có hồ sơ cần xem trực tiếp (không hồ sơ nào bị chuyển trả).
    """
    from ..check.engine import Checker, CheckSettings, discover, iter_check_groups
    from ..check.model import CheckOptions
    from ..check.report import RENDERERS, HtmlWriter, StreamedReport, SummaryWriter
    from ..check.report.per_dossier import Names
    from ..check.report.return_letter import write_return_letters
    from ..check.report.review_form import write_review_forms

    if meeting_kind and not meeting:
        raise click.UsageError("--meeting-kind cần đi kèm --meeting NGÀY.")
    from ..outfiles import declare_inputs

    declare_inputs(paths)  # read in worker processes: no output may replace one of them, even with --force
    for target in (output, summary):
        if target is not None and target.exists() and not force:
            raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", target)
    if summary is not None and summary.suffix.lower() not in (".csv", ".xlsx"):
        raise click.UsageError("--summary cần tệp .csv hoặc .xlsx.")
    drafting = review_form is not None or return_letter is not None
    if (office_file or review_unit) and not drafting:
        raise click.UsageError("--office và --review-unit chỉ dùng cùng --review-form hoặc --return-letter.")
    if signer_key and return_letter is None:
        raise click.UsageError("--signer chỉ dùng cùng --return-letter.")
    office = unit = signer = None
    if drafting:
        from ..check.report.review_form import review_unit as _review_unit
        from ..generate import load_office

        office = load_office(office_file)  # a broken profile fails before the dossiers are read
        unit = _review_unit(office, review_unit)
    if return_letter is not None:
        from ..check.report.return_letter import return_signer

        signer = return_signer(office, signer_key)
    settings = CheckSettings(
        profile_path=str(profile_path) if profile_path else None,
        legal_registry_files=tuple(str(p) for p in legal_files),
        calendar_file=str(calendar_file) if calendar_file else None,
        select=_split_codes(select), ignore=_split_codes(ignore),
        options=CheckOptions(meeting=meeting, meeting_kind=meeting_kind, received=received,
                             assigned_to_head=assigned_to_head),
        review=review_form is not None,
        ocr=ocr_mode, ocr_cache=not no_cache,
    )
    profile_meetings = Checker(settings, reader=lambda p: None, understander=lambda r: None).profile.meetings
    if meeting_kind and meeting_kind not in profile_meetings:
        raise click.UsageError(f"--meeting-kind '{meeting_kind}' không có trong profile (có: {', '.join(profile_meetings)}).")
    dossiers = discover(paths)
    if review_form is not None:
        _check_per_dossier_target("--review-form", review_form, dossiers, force, "-phieu-trinh.docx")
    if return_letter is not None:
        _check_per_dossier_target("--return-letter", return_letter, dossiers, force, "-tra-ho-so.docx")
    jobs = jobs or os.cpu_count() or 1
    # every output is written as the results come; the main process keeps only running counts, the
    # names given and the per-dossier messages, never the results (memory flat in the number of dossiers)
    outputs = []  # reports put in place at the end; removed, never half-written, on an error or Ctrl-C
    form_outcomes, letter_outcomes = [], []
    failed = returned = needs_look = False
    try:
        show = sys.stderr.isatty() and len(dossiers) > 1  # a progress bar
        renderer = RENDERERS[fmt]()
        outputs.append(StreamedReport(renderer, output, force=force) if output is not None
                       else StreamedReport(renderer, sink=lambda text: click.echo(text, nl=False),
                                           hold=show and sys.stdout.isatty()))  # not under the bar
        if summary is not None:
            outputs.append(SummaryWriter(summary, force=force))
        if html_dir is not None:
            outputs.append(HtmlWriter(html_dir, force=force))
        names = {"form": Names(), "letter": Names()}
        with (click.progressbar(length=len(dossiers), label="Đang kiểm tra", file=sys.stderr) if show
              else contextlib.nullcontext()) as bar:
            groups = iter_check_groups(dossiers, settings, jobs, executor=executor)
            try:
                for group in groups:  # one dossier's results (several for a folder of sub-folder dossiers)
                    for result in group:
                        for out in outputs:
                            out.add(result)
                        failed = failed or bool(result.failed)
                        returned = returned or result.returned
                        needs_look = needs_look or result.needs_look
                    single = len(dossiers) == 1 and len(group) == 1
                    if review_form is not None:
                        form_outcomes += write_review_forms(group, review_form, office, unit=unit, single=single,
                                                            force=force, names=names["form"])
                    if return_letter is not None:
                        letter_outcomes += write_return_letters(group, return_letter, office, unit=unit,
                                                                signer=signer, single=single, force=force,
                                                                names=names["letter"])
                    if bar is not None:
                        bar.update(1)
            finally:
                groups.close()  # an error or Ctrl-C here stops the workers at once
        for out in outputs:
            out.close()
    except BaseException as exc:
        for out in outputs:
            out.discard()
        if isinstance(exc, KeyboardInterrupt):  # as an error does (cli.py): a stopped run leaves nothing
            from ..outfiles import discard_created

            discard_created()
        raise
    form_errors = []
    outcomes = [("Đã lập phiếu trình", o) for o in form_outcomes]
    outcomes += [("Đã soạn công văn trả hồ sơ", o) for o in letter_outcomes]
    for done, outcome in outcomes:
        if outcome.path is not None:
            click.echo(f"{done}: {outcome.path}", err=True)
        elif outcome.skipped:
            click.echo(f"Lưu ý: hồ sơ '{outcome.dossier}': {outcome.error}", err=True)
        else:
            form_errors.append(outcome.exit_code or EXIT_OUTPUT)
            click.echo(f"Lỗi: hồ sơ '{outcome.dossier}': {outcome.error}", err=True)
    if failed:
        sys.exit(EXIT_INPUT)
    if form_errors:
        sys.exit(form_errors[0])
    if returned:
        sys.exit(EXIT_RETURNED)
    sys.exit(EXIT_NEEDS_LOOK if needs_look else EXIT_OK)


def _check_per_dossier_target(option: str, target: Path, dossiers: list[Path], force: bool, suffix: str) -> None:
    """One dossier: a .docx file (or an existing folder); several: a folder. Fails before the slow check."""
    from ..check.report.per_dossier import output_name

    if len(dossiers) == 1:
        if target.is_dir():
            path = dossiers[0]
            target = target / output_name(path.stem if path.is_file() else path.name, suffix)
        elif target.suffix.lower() != ".docx":
            raise click.UsageError(f"{option} cần tệp .docx khi kiểm tra một hồ sơ (hoặc một thư mục đã có).")
        if target.exists() and not force:
            raise OutputError("tệp đã tồn tại; dùng --force để ghi đè", target)
        return
    if target.exists() and not target.is_dir():
        raise OutputError(f"kiểm tra nhiều hồ sơ: {option} phải là một thư mục", target)
    if target.suffix.lower() == ".docx":
        raise click.UsageError(f"kiểm tra nhiều hồ sơ: {option} phải là một thư mục, không phải tệp .docx.")


@click.command(name="rules")
@click.argument("rule_id", required=False, metavar="[MÃ_QUY_TẮC]")
@click.option("--profile", "profile_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Hiện mức độ theo hồ sơ chính sách này (mặc định: profile đi kèm vanban).")
def rules_command(rule_id, profile_path):
    """Liệt kê các quy tắc kiểm tra, hoặc giải thích một quy tắc (ví dụ: vanban rules VB201).

    Mức độ hiện theo profile: cùng một quy tắc có thể là lỗi ở Văn phòng này
    và chỉ là thông tin ở Văn phòng khác.
    """
    from ..check.model import SEVERITY_VI
    from ..check.policy import enabled_rules, load_profile, severity_of
    from ..check.rules import catalogue, families

    infos = catalogue()
    profile = load_profile(profile_path)
    level = severity_of(profile)
    enabled = set(enabled_rules(profile))
    if rule_id is None:
        fams = families()
        current = None
        click.echo(f"Profile: {profile.name}")
        for info in infos.values():
            family = next((k for k in sorted(fams, key=len, reverse=True) if info.id.startswith(k.rstrip("x"))), None)
            if family != current:
                current = family
                click.echo(f"\n{family} — {fams.get(family, '')}" if family else "")
            shown = SEVERITY_VI[level(info.id)] if info.id in enabled else "(tắt)"
            click.echo(f"  {info.id}  {shown:<10} {info.name}")
        return
    info = infos.get(rule_id.strip().upper())
    if info is None:
        raise click.UsageError(f"Không có quy tắc '{rule_id}'. Chạy `vanban rules` để xem danh sách.")
    click.echo(f"{info.id} — {info.name}")
    if info.id not in enabled:
        click.echo(f"Mức: không chạy (profile '{profile.name}' tắt quy tắc này)")
    elif level(info.id) != info.severity:
        click.echo(f"Mức: {SEVERITY_VI[level(info.id)]} (theo profile '{profile.name}'; "
                   f"mức gốc của quy tắc: {SEVERITY_VI[info.severity].lower()})")
    else:
        click.echo(f"Mức: {SEVERITY_VI[info.severity]}")
    click.echo(f"Căn cứ: {info.clause}")
    click.echo(f"Vì sao: {info.why}")
    click.echo(f"Ví dụ sai: {info.bad}")
    click.echo(f"Ví dụ đúng: {info.good}")
    click.echo(f"Thông báo: {info.message}")
