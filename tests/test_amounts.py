from __future__ import annotations

from decimal import Decimal

import pytest

from extractor.text.amounts import make_amount, parse_count, parse_number, to_wan


@pytest.mark.parametrize(
    ("number", "unit", "wan"),
    [
        ("221.17", "万元", "221.17"),
        ("1,720.00", "万", "1720.00"),
        ("96,282,213.44", "元", "9628.2213440000"),
        ("1,234.50", "元", "0.123450"),
        ("0.00", "元", "0.000000"),
        ("2.5", "亿元", "25000"),
        ("0", "万元", "0"),
    ],
)
def test_amounts_convert_to_exact_wan(number: str, unit: str, wan: str) -> None:
    amount = make_amount(number, unit)
    assert amount.wan == Decimal(wan)
    assert amount.unit == unit
    assert amount.text == f"{number}{unit}"


def test_conversion_is_exact_not_float() -> None:
    assert to_wan(Decimal("0.01"), "元") == Decimal("0.000001")
    assert str(to_wan(Decimal("16726725.44"), "元")) == "1672.672544"


@pytest.mark.parametrize("bad", ["", "1.2.3", "abc", "Infinity", "NaN"])
def test_non_numbers_are_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_number(bad)


def test_yi_yuan_is_written_as_a_plain_decimal() -> None:
    # 7.814亿元 = 78140万元; 2亿元 = 20000万元 — never in exponent notation.
    assert str(make_amount("7.814", "亿元").wan) == "78140"
    assert str(make_amount("2", "亿元").wan) == "20000"
    assert str(make_amount("0.5", "亿元").wan) == "5000"


@pytest.mark.parametrize(
    ("text", "count"), [("7", 7), ("四", 4), ("两", 2), ("十", 10), ("十二", 12), ("二十", 20), ("三十五", 35)]
)
def test_counts_in_digits_or_chinese_numerals(text: str, count: int) -> None:
    assert parse_count(text) == count
