"""Comparisons (比上年增加 …, 较预算数减少 …): each against its own basis (``change.*``)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

import regex

from ..models import Amount, Change, Check, Fact, NoteKind, Severity
from .compare import graded
from .facts import amounts, as_read, label, wan
from .inputs import CheckInput, check
from .precision import HUNDRED, Margin, judge, margin_of, percent_margin, ratio_margin
from .precision import plain as _fmt
from .rule import rule


@dataclass(frozen=True)
class _Basis:
    """What a comparison compares with: its amount and margin, and whether it was derived from
    the stated difference (then the difference is not a check of its own)."""

    wan: Decimal
    margin: Margin
    derived: bool


def _own_year_budget(given: CheckInput, fact: Fact, change: Change) -> Amount | None:
    """The budget a 决算 figure is compared with (与2018年度预算相比, 较预算数), when the fact
    states it beside the comparison."""
    basis, execution = change.basis or "", fact.execution
    if execution is None or "预算" not in basis or "上年" in basis:
        return None
    years = [int(y) for y in regex.findall(r"(\d{4})年", basis)]
    if years and given.info.year is not None and years != [given.info.year]:
        return None
    if "调整" in basis or "全年" in basis:
        return execution.adjusted_budget
    if "年初" in basis:
        return execution.initial_budget
    return execution.budget or execution.initial_budget or execution.adjusted_budget


def _basis(given: CheckInput, fact: Fact, change: Change) -> _Basis | None:
    assert fact.amount is not None
    stated = change.basis_amount or _own_year_budget(given, fact, change)
    if stated is not None:
        return _Basis(stated.wan, margin_of([as_read(fact, stated)]), derived=False)
    if change.amount is None:
        return None
    margin = margin_of([as_read(fact), as_read(fact, change.amount)])
    if change.amount.wan == 0:  # 减少0万元 / 增加0万元: the figure did not change
        return _Basis(fact.amount.wan, margin, derived=True)
    if change.direction in ("increase", "decrease"):
        sign = -1 if change.direction == "increase" else 1
        return _Basis(fact.amount.wan + sign * change.amount.wan, margin, derived=True)
    return None


def _comparisons(given: CheckInput) -> Iterator[tuple[Fact, Change]]:
    """Every comparison of a narrative figure, in order."""
    for fact in given.text:
        if fact.amount is not None:
            for change in fact.changes:
                yield fact, change


def _with_basis(given: CheckInput) -> Iterator[tuple[Fact, Change, _Basis]]:
    """The comparisons whose basis is known (stated, or derived from the stated change)."""
    for fact, change in _comparisons(given):
        basis = _basis(given, fact, change)
        if basis is not None:
            yield fact, change, basis


@rule(
    "change.basis_year",
    "warning",
    "a budget is not compared with the note's own year",
)
def basis_year(given: CheckInput) -> list[Check]:
    year = given.info.year
    if not year or given.info.kind != NoteKind.BUDGET:
        return []
    return [
        check(
            "change.basis_year",
            "warning",
            False,
            f"{label(fact)} is compared with “{change.basis}”, the note's own year {year}",
            [fact],
            f"a year before {year}",
            change.basis,
        )
        for fact, change in _comparisons(given)
        if change.basis and str(year) in change.basis
    ]


@rule(
    "change.direction",
    "error",
    "a stated increase, decrease or 持平 agrees with the figures it compares (a stated change"
    " of 0 agrees with equal figures whatever the word)",
)
def direction(given: CheckInput) -> list[Check]:
    found: list[Check] = []
    for fact, change, basis in _with_basis(given):
        if not change.direction:
            continue
        current = wan(fact)
        difference = current - basis.wan
        actual = "increase" if difference > 0 else "decrease" if difference < 0 else "flat"
        zero = change.amount is not None and change.amount.wan == 0
        same = judge(difference, margin_of(amounts([fact])) + basis.margin).passed
        # A stated change of 0 agrees with equal figures whatever the word (减少0万元); 持平
        # agrees with figures equal within their rounding.
        ok = actual == change.direction or (actual == "flat" and zero)
        ok = ok or (change.direction == "flat" and same)
        note = " (a stated change of 0: the figures are equal)" if zero and actual == "flat" else ""
        found.append(
            check(
                "change.direction",
                "error",
                ok,
                f"{label(fact)}: {_fmt(basis.wan)} → {_fmt(current)} is a(n) {actual}; the note"
                f" says {change.direction}{note}",
                [fact],
                change.direction,
                actual,
            )
        )
    return found


@rule(
    "change.amount",
    "error",
    "a stated change equals the difference from the basis amount it names",
)
def amount(given: CheckInput) -> list[Check]:
    found: list[Check] = []
    for fact, change, basis in _with_basis(given):
        if change.amount is None or basis.derived:
            continue
        assert fact.amount is not None
        current = fact.amount.wan
        difference = abs(current - basis.wan)
        verdict = judge(
            difference - change.amount.wan,
            margin_of([as_read(fact), as_read(fact, change.amount)]) + basis.margin,
        )
        message = (
            f"{label(fact)}: stated change {_fmt(change.amount.wan)}, {_fmt(current)} −"
            f" {_fmt(basis.wan)} = {_fmt(difference)}"
        )
        severity: Severity = "warning" if verdict.rounded_only else "error"
        if verdict.rounded_only or verdict.note.startswith("at the precision"):
            message += f"; {verdict.note}"
        found.append(
            check(
                "change.amount",
                severity,
                verdict.passed,
                message,
                [fact],
                change.amount.wan,
                difference,
            )
        )
    return found


@rule(
    "change.percent",
    "error",
    "a stated percentage change equals (figure − basis) / basis",
)
def percent(given: CheckInput) -> list[Check]:
    found: list[Check] = []
    for fact, change, basis in _with_basis(given):
        if change.percent is None or basis.wan == 0:
            continue
        assert fact.amount is not None
        stated = abs(change.percent)
        current = fact.amount.wan
        numerator = abs(current - basis.wan)
        if basis.derived:
            numerator_margin = margin_of([as_read(fact, change.amount)])
        else:
            numerator_margin = margin_of([as_read(fact)]) + basis.margin
        computed = numerator / abs(basis.wan) * HUNDRED
        margin = percent_margin(stated) + ratio_margin(
            numerator, numerator_margin, basis.wan, basis.margin
        )
        verdict = judge(computed - stated, margin)
        message = (
            f"{label(fact)}: stated {_fmt(change.percent)}%, ({_fmt(current)} −"
            f" {_fmt(basis.wan)}) / {_fmt(basis.wan)} = {computed:.2f}%"
        )
        severity, message = graded(verdict, message)
        found.append(
            check(
                "change.percent",
                severity,
                verdict.passed,
                message,
                [fact],
                change.percent,
                computed.quantize(Decimal("0.01")),
            )
        )
    return found


@rule(
    "change.zero_basis",
    "warning",
    "no percentage change is stated on a basis of 0",
)
def zero_basis(given: CheckInput) -> list[Check]:
    return [
        check(
            "change.zero_basis",
            "warning",
            False,
            f"{label(fact)}: a change of {_fmt(change.percent)}% is stated on a basis of 0,"
            " where no percentage can be computed",
            [fact],
            "no percentage",
            f"{_fmt(change.percent)}%",
        )
        for fact, change, basis in _with_basis(given)
        if change.percent is not None and basis.wan == 0
    ]


RULES = (basis_year, direction, amount, percent, zero_basis)
