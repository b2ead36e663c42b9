"""How precisely a figure is stated, and whether figures agree at that precision.

A note writes 30万元 for 30.00 as often as it writes 3461万元 for 34,608,512元. So each
figure has two precisions: the *nominal* one, where a figure in whole 万元 counts as exact to
the cent, and the *stated* one, half a unit of its last written digit. Figures that agree
nominally agree; figures that agree only at the stated precision agree when a single figure
is rounded (a headline rounded to the 万元 against its table in 元), and are a warning when
several are (nothing then shows that whole 万元 are rounded rather than exact). Only figures
that disagree at every reading are an inconsistency of the note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from .amounts import format_decimal, unit_factor
from .models import Amount

HALF = Decimal("0.5")
HUNDRED = Decimal(100)
ZERO = Decimal(0)
# A figure in 元 read as 万元 is 10^4 too large; one in 万元 read as 亿元, 10^4 again.
SCALE_SLIPS = (4, -4, 8, -8)
MIN_SLIP_DIGITS = 3


def places(number: Decimal) -> int:
    """Decimal places as written: 71.73 → 2, 30 → 0."""
    exponent = number.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def half_ulp(amount: Amount) -> Decimal:
    """Half a unit in the last place, in 万元, reading whole 万元 figures as cents (30万元 is
    30.00); a figure in 元 is as precise as it is printed."""
    decimals = places(amount.value) if amount.unit == "元" else max(2, places(amount.value))
    return (HALF * Decimal(10) ** -decimals * unit_factor(amount.unit)).normalize()


def stated_half_ulp(amount: Amount) -> Decimal:
    """Half a unit of the last written digit, in 万元: 3461万元 is 3461 ± 0.5."""
    return (HALF * Decimal(10) ** -places(amount.value) * unit_factor(amount.unit)).normalize()


def is_rounded(amount: Amount) -> bool:
    """Written more coarsely than the cent of a 万元 (whole 万元, one decimal, 亿元)."""
    return stated_half_ulp(amount) > half_ulp(amount)


def percent_half_ulp(percent: Decimal) -> Decimal:
    """Half a unit of a stated percentage's last digit: 24% ± 0.5, 71.73% ± 0.005."""
    return HALF * Decimal(10) ** -places(percent)


@dataclass(frozen=True)
class Margin:
    """How far a stated figure may be from the one computed from others."""

    strict: Decimal  # whole 万元 read as exact
    loose: Decimal  # whole 万元 read as rounded
    rounded: tuple[str, ...] = ()  # the figures (as written) that may be rounded
    same: bool = False  # one figure stated twice: the coarser statement sets the margin

    def __add__(self, other: Margin) -> Margin:
        return Margin(
            self.strict + other.strict, self.loose + other.loose, self.rounded + other.rounded
        )

    def scaled(self, factor: Decimal) -> Margin:
        return Margin(self.strict * factor, self.loose * factor, self.rounded, self.same)


def margin_of(amounts: Iterable[Amount | None]) -> Margin:
    """The margin of a sum (or difference) of stated figures: their roundings add up."""
    total = Margin(ZERO, ZERO)
    for amount in amounts:
        if amount is not None:
            rounded = (amount.text,) if is_rounded(amount) else ()
            total = total + Margin(half_ulp(amount), stated_half_ulp(amount), rounded)
    return total


def same_margin(first: Amount, second: Amount) -> Margin:
    """One figure stated twice agrees when the finer statement rounds to the coarser one."""
    rounded = tuple(a.text for a in (first, second) if is_rounded(a))
    return Margin(
        max(half_ulp(first), half_ulp(second)),
        max(stated_half_ulp(first), stated_half_ulp(second)),
        rounded,
        same=True,
    )


def ratio_margin(
    numerator: Decimal, numerator_margin: Margin, denominator: Decimal, denominator_margin: Margin
) -> Margin:
    """The margin of 100 · numerator / denominator (in percentage points), to first order."""
    base = abs(denominator)

    def bound(num: Decimal, den: Decimal) -> Decimal:
        return HUNDRED * (num / base + abs(numerator) * den / base**2)

    return Margin(
        bound(numerator_margin.strict, denominator_margin.strict),
        bound(numerator_margin.loose, denominator_margin.loose),
        numerator_margin.rounded + denominator_margin.rounded,
    )


def percent_margin(percent: Decimal) -> Margin:
    """A stated percentage is itself rounded to its last digit."""
    own = percent_half_ulp(percent)
    return Margin(own, own)


@dataclass(frozen=True)
class Verdict:
    """The outcome of comparing a stated figure with the one it should equal."""

    passed: bool
    rounded_only: bool = False  # agrees only if several whole-万元 figures are rounded
    note: str = ""


def judge(difference: Decimal, margin: Margin) -> Verdict:
    difference = abs(difference)
    if difference == 0:
        return Verdict(True)
    if difference <= margin.strict:
        return Verdict(True, note=f"within rounding (difference {plain(difference)})")
    # Two roundings of one value are at most one unit apart; a sum of n rounded figures is
    # off by less than the sum of their half units.
    within = difference <= margin.loose if margin.same else difference < margin.loose
    if within:
        figures = ", ".join(dict.fromkeys(margin.rounded))
        if margin.same or len(set(margin.rounded)) <= 1:
            return Verdict(
                True, note=f"at the precision stated ({figures or 'the figures'} rounded)"
            )
        return Verdict(
            False,
            rounded_only=True,
            note=f"they agree only if the figures written in whole 万元 ({figures}) are rounded",
        )
    return Verdict(False)


def significant_digits(number: Decimal) -> int:
    """Digits as written, without leading zeros: 0.000236 → 3, 494400.00 → 8."""
    return len(number.as_tuple().digits) if number else 0


def scale_slip(
    stated: Decimal,
    stated_margin: Decimal,
    computed: Decimal,
    computed_margin: Decimal,
    digits: int,
) -> int | None:
    """The power of ten (±4, ±8) by which two readings of one figure differ exactly, if they
    do: 2.36万元 against 0.000236万元 (2.36元) is a figure in 元 read as 万元. ``digits``: the
    significant digits of the coarser figure; with fewer than three a match may be chance
    (0.3 against 2961.68 is not a slip)."""
    if digits < MIN_SLIP_DIGITS or stated == 0 or computed == 0:
        return None
    for power in SCALE_SLIPS:
        factor = Decimal(10) ** power
        if abs(stated - computed * factor) <= stated_margin + computed_margin * factor:
            return power
    return None


def plain(value: Decimal | None) -> str:
    """Plain digits; a stated figure as written (5.60), a computed one without zeros beyond
    the cents (847.070000 → 847.07)."""
    if value is None:
        return "-"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            value = value.quantize(Decimal("0.01"))
    return format_decimal(value)
