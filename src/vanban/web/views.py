"""The pages: sign-in, tiếp nhận hồ sơ, sổ tiếp nhận, downloads, users (compose and tasks in their modules)."""

from __future__ import annotations

import functools
import io
import json
import secrets
import time

from flask import (Flask, abort, g, redirect, render_template, request, send_file, session, url_for)

from ..check.model import OUTCOME_VI
from .app import context, error_page
from .intake import check_options, prepare, refuse_message
from .security import UploadRefused, hash_password, throttle_keys, verify_password, window_start
from .store import ROLES

MIME = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pdf": "application/pdf", ".json": "application/json", ".html": "text/html", ".png": "image/png",
        ".csv": "text/csv", ".zip": "application/zip"}


def login_required(view):
    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("login", next=request.path))
        return view(*args, **kwargs)
    return wrapped


def role_required(*roles):
    def decorate(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if g.user.role not in roles:
                return error_page(403, "Vai trò " + g.user.role_label.lower() + " không được dùng chức năng này.")
            return view(*args, **kwargs)
        return wrapped
    return decorate


def readable(row, owner_field: str):
    """A stored row the signed-in user may read: their own, or anyone's for lãnh đạo and quản trị."""
    if row is None:
        abort(404)
    if not g.user.reads_all and row[owner_field] != g.user.id:
        abort(403)
    return row


def uploaded_files(field: str = "tep") -> list[tuple[str, bytes]]:
    return [(f.filename, f.read()) for f in request.files.getlist(field) if f and f.filename]


def send_blob(file_name: str, sha: str):
    path = context().store.blobs.path(sha)
    suffix = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    return send_file(path, mimetype=MIME.get(suffix, "application/octet-stream"), as_attachment=True,
                     download_name=file_name, max_age=0)


def register_views(app: Flask) -> None:
    # ---------------------------------------------------------------- sign in
    @app.route("/dang-nhap", methods=["GET", "POST"])
    def login():
        if request.method == "GET":
            return render_template("login.html")
        store = context().store
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        keys = throttle_keys(username, request.remote_addr or "")
        since = window_start()
        if any(store.login_failures(k, since) >= limit for k, limit in keys.items()):
            return render_template("login.html", error="Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.",
                                   username=username), 429
        row = store.user_row(username)
        if not verify_password(row["password_hash"] if row else None, password):
            for k in keys:
                store.add_login_failure(k, time.time())
            return render_template("login.html", error="Tên đăng nhập hoặc mật khẩu không đúng.",
                                   username=username), 401
        session.clear()
        session["token"] = store.open_session(row["id"])
        session["csrf"] = secrets.token_urlsafe(32)
        session.permanent = True
        target = request.args.get("next", "")
        local = target.startswith("/") and not target.startswith(("//", "/\\"))  # never to another site
        return redirect(target if local else url_for("home"))

    @app.post("/dang-xuat")
    def logout():
        if session.get("token"):
            context().store.close_session(session["token"])
        session.clear()
        return redirect(url_for("login"))

    @app.get("/")
    @login_required
    def home():
        return redirect(url_for("intake") if g.user.role != "quan_tri" else url_for("register"))

    # ------------------------------------------------------------ tiếp nhận
    @app.route("/tiep-nhan", methods=["GET", "POST"])
    @login_required
    def intake():
        ctx = context()

        def page(error=None, status=200):
            return render_template("intake.html", recent=ctx.store.intakes_for(g.user, 20), error=error,
                                   meetings=ctx.meetings, limit_mb=ctx.limits.max_request_bytes // 2**20), status

        if request.method == "GET":
            return page()
        if not g.user.works:
            return error_page(403, "Chỉ chuyên viên được tiếp nhận hồ sơ.")
        try:
            uploads = prepare(uploaded_files(), ctx.limits)
            options = check_options(request.form, ctx.meetings)
            batch = request.form.get("mode") == "lo"
            zips = [u for u in uploads if u.name.lower().endswith(".zip")]
            if batch and len(zips) != len(uploads):
                others = ", ".join(u.name for u in uploads if u not in zips)
                raise UploadRefused(f"kiểm tra theo lô cần mỗi hồ sơ là một gói .zip; các tệp không phải .zip: "
                                    f"{others}")
            if not batch and zips and len(uploads) > 1:
                raise UploadRefused("một hồ sơ là một gói .zip hoặc các tệp văn bản, không trộn cả hai; nhiều "
                                    "gói .zip thì chọn “Nhiều hồ sơ”")
        except UploadRefused as exc:
            return page(refuse_message(exc), 400)
        if batch:
            batch_id = secrets.token_hex(8)
            for u in zips:
                ctx.intake.submit(g.user, [u], batch=batch_id, options=options)
            return redirect(url_for("batch", batch=batch_id))
        intake_id = ctx.intake.submit(g.user, uploads, request.form.get("ten", ""), options=options)
        return redirect(url_for("dossier", intake_id=intake_id))

    def _own_intake(intake_id: int):
        return readable(context().store.intake(intake_id), "user_id")

    @app.get("/ho-so/<int:intake_id>")
    @login_required
    def dossier(intake_id: int):
        store = context().store
        row = _own_intake(intake_id)
        results = json.loads(row["results"])["dossiers"] if row["results"] else []
        downloads = {}
        for a in store.artifacts(intake_id=intake_id):
            kind, _, idx = a["kind"].partition(":")
            downloads.setdefault(int(idx or 0), []).append(a)
        for items in downloads.values():
            items.sort(key=lambda a: ["phieu", "tra", "json", "html"].index(a["kind"].split(":")[0]))
        return render_template("dossier.html", intake=row, results=results, downloads=downloads,
                               options=json.loads(row["options"] or "{}"),
                               files=store.intake_files(intake_id), outcome_vi=OUTCOME_VI)

    @app.get("/lo/<batch>")
    @login_required
    def batch(batch: str):
        rows = [r for r in context().store.batch_intakes(batch) if g.user.reads_all or r["user_id"] == g.user.id]
        if not rows:
            abort(404)
        done = sum(1 for r in rows if r["status"] in ("done", "failed"))
        return render_template("batch.html", rows=rows, done=done, total=len(rows))

    # ------------------------------------------------------------- register
    @app.get("/so-tiep-nhan")
    @login_required
    def register():
        q = request.args.get("q", "")
        rows = context().store.register_rows(g.user, q)
        return render_template("register.html", rows=rows, q=q, parse_files=json.loads)

    @app.get("/so-tiep-nhan.xlsx")
    @login_required
    def register_xlsx():
        from .exports import register_workbook

        rows = context().store.register_rows(g.user, request.args.get("q", ""))
        return send_file(io.BytesIO(register_workbook(rows)), mimetype=MIME[".xlsx"], as_attachment=True,
                         download_name="so-tiep-nhan-ho-so.xlsx", max_age=0)

    # ------------------------------------------------------------ downloads
    @app.get("/tai-ve/<int:artifact_id>")
    @login_required
    def download(artifact_id: int):
        a = readable(context().store.artifact(artifact_id), "owner_id")
        return send_blob(a["file_name"], a["sha256"])

    # ---------------------------------------------------------------- users
    @app.route("/nguoi-dung", methods=["GET", "POST"])
    @role_required("quan_tri")
    def users():
        store = context().store
        message = error = None
        if request.method == "POST" and request.form.get("lock"):
            target = request.form["lock"]
            if target == g.user.username:
                error = "Không khóa được tài khoản đang dùng."
            elif store.user_row(target) is None:
                error = f"Không có tài khoản '{target}'."
            else:
                store.deactivate(target)
                message = f"Đã khóa tài khoản {target}; các phiên đang mở của tài khoản này đã kết thúc."
        elif request.method == "POST":
            username = request.form.get("username", "").strip()
            full_name = " ".join(request.form.get("full_name", "").split())
            role = request.form.get("role", "")
            try:
                if not username or not full_name or role not in ROLES:
                    raise ValueError("cần tên đăng nhập, họ tên và vai trò")
                if store.user_row(username) is not None:
                    raise ValueError(f"tên đăng nhập '{username}' đã có")
                store.add_user(username, full_name, role, hash_password(request.form.get("password", "")))
                message = f"Đã tạo tài khoản {username} ({ROLES[role]})."
            except ValueError as exc:
                error = f"Không tạo được tài khoản: {exc}."
        return render_template("users.html", users=store.users(), message=message, error=error)

    from .admin import register_admin
    from .compose import register_compose
    from .tasks import register_tasks

    register_compose(app)
    register_tasks(app)
    register_admin(app)
