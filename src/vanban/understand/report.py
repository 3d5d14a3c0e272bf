"""Rendering a Document for people (Vietnamese text) and machines (JSON, see schemas/document.schema.json)."""

from __future__ import annotations

import re

import datetime as dt
from typing import Any, Optional

from vanban.model import Citation, DocDate, Document, LocatedText, Location, NumberSymbol

SCHEMA_VERSION = 1


def _location(location: Optional[Location]) -> Optional[dict]:
    if location is None:
        return None
    out: dict[str, Any] = {"part": location.part, "index": location.index, "text": location.describe()}
    for name in ("table", "row", "cell", "page"):
        value = getattr(location, name)
        if value is not None:
            out[name] = value
    return out


def _located(item: Optional[LocatedText]) -> Optional[dict]:
    return None if item is None else {"text": item.text, "location": _location(item.location)}


def _date(value: Optional[dt.date]) -> Optional[str]:
    return value.isoformat() if value else None


def _number(number: Optional[NumberSymbol]) -> Optional[dict]:
    if number is None:
        return None
    return {
        "raw": number.raw, "number": number.number, "symbol": number.symbol, "year": number.year,
        "type_abbr": number.type_abbr, "issuer_abbr": number.issuer_abbr, "unit": number.unit,
        "blank": number.number is None, "location": _location(number.location),
    }


def _doc_date(date: Optional[DocDate]) -> Optional[dict]:
    if date is None:
        return None
    return {
        "raw": date.raw, "place": date.place, "day": date.day, "month": date.month, "year": date.year,
        "date": _date(date.date), "location": _location(date.location),
    }


def _citation(citation: Citation) -> dict:
    return {
        "raw": citation.raw, "doc_type": citation.doc_type, "number": citation.number, "year": citation.year,
        "symbol": citation.symbol, "issued": _date(citation.issued), "issuer": citation.issuer,
        "title": citation.title, "is_legal_basis": citation.is_legal_basis, "location": _location(citation.location),
    }


def document_to_dict(document: Document) -> dict:
    """A JSON-ready dict that validates against ``document.schema.json`` (one file's entry)."""
    raw = document.source
    signature = document.signature
    return {
        "path": raw.path,
        "format": raw.format,
        "sha256": raw.sha256,
        "page_count": raw.page_count,
        "scanned_pages": list(raw.scanned_pages),
        "legacy_encoding": raw.legacy_encoding,
        "converted_with": raw.converted_with,
        "notes": list(raw.notes),
        "doc_type": document.doc_type,
        "type_abbr": document.type_abbr,
        "national_title": _located(document.national_title),
        "motto": _located(document.motto),
        "parent_agency": _located(document.parent_agency),
        "issuing_agency": _located(document.issuing_agency),
        "number": _number(document.number),
        "date": _doc_date(document.date),
        "subject": _located(document.subject),
        "recipients": list(document.recipients),
        "legal_bases": [_citation(c) for c in document.legal_bases],
        "citations": [_citation(c) for c in document.citations],
        "recommendations": [
            {"text": r.text, "verb": r.verb, "proposal": r.proposal, "vague": r.vague, "location": _location(r.location)}
            for r in document.recommendations
        ],
        "attachments": [_located(a) for a in document.attachments],
        "signature": None if signature is None else {
            "authority_mark": signature.authority_mark, "authority_text": signature.authority_text,
            "positions": list(signature.positions), "signer_name": signature.signer_name,
            "location": _location(signature.location),
        },
        "distribution": list(document.distribution),
        "archive": document.archive,
        "marks": {
            "secrecy": document.marks.secrecy, "urgency": document.marks.urgency,
            "circulation": document.marks.circulation, "draft": document.marks.draft,
        },
        "digital_signatures": [
            {
                "field_name": s.field_name, "signer_name": s.signer_name, "organization": s.organization,
                "signing_time": s.signing_time.isoformat() if s.signing_time else None,
                "intact": s.intact, "covers_whole_file": s.covers_whole_file,
                "modified_after_signing": s.modified_after_signing, "page": s.page,
            }
            for s in raw.signatures
        ],
        "body_blocks": len(document.body),
    }


def error_to_dict(path: str, message: str, exit_code: int) -> dict:
    return {"path": path, "error": {"message": message, "exit_code": exit_code}}


def report_to_dict(entries: list[dict]) -> dict:
    return {"schema_version": SCHEMA_VERSION, "files": entries}


# ----------------------------------------------------------------------------- text

def _fmt_date(date: Optional[DocDate]) -> str:
    if date is None:
        return "(không thấy)"
    day = f"{date.day:02d}" if date.day else "…"
    month = f"{date.month:02d}" if date.month else "…"
    year = str(date.year) if date.year else "…"
    text = f"{day}/{month}/{year}"
    if date.day is None or date.month is None:
        text += " (còn để trống)"
    return f"{date.place}, {text}" if date.place else text


def _fmt_number(number: Optional[NumberSymbol]) -> str:
    if number is None:
        return "(không thấy)"
    if number.number is None:
        return f"…/{number.symbol} (chưa cấp số)"
    year = f"{number.year}/" if number.year else ""
    return f"{number.number}/{year}{number.symbol}"


def _fmt_citation(c: Citation) -> str:
    parts = [c.doc_type or "Văn bản"]
    if c.symbol:
        parts.append(f"số {c.symbol}")
    if c.issued:
        parts.append(f"ngày {c.issued:%d/%m/%Y}")
    elif c.year and not c.symbol:
        parts.append(f"năm {c.year}")
    if c.issuer:
        parts.append(f"của {c.issuer}")
    text = " ".join(parts)
    if c.title:
        text = f"{text} — {c.title}" if c.symbol else f"{c.doc_type} {c.title}" + (f" năm {c.year}" if c.year else "")
    return text


_ATTACHED_AFTER = re.compile(r"(?:đính kèm|gửi kèm|kèm theo)\s*:?\s*([^().;]+)", re.IGNORECASE)
_ATTACHED_BEFORE = re.compile(r"\(\s*(?:có\s+)?([^()]+?)\s+(?:đính kèm|gửi kèm|kèm theo)\s*\)", re.IGNORECASE)
# "… theo mẫu kèm theo Nghị định số …": an annex of a cited document, not a file of this one
_CITED_DOCUMENT = re.compile(r"^(?:Luật|Nghị định|Nghị quyết|Thông tư|Quyết định|Chỉ thị)\b")


def _attachment_phrase(sentence: str) -> str:
    """What is attached ("dự thảo Kế hoạch"), not the whole sentence that says so."""
    for pattern in (_ATTACHED_BEFORE, _ATTACHED_AFTER):
        match = pattern.search(sentence)
        phrase = match.group(1).strip(" ,") if match else ""
        if len(phrase) > 3 and not _CITED_DOCUMENT.match(phrase):
            return phrase
    return sentence


def format_text(document: Document) -> str:
    """A readable Vietnamese summary of one document."""
    raw = document.source
    lines = [f"Tệp: {raw.path}"]
    fmt = raw.format.upper() + (f", chuyển đổi bằng {raw.converted_with}" if raw.converted_with else "")
    lines.append(f"  Định dạng: {fmt}" + (f", {raw.page_count} trang" if raw.page_count else ""))
    lines.append(f"  Loại văn bản: {document.doc_type or '(không xác định)'}")
    lines.append(f"  Số, ký hiệu: {_fmt_number(document.number)}")
    lines.append(f"  Ngày: {_fmt_date(document.date)}")
    if document.parent_agency:
        lines.append(f"  Cơ quan chủ quản: {document.parent_agency.text}")
    lines.append(f"  Cơ quan ban hành: {document.issuing_agency.text if document.issuing_agency else '(không thấy)'}")
    lines.append(f"  Trích yếu: {document.subject.text if document.subject else '(không thấy)'}")
    if document.recipients:
        lines.append("  Kính gửi: " + "; ".join(document.recipients))
    if document.legal_bases:
        lines.append("  Căn cứ:")
        lines.extend(f"    - {_fmt_citation(c)}" for c in document.legal_bases)
    others = [c for c in document.citations if not c.is_legal_basis]
    if others:
        lines.append(f"  Văn bản khác được dẫn: {len(others)}")
    if document.recommendations:
        lines.append("  Kiến nghị/đề xuất:")
        for r in document.recommendations:
            flag = " [chung chung]" if r.vague else ""
            lines.append(f"    - {r.text}{flag} ({r.location.describe() if r.location else ''})")
    if document.attachments:
        lines.append("  Tài liệu kèm theo:")
        lines.extend(f"    - {_attachment_phrase(a.text)}" for a in document.attachments)
    sig = document.signature
    if sig:
        who = " / ".join(x for x in ([sig.authority_text] if sig.authority_text else []) + list(sig.positions))
        lines.append(f"  Người ký: {sig.signer_name or '(chưa có tên)'}" + (f" — {who}" if who else ""))
    else:
        lines.append("  Người ký: (không thấy khối chữ ký)")
    if document.distribution or document.archive:
        lines.append("  Nơi nhận: " + "; ".join(document.distribution) + (f"; Lưu: {document.archive}" if document.archive else ""))
    marks = []
    if document.marks.secrecy:
        marks.append(f"Độ mật: {document.marks.secrecy}")
    if document.marks.urgency:
        marks.append(f"Độ khẩn: {document.marks.urgency}")
    if document.marks.circulation:
        marks.append(document.marks.circulation)
    if document.marks.draft:
        marks.append("DỰ THẢO")
    if marks:
        lines.append("  Dấu hiệu: " + ", ".join(marks))
    # the agency's seal is often applied several times at once: one line per distinct signature
    counted: dict[str, int] = {}
    for s in raw.signatures:
        when = s.signing_time.strftime("%d/%m/%Y %H:%M") if s.signing_time else "không rõ thời điểm"
        state = "" if s.intact is None else (" (toàn vẹn)" if s.intact else " (KHÔNG toàn vẹn)")
        line = f"  Chữ ký số: {s.signer_name or s.subject or s.field_name}, ký lúc {when}{state}"
        counted[line] = counted.get(line, 0) + 1
    lines.extend(line + (f" ×{count}" if count > 1 else "") for line, count in counted.items())
    if raw.legacy_encoding:
        lines.append(f"  Phông chữ cũ: {raw.legacy_encoding} (đã chuyển sang Unicode)")
    if raw.scanned_pages:
        pages = ", ".join(str(p) for p in raw.scanned_pages)
        lines.append(f"  Trang quét (không có lớp chữ): {pages}")
    for note in raw.notes:
        lines.append(f"  Ghi chú: {note}")
    return "\n".join(lines)
