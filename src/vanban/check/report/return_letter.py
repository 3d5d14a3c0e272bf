"""A draft công văn trả hồ sơ for each dossier the check returns.

    DossierResult (chuyển trả) ──return_letter_data──▶ data of the ``tra-ho-so`` kind ──render──▶ .docx

The letter names the submission (type, number, date, issuer, trích yếu) and
lists the faults that made the policy return it, in the words of the findings
without rule codes (the agency reads it, not the office's tooling). It is a
draft: no number is taken from the outgoing register, so nothing is issued
until the office signs.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Optional

from ...errors import ConfigError
from ..model import DossierResult
from .per_dossier import DocumentOutcome, Skip, write_per_dossier
from .prose import decision_reasons
from .review_form import _submission

KIND = "tra-ho-so"
FILE_SUFFIX = "-tra-ho-so.docx"
_VV = re.compile(r"^(?:V/v|Về việc)\s*:?\s*", re.IGNORECASE)


def return_letter_data(result: DossierResult, *, unit: str, signer: str, date: Optional[dt.date] = None,
                       issued_by: str = "ubnd", office_short_name: str = "UBND tỉnh") -> dict:
    """The data of the ``tra-ho-so`` kind for one returned dossier; Skip when no letter can or need be drafted."""
    if result.failed:
        raise Skip(f"hồ sơ không kiểm tra được ({result.failed}): soạn công văn bằng `vanban generate tra-ho-so`")
    if result.decision.outcome == "can_xem":
        raise Skip("hồ sơ cần xem trực tiếp: chưa đủ căn cứ để trả hồ sơ")
    if result.decision.outcome == "van_ban_den":
        raise Skip("văn bản đến, không phải hồ sơ trình: không có công văn trả hồ sơ")
    if result.decision.outcome != "chuyen_tra":
        raise Skip("hồ sơ được tiếp nhận: không cần công văn trả hồ sơ")
    submission = _submission(result)
    if submission is None:
        raise Skip("hồ sơ không có văn bản trình: không rõ cơ quan trình để gửi công văn trả hồ sơ")
    missing = [label for label, key in (("số, ký hiệu", "number"), ("ngày", "date"), ("cơ quan trình", "issuer"))
               if not submission.get(key)]
    if missing:
        raise Skip("văn bản trình chưa rõ " + ", ".join(missing)
                   + ": soạn công văn trả hồ sơ bằng `vanban generate tra-ho-so`")
    # the faults to mend, as the agency reads them; a summary reason (too many warnings) names none
    reasons = decision_reasons(result, summaries=False)
    if not reasons:
        raise Skip("chính sách chuyển trả hồ sơ nhưng không có lỗi cụ thể để nêu")
    subject = _VV.sub("", submission["subject"] or "").strip() or None
    doc_type = submission["doc_type"]
    return {
        "number": "",
        "date": (date or dt.date.today()).isoformat(),
        "subject": f"trả hồ sơ {doc_type[:1].lower()}{doc_type[1:]} số {submission['number']}",
        "unit": unit,
        "signer": signer,
        "issued_by": issued_by,
        "recipients": [submission["issuer"]],
        # then "- Lưu: VT, <unit>." from the template; the Văn phòng reports to the UBND's leaders
        "distribution": ["Như trên"] + ([f"Lãnh đạo {office_short_name} (để báo cáo)"]
                                        if issued_by == "van-phong" else []),
        "dossier": {"title": doc_type, "number": submission["number"], "date": submission["date"],
                    "issuer": submission["issuer"], "subject": subject},
        "reasons": reasons,
    }


def write_return_letters(results: list[DossierResult], target: Path, office, *, unit: str, signer: str,
                         single: bool, force: bool = False, names=None) -> list[DocumentOutcome]:
    """One draft letter per returned dossier (see per_dossier for where they go; ``names``: per_dossier.Names)."""
    from ...generate.render import render_document

    by = return_issuer(office, signer)

    def write_one(result: DossierResult, path: Path) -> Path:
        data = return_letter_data(result, unit=unit, signer=signer, issued_by=by, office_short_name=office.short_name)
        return render_document(KIND, data, path, office=office, force=force).path

    # an accepted dossier needs no letter: it is left out, not reported
    returned = [r for r in results if r.failed or r.decision.outcome == "chuyen_tra"]
    return write_per_dossier(returned, Path(target), FILE_SUFFIX, single=single, write_one=write_one,
                             names=names)


def _of_van_phong(signer) -> bool:
    return "VĂN PHÒNG" in signer.position.upper()


def return_signer(office, key: Optional[str]) -> str:
    """The signer given (it must be in the office profile); else the Chánh Văn phòng, as the Văn phòng
    returns dossiers in practice; else the first deputy chair who signs ``KT.``, else the first signer."""
    if key:
        office.signer(key)  # ConfigError naming the known signers when unknown
        return key
    if not office.signers:
        raise ConfigError("hồ sơ cơ quan không có người ký (signers): dùng --signer KHÓA", office.source)
    head = next((s for s in office.signers if _of_van_phong(s) and not s.authority), None)
    deputy = next((s for s in office.signers if (s.authority or "").upper().startswith("KT.")), None)
    return (head or deputy or office.signers[0]).key


def return_issuer(office, key: str) -> str:
    """``van-phong`` when a leader of the Văn phòng signs in its own name (Chánh Văn phòng, KT. CHÁNH VĂN
    PHÒNG), else ``ubnd`` (a chair, or the Văn phòng signing TL./TUQ. for the UBND)."""
    signer = office.signer(key)
    for_ubnd = (signer.authority or "").upper().startswith(("TL.", "TUQ.", "TM."))
    return "van-phong" if _of_van_phong(signer) and not for_ubnd else "ubnd"
