"""Text that contradicts a figure: the item's own reason says the opposite (``text.*``, one
rule per entry of ``contradictions`` in checks.yaml)."""

from __future__ import annotations

import regex

from ..models import Check, Fact, FactStatus
from ..rules.checks_schema import ChecksFile, Contradiction
from .facts import key, label
from .inputs import CheckInput, check
from .rule import CheckRule


def contradiction(spec: Contradiction) -> CheckRule:
    """The rule of one contradiction in checks.yaml."""

    def run(given: CheckInput) -> list[Check]:
        zero_keys = {
            (f.field, key(f, given.data.codes))
            for f in given.text
            if (f.amount is not None and f.amount.wan == 0) or f.status == FactStatus.NONE
        }
        by_key: dict[tuple[str, str], list[Fact]] = {}
        for f in given.text:
            by_key.setdefault((f.field, key(f, given.data.codes)), []).append(f)
        pattern = regex.compile(spec.reason)
        found: list[Check] = []
        for fact in given.text:
            # Each comparison is judged by its own reason (上年 and 预算数 may differ).
            matching = [c for c in fact.changes if c.reason and pattern.search(c.reason)]
            if spec.when == "zero":
                applying = (
                    matching[:1] if (fact.field, key(fact, given.data.codes)) in zero_keys else []
                )
            else:
                applying = [c for c in matching if c.direction == spec.when]
            for change in applying:
                related = [
                    f for f in by_key[(fact.field, key(fact, given.data.codes))] if f is not fact
                ]
                found.append(
                    check(
                        spec.rule,
                        "warning",
                        False,
                        f"{label(fact)}: {spec.message} (“{change.reason}”)",
                        [fact, *related[:3]],
                        None,
                        change.reason,
                    )
                )
        return found

    return CheckRule(spec.rule, "warning", spec.message, run)


def data_rules(data: ChecksFile) -> tuple[CheckRule, ...]:
    """The contradictions checks.yaml declares, in its order."""
    return tuple(contradiction(spec) for spec in data.contradictions)
