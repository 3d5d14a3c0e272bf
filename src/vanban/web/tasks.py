"""Theo dõi nhiệm vụ: upload the task register, see statuses per unit on a day, issue letters, download the report.

The register, the statuses, the selection of units to remind or criticise, the letters
and the report are the library's, called as ``vanban tasks status|remind|criticize|report``
calls them (the command's own session and selection are reused).
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from pathlib import Path

from flask import Flask, abort, flash, g, redirect, render_template, request, url_for

from ..errors import VanbanError
from ..text import fold
from .app import context
from .intake import refuse_message
from .security import UploadRefused, safe_upload_name
from .views import login_required, readable, role_required, uploaded_files

REGISTER_SUFFIXES = (".xlsx", ".csv", ".json")


def _parse_day(value: str | None) -> dt.date:
    from ..dates import parse_date

    return parse_date(value) if value else dt.date.today()


class _Loaded:
    """The stored register copied under its own name into a temp folder, and the CLI's session over it."""

    def __init__(self, artifact, tmp: Path):
        from ..commands.tasks_cmd import _Session

        ctx = context()
        path = tmp / safe_upload_name(artifact["file_name"])
        shutil.copyfile(ctx.store.blobs.path(artifact["sha256"]), path)
        self.session = _Session(str(path), None, str(ctx.office.source) if ctx.office.source else None,
                                str(ctx.outgoing_db), None)


def _register_artifact(artifact_id: int):
    a = context().store.artifact(artifact_id)
    return readable(a if a is not None and a["kind"] == "task-register" else None, "owner_id")


def overview(session, day: dt.date, unit: str = "", category: str = ""):
    """Counts per unit and the tasks shown, on ``day`` (tasks issued after it are not yet known)."""
    from ..tasks.report import Counts, TOTAL_LABEL
    from ..tasks.status import statuses

    seen = statuses([t for t in session.load.tasks if t.issued <= day], day, session.calendar,
                    session.config.extension_notice_days)
    units: dict[str, Counts] = {}
    overall = Counts(TOTAL_LABEL)
    for st in seen:
        units.setdefault(st.task.unit, Counts(st.task.unit)).add(st.category)
        overall.add(st.category)
    shown = [st for st in seen if (not unit or fold(st.task.unit) == fold(unit))
             and (not category or st.category.value == category)]
    return sorted(units.values(), key=lambda c: fold(c.unit)), overall, shown


def register_tasks(app: Flask) -> None:
    @app.route("/nhiem-vu", methods=["GET", "POST"])
    @login_required
    def tasks_page():
        ctx = context()
        owned = ctx.store.artifacts(kinds=("task-register",), owner_id=None if g.user.reads_all else g.user.id)
        if request.method == "GET":
            return render_template("tasks_index.html", registers=owned[:20], today=dt.date.today().isoformat())
        if not g.user.works:
            return render_template("tasks_index.html", registers=owned[:20], today=dt.date.today().isoformat(),
                                   error="Chỉ chuyên viên được tải sổ theo dõi nhiệm vụ lên."), 403
        try:
            files = uploaded_files("so")
            if len(files) != 1:
                raise UploadRefused("cần chọn đúng một tệp sổ theo dõi nhiệm vụ")
            name = safe_upload_name(files[0][0])
            if not name.lower().endswith(REGISTER_SUFFIXES):
                raise UploadRefused(f"tệp '{name}' không phải sổ theo dõi nhiệm vụ (.xlsx, .csv hoặc .json)")
            if not files[0][1]:
                raise UploadRefused(f"tệp '{name}' rỗng (0 byte)")
        except UploadRefused as exc:
            return render_template("tasks_index.html", registers=owned[:20], today=dt.date.today().isoformat(),
                                   error=refuse_message(exc).replace("hồ sơ", "sổ", 1)), 400
        sha = ctx.store.blobs.put_bytes(files[0][1])
        artifact_id = ctx.store.add_artifact(g.user.id, "task-register", "Sổ theo dõi nhiệm vụ", name, sha)
        return redirect(url_for("tasks_view", artifact_id=artifact_id, ngay=request.form.get("ngay") or None))

    @app.get("/nhiem-vu/<int:artifact_id>")
    @login_required
    def tasks_view(artifact_id: int):
        from ..tasks.model import CATEGORY_LABELS
        from ..tasks.report import overdue_sentence, vn_percent

        artifact = _register_artifact(artifact_id)
        unit, category = request.args.get("don_vi", ""), request.args.get("trang_thai", "")
        try:
            day = _parse_day(request.args.get("ngay"))
            with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
                session = _Loaded(artifact, Path(tmp)).session
                units, overall, shown = overview(session, day, unit, category)
                problems = [str(p) for p in session.load.problems]
        except (VanbanError, ValueError) as exc:
            return render_template("tasks_index.html", registers=[], today=dt.date.today().isoformat(),
                                   error=f"Không đọc được sổ '{artifact['file_name']}': {exc}"), 400
        outputs = context().store.artifacts(kinds=("task-letter", "task-report"),
                                            owner_id=None if g.user.reads_all else g.user.id)
        outputs = [o for o in outputs if o["intake_id"] == artifact_id]
        return render_template("tasks_view.html", artifact=artifact, day=day, units=units, overall=overall,
                               shown=shown, problems=problems, unit=unit, category=category,
                               categories=CATEGORY_LABELS, vn_percent=vn_percent,
                               overdue_sentence=overdue_sentence, outputs=outputs,
                               period=f"{day.year}-{day.month:02d}")

    @app.post("/nhiem-vu/<int:artifact_id>/<action>")
    @role_required("chuyen_vien")
    def tasks_action(artifact_id: int, action: str):
        if action not in ("don-doc", "phe-binh", "bao-cao"):
            abort(404)
        artifact = _register_artifact(artifact_id)
        ctx = context()
        number = "auto" if request.form.get("number") == "auto" else None
        try:
            day = _parse_day(request.form.get("ngay"))
            with tempfile.TemporaryDirectory(prefix="vanban-web-") as tmp:
                session = _Loaded(artifact, Path(tmp)).session
                out = Path(tmp) / "out"
                if action == "bao-cao":
                    written, message = _report(session, request.form.get("ky", ""), day, out, number)
                else:
                    written, message = _letters(action, session, day, out, number)
                kind = "task-report" if action == "bao-cao" else "task-letter"
                for path in written:
                    ctx.store.add_artifact(g.user.id, kind, message, path.name, ctx.store.blobs.put_file(path),
                                           intake_id=artifact_id)
        except (VanbanError, ValueError) as exc:
            flash(f"Không thực hiện được: {exc}", "error")
            return redirect(url_for("tasks_view", artifact_id=artifact_id, ngay=request.form.get("ngay")))
        flash(f"Đã soạn: {message}." if written else f"{message}.", "ok")
        return redirect(url_for("tasks_view", artifact_id=artifact_id, ngay=day.isoformat()))


def _letters(kind: str, session, day: dt.date, out: Path, number):
    from ..commands.tasks_cmd import _select
    from ..tasks.letters import issue_letters

    history = session.history()
    try:
        selection = _select(kind)(session, history, day)
        what = "Công văn đôn đốc" if kind == "don-doc" else "Công văn phê bình"
        if not selection:
            return [], f"{what} ngày {day:%d/%m/%Y}: không có đơn vị nào cần " + (
                "đôn đốc" if kind == "don-doc" else "phê bình")
        letters = issue_letters(kind, selection, day, out, office=session.office, config=session.config,
                                calendar=session.calendar, history=history, db_path=session.db_path, number=number)
    finally:
        history.close()
    return [letter.path for letter in letters], f"{what} ngày {day:%d/%m/%Y}"


def _report(session, period_text: str, day: dt.date, out: Path, number):
    from ..tasks.outputs import write_report
    from ..tasks.period import parse_period

    span = parse_period(period_text.strip() or f"{day.year}-{day.month:02d}")
    result = write_report(session.load.tasks, span, out, calendar=session.calendar, config=session.config,
                          office=session.office, db_path=session.db_path, as_of=day, number=number)
    return [p for p in result.files if p.suffix in (".docx", ".xlsx", ".pdf", ".png")], f"Báo cáo {span.label}"
