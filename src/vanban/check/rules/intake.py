"""VB0xx: files that could not be taken in (unreadable, refused zip members, scans)."""

from __future__ import annotations

from . import Hit, RuleContext, rule


def _hits(ctx: RuleContext, rule_id: str) -> list[Hit]:
    return [Hit(file=p.file, params=p.params, evidence=str(p.params.get("problem", "")))
            for p in ctx.dossier.intake_findings if p.rule_id == rule_id]


@rule("VB001")
def unreadable_files(ctx: RuleContext):
    return _hits(ctx, "VB001")


@rule("VB002")
def refused_zip_members(ctx: RuleContext):
    if not ctx.dossier.source.lower().endswith(".zip"):
        return None
    return _hits(ctx, "VB002")


@rule("VB003")
def scanned_files(ctx: RuleContext):
    return _hits(ctx, "VB003")


@rule("VB004")
def submission_only_scanned(ctx: RuleContext):
    kind = getattr(ctx.dossier.classification, "kind", None)
    if kind == "unreadable":
        # no readable submission, and scans nobody has read: the submission is most likely among them
        scans = [f for f in ctx.dossier.files if f.document is not None and f.document.source.is_scan]
        return [Hit(file=f.name, params={"detail": UNREAD}) for f in scans[:1]]
    if not ctx.dossier.submission_copies:
        return None
    copies = ctx.dossier.submission_copies
    if any(f.document and not f.document.source.is_scan and not f.document.source.ocr_pages for f in copies):
        return []  # a copy with a text layer was read: the content rules did their work
    read = [f for f in copies if f.document and f.document.source.ocr_pages]
    if read:
        return [Hit(file=f.name, params={"detail": OCR_READ}) for f in read[:1]]
    scanned = [f for f in copies if f.document]
    return [Hit(file=f.name, params={"detail": UNREAD}) for f in scanned[:1]]


UNREAD = ("căn cứ pháp lý, nội dung đề xuất và thẩm quyền ký chưa được kiểm tra tự động, phải xem trực tiếp "
          "trước khi tiếp nhận.")
OCR_READ = ("nội dung được đọc bằng nhận dạng chữ (OCR), số và ngày viết tay thường không đọc được; "
            "cần đối chiếu số, ngày, người ký với bản gốc.")
