"""Cross-checks → Check records. Validation reads facts and never changes or drops one.

Every check says which rule it applies, what was expected, what was found, how serious a
failure is, and which facts are involved. Figures are compared at the precision each side
states (``precision.py``), so an error means the note is wrong at every reading:

- figures that agree only within rounding pass, with a note;
- a failure that an uncertain reading of a fact could explain (a code looked up by name in
  the code table, a table the tool did not recognise, an amount not written in the fact's
  own sentence) is info, and says why;
- two readings of one figure that differ by exactly 10^4 or 10^8 are a question of units
  (``unit.scale``, a warning), not an inconsistency of the note;
- a sum never counts a part together with its whole, and a figure that may be stated as a
  share of several wholes is checked against each of them.

The rules: ``registry.list_rules`` (``python -m extractor.checks --markdown`` prints the
README's table); their data: ``patterns/checks.yaml`` (``data.load_check_data``).
"""

from __future__ import annotations

from collections.abc import Iterable

from ..models import Check, DocumentInfo, Fact, TableSummary
from ..rules import RuleSet, default_rules
from .data import CheckData, check_data, load_check_data
from .inputs import CheckInput
from .registry import list_rules
from .rule import CheckRule

__all__ = [
    "CheckData",
    "CheckInput",
    "CheckRule",
    "check_data",
    "list_rules",
    "load_check_data",
    "validate",
]

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def validate(
    facts: list[Fact],
    info: DocumentInfo,
    tables: list[TableSummary],
    rules: RuleSet | CheckData | None = None,
) -> list[Check]:
    """Every rule's checks of one document: failures first, then by severity, rule and id.

    ``rules``: the rule set (or the checks' data taken from one); default ``patterns/``."""
    data = rules if isinstance(rules, CheckData) else check_data(rules or default_rules())
    given = CheckInput.of(facts, info, tables, data)
    found = [c for rule in list_rules(data.checks) if rule.run for c in rule.run(given)]
    checks = _numbered(found)
    checks.sort(key=lambda c: (c.passed, _SEVERITY_ORDER[c.severity], c.rule, c.id))
    return checks


def _numbered(checks: Iterable[Check]) -> list[Check]:
    """The checks with unique ids: a repeated id gets #2, #3 … in the order found."""
    seen: set[str] = set()
    numbered: list[Check] = []
    for found in checks:
        check_id, n = found.id, 1
        while check_id in seen:
            n += 1
            check_id = f"{found.id}#{n}"
        seen.add(check_id)
        numbered.append(
            found if check_id == found.id else found.model_copy(update={"id": check_id})
        )
    return numbered
