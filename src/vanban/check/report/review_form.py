"""A draft phiếu trình (the Văn phòng's review form) filled with what the check found.

    Dossier ──review_facts──▶ ReviewFacts            (in the worker, next to the parsed documents)
    DossierResult ──review_form_data──▶ data of the ``phieu-trinh`` kind ──render──▶ .docx

The data is the same a clerk would write for ``vanban generate phieu-trinh``:
the submission (type, number, date, issuer, trích yếu), the authority asked,
the legal bases with their status in the registry, the components found and
missing, the submission's own request, the decision (tiếp nhận / tiếp nhận,
lưu ý / chuyển trả) with its reasons, and the secrecy mark. The phiếu's number
and the dates of the signatures stay blank for the office.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from ...errors import ConfigError, VanbanError
from ...legal import LegalRegistry
from ...legal.registry import symbol_key
from ...model import Citation
from ...text import fold, squash_spaces
from ..model import (
    ROLE_APPRAISAL,
    ROLE_COMMENT,
    ROLE_DRAFT,
    ROLE_OTHER,
    ROLE_SUBMISSION,
    ROLE_SUPPORTING,
    ROLE_VI,
    Dossier,
    DossierResult,
    LegalBasisStatus,
    ReviewFacts,
)
from ..patterns import agencies
from .per_dossier import DocumentOutcome, output_name, write_per_dossier
from .prose import agency_name, decision_reasons

KIND = "phieu-trinh"
FILE_SUFFIX = "-phieu-trinh.docx"
MAX_BASES = 8
MAX_RECOMMENDATION = 500
_SECRECY_RANK = {"MẬT": 1, "TỐI MẬT": 2, "TUYỆT MẬT": 3}
_AUTHORITY = re.compile(r"(chu tich (?:uy ban nhan dan|ubnd))|(?<!van phong )\b(uy ban nhan dan|ubnd)\b")
_NORMATIVE_SYMBOL = re.compile(r"/(19|20)\d\d/")  # 126/2024/NĐ-CP: a legal normative document


# --------------------------------------------------------------------------
# In the worker: facts from the parsed documents
# --------------------------------------------------------------------------

def _authority(texts: list[str]) -> Optional[str]:
    """``chu_tich`` when the first UBND-level addressee named is the Chủ tịch, ``ubnd`` for the UBND."""
    for text in texts:
        m = _AUTHORITY.search(squash_spaces(fold(text)))
        if m:
            return "chu_tich" if m.group(1) else "ubnd"
    return None


# a page number or footnote mark run into the sentence's start ("2 Kính trình …"), and the "Nơi nhận:"
# that OCR reads into the last line of a scanned page
_LEADING_MARK = re.compile(r"^\d{1,3}\s+(?=[A-ZĐ])")
_TRAILING_NOI_NHAN = re.compile(r"\s*\S{0,3}\s*(?:Nơi\s+)?nhận\s*:\s*\.?\s*$", re.IGNORECASE)


_HEADING_CHAIR = re.compile(r"^chu tich (?:uy ban nhan dan|ubnd)\b")
_HEADING_UBND = re.compile(r"^(?:uy ban nhan dan|ubnd) (?:tinh|thanh pho|xa|phuong|dac khu)\b")


def _draft_authority(doc) -> Optional[str]:
    """Who signs a draft of the UBND: ``chu_tich`` for a draft under the heading ``CHỦ TỊCH ỦY BAN NHÂN DÂN
    TỈNH …`` or signed ``KT. CHỦ TỊCH`` / ``CHỦ TỊCH`` in the Chủ tịch's name, ``ubnd`` for ``TM. ỦY BAN NHÂN
    DÂN`` or a heading naming the UBND itself; None when the draft does not say."""
    for block in doc.source.blocks[:40]:  # the authority heading stands between the trích yếu and the căn cứ
        line = squash_spaces(fold(block.text))
        if _HEADING_CHAIR.match(line) and len(line) < 80:
            return "chu_tich"
        if _HEADING_UBND.match(line) and len(line) < 60 and block.location.index > 3:
            return "ubnd"
    sig = doc.signature
    if sig is None:
        return None
    authority = fold(sig.authority_text or "")
    if authority.startswith("tm."):
        return "ubnd" if "uy ban nhan dan" in authority or "ubnd" in authority else None
    positions = [fold(p) for p in sig.positions]
    if authority.startswith("kt. chu tich") or (not sig.authority_mark and positions
                                                and positions[-1] == "chu tich"):
        return "chu_tich"
    return None


def _drafts_authority(dossier: Dossier) -> Optional[str]:
    """What the dossier's drafts of the UBND say about who decides, when they agree."""
    found = {_draft_authority(f.document) for f in dossier.files
             if f.role == ROLE_DRAFT and f.document is not None and f.document.source.text.strip()}
    found.discard(None)
    return found.pop() if len(found) == 1 else None


def _matter_authority(dossier: Dossier, doc) -> Optional[str]:
    """The Chủ tịch when the submission asks him; else what the drafts say about who signs (a tờ trình
    "kính trình UBND tỉnh" with a draft quyết định of the Chủ tịch is the Chủ tịch's); else whom it asks."""
    asked = _authority([*(r.text for r in reversed(doc.recommendations)), *doc.recipients])
    if asked == "chu_tich":
        return asked
    return _drafts_authority(dossier) or asked


def _recommendation(doc) -> Optional[str]:
    """The submission's own request: the last concrete one naming the UBND or its Chủ tịch, else the last."""
    recs = [r for r in doc.recommendations if not r.vague] or list(doc.recommendations)
    if not recs:
        return None
    naming = [r for r in recs if _AUTHORITY.search(fold(r.text))]
    text = squash_spaces((naming or recs)[-1].text)
    text = _TRAILING_NOI_NHAN.sub("", _LEADING_MARK.sub("", text)).strip()
    return text if len(text) <= MAX_RECOMMENDATION else text[:MAX_RECOMMENDATION - 1].rstrip() + "…"


# "… kính trình Chủ tịch Ủy ban nhân dân tỉnh [Lâm Đồng] xem xét, <what is asked>."
_PLACE = r"(?:\s+[A-ZĐÂĂÊÔƠƯ][^\s,.;:]*){0,3}"  # the place's name, in capitals (not "xem xét")
_ASKED = re.compile(
    r"(?i:(?:chủ\s+tịch\s+)?(?:(?:ủy|uỷ)\s+ban\s+nhân\s+dân|ubnd)\s+(?:tỉnh|thành\s+phố|xã|phường|đặc\s+khu))"
    + _PLACE)
_CONSIDER = re.compile(r"^(?:xem\s+xét|xét)\s*,?\s*", re.IGNORECASE)
MAX_ASKED = 300
_ATTACHED = re.compile(r"\s*\((?:có\s+|xin\s+)?(?:đính\s+)?kèm\b[^()]*\)$", re.IGNORECASE)  # "(đính kèm dự thảo …)"
_REQUEST_WORDS = ("trình", "đề nghị", "đồng chí", "để", "kiến nghị", "báo cáo")


def decision_asked(recommendation: Optional[str]) -> Optional[str]:
    """What the leader is asked to decide, from the submission's request: ``Sở Nội vụ kính trình Chủ tịch
    Ủy ban nhân dân tỉnh xem xét, cho phép thành lập Liên đoàn …`` → ``cho phép thành lập Liên đoàn …``.
    None when the request names no action after the authority (the phiếu then says ``quyết định``)."""
    if not recommendation:
        return None
    for m in _ASKED.finditer(recommendation):
        before = recommendation[:m.start()].rstrip().lower()
        # the addressee of the request, not the Văn phòng UBND nor a UBND named inside the matter
        if before.endswith("văn phòng") or not before.endswith(_REQUEST_WORDS):
            continue
        rest = _CONSIDER.sub("", recommendation[m.end():].strip()).strip().rstrip(" .;,")
        rest = _ATTACHED.sub("", rest).rstrip(" .;,")
        # an action starts with a verb in lower case (phê duyệt, ký ban hành, cho phép, có ý kiến)
        if 3 <= len(rest) <= MAX_ASKED and rest[0].islower() and not rest.lower().startswith("dự thảo"):
            return rest
    return None


def _cited_normative(doc) -> list[Citation]:
    """Legal normative documents cited in the text (``126/2024/NĐ-CP``), each once, most complete citation."""
    best: dict[str, Citation] = {}
    for c in doc.citations:
        if not c.symbol or not _NORMATIVE_SYMBOL.search(c.symbol):
            continue
        key = symbol_key(c.symbol)
        if key not in best or len(c.raw) > len(best[key].raw):
            best[key] = c
    return list(best.values())


def _basis_status(citation: Citation, registry: LegalRegistry, as_of: dt.date) -> LegalBasisStatus:
    from ..rules.legal import _short  # the same shortening as the VB2xx findings

    text = _short(citation.raw, 160)
    entry = registry.resolve(citation, as_of)
    if entry is None:
        return LegalBasisStatus(text, "chưa tra cứu được tình trạng hiệu lực, cần kiểm tra", None)
    validity = registry.validity(entry, as_of)
    day = f"{as_of.day:02d}/{as_of.month:02d}/{as_of.year}"
    if validity.in_force:
        return LegalBasisStatus(text, f"còn hiệu lực tại ngày {day}", True)
    return LegalBasisStatus(text, f"không còn hiệu lực tại ngày {day} ({entry.label} {validity.reason})", False)


def review_facts(dossier: Dossier, registry: LegalRegistry, as_of: dt.date) -> ReviewFacts:
    """The facts of ``dossier`` a phiếu trình needs; ``as_of`` is the day the legal bases are judged at
    (the submission's date, as for rule VB203)."""
    from ..rules.legal import _bases  # "Căn cứ" lines, with those the understanding layer could not parse

    marks = [f.document.marks.secrecy for f in dossier.files if f.document is not None and f.document.marks.secrecy]
    secrecy = max(marks, key=lambda m: _SECRECY_RANK.get(m, 0)) if marks else None
    sub = dossier.submission
    if sub is None:
        return ReviewFacts(secrecy=secrecy, as_of=as_of.isoformat())
    copies = sorted(dossier.submission_copies, key=lambda c: (c is not sub, not c.is_signed, c.name))
    # the text facts come from the first copy that has them (a signed scan has none, its .docx may)
    doc = next((c.document for c in copies if c.document.source.text.strip() and not c.document.source.is_scan),
               sub.document)
    recommendation = _recommendation(doc)
    bases = list(_bases(doc))
    from_citations = not bases
    if from_citations:
        bases = _cited_normative(doc)
    return ReviewFacts(
        recipients=tuple(squash_spaces(r).rstrip(";.,") for r in doc.recipients),
        authority=_matter_authority(dossier, doc),
        recommendation=recommendation,
        legal_bases=tuple(_basis_status(c, registry, as_of) for c in bases[:MAX_BASES]),
        bases_from_citations=from_citations and bool(bases),
        as_of=as_of.isoformat(),
        secrecy=secrecy,
        urgency=next((c.document.marks.urgency for c in copies if c.document.marks.urgency), None),
        scanned=not doc.source.text.strip() or doc.source.is_scan,
        ocr=bool(doc.source.ocr_pages),
    )


# --------------------------------------------------------------------------
# From the result: the data of the phiếu
# --------------------------------------------------------------------------

def _issuer_from_symbol(number: Optional[str]) -> Optional[str]:
    """``519/TTr-CAT-PC06`` → ``Công an tỉnh``: the issuer's abbreviation in the symbol."""
    if not number or "/" not in number:
        return None
    table = {fold(k): v for k, v in agencies().names_by_abbr.items()}
    parts = number.split("/", 1)[1].split("-")
    if _type_from_symbol(number):
        parts = parts[1:]  # TTr is the type (Tờ trình), not the Thanh tra
    for part in parts:
        names = table.get(fold(part))
        if names and fold(part) != "ubnd":
            return names[0]
    return None


def _type_from_symbol(number: Optional[str]) -> Optional[str]:
    from ...understand.patterns import type_by_abbr

    if not number or "/" not in number:
        return None
    head = number.split("/", 1)[1].split("-", 1)[0]
    return type_by_abbr().get(head)


def subject_vv(subject: Optional[str]) -> Optional[str]:
    """``Về việc ban hành …`` → ``V/v ban hành …`` (the trích yếu as the phiếu writes it)."""
    if not subject:
        return None
    text = squash_spaces(subject).rstrip(".;")
    return re.sub(r"^(?:về việc|v/v)\s*:?\s*", "V/v ", text, flags=re.IGNORECASE)


def _submission(result: DossierResult) -> Optional[dict]:
    s = result.submission
    if s is None and result.incoming:
        # văn bản đến: the phiếu names the incoming letter
        letter = result.incoming[0]
        return {"doc_type": letter.doc_type or _type_from_symbol(letter.number) or "Văn bản", "number": letter.number,
                "date": letter.date, "issuer": agency_name(letter.issuer) if letter.issuer else None,
                "subject": subject_vv(letter.subject), "note": "văn bản đến" if letter.file else
                "văn bản đến, không có trong hồ sơ; biết qua dự thảo văn bản trả lời"}
    if s is None:
        return None
    notes = []
    issuer = agency_name(s.issuer) if s.issuer else None
    if issuer is None:
        issuer = _issuer_from_symbol(s.number)
        if issuer:
            notes.append("cơ quan trình theo ký hiệu văn bản")
    return {"doc_type": s.doc_type or _type_from_symbol(s.number) or "Văn bản", "number": s.number,
            "date": s.date, "issuer": issuer, "subject": subject_vv(s.subject),
            "note": "; ".join(notes) or None}


_COMPONENT_ROLES = (ROLE_SUBMISSION, ROLE_DRAFT, ROLE_COMMENT, ROLE_APPRAISAL, ROLE_SUPPORTING, ROLE_OTHER)
# what a missing-component finding says is missing, in a few words (rule → pattern on its message, words)
_MISSING = {
    "VB101": (None, "tờ trình hoặc công văn đề trình"),
    "VB103": (re.compile(r"phê duyệt (.+?) nhưng"), "dự thảo {0}"),
    "VB104": (None, "văn bản góp ý hoặc bảng tổng hợp ý kiến của các cơ quan đã được lấy ý kiến"),
    "VB105": (re.compile(r"\((.+?)\) nhưng"), "báo cáo thẩm định ({0})"),
    "VB106": (re.compile(r"kèm theo '(.+?)'"), "'{0}' mà văn bản trình nêu kèm theo"),
}


_KIND_OF_SUFFIX = {".xlsx": "bảng tính", ".xls": "bảng tính", ".csv": "bảng tính", ".ods": "bảng tính",
                   ".jpg": "ảnh chụp", ".jpeg": "ảnh chụp", ".png": "ảnh chụp", ".tif": "ảnh quét", ".tiff": "ảnh quét"}


def _file_words(f) -> str:
    """A component as an office names it (type, number, date), never by its file name."""
    number = re.sub(r"^\s*Số\s*:?\s*", "", f.number or "").replace(" ", "")
    if f.doc_type:
        text = f.doc_type
        if number and not number.startswith("/"):
            text += f" số {number}"
        if f.date and number and not number.startswith("/"):
            day = dt.date.fromisoformat(f.date)
            text += f" ngày {day:%d/%m/%Y}"
    else:
        suffix = Path(f.name).suffix.lower()
        text = _KIND_OF_SUFFIX.get(suffix) or ("văn bản chưa xác định loại" if suffix != ".pdf" else "bản PDF chưa đọc được loại")
    if f.signed:
        text += " (ký số)"
    if f.problem:
        text += " (không đọc được)"
    return text


def _components(result: DossierResult) -> dict:
    present = []
    for role in _COMPONENT_ROLES:
        files = [f for f in result.files if f.role == role]
        if not files:
            continue
        words: dict[str, int] = {}
        for f in files:
            text = _file_words(f)
            words[text] = words.get(text, 0) + 1
        names = "; ".join(text if n == 1 else f"{text} ({n:02d} tệp)" for text, n in words.items())
        present.append(f"{ROLE_VI[role][:1].upper()}{ROLE_VI[role][1:]}: {names}")
    missing = []
    for f in result.findings:
        if f.rule_id not in _MISSING:
            continue
        pattern, words = _MISSING[f.rule_id]
        m = pattern.search(f.message) if pattern else None
        text = words.format(m.group(1)) if m else (words if pattern is None else f.message.rstrip("."))
        if text not in missing:
            missing.append(text)
    return {"present": present, "missing": missing}


def _legal_bases(result: DossierResult, facts: Optional[ReviewFacts]) -> tuple[list[dict], Optional[str]]:
    if result.submission is None:
        return [], None  # the template says the dossier has no submission
    if facts is None:
        return [], "Không trích được căn cứ pháp lý của văn bản trình; cần xem trực tiếp văn bản."
    if facts.scanned:
        return [], ("Văn bản trình là bản quét không có lớp chữ: căn cứ pháp lý phải xem trực tiếp trên "
                    "văn bản.")
    bases = [{"text": b.text, "status": b.status, "in_force": b.in_force} for b in facts.legal_bases]
    if not bases:
        return [], "Văn bản trình không nêu căn cứ pháp lý."
    if facts.bases_from_citations:
        return bases, "Văn bản trình không có phần căn cứ; các văn bản quy phạm pháp luật được dẫn trong văn bản:"
    return bases, None


def review_form_data(result: DossierResult, office, *, unit: str, signer: Optional[str] = None,
                     date: Optional[dt.date] = None) -> dict:
    """The data of the ``phieu-trinh`` kind for one checked dossier (validated by
    ``schemas/letter-phieu-trinh.schema.json`` when rendered)."""
    facts = result.review
    submission = _submission(result)
    competence = None
    if facts is not None and facts.authority == "chu_tich":
        competence = f"Chủ tịch {office.short_name}"
    elif facts is not None and facts.authority == "ubnd":
        competence = office.short_name
    bases, note = _legal_bases(result, facts)
    recommendation = facts.recommendation if facts is not None else None
    # a request read by OCR is shown as read, but its words are not put in the leader's mouth
    asked = decision_asked(recommendation) if facts is not None and not (facts.scanned or facts.ocr) else None
    data = {
        "number": "",
        "date": (date or dt.date.today()).isoformat(),
        "unit": unit,
        "submission": submission,
        "proposer": submission["issuer"] if submission else None,
        "competence": competence,
        "consult": [],
        "legal_bases": bases,
        "legal_bases_note": note,
        "components": _components(result),
        "recommendation": recommendation,
        "decision_asked": asked,
        "review": {"outcome": result.decision.outcome, "reasons": decision_reasons(result)},
        "secrecy": facts.secrecy if facts is not None else None,
        "urgency": facts.urgency if facts is not None else None,
    }
    if result.submission is None and result.incoming:
        # a văn bản đến is summarised, not reviewed as a submission
        letter = result.incoming[0]
        data["legal_bases"], data["legal_bases_note"] = [], "Không rà soát (văn bản đến, không phải hồ sơ trình)."
        data["recommendation"] = (
            f"Văn bản đến đề nghị: {letter.asks}" if letter.asks else
            "Không rõ (văn bản đến không có trong thư mục; biết qua dự thảo văn bản trả lời)" if not letter.file else
            "Văn bản đến không nêu đề nghị cụ thể với Ủy ban nhân dân")
        data["decision_asked"] = None
    elif submission is not None and facts is None:
        data["recommendation"] = "Không trích được; cần xem trực tiếp văn bản"
    elif submission is not None and facts.scanned and not recommendation:
        data["recommendation"] = "Phải xem trực tiếp trên văn bản (bản quét không có lớp chữ)"
    if signer:
        data["signer"] = signer
    return data


# --------------------------------------------------------------------------
# Writing the forms
# --------------------------------------------------------------------------

def form_file_name(dossier_name: str, copy: int = 1) -> str:
    """``<dossier>-phieu-trinh.docx``, safe on every file system (see per_dossier.output_name)."""
    return output_name(dossier_name, FILE_SUFFIX, copy)


def write_review_form(result: DossierResult, path: Path, office, *, unit: str, force: bool = False,
                      signer: Optional[str] = None, date: Optional[dt.date] = None) -> Path:
    """Render the phiếu of one dossier to ``path`` (temp file + rename; never overwrites without ``force``)."""
    from ...generate.render import render_document

    if result.failed:
        raise VanbanError(f"không lập phiếu trình: hồ sơ không kiểm tra được ({result.failed})", result.source)
    data = review_form_data(result, office, unit=unit, signer=signer, date=date)
    return render_document(KIND, data, Path(path), office=office, force=force).path


def write_review_forms(results: list[DossierResult], target: Path, office, *, unit: str, single: bool,
                       force: bool = False, names=None) -> list[DocumentOutcome]:
    """One dossier: ``target`` is the .docx (or an existing folder to put it in). A batch: ``target`` is a
    folder with one ``<dossier>-phieu-trinh.docx`` each. A dossier that fails does not stop the others."""
    return write_per_dossier(
        results, Path(target), FILE_SUFFIX, single=single, names=names,
        write_one=lambda result, path: write_review_form(result, path, office, unit=unit, force=force))


def review_unit(office, abbr: Optional[str]) -> str:
    """The phòng xử lý chính: the one given (it must be in the office profile), else the profile's first."""
    if abbr:
        abbr = abbr.strip().upper()
        if office.unit(abbr) is None:
            known = ", ".join(u.abbr for u in office.units) or "(không có)"
            raise ConfigError(f"không có phòng '{abbr}' trong hồ sơ cơ quan; các phòng hiện có: {known}",
                              office.source)
        return abbr
    if not office.units:
        raise ConfigError("hồ sơ cơ quan không có phòng nào (units): dùng --review-unit MÃ", office.source)
    return office.units[0].abbr
