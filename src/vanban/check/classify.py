"""What a dossier is, read from its content: who writes to whom, what is asked, what is signed.

    Dossier (files with documents) ──classify──▶ Classification

A file is the **submission** when an agency writes to the People's Committee
(or its chair) and asks for a decision, whatever its type (tờ trình, công văn
đề trình, báo cáo đề xuất) and whatever its file name. A letter from a
ministry, the government office or the party committee is **văn bản đến**:
summarised, not judged. A dossier whose submission is only a scan that could
not be read, or that holds no submission at all, **needs a look** by a person;
a folder holding several unrelated submissions is a **collection**.

Nothing here looks at file or folder names.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Optional

from ..model import Citation, Document
from ..text import fold, squash_spaces
from . import facts
from .model import DossierFile, IncomingLetter
from .patterns import patterns

KIND_SUBMISSION = "submission"
KIND_INCOMING = "incoming"
KIND_UNREADABLE = "unreadable"
KIND_NO_SUBMISSION = "no_submission"
KIND_COLLECTION = "collection"


def _folded(text: Optional[str]) -> str:
    return squash_spaces(fold(text or ""))


def issuer_text(doc: Document) -> str:
    """The issuing agency, folded ("so noi vu", "uy ban nhan dan tinh lam dong", "bo cong an")."""
    if doc.issuing_agency is not None:
        return _folded(doc.issuing_agency.text)
    return ""


def readable(doc: Optional[Document]) -> bool:
    """A text a person could have read: not a scan, and not a handful of stamp words."""
    if doc is None or doc.source.is_scan:
        return False
    return len(re.sub(r"\s+", "", doc.source.text)) >= 60


def is_ubnd(doc: Document) -> bool:
    """Issued by a People's Committee itself (not by one of its agencies or its office)."""
    issuer = issuer_text(doc)
    if patterns().ubnd_issuer.search(issuer):
        return True
    number = doc.number
    return bool(not issuer and number is not None and fold(number.issuer_abbr or "") == "ubnd")


def is_office(doc: Document) -> bool:
    return bool(patterns().office_issuer.search(issuer_text(doc)))


def is_central(doc: Document) -> bool:
    """Issued outside the province's administration: a ministry, the government, the party."""
    # the issuing agency decides: Công an tỉnh writes under "BỘ CÔNG AN" and is the province's own
    text = issuer_text(doc) or (_folded(doc.parent_agency.text) if doc.parent_agency else "")
    if text and patterns().central_agency.search(text):
        return True
    number = doc.number
    if number is not None and number.issuer_abbr and patterns().central_symbol.search(fold(number.issuer_abbr)):
        return True
    return False


def is_organisation(doc: Document) -> bool:
    return bool(patterns().organisation.search(issuer_text(doc)))


def signed_by_central(doc: Document) -> Optional[str]:
    """The signer of a digital signature that is a ministry itself (scans of letters from a Bộ).

    Only the certificate's name counts: the organisation of Công an tỉnh's certificates is also "BỘ CÔNG AN".
    """
    for sig in doc.source.signatures:
        name = sig.signer_name
        if name and patterns().central_agency.search(_folded(name)):
            return name
    return None


def addressed_to_ubnd(doc: Document) -> bool:
    recipients = " | ".join(_folded(r) for r in doc.recipients)
    if recipients and patterns().addressed_to_ubnd.search(recipients):
        return True
    # "Kính trình Ủy ban nhân dân tỉnh …" in the text when the Kính gửi line was not found
    if not doc.recipients:
        return bool(re.search(r"kinh trinh (uy ban nhan dan|ubnd|chu tich)", facts.folded_text(doc)))
    return False


def request_sentence(doc: Document) -> Optional[str]:
    """The sentence that asks the People's Committee for a decision, as written."""
    pat = patterns().asks_decision
    for rec in doc.recommendations:
        if pat.search(_folded(rec.text)):
            return squash_spaces(rec.text)
    for block in doc.body or doc.source.blocks:
        if pat.search(_folded(block.text)) and re.search(r"kinh trinh|kinh de nghi|de nghi (uy ban|ubnd|chu tich)",
                                                          _folded(block.text)):
            return squash_spaces(block.text)
    return None


def _is_comment_or_form(doc: Document) -> bool:
    heading = facts.heading_text(doc)
    return bool(re.search(r"^phieu trinh|\bgop y\b|tham gia y kien", heading))


def submission_reason(df: DossierFile) -> Optional[str]:
    """Why this file is the submission (Vietnamese), or None when it is not one."""
    doc = df.document
    if not readable(doc) or doc.marks.draft:
        return None
    if is_central(doc) or is_office(doc) or _is_comment_or_form(doc):
        return None
    kind = facts.doc_kind(doc)
    to_ubnd = addressed_to_ubnd(doc)
    if is_ubnd(doc):
        # a People's Committee of a lower level (xã, phường, đặc khu) submitting to the province is an agency
        # like any other; the province's own documents and drafts are not submissions
        lower = re.search(r"\b(xa|phuong|dac khu|huyen|thi tran|thi xa)\b", issuer_text(doc))
        if not lower or not to_ubnd:
            return None
    if kind == "to trinh":
        if doc.recipients and not to_ubnd:
            return None  # a tờ trình to the People's Council or a ministry is not ours to judge
        return "tờ trình gửi Ủy ban nhân dân"
    if not issuer_text(doc):
        return None  # who writes is not known (an OCR'd bundle of an association's papers): not a submission
    request = request_sentence(doc)
    if request is None:
        return None
    # "Kính gửi: Đồng chí …, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh" may wrap; the request names the addressee too
    if not to_ubnd and not re.search(r"(kinh trinh|kinh de nghi|de nghi) (dong chi )?(chu tich|uy ban nhan dan|ubnd|"
                                     r"thuong truc)", _folded(request)):
        return None
    label = {"cong van": "công văn đề trình", "bao cao": "báo cáo đề xuất"}.get(kind or "", "văn bản đề trình")
    return f"{label}: gửi Ủy ban nhân dân, đề nghị xem xét, quyết định"


# --------------------------------------------------------------------------
# Incoming letters
# --------------------------------------------------------------------------

def _date_text(day: Optional[dt.date]) -> Optional[str]:
    return day.isoformat() if day else None


def incoming_letter(df: DossierFile) -> Optional[IncomingLetter]:
    """A letter from outside the province's administration, read (or known from its signature)."""
    doc = df.document
    if doc is None:
        return None
    if readable(doc) and is_central(doc):
        issuer = doc.issuing_agency.text if doc.issuing_agency else (doc.parent_agency.text if doc.parent_agency else None)
        asks = next((squash_spaces(r.text) for r in doc.recommendations), None)
        return IncomingLetter(file=df.name, doc_type=doc.doc_type, number=facts.number_text(doc.number),
                              date=_date_text(facts.document_date(doc)),
                              issuer=squash_spaces(issuer) if issuer else None,
                              subject=squash_spaces(doc.subject.text) if doc.subject else None, asks=asks)
    central = signed_by_central(doc)
    if central and not readable(doc):
        return IncomingLetter(file=df.name, issuer=squash_spaces(central), scanned=True,
                              date=_date_text(facts.document_date(doc)))
    return None


def _cited_incoming(doc: Document) -> Optional[Citation]:
    """The letter from outside that a draft of the People's Committee answers ("nhận được Công văn số …")."""
    if facts.doc_kind(doc) != "cong van":
        return None  # a plan or report "thực hiện Quyết định …" of a ministry is a draft of a submission
    opening = " ".join(b.text for b in (doc.body or doc.source.blocks)[:6])
    if doc.subject is not None:
        opening = doc.subject.text + " " + opening
    if not patterns().answers_letter.search(_folded(opening)):
        return None
    found = []
    for citation in doc.citations:
        if _folded(citation.doc_type) not in _LETTER_KINDS:
            continue  # a decree or a decision of the government is a legal basis, not a letter to answer
        issuer = _folded(citation.issuer)
        symbol_issuer = ""
        if citation.symbol and "/" in citation.symbol and "-" in citation.symbol.split("/", 1)[1]:
            symbol_issuer = fold(citation.symbol.split("/", 1)[1].split("-")[1])
        if (issuer and patterns().central_agency.search(issuer)) or (
                symbol_issuer and patterns().central_symbol.search(symbol_issuer)):
            found.append(citation)
    if not found:
        return None
    # the same letter may be cited twice (trích yếu without its date, body with it): take the fullest
    first = found[0]
    same = [c for c in found if c.symbol == first.symbol]
    return max(same, key=lambda c: (c.issued is not None, c.issuer is not None, bool(c.title)))


_LETTER_KINDS = {"cong van", "van ban", "huong dan", "ke hoach", "cong dien", "thong bao", "chi thi"}


# --------------------------------------------------------------------------
# The dossier as a whole
# --------------------------------------------------------------------------

@dataclass
class Classification:
    kind: str
    reason: str = ""  # office prose, for the decision
    incoming: list[IncomingLetter] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # a collection's distinct submissions or documents
    chosen_note: str = ""  # which submission was chosen and why, when several were there


def _agency(raw: str) -> str:
    from .report.review_form import agency_name  # presentation: "SỞ NỘI VỤ" → "Sở Nội vụ"

    return agency_name(raw)


def _phrase(doc_type: Optional[str], number: Optional[str], day: Optional[dt.date], issuer: Optional[str],
            subject: Optional[str], lower_first: bool = True) -> str:
    """``Công văn số 427/BCA-C04 ngày 02/02/2026 của Bộ Công an về …``: a document as an office names it."""
    parts = [doc_type or "Văn bản"]
    if number:
        parts.append(f"số {number}")
    if day:
        parts.append(f"ngày {day:%d/%m/%Y}")
    if issuer:
        parts.append(f"của {_agency(issuer)}")
    text = " ".join(parts)
    subject = re.sub(r"^(V/v|Về việc)\s*", "", squash_spaces(subject or ""), flags=re.IGNORECASE).rstrip(". ")
    if lower_first:
        subject = subject[:1].lower() + subject[1:]
    return f"{text} về {subject}" if subject else text


def _describe(df: DossierFile) -> str:
    doc = df.document
    return _phrase(doc.doc_type, facts.number_text(doc.number), facts.document_date(doc),
                   doc.issuing_agency.text if doc.issuing_agency else None, doc.subject.text if doc.subject else None)


def _subject_key(df: DossierFile) -> str:
    doc = df.document
    text = _folded(doc.subject.text if doc.subject else "")
    text = re.sub(r"^(v/v|ve viec)\s*", "", text)
    return re.sub(r"[^a-z0-9 ]", "", text)


def _same_matter(a: DossierFile, b: DossierFile) -> bool:
    ka, kb = _subject_key(a), _subject_key(b)
    if not ka or not kb:
        return True  # cannot tell: do not split
    wa, wb = set(ka.split()), set(kb.split())
    return len(wa & wb) / max(1, min(len(wa), len(wb))) >= 0.6


def _depth(df: DossierFile) -> int:
    return len(PurePosixPath(df.name).parts)


def classify(files: list[DossierFile]) -> Classification:
    """Decide what the dossier is; the caller has already given roles (submission files are known)."""
    from .model import ROLE_SUBMISSION

    subs = [f for f in files if f.role == ROLE_SUBMISSION and f.document is not None]
    if subs:
        distinct: list[DossierFile] = []
        for f in sorted(subs, key=lambda f: (not f.preferred, _depth(f))):
            if f.preferred and not any(facts.number_text(f.document.number) and facts.number_text(f.document.number) == facts.number_text(d.document.number)
                                       or f.twin_of == d.name or d.twin_of == f.name for d in distinct):
                distinct.append(f)
        matters: list[list[DossierFile]] = []
        for f in distinct:
            home = next((m for m in matters if _same_matter(m[0], f)), None)
            if home is None:
                matters.append([f])
            else:
                home.append(f)
        if len(matters) > 1:
            items = [_describe(m[0]) for m in matters]
            return Classification(KIND_COLLECTION, items=items, reason=(
                f"Thư mục gồm {len(matters)} văn bản trình về những việc khác nhau ("
                + "; ".join(items) + "), không phải một hồ sơ: cần tách từng hồ sơ để kiểm tra"))
        group = matters[0]
        note = ""
        if len(group) > 1:
            # Dossier.submission takes the newest: say so, naming the others
            newest = max(group, key=lambda f: (facts.document_date(f.document) or dt.date.min, f.is_signed))
            others = [g for g in group if g is not newest]
            note = (f"Hồ sơ có {len(group)} văn bản trình cùng nội dung; vanban xét văn bản mới nhất: "
                    f"{_describe(newest)}; văn bản còn lại: " + "; ".join(_describe(o) for o in others) + ".")
        return Classification(KIND_SUBMISSION, chosen_note=note)

    incoming = [letter for f in files if (letter := incoming_letter(f)) is not None]
    readable_docs = [f for f in files if readable(f.document)]
    unreadable = [f for f in files if f.document is not None and not readable(f.document)]
    # a scan signed by the province's own agency (Công an tỉnh's tờ trình) is most likely the submission
    own_scans = [f for f in unreadable if f.document.source.signatures and not signed_by_central(f.document)]
    if not incoming:
        # the office's own draft answering a letter from a ministry: the letter is văn bản đến
        for f in readable_docs:
            if is_ubnd(f.document) and not facts.is_signed(f.document):
                cited = _cited_incoming(f.document)
                if cited is not None:
                    incoming.append(IncomingLetter(file=None, doc_type=cited.doc_type, number=cited.symbol,
                                                   date=_date_text(cited.issued), issuer=cited.issuer,
                                                   subject=cited.title, known_from=f.name))
                    break
    if incoming and not own_scans:
        first = incoming[0]
        return Classification(KIND_INCOMING, incoming=incoming, reason=incoming_sentence(first).rstrip("."))
    scanned = [f for f in unreadable if f.document.source.page_count]
    if scanned:
        return Classification(KIND_UNREADABLE, reason=(
            f"Hồ sơ có {len(scanned)} văn bản quét chưa đọc được nội dung và không có văn bản trình đọc được: "
            "cần xem trực tiếp văn bản trình"))
    if readable_docs and all(is_ubnd(f.document) or is_office(f.document) for f in readable_docs):
        items = [_describe(f) for f in readable_docs if f.preferred]
        return Classification(KIND_NO_SUBMISSION, items=items, reason=(
            "Thư mục chỉ có văn bản, dự thảo của Ủy ban nhân dân (" + "; ".join(dict.fromkeys(items))
            + "), không có tờ trình hay "
            "công văn đề trình của cơ quan trình: cần xem trực tiếp"))
    return Classification(KIND_NO_SUBMISSION, reason=(
        "Không thấy văn bản trình (tờ trình hoặc công văn đề trình gửi Ủy ban nhân dân) trong hồ sơ; "
        "văn bản trình có thể được gửi riêng: cần xem trực tiếp"))


def incoming_sentence(letter: IncomingLetter) -> str:
    text = _phrase(letter.doc_type, letter.number, dt.date.fromisoformat(letter.date) if letter.date else None,
                   letter.issuer, letter.subject, lower_first=False)
    if letter.scanned:
        text += " (bản quét, chưa đọc được nội dung)"
    if letter.known_from and not letter.file:
        text += " (văn bản đến không có trong thư mục; thư mục có dự thảo văn bản của Ủy ban nhân dân trả lời, giao thực hiện)"
    return f"Văn bản đến, không phải hồ sơ trình: {text}"
