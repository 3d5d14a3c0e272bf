"""Soạn văn bản: a form per kind, built from the kind's JSON Schema; the document is the generator's.

Each field of ``schemas/letter-<kind>.schema.json`` becomes an input: signers and
units are chosen from the office profile, ``number`` from the outgoing register
(``auto``) or left blank for a draft, lists are one item per line, and the
structured parts (tasks, legal bases …) are typed as YAML. What the form gives
is validated by the same schema in :func:`vanban.generate.render.render_document`.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml
from flask import Flask, abort, g, render_template, request

from .. import guard
from ..errors import VanbanError
from ..generate.office_kinds import position_in_prose
from ..generate.render import kind_spec, kinds, render_document
from ..resources import resource_dir
from .app import context

LABELS = {
    "number": "Số văn bản", "date": "Ngày ban hành", "subject": "Trích yếu",
    "recipients": "Kính gửi (mỗi dòng một nơi)", "distribution": "Nơi nhận (mỗi dòng một nơi, không gồm dòng Lưu)",
    "unit": "Đơn vị soạn thảo", "signer": "Người ký", "secrecy": "Độ mật", "urgency": "Độ khẩn",
    "paragraphs": "Nội dung (mỗi dòng một đoạn)", "preamble": "Mở đầu (mỗi dòng một đoạn)",
    "directives": "Các nội dung chỉ thị", "closing": "Đoạn kết", "authority": "Thẩm quyền ký (để trống: theo người ký)",
    "unit_name": "Tên đơn vị được đôn đốc, phê bình", "intro": "Câu mở đầu", "tasks": "Các nhiệm vụ",
    "report_by": "Hạn báo cáo (YYYY-MM-DD)", "reminders": "Các lần đã đôn đốc", "explanation_by": "Hạn giải trình (YYYY-MM-DD)",
    "dossier": "Hồ sơ được trả", "reasons": "Lý do trả hồ sơ (mỗi dòng một lý do)", "resubmit_by": "Hạn trình lại",
    "period_label": "Kỳ báo cáo", "as_of": "Số liệu đến ngày", "groups": "Các nhóm nhiệm vụ", "totals": "Tổng hợp",
    "chart": "Ảnh biểu đồ", "submission": "Văn bản trình", "proposer": "Cơ quan trình", "competence": "Thẩm quyền",
    "consult": "Ý kiến đã lấy", "legal_bases": "Căn cứ pháp lý", "legal_bases_note": "Ghi chú về căn cứ",
    "components": "Thành phần hồ sơ", "recommendation": "Đề xuất của cơ quan trình",
    "decision_asked": "Việc đề nghị lãnh đạo quyết định", "notes": "Ý kiến của chuyên viên (mỗi dòng một ý)",
    "review": "Kết quả rà soát", "proposal": "Đề xuất", "reviewers": "Người rà soát", "header": "Tên cơ quan ở đầu",
    "title": "Tên", "issuer": "Cơ quan ban hành", "parent": "Cơ quan cấp trên", "lines": "Các dòng",
    "specialist": "Chuyên viên", "unit_head": "Lãnh đạo phòng", "office_head": "Lãnh đạo Văn phòng",
    # quyết định, tờ trình, giấy mời, thông báo kết luận
    "decided_by": "Quyết định của", "bases": "Căn cứ (mỗi dòng một căn cứ)", "articles": "Các điều",
    "effect": "Điều về hiệu lực", "executors": "Người thi hành (mỗi dòng một người)", "issued_by": "Cơ quan ban hành",
    "sections": "Các phần nội dung", "chair": "Người chủ trì", "invitees": "Thành phần dự họp (mỗi dòng một thành phần)",
    "content": "Nội dung cuộc họp", "meeting_date": "Ngày họp", "time": "Giờ bắt đầu", "duration": "Thời lượng",
    "place": "Địa điểm", "preparation": "Phân công chuẩn bị (mỗi dòng một việc)", "meeting": "Cuộc họp",
    "attendees": "Thành phần tham dự (mỗi dòng một thành phần)", "heard": "Nghe báo cáo của",
    "conclusions": "Các nội dung kết luận",
}
ENUM_LABELS = {"ubnd": "Ủy ban nhân dân", "van-phong": "Văn phòng Ủy ban nhân dân", "chu-tich": "Chủ tịch Ủy ban nhân dân"}
LONG_TEXT = {"closing", "intro", "recommendation", "proposal", "decision_asked", "legal_bases_note"}
DATE_FIELDS = {"date", "report_by", "explanation_by", "resubmit_by"}


class FormError(ValueError):
    """A value the form cannot turn into data (Vietnamese)."""


@dataclass
class Field:
    name: str  # form field name: "subject", "dossier.title"
    label: str
    widget: str  # text | textarea | lines | select | date | yaml
    required: bool = False
    options: list[tuple[str, str]] = field(default_factory=list)
    help: str = ""


def _types(spec: dict) -> set[str]:
    t = spec.get("type")
    return set(t) if isinstance(t, list) else {t} if t else set()


def _field(name: str, spec: dict, required: bool, office, prefix: str = "") -> list[Field]:
    key = prefix + name
    label = LABELS.get(name, name)
    help_text = spec.get("description", "")
    if help_text.lower().startswith(label.lower()):  # "Trích yếu (không ghi tiền tố V/v)" under "Trích yếu"
        help_text = help_text[len(label):].strip(" ()")
    types = _types(spec) - {"null"}
    if name in ("signer", "chair") and not prefix:  # the chair of a meeting is one of the office's signers
        return [Field(key, label, "select", required, ([] if required else [("", "(mặc định)")]) +
                      [(s.key, f"{s.name} — {position_in_prose(s.position)}" + (f" ({s.authority})" if s.authority else ""))
                       for s in office.signers])]
    if name == "unit" and not prefix:
        return [Field(key, label, "select", required, [(u.abbr, f"{u.abbr} — {u.name}") for u in office.units])]
    if name == "number" and not prefix:
        return [Field(key, label, "select", False, [("", "Dự thảo (để trống số)"),
                                                     ("auto", "Cấp số tiếp theo trong sổ văn bản đi")])]
    if "enum" in spec:
        return [Field(key, label, "select", required,
                      [("", "(không)")] + [(v, ENUM_LABELS.get(v, v)) for v in spec["enum"] if v is not None])]
    if types == {"string"}:
        if name in DATE_FIELDS or spec.get("format") == "date":
            return [Field(key, label, "date", required, help=help_text)]
        return [Field(key, label, "textarea" if name in LONG_TEXT else "text", required, help=help_text)]
    if types == {"array"} and (spec.get("items") or {}).get("type") == "string":
        return [Field(key, label, "lines", required, help=help_text)]
    if types == {"object"} and all(_types(p) - {"null"} == {"string"} for p in spec.get("properties", {}).values()):
        sub_required = set(spec.get("required", []))
        out = []
        for sub, sub_spec in spec["properties"].items():
            out += _field(sub, sub_spec, sub in sub_required, office, prefix=key + ".")
        return out
    keys = list(((spec.get("items") or {}).get("properties") or spec.get("properties") or {}).keys())
    hint = "Nhập theo cú pháp YAML" + (f" (các khóa: {', '.join(keys)})" if keys else "") + "."
    return [Field(key, label, "yaml", required, help=(help_text + " " + hint).strip())]


def form_fields(kind: str, office) -> list[Field]:
    schema = json.loads((resource_dir("schemas") / kind_spec(kind).schema).read_text(encoding="utf-8"))
    required = set(schema.get("required", []))
    out: list[Field] = []
    for name, spec in schema["properties"].items():
        out += _field(name, spec, name in required, office)
    return out


def form_data(fields: list[Field], form) -> dict[str, Any]:
    """The data of the kind from the posted form; empty optional values are left out."""
    data: dict[str, Any] = {}
    for f in fields:
        raw = (form.get(f.name) or "").replace("\r\n", "\n").strip()
        if not raw:
            continue
        if f.widget == "lines":
            value: Any = [line.strip() for line in raw.split("\n") if line.strip()]
        elif f.widget == "yaml":
            try:
                value = guard.load_yaml(raw, None)  # depth, alias bombs and cycles refused
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                where = f" (dòng {mark.line + 1})" if mark is not None else ""
                raise FormError(f"trường “{f.label}” không đúng cú pháp YAML{where}") from None
            except VanbanError as exc:
                raise FormError(f"trường “{f.label}”: {exc.message}") from None
        else:
            value = " ".join(raw.split()) if f.widget != "textarea" else raw
        target = data
        *parents, last = f.name.split(".")
        for p in parents:
            target = target.setdefault(p, {})
        target[last] = value
    return data


def page_images(docx_path: Path, pdf_path: Optional[Path], pages: int = 3) -> list[bytes]:
    """The first pages as PNG (LibreOffice → PDF → pdftoppm at 60 dpi); none when a tool is missing."""
    import shutil
    import subprocess
    import tempfile

    from ..generate.pdf import docx_to_pdf

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        return []
    with tempfile.TemporaryDirectory(prefix="vanban-preview-") as tmp:
        try:
            pdf = pdf_path or docx_to_pdf(docx_path, Path(tmp) / "van-ban.pdf")
            subprocess.run([pdftoppm, "-png", "-r", "60", "-l", str(pages), str(pdf), str(Path(tmp) / "trang")],
                           check=True, capture_output=True, timeout=120)
        except (VanbanError, OSError, subprocess.SubprocessError):
            return []
        return [p.read_bytes() for p in sorted(Path(tmp).glob("trang*.png"))]


def _output_path(kind: str) -> Path:
    """Where the office keeps what it drafted: ``<data>/van-ban-di/<year>/<kind>-<time>.docx``."""
    now = dt.datetime.now()
    folder = context().store.data_dir / "van-ban-di" / str(now.year)
    return folder / f"{kind}-{now:%Y%m%d-%H%M%S-%f}.docx"


def register_compose(app: Flask) -> None:
    from .admin import templates_dir
    from .views import login_required, role_required

    @app.get("/soan-van-ban")
    @login_required
    def compose_index():
        ctx = context()
        mine = ctx.store.artifacts(kinds=("draft", "draft-pdf"),
                                   owner_id=None if g.user.reads_all else g.user.id)[:30]
        return render_template("compose_index.html", kinds=kinds(), drafts=mine)

    @app.route("/soan-van-ban/<kind>", methods=["GET", "POST"])
    @role_required("chuyen_vien")
    def compose_kind(kind: str):
        if kind not in kinds():
            abort(404)
        ctx = context()
        fields = form_fields(kind, ctx.office)
        values = request.form if request.method == "POST" else {}
        if request.method == "GET":
            return render_template("compose_form.html", kind=kinds()[kind], fields=fields, values=values,
                                   soffice=ctx.soffice)
        try:
            data = form_data(fields, request.form)
            target = _output_path(kind)
            own = templates_dir(ctx.store.data_dir)
            doc = render_document(kind, data, target, office=ctx.office, db_path=ctx.outgoing_db,
                                  pdf=bool(request.form.get("pdf")) and ctx.soffice,
                                  template_dir=own if own.is_dir() else None)
        except (FormError, VanbanError) as exc:
            return render_template("compose_form.html", kind=kinds()[kind], fields=fields, values=values,
                                   soffice=ctx.soffice, error=f"Chưa soạn được văn bản: {exc}."), 400
        label = f"{kinds()[kind].name} số {doc.number_symbol.strip()}" if doc.number else f"{kinds()[kind].name} (dự thảo)"
        made = [ctx.store.add_artifact(g.user.id, "draft", label, doc.path.name, ctx.store.blobs.put_file(doc.path))]
        if doc.pdf_path:
            made.append(ctx.store.add_artifact(g.user.id, "draft-pdf", label + " (PDF)", doc.pdf_path.name,
                                               ctx.store.blobs.put_file(doc.pdf_path)))
        previews = []
        if request.form.get("preview") and ctx.soffice:
            previews = [ctx.store.add_artifact(g.user.id, "preview", f"{label}, trang {n}", f"trang-{n}.png",
                                               ctx.store.blobs.put_bytes(png))
                        for n, png in enumerate(page_images(doc.path, doc.pdf_path), 1)]
        return render_template("compose_done.html", kind=kinds()[kind], doc=doc,
                               downloads=[ctx.store.artifact(i) for i in made], previews=previews)

    @app.get("/xem-truoc/<int:artifact_id>")
    @login_required
    def compose_preview(artifact_id: int):
        from flask import send_file

        from .views import readable

        a = context().store.artifact(artifact_id)
        a = readable(a if a is not None and a["kind"] == "preview" else None, "owner_id")
        return send_file(context().store.blobs.path(a["sha256"]), mimetype="image/png", max_age=0)
