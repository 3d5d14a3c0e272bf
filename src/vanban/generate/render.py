"""Render a kind of document from validated data: data ──validate──▶ context ──docxtpl──▶ .docx (+ .pdf)."""

from __future__ import annotations

import datetime as dt
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

import jinja2
import yaml
from lxml import etree
from docxtpl import DocxTemplate, InlineImage
from docx.shared import Mm
from jinja2.sandbox import SandboxedEnvironment

from .sandbox import BoundedSandbox, TemplateLimit, limits, undefined_name

from ..config import validate
from ..errors import ConfigError, LimitError, OutputError, VanbanError
from ..outfiles import publish, refuse_overwrite, temp_beside
from ..resources import resource_dir
from ..text import fold, normalize_text
from .filters import FILTERS, ngay_nd30, so, so_vn, to_date
from .office import OfficeProfile
from .pdf import docx_to_pdf
from .register import refuse_to_unnumber, reserve_number, series_for

KINDS_FILE = Path(__file__).resolve().parent / "data" / "kinds.yaml"
OFFICE_KINDS = ("quyet-dinh", "to-trinh", "giay-moi", "thong-bao-ket-luan")  # contexts in office_kinds.py
BLANK_NUMBER = "      "  # a draft: "Số:      /UBND-TH", filled by hand or by the document system
CHART_WIDTH_MM = 170


@dataclass(frozen=True)
class KindSpec:
    kind: str
    name: str  # Vietnamese, for messages and listings
    doc_type: str  # Công văn, Chỉ thị, Báo cáo
    type_abbr: Optional[str]
    template: str
    cong_van: bool
    symbol: Optional[str] = None  # own symbol pattern: "{type_abbr}-{unit}" (placeholders type_abbr, agency, unit)
    issuer: str = "ubnd"  # who issues it unless the data says (issued_by): "ubnd" or "van-phong"

    @property
    def schema(self) -> str:
        return f"letter-{self.kind}.schema.json"


@dataclass(frozen=True)
class GeneratedDocument:
    kind: str
    path: Path
    number: str | None  # "05"; None for a draft without a number
    symbol: str  # "UBND-TH", "CT-UBND"
    date: dt.date
    pdf_path: Path | None

    @property
    def number_symbol(self) -> str:
        return f"{self.number or BLANK_NUMBER}/{self.symbol}"


@lru_cache(maxsize=1)
def kinds() -> dict[str, KindSpec]:
    with open(KINDS_FILE, encoding="utf-8") as fh:
        raw = yaml.safe_load(fh)
    return {key: KindSpec(key, v["name"], v["doc_type"], v.get("type_abbr"), v["template"], bool(v["cong_van"]),
                          v.get("symbol"), v.get("issuer") or "ubnd")
            for key, v in raw.items()}


def kind_spec(kind: str) -> KindSpec:
    specs = kinds()
    if kind not in specs:
        raise ConfigError(f"không có loại văn bản '{kind}'; các loại hiện có: {', '.join(specs)}")
    return specs[kind]


def template_path(kind: str, template_dir: Path | None = None) -> Path:
    """The office's own template (same file name in ``template_dir``) wins over the shipped one."""
    spec = kind_spec(kind)
    if template_dir is not None:
        template_dir = Path(template_dir)
        if not template_dir.is_dir():
            raise ConfigError("không tìm thấy thư mục mẫu", template_dir)
        own = template_dir / spec.template
        if own.is_file():
            return own
    return resource_dir("templates") / spec.template


class _CachingSandbox(BoundedSandbox):
    """docxtpl compiles every XML part with ``from_string`` on each render; a batch renders the
    same parts again and again, so keep the compiled templates (keyed by their full source)."""

    _compiled_limit = 64

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, jinja2.Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            template = super().from_string(source)
            if len(self._compiled) >= self._compiled_limit:
                self._compiled.clear()
            self._compiled[source] = template
        return template


def jinja_environment() -> SandboxedEnvironment:
    """Sandboxed (a template cannot reach Python internals, nor run for ever or fill the memory:
    :mod:`vanban.generate.sandbox`) and strict (a missing field is an error)."""
    env = _CachingSandbox(undefined=jinja2.StrictUndefined, autoescape=True)
    env.filters.update(FILTERS)
    return env


@lru_cache(maxsize=1)
def _shared_environment() -> SandboxedEnvironment:
    return jinja_environment()


class _Template(DocxTemplate):
    """docxtpl's tag clean-up (``patch_xml``) is a pure function of the part's XML: remember it."""

    _patched: dict[str, str] = {}

    def patch_xml(self, src_xml):
        patched = self._patched.get(src_xml)
        if patched is None:
            patched = super().patch_xml(src_xml)
            if len(self._patched) >= 64:
                self._patched.clear()
            self._patched[src_xml] = patched
        return patched


def make_symbol(spec: KindSpec, office: OfficeProfile, unit: str, agency: Optional[str] = None) -> str:
    """``UBND-TH`` for công văn, ``CT-UBND`` for a typed document, the kind's own pattern when it has one
    (``PT-NC`` for the Văn phòng's phiếu trình); ``agency`` is the issuer's abbreviation (``TTr-VP``)."""
    agency = agency or office.agency_abbr
    if spec.symbol:
        return spec.symbol.format(type_abbr=spec.type_abbr or "", agency=agency, unit=unit)
    if spec.type_abbr:
        return f"{spec.type_abbr}-{agency}"
    return f"{agency}-{unit}"


VAN_PHONG_ABBR = "VP"  # the Văn phòng's own documents: 45/TTr-VP


@dataclass(frozen=True)
class Issuer:
    """Who issues a document: the header lines above ``Số:``, the name used in sentences, the symbol's
    abbreviation."""
    parent_agency: str  # "" or "UBND TỈNH LÂM ĐỒNG" above the Văn phòng
    header_lines: tuple[str, ...]
    name: str  # Văn phòng Ủy ban nhân dân tỉnh Lâm Đồng
    short_name: str  # Văn phòng UBND tỉnh
    abbr: str  # UBND, VP
    van_phong: bool


def issuer(spec: KindSpec, data: dict, office: OfficeProfile) -> Issuer:
    """The UBND, or its Văn phòng (``issued_by: van-phong`` in the data, or the kind's own default):
    header ``UBND TỈNH LÂM ĐỒNG`` / ``VĂN PHÒNG``, symbol ``…-VP``."""
    if (data.get("issued_by") or spec.issuer) == "van-phong":
        return Issuer(_parent_line(office), ("VĂN PHÒNG",), f"Văn phòng {office.agency_name}",
                      f"Văn phòng {office.short_name}", VAN_PHONG_ABBR, True)
    return Issuer(office.parent_agency.upper(), tuple(office.header_lines), office.agency_name, office.short_name,
                  office.agency_abbr, False)


_SYMBOL = re.compile(r"\b\d+/[0-9A-Za-zĐđ&.\-]*-[0-9A-Za-zĐđ&.\-]+")
WORD_JOINER = "\u2060"  # no line break on either side; readers drop it (vanban.text)


def keep_symbols_whole(text: str) -> str:
    """``số 15/TTr-SNV`` never split after its hyphen (``15/TTr-`` / ``SNV``) in a narrow trích yếu."""
    return _SYMBOL.sub(lambda m: m.group(0).replace("-", "-" + WORD_JOINER), text)


_ROMAN = [(10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out += letters
            n -= value
    return out


def _clean(value: Any) -> Any:
    """NFC for every string (data typed on different keyboards)."""
    if isinstance(value, str):
        return normalize_text(value).strip()
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def _optional_date(value: Any, field: str) -> Optional[dt.date]:
    return None if value in (None, "") else to_date(value, field)


def _tasks(tasks: list[dict], field: str) -> list[dict]:
    return [{"source": t["source"], "content": t["content"].rstrip(".;"), "status": t["status"],
             "deadline": _optional_date(t.get("deadline"), f"{field}[{i}].deadline"),
             "overdue_days": t.get("overdue_days")} for i, t in enumerate(tasks)]


# ---------------------------------------------------------------- phiếu trình

CONSULT_KEYS = ("co_quan_trinh", "tinh_uy", "dang_uy", "ubnd", "bo_nganh", "hdnd", "khac")
OPTION_KEYS = ("thong_nhat", "sua", "khong_thong_nhat")  # 4.1–4.3: the option the check's outcome proposes
BOX_EMPTY = "\u2002\u2002"  # the inside of an empty box: two en spaces inside a bordered run
BOX_CHECKED = "\u2009X\u2009"
REVIEW_LABELS = {"tiep_nhan": "Tiếp nhận", "tiep_nhan_luu_y": "Tiếp nhận, lưu ý", "chuyen_tra": "Chuyển trả",
                 "can_xem": "Cần xem trực tiếp", "van_ban_den": "Văn bản đến, không phải hồ sơ trình"}
NO_SUBMISSION = "Hồ sơ không có tờ trình hoặc công văn đề trình"
_SECRECY_WORDS = {"MẬT": "Mật", "TỐI MẬT": "Tối mật", "TUYỆT MẬT": "Tuyệt mật"}
_URGENCY_WORDS = {"KHẨN": "Khẩn", "THƯỢNG KHẨN": "Thượng khẩn", "HỎA TỐC": "Hỏa tốc"}


def _sentence(text: str) -> str:
    """End a line of the form with a full stop (once)."""
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def _level_name(short_name: str, province: str, city: str, other: str) -> str:
    """The party committee or council of the same level as the UBND (``UBND tỉnh`` → ``Tỉnh ủy``)."""
    folded = fold(short_name)
    if folded.endswith(" tinh"):
        return province
    if folded.endswith(" thanh pho"):
        return city
    return other


def _parent_line(office: OfficeProfile) -> str:
    """``UBND TỈNH LÂM ĐỒNG``: the Văn phòng's parent agency, shortened as Nghị định 30 allows."""
    lines = list(office.header_lines)
    if len(lines) > 1 and fold(lines[0]) == "uy ban nhan dan":
        return " ".join([office.agency_abbr, *lines[1:]]).upper()
    return " ".join(lines).upper()


def submission_line(submission: Optional[dict]) -> str:
    """``Tờ trình số 303/TTr-SNV ngày 16 tháng 9 năm 2025 của Sở Nội vụ.`` (item I.1 of the phiếu)."""
    if not submission:
        return NO_SUBMISSION + "."
    parts = [submission["doc_type"]]
    parts.append(f"số {submission['number']}" if submission.get("number") else "(không đọc được số, ký hiệu)")
    if submission.get("date"):
        parts.append(ngay_nd30(submission["date"]))
    else:
        parts.append("(không đọc được ngày ban hành)")
    if submission.get("issuer"):
        parts.append(f"của {submission['issuer']}")
    line = " ".join(parts)
    if submission.get("note"):
        line += f" ({submission['note']})"
    return _sentence(line)


def _phieu_trinh_context(data: dict, office: OfficeProfile) -> dict:
    """Every line of the phiếu as the office writes it; gaps say plainly what is missing."""
    short = office.short_name
    submission = data.get("submission")
    if submission:
        submission = {"doc_type": submission["doc_type"], "number": submission.get("number") or None,
                      "date": _optional_date(submission.get("date"), "submission.date"),
                      "issuer": submission.get("issuer") or None, "subject": submission.get("subject") or None,
                      "note": submission.get("note") or None}
        subject_line = _sentence(submission["subject"]) if submission["subject"] else \
            "Không đọc được trích yếu của văn bản trình."
        unknown = "Chưa xác định (không đọc được từ văn bản trình)."
    else:
        subject_line = f"Không có ({NO_SUBMISSION[0].lower() + NO_SUBMISSION[1:]})."
        unknown = "Chưa xác định (hồ sơ không có văn bản trình)."
    proposer = data.get("proposer") or (submission or {}).get("issuer")
    competence = data.get("competence")
    consult = set(data.get("consult") or ())
    bases = [{"text": b["text"].rstrip(".;:"), "status": b["status"].rstrip(".;"), "in_force": b.get("in_force")}
             for b in data.get("legal_bases") or []]
    note = data.get("legal_bases_note")
    if note is None and not bases:
        note = "Văn bản trình không nêu căn cứ pháp lý." if submission else \
            "Không rà soát được (hồ sơ không có văn bản trình)."
    components = data.get("components") or {}
    review = data.get("review")
    if review:
        review = {"outcome": review["outcome"], "reasons": [r.rstrip(".;") for r in review.get("reasons") or []]}
    recommendation = data.get("recommendation")
    if recommendation:
        recommendation_line = _sentence(recommendation)
    elif submission:
        recommendation_line = "Không tìm thấy câu đề xuất, kiến nghị trong văn bản trình."
    else:
        recommendation_line = "Không có (hồ sơ không có văn bản trình)."
    # the matter is the Chủ tịch's, or the UBND's (its leaders take it up)
    chairman = bool(competence) and fold(competence).startswith("chu tich")
    asked = f"Chủ tịch {short}" if chairman else f"Lãnh đạo {short}"
    who = proposer or "cơ quan trình"
    action = (data.get("decision_asked") or "quyết định").rstrip(" .;")
    proposal = data.get("proposal")
    options = {"thong_nhat": "", "sua": "", "khong_thong_nhat": ""}
    chosen = None
    if review:
        chosen = {"tiep_nhan": "thong_nhat", "tiep_nhan_luu_y": "sua", "chuyen_tra": "khong_thong_nhat"}.get(
            review["outcome"])
        if review["outcome"] == "tiep_nhan_luu_y":
            options["sua"] = "theo các nội dung lưu ý nêu trên"
        elif review["outcome"] == "chuyen_tra":
            options["khong_thong_nhat"] = "hồ sơ chưa bảo đảm các nội dung nêu trên"
    if proposal is None and review:
        if review["outcome"] == "chuyen_tra":
            proposal = (f"Chuyên viên không thống nhất trình {asked} tại thời điểm này; đề xuất Văn phòng {short} "
                        f"chuyển trả hồ sơ, đề nghị {who} hoàn thiện theo các nội dung nêu trên rồi trình lại.")
        elif review["outcome"] == "can_xem":
            proposal = (f"Hồ sơ chưa kiểm tra được đầy đủ qua các tệp nhận được; Chuyên viên đề xuất xem trực tiếp "
                        f"bản gốc, liên hệ {who} khi cần, trước khi kính trình {asked}.")
        elif review["outcome"] == "van_ban_den":
            proposal = f"Văn bản đến; Chuyên viên kính trình {asked} xem xét, chỉ đạo."
        elif review["outcome"] == "tiep_nhan_luu_y":
            proposal = (f"Chuyên viên thống nhất đề xuất của {who}, với các nội dung lưu ý nêu trên. "
                        f"Kính trình {asked} xem xét, {action}.")
        else:
            proposal = f"Chuyên viên thống nhất đề xuất của {who}. Kính trình {asked} xem xét, {action}."
    secrecy = data.get("secrecy")
    secrecy_line = _SECRECY_WORDS.get(secrecy, "Không") if secrecy else "Không"
    if data.get("urgency"):
        secrecy_line += f"; độ khẩn: {_URGENCY_WORDS.get(data['urgency'], data['urgency'])}"
    unit = office.unit(data["unit"])
    unit_name = re.sub(r"^(?i:phòng)\s+", "", unit.name) if unit else data["unit"]
    signer = office.signer(data["signer"]) if data.get("signer") else None
    leader = f"{signer.position} {short}" if signer else asked
    reviewers = {k: (data.get("reviewers") or {}).get(k) or "" for k in ("specialist", "unit_head", "office_head")}
    header = data.get("header") or {}
    return {
        "office": {"parent_agency": header.get("parent") or _parent_line(office),
                   "header_lines": list(header.get("lines") or ["VĂN PHÒNG"]), "name": office.agency_name,
                   "short_name": short, "abbr": office.agency_abbr, "place": office.place},
        "recipients": data.get("recipients") or [f"Lãnh đạo {short}", f"Lãnh đạo Văn phòng {short}"],
        "submission": submission,
        "submission_line": submission_line(submission),
        "subject_line": subject_line,
        "proposer_line": _sentence(proposer) if proposer else unknown,
        "competence_line": _sentence(competence) if competence else unknown,
        "consult": sorted(consult),
        "boxes": {**{k: BOX_CHECKED if k in consult else BOX_EMPTY for k in CONSULT_KEYS},
                  **{k: BOX_CHECKED if k == chosen else BOX_EMPTY for k in OPTION_KEYS}},
        "option_notes": options,
        "party_committee": _level_name(short, "Tỉnh ủy", "Thành ủy", "Đảng ủy"),
        "council": _level_name(short, "HĐND tỉnh", "HĐND thành phố", "HĐND"),
        "legal_bases": bases,
        "legal_bases_note": note,
        "components": {"present": [c.rstrip(".;") for c in components.get("present") or []],
                       "missing": [c.rstrip(".;") for c in components.get("missing") or []]},
        "notes": list(data.get("notes") or []),
        "recommendation": recommendation or None,
        "recommendation_line": recommendation_line,
        "review": review,
        "review_label": REVIEW_LABELS[review["outcome"]] if review else None,
        "proposal": proposal,
        "secrecy_line": _sentence(secrecy_line),
        "unit_name": unit_name,
        "leader_title": f"KÍNH TRÌNH {leader.upper()}",
        "reviewers": reviewers,
    }


def _register_subject(kind: str, data: dict) -> str:
    if data.get("subject"):
        return data["subject"]
    if kind == "phieu-trinh":
        return f"Phiếu trình: {submission_line(_clean(data.get('submission')))}".rstrip(".")
    return kind_spec(kind).name


REPORT_COUNTS = ("total", "done_on_time", "done_late", "in_progress_on_time", "in_progress_overdue", "not_started",
                 "no_deadline")


def _with_rate(row: dict) -> dict:
    """A totals row with its overdue count and rate computed from its counts (a given rate is not trusted)."""
    from ..tasks.report import percent_of  # the report's one rule: half up, one decimal, "42,9%"

    row = dict(row)
    row["overdue"] = row["done_late"] + row["in_progress_overdue"]
    row["with_deadline"] = row["total"] - row["no_deadline"]
    row["rate"] = percent_of(row["overdue"], row["with_deadline"])
    return row


def _report_figures(overall: dict) -> str:
    """Section I when the data brings no text of its own: the counts, and the overdue rate as seed 001 writes it."""
    n = {k: so_vn(v) for k, v in overall.items() if isinstance(v, int)}
    return (f"Tổng số nhiệm vụ được giao là {n['total']} nhiệm vụ, trong đó hoàn thành đúng hạn {n['done_on_time']}, "
            f"hoàn thành quá hạn {n['done_late']}, đang thực hiện trong hạn {n['in_progress_on_time']}, đang thực hiện "
            f"quá hạn {n['in_progress_overdue']}, chưa thực hiện {n['not_started']}, không có thời hạn "
            f"{n['no_deadline']}. Tổng số nhiệm vụ quá hạn là {n['overdue']}/{n['with_deadline']} nhiệm vụ, chiếm tỷ "
            f"lệ {overall['rate']} tổng số nhiệm vụ có thời hạn được giao.")


def _report_context(data: dict, office: OfficeProfile) -> dict:
    groups = []
    for index, group in enumerate(data["groups"], start=1):
        rows = [{"symbol": r["symbol"], "issued": to_date(r["issued"], "issued"), "summary": r["summary"],
                 "content": r["content"], "deadline": _optional_date(r.get("deadline"), "deadline"),
                 "result": r.get("result") or "", "completed": _optional_date(r.get("completed"), "completed"),
                 "note": r.get("note") or ""} for r in group["rows"]]
        groups.append({"roman": roman(index), "unit": group["unit"], "rows": rows})
    totals = data["totals"]
    overall = next((t for t in totals if t["unit"].strip().lower() == "tổng cộng"), None)
    units = [_with_rate(t) for t in totals if t is not overall]
    if overall is None:
        overall = {k: sum(t[k] for t in totals) for k in REPORT_COUNTS}
        overall["unit"] = "Tổng cộng"
    overall = _with_rate(overall)
    summary = list(data.get("summary") or []) or [_report_figures(overall)]
    closing = data.get("closing") or (f"Trên đây là báo cáo kết quả thực hiện nhiệm vụ do {office.short_name}, "
                                      f"Chủ tịch {office.short_name} giao {data['period_label']}")
    return {"period_label": data["period_label"], "as_of": to_date(data["as_of"], "as_of"), "groups": groups,
            "totals": units, "overall": overall, "chart": data.get("chart") or None,
            "summary": summary, "causes": list(data.get("causes") or []),
            "proposals": list(data.get("proposals") or []),
            # the body ends with "./." (Nghị định 30, Phụ lục I)
            "closing": closing.rstrip(". /") + "./."}


def _kind_context(kind: str, data: dict, office: OfficeProfile) -> dict:
    """The fields each kind adds, with optional ones made explicit (StrictUndefined never sees a gap)."""
    if kind == "don-doc":
        return {"unit_name": data["unit_name"], "intro": data.get("intro") or None,
                "tasks": _tasks(data["tasks"], "tasks"), "report_by": to_date(data["report_by"], "report_by")}
    if kind == "phe-binh":
        return {"unit_name": data["unit_name"], "tasks": _tasks(data["tasks"], "tasks"),
                "reminders": [{"number": r["number"], "date": to_date(r["date"], "reminders.date")}
                              for r in data.get("reminders") or []],
                "explanation_by": to_date(data["explanation_by"], "explanation_by")}
    if kind == "chi-thi":
        return {"preamble": data["preamble"], "directives": data["directives"], "closing": data["closing"]}
    if kind == "bao-cao-nhiem-vu":
        return _report_context(data, office)
    if kind == "tra-ho-so":
        dossier = dict(data["dossier"])
        dossier["date"] = to_date(dossier["date"], "dossier.date")
        dossier.setdefault("subject", None)
        by = issuer(kind_spec(kind), data, office)
        return {"dossier": dossier, "reasons": [r.rstrip(".;") for r in data["reasons"]],
                "resubmit_by": _optional_date(data.get("resubmit_by"), "resubmit_by"),
                # the Văn phòng returns the dossier in its own name, or the UBND does
                "issuer": {"name": by.name, "short_name": by.short_name}}
    if kind == "phieu-trinh":
        return _phieu_trinh_context(data, office)
    if kind in OFFICE_KINDS:
        from .office_kinds import office_kind_context
        return office_kind_context(kind, data, office)
    if kind == "cong-van":
        paragraphs = list(data["paragraphs"])
        # the last paragraph carries the end mark "./." (Nghị định 30, Phụ lục I)
        if not paragraphs[-1].endswith("./."):
            paragraphs[-1] = paragraphs[-1].rstrip(".") + "./."
        return {"paragraphs": paragraphs}
    raise ConfigError(f"không có loại văn bản '{kind}'")


def build_context(kind: str, data: dict, office: OfficeProfile, *, number: Optional[str],
                  date: dt.date) -> dict:
    """A pure function: validated data + office + number/date → the template's context."""
    spec = kind_spec(kind)
    data = _clean(data)
    # every kind is signed by someone of the office, except the phiếu trình, which may leave its reader open
    signer = office.signer(data["signer"]) if data.get("signer") else None
    subject = data.get("subject") or ""
    if spec.cong_van and subject.lower().startswith("v/v "):
        subject = subject[4:]
    by = issuer(spec, data, office)
    context = {
        "office": {"parent_agency": by.parent_agency, "header_lines": list(by.header_lines),
                   "name": office.agency_name, "short_name": office.short_name, "abbr": office.agency_abbr,
                   "place": office.place},
        "kind": kind,
        "doc_type": spec.doc_type,
        "number": number if number else BLANK_NUMBER,
        "symbol": make_symbol(spec, office, data["unit"], by.abbr),
        "date": date,
        "subject": keep_symbols_whole(subject),
        "recipients": data.get("recipients") or [],
        "distribution": [d.rstrip(".;") for d in data.get("distribution") or []],
        "unit": data["unit"],
        # a chỉ thị of the Chủ tịch is signed in the Chủ tịch's own name: the data may override the authority
        "signer": {"authority": data["authority"] if "authority" in data else signer.authority,
                   "position": signer.position, "name": signer.name} if signer else
                  {"authority": None, "position": None, "name": None},
        "secrecy": data.get("secrecy") or None,
        "urgency": data.get("urgency") or None,
    }
    context.update(_kind_context(kind, data, office))
    return context


COMMON_CONTEXT = ("office", "kind", "doc_type", "number", "symbol", "date", "subject", "recipients", "distribution",
                  "unit", "signer", "secrecy", "urgency")
_COMPUTED_CONTEXT = {"bao-cao-nhiem-vu": ("overall",),
                     "phieu-trinh": ("submission_line", "subject_line", "proposer_line", "competence_line",
                                     "boxes", "party_committee", "council", "recommendation_line", "review_label",
                                     "secrecy_line", "option_notes",
                                     "unit_name", "leader_title"),
                     # the Văn phòng's daily kinds (office_kinds.py)
                     "quyet-dinh": ("issuer", "authority_heading", "preamble", "execution"),
                     "to-trinh": ("issuer",),
                     "tra-ho-so": ("issuer",),
                     "giay-moi": ("issuer", "time_line"),
                     "thong-bao-ket-luan": ("issuer", "opening", "lead_in")}
_DATA_ONLY = {"authority"}  # consumed while building the context, not passed to the template


def context_names(kind: str) -> set[str]:
    """Every top-level name the context of ``kind`` provides to its template."""
    from ..resources import load_schema

    spec = kind_spec(kind)
    names = set(COMMON_CONTEXT) | set(load_schema(spec.schema)["properties"]) | set(_COMPUTED_CONTEXT.get(kind, ()))
    return names - _DATA_ONLY


def _number_request(data: dict) -> Optional[str]:
    value = data.get("number")
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _open_template(template: Path) -> _Template:
    try:
        tpl = _Template(str(template))
        tpl.init_docx()
    except Exception as exc:  # a broken .docx raises zipfile/lxml/KeyError errors
        raise ConfigError(f"không mở được mẫu văn bản ({exc})", template) from None
    return tpl


@contextmanager
def _filling(template: Path) -> Iterator[None]:
    """Fill a template under the sandbox's limits; whatever goes wrong is one Vietnamese message."""
    try:
        with limits():
            yield
    except VanbanError:
        raise
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"mẫu dùng trường không có trong dữ liệu: {undefined_name(exc.message)}", template) from None
    except TemplateLimit as exc:
        raise LimitError(f"mẫu vượt giới hạn an toàn: {exc.message}", template) from None
    except jinja2.exceptions.SecurityError:
        raise ConfigError("mẫu dùng thuộc tính hoặc hàm bị cấm trong hộp cát (sandbox) của vanban "
                          "(thuộc tính nội bộ của Python)", template) from None
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"mẫu sai cú pháp Jinja ở dòng {exc.lineno}: {exc.message}"
                          " (chạy `vanban template check` để xem chi tiết)", template) from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"lỗi khi điền mẫu: {exc}", template) from None
    except etree.XMLSyntaxError as exc:
        # a tag that cut through Word's XML (e.g. across paragraphs) leaves broken XML after rendering
        raise ConfigError(f"mẫu sinh ra XML hỏng ({exc}); chạy `vanban template check` để tìm thẻ bị tách",
                          template) from None
    except RecursionError:
        raise ConfigError("mẫu gọi macro lồng nhau quá sâu (macro gọi lại chính nó?)", template) from None
    except MemoryError:
        raise ConfigError("mẫu cần quá nhiều bộ nhớ khi điền", template) from None
    except Exception as exc:  # a filter on a wrong type (int + str, None|upper …): the template's fault
        raise ConfigError(f"lỗi khi điền mẫu ({type(exc).__name__}: {str(exc)[:200]})", template) from None


def compiled_template(template: Path):
    """The template opened, patched and compiled once per process (:mod:`vanban.generate.compiled`)."""
    from . import compiled

    env = _shared_environment()
    key = compiled.cache_key(template, env)
    found = compiled.cached(key)
    if found is None:
        tpl = _open_template(template)
        with _filling(template):
            found = compiled.remember(key, compiled.compile_template(tpl, env))
    return found


def _render_to_temp(template: Path, context: dict, output: Path, chart: Optional[str], *,
                    compiled: bool = True) -> Path:
    """Render into a temporary file next to ``output`` (same file system, so os.replace is atomic).

    The compiled template (same document, compiled once) unless the letter embeds an image or the
    template has tags where only docxtpl renders them (``compiled=False`` forces docxtpl)."""
    from .. import guard

    guard.check_size(template, guard.LIMITS.document_bytes, "tệp mẫu")  # no FIFO; an input of the run
    if compiled and not chart:
        fast = compiled_template(template)
        if fast.supported:
            with _filling(template):
                parts = fast.render(context)
            return _write_temp(output, lambda fh: fast.write(fh, parts))
    tpl = _open_template(template)
    if chart:
        chart_path = allowed_image(chart, output)
        context = dict(context, chart=InlineImage(tpl, str(chart_path), width=Mm(CHART_WIDTH_MM)))
    with _filling(template):
        tpl.render(context, _shared_environment(), autoescape=True)
    return _write_temp(output, lambda fh: tpl.save(fh))


def _write_temp(output: Path, write) -> Path:
    tmp = temp_beside(output, ".docx")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise OutputError(f"không ghi được tệp ({exc.strerror})", output) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def allowed_image(name: str, output: Path) -> Path:
    """An image a data file names (``chart:``) is embedded only when vanban wrote it in this run
    or it lies in the output's folder, and it really is a PNG, JPEG or GIF of at most 20 MB:
    a data file cannot pull ``/etc/passwd`` or a private photo into a letter."""
    from .. import guard
    from ..outfiles import written_this_run

    path = Path(name)
    root = Path(output).resolve().parent
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise ConfigError(f"không tìm thấy ảnh biểu đồ '{guard.safe_name(name)}'", path) from None
    if not (written_this_run(real) or root in real.parents):
        raise ConfigError(f"ảnh biểu đồ '{guard.safe_name(name)}' nằm ngoài thư mục kết quả ({root}); vanban chỉ "
                          "chèn ảnh do chính nó tạo hoặc ảnh đặt trong thư mục kết quả", path)
    head = guard.read_bytes(real, 20 * guard.MB, "ảnh biểu đồ", ConfigError)[:8]
    if not head.startswith(IMAGE_MAGIC):
        raise ConfigError("ảnh biểu đồ không phải tệp PNG, JPEG hoặc GIF", path)
    return real


@dataclass
class _Letter:
    """One document, checked before any number is taken; its context lacks only the number."""
    kind: str
    data: dict
    output: Path
    pdf_path: Optional[Path]
    date: dt.date
    symbol: str
    requested: Optional[str]
    chart: Optional[str]
    template: Path
    context: dict


def _prepare(kind: str, data: dict, output: Path, *, office: OfficeProfile, force: bool, pdf: bool,
             template_dir: Path | None, data_path: Path | None, validated: bool = False) -> _Letter:
    spec = kind_spec(kind)
    output = Path(output)
    if not isinstance(data, dict):
        raise ConfigError("dữ liệu văn bản phải là một bảng khóa: giá trị", data_path)
    if not validated:
        validate(data, spec.schema, data_path)
    if data.get("signer"):
        office.signer(data["signer"])  # an unknown signer fails before a number is taken
    refuse_overwrite(output, force)
    pdf_path = output.with_suffix(".pdf") if pdf else None
    if pdf_path is not None:
        refuse_overwrite(pdf_path, force)
    date = to_date(data["date"], "date") if data.get("date") else dt.date.today()
    try:  # what the schema cannot say (a meeting before its invitation, an unknown chair) fails before a number
        context = build_context(kind, data, office, number=None, date=date)
    except ConfigError as exc:
        raise ConfigError(exc.message, exc.path or data_path) from None
    chart = data.get("chart") if kind == "bao-cao-nhiem-vu" else None
    if chart and data_path is not None and not Path(chart).is_absolute():
        chart = str(Path(data_path).parent / chart)
    symbol = make_symbol(spec, office, data["unit"], issuer(spec, data, office).abbr)
    return _Letter(kind, data, output, pdf_path, date, symbol, _number_request(data), chart,
                   template_path(kind, template_dir), context)


def _take_number(letter: _Letter, stack: ExitStack, *, office: OfficeProfile, db_path: Path | None,
                 force: bool):
    """The letter's number (``so``-formatted or None) and, for ``auto``, its reservation held in ``stack``."""
    if letter.requested == "auto":
        series = series_for(letter.data.get("secrecy"), office.secret_series)
        reservation = stack.enter_context(reserve_number(
            db_path or office.db_path, letter.date.year, series, max_per_year=office.max_per_year,
            path=letter.output, kind=letter.kind, symbol=letter.symbol,
            subject=_register_subject(letter.kind, letter.data), date=letter.date,
            recipients=list(letter.data.get("recipients") or [])))
        return so(reservation.number), reservation
    if force:  # a draft written over a numbered document would leave its number naming nothing
        refuse_to_unnumber(db_path or office.db_path, letter.output)
    return (so(letter.requested) if letter.requested else None), None


def _render_job(template: str, context: dict, output: str) -> tuple:
    """In a worker process: render one letter to its temp file; a vanban error comes back as data."""
    try:
        return ("ok", str(_render_to_temp(Path(template), context, Path(output), None)))
    except VanbanError as exc:
        return ("error", type(exc).__name__, exc.message, exc.path)


def _init_worker(templates: list[str]) -> None:
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the main process stops the batch
    for template in templates:  # inherited when forked; compiled here otherwise
        try:
            compiled_template(Path(template))
        except VanbanError:
            pass  # the render reports it


def _job_result(outcome: tuple) -> Path:
    if outcome[0] == "ok":
        return Path(outcome[1])
    from .. import errors

    cls = getattr(errors, outcome[1], None)
    if not (isinstance(cls, type) and issubclass(cls, VanbanError)):
        cls = ConfigError
    raise cls(outcome[2], outcome[3])


class _Renderer:
    """Renders letters to temp files: in this process, or in ``jobs`` worker processes sharing the compiled
    template (forked after it is compiled); results are taken in order by the caller."""

    def __init__(self, jobs: int, letters: list[_Letter]):
        self.pool = None
        workers = min(jobs, sum(1 for letter in letters if not letter.chart))
        if workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            from .. import guard

            templates = sorted({str(letter.template) for letter in letters})
            for template in templates:  # a broken template fails here, once, before any number
                guard.check_size(template, guard.LIMITS.document_bytes, "tệp mẫu")  # an input of the run
                compiled_template(Path(template))
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else None)
            self.pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                                            initargs=(templates,))
        self.window = 2 * workers if self.pool else 0  # letters in flight beyond the one being finished

    def submit(self, letter: _Letter, context: dict):
        from concurrent.futures import Future

        if self.pool is not None and not letter.chart:
            return self.pool.submit(_render_job, str(letter.template), context, str(letter.output))
        future: Future = Future()
        try:
            future.set_result(("ok", str(_render_to_temp(letter.template, context, letter.output, letter.chart))))
        except VanbanError as exc:
            future.set_result(("error", type(exc).__name__, exc.message, exc.path))
        return future

    def result(self, future) -> Path:
        from concurrent.futures.process import BrokenProcessPool

        try:
            outcome = future.result()
        except BrokenProcessPool:
            raise LimitError("một tiến trình soạn văn bản dừng đột ngột (hết bộ nhớ hoặc bị dừng); "
                             "thử lại với --jobs 1") from None
        return _job_result(outcome)

    def discard(self, futures: list) -> None:
        """After an error (or Ctrl-C, which the workers ignore): nothing more starts, the renders under way
        end (each within the sandbox's time limit, a few milliseconds for a letter) and their temp files
        are removed, so no half-made file is left beside a letter."""
        if self.pool is not None:
            for future in futures:
                future.cancel()
            self.pool.shutdown(wait=True, cancel_futures=True)
        for future in futures:
            _unlink_result(future)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True)


def _unlink_result(future) -> None:
    if future.done() and not future.cancelled() and future.exception() is None:
        outcome = future.result()
        if outcome[0] == "ok":
            Path(outcome[1]).unlink(missing_ok=True)


def _render_letters(letters: list[_Letter], *, office: OfficeProfile, db_path: Path | None, force: bool,
                    jobs: int = 1, on_done: Optional[Callable[[int, GeneratedDocument], None]] = None
                    ) -> list[GeneratedDocument]:
    """Number (in order, in this process), render (here or in workers), publish (in order) every letter.

    A number is held (pending) from before its letter is rendered until the file is published
    and recorded; an error frees the numbers of the letters not yet published and removes their temp
    files; the letters published before it stay, as with one letter at a time."""
    from collections import deque

    results: list[GeneratedDocument] = []
    flight: deque = deque()  # (index, letter, number, reservation, stack, future)
    batch = ExitStack()
    if len(letters) > 1 and any(letter.requested == "auto" for letter in letters):
        # the register stays open for the batch: closing its last connection checkpoints the WAL to disk,
        # once per letter otherwise
        from .register import open_register

        batch.callback(open_register(db_path or office.db_path).close)
    renderer = _Renderer(jobs, letters)

    def finish() -> None:
        index, letter, number, reservation, stack, future = flight[0]
        with stack:
            tmp = renderer.result(future)
            try:
                if letter.pdf_path is not None:
                    docx_to_pdf(tmp, letter.pdf_path)
                publish(tmp, letter.output)
            finally:
                tmp.unlink(missing_ok=True)
            if reservation is not None:
                reservation.record(symbol=letter.symbol, kind=letter.kind,
                                   subject=_register_subject(letter.kind, letter.data), date=letter.date,
                                   recipients=list(letter.data.get("recipients") or []),
                                   path=letter.output.resolve())
        flight.popleft()
        doc = GeneratedDocument(kind=letter.kind, path=letter.output, number=number, symbol=letter.symbol,
                                date=letter.date, pdf_path=letter.pdf_path)
        results.append(doc)
        if on_done is not None:
            on_done(index, doc)

    try:
        for index, letter in enumerate(letters):
            while flight and any(item[1].output == letter.output for item in flight):
                finish()  # the same file twice: the second sees the first's number in the register
            stack = ExitStack()
            try:
                number, reservation = _take_number(letter, stack, office=office, db_path=db_path, force=force)
                future = renderer.submit(letter, dict(letter.context, number=number or BLANK_NUMBER))
            except BaseException:
                stack.close()
                raise
            flight.append((index, letter, number, reservation, stack, future))
            while len(flight) > renderer.window:
                finish()
        while flight:
            finish()
    except BaseException:
        renderer.discard([item[5] for item in flight])
        for item in flight:
            item[4].close()  # numbers not recorded are free again
        raise
    finally:
        renderer.close()
        batch.close()
    return results


def render_document(kind: str, data: dict, output: Path, *, office: OfficeProfile, db_path: Path | None = None,
                    force: bool = False, pdf: bool = False, template_dir: Path | None = None,
                    data_path: Path | None = None) -> GeneratedDocument:
    """Validate ``data``, fill the template of ``kind`` and write ``output`` (and its PDF when asked).

    ``number`` in the data: ``"auto"`` takes the next number of the outgoing
    register (recorded only once the file is written), digits are used as
    given, blank leaves a draft's blank number.
    """
    letter = _prepare(kind, data, output, office=office, force=force, pdf=pdf, template_dir=template_dir,
                      data_path=data_path)
    return _render_letters([letter], office=office, db_path=db_path, force=force)[0]


def render_batch(kind: str, items: list[tuple[dict, Path]], *, office: OfficeProfile, db_path: Path | None = None,
                 force: bool = False, pdf: bool = False, template_dir: Path | None = None,
                 data_path: Path | None = None, jobs: int = 1,
                 on_done: Optional[Callable[[int, GeneratedDocument], None]] = None) -> list[GeneratedDocument]:
    """:func:`render_document` for each ``(data, output)``, every one checked before the first number is
    taken; numbers are taken and files published in order, the rendering shared by ``jobs`` processes.
    ``on_done(index, document)`` runs in this process once each file is in place."""
    letters = [_prepare(kind, data, output, office=office, force=force, pdf=pdf, template_dir=template_dir,
                        data_path=data_path) for data, output in items]
    return _render_letters(letters, office=office, db_path=db_path, force=force, jobs=jobs, on_done=on_done)


_UNSAFE = re.compile(r"[^\w.-]+", re.UNICODE)


def _file_name(record: dict, index: int, kind: str, name_field: Optional[str]) -> str:
    if name_field:
        value = record.get(name_field)
        if value in (None, ""):
            raise ConfigError(f"bản ghi {index + 1} thiếu trường '{name_field}' dùng để đặt tên tệp")
        stem = _UNSAFE.sub("-", normalize_text(str(value))).strip("-.") or f"{kind}-{index + 1:03d}"
        return f"{stem}.docx"
    return f"{kind}-{index + 1:03d}.docx"


def render_many(kind: str, records: list[dict], output_dir: Path, *, office: OfficeProfile,
                db_path: Path | None = None, force: bool = False, pdf: bool = False, merge: Path | None = None,
                name_field: str | None = None, template_dir: Path | None = None,
                data_path: Path | None = None, jobs: int = 1) -> list[GeneratedDocument]:
    """One document per record into ``output_dir`` (and, with ``merge``, one merged file for printing).

    Every record is validated before the first number is taken, so a bad
    record in the middle does not leave half a batch numbered; ``jobs``
    processes render (:func:`render_batch`).
    """
    spec = kind_spec(kind)
    output_dir = Path(output_dir)
    if not records:
        raise ConfigError("danh sách 'records' rỗng", data_path)
    names = []
    for index, record in enumerate(records):
        if not isinstance(record, dict):
            raise ConfigError(f"bản ghi records[{index}] phải là một bảng khóa: giá trị", data_path)
        try:
            validate(record, spec.schema)
        except ConfigError as exc:
            raise ConfigError(f"bản ghi records[{index}]: {exc.message}", data_path) from None
        names.append(_file_name(record, index, kind, name_field))
    duplicates = sorted({n for n in names if names.count(n) > 1})
    if duplicates:
        raise ConfigError(f"nhiều bản ghi cho cùng tên tệp: {', '.join(duplicates)}", data_path)
    targets = [output_dir / n for n in names]
    for target in targets:
        refuse_overwrite(target, force)
    if merge is not None:
        refuse_overwrite(Path(merge), force)
    output_dir.mkdir(parents=True, exist_ok=True)
    letters = [_prepare(kind, record, target, office=office, force=force, pdf=pdf, template_dir=template_dir,
                        data_path=data_path, validated=True) for record, target in zip(records, targets)]
    results = _render_letters(letters, office=office, db_path=db_path, force=force, jobs=jobs)
    if merge is not None:
        from .merge import merge_documents
        merge_documents([r.path for r in results], Path(merge))
    return results
