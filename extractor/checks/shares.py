"""Stated shares (占 …%): of a whole they may be of, and summing to 100 (``share.*``)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from ..models import Check, Fact, Severity
from .compare import READINGS
from .facts import amounts, contains, label, wan
from .inputs import CheckInput, check
from .precision import (
    HUNDRED,
    Verdict,
    judge,
    margin_of,
    percent_margin,
    places,
    ratio_margin,
    share_margin,
)
from .precision import plain as _fmt
from .rule import rule
from .units import UNIT_SCALE, percent_slip, unit_scale_check


@dataclass(frozen=True)
class _ShareOutcome:
    whole: list[Fact]
    computed: Decimal
    difference: Decimal
    verdict: Verdict
    off_by_one: bool
    slip: int | None


def _wholes(given: CheckInput, fact: Fact, spec: str) -> list[list[Fact]]:
    """The wholes a spec names: each stated value of a field, or one sum of fields (the fact
    itself standing for its own field)."""
    names = spec.split("+")
    if len(names) == 1:
        return [[w] for w in given.stated(names[0]) if w is not fact and w.field != fact.field]
    options = [[fact] if name == fact.field else given.stated(name) for name in names]
    if not all(options):
        return []
    return [list(whole) for whole in itertools.islice(itertools.product(*options), READINGS)]


def _share_outcome(fact: Fact, whole: list[Fact]) -> _ShareOutcome:
    assert fact.share is not None
    base = sum((wan(w) for w in whole), Decimal(0))
    computed = wan(fact) / base * HUNDRED
    rest = [w for w in whole if w is not fact]
    if len(rest) < len(whole):  # the whole is a sum that contains the fact
        propagated = share_margin(
            wan(fact),
            margin_of(amounts([fact])),
            sum((wan(w) for w in rest), Decimal(0)),
            margin_of(amounts(rest)),
        )
    else:
        propagated = ratio_margin(
            wan(fact), margin_of(amounts([fact])), base, margin_of(amounts(whole))
        )
    margin = percent_margin(fact.share) + propagated
    difference = computed - fact.share
    verdict = judge(difference, margin)
    # Off by one in the last place: usually shares adjusted so that they sum to 100.
    last = Decimal(10) ** -places(fact.share)
    off_by_one = not verdict.passed and abs(difference) <= margin.strict + last
    slip = None
    if not verdict.passed and not off_by_one:
        slip = percent_slip(fact.share, computed, propagated)
    return _ShareOutcome(whole, computed, difference, verdict, off_by_one, slip)


def _share_rank(outcome: _ShareOutcome) -> int:
    if outcome.verdict.passed:
        return 0
    return 1 if outcome.verdict.rounded_only or outcome.off_by_one else 2


@rule(
    "share.stated",
    "error",
    "a stated share equals part / whole for some whole it may be of (checks.yaml"
    " `share_bases`); a failure says what each whole gives",
    when="warning when off by one in the last place",
    reports=(UNIT_SCALE.id,),
)
def stated_shares(given: CheckInput) -> list[Check]:
    bases = given.rules.share_bases
    found: list[Check] = []
    for fact in given.text:
        if fact.share is None or fact.amount is None or fact.field not in bases:
            continue
        wholes = [
            whole
            for spec in bases[fact.field]
            for whole in _wholes(given, fact, spec)
            if sum((wan(w) for w in whole), Decimal(0)) != 0
        ]
        if not wholes:
            continue
        outcomes = [_share_outcome(fact, whole) for whole in wholes]
        best = min(outcomes, key=_share_rank)  # the first of the best: a fitting whole
        found.append(_reported_share(fact, best, outcomes))
    return found


def _whole_label(whole: list[Fact]) -> str:
    return " + ".join(w.label for w in whole)


def _reported_share(fact: Fact, outcome: _ShareOutcome, outcomes: list[_ShareOutcome]) -> Check:
    assert fact.share is not None
    base = sum((wan(w) for w in outcome.whole), Decimal(0))
    message = (
        f"{label(fact)}: stated share {_fmt(fact.share)}%, {_fmt(wan(fact))} / {_fmt(base)}"
        f" = {outcome.computed:.4f}%"
    )
    if len(outcome.whole) > 1:
        message += f" (of {_whole_label(outcome.whole)})"
    facts = [fact, *(w for w in outcome.whole if w is not fact)]
    expected, actual = fact.share, outcome.computed.quantize(Decimal("0.0001"))
    if outcome.verdict.passed:
        if outcome.verdict.note.startswith("at the precision"):
            message += f", {outcome.verdict.note}"
        return check("share.stated", "error", True, message, facts, expected, actual)
    if outcome.slip is not None:
        return unit_scale_check(message, outcome.slip, facts, expected, actual)
    if len(outcomes) > 1:
        others = [o for o in outcomes if o is not outcome]
        tried = "; ".join(
            f"of {_whole_label(o.whole)} {_fmt(sum((wan(w) for w in o.whole), Decimal(0)))}:"
            f" {o.computed:.2f}%"
            for o in others[:4]
        )
        more = f" and {len(others) - 4} more" if len(others) > 4 else ""
        message += f"; no other whole fits either ({tried}{more})"
    severity: Severity = "error"
    if outcome.verdict.rounded_only:
        severity, message = "warning", f"{message}; {outcome.verdict.note}"
    elif outcome.off_by_one:
        severity = "warning"
    return check("share.stated", severity, False, message, facts, expected, actual)


@rule(
    "share.sum_100",
    "warning",
    "the shares of one group (checks.yaml `share_groups`) sum to 100, with a note when they"
    " were adjusted to make 100",
)
def shares_sum_to_100(given: CheckInput) -> list[Check]:
    data = given.rules
    found: list[Check] = []
    for group in data.share_groups:
        shared = [f for name in group for f in given.distinct(name, with_share=True)]
        members = [
            m
            for m in shared
            if not any(contains(o, m, data, given.data.codes) for o in shared if o is not m)
        ]
        if len(members) < 2:
            continue
        shares = [f.share for f in members if f.share is not None]
        total = sum(shares, Decimal(0))
        tolerance = sum((percent_margin(s).strict for s in shares), Decimal(0))
        ok = abs(total - HUNDRED) <= tolerance
        note = ""
        if ok and total == HUNDRED:
            bases = data.share_bases
            base = given.first(*(b for b in bases.get(members[0].field, ()) if "+" not in b))
            if base and base.amount and base.amount.wan:
                rounded = sum(
                    (
                        (f.amount.wan / base.amount.wan * HUNDRED).quantize(Decimal("0.01"))
                        for f in members
                        if f.amount
                    ),
                    Decimal(0),
                )
                if rounded != HUNDRED:
                    note = (
                        "; the shares were adjusted to sum to 100 (rounded shares sum to"
                        f" {_fmt(rounded)})"
                    )
        found.append(
            check(
                "share.sum_100",
                "warning",
                ok,
                f"shares of {', '.join(sorted({f.label for f in members}))}"
                f" sum to {_fmt(total)}%{note}",
                members,
                HUNDRED,
                total,
            )
        )
    return found


RULES = (stated_shares, shares_sum_to_100)
