"""OCR in Vietnamese for scanned pages, broken text layers and image files.

How a page is read
    The PDF page is rasterised by ``pdftoppm`` (poppler-utils) at 300 dpi in
    grey, signature widgets hidden (their text comes from the widget
    reader). A small skew (up to ±5°) is measured on a reduced copy by a
    projection profile (the angle whose row sums vary most) and undone.
    Tesseract (``vie``, through pytesseract) reads the page with automatic
    layout (``--psm 3``); when that reading is poor, Tesseract's orientation
    detection (``--psm 0``) is asked whether the page is upside down or on
    its side, and the page is read again turned.

How words become blocks (as the text-PDF reader makes them)
    Tesseract's lines (block, paragraph, line ids) are cut where two words
    are far apart (a column gap), pieces lying on the same visual line are
    put in one row, rows are read top to bottom and pieces left to right.
    So the two-column header gives ``UBND TỈNH LÂM ĐỒNG`` and ``CỘNG HÒA XÃ
    HỘI CHỦ NGHĨA VIỆT NAM`` as two blocks, ``Số: …`` and ``Lâm Đồng, ngày …``
    as two more. Each block carries ``source="ocr"`` and the mean word
    confidence (0–100).

Cost and control
    Every page read is cached by the file's SHA-256, the settings and the
    Tesseract version, in ``$VANBAN_CACHE_DIR/ocr`` or
    ``$XDG_CACHE_HOME/vanban/ocr`` (``~/.cache/vanban/ocr``), written
    atomically. :class:`OcrOptions` says when OCR runs (``off`` / ``auto`` /
    ``force``) and whether the cache is used; :func:`configure` sets the
    options of the process (``vanban check`` sets them in each worker from
    ``CheckSettings``; the environment variable ``VANBAN_OCR`` gives the
    default mode). Without Tesseract, its Vietnamese data or pdftoppm,
    :class:`MissingToolError` says in Vietnamese what to install.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Optional

from vanban.errors import MissingToolError, ReadError
from vanban.model import Block, Location, PageSetup, RawDocument
from vanban.text import normalize_text

__all__ = [
    "OcrOptions", "OcrPage", "OcrBlock", "PdfOcr", "configure", "current_options", "default_options", "ocr_image",
    "read_image", "require_tools", "ocr_note", "page_ranges", "apply_pdf_ocr", "pages_to_read", "STATS",
    "IMAGE_SUFFIXES",
]

MODES = ("off", "auto", "force")
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".tif", ".tiff"}

MISSING_TESSERACT = ("Cần Tesseract và dữ liệu tiếng Việt để đọc văn bản scan (OCR): cài bằng "
                     "`apt-get install tesseract-ocr tesseract-ocr-vie`")
MISSING_VIE = ("Tesseract chưa có dữ liệu tiếng Việt (vie) để đọc văn bản scan (OCR): cài bằng "
               "`apt-get install tesseract-ocr-vie`")
MISSING_PYTESSERACT = "Cần gói Python pytesseract để đọc văn bản scan (OCR): cài bằng `pip install pytesseract`"
MISSING_PDFTOPPM = "Cần pdftoppm để đọc trang scan của tệp PDF (OCR): cài bằng `apt-get install poppler-utils`"

# Bumped when the rasterising, the Tesseract call or the layout changes.
_CACHE_VERSION = "ocr4"
LANG = "vie"
PSM = 3
DPI = 300
# Two words of one line further apart than this many word heights are two columns.
COLUMN_GAP_HEIGHTS = 2.6
# Below this mean confidence a page is tried turned (orientation detection).
RETRY_CONFIDENCE = 55.0
# A page whose OCR has fewer letters than this produced nothing readable.
MIN_OCR_LETTERS = 20
# Skew searched up to this many degrees; undone from MIN_DESKEW on.
MAX_SKEW = 5.0
MIN_DESKEW = 1.0
# Small images are enlarged to about this many pixels on the longer side (A4 at 300 dpi: 3508).
TARGET_LONG_SIDE = 3300
# Seconds Tesseract may spend on one page.
PAGE_TIMEOUT = 180

# Counters for tests and the benchmark: pages read by Tesseract, pages taken from the cache.
STATS = {"ocr_pages": 0, "cached_pages": 0}


# --------------------------------------------------------------------------
# Options
# --------------------------------------------------------------------------

AUTO_MAX_PAGES = 4


@dataclass(frozen=True)
class OcrOptions:
    """When OCR runs: ``off`` never; ``auto`` (default) for pages without a text
    layer or with a non-Vietnamese one; ``force`` for every page. ``cache``
    False reads again and does not write the cache."""

    mode: str = "auto"
    cache: bool = True
    # ``auto`` reads the first pages of a file: the heading, number, date, trích yếu, Kính gửi and, for a
    # submission, its request and signature are there; a 50-page bundle of an association's papers is not
    # read whole (minutes) unless asked with ``force``. None: every page.
    max_pages: Optional[int] = AUTO_MAX_PAGES

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"OCR mode must be one of {MODES}, not {self.mode!r}")


_process_options: Optional[OcrOptions] = None


def configure(options: Optional[OcrOptions]) -> None:
    """Set the OCR options of this process (None: back to the default)."""
    global _process_options
    _process_options = options


def default_options(mode: Optional[str] = None, cache: bool = True) -> OcrOptions:
    """Options from a command line: ``mode`` None means ``$VANBAN_OCR``, else ``auto``."""
    if mode is None:
        env = (os.environ.get("VANBAN_OCR") or "auto").strip().lower()
        mode = env if env in MODES else "auto"
    return OcrOptions(mode=mode, cache=cache)


def current_options() -> OcrOptions:
    """The options set by :func:`configure`, else ``$VANBAN_OCR`` (off/auto/force), else ``auto``."""
    if _process_options is not None:
        return _process_options
    return default_options()


# --------------------------------------------------------------------------
# Tools
# --------------------------------------------------------------------------

_WINDOWS_TESSERACT = r"C:\Program Files\Tesseract-OCR\tesseract.exe"
_tool_lock = threading.Lock()
_versions: dict[str, str] = {}


def find_tesseract() -> Optional[str]:
    """``$VANBAN_TESSERACT``, then ``tesseract`` on PATH (then the Windows install folder)."""
    override = os.environ.get("VANBAN_TESSERACT")
    if override:
        return override if Path(override).is_file() else None
    found = shutil.which("tesseract")
    if found:
        return found
    return _WINDOWS_TESSERACT if os.name == "nt" and Path(_WINDOWS_TESSERACT).is_file() else None


def find_pdftoppm() -> Optional[str]:
    override = os.environ.get("VANBAN_PDFTOPPM")
    if override:
        return override if Path(override).is_file() else None
    return shutil.which("pdftoppm")


def _pytesseract():
    try:
        import pytesseract
    except ImportError as exc:
        raise MissingToolError(MISSING_PYTESSERACT) from exc
    return pytesseract


def require_tesseract() -> tuple[str, str]:
    """(executable, version); raises MissingToolError without Tesseract or its ``vie`` data."""
    exe = find_tesseract()
    if exe is None:
        raise MissingToolError(MISSING_TESSERACT)
    with _tool_lock:
        if exe not in _versions:
            try:
                out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
                langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30)
            except (OSError, subprocess.SubprocessError) as exc:
                raise MissingToolError(MISSING_TESSERACT) from exc
            if out.returncode != 0:
                raise MissingToolError(MISSING_TESSERACT)
            listed = {line.strip() for line in (langs.stdout or "").splitlines()[1:]}
            if LANG not in listed:
                raise MissingToolError(MISSING_VIE)
            first = ((out.stdout or out.stderr or "").splitlines() or ["tesseract ?"])[0]
            _versions[exe] = first.strip()
    return exe, _versions[exe]


def require_pdftoppm() -> str:
    exe = find_pdftoppm()
    if exe is None:
        raise MissingToolError(MISSING_PDFTOPPM)
    return exe


def require_tools(pdf: bool = True) -> tuple[str, str]:
    """Check everything OCR needs before any page is read; returns (tesseract, version)."""
    _pytesseract()
    exe, version = require_tesseract()
    if pdf:
        require_pdftoppm()
    return exe, version


# --------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class OcrBlock:
    """One line segment read by Tesseract; box in pixels of the 300 dpi page."""

    text: str
    confidence: float
    box: tuple[int, int, int, int]  # left, top, right, bottom


@dataclass(frozen=True)
class OcrPage:
    """What Tesseract read on one page: its words (cached as they are), and the blocks made from them.

    The cache keeps the words, not the blocks, so a better layout or
    correction never needs the page read again.
    """

    page: int  # 1-based
    words: tuple[tuple, ...]  # (text, confidence, left, top, right, bottom, block, paragraph, line)
    rotation: int = 0  # degrees turned before reading (0, 90, 180, 270)
    skew: float = 0.0  # degrees undone

    @functools.cached_property
    def _layout(self) -> tuple[tuple[OcrBlock, ...], Optional[float]]:
        return _blocks_from_words([_Word(str(w[0]), float(w[1]), int(w[2]), int(w[3]), int(w[4]), int(w[5]),
                                         (int(w[6]), int(w[7]), int(w[8]))) for w in self.words])

    @property
    def blocks(self) -> tuple[OcrBlock, ...]:
        return self._layout[0]

    @property
    def confidence(self) -> Optional[float]:
        """Mean word confidence of the page (0-100), weighted by word length."""
        return self._layout[1]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def readable(self) -> bool:
        return sum(1 for c in self.text if c.isalpha()) >= MIN_OCR_LETTERS

    def to_json(self) -> dict:
        return {"page": self.page, "rotation": self.rotation, "skew": self.skew, "words": [list(w) for w in self.words]}

    @classmethod
    def from_json(cls, data: dict) -> "OcrPage":
        return cls(page=int(data["page"]), rotation=int(data.get("rotation", 0)), skew=float(data.get("skew", 0.0)),
                   words=tuple(tuple(w) for w in data.get("words", [])))


# --------------------------------------------------------------------------
# Image preparation
# --------------------------------------------------------------------------

def _to_grey(image):
    from PIL import Image, ImageOps

    try:
        image = ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a broken EXIF block: keep the image as it is
        pass
    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        background = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(background, image)
    return image.convert("L")


def _ink(image, width: int = 700):
    """A small boolean array (True = ink) of the page, for measuring."""
    import numpy as np

    factor = max(1, image.width // width)
    small = image.reduce(factor) if factor > 1 else image
    pixels = np.asarray(small, dtype=np.uint8)
    threshold = min(160, int(pixels.mean()) - 40) if pixels.size else 128
    return pixels < max(threshold, 60)


def estimate_skew(image) -> float:
    """The page's skew in degrees (positive: text rises to the right), by projection profile.

    The reduced ink mask is turned by candidate angles; the right angle makes
    the row sums vary most (text lines and the gaps between them are sharp).
    """
    import numpy as np
    from PIL import Image

    ink = _ink(image)
    if ink.sum() < 500:
        return 0.0
    mask = Image.fromarray((ink * 255).astype(np.uint8))

    def sharpness(angle: float) -> float:
        rotated = np.asarray(mask.rotate(angle, resample=Image.NEAREST, expand=False, fillcolor=0), dtype=np.float64)
        rows = rotated.sum(axis=1)
        return float(np.sum(np.diff(rows) ** 2))

    best, best_score = 0.0, sharpness(0.0)
    for angle in [a * 0.5 for a in range(int(-MAX_SKEW * 2), int(MAX_SKEW * 2) + 1) if a]:
        score = sharpness(angle)
        if score > best_score * 1.0001:
            best, best_score = angle, score
    center = best
    for fine in (center - 0.3, center - 0.15, center + 0.15, center + 0.3):
        score = sharpness(fine)
        if score > best_score * 1.0001:
            best, best_score = fine, score
    return round(best, 2)


def _deskew(image):
    """Undo a skew of a degree or more (Tesseract copes with less, and turning blurs the letters)."""
    from PIL import Image

    angle = estimate_skew(image)
    if abs(angle) < MIN_DESKEW:
        return image, 0.0
    return image.rotate(angle, resample=Image.BICUBIC, expand=True, fillcolor=255), angle


def _enlarge(image):
    from PIL import Image

    long_side = max(image.size)
    if long_side >= TARGET_LONG_SIDE * 0.75 or long_side == 0:
        return image
    scale = min(3.0, TARGET_LONG_SIDE / long_side)
    return image.resize((int(image.width * scale), int(image.height * scale)), Image.LANCZOS)


# --------------------------------------------------------------------------
# Tesseract and layout
# --------------------------------------------------------------------------

@dataclass
class _Word:
    text: str
    conf: float
    left: int
    top: int
    right: int
    bottom: int
    line: tuple[int, int, int]

    @property
    def height(self) -> int:
        return max(self.bottom - self.top, 1)


@dataclass
class _Piece:
    words: list[_Word]
    column_start: bool = False  # begins the right column (national title, motto): never joined to the left

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def height(self) -> float:
        return float(statistics.median(w.height for w in self.words))

    @property
    def center(self) -> float:
        return statistics.median((w.top + w.bottom) / 2 for w in self.words)


def _raw_words(data: dict) -> tuple[tuple, ...]:
    """Tesseract's TSV as word tuples (see :class:`OcrPage`); empty and non-word entries dropped."""
    words = []
    for i, text in enumerate(data.get("text", [])):
        text = normalize_text(str(text or "")).strip()
        try:
            conf = float(data["conf"][i])
        except (TypeError, ValueError):
            conf = -1.0
        if not text or conf < 0:
            continue
        left, top = int(data["left"][i]), int(data["top"][i])
        words.append((text, round(conf, 1), left, top, left + int(data["width"][i]), top + int(data["height"][i]),
                      int(data["block_num"][i]), int(data["par_num"][i]), int(data["line_num"][i])))
    return tuple(words)


def _clean(words: list[_Word]) -> list[_Word]:
    out = []
    for word in words:
        alnum = sum(1 for c in word.text if c.isalnum())
        if (alnum == 0 and word.conf < 70) or (word.conf < 35 and alnum <= 2):
            continue  # specks, rules, logo and stamp strokes read as letters
        out.append(word)
    return out


_RIGHT_COLUMN_STARTS = (("cong", "hoa", "xa"), ("doc", "lap", "-"), ("doc", "lap"))


def _split_at_titles(piece: _Piece) -> list[_Piece]:
    """A line where the left column runs close to the national title or the motto is cut before it."""
    from vanban.text import fold

    folded = [fold(w.text) for w in piece.words]
    for i in range(1, len(folded)):
        for start in _RIGHT_COLUMN_STARTS:
            if tuple(folded[i:i + len(start)]) == start:
                return [_Piece(piece.words[:i]), _Piece(piece.words[i:], column_start=True)]
    return [piece]


def layout(words: list[_Word]) -> list[_Piece]:
    """Words → line segments in reading order (rows top to bottom, left to right)."""
    by_line: dict[tuple[int, int, int], list[_Word]] = {}
    for word in words:
        by_line.setdefault(word.line, []).append(word)
    pieces: list[_Piece] = []
    for line_words in by_line.values():
        line_words.sort(key=lambda w: w.left)
        height = statistics.median(w.height for w in line_words)
        current = [line_words[0]]
        for word in line_words[1:]:
            if word.left - current[-1].right > COLUMN_GAP_HEIGHTS * height:
                pieces.append(_Piece(current))
                current = []
            current.append(word)
        pieces.append(_Piece(current))
    pieces = [part for piece in pieces for part in _split_at_titles(piece)]

    # pieces on one visual line form a row
    rows: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: (p.center, p.left)):
        home = None
        for row in rows[-4:]:
            center = statistics.median(p.center for p in row)
            height = max(statistics.median(p.height for p in row), piece.height)
            overlaps = any(not (piece.right < p.left or piece.left > p.right) for p in row)
            if abs(piece.center - center) <= 0.5 * height and not overlaps:
                home = row
        if home is None:
            rows.append([piece])
        else:
            home.append(piece)
    rows.sort(key=lambda r: statistics.median(p.center for p in r))
    ordered: list[_Piece] = []
    for row in rows:
        row.sort(key=lambda p: p.left)
        merged: list[_Piece] = [row[0]]
        for piece in row[1:]:
            height = max(merged[-1].height, piece.height)
            if piece.left - merged[-1].right <= COLUMN_GAP_HEIGHTS * height and not piece.column_start:
                merged[-1] = _Piece(merged[-1].words + piece.words, merged[-1].column_start)  # one phrase split by the layout analysis
            else:
                merged.append(piece)
        ordered.extend(merged)
    return ordered


# Words of the heading and signature that Tesseract often reads with a wrong or missing
# diacritic (LÂM ĐÓNG, KÉ HOẠCH, Tự đo). A phrase is put right only when the OCR
# letters without diacritics are exactly the phrase's: nothing else is changed.
_LEXICON = """
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN
HỘI ĐỒNG NHÂN DÂN
PHÓ CHỦ TỊCH
CHỦ TỊCH
PHÓ GIÁM ĐỐC
GIÁM ĐỐC
PHÓ CHÁNH VĂN PHÒNG
CHÁNH VĂN PHÒNG
GIÁM ĐỐC CÔNG AN TỈNH
BỘ CÔNG AN
CÔNG AN TỈNH
UBND TỈNH
ỦY BAN NHÂN DÂN TỈNH|UỶ BAN NHÂN DÂN TỈNH
TỈNH LÂM ĐỒNG
TỈNH BÌNH THUẬN
SỞ NỘI VỤ
SỞ TÀI CHÍNH
SỞ TƯ PHÁP
SỞ XÂY DỰNG
VĂN PHÒNG
TỔ CÔNG TÁC
HIỆP HỘI
BAN CHẤP HÀNH
BAN THƯỜNG TRỰC
BAN KIỂM TRA
TỜ TRÌNH
KẾ HOẠCH
QUYẾT ĐỊNH
BÁO CÁO
THÔNG BÁO
NGHỊ QUYẾT
BIÊN BẢN
ĐỀ ÁN
DỰ KIẾN
Kính gửi
Nơi nhận
Lâm Đồng
Bình Thuận
Đắk Nông
Hà Nội
Thành phố Hồ Chí Minh
""".strip().splitlines()


def _fold_same_length(text: str) -> Optional[str]:
    from vanban.text import fold

    folded = fold(text)
    return folded if len(folded) == len(text) else None


_LEXICON_FOLDED = []
for _line in _LEXICON:
    _forms = _line.split("|")
    _LEXICON_FOLDED.append((re.sub(r"\s+", " ", _fold_same_length(_forms[0]) or ""), _forms))


def _case_like(model: str, form: str) -> str:
    letters = [c for c in model if c.isalpha()]
    if letters and all(c.isupper() for c in letters):
        return form.upper()
    if letters and all(c.islower() for c in letters):
        return form.lower() if not form[:1].isupper() else form
    return form


def correct_line(text: str) -> str:
    """Put right the OCR misreadings of the administrative vocabulary and of the ``Số:`` line."""
    text = re.sub(r"^[S5][ốoóôồổỏ6]\s*[:;.]\s*", "Số: ", text)
    # the slash of the number lost: "Số: 310 HHDN-K4", "Số: 01UBND-TH"
    text = re.sub(r"^(Số: ?\d{1,6}) ?(?=[A-ZĐ]{2,}[A-ZĐ0-9]*(?:[-–][A-ZĐ0-9()]+)+\s*$)", r"\1/", text)
    # a one read as a bar or a letter l next to the digits of a date
    text = re.sub(r"(ngày|tháng)\s+[|lI](\d)\b", r"\1 1\2", text)
    folded = _fold_same_length(text)
    if folded is None:
        return text
    folded_dashes = re.sub(r"[\u2010-\u2015\u2212]", "-", folded)
    for key, forms in _LEXICON_FOLDED:
        if not key:
            continue
        pattern = r"(?<![\w])" + re.escape(key).replace(r"\ \-\ ", r"\s*-\s*").replace(r"\ ", r"\s+") + r"(?![\w])"
        for match in list(re.finditer(pattern, folded_dashes, flags=re.IGNORECASE)):
            original = text[match.start():match.end()]
            if any(original.lower() == f.lower() for f in forms):
                continue
            if len(re.sub(r"\s+", " ", original)) != len(forms[0]):
                continue  # spaces differ: keep the lengths aligned for the next phrases
            replacement = _case_like(original, forms[0])
            text = text[:match.start()] + replacement + text[match.end():]
    return text


def _blocks_from_words(words: list[_Word]) -> tuple[tuple[OcrBlock, ...], Optional[float]]:
    words = _clean(words)
    if not words:
        return (), None
    blocks = []
    for piece in layout(words):
        text = correct_line(" ".join(w.text for w in piece.words))
        conf = sum(w.conf for w in piece.words) / len(piece.words)
        blocks.append(OcrBlock(text, round(conf, 1), (piece.left, piece.top, piece.right, piece.bottom)))
    letters = [w for w in words if any(c.isalnum() for c in w.text)] or words
    total = sum(len(w.text) for w in letters) or 1
    page_conf = sum(w.conf * len(w.text) for w in letters) / total
    return tuple(blocks), round(page_conf, 1)


def _tesseract_data(image, exe: str) -> dict:
    pytesseract = _pytesseract()
    pytesseract.pytesseract.tesseract_cmd = exe
    try:
        return pytesseract.image_to_data(image, lang=LANG, config=f"--psm {PSM}",
                                         output_type=pytesseract.Output.DICT, timeout=PAGE_TIMEOUT)
    except RuntimeError as exc:  # pytesseract's timeout
        raise ReadError(f"nhận dạng chữ (OCR) quá thời gian ({PAGE_TIMEOUT} giây một trang)") from exc
    except pytesseract.TesseractNotFoundError as exc:
        raise MissingToolError(MISSING_TESSERACT) from exc
    except pytesseract.TesseractError as exc:
        raise ReadError(f"Tesseract không đọc được trang ({exc})") from exc


def _orientation(image, exe: str) -> int:
    """Degrees to turn the page counter-clockwise so its text stands upright (0 when unsure)."""
    pytesseract = _pytesseract()
    pytesseract.pytesseract.tesseract_cmd = exe
    small = image
    if max(image.size) > 2000:
        scale = 2000 / max(image.size)
        small = image.resize((int(image.width * scale), int(image.height * scale)))
    try:
        osd = pytesseract.image_to_osd(small, config="--psm 0", output_type=pytesseract.Output.DICT, timeout=60)
    except Exception:  # noqa: BLE001 - too little text to decide, or any other failure: keep as is
        return 0
    try:
        rotate = int(osd.get("rotate", 0)) % 360
        confidence = float(osd.get("orientation_conf", 0))
    except (TypeError, ValueError):
        return 0
    return rotate if rotate and confidence >= 1.5 else 0


def ocr_image(image, page: int, exe: Optional[str] = None) -> OcrPage:
    """Read one page image (PIL) with Tesseract; deskews, tries other orientations when poor."""
    if exe is None:
        exe, _ = require_tesseract()
    grey = _enlarge(_to_grey(image))
    upright, skew = _deskew(grey)
    result = OcrPage(page, _raw_words(_tesseract_data(upright, exe)), 0, skew)
    STATS["ocr_pages"] += 1
    if result.confidence is None or result.confidence < RETRY_CONFIDENCE or not result.readable:
        rotate = _orientation(grey, exe)
        if rotate:
            from PIL import Image

            turned = grey.rotate(-rotate, expand=True, resample=Image.NEAREST, fillcolor=255)
            turned, skew2 = _deskew(turned)
            second = OcrPage(page, _raw_words(_tesseract_data(turned, exe)), rotate, skew2)
            if (second.confidence or 0) > (result.confidence or 0):
                result = second
    return result


# --------------------------------------------------------------------------
# Cache
# --------------------------------------------------------------------------

def cache_dir() -> Path:
    """``$VANBAN_CACHE_DIR/ocr`` or ``$XDG_CACHE_HOME/vanban/ocr`` (``~/.cache`` by default)."""
    explicit = os.environ.get("VANBAN_CACHE_DIR")
    if explicit:
        base = Path(explicit) / "ocr"
    else:
        xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        base = Path(xdg) / "vanban" / "ocr"
    try:
        base.mkdir(parents=True, exist_ok=True)
        return base
    except OSError:
        fallback = Path(tempfile.gettempdir()) / f"vanban-ocr-{os.getuid() if hasattr(os, 'getuid') else 'user'}"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def _settings_key(version: str, dpi: int) -> str:
    text = f"{_CACHE_VERSION}|{LANG}|psm{PSM}|{dpi}dpi|{version}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


class _Cache:
    """The pages of one file already read, kept in one JSON file written atomically."""

    def __init__(self, sha256: str, version: str, dpi: int, enabled: bool):
        self.enabled = enabled and bool(sha256)
        self.path = cache_dir() / f"{sha256}-{_settings_key(version, dpi)}.json" if self.enabled else None
        self.pages: dict[int, OcrPage] = {}
        self.dirty = False
        if self.path is not None and self.path.is_file():
            try:
                data = json.loads(self.path.read_text(encoding="utf-8"))
                self.pages = {int(p["page"]): OcrPage.from_json(p) for p in data.get("pages", [])}
            except (OSError, ValueError, KeyError, TypeError):
                self.pages = {}  # a damaged entry is read again and rewritten

    def get(self, page: int) -> Optional[OcrPage]:
        if not self.enabled:
            return None
        found = self.pages.get(page)
        if found is not None:
            STATS["cached_pages"] += 1
        return found

    def put(self, result: OcrPage) -> None:
        if self.enabled:
            self.pages[result.page] = result
            self.dirty = True

    def save(self) -> None:
        if not self.dirty or self.path is None:
            return
        data = {"version": _CACHE_VERSION, "pages": [self.pages[k].to_json() for k in sorted(self.pages)]}
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".tmp-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(tmp, self.path)
            self.dirty = False
        except OSError:
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass


# --------------------------------------------------------------------------
# PDF pages
# --------------------------------------------------------------------------

def _rasterise(pdftoppm: str, pdf: Path, page: int, dpi: int, workdir: Path):
    from PIL import Image

    prefix = workdir / f"p{page}"
    try:
        done = subprocess.run(
            [pdftoppm, "-r", str(dpi), "-gray", "-hide-annotations", "-f", str(page), "-l", str(page),
             "-singlefile", str(pdf), str(prefix)],
            capture_output=True, timeout=PAGE_TIMEOUT)
    except subprocess.TimeoutExpired as exc:
        raise ReadError(f"pdftoppm quá thời gian khi dựng ảnh trang {page}") from exc
    except OSError as exc:
        raise MissingToolError(MISSING_PDFTOPPM) from exc
    produced = prefix.with_suffix(".pgm")
    if done.returncode != 0 or not produced.is_file():
        message = (done.stderr or b"").decode("utf-8", "replace").strip().splitlines()
        raise ReadError(f"pdftoppm không dựng được ảnh trang {page}" + (f" ({message[-1]})" if message else ""))
    with Image.open(produced) as image:
        image.load()
        return image.copy()


class PdfOcr:
    """OCR of the pages of one PDF, with the cache; ``close()`` writes the cache."""

    def __init__(self, path: Path, sha256: str, options: OcrOptions, dpi: int = DPI):
        self.path = path
        self.options = options
        self.dpi = dpi
        self.exe, self.version = require_tools(pdf=True)
        self.pdftoppm = require_pdftoppm()
        self.cache = _Cache(sha256, self.version, dpi, options.cache)
        self._workdir: Optional[tempfile.TemporaryDirectory] = None

    def page(self, page: int) -> OcrPage:
        cached = self.cache.get(page)
        if cached is not None:
            return cached
        if self._workdir is None:
            self._workdir = tempfile.TemporaryDirectory(prefix="vanban-ocr-")
        image = _rasterise(self.pdftoppm, self.path, page, self.dpi, Path(self._workdir.name))
        result = ocr_image(image, page, self.exe)
        self.cache.put(result)
        return result

    def close(self) -> None:
        self.cache.save()
        if self._workdir is not None:
            self._workdir.cleanup()
            self._workdir = None


# --------------------------------------------------------------------------
# Blocks, notes
# --------------------------------------------------------------------------

def to_blocks(result: OcrPage, start_index: int) -> list[Block]:
    return [Block(text=b.text, location=Location(part="page", index=start_index + k, page=result.page),
                  source="ocr", confidence=b.confidence)
            for k, b in enumerate(result.blocks)]


def page_ranges(pages: Iterable[int]) -> str:
    """``1–3, 5`` for pages 1, 2, 3, 5."""
    numbers = sorted(set(pages))
    parts: list[str] = []
    i = 0
    while i < len(numbers):
        j = i
        while j + 1 < len(numbers) and numbers[j + 1] == numbers[j] + 1:
            j += 1
        parts.append(str(numbers[i]) if i == j else f"{numbers[i]}–{numbers[j]}")
        i = j + 1
    return ", ".join(parts)


def ocr_note(results: list[OcrPage]) -> Optional[str]:
    if not results:
        return None
    weights = [(r.confidence, len(r.text)) for r in results if r.confidence is not None]
    total = sum(w for _, w in weights)
    mean = sum(c * w for c, w in weights) / total if total else None
    note = f"Trang {page_ranges(r.page for r in results)} đọc bằng nhận dạng chữ (OCR)"
    if mean is not None:
        note += f", độ tin cậy trung bình {mean:.0f}%"
    turned = [r.page for r in results if r.rotation]
    if turned:
        note += f"; trang {page_ranges(turned)} bị xoay, đã xoay lại"
    return note


# --------------------------------------------------------------------------
# Image files
# --------------------------------------------------------------------------

def _frames(image) -> list:
    from PIL import ImageSequence

    frames = []
    for frame in ImageSequence.Iterator(image):
        frames.append(frame.copy())
        if len(frames) >= 200:
            break
    return frames


def read_image(path: str | Path, options: Optional[OcrOptions] = None) -> RawDocument:
    """A photographed or scanned page (.jpg/.png/.tif, several pages in a TIFF) → RawDocument ``image``."""
    from PIL import Image, UnidentifiedImageError

    path = Path(path)
    options = options or current_options()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"không đọc được tệp: {exc.strerror or exc}", path) from exc
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        import io

        Image.MAX_IMAGE_PIXELS = 200_000_000
        with Image.open(io.BytesIO(data)) as image:
            frames = _frames(image)
            dpi = image.info.get("dpi")
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ReadError(f"tệp ảnh bị hỏng hoặc không đúng định dạng ({type(exc).__name__})", path) from exc
    if not frames:
        raise ReadError("tệp ảnh không có trang nào", path)

    pages: list[PageSetup] = []
    for index, frame in enumerate(frames):
        try:
            x_dpi = float(dpi[0]) if dpi and float(dpi[0]) >= 72 else None
        except (TypeError, ValueError, IndexError):
            x_dpi = None
        if x_dpi:
            width_mm, height_mm = frame.width / x_dpi * 25.4, frame.height / x_dpi * 25.4
            pages.append(PageSetup(index=index, width_mm=round(width_mm, 1), height_mm=round(height_mm, 1),
                                   orientation="landscape" if width_mm > height_mm else "portrait"))

    notes: list[str] = []
    blocks: list[Block] = []
    unread: list[int] = []
    results: list[OcrPage] = []
    if options.mode == "off":
        unread = list(range(1, len(frames) + 1))
        notes.append("Tệp ảnh: chưa đọc chữ vì OCR đang tắt (--ocr off)")
    else:
        try:
            exe, version = require_tools(pdf=False)
        except MissingToolError as error:
            exe = None
            unread = list(range(1, len(frames) + 1))
            notes.append(f"Tệp ảnh chưa đọc được chữ. {error.message}")
        if exe is not None:
            cache = _Cache(sha256, version, 0, options.cache)
            try:
                for number, frame in enumerate(frames, start=1):
                    if options.mode != "force" and options.max_pages is not None and number > options.max_pages:
                        unread.append(number)
                        continue
                    result = cache.get(number)
                    if result is None:
                        result = ocr_image(frame, number, exe)
                        cache.put(result)
                    if result.readable:
                        results.append(result)
                        blocks.extend(to_blocks(result, len(blocks)))
                    else:
                        unread.append(number)
            except ReadError as error:
                raise ReadError(error.message, path) from error
            finally:
                cache.save()
            note = ocr_note(results)
            if note:
                notes.append(note)
            if unread:
                notes.append(f"Trang {page_ranges(unread)} của tệp ảnh không nhận dạng được chữ")
    return RawDocument(
        path=str(path), format="image", blocks=tuple(blocks), pages=tuple(pages), page_count=len(frames),
        scanned_pages=tuple(unread), ocr_pages=tuple(r.page for r in results), notes=tuple(notes), sha256=sha256,
    )


# --------------------------------------------------------------------------
# PDF: which pages, and the RawDocument with their OCR text
# --------------------------------------------------------------------------

_POINTS_PER_MM = 72 / 25.4
_SCAN_NOTE = re.compile(r"^Trang (\d+) là ảnh quét, không có lớp chữ")
_GARBLED_NOTE = re.compile(r"^Lớp chữ của trang ([\d, ]+) bị lỗi phông")


def _page_texts(raw: RawDocument) -> dict[int, str]:
    texts: dict[int, list[str]] = {}
    for block in raw.blocks:
        if block.location.part == "page" and block.location.page:
            texts.setdefault(block.location.page, []).append(block.text)
    return {page: "\n".join(parts) for page, parts in texts.items()}


def pages_to_read(raw: RawDocument, options: OcrOptions) -> tuple[list[int], list[int]]:
    """(pages without a text layer, pages whose text layer is not Vietnamese) that OCR should read."""
    from vanban.read.textlayer import score_text

    count = raw.page_count or 0
    limit = count if options.max_pages is None or options.mode == "force" else min(count, options.max_pages)
    if options.mode == "off" or limit <= 0:
        return [], []
    texts = _page_texts(raw)
    if options.mode == "force":
        scanned = [p for p in range(1, limit + 1) if p in raw.scanned_pages]
        return scanned, [p for p in range(1, limit + 1) if p not in raw.scanned_pages]
    scanned = [p for p in raw.scanned_pages if p <= limit]
    foreign = [p for p in range(1, limit + 1)
               if p not in raw.scanned_pages and not score_text(texts.get(p, "")).vietnamese]
    return scanned, foreign


def _with_layout(block: Block, box: tuple[int, int, int, int], page: Optional[PageSetup], dpi: int) -> Block:
    """Fill the PDF layout fields of a block (points) when the model has them."""
    fields = getattr(Block, "__dataclass_fields__", {})
    if "x0" not in fields or page is None:
        return block
    scale = 72 / dpi
    height_pt = page.height_mm * _POINTS_PER_MM
    left, top, right, bottom = box
    changes = {"x0": round(left * scale, 1), "x1": round(right * scale, 1), "y": round(height_pt - bottom * scale, 1)}
    if "font_size" in fields:
        changes["font_size"] = round((bottom - top) * scale * 1.15, 1)
    if "page_width" in fields:
        changes["page_width"] = round(page.width_mm * _POINTS_PER_MM, 1)
    return dataclasses.replace(block, **changes)


def _repeats(text: str, kept: list[str]) -> bool:
    import difflib

    folded = _fold_same_length(text) or text
    return any(difflib.SequenceMatcher(None, folded, other).ratio() >= 0.85 for other in kept)


def apply_pdf_ocr(raw: RawDocument, path: str | Path, options: Optional[OcrOptions] = None) -> RawDocument:
    """``raw`` (from the PDF reader) with OCR text on the pages that need it.

    Pages without a text layer keep what little text they have (a ``SAO Y``
    stamp line) and get the OCR blocks after it; pages whose layer is not
    Vietnamese (or every page, with ``force``) have their page blocks
    replaced. Widget blocks are always kept. Never raises for a missing
    tool: the pages then stay unread and a note says what to install.
    """
    from vanban.read.textlayer import score_text

    options = options or current_options()
    scanned, foreign = pages_to_read(raw, options)
    notes = list(raw.notes)
    if options.mode == "off":
        notes = [n.replace(" (chưa hỗ trợ OCR)", " (OCR đang tắt)") if _SCAN_NOTE.match(n) else n for n in notes]
        return dataclasses.replace(raw, notes=tuple(notes))
    wanted = sorted(set(scanned) | set(foreign))
    if not wanted:
        return raw

    results: dict[int, OcrPage] = {}
    failures: list[str] = []
    try:
        session = PdfOcr(Path(path), raw.sha256, options)
    except MissingToolError as error:
        notes = [n.replace(" (chưa hỗ trợ OCR)", "") if _SCAN_NOTE.match(n) else n for n in notes]
        notes.append(f"Chưa đọc được trang scan {page_ranges(wanted)}. {error.message}")
        return dataclasses.replace(raw, notes=tuple(notes))
    try:
        for page in wanted:
            try:
                results[page] = session.page(page)
            except ReadError as error:
                failures.append(f"Trang {page}: {error.message}")
            except MissingToolError as error:
                failures.append(error.message)
                break
    finally:
        session.close()

    layout_pages = {p.index + 1: p for p in raw.pages}
    used: dict[int, OcrPage] = {}
    replaced: set[int] = set()
    for page, result in results.items():
        if not result.readable:
            continue
        if page in foreign:
            before = score_text(_page_texts(raw).get(page, ""))
            after = score_text(result.text)
            if options.mode != "force" and after.quality <= before.quality + 0.05:
                continue  # the layer reads as well as the image: keep it (a page in another language)
            replaced.add(page)
        used[page] = result

    blocks: list[Block] = []
    pages_in_order = sorted({b.location.page or 0 for b in raw.blocks} | set(used))
    by_page: dict[int, list[Block]] = {}
    for block in raw.blocks:
        by_page.setdefault(block.location.page or 0, []).append(block)
    for page in pages_in_order:
        own = by_page.get(page, [])
        if page in replaced:
            own = [b for b in own if b.location.part != "page"]
        blocks.extend(own)
        if page in used:
            kept = [_fold_same_length(b.text) or b.text for b in own if b.location.part == "page"]
            for ocr_block in used[page].blocks:
                if kept and _repeats(ocr_block.text, kept):
                    continue  # the stamp line of the text layer, read again from the image
                block = Block(text=ocr_block.text, location=Location(part="page", index=0, page=page),
                              source="ocr", confidence=ocr_block.confidence)
                blocks.append(_with_layout(block, ocr_block.box, layout_pages.get(page), DPI))
    blocks = [dataclasses.replace(b, location=dataclasses.replace(b.location, index=i)) for i, b in enumerate(blocks)]

    new_notes: list[str] = []
    limit = options.max_pages if options.mode != "force" else None
    beyond = [p for p in raw.scanned_pages if limit is not None and p > limit]
    for note in notes:
        match = _SCAN_NOTE.match(note)
        if match:
            page = int(match.group(1))
            if page in used or page in beyond:
                continue
            note = note.replace(" (chưa hỗ trợ OCR)", " (OCR không nhận dạng được chữ)" if page in results else "")
        match = _GARBLED_NOTE.match(note)
        if match and {int(p) for p in re.findall(r"\d+", match.group(1))} <= replaced:
            continue
        new_notes.append(note)
    if beyond:
        new_notes.append(f"Trang {page_ranges(beyond)} là ảnh quét, chưa đọc bằng nhận dạng chữ (OCR tự động chỉ "
                         f"đọc {limit} trang đầu mỗi tệp; dùng --ocr force để đọc hết)")
    if replaced:
        new_notes.append(f"Lớp chữ của trang {page_ranges(replaced)} không phải tiếng Việt (chữ do máy scan tự "
                         "nhận dạng sai), đã thay bằng chữ nhận dạng lại")
    note = ocr_note([used[p] for p in sorted(used)])
    if note:
        new_notes.append(note)
    new_notes.extend(failures)
    return dataclasses.replace(
        raw, blocks=tuple(blocks), notes=tuple(new_notes),
        scanned_pages=tuple(p for p in raw.scanned_pages if p not in used),
        ocr_pages=tuple(sorted(used)),
    )
