"""One value per figure per note, from the text and the tables, with the evidence for it.

A note states many figures more than once: in the narrative and in one or more of its
standard tables, sometimes twice in the narrative. For every *concept* — a field, its key
(classification code or item name) and a measure — this module gathers every statement of
it and resolves one value:

1. Statements agree when they differ by no more than the rounding of both figures (a table
   cell in 元 and the narrative's 万元 figure to two decimals agree).
2. The value most statements agree on wins.
3. On a tie the tables win: they are the note's formal statement of the budget, and each
   disagreement between narrative and tables that the corpus expectations record is a slip
   in the narrative (a 财政拨款收入支出总计 of 0.3万元 against 2961.68 in the table). A tie between
   groups alike (text against text, table against table) goes to the first in reading order.
4. The figure reported is the narrative's first statement within the winning group (the
   figure as the note writes it), else the first table cell.

A figure stated as nil (没有/无…) is the value 0; one stated as not applicable has no value.
Validation has already checked the same statements against each other; a resolution names
the failed checks that involve any of its statements. Nothing here changes a fact.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from ..checks.precision import half_ulp
from ..fields import FieldName
from ..models import Document, Fact, FactStatus, NoteKind
from ..rules import RuleSet, ValueKind, default_rules

Measure = Literal[
    "amount",
    "basic",
    "project",
    "personnel",
    "public",
    "budget",
    "adjusted_budget",
    "completion_percent",
    "count",
]
Decision = Literal["single", "unanimous", "majority", "tables_first", "first_stated"]

MEASURES: dict[str, str] = {
    "amount": "the note's own figure: the 预算数 of a 预算 note, the 决算数 of a 决算 note (万元)",
    "basic": "基本支出 part of a line (万元, from the tables)",
    "project": "项目支出 part of a line (万元, from the tables)",
    "personnel": "人员经费 part of a line (万元, from the tables)",
    "public": "公用经费 part of a line (万元, from the tables)",
    "budget": "决算 notes: the budget the final figure is measured against (年初预算 or 预算数, 万元)",
    "adjusted_budget": "决算 notes: 调整预算 / 全年预算 (万元)",
    "completion_percent": "决算 notes: 完成预算的 … % as stated",
    "count": "a count (vehicles, projects, staff …)",
}

# Table columns that split a coded line into parts (and are therefore a measure of their own).
_PART_COLUMNS = {"basic", "project", "personnel", "public"}
_CODED_FIELDS = {
    FieldName.EXPENDITURE_CLASS,
    FieldName.EXPENDITURE_ITEM,
    FieldName.EXPENDITURE_ECONOMIC,
}


@dataclass(frozen=True)
class Statement:
    """One statement of a concept's figure: which fact, and what it says."""

    fact: Fact
    order: int  # reading order: text by offset, then the tables in order
    value: Decimal
    tolerance: Decimal  # half a unit in the last place stated

    @property
    def from_table(self) -> bool:
        return self.fact.source == "table"


@dataclass(frozen=True)
class Resolution:
    """The resolved value of one concept of one note."""

    field: str
    key: str  # classification code or item name; "" for a figure stated once per note
    measure: str
    value: Decimal | None  # None when the figure is stated as not applicable
    status: str  # stated | none | not_applicable
    chosen: Fact
    agreeing: tuple[Fact, ...]  # the chosen group, the chosen fact first
    differing: tuple[Fact, ...]
    differing_values: tuple[Decimal, ...]
    decided_by: Decision
    checks: tuple[str, ...]  # ids of failed checks that involve any statement

    @property
    def concept(self) -> str:
        """A stable id within the note: ``field``, ``field[key]`` and ``/measure`` unless
        the measure is the figure itself."""
        text = f"{self.field}[{self.key}]" if self.key else self.field
        return text if self.measure == "amount" else f"{text}/{self.measure}"

    @property
    def facts(self) -> tuple[Fact, ...]:
        return self.agreeing + self.differing


def resolve(document: Document, rules: RuleSet | None = None) -> list[Resolution]:
    """Every concept of the note with its resolved value, in a stable order."""
    rules = rules or default_rules()
    kind = document.info.kind or NoteKind.BUDGET
    groups: dict[tuple[str, str, str], list[Statement]] = defaultdict(list)
    not_applicable: dict[tuple[str, str, str], Fact] = {}
    ordered = sorted(enumerate(document.facts), key=lambda item: _reading_order(*item))
    for order, (_, fact) in enumerate(ordered):
        key = concept_key(fact, rules)
        if fact.status == FactStatus.NOT_APPLICABLE:
            not_applicable.setdefault((fact.field, key, _nil_measure(fact, rules)), fact)
            continue
        for measure, value, tolerance in statements(fact, kind, rules):
            groups[(fact.field, key, measure)].append(Statement(fact, order, value, tolerance))
    failed = _failed_checks_by_fact(document)
    resolved = [_resolve_one(concept, found, failed) for concept, found in groups.items()]
    for concept, fact in not_applicable.items():
        if concept not in groups:
            resolved.append(
                Resolution(
                    field=concept[0],
                    key=concept[1],
                    measure=concept[2],
                    value=None,
                    status=FactStatus.NOT_APPLICABLE,
                    chosen=fact,
                    agreeing=(fact,),
                    differing=(),
                    differing_values=(),
                    decided_by="single",
                    checks=tuple(sorted(failed.get(fact.id, ()))),
                )
            )
    return sorted(resolved, key=lambda r: (r.field, r.key, _MEASURE_ORDER[r.measure]))


_MEASURE_ORDER = {name: index for index, name in enumerate(MEASURES)}


def concept_key(fact: Fact, rules: RuleSet) -> str:
    """What tells two facts of the same field apart (``keyed_by`` in patterns/fields.yaml):
    the code, or the item's name; table row labels (合计, 收入总计) are not keys."""
    spec = rules.fields.get(fact.field)
    keyed_by = spec.keyed_by if spec is not None else None
    name_key = rules.codes.key
    if keyed_by == "code":
        if fact.code:
            return fact.code
        names = fact.code_names or ([fact.name] if fact.name else [])
        return "~" + "/".join(name_key(n) for n in names)
    if keyed_by == "name":
        key = name_key(fact.name or "")
        return key + (f"@{name_key(fact.parent_name)}" if fact.parent_name else "")
    return ""


def statements(fact: Fact, kind: str, rules: RuleSet) -> Iterable[tuple[str, Decimal, Decimal]]:
    """(measure, value, tolerance) for each figure the fact states."""
    if fact.status == FactStatus.NONE:
        yield _nil_measure(fact, rules), Decimal(0), Decimal(0)
        return
    if fact.amount is not None:
        measure = amount_measure(fact, kind, rules)
        if measure is not None:
            yield measure, fact.amount.wan, half_ulp(fact.amount)
    if fact.count is not None:
        yield "count", Decimal(fact.count), Decimal(0)
    execution = fact.execution
    if execution is None:
        return
    budget = execution.initial_budget or execution.budget
    if budget is not None:
        yield "budget", budget.wan, half_ulp(budget)
    if execution.adjusted_budget is not None:
        yield "adjusted_budget", execution.adjusted_budget.wan, half_ulp(execution.adjusted_budget)
    if execution.completion_percent is not None:
        yield (
            "completion_percent",
            execution.completion_percent,
            _half_last_place(execution.completion_percent),
        )


def amount_measure(fact: Fact, kind: str, rules: RuleSet) -> str | None:
    """Which measure a fact's amount states, or None for a table column that is not a
    measure of its field (the income columns of a line in 收入总表, the fund columns of
    财政拨款收支总表)."""
    if fact.source == "text":
        return "amount"
    column = fact.measure or "value"
    if column in ("value", "total", "final"):
        return "amount"
    if column == "budget":
        return "budget" if kind == NoteKind.FINAL else "amount"
    if fact.field in _CODED_FIELDS:
        return column if column in _PART_COLUMNS else None
    # A named row (合计, 收入总计): its field already says what the cell is when the column
    # is the field's own (基本支出 of the 合计 row is expenditure.basic).
    return "amount" if column in rules.tables.own_columns().get(fact.field, set()) else None


def _nil_measure(fact: Fact, rules: RuleSet) -> str:
    spec = rules.fields.get(fact.field)
    return "count" if spec is not None and spec.value == ValueKind.COUNT else "amount"


def _half_last_place(value: Decimal) -> Decimal:
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return Decimal("0.5") * Decimal(10) ** -places


def _reading_order(index: int, fact: Fact) -> tuple[int, int, int, int]:
    """Text before tables; text by offset; tables in the order read, then row, then column."""
    table = fact.provenance.table
    if fact.source == "text" or table is None:
        start = fact.provenance.char_start
        return (0, start if start is not None else 1 << 40, 0, index)
    section = fact.provenance.section_id.lstrip("t")
    return (1, int(section) if section.isdigit() else 1 << 20, table.row, index)


def _resolve_one(
    concept: tuple[str, str, str], found: list[Statement], failed: dict[str, set[str]]
) -> Resolution:
    groups: list[list[Statement]] = []
    for statement in sorted(found, key=lambda s: s.order):
        for group in groups:
            if _agree(group[0], statement):
                group.append(statement)
                break
        else:
            groups.append([statement])
    winner = max(
        groups, key=lambda g: (len(g), any(s.from_table for s in g), -min(s.order for s in g))
    )
    text_first = sorted(winner, key=lambda s: (s.from_table, s.order))
    chosen = text_first[0]
    others = [s for g in groups if g is not winner for s in g]
    if len(found) == 1:
        decided: Decision = "single"
    elif not others:
        decided = "unanimous"
    elif sum(1 for g in groups if len(g) == len(winner)) == 1:
        decided = "majority"
    elif any(s.from_table for s in winner) and any(
        not any(s.from_table for s in g) for g in groups if len(g) == len(winner)
    ):
        decided = "tables_first"  # a tie that the tables decided
    else:
        decided = "first_stated"  # a tie between groups alike: the first in reading order
    involved = {s.fact.id for s in found}
    checks = sorted({check for fact_id in involved for check in failed.get(fact_id, ())})
    return Resolution(
        field=concept[0],
        key=concept[1],
        measure=concept[2],
        value=chosen.value,
        status=chosen.fact.status,
        chosen=chosen.fact,
        agreeing=tuple(s.fact for s in text_first),
        differing=tuple(s.fact for s in sorted(others, key=lambda s: s.order)),
        differing_values=tuple(sorted({s.value for s in others})),
        decided_by=decided,
        checks=tuple(checks),
    )


def _agree(first: Statement, other: Statement) -> bool:
    return abs(first.value - other.value) <= first.tolerance + other.tolerance


def _failed_checks_by_fact(document: Document) -> dict[str, set[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for check in document.checks:
        if not check.passed:
            for fact_id in check.facts:
                found[fact_id].add(check.id)
    return found


def fact_marks(resolutions: Iterable[Resolution]) -> dict[str, tuple[str, str]]:
    """Fact id → (concept, ``chosen`` | ``agrees`` | ``differs``) for the first figure the
    fact states: its amount (or a line's part), else its count, else a 决算 budget figure."""
    marks: dict[str, tuple[int, str, str]] = {}

    def mark(fact: Fact, rank: int, concept: str, how: str) -> None:
        if fact.id not in marks or rank < marks[fact.id][0]:
            marks[fact.id] = (rank, concept, how)

    for resolution in resolutions:
        rank = _PRIMARY.get(resolution.measure, 2)
        for fact in resolution.agreeing:
            how = "chosen" if fact is resolution.chosen else "agrees"
            mark(fact, rank, resolution.concept, how)
        for fact in resolution.differing:
            mark(fact, rank, resolution.concept, "differs")
    return {fact_id: (concept, how) for fact_id, (_, concept, how) in marks.items()}


_PRIMARY = {"amount": 0, "basic": 0, "project": 0, "personnel": 0, "public": 0, "count": 1}
