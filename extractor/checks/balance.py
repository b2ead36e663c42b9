"""A budget balances: its income equals its expenditure (``balance.*``)."""

from __future__ import annotations

import itertools

from ..fields import FieldName
from ..models import Check, Fact, NoteKind, Severity
from .compare import rank
from .facts import amounts, wan
from .inputs import CheckInput, check
from .precision import Verdict, judge, margin_of, same_margin
from .precision import plain as _fmt
from .rule import rule

# Income and expenditure of the same funds; a note that states only one side of a pair is
# compared across pairs, and a failure there is not the note's.
_BALANCED = {
    (FieldName.TOTAL_INCOME, FieldName.TOTAL_EXPENDITURE),
    (FieldName.INCOME_GENERAL_BUDGET, FieldName.EXPENDITURE_GENERAL_BUDGET),
}


@rule(
    "balance.income_expenditure",
    "error",
    "a budget's income equals its expenditure (with or without the carry-over)",
    when="info when the two sides are of different funds",
)
def income_expenditure(given: CheckInput) -> list[Check]:
    if given.info.kind == NoteKind.FINAL:
        return []
    incomes = given.stated(FieldName.TOTAL_INCOME) or given.stated(FieldName.INCOME_GENERAL_BUDGET)
    spendings = given.stated(FieldName.TOTAL_EXPENDITURE) or given.stated(
        FieldName.EXPENDITURE_GENERAL_BUDGET
    )
    if not incomes or not spendings:
        return []
    carryover = given.stated(FieldName.INCOME_CARRYOVER)
    best: tuple[Fact, Fact, Verdict] | None = None
    for income, spending in itertools.product(incomes, spendings):
        verdict = judge(wan(income) - wan(spending), same_margin(*amounts([income, spending])))
        if not verdict.passed and carryover:
            with_carryover = wan(income) + wan(carryover[0]) - wan(spending)
            verdict = judge(with_carryover, margin_of(amounts([income, carryover[0], spending])))
        if best is None or rank(verdict) < rank(best[2]):
            best = (income, spending, verdict)
        if verdict.passed:
            break
    assert best is not None
    income, spending, verdict = best
    like = (income.field, spending.field) in _BALANCED
    message = f"a budget balances: income {_fmt(wan(income))} vs expenditure {_fmt(wan(spending))}"
    severity: Severity = "error"
    if not verdict.passed and not like:
        severity = "info"
        message += f"; {income.label} and {spending.label} need not cover the same funds"
    elif verdict.rounded_only:
        severity = "warning"
    if verdict.note:
        message += f"; {verdict.note}"
    return [
        check(
            "balance.income_expenditure",
            severity,
            verdict.passed,
            message,
            [income, spending],
            wan(income),
            wan(spending),
        )
    ]


RULES = (income_expenditure,)
