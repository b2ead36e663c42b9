"""total == sum(parts) at the precision each figure states, over every reading of the figures:
the comparison that the sums of the narrative and of the tables share."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..models import Check, Fact, Severity
from .facts import amounts, funds_label, overlap, scope, wan
from .inputs import CheckInput, check
from .precision import (
    Verdict,
    judge,
    margin_of,
    scale_slip,
    significant_digits,
    stated_half_ulp,
)
from .precision import plain as _fmt
from .units import unit_scale_check

# At most this many readings of one sum are tried (each total × each stated value of a part).
READINGS = 256

Reading = tuple[Fact, list[Fact]]


def readings(totals: Sequence[Fact], options: Sequence[Sequence[Fact]]) -> Iterator[Reading]:
    """Every (total, parts) pair from the stated values; the first is the first of each."""
    for total, *parts in itertools.product(totals, *options):
        yield total, list(parts)


def rank(verdict: Verdict) -> int:
    return 0 if verdict.passed else 1 if verdict.rounded_only else 2


def graded(verdict: Verdict, message: str) -> tuple[Severity, str]:
    """A failed comparison is an error, a warning when only the stated rounding explains it;
    a pass at the stated precision says so."""
    if verdict.rounded_only:
        return "warning", f"{message}; {verdict.note}"
    if verdict.note.startswith("at the precision"):
        return "error", f"{message}, {verdict.note}"
    return "error", message


@dataclass(frozen=True)
class _SumOutcome:
    total: Fact
    parts: list[Fact]
    stated: Decimal
    summed: Decimal
    verdict: Verdict
    slip: int | None


def _sum_outcome(total: Fact, parts: list[Fact]) -> _SumOutcome:
    stated = wan(total)
    summed = sum((wan(p) for p in parts), Decimal(0))
    margin = margin_of(amounts([total, *parts]))
    verdict = judge(stated - summed, margin)
    slip = None
    if not verdict.passed and total.amount is not None:
        slip = scale_slip(
            stated,
            stated_half_ulp(total.amount),
            summed,
            margin_of(amounts(parts)).loose,
            significant_digits(total.amount.value),
        )
    return _SumOutcome(total, parts, stated, summed, verdict, slip)


def compare(
    given: CheckInput,
    rule: str,
    total: Fact,
    parts: list[Fact],
    what: str,
    *,
    severity: Severity = "error",
    shortfall: tuple[Severity, str] | None = None,
) -> list[Check]:
    """total == sum(parts), within the rounding of the stated figures."""
    return compare_any(given, rule, [(total, parts)], what, severity=severity, shortfall=shortfall)


def compare_any(
    given: CheckInput,
    rule: str,
    options: Iterable[Reading],
    what: str,
    *,
    severity: Severity = "error",
    shortfall: tuple[Severity, str] | None = None,
) -> list[Check]:
    """total == sum(parts) for the first reading that fits; when none does, the failure of
    the first of the least serious. A reading that counts a part with its whole is never
    built. ``shortfall``: the severity (and why) when the parts fall short of the total
    and the note need not list every part."""
    best: _SumOutcome | None = None
    for total, parts in itertools.islice(options, READINGS):
        if (
            total.amount is None
            or any(p.amount is None for p in parts)
            or overlap(parts, given.rules, given.data.codes)
        ):
            continue
        outcome = _sum_outcome(total, parts)
        if outcome.verdict.passed:
            best = outcome
            break
        if best is None or rank(outcome.verdict) < rank(best.verdict):
            best = outcome
    if best is None:
        return []
    return [_reported_sum(given, rule, best, what, severity, shortfall)]


def _reported_sum(
    given: CheckInput,
    rule: str,
    outcome: _SumOutcome,
    what: str,
    severity: Severity,
    shortfall: tuple[Severity, str] | None,
) -> Check:
    stated, summed, verdict = outcome.stated, outcome.summed, outcome.verdict
    facts = [outcome.total, *outcome.parts]
    if verdict.passed:
        # The parts are the check's facts; naming each again (a 合计 of twenty rows) made
        # passed sums the largest share of every note's checks.
        message = (
            f"{what}: sum {_fmt(summed)} agrees with {_fmt(stated)} {verdict.note}"
            if verdict.note
            else f"{what}: the {len(outcome.parts)} parts add up to {_fmt(stated)}"
        )
        return check(rule, severity, True, message, facts, stated, summed)
    message = (
        f"{what}: the parts add up to {_fmt(summed)}, the note"
        f" states {_fmt(stated)} (difference {_fmt(stated - summed)})"
    )
    if outcome.slip is not None:
        return unit_scale_check(message, outcome.slip, facts, stated, summed)
    funds = _funds_apart(given, outcome.total, outcome.parts)
    if funds:
        severity, message = "info", f"{message}; {funds}"
    elif verdict.rounded_only:
        severity, message = "warning", f"{message}; {verdict.note}"
    elif shortfall is not None and summed < stated:
        severity, message = shortfall[0], f"{message}; {shortfall[1]}"
    return check(rule, severity, False, message, facts, stated, summed)


def _funds_apart(given: CheckInput, total: Fact, parts: list[Fact]) -> str:
    """Why a narrative total and its parts need not add up: stated in different sections, they
    name different funds (a class of all funds in 收支总体情况, its items under 财政拨款支出),
    or ''. Parts in the total's own section share its subject."""
    if total.source != "text" or any(p.source != "text" for p in parts):
        return ""
    sections = {p.provenance.section_id for p in parts}
    if len(sections) != 1 or total.provenance.section_id in sections:
        return ""
    data = given.rules
    fund_names = set(data.scopes.funds)
    own = scope(total, data) & fund_names
    theirs = {frozenset(scope(p, data) & fund_names) for p in parts}
    if len(theirs) != 1 or own in theirs:
        return ""
    (named,) = theirs

    def listed(names: Iterable[str]) -> str:
        return "、".join(funds_label(n, data) for n in sorted(names)) or "no fund (all funds)"

    return f"the total names {listed(own)}, its parts {listed(named)}: they need not add up"
