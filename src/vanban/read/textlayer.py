"""Is a page's text layer Vietnamese, or a scanner's non-Vietnamese OCR?

Copier PDFs often carry a text layer made by the scanner's own OCR, trained
for English: ``cqNG noA rA ngt cnt xcui,l \\,IET NAM`` for ``CỘNG HÒA XÃ HỘI
CHỦ NGHĨA VIỆT NAM``. Such a layer has letters (so the page is not counted
as a scan) but nothing in it can be understood. Three cheap measures tell it
from real Vietnamese:

* the share of words that are valid Vietnamese syllables (onset + rhyme +
  tone, checked by the compact grammar below; a syllable ending in
  c/ch/p/t only takes the sắc or nặng tone; a word with a lower-case letter
  followed by an upper-case one, ``rBND``, ``ooNc``, is never a syllable);
* the share of letters carrying Vietnamese diacritics;
* the share of words that are among the most common words of
  administrative texts (``của``, ``và``, ``các``, ``tỉnh`` …).

Thresholds were tuned on the real corpus: over the 181 text pages of its
PDFs the lowest syllable share is 0.945 and the lowest diacritic share 0.256;
the two pages with a scanner's layer (``Danh sách bổ sung.pdf``) score 0.46
and 0.60 with no diacritic at all, the examples above 0.10.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["LayerScore", "score_text", "is_vietnamese", "is_syllable"]

# A page needs this many words before it is judged at all (a stamp line is not evidence).
MIN_WORDS = 15
# Below this share of valid syllables, or of letters with diacritics, the layer is not Vietnamese.
MIN_SYLLABLE_SHARE = 0.80
MIN_DIACRITIC_SHARE = 0.08

_ONSETS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
           "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x")
# Vowel clusters without tone marks (a medial o/u included).
_NUCLEI = frozenset("""
a ă â e ê i o ô ơ u ư y
ai ao au ay âu ây eo êu ia iê iu oa oă oe oi oo ôi ơi ua uâ uê ui uô uơ uy ưa ưi ươ ưu yê
iêu oai oay oao oeo uây uôi ươi ươu uyê uya uyu yêu oac
""".split())
_CODAS = ("ch", "ng", "nh", "c", "m", "n", "p", "t")
# nuclei that may be followed by a consonant coda
_OPEN_ONLY = frozenset("ai ao au ay âu ây eo êu ia iu oi ôi ơi ui ưa ưi ưu ua iêu oai oay oao oeo uây uôi ươi ươu "
                       "uya uyu yêu".split())

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_STOP_TONES = {"\u0301", "\u0323"}
_VIET_LETTERS = set("ăâđêôơưĂÂĐÊÔƠƯ")

_SYLLABLE = re.compile(
    "^(?P<onset>" + "|".join(_ONSETS) + ")?(?P<nucleus>[aăâeêioôơuưy]+)(?P<coda>" + "|".join(_CODAS) + ")?$"
)

# Very common words of administrative Vietnamese (lower case, NFC).
COMMON_WORDS = frozenset("""
của và các có được cho với trong theo về tại để là những này đã không một người năm ngày tháng số
ủy ủy ban nhân dân tỉnh huyện xã phường sở nội vụ tài chính công văn tờ trình quyết định kế hoạch
việc thực hiện đề nghị báo cáo hội đồng chủ tịch giám đốc phó quy định nghị luật thông tư căn cứ
nơi nhận lưu hành chính nhà nước cộng hòa hoà xã chủ nghĩa việt nam độc lập tự do hạnh phúc
kính gửi trên địa bàn đơn vị cơ quan tổ chức ý kiến hướng dẫn ban hành nội dung như sau
""".split())


@dataclass(frozen=True)
class LayerScore:
    words: int  # letter-only words considered
    syllable_share: float  # 0..1
    diacritic_share: float  # 0..1 of letters
    common_share: float  # 0..1 of words

    @property
    def vietnamese(self) -> bool:
        if self.words < MIN_WORDS:
            return True  # too little to judge: not evidence against the layer
        return self.syllable_share >= MIN_SYLLABLE_SHARE and self.diacritic_share >= MIN_DIACRITIC_SHARE

    @property
    def quality(self) -> float:
        """One number to compare two readings of the same page (higher is more Vietnamese)."""
        return self.syllable_share + self.diacritic_share + self.common_share


def _strip_tone(word: str) -> tuple[str, list[str]]:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
    return base, tones


def is_syllable(word: str) -> bool:
    """``word`` (any case) is a possible Vietnamese syllable."""
    if not word or not word.isalpha():
        return False
    if any(a.islower() and b.isupper() for a, b in zip(word, word[1:])):
        return False  # rBND, ooNc, TiNH: scanner output, not a word
    base, tones = _strip_tone(word.lower())
    if len(tones) > 1:
        return False
    match = _SYLLABLE.match(base)
    if not match:
        return False
    onset, nucleus, coda = match.group("onset") or "", match.group("nucleus"), match.group("coda") or ""
    if onset == "qu":
        if nucleus.startswith("u"):
            return False
        return nucleus in _NUCLEI or ("u" + nucleus) in _NUCLEI
    if onset == "gi" and nucleus not in _NUCLEI and ("i" + nucleus) in _NUCLEI:
        nucleus = "i" + nucleus
    if onset == "g" and nucleus.startswith("i") and ("gi" + nucleus[1:]) and nucleus not in _NUCLEI:
        return False
    if nucleus not in _NUCLEI:
        return False
    if coda and nucleus in _OPEN_ONLY:
        return False
    if coda in ("c", "ch", "p", "t") and tones and tones[0] not in _STOP_TONES:
        return False
    if onset in ("k", "gh", "ngh") and nucleus[0] not in "ieêy":
        return False
    return True


_WORD = re.compile(r"[^\W\d_]+")


def score_text(text: str) -> LayerScore:
    text = unicodedata.normalize("NFC", text)
    words = _WORD.findall(text)
    if not words:
        return LayerScore(0, 0.0, 0.0, 0.0)
    letters = sum(len(w) for w in words)
    marked = 0
    for w in words:
        for c in w:
            if c in _VIET_LETTERS:
                marked += 1
            elif not c.isascii():
                decomposed = unicodedata.normalize("NFD", c)
                if any(m in _TONES or m in "\u0302\u0306\u031b" for m in decomposed[1:]):
                    marked += 1
    # abbreviations in capitals (UBND, TTr, SNV) are neither evidence for nor against
    considered = [w for w in words if not (w.isupper() and len(w) <= 5 and not is_syllable(w)
                                           and not any(a.islower() and b.isupper() for a, b in zip(w, w[1:])))
                  or len(w) > 5]
    considered = [w for w in considered if len(w) > 1 or w.lower() in "aoyuiê"] or words
    valid = sum(1 for w in considered if is_syllable(w))
    common = sum(1 for w in words if w.lower() in COMMON_WORDS)
    return LayerScore(
        words=len(considered),
        syllable_share=valid / len(considered),
        diacritic_share=marked / letters,
        common_share=common / len(words),
    )


def is_vietnamese(text: str) -> bool:
    """False only when there is enough text and it is clearly not Vietnamese."""
    return score_text(text).vietnamese
