"""Quản trị: the office profile (vanban.yaml) and the office's own templates, checked before they are used.

A new profile is loaded with :func:`vanban.generate.load_office` and a new template checked
with :func:`vanban.generate.templatecheck.check_template` (as ``vanban template check``) on a
private copy; only what passes replaces the one in use, by a rename.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from flask import Flask, g, render_template, request

from ..errors import VanbanError
from ..generate.render import kinds, template_path
from .app import context
from .security import UploadRefused, safe_upload_name
from .views import role_required, uploaded_files

OFFICE_FILE = "vanban.yaml"
TEMPLATES = "mau"


def templates_dir(data_dir: Path) -> Path:
    return data_dir / TEMPLATES


def _one_file(field: str, suffixes: tuple[str, ...]) -> tuple[str, bytes]:
    files = uploaded_files(field)
    if len(files) != 1:
        raise UploadRefused("cần chọn đúng một tệp")
    name = safe_upload_name(files[0][0])
    if not name.lower().endswith(suffixes) or not files[0][1]:
        raise UploadRefused(f"tệp '{name}' rỗng hoặc không phải tệp {' hay '.join(suffixes)}")
    return name, files[0][1]


def _staged(folder: Path, data: bytes, suffix: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tai-len-", suffix=suffix)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    return Path(tmp)


def register_admin(app: Flask) -> None:
    def page(status: int = 200, **messages):
        ctx = context()
        own = templates_dir(ctx.store.data_dir)
        rows = [(key, spec.name, (own / spec.template).is_file()) for key, spec in kinds().items()]
        return render_template("admin.html", templates=rows, **messages), status

    @app.get("/quan-tri")
    @role_required("quan_tri")
    def admin():
        return page()

    @app.post("/quan-tri/ho-so-co-quan")
    @role_required("quan_tri")
    def admin_office():
        from ..generate import load_office

        ctx = context()
        try:
            name, data = _one_file("ho_so", (".yaml", ".yml"))
        except UploadRefused as exc:
            return page(400, error=f"Không nhận hồ sơ cơ quan: {exc}.")
        tmp = _staged(ctx.store.data_dir, data, ".yaml")
        try:
            load_office(tmp)
        except VanbanError as exc:
            tmp.unlink()
            return page(400, error=f"Không nhận hồ sơ cơ quan '{name}': {exc}. Hồ sơ đang dùng giữ nguyên.")
        target = ctx.store.data_dir / OFFICE_FILE
        os.replace(tmp, target)
        ctx.office = ctx.intake.office = load_office(target)
        return page(message=f"Đã dùng hồ sơ cơ quan mới: {ctx.office.agency_name}.")

    @app.post("/quan-tri/mau")
    @role_required("quan_tri")
    def admin_template():
        from ..generate.templatecheck import check_template

        ctx = context()
        kind = request.form.get("kind", "")
        if kind not in kinds():
            return page(400, error="Không nhận mẫu: chưa chọn loại văn bản.")
        try:
            name, data = _one_file("mau", (".docx",))
        except UploadRefused as exc:
            return page(400, error=f"Không nhận mẫu: {exc}.")
        folder = templates_dir(ctx.store.data_dir)
        tmp = _staged(folder, data, ".docx")
        try:
            report = check_template(tmp, kind)
        except VanbanError as exc:
            tmp.unlink()
            return page(400, error=f"Không nhận mẫu '{name}': {exc}.")
        if not report.ok:
            tmp.unlink()
            problems = "; ".join(f"{p.where}: {p.message}" for p in report.problems[:10])
            return page(400, error=f"Không nhận mẫu '{name}': {len(report.problems)} lỗi ({problems}). "
                                   "Mẫu đang dùng giữ nguyên.")
        os.replace(tmp, folder / kinds()[kind].template)
        return page(message=f"Đã dùng mẫu '{name}' cho {kinds()[kind].name.lower()} "
                            f"({template_path(kind, folder).name}), do {g.user.full_name} tải lên.")
