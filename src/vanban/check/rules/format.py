"""VB6xx: layout under Nghị định 30/2020/NĐ-CP (Phụ lục I) — warnings.

:func:`check_format` is public: the generator calls it on the letters it
writes to prove they pass.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Optional

from ...model import Document
from ...text import fold, squash_spaces
from ..model import ROLE_DRAFT, ROLE_SUBMISSION, Finding
from . import Hit, RuleContext, catalogue, make_finding, rule

MOTTO = "Độc lập - Tự do - Hạnh phúc"
NATIONAL_TITLES = {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM"}
A4 = (210.0, 297.0)
PAPER_NAMES = {(216, 279): "Letter", (216, 356): "Legal", (148, 210): "A5", (250, 353): "B4", (176, 250): "B5"}
DEFAULT_MARGINS = {"top": (20.0, 25.0), "bottom": (20.0, 25.0), "left": (30.0, 35.0), "right": (15.0, 20.0)}
SIDE_VI = {"top": "trên", "bottom": "dưới", "left": "trái", "right": "phải"}
LEGACY_FONT = re.compile(r"^(\.vn|vni[- ]|vn[a-z]*time|tcvn)", re.IGNORECASE)
ACCEPTED_FONTS = ("Times New Roman",)


class FormatSettings:
    """Format thresholds: Nghị định 30 defaults, overridable by the profile's ``format`` section."""

    def __init__(self, profile=None):
        cfg = dict(getattr(profile, "format", None) or {})
        self.fonts = tuple(cfg.get("fonts") or ACCEPTED_FONTS)
        self.page = (float(cfg.get("page_width_mm", A4[0])), float(cfg.get("page_height_mm", A4[1])))
        self.tolerance = float(cfg.get("tolerance_mm", 1.5))
        margins = dict(DEFAULT_MARGINS)
        margins.update({k: tuple(v) for k, v in (cfg.get("margins_mm") or {}).items()})
        self.margins = margins
        self.body_size = tuple(cfg.get("body_size_pt") or (13.0, 14.0))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace(".", ",")


def page_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    if not doc.source.pages:
        return None
    hits, seen = [], set()
    for page in doc.source.pages:
        w, h = sorted((page.width_mm, page.height_mm))
        key = (round(w), round(h))
        if abs(w - s.page[0]) <= s.tolerance and abs(h - s.page[1]) <= s.tolerance or key in seen:
            continue
        seen.add(key)
        name = PAPER_NAMES.get(key)
        hits.append(Hit(params={"width": _num(page.width_mm), "height": _num(page.height_mm),
                                "name": f" ({name})" if name else ""},
                        location=f"trang/phần {page.index + 1}"))
    return hits


def margin_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    pages = [p for p in doc.source.pages if p.margin_left_mm is not None]
    if not pages:
        return None
    page = pages[0]
    hits = []
    for side, (low, high) in s.margins.items():
        value = getattr(page, f"margin_{side}_mm")
        if value is None:
            continue
        if value < low - 0.5 or value > high + 0.5:
            hits.append(Hit(params={"side": SIDE_VI[side], "value": _num(value), "low": _num(low), "high": _num(high)},
                            location=f"phần {page.index + 1}"))
    return hits


def _char_weights(doc: Document, attr: str, blocks=None) -> Counter:
    weights: Counter = Counter()
    for block in blocks if blocks is not None else doc.source.blocks:
        for run in block.runs:
            n = len(run.text.strip())
            if not n:
                continue
            value = getattr(run.style, attr) or getattr(doc.source.default_style, attr)
            if value is not None:
                weights[value] += n
    return weights


_FACE_SUFFIX = re.compile(r"([ ,-]+(bold|italic|oblique|regular|normal|semibold|light|medium|black)|(ps)?mt|ps)+$",
                          re.IGNORECASE)


def font_family(name: str) -> str:
    """The family of a font face: ``Times New Roman Bold``, ``TimesNewRomanPS-BoldMT`` → ``Times New Roman``."""
    base = name.split("+", 1)[-1].strip()  # PDF subset prefix ABCDEF+
    family = _FACE_SUFFIX.sub("", base).strip() or base
    if " " not in family and re.search(r"[a-z][A-Z]", family):
        family = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", family)  # TimesNewRoman → Times New Roman
    return family


def font_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    weights: Counter = Counter()
    for font, n in _char_weights(doc, "font").items():
        weights[font_family(font)] += n
    total = sum(weights.values())
    if not total:
        return None
    accepted = {fold(f) for f in s.fonts}
    hits = []
    for font, n in weights.most_common():
        share = 100 * n / total
        if fold(font) in accepted or LEGACY_FONT.match(font) or share < 5:
            continue
        hits.append(Hit(params={"font": font, "share": f"{share:.0f}"}, evidence=font))
    return hits


def size_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    body = [b for b in (doc.body or ()) if b.location.part in ("body", "line")]
    weights = _char_weights(doc, "size_pt", body)
    total = sum(weights.values())
    if total < 200:
        return None
    size, n = weights.most_common(1)[0]
    low, high = s.body_size
    if low - 0.01 <= size <= high + 0.01:
        return []
    return [Hit(params={"size": _num(size), "share": f"{100 * n / total:.0f}", "low": _num(low), "high": _num(high)})]


def motto_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    if not doc.source.text.strip() or doc.source.is_scan:
        return None
    if doc.motto is None:
        return [Hit(params={"found": "(không thấy)", "detail": ": văn bản thiếu tiêu ngữ"})]
    found = squash_spaces(doc.motto.text)
    if found == MOTTO:
        return []
    details = []
    if re.search("[\u2012\u2013\u2014\u2015\u2212]", found):
        details.append("dùng gạch ngang dài (–) thay cho gạch nối (-)")
    if re.search(r"\S-|-\S", found):
        details.append("thiếu khoảng cách hai bên gạch nối")
    if found.isupper():
        details.append("viết in hoa toàn bộ")
    detail = ": " + "; ".join(details) if details else ""
    return [Hit(location=doc.motto.location.describe() if doc.motto.location else None, evidence=found,
                params={"found": found, "detail": detail})]


def national_title_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    if not doc.source.text.strip() or doc.source.is_scan:
        return None
    if doc.national_title is None:
        return [Hit(params={"problem": "không có trên văn bản"})]
    found = squash_spaces(doc.national_title.text)
    if found in NATIONAL_TITLES:
        return []
    problem = "phải viết in hoa" if found.upper() in NATIONAL_TITLES else f"'{found}' không đúng chữ 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'"
    return [Hit(location=doc.national_title.location.describe() if doc.national_title.location else None,
                evidence=found, params={"problem": problem})]


_NUMBER_LINE = re.compile(r"Số\s*:?\s*(\d*)\s*(/.*)$", re.IGNORECASE)


def number_form_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    if doc.number is None:
        return None
    raw = squash_spaces(doc.number.raw)
    m = _NUMBER_LINE.search(raw)
    problems = []
    number = doc.number.number
    if number and number.isdigit() and int(number) < 10 and not number.startswith("0"):
        problems.append(f"số {number} nhỏ hơn 10 phải viết thêm số 0 phía trước ({int(number):02d})")
    symbol = m.group(2) if m else raw[raw.find("/"):] if "/" in raw else ""
    if re.search(r"\s[/\-–]|[/\-–]\s", symbol.strip()):
        problems.append("có khoảng cách quanh dấu '/' hoặc '-' trong ký hiệu")
    loc = doc.number.location.describe() if doc.number.location else None
    return [Hit(location=loc, evidence=raw, params={"raw": raw, "problem": p}) for p in problems]


_DATE_PARTS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm", re.IGNORECASE)


def date_form_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    if doc.date is None:
        return None
    raw = squash_spaces(doc.date.raw)
    m = _DATE_PARTS.search(raw)
    if not m:
        return None
    day, month = m.group(1), m.group(2)
    problems = []
    if int(day) < 10 and len(day) == 1:
        problems.append(f"ngày {day} phải viết '{int(day):02d}'")
    if int(month) in (1, 2) and len(month) == 1:
        problems.append(f"tháng {month} phải viết '{int(month):02d}'")
    if int(month) >= 3 and len(month) == 2 and month.startswith("0"):
        problems.append(f"tháng {month} phải viết '{int(month)}' (chỉ tháng 1, 2 thêm số 0)")
    loc = doc.date.location.describe() if doc.date.location else None
    return [Hit(location=loc, evidence=raw, params={"raw": raw, "problem": p}) for p in problems]


def _explicit_fonts(doc: Document) -> Counter:
    """Characters per font that runs actually carry (a style default no text uses does not count)."""
    weights: Counter = Counter()
    for block in doc.source.blocks:
        for run in block.runs:
            n = len(run.text.strip())
            if n and run.style.font:
                weights[run.style.font] += n
    return weights


def legacy_hits(doc: Document, s: FormatSettings) -> Optional[list[Hit]]:
    weights = _explicit_fonts(doc)
    legacy = sorted({f for f, n in weights.items() if LEGACY_FONT.match(f) and n >= 20})
    what = []
    if doc.source.legacy_encoding:
        what.append(f"bảng mã {doc.source.legacy_encoding}")
    if legacy:
        what.append("phông " + ", ".join(legacy))
    if not weights and not doc.source.legacy_encoding:
        return None
    return [Hit(params={"what": " và ".join(what)}, evidence=", ".join(legacy))] if what else []


FORMAT_CHECKS = {
    "VB601": page_hits, "VB602": margin_hits, "VB603": font_hits, "VB604": size_hits, "VB605": motto_hits,
    "VB606": national_title_hits, "VB607": number_form_hits, "VB608": date_form_hits, "VB609": legacy_hits,
}


def check_format(document: Document, profile=None, file: Optional[str] = None) -> list[Finding]:
    """Every VB6xx finding for one document (profile: severity overrides, format thresholds)."""
    settings = FormatSettings(profile)
    infos = catalogue()
    overrides = getattr(profile, "severity", None) or {}
    findings = []
    name = file if file is not None else document.path
    for rule_id, func in FORMAT_CHECKS.items():
        for hit in func(document, settings) or ():
            hit = Hit(file=name, location=hit.location, evidence=hit.evidence, params=hit.params, severity=hit.severity)
            findings.append(make_finding(infos[rule_id], hit, overrides.get(rule_id, infos[rule_id].severity)))
    return findings


def _format_targets(ctx: RuleContext):
    """The submission and the drafts the People's Committee will sign: one copy each (the judged one),
    never an attachment, an appendix, a scan or text read by OCR (its layout is the camera's)."""
    out = [f for f in ctx.dossier.submission_copies if f.preferred]
    for draft in ctx.dossier.with_role(ROLE_DRAFT, preferred_only=True):
        doc = draft.document
        # an appendix or a charter has no header of its own: Nghị định 30's layout is not asked of it
        if doc.number is not None or doc.national_title is not None:
            out.append(draft)
    return [f for f in out if f.document is not None and f.document.source.text.strip()
            and not f.document.source.is_scan and not getattr(f.document.source, "ocr_pages", ())]


def _make_rule(rule_id: str):
    func = FORMAT_CHECKS[rule_id]

    def check(ctx: RuleContext):
        settings = FormatSettings(ctx.profile)
        results = []
        applied = False
        for df in _format_targets(ctx):
            hits = func(df.document, settings)
            if hits is None:
                continue
            applied = True
            results += [Hit(file=df.name, location=h.location, evidence=h.evidence, params=h.params, severity=h.severity)
                        for h in hits]
        return results if applied else None

    check.__name__ = f"format_{rule_id}"
    return rule(rule_id)(check)


for _rule_id in FORMAT_CHECKS:
    _make_rule(_rule_id)

__all__ = ["check_format", "FORMAT_CHECKS", "FormatSettings", "MOTTO", "ROLE_SUBMISSION"]
