"""Compare extracted facts with hand-checked expectations (tests/corpus/expected/*.yaml).

A predicted fact matches an expected one when the field is the same, the key agrees (code
when both have one, else the name), and every value the expectation states (amount, count,
share, status) is equal. Each expected fact is matched at most once. Attributes of matched
pairs (comparison, execution, purpose) are scored separately.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .fields import FieldName
from .models import Document, Fact, FactStatus
from .rules import default_rules

# Facts that expectation files do not list (identity and glossary are checked elsewhere).
NOT_EVALUATED = {
    FieldName.GLOSSARY_TERM,
    FieldName.DOCUMENT_YEAR,
    FieldName.DOCUMENT_KIND,
    FieldName.UNIT_NAME,
    FieldName.UNIT_PARENT,
    FieldName.UNIT_TYPE,
}


@dataclass
class Score:
    document: str
    expected: int = 0
    predicted: int = 0
    matched: int = 0
    attribute_checks: int = 0
    attribute_errors: int = 0
    coverage: float = 1.0
    reconciliation_mismatches: int = 0
    missed: list[dict[str, Any]] = field(default_factory=list)
    wrong: list[Fact] = field(default_factory=list)
    attribute_notes: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.expected if self.expected else 1.0


def load_expected(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data: dict[str, Any] = yaml.safe_load(handle)
    return data


def evaluable(fact: Fact) -> bool:
    return fact.source == "text" and fact.field not in NOT_EVALUATED


def name_key(name: str) -> str:
    """Names compared as the code tables compare them (an expectation file is not a note)."""
    return default_rules().codes.key(name)


def score_document(document: Document, expected: dict[str, Any]) -> Score:
    score = Score(document=expected["source"])
    wanted = [entry for entry in expected.get("facts", []) if entry["field"] not in NOT_EVALUATED]
    predicted = [fact for fact in document.facts if evaluable(fact)]
    score.expected, score.predicted = len(wanted), len(predicted)
    used: set[int] = set()
    for entry in wanted:
        match = next(
            (i for i, fact in enumerate(predicted) if i not in used and _matches(fact, entry)), None
        )
        if match is None:
            score.missed.append(entry)
            continue
        used.add(match)
        score.matched += 1
        _score_attributes(predicted[match], entry, score)
    score.wrong = [fact for i, fact in enumerate(predicted) if i not in used]
    score.coverage = document.coverage.score if document.coverage else 1.0
    score.reconciliation_mismatches = sum(
        1 for check in document.checks if check.rule.startswith("reconcile") and not check.passed
    )
    return score


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _matches(fact: Fact, entry: dict[str, Any]) -> bool:
    if fact.field != entry["field"]:
        return False
    status = entry.get("status", FactStatus.STATED)
    if fact.status != status:
        return False
    if entry.get("code") and fact.code and str(entry["code"]) != fact.code:
        return False
    if entry.get("name") and not entry.get("code"):
        names = [fact.name] if fact.name else list(fact.code_names[-1:])
        if not any(name and name_key(name) == name_key(str(entry["name"])) for name in names):
            return False
    names_differ = [name_key(n) for n in fact.code_names] != [
        name_key(str(n)) for n in entry.get("names", [])
    ]
    if entry.get("code") and not fact.code and entry.get("names") and names_differ:
        return False
    if "amount" in entry:
        if fact.amount is None or fact.amount.wan != _dec(entry["amount"]):
            return False
    elif (
        status == FactStatus.STATED
        and fact.amount is not None
        and "count" not in entry
        and "share" not in entry
    ):
        # An expectation without an amount (a comparison-only statement) matches a fact
        # without one.
        return False
    if "count" in entry and fact.count != int(entry["count"]):
        return False
    if "share" in entry and (fact.share is None or fact.share != _dec(entry["share"])):
        return False
    return not (
        "project" in entry
        and fact.parent_name
        and name_key(fact.parent_name) != name_key(str(entry["project"]))
    )


def _score_attributes(fact: Fact, entry: dict[str, Any], score: Score) -> None:
    stated = entry.get("change") or []
    wanted = stated if isinstance(stated, list) else [stated]
    checks: list[tuple[str, Any, Any]] = []
    for number, change in enumerate(wanted):
        got = fact.changes[number] if number < len(fact.changes) else None
        where = "change" if number == 0 else f"change[{number}]"
        if "direction" in change:
            checks.append(
                (f"{where}.direction", change["direction"], got.direction if got else None)
            )
        if "percent" in change:
            checks.append(
                (f"{where}.percent", _dec(change["percent"]), got.percent if got else None)
            )
        for key in ("amount", "basis_amount"):
            if key in change:
                value = getattr(got, key) if got else None
                checks.append((f"{where}.{key}", _dec(change[key]), value.wan if value else None))
    budget = entry.get("budget") or {}
    execution = fact.execution
    for key, attribute in (
        ("initial", "initial_budget"),
        ("adjusted", "adjusted_budget"),
        ("budget", "budget"),
    ):
        if key in budget:
            value = getattr(execution, attribute) if execution else None
            checks.append((f"budget.{key}", _dec(budget[key]), value.wan if value else None))
    if "completion_percent" in budget:
        checks.append(
            (
                "budget.completion_percent",
                _dec(budget["completion_percent"]),
                execution.completion_percent if execution else None,
            )
        )
    for label, want, got in checks:
        score.attribute_checks += 1
        if want != got:
            score.attribute_errors += 1
            score.attribute_notes.append(
                f"{fact.field} {fact.code or fact.name or ''}: {label} expected {want}, got {got}"
            )
