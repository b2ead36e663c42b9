"""Every validation rule, in the order the rules run, and the README's table of them.

The rules of the code are declared in their family modules; the sums and contradictions that
checks.yaml declares are rules too, built from its entries.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from ..rules.checks_schema import ChecksFile
from .balance import RULES as BALANCE
from .changes import RULES as CHANGES
from .codes import RULES as CODES
from .execution import RULES as EXECUTION
from .reconcile import RULES as RECONCILE
from .repeats import RULES as REPEATS
from .rule import CheckRule
from .shares import RULES as SHARES
from .sums import RULES as SUMS
from .sums import data_rules as declared_sums
from .tables import RULES as TABLES
from .text import data_rules as declared_contradictions
from .units import UNIT_SCALE


class RegistryError(ValueError):
    """Two rules share an id (a rule of checks.yaml named like one of the code)."""


def list_rules(data: ChecksFile) -> tuple[CheckRule, ...]:
    """Every rule, in the order they run; ``unit.scale``, which other rules report, last.

    The order numbers the checks whose ids repeat (#2, #3 …), so it stays the order the
    rules have always run in."""
    found = (
        *declared_sums(data),
        *SUMS,
        *BALANCE,
        *SHARES,
        *REPEATS,
        *CHANGES,
        *EXECUTION,
        *declared_contradictions(data),
        *CODES,
        *RECONCILE,
        *TABLES,
        UNIT_SCALE,
    )
    twice = sorted(rule_id for rule_id, n in Counter(r.id for r in found).items() if n > 1)
    if twice:
        raise RegistryError(f"rule ids declared twice: {', '.join(twice)}")
    return found


def _reporters(rule: CheckRule, rules: tuple[CheckRule, ...]) -> str:
    """The rules that report ``rule`` instead of their own failure: a family as ``family.*``
    when most of its rules do."""
    by = [r for r in rules if rule.id in r.reports]
    named: list[str] = []
    for family in dict.fromkeys(r.family for r in by):
        members = [r for r in rules if r.family == family]
        others = [f"`{r.id}`" for r in members if r not in by]
        if len(members) > 1 and len(others) < len(members) / 2:
            named.append(f"`{family}.*`" + (f" but {', '.join(others)}" if others else ""))
        else:
            named += [f"`{r.id}`" for r in by if r.family == family]
    return "; ".join(named)


def markdown_table(rules: Iterable[CheckRule]) -> str:
    """The README's table of checks: rule, what it checks, severity."""
    listed = tuple(rules)
    lines = ["| rule | checks | severity |", "|---|---|---|"]
    for rule in listed:
        checks = rule.description
        reporters = _reporters(rule, listed)
        if reporters:
            checks += f"; reported instead of a failure of {reporters}"
        severity = f"{rule.severity}; {rule.when}" if rule.when else rule.severity
        lines.append(f"| `{rule.id}` | {checks} | {severity} |")
    return "\n".join(lines) + "\n"
