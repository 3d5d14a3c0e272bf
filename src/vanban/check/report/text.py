"""The report a person reads (Vietnamese)."""

from __future__ import annotations

import datetime as dt

from ..model import SEVERITY_VI, DossierResult
from .prose import agency_name

OUTCOME_MARK = {"tiep_nhan": "✔", "tiep_nhan_luu_y": "✔ (lưu ý)", "chuyen_tra": "✘", "can_xem": "?", "van_ban_den": "→"}


def _date_vi(iso: str | None) -> str:
    if not iso:
        return "(không có)"
    d = dt.date.fromisoformat(iso)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def dossier_text(r: DossierResult) -> str:
    lines = [f"HỒ SƠ: {r.name}", f"  Nguồn: {r.source}",
             f"  Kết luận: {r.decision.label.upper()} {OUTCOME_MARK.get(r.decision.outcome, '')}"]
    if r.failed:
        lines.append(f"  Không kiểm tra được: {r.failed}")
    elif r.decision.outcome in ("can_xem", "van_ban_den"):
        lines += [f"  Lý do: {reason}" for reason in r.decision.reasons]
    for letter in r.incoming:
        lines.append("  Văn bản đến:")
        kind = letter.doc_type or "(không rõ loại)"
        lines.append(f"    Loại: {kind}; số, ký hiệu: {letter.number or '(không rõ)'}; ngày: {_date_vi(letter.date)}")
        lines.append(f"    Cơ quan ban hành: {agency_name(letter.issuer) if letter.issuer else '(không rõ)'}")
        if letter.subject:
            lines.append(f"    Trích yếu: {letter.subject}")
        if letter.asks:
            lines.append(f"    Nội dung đề nghị: {letter.asks}")
        if letter.file:
            lines.append(f"    Tệp: {letter.file}" + (" (bản quét, chưa đọc được nội dung)" if letter.scanned else ""))
        elif letter.known_from:
            lines.append(f"    Không có trong thư mục; biết qua dự thảo: {letter.known_from}")
    if r.files:
        lines.append("  Các tệp:")
        for f in r.files:
            extra = []
            if f.reason and f.reason != f.role_label:
                extra.append(f.reason)
            if f.signed:
                extra.append("đã ký số" + (f" ({', '.join(dict.fromkeys(f.signers))})" if f.signers else ""))
            if f.twin_of:
                extra.append(f"cùng văn bản với '{f.twin_of}'")
            if f.problem:
                extra.append(f"không đọc được: {f.problem}")
            lines.append(f"    - {f.name}: {f.role_label}" + (f" — {'; '.join(extra)}" if extra else ""))
    s = r.submission
    if s:
        lines.append("  Văn bản trình:")
        number = s.number or "(không có)"
        if s.ocr:
            number += " (đọc từ bản quét bằng nhận dạng chữ, cần đối chiếu)"
        lines.append(f"    Loại: {s.doc_type or '(không rõ)'}; số, ký hiệu: {number}; ngày: {_date_vi(s.date)}")
        lines.append(f"    Cơ quan trình: {agency_name(s.issuer) if s.issuer else '(không rõ)'}")
        signer = s.signer or "(không rõ)"
        if s.signer_position:
            signer += f" ({s.signer_position})"
        lines.append(f"    Người ký: {signer}" + (f"; chữ ký số: {', '.join(s.digital_signers)}" if s.digital_signers else ""))
        if s.subject:
            lines.append(f"    Trích yếu: {s.subject}")
        if s.found_because:
            lines.append(f"    Nhận biết: {s.found_because}")
        if s.date_note:
            lines.append(f"    Lưu ý về ngày: {s.date_note}")
        if s.chosen_note:
            lines.append(f"    {s.chosen_note}")
    for severity in ("error", "warning", "info"):
        group = [f for f in r.findings if f.severity == severity]
        if not group:
            continue
        lines.append(f"  {SEVERITY_VI[severity]} ({len(group)}):")
        for f in group:
            where = ", ".join(x for x in (f.file, f.location) if x)
            lines.append(f"    [{f.rule_id}] {f.message}" + (f"\n        tại: {where}" if where else ""))
            if f.clause:
                lines.append(f"        căn cứ: {f.clause}")
    if r.rule_stats:
        checked = sum(1 for st in r.rule_stats if st.checked)
        failed = sum(1 for st in r.rule_stats if st.failed)
        lines.append(f"  Quy tắc: {checked} áp dụng, {checked - failed} đạt, {failed} không đạt.")
    return "\n".join(lines)


def _total(counts: dict[str, int], count: int) -> str:
    summary = "; ".join(f"{k}: {v}" for k, v in counts.items())
    return f"TỔNG HỢP: {count} hồ sơ — {summary}."


def to_text(results: list[DossierResult]) -> str:
    parts = [dossier_text(r) for r in results]
    if len(results) > 1:
        counts = {}
        for r in results:
            counts[r.decision.label] = counts.get(r.decision.label, 0) + 1
        parts.append(_total(counts, len(results)))
    return "\n\n".join(parts) + "\n"


class TextRenderer:
    """``to_text`` one dossier at a time (the total, for a batch, from running counts)."""

    spool = False

    def __init__(self):
        self.counts: dict[str, int] = {}
        self.count = 0

    def add(self, result: DossierResult) -> str:
        text = ("\n\n" if self.count else "") + dossier_text(result)
        self.count += 1
        self.counts[result.decision.label] = self.counts.get(result.decision.label, 0) + 1
        return text

    def finish(self) -> tuple[str, str]:
        return "", ("\n\n" + _total(self.counts, self.count) if self.count > 1 else "") + "\n"
