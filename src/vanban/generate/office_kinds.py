"""What a Văn phòng drafts every day: quyết định (cá biệt), tờ trình, giấy mời, thông báo kết luận.

Pure functions from validated data to the fields each template adds to the common context of
``render.build_context`` (``_kind_context`` hands these kinds over here). Punctuation that
Nghị định 30 fixes (``;`` after each căn cứ, ``.`` after the last, ``./.`` at the end of the body)
is put here, so neither the data nor the template has to get it right.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

from ..errors import ConfigError
from ..text import fold, squash_spaces
from .filters import ngay_nd30, to_date
from .office import OfficeProfile, Signer
from .render import Issuer, issuer, kind_spec, roman

END_MARK = "./."
TL_CHU_TICH = "TL. CHỦ TỊCH"  # the Văn phòng signs for the Chủ tịch (Nghị định 30, Điều 13)
_POSITIONS_IN_PROSE = {  # a position as written inside a sentence
    "CHỦ TỊCH": "Chủ tịch",
    "PHÓ CHỦ TỊCH": "Phó Chủ tịch",
    "PHÓ CHỦ TỊCH THƯỜNG TRỰC": "Phó Chủ tịch Thường trực",
    "CHÁNH VĂN PHÒNG": "Chánh Văn phòng",
    "PHÓ CHÁNH VĂN PHÒNG": "Phó Chánh Văn phòng",
}
_WEEKDAYS = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
_TIME = re.compile(r"^([01]?\d|2[0-3])[:hg]([0-5]\d)$")


def position_in_prose(position: str) -> str:
    """``PHÓ CHỦ TỊCH`` → ``Phó Chủ tịch`` (as in ``Phó Chủ tịch UBND tỉnh Lê Thị Hồng Nhung``)."""
    key = " ".join(position.split()).upper()
    return _POSITIONS_IN_PROSE.get(key, key.capitalize())


def _trim(text: str) -> str:
    """A line's own end punctuation, dropped: the document decides it."""
    return text.strip().rstrip(".;:,").rstrip()


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def punctuated(lines: list[str], last: str = ".") -> list[str]:
    """``;`` after each line, ``last`` after the last one (căn cứ, lists of invitees)."""
    trimmed = [_trim(line) for line in lines]
    return [line + (last if i == len(trimmed) - 1 else ";") for i, line in enumerate(trimmed)]


def with_end_mark(text: str) -> str:
    """The last sentence of the body ends with ``./.`` (once)."""
    text = text.strip()
    if text.endswith(END_MARK):
        return text
    return text.rstrip(".;:,") + END_MARK


def _is_van_phong(signer: Signer) -> bool:
    return "VĂN PHÒNG" in signer.position.upper()


def authority_lines(signer: Signer, by: Issuer, office: OfficeProfile, *, decided_by: Optional[str] = None,
                    override: Optional[list[str] | str] = None, none_given: bool = False) -> list[str]:
    """The lines above the position (Nghị định 30, Điều 13).

    - a decision of the UBND (``decided_by: ubnd``): ``TM. ỦY BAN NHÂN DÂN``, and ``KT. CHỦ TỊCH`` under it
      when a Phó Chủ tịch signs; a decision of the Chủ tịch: nothing, or ``KT. CHỦ TỊCH``;
    - a document of the UBND signed by the Văn phòng: ``TL. CHỦ TỊCH`` (and ``KT. CHÁNH VĂN PHÒNG``
      when a Phó Chánh Văn phòng signs);
    - otherwise the signer's own authority from the office profile (``KT. CHÁNH VĂN PHÒNG``, ``KT. CHỦ TỊCH``).
    """
    if none_given:  # the data says ``authority: null``: signs in their own name
        return []
    if override:
        return [override] if isinstance(override, str) else list(override)
    own = [signer.authority] if signer.authority else []
    deputy = bool(own) and own[0].startswith("KT.")
    if not by.van_phong and _is_van_phong(signer):
        return [TL_CHU_TICH] + own
    if decided_by == "chu-tich":
        return own if deputy else []
    if decided_by == "ubnd":
        return [f"TM. {office.collective}"] + (own if deputy else [])
    return own


def _signer_context(data: dict, office: OfficeProfile, by: Issuer, decided_by: Optional[str] = None) -> dict:
    signer = office.signer(data["signer"])
    lines = authority_lines(signer, by, office, decided_by=decided_by, override=data.get("authority"),
                            none_given="authority" in data and data["authority"] is None)
    # several lines: line breaks inside the one authority paragraph of the signature block
    return {"authority": "\n".join(lines) or None, "position": signer.position, "name": signer.name}


def _chair(data: dict, office: OfficeProfile) -> dict:
    """The leader who chairs the meeting: ``Phó Chủ tịch UBND tỉnh Lê Thị Hồng Nhung``."""
    try:
        signer = office.signer(data["chair"])
    except ConfigError as exc:  # the fault is in the data: name its field
        raise ConfigError(f"trường 'chair': {exc.message}") from None
    title = f"{position_in_prose(signer.position)} {office.short_name}"
    return {"name": signer.name, "title": title, "full": f"{title} {signer.name}"}


def _items(entries: list[dict]) -> list[dict]:
    """Numbered entries (Điều 1, 2…; conclusions 1, 2…), each with its own lines under it."""
    return [{"number": i, "text": entry["text"], "items": list(entry.get("items") or [])}
            for i, entry in enumerate(entries, start=1)]


def _join_executors(executors: list[str]) -> str:
    """``A, B và C`` — ``A; B: x, y; C và D`` when one of them holds a comma or a colon."""
    names = [_trim(e) for e in executors]
    sep = "; " if any("," in n or ":" in n for n in names) else ", "
    return names[0] if len(names) == 1 else sep.join(names[:-1]) + " và " + names[-1]


# ---------------------------------------------------------------- quyết định

def _led(text: str, lead: str, known: tuple[str, ...]) -> str:
    """``lead`` before a line that does not begin with one of the ``known`` openings (folded)."""
    text = _trim(text)
    return _first_upper(text) if fold(text).startswith(known) else f"{lead} {text}"


def bases_lines(bases: list[str]) -> list[str]:
    """Each line begins with ``Căn cứ`` (added when the data left it out)."""
    return [_led(b, "Căn cứ", ("can cu ",)) for b in bases]


def _quyet_dinh(data: dict, office: OfficeProfile, by: Issuer) -> dict:
    decided_by = data.get("decided_by") or "ubnd"
    collective = office.agency_name.upper()
    heading = collective if decided_by == "ubnd" else f"CHỦ TỊCH {collective}"
    bases = bases_lines(data["bases"])
    proposal = _led(data["proposal"], "Theo đề nghị của", ("theo de nghi", "xet de nghi")) \
        if data.get("proposal") else None
    preamble = punctuated(bases + ([proposal] if proposal else []))
    articles = _items(data["articles"])
    effect = data["effect"] if "effect" in data else "Quyết định này có hiệu lực kể từ ngày ký."
    if effect:
        articles.append({"number": len(articles) + 1, "text": _trim(effect) + ".", "items": []})
    executing = len(articles) + 1
    execution = {"number": executing, "text": with_end_mark(f"{_join_executors(data['executors'])} chịu trách "
                                                            "nhiệm thi hành Quyết định này")}
    # the executing article's addressees first in the Nơi nhận, whatever the data wrote
    distribution = [f"Như Điều {executing}"] + [_trim(d) for d in data.get("distribution") or []
                                                 if not fold(d).startswith("nhu dieu")]
    return {"decided_by": decided_by, "authority_heading": heading, "bases": preamble[:len(bases)],
            "proposal": preamble[-1] if proposal else None, "preamble": preamble, "articles": articles,
            "execution": execution, "effect": effect or None, "executors": [_trim(e) for e in data["executors"]],
            "distribution": distribution}


# ---------------------------------------------------------------- tờ trình

def _matter(subject: str) -> str:
    """The trích yếu inside a sentence: ``Về việc thành lập …`` → ``việc thành lập …``."""
    subject = squash_spaces(_trim(subject))
    for lead in ("về việc ", "v/v "):
        if fold(subject).startswith(fold(lead)):
            return "việc " + subject[len(lead):]
    return subject[:1].lower() + subject[1:]


def _to_trinh(data: dict, office: OfficeProfile, by: Issuer) -> dict:
    recipient = data["recipients"][0] if len(data["recipients"]) == 1 else office.short_name
    sections = [{"roman": roman(i), "title": s["title"].strip().rstrip(":."), "paragraphs": list(s["paragraphs"])}
                for i, s in enumerate(data["sections"], start=1)]
    closing = with_end_mark(data.get("closing") or f"{by.short_name} kính trình {recipient} xem xét, quyết định")
    intro = data.get("intro") or f"{by.short_name} kính trình {recipient} xem xét {_matter(data['subject'])}, cụ thể như sau:"
    return {"issued_by": "van-phong" if by.van_phong else "ubnd",
            "bases": punctuated(bases_lines(data.get("bases") or [])),
            "intro": intro, "sections": sections,
            "proposal": {"roman": roman(len(sections) + 1), "paragraphs": list(data["proposal"])},
            "closing": closing}


# ---------------------------------------------------------------- giấy mời

def meeting_time(time: str, day: dt.date, duration: Optional[str] = None) -> str:
    """``14 giờ 30, ngày 12 tháng 01 năm 2026 (thứ Hai)``; with a duration
    ``01 buổi, bắt đầu lúc 14 giờ 30, ngày 12 tháng 01 năm 2026 (thứ Hai)``."""
    match = _TIME.match(time.strip())
    if not match:
        raise ConfigError(f"trường 'time' không phải giờ hợp lệ (cần dạng 08:00): {time!r}")
    start = f"{int(match.group(1)):02d} giờ {match.group(2)}, {ngay_nd30(day)} ({_WEEKDAYS[day.weekday()]})"
    return f"{duration.strip()}, bắt đầu lúc {start}" if duration else start


def _giay_moi(data: dict, office: OfficeProfile, by: Issuer, issued: dt.date) -> dict:
    day = to_date(data["meeting_date"], "meeting_date")
    if day < issued:
        raise ConfigError(f"ngày họp ({day:%d/%m/%Y}) trước ngày ban hành giấy mời ({issued:%d/%m/%Y})")
    chair = _chair(data, office)
    invitees = [f"Đồng chí {chair['name']} - {chair['title']}: chủ trì"] + [_trim(i) for i in data["invitees"]]
    preparation = punctuated(data.get("preparation") or [])
    # the UBND holds the meeting; the Văn phòng invites to a meeting its leader chairs
    held = "trân trọng kính mời dự cuộc họp" if by.van_phong else "tổ chức cuộc họp"
    intro = data.get("intro") or f"{by.short_name} {held} với thành phần, nội dung, thời gian và địa điểm như sau:"
    closing = with_end_mark(data.get("closing") or "Đề nghị các đồng chí tham dự đúng thành phần, thời gian")
    return {"chair": chair, "intro": intro, "invitees": punctuated(invitees),
            "content": _trim(data["content"]) + ".", "meeting_date": day,
            "time_line": meeting_time(data["time"], day, data.get("duration")) + ".", "time": data["time"],
            "duration": data.get("duration") or None, "place": _trim(data["place"]) + ".",
            "preparation": preparation, "closing": closing}


# ---------------------------------------------------------------- thông báo kết luận

def _thong_bao(data: dict, office: OfficeProfile, by: Issuer, signer: Signer) -> dict:
    chair = _chair(data, office)
    day = to_date(data["meeting_date"], "meeting_date")
    meeting = _trim(data["meeting"])
    attendees = [_trim(a) for a in data["attendees"]]
    opening = (f"{_first_upper(ngay_nd30(day))}, {chair['full']} chủ trì cuộc họp {meeting}. "
               f"Tham dự cuộc họp có: {'; '.join(attendees)}.")
    heard = _trim(data["heard"]) if data.get("heard") else "báo cáo của cơ quan chủ trì"
    lead_in = (f"Sau khi nghe {heard} và ý kiến phát biểu của các đại biểu dự họp, {chair['title']} kết luận "
               "như sau:")
    conclusions = _items(data["conclusions"])
    announcer = by.short_name if by.van_phong or not _is_van_phong(signer) else f"Văn phòng {office.short_name}"
    closing = with_end_mark(data.get("closing") or
                            f"{announcer} thông báo để các cơ quan, đơn vị liên quan biết, thực hiện")
    return {"chair": chair, "meeting": meeting, "meeting_date": day, "attendees": attendees,
            "heard": data.get("heard") or None, "opening": opening, "lead_in": lead_in,
            "conclusions": conclusions, "closing": closing}


def office_kind_context(kind: str, data: dict, office: OfficeProfile) -> dict:
    """The fields of ``kind`` (data already NFC-cleaned and validated) on top of the common context."""
    spec = kind_spec(kind)
    by = issuer(spec, data, office)
    signer = office.signer(data["signer"])
    decided_by = (data.get("decided_by") or "ubnd") if kind == "quyet-dinh" else None
    context = {"signer": _signer_context(data, office, by, decided_by),
               "issuer": {"name": by.name, "short_name": by.short_name}}
    if fold(data["subject"]).startswith("v/v "):  # "V/v" belongs to công văn; a typed document says "Về việc"
        context["subject"] = "Về việc " + data["subject"][4:].strip()
    if kind == "quyet-dinh":
        context.update(_quyet_dinh(data, office, by))
    elif kind == "to-trinh":
        context.update(_to_trinh(data, office, by))
    elif kind == "giay-moi":
        issued = to_date(data["date"], "date") if data.get("date") else dt.date.today()
        context.update(_giay_moi(data, office, by, issued))
    elif kind == "thong-bao-ket-luan":
        context.update(_thong_bao(data, office, by, signer))
    else:
        raise ConfigError(f"không có loại văn bản '{kind}'")
    return context
