"""A finding's message as office prose, for what leaves the office (phiếu trình, công văn trả hồ sơ).

The checker's messages are written for the clerk at the screen: they quote with
'…', explain with a dash, name the day a basis was judged at and point to the
tool's own options. A leader or another agency reads none of that: quotes are
typographic, a dash becomes a semicolon, tool talk goes.
"""

from __future__ import annotations

import re

from ...text import fold, squash_spaces
from ..patterns import agencies

_LEVELS = ("thành phố", "thị xã", "đặc khu", "tỉnh", "huyện", "quận", "xã", "phường", "thị trấn")

_TOOL_TALK = (
    re.compile(r"\s*\(xét tại ngày [^)]*\)"),
    re.compile(r"\s*\(bổ sung bằng --[a-z-]+\)"),
    re.compile(r"\s*\(nội dung đọc bằng nhận dạng chữ từ bản quét, cần đối chiếu bản gốc\)"),
)


def office_sentence(message: str) -> str:
    """``Văn bản do 'Lê Thị Cúc' ký … 'KT.' — cấp phó …`` → ``Văn bản do “Lê Thị Cúc” ký … “KT.”; cấp phó …``."""
    text = message.strip()
    for pattern in _TOOL_TALK:
        text = pattern.sub("", text)
    text = re.sub(r"'([^']+)'", r"“\1”", text)
    text = re.sub(r'"([^"]+)"', r"“\1”", text)
    text = re.sub(r"\s*\((?:thấy\s+)?(?:''|“”)\)", "", text)  # an empty quotation says nothing
    text = text.replace("«", "“").replace("»", "”").replace("'", "’").replace('"', "”")
    text = re.sub(r"\s*[—–]\s+", "; ", text)
    return re.sub(r"\s+", " ", text).strip().rstrip(" .;")


def decision_reasons(result, *, summaries: bool = True) -> list[str]:
    """The reasons behind a dossier's decision, each said once, as office prose: a finding as its sentence;
    with ``summaries``, a reason that names no finding (too many warnings, what the folder is) as written."""
    from ..policy import findings_behind

    out: list[str] = []
    for reason, finding in findings_behind(result.decision, result.findings):
        if finding is None and not summaries:
            continue
        text = office_sentence(finding.message) if finding is not None else reason.rstrip(".")
        if text not in out:
            out.append(text)
    return out


def _title_place(words: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in words.split())


def agency_name(raw: str) -> str:
    """``SỞ NỘI VỤ`` → ``Sở Nội vụ``; ``CÔNG AN TỈNH LÂM ĐỒNG`` → ``Công an tỉnh`` (as the office writes it)."""
    text = squash_spaces(raw)
    folded = fold(text)
    best = None
    for names in agencies().names_by_abbr.values():
        for name in names:
            key = fold(name)
            if (folded == key or folded.startswith(key + " ")) and (best is None or len(key) > len(fold(best))):
                best = name
    if best is not None and best.upper() != best:
        rest = text[len(best):].strip()
        if not rest or fold(best).endswith((" tinh", " thanh pho")):
            return best
        for level in _LEVELS:
            if fold(rest).startswith(fold(level) + " ") or fold(rest) == fold(level):
                return f"{best} {level}{(' ' + _title_place(rest[len(level):])) if rest[len(level):].strip() else ''}"
    if text.upper() == text:
        return text[:1] + text[1:].lower()
    return text
