"""What every rule reads — the document's facts, its info and tables, the data of the checks —
and how a rule writes one check."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from types import MappingProxyType

from ..models import Check, DocumentInfo, Fact, FactStatus, Severity, TableSummary
from ..rules.checks_schema import ChecksFile
from .data import CheckData
from .facts import key, uncertain
from .precision import plain


@dataclass(frozen=True)
class CheckInput:
    """One document as the rules see it; build it with ``CheckInput.of``."""

    facts: tuple[Fact, ...]
    info: DocumentInfo
    tables: tuple[TableSummary, ...]
    data: CheckData
    text: tuple[Fact, ...]  # the narrative's facts
    table: tuple[Fact, ...]  # the tables' facts
    by_field: Mapping[str, tuple[Fact, ...]]  # the narrative's facts by field, in order

    @classmethod
    def of(
        cls,
        facts: Iterable[Fact],
        info: DocumentInfo,
        tables: Iterable[TableSummary],
        data: CheckData,
    ) -> CheckInput:
        facts = tuple(facts)
        text = tuple(f for f in facts if f.source == "text")
        by_field: dict[str, list[Fact]] = {}
        for fact in text:
            by_field.setdefault(fact.field, []).append(fact)
        return cls(
            facts=facts,
            info=info,
            tables=tuple(tables),
            data=data,
            text=text,
            table=tuple(f for f in facts if f.source == "table"),
            by_field=MappingProxyType({name: tuple(found) for name, found in by_field.items()}),
        )

    @property
    def rules(self) -> ChecksFile:
        return self.data.checks

    def of_field(self, name: str) -> tuple[Fact, ...]:
        return self.by_field.get(name, ())

    def first(self, *fields: str) -> Fact | None:
        """The first stated amount of the first of these fields that has one."""
        for name in fields:
            for fact in self.of_field(name):
                if fact.amount is not None and fact.status == FactStatus.STATED:
                    return fact
        return None

    def stated(self, *fields: str) -> list[Fact]:
        """The stated amounts of these fields, one fact per distinct value, in order."""
        seen: dict[Decimal, Fact] = {}
        for name in fields:
            for fact in self.of_field(name):
                if fact.amount is not None and fact.status == FactStatus.STATED:
                    seen.setdefault(fact.amount.wan, fact)
        return list(seen.values())

    def distinct(self, field_name: str, *, with_share: bool = False) -> list[Fact]:
        """The first stated amount (with a share, if asked) of each key of a field."""
        seen: dict[str, Fact] = {}
        for fact in self.of_field(field_name):
            if (
                fact.amount is not None
                and fact.status == FactStatus.STATED
                and (fact.share is not None or not with_share)
            ):
                seen.setdefault(key(fact, self.data.codes), fact)
        return list(seen.values())


def check_id(rule: str, fact_ids: list[str]) -> str:
    """The rule and its first fact, then, for a check of several facts, a digest of all of
    them (in order): short, the same in every run, and different for another set of facts.
    ``Check.facts`` lists them all."""
    if not fact_ids:
        return rule
    if len(fact_ids) == 1:
        return f"{rule}:{fact_ids[0]}"
    digest = hashlib.blake2b("+".join(fact_ids).encode(), digest_size=4).hexdigest()
    return f"{rule}:{fact_ids[0]}+{digest}"


def check(
    rule: str,
    severity: Severity,
    passed: bool,
    message: str,
    facts: Iterable[Fact],
    expected: Decimal | str | None = None,
    actual: Decimal | str | None = None,
) -> Check:
    """One check of ``rule``. A failure that an uncertain reading of one of its facts could
    explain is info, and says why. Its id is ``check_id``'s; ``validate`` numbers ids that
    repeat."""
    facts = list(facts)
    if not passed and severity == "error":
        reason = next((r for f in facts if (r := uncertain(f))), None)
        if reason:
            severity = "info"
            message = f"{message} — not reported as an error: {reason}"
    ids = [f.id for f in facts]
    return Check(
        id=check_id(rule, ids),
        rule=rule,
        severity="info" if passed else severity,
        passed=passed,
        expected=plain(expected) if isinstance(expected, Decimal) else expected,
        actual=plain(actual) if isinstance(actual, Decimal) else actual,
        message=message,
        facts=ids,
    )
