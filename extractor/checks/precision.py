"""How precisely a figure is stated, and whether figures agree at that precision.

A note writes 30万元 for 30.00 as often as it writes 3461万元 for 34,608,512元. So each
figure has two precisions: the *nominal* one, where a figure in whole 万元 counts as exact to
the cent, and the *stated* one, half a unit of its last written digit. Figures that agree
nominally agree; figures that agree when one of them is read as rounded agree (a headline
rounded to the 万元 against its table in 元); figures that agree only when several are read
as rounded are a warning (nothing then shows that whole 万元 are rounded rather than exact).
Only figures that disagree at every reading are an inconsistency of the note.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from ..models import Amount
from ..text.amounts import format_decimal, unit_factor

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
    return _half_unit(decimals, amount.unit)


def stated_half_ulp(amount: Amount) -> Decimal:
    """Half a unit of the last written digit, in 万元: 3461万元 is 3461 ± 0.5."""
    return _half_unit(places(amount.value), amount.unit)


@cache
def _half_unit(decimals: int, unit: str) -> Decimal:
    """Half a unit of the ``decimals``-th place of ``unit``, in 万元 (a few dozen pairs in all,
    asked for by every check of every figure)."""
    return (HALF * Decimal(10) ** -decimals * unit_factor(unit)).normalize()


def is_rounded(amount: Amount) -> bool:
    """Written more coarsely than the cent of a 万元 (whole 万元, one decimal, 亿元)."""
    return stated_half_ulp(amount) > half_ulp(amount)


def percent_half_ulp(percent: Decimal) -> Decimal:
    """Half a unit of a stated percentage's last digit: 24% ± 0.5, 71.73% ± 0.005."""
    return HALF * Decimal(10) ** -places(percent)


Slack = tuple[tuple[str, Decimal], ...]


def _merge(*slacks: Slack) -> Slack:
    """Slack by figure (as written): a figure that enters twice counts once, with both."""
    merged: dict[str, Decimal] = {}
    for slack in slacks:
        for text, extra in slack:
            merged[text] = merged.get(text, ZERO) + extra
    return tuple(merged.items())


@dataclass(frozen=True)
class Margin:
    """How far a stated figure may be from the one computed from others."""

    strict: Decimal  # whole 万元 read as exact
    loose: Decimal  # whole 万元 read as rounded
    # What reading each rounded figure (as written) as rounded adds to the strict margin.
    slack: Slack = ()
    same: bool = False  # one figure stated twice: the coarser statement sets the margin

    def __add__(self, other: Margin) -> Margin:
        return Margin(
            self.strict + other.strict, self.loose + other.loose, _merge(self.slack, other.slack)
        )

    def scaled(self, factor: Decimal) -> Margin:
        slack = tuple((text, extra * factor) for text, extra in self.slack)
        return Margin(self.strict * factor, self.loose * factor, slack, self.same)

    def one_rounded(self) -> tuple[str, Decimal]:
        """The rounded figure whose rounding alone explains most, and the margin with it."""
        if not self.slack:
            return "", self.strict
        text, extra = max(self.slack, key=lambda item: item[1])
        return text, self.strict + extra


def margin_of(amounts: Iterable[Amount | None]) -> Margin:
    """The margin of a sum (or difference) of stated figures: their roundings add up."""
    total = Margin(ZERO, ZERO)
    for amount in amounts:
        if amount is not None:
            strict, loose = half_ulp(amount), stated_half_ulp(amount)
            slack = ((amount.text, loose - strict),) if loose > strict else ()
            total = total + Margin(strict, loose, slack)
    return total


def same_margin(first: Amount, second: Amount) -> Margin:
    """One figure stated twice agrees when the finer statement rounds to the coarser one."""
    slack = tuple(
        (a.text, stated_half_ulp(a) - half_ulp(a)) for a in (first, second) if is_rounded(a)
    )
    return Margin(
        max(half_ulp(first), half_ulp(second)),
        max(stated_half_ulp(first), stated_half_ulp(second)),
        slack,
        same=True,
    )


def ratio_margin(
    numerator: Decimal, numerator_margin: Margin, denominator: Decimal, denominator_margin: Margin
) -> Margin:
    """The margin of 100 · numerator / denominator (in percentage points), to first order."""
    base = abs(denominator)
    return numerator_margin.scaled(HUNDRED / base) + denominator_margin.scaled(
        HUNDRED * abs(numerator) / base**2
    )


def share_margin(part: Decimal, part_margin: Margin, rest: Decimal, rest_margin: Margin) -> Margin:
    """The margin of 100 · part / (part + rest), whose whole contains the part: the part's
    own rounding moves both, partly cancelling."""
    whole = (part + rest) ** 2
    return part_margin.scaled(HUNDRED * abs(rest) / whole) + rest_margin.scaled(
        HUNDRED * abs(part) / whole
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
    if margin.same and difference <= margin.loose:
        # The finer statement, rounded to the coarser one's last digit, gives the coarser.
        figures = ", ".join(text for text, _ in margin.slack)
        return Verdict(True, note=f"at the precision stated ({figures} rounded)")
    figure, with_one = margin.one_rounded()
    if figure and difference <= with_one:
        return Verdict(True, note=f"at the precision stated ({figure} rounded)")
    # Rounding several figures could explain it: a sum of n rounded figures is off by less
    # than the sum of their half units.
    if difference < margin.loose:
        figures = ", ".join(text for text, _ in margin.slack)
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
