"""Sums in the narrative: parts add up to their stated total (``sum.*``).

The sums of fields and of counts are data (``sums`` and ``count_sums`` in checks.yaml), one
rule each; the sums of classes, items, performance projects and income sources are code.
"""

from __future__ import annotations

import itertools
from collections import defaultdict

from ..fields import FieldName
from ..models import Check, Fact, Severity
from ..rules.checks_schema import ChecksFile, CountSum, FieldSum
from .compare import compare, compare_any, readings
from .inputs import CheckInput, check
from .rule import CheckRule, rule
from .units import UNIT_SCALE

_SUMMED = (UNIT_SCALE.id,)


def _fields(names: tuple[str, ...], joiner: str) -> str:
    return joiner.join(f"`{name}`" for name in names)


def field_sum(spec: FieldSum) -> CheckRule:
    """The rule of one sum of fields in checks.yaml."""

    def run(given: CheckInput) -> list[Check]:
        totals = given.stated(*spec.total)
        options = [values for name in spec.parts if (values := given.stated(name))]
        if not totals or len(options) < 2:
            return []
        if len(options) < len(spec.parts) and not spec.optional_parts:
            return []
        options += [values for name in spec.optional if (values := given.stated(name))]
        shortfall: tuple[Severity, str] | None = (
            (spec.shortfall, "the note may leave a part unstated") if spec.shortfall else None
        )
        return compare_any(
            given,
            spec.rule,
            readings(totals, options),
            f"{totals[0].label} = {' + '.join(values[0].label for values in options)}",
            shortfall=shortfall,
        )

    parts = _fields(spec.parts, " + ")
    if spec.optional_parts:
        parts = f"any two or more of {parts}"
    if spec.optional:
        parts += f" (+ {_fields(spec.optional, ' + ')} where stated)"
    when = f"{spec.shortfall} when the parts fall short of the total" if spec.shortfall else ""
    return CheckRule(
        spec.rule,
        "error",
        f"{parts} add up to {_fields(spec.total, ' or ')}",
        run,
        when=when,
        reports=_SUMMED,
    )


def count_sum(spec: CountSum) -> CheckRule:
    """The rule of one sum of counts in checks.yaml."""

    def run(given: CheckInput) -> list[Check]:
        totals = [f for name in spec.total for f in given.of_field(name) if f.count is not None]
        parts = [f for f in given.of_field(spec.parts) if f.count is not None]
        if not totals or not parts:
            return []
        # The kinds listed in the sentence of a total are its parts; kinds listed elsewhere
        # may count another set of vehicles.
        total, own = next(
            (
                (t, same)
                for t in totals
                if (same := [p for p in parts if p.provenance.sentence == t.provenance.sentence])
            ),
            (totals[0], []),
        )
        certain = bool(own)
        counted = sum(p.count or 0 for p in (own or parts))
        passed = counted == total.count
        return [
            check(
                spec.rule,
                "error" if certain else "warning",
                passed,
                f"{total.label}: the kinds add up to {counted}, the note states {total.count}"
                + ("" if certain or passed else "; the kinds are listed apart from the total"),
                [total, *(own or parts)],
                str(total.count),
                str(counted),
            )
        ]

    return CheckRule(
        spec.rule,
        "error",
        f"the counts of `{spec.parts}` add up to {_fields(spec.total, ' or ')}",
        run,
        when="warning when the kinds are not listed in the total's own sentence",
    )


def data_rules(data: ChecksFile) -> tuple[CheckRule, ...]:
    """The sums checks.yaml declares, in its order."""
    return (*(field_sum(s) for s in data.sums), *(count_sum(s) for s in data.count_sums))


@rule(
    "sum.classes",
    "error",
    "the function classes (类) the text lists add up to the total",
    when="a shortfall is a warning (the text may list only some classes), info when the tables"
    " show the classes left out",
    reports=_SUMMED,
)
def classes(given: CheckInput) -> list[Check]:
    listed_classes = given.distinct(FieldName.EXPENDITURE_CLASS)
    bases = [b for b in given.rules.share_bases[FieldName.EXPENDITURE_CLASS] if "+" not in b]
    totals = given.stated(*bases)
    if len(listed_classes) < 2 or not totals:
        return []
    listed = {f.code for f in listed_classes}
    unlisted = sorted(
        {
            f.code
            for f in given.table
            if f.field == FieldName.EXPENDITURE_CLASS and f.code and f.code not in listed
        }
    )
    return compare_any(
        given,
        "sum.classes",
        ((total, listed_classes) for total in totals),
        "function classes (类) add up to the total",
        # A note may list only its main classes: parts that fall short are a warning (info
        # when the tables show the classes left out); parts that exceed the total are an error.
        shortfall=(
            "info",
            f"the tables also have {', '.join(unlisted[:6])}, which the text does not list",
        )
        if unlisted
        else ("warning", "the text may list only some of the classes"),
    )


def _items(given: CheckInput) -> list[Fact]:
    """The items (项) the text states, one per code."""
    return [
        f for f in given.distinct(FieldName.EXPENDITURE_ITEM) if f.code and f.code.count("-") == 2
    ]


def _classes_by_code(given: CheckInput) -> dict[str, Fact]:
    return {f.code: f for f in given.distinct(FieldName.EXPENDITURE_CLASS) if f.code}


@rule(
    "sum.items_class",
    "warning",
    "the items (项) of a class add up to the class (not summed when the tables have items of"
    " the class the text does not list)",
    reports=_SUMMED,
)
def items_of_class(given: CheckInput) -> list[Check]:
    classes_stated = _classes_by_code(given)
    by_class: dict[str, list[Fact]] = defaultdict(list)
    for item in _items(given):
        by_class[(item.code or "")[:3]].append(item)
    in_tables = {
        f.code
        for f in given.table
        if f.field == FieldName.EXPENDITURE_ITEM and f.code and f.code.count("-") == 2
    }
    found: list[Check] = []
    for code, members in sorted(by_class.items()):
        if code not in classes_stated:
            continue
        listed = {m.code for m in members}
        unlisted = sorted(c for c in in_tables if c.startswith(code + "-") and c not in listed)
        if unlisted:
            found.append(
                check(
                    "sum.items_class",
                    "info",
                    True,
                    f"the text lists {len(listed)} of the items (项) of class {code}; the tables"
                    f" also have {', '.join(unlisted[:6])}: not summed",
                    [classes_stated[code], *members],
                )
            )
            continue
        found += compare(
            given,
            "sum.items_class",
            classes_stated[code],
            members,
            f"items (项) of class {code} add up to the class",
            severity="warning",
        )
    return found


@rule(
    "sum.items_total",
    "warning",
    "where the text states items (项) but no class, the items add up to the total",
    reports=_SUMMED,
)
def items_of_total(given: CheckInput) -> list[Check]:
    items = _items(given)
    if not items or _classes_by_code(given):
        return []
    base = given.first(
        FieldName.EXPENDITURE_GENERAL_BUDGET,
        FieldName.EXPENDITURE_FISCAL_APPROPRIATION,
        FieldName.TOTAL_EXPENDITURE,
    )
    if base is None or len(items) < 2:
        return []
    return compare(
        given, "sum.items_total", base, items, "items (项) add up to the total", severity="warning"
    )


def _performance(given: CheckInput) -> tuple[Fact | None, list[Fact]]:
    targets = next(
        (f for f in given.of_field(FieldName.PERFORMANCE_TARGETS) if f.count is not None), None
    )
    kinds = [f for f in given.of_field(FieldName.PERFORMANCE_KIND) if f.count is not None]
    return targets, kinds


@rule("sum.performance_counts", "error", "the projects by kind add up to the projects stated")
def performance_counts(given: CheckInput) -> list[Check]:
    targets, kinds = _performance(given)
    if targets is None or not kinds:
        return []
    counted = sum(f.count or 0 for f in kinds)
    return [
        check(
            "sum.performance_counts",
            "error",
            counted == targets.count,
            f"projects by kind add up to {counted}, the note states {targets.count}",
            [targets, *kinds],
            str(targets.count),
            str(counted),
        )
    ]


@rule(
    "sum.performance_amounts",
    "error",
    "the amounts of the projects by kind add up to their total",
    reports=_SUMMED,
)
def performance_amounts(given: CheckInput) -> list[Check]:
    targets, kinds = _performance(given)
    if targets is None or not kinds or not (targets.amount and all(f.amount for f in kinds)):
        return []
    return compare(
        given,
        "sum.performance_amounts",
        targets,
        kinds,
        "project amounts by kind add up to the total",
    )


_OTHER_SOURCES = (
    FieldName.INCOME_BUSINESS,
    FieldName.INCOME_OPERATING,
    FieldName.INCOME_SUPERIOR_SUBSIDY,
    FieldName.INCOME_AFFILIATED,
    FieldName.INCOME_OTHER,
    FieldName.INCOME_SPECIAL_ACCOUNT,
    FieldName.INCOME_OTHER_FUNDS,
)


@rule(
    "sum.income_sources",
    "error",
    "income by source (财政拨款 or its funds, 事业收入 …) adds up to total income, with or"
    " without the carry-over",
    when="warning when the sources fall short of the total",
    reports=_SUMMED,
)
def income_sources(given: CheckInput) -> list[Check]:
    totals = given.stated(FieldName.TOTAL_INCOME)
    if not totals:
        return []
    fiscal = given.stated(FieldName.INCOME_FISCAL_APPROPRIATION)
    funds = (
        FieldName.INCOME_GENERAL_BUDGET,
        FieldName.INCOME_GOVERNMENT_FUND,
        FieldName.INCOME_STATE_CAPITAL,
    )
    options = [fiscal] if fiscal else [v for n in funds if (v := given.stated(n))]
    options += [v for n in _OTHER_SOURCES if (v := given.stated(n))]
    carryover = given.stated(FieldName.INCOME_CARRYOVER)
    # 收入预算总额 counts the carry-over; 本年收入合计 does not: both readings are tried.
    ways = [[*options, carryover], options] if carryover else [options]
    ways = [r for r in ways if r]
    if not ways:
        return []
    return compare_any(
        given,
        "sum.income_sources",
        itertools.chain.from_iterable(readings(totals, r) for r in ways),
        "income sources add up to total income",
        shortfall=("warning", "the note may leave a source unstated"),
    )


RULES = (
    classes,
    items_of_class,
    items_of_total,
    performance_counts,
    performance_amounts,
    income_sources,
)
