"""Numbers and units → exact Decimal 万元."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from ..models import Amount

# How many 万元 one unit is. "万" alone (项目总预算1720.00万) means 万元.
_TO_WAN = {
    "万元": Decimal(1),
    "万": Decimal(1),
    "元": Decimal("0.0001"),
    "亿元": Decimal(10000),
    "亿": Decimal(10000),
}


def parse_number(text: str) -> Decimal:
    """'1,720.00' → Decimal('1720.00'); raises ValueError on anything else."""
    cleaned = text.replace(",", "").replace(" ", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"not a number: {text!r}") from exc
    if not value.is_finite():
        raise ValueError(f"not a finite number: {text!r}")
    return value


def unit_factor(unit: str) -> Decimal:
    """How many 万元 one of ``unit`` is."""
    return _TO_WAN[unit]


def to_wan(value: Decimal, unit: str) -> Decimal:
    try:
        factor = _TO_WAN[unit]
    except KeyError as exc:
        raise ValueError(f"unknown money unit: {unit!r}") from exc
    if factor == 1:
        return value
    # Keep every digit: 1,234.50元 is exactly 0.123450万元.
    return _plain((value * factor).normalize()) if factor > 1 else _exact_scale(value, factor)


def _plain(value: Decimal) -> Decimal:
    """7.814亿元 is 78140万元, never 7.814E+4: a whole number keeps exponent 0."""
    exponent = value.as_tuple().exponent
    return value.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else value


def _exact_scale(value: Decimal, factor: Decimal) -> Decimal:
    scaled = value * factor
    exponent = value.as_tuple().exponent
    places = -int(exponent) if isinstance(exponent, int) else 0
    return scaled.quantize(Decimal(1).scaleb(-(places + 4)))


def make_amount(number_text: str, unit: str) -> Amount:
    value = parse_number(number_text)
    return Amount(wan=to_wan(value, unit), value=value, unit=unit, text=f"{number_text}{unit}")


_CHINESE_DIGITS = {c: n for n, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def parse_count(text: str) -> int:
    """'12' → 12, '3,379' → 3379; Chinese numerals up to 99: '四' → 4, '十二' → 12, '二十' → 20,
    '三十五' → 35."""
    digits = text.replace(",", "")
    if digits.isdigit():
        return int(digits)
    tens, _, ones = text.partition("十")
    if "十" not in text:
        return _CHINESE_DIGITS[text]
    return (_CHINESE_DIGITS[tens] if tens else 1) * 10 + (_CHINESE_DIGITS[ones] if ones else 0)


def parse_percent(text: str) -> Decimal:
    return parse_number(text.rstrip("%％"))


def format_decimal(value: Decimal | None) -> str:
    """Plain notation without exponent, for CSV and messages."""
    if value is None:
        return ""
    text = format(value, "f")
    return text
