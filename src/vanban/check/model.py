"""Plain data of the dossier checker.

    folder/.zip ──collect──▶ Dossier ──rules──▶ [Finding] ──policy──▶ Decision ──report──▶ …

:class:`DossierResult` is what reports consume: it carries no parsed document,
only what a person needs to see, so it crosses process boundaries cheaply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from ..model import Document

SEVERITIES = ("error", "warning", "info")
SEVERITY_VI = {"error": "Lỗi", "warning": "Cảnh báo", "info": "Thông tin"}

# Roles a file can play in a dossier.
ROLE_SUBMISSION = "submission"
ROLE_DRAFT = "draft"
ROLE_COMMENT = "comment"
ROLE_APPRAISAL = "appraisal"
ROLE_SUPPORTING = "supporting"
ROLE_NOT_PART = "not_part"
ROLE_OTHER = "other"
ROLE_VI = {
    ROLE_SUBMISSION: "văn bản trình",
    ROLE_DRAFT: "dự thảo",
    ROLE_COMMENT: "văn bản góp ý",
    ROLE_APPRAISAL: "báo cáo thẩm định",
    ROLE_SUPPORTING: "tài liệu kèm theo",
    ROLE_NOT_PART: "không thuộc hồ sơ trình",
    ROLE_OTHER: "văn bản khác",
}


@dataclass(frozen=True)
class Finding:
    rule_id: str
    severity: str  # error | warning | info
    message: str  # Vietnamese
    clause: str  # where the rule comes from
    file: Optional[str] = None  # path relative to the dossier
    location: Optional[str] = None  # Location.describe()
    evidence: str = ""
    rule_name: str = ""


@dataclass
class DossierFile:
    """One file of a dossier and what it is."""

    name: str  # relative to the dossier root, "/" separated
    path: Optional[Path]  # where it can be read (a temp dir for zips); None when refused
    size: int = 0
    sha256: str = ""
    role: str = ROLE_OTHER
    role_reason: str = ""
    document: Optional[Document] = None
    problem: Optional[str] = None  # why it could not be read (Vietnamese)
    twin_of: Optional[str] = None  # the other copy of the same document (editable ↔ signed)
    preferred: bool = True  # False for the editable copy when a signed twin exists

    @property
    def is_signed(self) -> bool:
        return bool(self.document and self.document.source.signatures)


@dataclass(frozen=True)
class IntakeProblem:
    """A file refused or unreadable at intake; the VB0xx rules turn it into findings."""

    rule_id: str
    file: Optional[str]
    params: dict


@dataclass
class Dossier:
    name: str
    source: str  # the folder or .zip given by the user
    files: list[DossierFile] = field(default_factory=list)
    intake_findings: list[IntakeProblem] = field(default_factory=list)  # refused members, unreadable files
    classification: Optional[object] = None  # vanban.check.classify.Classification, set by build_dossier

    def with_role(self, role: str, preferred_only: bool = False) -> list[DossierFile]:
        return [f for f in self.files if f.role == role and f.document is not None
                and (f.preferred or not preferred_only)]

    @property
    def submission(self) -> Optional[DossierFile]:
        """The submission to judge: the signed copy when there is one."""
        from .facts import document_date  # late: facts needs the pattern data

        subs = self.with_role(ROLE_SUBMISSION)
        if not subs:
            return None
        # a dossier may hold an older submission on the same matter: the newest one speaks
        newest = {f.name: (document_date(f.document) or dt.date.min).toordinal() for f in subs}
        return sorted(subs, key=lambda f: (not f.preferred, -newest[f.name], not f.is_signed, f.name))[0]

    @property
    def submission_copies(self) -> list[DossierFile]:
        return self.with_role(ROLE_SUBMISSION)


@dataclass(frozen=True)
class CheckOptions:
    """What the user said on the command line about this check."""

    meeting: Optional[dt.date] = None
    meeting_kind: Optional[str] = None
    received: Optional[dt.date] = None
    assigned_to_head: Optional[bool] = None
    today: Optional[dt.date] = None


@dataclass(frozen=True)
class RuleStat:
    rule_id: str
    name: str
    checked: int  # 1 when the rule applied to the dossier, else 0
    failed: int  # number of findings


# What the check concludes. A dossier that cannot be judged from its files is never returned:
# it goes to a person (cần xem trực tiếp); a letter from a ministry is not a dossier at all.
OUTCOME_ACCEPT = "tiep_nhan"
OUTCOME_NOTE = "tiep_nhan_luu_y"
OUTCOME_RETURN = "chuyen_tra"
OUTCOME_LOOK = "can_xem"
OUTCOME_INCOMING = "van_ban_den"
OUTCOME_VI = {
    OUTCOME_ACCEPT: "tiếp nhận",
    OUTCOME_NOTE: "tiếp nhận, lưu ý",
    OUTCOME_RETURN: "chuyển trả",
    OUTCOME_LOOK: "cần xem trực tiếp",
    OUTCOME_INCOMING: "văn bản đến, không phải hồ sơ trình",
}


@dataclass(frozen=True)
class Decision:
    outcome: str  # one of OUTCOME_VI
    label: str  # OUTCOME_VI[outcome]
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class IncomingLetter:
    """A letter from outside the province's administration (văn bản đến), summarised."""

    file: Optional[str] = None  # None when only known from the office's draft that answers it
    doc_type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[str] = None  # ISO
    issuer: Optional[str] = None
    subject: Optional[str] = None
    asks: Optional[str] = None  # what it asks the province to do, as written
    scanned: bool = False  # a scan not read: only its digital signature is known
    known_from: Optional[str] = None  # the draft that cites it


@dataclass(frozen=True)
class FileSummary:
    name: str
    role: str
    role_label: str
    reason: str = ""
    format: Optional[str] = None
    doc_type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[str] = None
    signed: bool = False
    signers: tuple[str, ...] = ()
    problem: Optional[str] = None
    twin_of: Optional[str] = None
    sha256: str = ""


@dataclass(frozen=True)
class SubmissionSummary:
    file: str
    doc_type: Optional[str] = None
    number: Optional[str] = None
    date: Optional[str] = None  # ISO
    issuer: Optional[str] = None
    signer: Optional[str] = None
    signer_position: Optional[str] = None
    subject: Optional[str] = None
    digital_signers: tuple[str, ...] = ()
    number_from: Optional[str] = None  # "văn bản" | "nhận dạng chữ (OCR)"
    found_because: str = ""  # why this file is the submission (content, never the file name)
    chosen_note: str = ""  # which of several submissions was judged, and why
    ocr: bool = False  # the facts were read from a scan by OCR
    date_note: str = ""  # the date disagrees with the digital signature's time


@dataclass(frozen=True)
class LegalBasisStatus:
    """One legal basis of the submission and whether it is in force (for the phiếu trình)."""

    text: str  # as cited, shortened: "Luật Tổ chức chính quyền địa phương số 72/2025/QH15"
    status: str  # Vietnamese: "còn hiệu lực", "không còn hiệu lực tại ngày …", "chưa có trong sổ …"
    in_force: Optional[bool] = None  # None: not in the legal-basis registry


@dataclass(frozen=True)
class ReviewFacts:
    """What a draft phiếu trình needs beyond the summary, read from the parsed documents.

    Filled only when asked (``CheckSettings.review``): plain data, so it crosses process
    boundaries with the rest of the result.
    """

    recipients: tuple[str, ...] = ()  # Kính gửi of the submission
    authority: Optional[str] = None  # who is asked to decide: "chu_tich" | "ubnd" | None
    recommendation: Optional[str] = None  # the submission's own request, as written
    legal_bases: tuple[LegalBasisStatus, ...] = ()
    bases_from_citations: bool = False  # no "Căn cứ" lines: the normative documents cited in the text
    as_of: Optional[str] = None  # ISO day the bases were judged at
    secrecy: Optional[str] = None  # the highest secrecy mark in the dossier
    urgency: Optional[str] = None  # the submission's urgency mark
    scanned: bool = False  # the submission has no text layer
    ocr: bool = False  # the submission's text was read by OCR


@dataclass(frozen=True)
class DossierResult:
    name: str
    source: str
    decision: Decision
    files: tuple[FileSummary, ...] = ()
    submission: Optional[SubmissionSummary] = None
    findings: tuple[Finding, ...] = ()
    rule_stats: tuple[RuleStat, ...] = ()
    failed: Optional[str] = None  # the dossier could not be checked at all (Vietnamese)
    review: Optional[ReviewFacts] = None  # only with CheckSettings.review (vanban check --review-form)
    kind: str = "submission"  # what the dossier is (vanban.check.classify): submission | incoming | …
    incoming: tuple[IncomingLetter, ...] = ()  # văn bản đến found in the folder
    items: tuple[str, ...] = ()  # a collection's distinct submissions

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def returned(self) -> bool:
        return self.decision.outcome == OUTCOME_RETURN

    @property
    def needs_look(self) -> bool:
        return self.decision.outcome == OUTCOME_LOOK
