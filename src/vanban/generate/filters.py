"""Jinja filters for Vietnamese administrative documents.

Pure functions: dates in the Nghị định 30 form, Vietnamese number and money
formatting, and numbers read out in words (for amounts in letters).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Callable

from ..errors import ConfigError


def to_date(value: Any, field: str = "ngày") -> dt.date:
    """A date object or an ISO ``YYYY-MM-DD`` string → date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ConfigError(f"trường '{field}' không phải ngày hợp lệ (cần dạng YYYY-MM-DD): {value!r}")


def _nd30_day(day: int) -> str:
    return f"{day:02d}"


def _nd30_month(month: int) -> str:
    # Nghị định 30: a leading zero only for days below 10 and for months 1 and 2.
    return f"{month:02d}" if month <= 2 else str(month)


def ngay_nd30(value: Any) -> str:
    """``ngày 05 tháng 01 năm 2026`` (``tháng 5``, not ``tháng 05``)."""
    d = to_date(value)
    return f"ngày {_nd30_day(d.day)} tháng {_nd30_month(d.month)} năm {d.year}"


def ngay(value: Any) -> str:
    """``05/01/2026``; empty for a missing date (an open deadline)."""
    if value is None or value == "":
        return ""
    d = to_date(value)
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def so(value: Any, width: int = 2) -> str:
    """Document number, zero-padded: ``5`` → ``05``; non-digits kept as written."""
    if value is None:
        return ""
    text = str(value).strip()
    return text.zfill(width) if text.isdigit() else text


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ConfigError(f"không phải số: {value!r}")
    try:
        return Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ConfigError(f"không phải số: {value!r}") from None


def so_vn(value: Any, decimals: int | None = None) -> str:
    """Vietnamese grouping: ``1206`` → ``1.206``, ``18.5`` → ``18,5``.

    ``decimals`` rounds (half up); otherwise trailing zeros are dropped.
    """
    if value is None or value == "":
        return ""
    number = _to_decimal(value)
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
        text = f"{number:.{decimals}f}"
    else:
        text = format(number.normalize(), "f") if number != number.to_integral() else str(int(number))
    sign = "-" if text.startswith("-") else ""
    text = text.lstrip("-")
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    return sign + out + ("," + frac if frac else "")


def phan_tram(value: Any, decimals: int = 1) -> str:
    """``18.5`` → ``18,5%``, ``20`` → ``20,0%``: rounded half up, a fixed number of decimals, no space (as
    seed 001 writes it, and as the task report computes its rates)."""
    if value is None or value == "":
        return ""
    number = _to_decimal(value).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return f"{so_vn(number, decimals)}%"


def tien(value: Any) -> str:
    """Money: ``1500000`` → ``1.500.000 đồng``."""
    return f"{so_vn(_to_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))} đồng"


_DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
_SCALES = ["", " nghìn", " triệu", " tỷ"]


def _read_triple(n: int, full: bool) -> str:
    """Read 0..999; ``full`` when a higher group precedes (``không trăm linh năm``)."""
    hundreds, tens, units = n // 100, (n // 10) % 10, n % 10
    words: list[str] = []
    if hundreds or full:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and (hundreds or full):
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [_DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        elif units == 4 and tens >= 2:
            words.append("tư")
        else:
            words.append(_DIGITS[units])
    return " ".join(words)


def read_number(n: int) -> str:
    """A whole number in Vietnamese words: 1500000 → ``một triệu năm trăm nghìn``."""
    if n < 0:
        return "âm " + read_number(-n)
    if n == 0:
        return "không"
    if n >= 1000**3:
        # Above a billion the scale repeats: 2.500.000.000.000 = hai nghìn năm trăm tỷ.
        high, low = divmod(n, 1000**3)
        head = read_number(high) + " tỷ"
        return head if low == 0 else head + " " + _read_below_billion(low, True)
    return _read_below_billion(n, False)


def _read_below_billion(n: int, full: bool) -> str:
    groups = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    parts: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if value == 0:
            continue
        need_full = full or index < len(groups) - 1
        parts.append(_read_triple(value, need_full) + _SCALES[index])
    return " ".join(parts)


def doc_so(value: Any, unit: str = "đồng") -> str:
    """Amount in words: ``1500000`` → ``một triệu năm trăm nghìn đồng``."""
    number = int(_to_decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    text = read_number(number)
    return f"{text} {unit}".strip() if unit else text


def upper_vn(value: Any) -> str:
    """Upper case that keeps Vietnamese letters (Python's is correct; kept for templates)."""
    return str(value).upper()


FILTERS: dict[str, Callable[..., str]] = {
    "ngay_nd30": ngay_nd30,
    "ngay": ngay,
    "so": so,
    "so_vn": so_vn,
    "tien": tien,
    "doc_so": doc_so,
    "phan_tram": phan_tram,
    "hoa": upper_vn,
}
