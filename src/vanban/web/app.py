"""The Flask application: configuration, sessions, CSRF, security headers and error pages."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from flask import Flask, g, render_template, request, session
from werkzeug.exceptions import HTTPException

from ..check.engine import CheckSettings
from ..check.model import SEVERITY_VI
from .intake import IntakeService
from .security import UploadLimits, csrf_ok, new_csrf_token
from .store import ROLES, SESSION_HOURS, WebStore

ERROR_TEXT = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền xem trang này.",
    404: "Không tìm thấy trang hoặc tệp.",
    405: "Phương thức không được hỗ trợ.",
    413: "Tệp tải lên quá lớn: vượt giới hạn {limit} MB một lần. Không có tệp nào được lưu.",
    429: "Đăng nhập sai quá nhiều lần; hãy thử lại sau 15 phút.",
    500: "Lỗi máy chủ; hãy báo quản trị viên.",
}


@dataclass
class WebContext:
    store: WebStore
    office: object
    outgoing_db: Path
    intake: IntakeService
    limits: UploadLimits
    soffice: bool
    meetings: dict  # kinds of meetings of the check profile: {"ubnd": 7, …}


def _office(data_dir: Path, office_file: Optional[Path]):
    from ..generate import load_office

    if office_file is None and (data_dir / "vanban.yaml").is_file():
        office_file = data_dir / "vanban.yaml"
    return load_office(office_file)


def _agency(raw):
    """An agency as office prose (``SỞ NỘI VỤ`` → ``Sở Nội vụ``) for a page; empty stays empty."""
    from ..check.report.prose import agency_name

    return agency_name(raw) if raw else ""


def create_app(data_dir: str | Path, *, office_file: Optional[str | Path] = None, workers: int = 1,
               limits: UploadLimits = UploadLimits(), secure_cookies: bool = False,
               start_workers: bool = True) -> Flask:
    """The application for one office; its data (users, register, files) lives in ``data_dir``."""
    from ..generate.office import SAMPLE_OFFICE

    data_dir = Path(data_dir)
    store = WebStore(data_dir)
    office = _office(data_dir, Path(office_file) if office_file else None)
    outgoing = office.db_path if (office.db_path and office.source != SAMPLE_OFFICE) else data_dir / "vanban.sqlite3"
    service = IntakeService(store, office, CheckSettings(review=True), workers=workers)

    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=store.secret_key(),
        MAX_CONTENT_LENGTH=limits.max_request_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Strict",
        SESSION_COOKIE_SECURE=secure_cookies,
        SESSION_COOKIE_NAME="vanban_session",
        PERMANENT_SESSION_LIFETIME=SESSION_HOURS * 3600,
    )
    from ..check.policy import load_profile

    app.extensions["vanban"] = WebContext(store, office, outgoing, service, limits,
                                          shutil.which("soffice") is not None, load_profile(None).meetings)

    @app.before_request
    def _load_user():
        ctx: WebContext = app.extensions["vanban"]
        token = session.get("token")
        g.user = ctx.store.session_user(token) if token else None
        if "csrf" not in session:
            session["csrf"] = new_csrf_token()
        if request.method == "POST":
            given = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token")
            if not csrf_ok(session.get("csrf"), given):
                return error_page(400, "Phiên làm việc không hợp lệ hoặc đã hết hạn (mã chống giả mạo CSRF sai). "
                                       "Hãy tải lại trang rồi thử lại. Không có gì được lưu.")

    @app.after_request
    def _headers(response):
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
        if request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.context_processor
    def _globals():
        return {"user": g.get("user"), "csrf_token": session.get("csrf", ""), "roles": ROLES,
                "office": app.extensions["vanban"].office, "severity_vi": SEVERITY_VI}

    from ..generate.office_kinds import position_in_prose

    app.add_template_filter(vn_date, "vn_date")
    app.add_template_filter(position_in_prose, "position")
    app.add_template_filter(_agency, "agency")

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        code = exc.code or 500
        text = ERROR_TEXT.get(code, exc.description or "")
        if code == 413:
            text = text.format(limit=limits.max_request_bytes // (1024 * 1024))
        return error_page(code, text)

    from .views import register_views

    register_views(app)
    if start_workers:
        service.start()
    return app


def vn_date(iso: Optional[str]) -> str:
    """2026-11-29 → 29/11/2026 (as offices write dates); empty stays empty."""
    if not iso:
        return ""
    parts = str(iso)[:10].split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else str(iso)


def error_page(code: int, message: str):
    return render_template("error.html", code=code, message=message), code


def context(app: Flask | None = None) -> WebContext:
    from flask import current_app

    return (app or current_app).extensions["vanban"]


def vanban_data_dir(value: Optional[str]) -> Path:
    return Path(value or os.environ.get("VANBAN_WEB_DATA") or "vanban-data")
