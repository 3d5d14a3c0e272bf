"""Legacy Vietnamese font encodings: TCVN3 (ABC, ``.VnTime``) and VNI-Windows.

Before Unicode, Vietnamese offices typed with 8-bit fonts: the bytes are
Latin-1 characters (``Uû ban nh©n d©n``) and only the font makes them look
Vietnamese. The font name tells which table applies, so conversion is done
per run, from the run's font. ``.VnTimeH``-style fonts (name ending in ``H``)
draw every letter as a capital, so their text is upper-cased after mapping.
"""

from __future__ import annotations

import re
from typing import Optional

TCVN3 = "TCVN3"
VNI = "VNI"

# Vietnamese notes added to RawDocument.notes when runs were converted.
NOTES = {
    TCVN3: "Văn bản dùng phông chữ cũ TCVN3 (.VnTime), đã chuyển sang Unicode",
    VNI: "Văn bản dùng phông chữ cũ VNI (VNI-Times), đã chuyển sang Unicode",
}

# TCVN 5712:1993 VN3 ("ABC"): Latin-1 code point → Vietnamese letter.
# Only the lower-case toned letters and seven capitals exist; the
# ".VnTimeH" fonts draw the lower-case codes as capitals.
_TCVN3_PAIRS = (
    "µà ¸á ¶ả ·ã ¹ạ "
    "¨ă »ằ ¾ắ ¼ẳ ½ẵ Æặ "
    "©â Çầ Êấ Èẩ Éẫ Ëậ "
    "®đ "
    "Ìè Ðé Îẻ Ïẽ Ñẹ "
    "ªê Òề Õế Óể Ôễ Öệ "
    "×ì Ýí Øỉ Üĩ Þị "
    "ßò ãó áỏ âõ äọ "
    "«ô åồ èố æổ çỗ éộ "
    "¬ơ êờ íớ ëở ìỡ îợ "
    "ïù óú ñủ òũ ôụ "
    "\u00adư õừ øứ öử ÷ữ ùự "
    "úỳ ýý ûỷ üỹ þỵ "
    "¡Ă ¢Â £Ê ¤Ô ¥Ơ ¦Ư §Đ"
)
TCVN3_TO_UNICODE: dict[str, str] = {pair[0]: pair[1] for pair in _TCVN3_PAIRS.split(" ") if pair}
_TCVN3_TABLE = str.maketrans(TCVN3_TO_UNICODE)

# VNI-Windows: a base letter followed by a mark character (both Latin-1).
_VNI_LOWER = {
    "aù": "á", "aø": "à", "aû": "ả", "aõ": "ã", "aï": "ạ",
    "aâ": "â", "aá": "ấ", "aà": "ầ", "aå": "ẩ", "aã": "ẫ", "aä": "ậ",
    "aê": "ă", "aé": "ắ", "aè": "ằ", "aú": "ẳ", "aü": "ẵ", "aë": "ặ",
    "eù": "é", "eø": "è", "eû": "ẻ", "eõ": "ẽ", "eï": "ẹ",
    "eâ": "ê", "eá": "ế", "eà": "ề", "eå": "ể", "eã": "ễ", "eä": "ệ",
    "où": "ó", "oø": "ò", "oû": "ỏ", "oõ": "õ", "oï": "ọ",
    "oâ": "ô", "oá": "ố", "oà": "ồ", "oå": "ổ", "oã": "ỗ", "oä": "ộ",
    "ôù": "ớ", "ôø": "ờ", "ôû": "ở", "ôõ": "ỡ", "ôï": "ợ",
    "uù": "ú", "uø": "ù", "uû": "ủ", "uõ": "ũ", "uï": "ụ",
    "öù": "ứ", "öø": "ừ", "öû": "ử", "öõ": "ữ", "öï": "ự",
    "yù": "ý", "yø": "ỳ", "yû": "ỷ", "yõ": "ỹ",
    "í": "í", "ì": "ì", "æ": "ỉ", "ó": "ĩ", "ò": "ị",
    "ô": "ơ", "ö": "ư", "î": "ỵ", "ñ": "đ",
}
VNI_TO_UNICODE: dict[str, str] = dict(_VNI_LOWER)
VNI_TO_UNICODE.update({k.upper(): v.upper() for k, v in _VNI_LOWER.items()})
# Longest sequences first so "ôù" (ớ) wins over "ô" (ơ).
_VNI_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(VNI_TO_UNICODE, key=len, reverse=True) if k != VNI_TO_UNICODE[k])
)


def legacy_encoding_for_font(font: Optional[str]) -> Optional[str]:
    """``TCVN3`` for ``.VnTime``-family fonts, ``VNI`` for ``VNI-*`` fonts, else None."""
    if not font:
        return None
    lowered = font.split(";", 1)[0].strip().lower()
    if lowered.startswith(("vni-", "vni ", "vni_")):
        return VNI
    # ".VnTime" and the undotted ABC families ("VNtimes new roman", "VNcentaur").
    if lowered.startswith((".vn", "vn")):
        return TCVN3
    return None


def is_capitals_font(font: Optional[str]) -> bool:
    """TCVN3 fonts whose name ends in ``H`` (``.VnTimeH``, ``.VnArialH``) draw only capitals."""
    return bool(font) and legacy_encoding_for_font(font) == TCVN3 and font.split(";", 1)[0].strip().endswith("H")


def tcvn3_to_unicode(text: str, *, capitals: bool = False) -> str:
    converted = text.translate(_TCVN3_TABLE)
    return converted.upper() if capitals else converted


def vni_to_unicode(text: str) -> str:
    return _VNI_PATTERN.sub(lambda m: VNI_TO_UNICODE[m.group(0)], text)


def convert_run_text(text: str, font: Optional[str]) -> tuple[str, Optional[str]]:
    """Convert the text of one run drawn in ``font``; returns ``(text, encoding or None)``.

    Symbols that Word stored in the Private Use Area for 8-bit fonts
    (U+F020–U+F0FF) are first brought back to their Latin-1 code.
    """
    encoding = legacy_encoding_for_font(font)
    if encoding is None:
        return text, None
    text = "".join(chr(ord(c) - 0xF000) if 0xF020 <= ord(c) <= 0xF0FF else c for c in text)
    if encoding == TCVN3:
        return tcvn3_to_unicode(text, capitals=is_capitals_font(font)), encoding
    return vni_to_unicode(text), encoding


_TCVN3_MARKERS = set("µ¸¶·¹¨»¾¼½Æ©ÇÊÈÉË®ÌÐÎÏÑªÒÕÓÔÖ×ÝØÜÞßãáâä«åèæçé¬êíëìîïóñòôõøö÷ùúýûüþ¡¢£¤¥¦§")


def looks_like_tcvn3(text: str) -> bool:
    """Heuristic for text whose font name was lost (PDF text layers): many TCVN3 bytes, no real Vietnamese letters."""
    letters = [c for c in text if c.isalpha() or c in _TCVN3_MARKERS]
    if len(letters) < 20:
        return False
    markers = sum(1 for c in letters if c in _TCVN3_MARKERS)
    vietnamese = sum(1 for c in letters if "\u1ea0" <= c <= "\u1ef9" or c in "ăâđêôơưĂÂĐÊÔƠƯ")
    return vietnamese == 0 and markers / len(letters) > 0.05


_UNICODE_ONLY_LETTERS = re.compile("[\u1ea0-\u1ef9\u0103\u0102\u0111\u0110\u01a1\u01a0\u01b0\u01af]")
_VNI_EVIDENCE = re.compile("[aeiouyAEIOUYôöÔÖ][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|[ñÑ]")


def font_text_is_legacy(font: Optional[str], text: str) -> bool:
    """Whether the text drawn in a legacy-named font is really legacy-encoded.

    Offices often retype a document in Unicode but keep the old font name;
    converting that text would garble it. ``text`` should be all the text the
    document draws in ``font``: one real Vietnamese Unicode letter in it
    means the font name is only a leftover.
    """
    encoding = legacy_encoding_for_font(font)
    if encoding is None or _UNICODE_ONLY_LETTERS.search(text):
        return False
    if encoding == TCVN3:
        return is_capitals_font(font) or any(c in _TCVN3_MARKERS for c in text)
    return bool(_VNI_EVIDENCE.search(text))
