"""One figure, several statements: they agree at the precision stated (``repeat.*``)."""

from __future__ import annotations

import itertools
from collections import defaultdict

from ..models import Check, Fact, FactStatus
from ..rules.checks_schema import ChecksFile
from .facts import amounts, as_read, key, label, scope, scope_label, wan, where
from .inputs import CheckInput, check
from .precision import judge, same_margin
from .precision import plain as _fmt
from .rule import rule
from .units import UNIT_SCALE, UNIT_SLIP, same_slip


def _disagreeing(facts: list[Fact], data: ChecksFile) -> list[tuple[Fact, Fact]]:
    """Pairs of statements of one figure that do not agree at the precision stated.

    Statements written alike (same value, unit, digits and funds) agree with each other and
    stand or fall together against the rest, so one of each kind is compared: a figure stated
    16,000 times costs no more than one stated twice."""
    kinds: dict[tuple[object, ...], Fact] = {}
    for fact in facts:
        if fact.amount is None:
            continue
        read = as_read(fact)
        kind = (
            fact.amount.wan,
            fact.amount.unit,
            read.value.as_tuple().exponent,
            scope(fact, data),
        )
        kinds.setdefault(kind, fact)
    return [
        (a, b)
        for a, b in itertools.combinations(kinds.values(), 2)
        if a.amount
        and b.amount
        and not judge(a.amount.wan - b.amount.wan, same_margin(*amounts([a, b]))).passed
    ]


@rule(
    "repeat.agree",
    "error",
    "a figure stated several times agrees at the precision stated",
    when="info when the statements that differ name different funds or kinds (财政拨款基本支出,"
    " 占项目支出的 …)",
    reports=(UNIT_SCALE.id,),
)
def repeats_agree(given: CheckInput) -> list[Check]:
    data = given.rules
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in given.text:
        if fact.amount is not None and fact.status == FactStatus.STATED:
            groups[(fact.field, key(fact, given.data.codes))].append(fact)
    found: list[Check] = []
    for _, facts in sorted(groups.items()):
        if len(facts) < 2:
            continue
        values = {wan(f) for f in facts}
        first = facts[0]
        stated = ", ".join(f"{_fmt(wan(f))} ({where(f)})" for f in facts)
        message = f"{label(first)} is stated {len(facts)} times: {stated}"
        expected, actual = _fmt(wan(first)), ", ".join(_fmt(v) for v in sorted(values))
        pairs = _disagreeing(facts, data)
        if not pairs:
            if len(values) > 1:
                message += "; they agree at the precision stated"
            found.append(check("repeat.agree", "error", True, message, facts, expected, actual))
            continue
        if all(
            a.amount is not None and b.amount is not None and same_slip(a.amount, b.amount)
            for a, b in pairs
        ):
            found.append(
                check(
                    UNIT_SCALE.id,
                    "warning",
                    False,
                    f"{message}: they differ by a factor of exactly 10^4 or 10^8, {UNIT_SLIP}",
                    facts,
                    expected,
                    actual,
                )
            )
            continue
        if all(scope(a, data) != scope(b, data) for a, b in pairs):
            funds = " / ".join(sorted({scope_label(scope(f, data), data) for f in facts}))
            found.append(
                check(
                    "repeat.agree",
                    "info",
                    False,
                    f"{message}; the statements that differ name different funds ({funds}):"
                    " not one figure stated twice",
                    facts,
                    expected,
                    actual,
                )
            )
            continue
        found.append(check("repeat.agree", "error", False, message, facts, expected, actual))
    return found


RULES = (repeats_agree,)
