"""Budget execution: a stated completion rate (完成预算的 …%) equals 决算 / 预算
(``execution.*``)."""

from __future__ import annotations

from decimal import Decimal

from ..models import Amount, Check, Execution, Fact
from .compare import graded, rank
from .facts import as_read, label
from .inputs import CheckInput, check
from .precision import HUNDRED, Verdict, judge, margin_of, percent_margin, ratio_margin
from .precision import plain as _fmt
from .rule import rule
from .units import UNIT_SCALE, UNIT_SLIP, percent_slip


def _completion_bases(execution: Execution, basis_name: str) -> list[Amount]:
    """The budgets a completion rate may be of: the one it names, or any stated."""
    if "全年" in basis_name or "调整" in basis_name:
        named = [execution.adjusted_budget]
    elif "年初" in basis_name:
        named = [execution.initial_budget or execution.adjusted_budget]
    else:
        named = [execution.initial_budget, execution.budget, execution.adjusted_budget]
    return [a for a in named if a is not None]


@rule(
    "execution.completion",
    "error",
    "完成预算的 …% equals 决算 / 预算 (of the 年初 or 全年 budget it names, else of any stated)",
    reports=(UNIT_SCALE.id,),
)
def completion(given: CheckInput) -> list[Check]:
    found: list[Check] = []
    for fact in given.text:
        execution = fact.execution
        if execution is None or fact.amount is None or execution.completion_percent is None:
            continue
        basis_name = execution.completion_basis or "预算"
        candidates = _completion_bases(execution, basis_name)
        if not candidates:
            continue
        stated = execution.completion_percent
        named = len(candidates) == 1  # 年初 or 全年/调整: only that budget will do
        nonzero = [base for base in candidates if base.wan != 0]
        if not nonzero or (named and candidates[0].wan == 0):
            found.append(_completion_of_zero(fact, basis_name, execution))
            continue
        outcomes = [_completion(fact, base, stated) for base in nonzero]
        base, computed, verdict, slip = min(outcomes, key=lambda o: rank(o[2]))
        message = (
            f"{label(fact)}: stated {_fmt(stated)}% of {basis_name}, {_fmt(fact.amount.wan)} /"
            f" {_fmt(base.wan)} = {computed:.2f}%"
        )
        if slip is not None:
            rescaled = computed * Decimal(10) ** slip
            found.append(
                check(
                    UNIT_SCALE.id,
                    "warning",
                    False,
                    f"{message}: a factor of exactly 10^{abs(slip)} ({rescaled:.2f}% with the"
                    f" budget read in the other unit), {UNIT_SLIP}",
                    [fact],
                    stated,
                    computed.quantize(Decimal("0.01")),
                )
            )
            continue
        severity, message = graded(verdict, message)
        found.append(
            check(
                "execution.completion",
                severity,
                verdict.passed,
                message,
                [fact],
                stated,
                computed.quantize(Decimal("0.01")),
            )
        )
    return found


def _completion(
    fact: Fact, base: Amount, stated: Decimal
) -> tuple[Amount, Decimal, Verdict, int | None]:
    assert fact.amount is not None
    computed = fact.amount.wan / base.wan * HUNDRED
    propagated = ratio_margin(
        fact.amount.wan, margin_of([as_read(fact)]), base.wan, margin_of([as_read(fact, base)])
    )
    verdict = judge(computed - stated, percent_margin(stated) + propagated)
    slip = None if verdict.passed else percent_slip(stated, computed, propagated)
    return base, computed, verdict, slip


def _completion_of_zero(fact: Fact, basis_name: str, execution: Execution) -> Check:
    assert fact.amount is not None and execution.completion_percent is not None
    stated = execution.completion_percent
    others = [
        a.wan
        for a in (execution.adjusted_budget, execution.initial_budget, execution.budget)
        if a is not None and a.wan
    ]
    hint = (
        f"; against {_fmt(others[0])} it is {fact.amount.wan / others[0] * HUNDRED:.2f}%"
        if others
        else ""
    )
    return check(
        "execution.completion",
        "error",
        stated == 0 and fact.amount.wan == 0,
        f"{label(fact)}: completion {_fmt(stated)}% of {basis_name} stated, but {basis_name}"
        f" is 0{hint}",
        [fact],
        "no percentage",
        f"{_fmt(stated)}%",
    )


RULES = (completion,)
