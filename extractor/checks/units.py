"""A question of units: two readings of one figure a factor of exactly 10^4 or 10^8 apart.

Not a rule of its own: a sum, share, repeat, completion rate or agreement that fails this way
is reported as ``unit.scale`` instead of its own rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from ..models import Amount, Check, Fact
from .inputs import check
from .precision import (
    Margin,
    percent_margin,
    places,
    scale_slip,
    significant_digits,
    stated_half_ulp,
)
from .rule import CheckRule

UNIT_SLIP = (
    "a figure in 元 read as 万元 (or in 万元 as 亿元): a question of units, not an inconsistency"
    " of the note"
)

UNIT_SCALE = CheckRule(
    "unit.scale",
    "warning",
    "two readings of one figure differ by exactly 10⁴ or 10⁸: a figure in 元 read as 万元",
    run=None,
)


def same_slip(first: Amount, second: Amount) -> int | None:
    """Whether two statements of one figure differ by a factor of exactly 10^4 or 10^8."""
    digits = min(significant_digits(first.value), significant_digits(second.value))
    return scale_slip(
        first.wan, stated_half_ulp(first), second.wan, stated_half_ulp(second), digits
    )


def percent_slip(stated: Decimal, computed: Decimal, computed_margin: Margin) -> int | None:
    """Whether a stated percentage is the computed one times 10^±4: a figure behind it was
    read in the wrong unit (allowing one unit in the stated last place)."""
    own = percent_margin(stated).strict + Decimal(10) ** -places(stated)
    return scale_slip(stated, own, computed, computed_margin.loose, significant_digits(stated))


def unit_scale_check(
    message: str,
    slip: int,
    facts: Iterable[Fact],
    expected: Decimal | str | None,
    actual: Decimal | str | None,
) -> Check:
    """The ``unit.scale`` warning in place of a failure that a factor of 10^``slip`` explains."""
    return check(
        UNIT_SCALE.id,
        "warning",
        False,
        f"{message}: a factor of exactly 10^{abs(slip)}, {UNIT_SLIP}",
        facts,
        expected,
        actual,
    )
