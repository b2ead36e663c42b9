"""Run the examples and counterexamples that every pattern in ``patterns/`` carries.

An example's text is run through all patterns as one section of the given family; every
expected fact must be found, and at least one fact must come from the pattern itself. A
counterexample must give no fact from the pattern.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..models import Fact, FactStatus
from ..rules import CompiledPattern, Counterexample, Example, RuleSet, ValueKind
from .sentences import facts_from_text

_AMOUNT_KEYS = {"amount", "basis_amount", "initial_budget", "adjusted_budget", "budget"}
_NUMBER_KEYS = {"share", "value", "percent", "completion_percent"}


def cases(rules: RuleSet) -> list[tuple[CompiledPattern, Example | Counterexample | str, bool]]:
    """(pattern, example, is_counterexample) for every example of every pattern."""
    found: list[tuple[CompiledPattern, Example | Counterexample | str, bool]] = []
    for pattern in rules.patterns.patterns:
        found.extend((pattern, example, False) for example in pattern.spec.examples)
        found.extend((pattern, counter, True) for counter in pattern.spec.counterexamples)
    return found


def families(section: str | None) -> frozenset[str]:
    return frozenset([section]) if section else frozenset()


def check_example(pattern: CompiledPattern, example: Example, rules: RuleSet) -> list[str]:
    facts = facts_from_text(example.text, rules, families(example.section), example.heading)
    problems = []
    # A continuation adds to another pattern's fact; it makes none of its own.
    if pattern.spec.kind != "continuation" and not any(f.pattern == pattern.id for f in facts):
        problems.append(f"{pattern.id}: no fact from this pattern in {example.text!r}")
    for fact in facts:
        spec = rules.fields.get(fact.field)
        if fact.pattern == pattern.id and spec is not None and not carries(fact, spec.value):
            problems.append(
                f"{pattern.id}: the {fact.field} fact of {example.text!r} carries no "
                f"{spec.value.value} (fields.yaml declares it)"
            )
    for expected in example.expected_facts():
        if not any(matches(fact, expected, rules) for fact in facts):
            got = [_describe(f) for f in facts]
            problems.append(f"{pattern.id}: expected {expected} in {example.text!r}; got {got}")
    return problems


def check_counterexample(
    pattern: CompiledPattern, counter: Counterexample | str, rules: RuleSet
) -> list[str]:
    text = counter if isinstance(counter, str) else counter.text
    section = None if isinstance(counter, str) else counter.section
    heading = None if isinstance(counter, str) else counter.heading
    facts = [
        f
        for f in facts_from_text(text, rules, families(section), heading)
        if f.pattern == pattern.id
    ]
    return (
        [f"{pattern.id}: counterexample {text!r} gave {[_describe(f) for f in facts]}"]
        if facts
        else []
    )


def run_all(rules: RuleSet) -> list[str]:
    problems: list[str] = []
    for pattern, example, counter in cases(rules):
        if isinstance(example, Example) and not counter:
            problems.extend(check_example(pattern, example, rules))
        elif not isinstance(example, Example):
            problems.extend(check_counterexample(pattern, example, rules))
    return problems


def matches(fact: Fact | Any, expected: dict[str, Any], rules: RuleSet) -> bool:
    """Does the fact (or a nested model) carry every value the expectation states?"""
    for key, want in expected.items():
        if key in ("change", "changes"):
            # One comparison (a mapping) matches the first one stated; a list matches in order.
            wanted = want if isinstance(want, list) else [want]
            got_changes = list(getattr(fact, "changes", []))
            if len(got_changes) < len(wanted) or not all(
                matches(c, w, rules) for c, w in zip(got_changes, wanted, strict=False)
            ):
                return False
            continue
        got = getattr(fact, key, None)
        if isinstance(want, dict):
            if got is None or not matches(got, want, rules):
                return False
        elif key in _AMOUNT_KEYS:
            if got is None or got.wan != Decimal(str(want)):
                return False
        elif key in _NUMBER_KEYS:
            if got is None or Decimal(str(got)) != Decimal(str(want)):
                return False
        elif isinstance(want, list):
            fold = rules.text.fold
            if [fold(str(x)) for x in got or []] != [fold(str(x)) for x in want]:
                return False
        elif isinstance(want, str):
            if got is None or rules.text.fold(str(got)) != rules.text.fold(want):
                return False
        elif got != want:
            return False
    return True


def _describe(fact: Fact) -> dict[str, Any]:
    data = fact.model_dump(exclude_none=True, exclude={"provenance", "label", "id"})
    return {k: v for k, v in data.items() if v not in ([], FactStatus.STATED)}


def carries(fact: Fact, kind: ValueKind) -> bool:
    """Does the fact hold what its field's value kind declares (fields.yaml ``value``)? A
    stated nil (无…, 0) and a comparison on its own carry the figure by saying there is none
    or how it changed."""
    if fact.status != FactStatus.STATED:
        return True
    if kind == ValueKind.AMOUNT:
        return fact.amount is not None or bool(fact.changes) or fact.execution is not None
    if kind == ValueKind.COUNT:
        return fact.count is not None
    if kind == ValueKind.BOTH:
        return fact.count is not None or fact.amount is not None
    if kind in (ValueKind.PERCENT, ValueKind.SCORE):
        return fact.value is not None or fact.share is not None
    return bool(fact.text or fact.name or fact.includes or fact.purpose)
