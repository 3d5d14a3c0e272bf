"""A finding's message as office prose, for what leaves the office (phiếu trình, công văn trả hồ sơ).

The checker's messages are written for the clerk at the screen: they quote with
'…', explain with a dash, name the day a basis was judged at and point to the
tool's own options. A leader or another agency reads none of that: quotes are
typographic, a dash becomes a semicolon, tool talk goes.
"""

from __future__ import annotations

import re

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
