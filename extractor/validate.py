"""Cross-checks → Check records. Validation reads facts and never changes or drops one.

Every check says which rule it applies, what was expected, what was found, how serious a
failure is, and which facts are involved. Figures that agree only within rounding pass, with a
note. Rules and their data: ``patterns/checks.yaml``; the README lists them all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

import regex

from .amounts import format_decimal, unit_factor
from .classification import function_codebook, name_key
from .models import Amount, Check, DocumentInfo, Fact, Severity, TableSummary
from .patterns import load_yaml

HUNDRED = Decimal(100)
_MAIN_MEASURES = {"预算": {"total", "value", "budget"}, "决算": {"total", "value", "final"}}
_RECONCILED = (
    "total.",
    "income.",
    "expenditure.fiscal_appropriation",
    "expenditure.general_budget",
    "expenditure.government_fund",
    "expenditure.state_capital",
    "expenditure.basic",
    "expenditure.project",
    "expenditure.class",
    "expenditure.item",
    "basic.",
    "sangong.",
    "operating_cost",
)


@cache
def _rules() -> dict[str, Any]:
    data: dict[str, Any] = load_yaml("checks.yaml")
    return data


def half_ulp(amount: Amount) -> Decimal:
    """Half a unit in the last stated place, in 万元. Whole 万元 figures count as two decimals
    (notes write 30万元 for 30.00); a table cell in 元 is as precise as it is printed."""
    exponent = amount.value.as_tuple().exponent
    stated = -exponent if isinstance(exponent, int) else 2
    decimals = max(0, stated) if amount.unit == "元" else max(2, stated)
    return (Decimal("0.5") * Decimal(10) ** -decimals * unit_factor(amount.unit)).normalize()


def _fmt(value: Decimal | None) -> str:
    """Plain digits; a stated figure as written (5.60), a converted or computed one without
    zeros beyond the cents (847.070000 → 847.07)."""
    if value is None:
        return "-"
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -2:
        value = value.normalize()
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent > -2:
            value = value.quantize(Decimal("0.01"))
    return format_decimal(value)


def _key(fact: Fact) -> str:
    if fact.code:
        return fact.code
    if fact.name:
        return name_key(fact.name) + (f"@{name_key(fact.parent_name)}" if fact.parent_name else "")
    if fact.code_names:
        return "/".join(name_key(n) for n in fact.code_names)
    return ""


def _where(fact: Fact) -> str:
    page = f"p.{fact.provenance.page}" if fact.provenance.page else ""
    if fact.provenance.table:
        return f"table “{fact.provenance.table.title}” {page} row {fact.provenance.table.row + 1}".strip()
    return f"text {page}".strip()


@dataclass
class Context:
    facts: list[Fact]
    info: DocumentInfo
    checks: list[Check] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        self.text = [f for f in self.facts if f.source == "text"]
        self.table = [f for f in self.facts if f.source == "table"]
        self.by_field: dict[str, list[Fact]] = defaultdict(list)
        for fact in self.text:
            self.by_field[fact.field].append(fact)

    def first(self, *fields: str) -> Fact | None:
        for name in fields:
            for fact in self.by_field.get(name, []):
                if fact.amount is not None and fact.status == "stated":
                    return fact
        return None

    def distinct(self, field_name: str, *, with_share: bool = False) -> list[Fact]:
        """The first stated amount (with a share, if asked) of each key of a field."""
        seen: dict[str, Fact] = {}
        for fact in self.by_field.get(field_name, []):
            if (
                fact.amount is not None
                and fact.status == "stated"
                and (fact.share is not None or not with_share)
            ):
                seen.setdefault(_key(fact), fact)
        return list(seen.values())

    def add(
        self,
        rule: str,
        severity: Severity,
        passed: bool,
        message: str,
        facts: Iterable[Fact],
        expected: Decimal | str | None = None,
        actual: Decimal | str | None = None,
    ) -> None:
        ids = [f.id for f in facts]
        base = f"{rule}:{'+'.join(ids[:4])}" if ids else rule
        check_id, n = base, 1
        while check_id in self.ids:
            n += 1
            check_id = f"{base}#{n}"
        self.ids.add(check_id)
        self.checks.append(
            Check(
                id=check_id,
                rule=rule,
                severity="info" if passed else severity,
                passed=passed,
                expected=_fmt(expected) if isinstance(expected, Decimal) else expected,
                actual=_fmt(actual) if isinstance(actual, Decimal) else actual,
                message=message,
                facts=ids,
            )
        )

    def compare(
        self, rule: str, total: Fact, parts: list[Fact], what: str, *, severity: Severity = "error"
    ) -> None:
        """total == sum(parts), within the rounding of the stated figures."""
        assert total.amount is not None
        stated = total.amount.wan
        summed = sum((p.amount.wan for p in parts if p.amount), Decimal(0))
        tolerance = half_ulp(total.amount) + sum(
            (half_ulp(p.amount) for p in parts if p.amount), Decimal(0)
        )
        difference = abs(stated - summed)
        names = " + ".join(_label(p) for p in parts)
        if difference == 0:
            self.add(
                rule,
                severity,
                True,
                f"{what}: {names} = {_fmt(stated)}",
                [total, *parts],
                stated,
                summed,
            )
        elif difference <= tolerance:
            self.add(
                rule,
                severity,
                True,
                f"{what}: sum {_fmt(summed)} agrees with {_fmt(stated)}"
                f" within rounding (difference {_fmt(difference)})",
                [total, *parts],
                stated,
                summed,
            )
        else:
            self.add(
                rule,
                severity,
                False,
                f"{what}: the parts add up to {_fmt(summed)}, the note"
                f" states {_fmt(stated)} (difference {_fmt(stated - summed)})",
                [total, *parts],
                stated,
                summed,
            )


def _label(fact: Fact) -> str:
    key = fact.code or fact.name or ""
    return f"{fact.label}{'(' + key + ')' if key else ''}"


def validate(facts: list[Fact], info: DocumentInfo, tables: list[TableSummary]) -> list[Check]:
    context = Context(facts=facts, info=info)
    for rule in (
        _sums,
        _count_sums,
        _classes,
        _items,
        _performance,
        _income_sources,
        _balance,
        _shares,
        _share_groups,
        _repeats,
        _changes,
        _execution,
        _contradictions,
        _codes,
        _reconcile,
        _table_sums,
        _table_columns,
        _table_agreement,
    ):
        rule(context)
    severity_order = {"error": 0, "warning": 1, "info": 2}
    context.checks.sort(key=lambda c: (c.passed, severity_order[c.severity], c.rule, c.id))
    return context.checks


# --- sums in the narrative ------------------------------------------------------------------


def _sums(ctx: Context) -> None:
    for spec in _rules()["sums"]:
        total = ctx.first(*spec["total"])
        parts = [p for name in spec["parts"] if (p := ctx.first(name)) is not None]
        if total is None or len(parts) < 2:
            continue
        if len(parts) < len(spec["parts"]) and not spec.get("optional_parts"):
            continue
        ctx.compare(
            spec["rule"], total, parts, f"{total.label} = {' + '.join(p.label for p in parts)}"
        )


def _count_sums(ctx: Context) -> None:
    for spec in _rules()["count_sums"]:
        totals = [f for f in ctx.by_field.get(spec["total"], []) if f.count is not None]
        parts = [f for f in ctx.by_field.get(spec["parts"], []) if f.count is not None]
        if not totals or not parts:
            continue
        total = totals[0]
        # The kinds listed right after this total (same sentence) are its parts.
        own = [p for p in parts if p.provenance.sentence == total.provenance.sentence] or parts
        counted = sum(p.count or 0 for p in own)
        ctx.add(
            spec["rule"],
            "error",
            counted == total.count,
            f"{total.label}: the kinds add up to {counted}, the note states {total.count}",
            [total, *own],
            str(total.count),
            str(counted),
        )


def _classes(ctx: Context) -> None:
    classes = ctx.distinct("expenditure.class")
    base = ctx.first(*_rules()["share_bases"]["expenditure.class"])
    if len(classes) >= 2 and base is not None:
        ctx.compare("sum.classes", base, classes, "function classes (类) add up to the total")


def _items(ctx: Context) -> None:
    items = [f for f in ctx.distinct("expenditure.item") if f.code and f.code.count("-") == 2]
    classes = {f.code: f for f in ctx.distinct("expenditure.class") if f.code}
    by_class: dict[str, list[Fact]] = defaultdict(list)
    for item in items:
        by_class[(item.code or "")[:3]].append(item)
    in_tables = {
        f.code
        for f in ctx.table
        if f.field == "expenditure.item" and f.code and f.code.count("-") == 2
    }
    for code, members in sorted(by_class.items()):
        if code not in classes:
            continue
        listed = {m.code for m in members}
        unlisted = sorted(c for c in in_tables if c.startswith(code + "-") and c not in listed)
        if unlisted:
            ctx.add(
                "sum.items_class",
                "info",
                True,
                f"the text lists {len(listed)} of the items (项) of class {code}; the tables also have"
                f" {', '.join(unlisted[:6])}: not summed",
                [classes[code], *members],
            )
            continue
        ctx.compare(
            "sum.items_class",
            classes[code],
            members,
            f"items (项) of class {code} add up to the class",
            severity="warning",
        )
    if items and not classes:
        base = ctx.first(
            "expenditure.general_budget", "expenditure.fiscal_appropriation", "total.expenditure"
        )
        if base is not None and len(items) >= 2:
            ctx.compare(
                "sum.items_total", base, items, "items (项) add up to the total", severity="warning"
            )


def _performance(ctx: Context) -> None:
    targets = next(
        (f for f in ctx.by_field.get("performance.targets", []) if f.count is not None), None
    )
    kinds = [f for f in ctx.by_field.get("performance.kind", []) if f.count is not None]
    if targets is None or not kinds:
        return
    counted = sum(f.count or 0 for f in kinds)
    ctx.add(
        "sum.performance_counts",
        "error",
        counted == targets.count,
        f"projects by kind add up to {counted}, the note states {targets.count}",
        [targets, *kinds],
        str(targets.count),
        str(counted),
    )
    if targets.amount and all(f.amount for f in kinds):
        ctx.compare(
            "sum.performance_amounts", targets, kinds, "project amounts by kind add up to the total"
        )


def _income_sources(ctx: Context) -> None:
    total = ctx.first("total.income")
    if total is None:
        return
    names = [
        "income.business",
        "income.operating",
        "income.superior_subsidy",
        "income.affiliated",
        "income.other",
        "income.carryover",
    ]
    fiscal = ctx.first("income.fiscal_appropriation")
    if fiscal is not None:
        parts = [fiscal]
    else:
        parts = [
            p
            for n in ("income.general_budget", "income.government_fund", "income.state_capital")
            if (p := ctx.first(n))
        ]
    parts += [p for n in names if (p := ctx.first(n)) is not None]
    if parts:
        ctx.compare("sum.income_sources", total, parts, "income sources add up to total income")


def _balance(ctx: Context) -> None:
    if ctx.info.kind == "决算":
        return
    income = ctx.first("total.income", "income.general_budget")
    spending = ctx.first("total.expenditure", "expenditure.general_budget")
    if income is None or spending is None or income.amount is None or spending.amount is None:
        return
    ok = income.amount.wan == spending.amount.wan
    ctx.add(
        "balance.income_expenditure",
        "error",
        ok,
        f"a budget balances: income {_fmt(income.amount.wan)} vs expenditure {_fmt(spending.amount.wan)}",
        [income, spending],
        income.amount.wan,
        spending.amount.wan,
    )


# --- shares ---------------------------------------------------------------------------------


def _shares(ctx: Context) -> None:
    bases = _rules()["share_bases"]
    for fact in ctx.text:
        if fact.share is None or fact.amount is None or fact.field not in bases:
            continue
        base = ctx.first(*bases[fact.field])
        if base is None or base.amount is None or base.amount.wan == 0 or base is fact:
            continue
        computed = fact.amount.wan / base.amount.wan * HUNDRED
        exponent = fact.share.as_tuple().exponent
        places = -exponent if isinstance(exponent, int) else 2
        tolerance = Decimal("0.5") * Decimal(10) ** -places + HUNDRED * (
            half_ulp(fact.amount) / base.amount.wan
            + fact.amount.wan * half_ulp(base.amount) / base.amount.wan**2
        )
        difference = abs(computed - fact.share)
        ok = difference <= tolerance
        # Off by one in the last place: usually shares adjusted so that they sum to 100.
        severity: Severity = (
            "warning" if difference <= tolerance + Decimal(10) ** -places else "error"
        )
        ctx.add(
            "share.stated",
            severity,
            ok,
            f"{_label(fact)}: stated share {_fmt(fact.share)}%, {_fmt(fact.amount.wan)} / {_fmt(base.amount.wan)}"
            f" = {computed:.4f}%",
            [fact, base],
            fact.share,
            computed.quantize(Decimal("0.0001")),
        )


def _share_groups(ctx: Context) -> None:
    for group in _rules()["share_groups"]:
        members = [f for name in group for f in ctx.distinct(name, with_share=True)]
        if len(members) < 2:
            continue
        total = sum((f.share for f in members if f.share is not None), Decimal(0))
        tolerance = Decimal("0.005") * len(members)
        ok = abs(total - HUNDRED) <= tolerance
        note = ""
        if ok and total == HUNDRED:
            bases = _rules()["share_bases"]
            base = ctx.first(*bases.get(members[0].field, []))
            if base and base.amount and base.amount.wan:
                rounded = sum(
                    (
                        (f.amount.wan / base.amount.wan * HUNDRED).quantize(Decimal("0.01"))
                        for f in members
                        if f.amount
                    ),
                    Decimal(0),
                )
                if rounded != HUNDRED:
                    note = f"; the shares were adjusted to sum to 100 (rounded shares sum to {_fmt(rounded)})"
        ctx.add(
            "share.sum_100",
            "warning",
            ok,
            f"shares of {', '.join(sorted({f.label for f in members}))}"
            f" sum to {_fmt(total)}%{note}",
            members,
            HUNDRED,
            total,
        )


# --- one figure, several statements -----------------------------------------------------------


def _repeats(ctx: Context) -> None:
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in ctx.text:
        if fact.amount is not None and fact.status == "stated":
            groups[(fact.field, _key(fact))].append(fact)
    for _, facts in sorted(groups.items()):
        if len(facts) < 2:
            continue
        values = {f.amount.wan for f in facts if f.amount}
        first = facts[0]
        where = ", ".join(f"{_fmt(f.amount.wan) if f.amount else '-'} ({_where(f)})" for f in facts)
        ctx.add(
            "repeat.agree",
            "error",
            len(values) == 1,
            f"{_label(first)} is stated {len(facts)} times: {where}",
            facts,
            _fmt(first.amount.wan) if first.amount else None,
            ", ".join(_fmt(v) for v in sorted(values)),
        )


# --- comparisons and budget execution ------------------------------------------------------------


def _changes(ctx: Context) -> None:
    year = ctx.info.year
    for fact in ctx.text:
        change = fact.change
        if change is None or fact.amount is None:
            continue
        if change.basis and year and str(year) in change.basis and ctx.info.kind == "预算":
            ctx.add(
                "change.basis_year",
                "warning",
                False,
                f"{_label(fact)} is compared with “{change.basis}”, the note's own year {year}",
                [fact],
                f"a year before {year}",
                change.basis,
            )
        basis = change.basis_amount.wan if change.basis_amount else None
        if (
            basis is None
            and change.amount is not None
            and change.direction in ("increase", "decrease")
        ):
            sign = -1 if change.direction == "increase" else 1
            basis = fact.amount.wan + sign * change.amount.wan
        if basis is None:
            continue
        current = fact.amount.wan
        if change.direction:
            actual = "increase" if current > basis else "decrease" if current < basis else "flat"
            ok = actual == change.direction
            ctx.add(
                "change.direction",
                "error",
                ok,
                f"{_label(fact)}: {_fmt(basis)} → {_fmt(current)} is a(n) {actual}; the note says {change.direction}",
                [fact],
                change.direction,
                actual,
            )
        if change.amount is not None and change.basis_amount is not None:
            difference = abs(current - basis)
            tolerance = (
                half_ulp(fact.amount) + half_ulp(change.basis_amount) + half_ulp(change.amount)
            )
            ctx.add(
                "change.amount",
                "error",
                abs(difference - change.amount.wan) <= tolerance,
                f"{_label(fact)}: stated change {_fmt(change.amount.wan)}, {_fmt(current)} − {_fmt(basis)} = {_fmt(difference)}",
                [fact],
                change.amount.wan,
                difference,
            )
        if change.percent is not None:
            if basis == 0:
                ctx.add(
                    "change.zero_basis",
                    "warning",
                    False,
                    f"{_label(fact)}: a change of {_fmt(change.percent)}% is stated on a basis of 0,"
                    " where no percentage can be computed",
                    [fact],
                    "no percentage",
                    f"{_fmt(change.percent)}%",
                )
                continue
            computed = abs(current - basis) / basis * HUNDRED
            exponent = change.percent.as_tuple().exponent
            places = -exponent if isinstance(exponent, int) else 2
            tolerance = (
                Decimal("0.5") * Decimal(10) ** -max(places, 0)
                + HUNDRED * half_ulp(fact.amount) / abs(basis) * 2
            )
            ok = abs(computed - change.percent) <= tolerance
            ctx.add(
                "change.percent",
                "error",
                ok,
                f"{_label(fact)}: stated {_fmt(change.percent)}%, ({_fmt(current)} − {_fmt(basis)}) / {_fmt(basis)}"
                f" = {computed:.2f}%",
                [fact],
                change.percent,
                computed.quantize(Decimal("0.01")),
            )


def _execution(ctx: Context) -> None:
    for fact in ctx.text:
        execution = fact.execution
        if execution is None or fact.amount is None or execution.completion_percent is None:
            continue
        basis_name = execution.completion_basis or "预算"
        initial = execution.initial_budget.wan if execution.initial_budget else None
        adjusted = execution.adjusted_budget.wan if execution.adjusted_budget else None
        base = (
            adjusted
            if "全年" in basis_name or "调整" in basis_name
            else initial
            if initial is not None
            else adjusted
        )
        if base is None:
            continue
        stated = execution.completion_percent
        if base == 0:
            other = adjusted if base is initial else initial
            hint = ""
            if other:
                hint = f"; against {_fmt(other)} it is {fact.amount.wan / other * HUNDRED:.2f}%"
            ctx.add(
                "execution.completion",
                "error",
                stated == 0 and fact.amount.wan == 0,
                f"{_label(fact)}: completion {_fmt(stated)}% of {basis_name} stated, but {basis_name} is 0{hint}",
                [fact],
                "no percentage",
                f"{_fmt(stated)}%",
            )
            continue
        computed = fact.amount.wan / base * HUNDRED
        ok = abs(computed - stated) <= Decimal("0.01") + HUNDRED * half_ulp(fact.amount) / base
        ctx.add(
            "execution.completion",
            "error",
            ok,
            f"{_label(fact)}: stated {_fmt(stated)}% of {basis_name}, {_fmt(fact.amount.wan)} / {_fmt(base)} = {computed:.2f}%",
            [fact],
            stated,
            computed.quantize(Decimal("0.01")),
        )


def _contradictions(ctx: Context) -> None:
    zero_keys = {
        (f.field, _key(f))
        for f in ctx.text
        if (f.amount is not None and f.amount.wan == 0) or f.status == "none"
    }
    by_key: dict[tuple[str, str], list[Fact]] = {}
    for f in ctx.text:
        by_key.setdefault((f.field, _key(f)), []).append(f)
    for spec in _rules()["contradictions"]:
        pattern = regex.compile(spec["reason"])
        for fact in ctx.text:
            reason = fact.change.reason if fact.change else None
            if not reason or not pattern.search(reason):
                continue
            applies = (spec["when"] == "zero" and (fact.field, _key(fact)) in zero_keys) or (
                fact.change is not None and fact.change.direction == spec["when"]
            )
            if applies:
                related = [f for f in by_key[(fact.field, _key(fact))] if f is not fact]
                ctx.add(
                    spec["rule"],
                    "warning",
                    False,
                    f"{_label(fact)}: {spec['message']} (“{reason}”)",
                    [fact, *related[:3]],
                    None,
                    reason,
                )


# --- codes --------------------------------------------------------------------------------------


def _codes(ctx: Context) -> None:
    book = function_codebook()
    year = ctx.info.year
    for fact in ctx.text:
        if fact.field not in ("expenditure.item", "expenditure.class"):
            continue
        if fact.code is None:
            names = "/".join(fact.code_names) or fact.name or ""
            ctx.add(
                "code.unresolved",
                "warning",
                False,
                f"no classification code found for “{names}” (not in the note's tables or the code table)",
                [fact],
                "a code",
                None,
            )
            continue
        if fact.code_source != "stated":
            continue
        stated_names = fact.code_names or ([fact.name] if fact.name else [])
        codes = [fact.code[: 3 + 3 * i] for i in range(len(stated_names))]
        for code, name in zip(codes, stated_names, strict=False):
            entries = book.any_by_code(code)
            if not entries:
                continue
            matching = [e for e in entries if any(name_key(n) == name_key(name) for n in e.names())]
            in_year = [e for e in matching if e.valid_in(year)]
            if in_year:
                official = in_year[0].name
                if name_key(official) != name_key(name):
                    ctx.add(
                        "code.alias",
                        "info",
                        False,
                        f"{code} is named “{name}”; the code table's name is “{official}”",
                        [fact],
                        official,
                        name,
                    )
                continue
            if matching:
                valid = [e.name for e in entries if e.valid_in(year)]
                ctx.add(
                    "code.name_year",
                    "warning",
                    False,
                    f"{code} is named “{name}”, a name not valid in {year}"
                    + (f" (then: {', '.join(valid)})" if valid else ""),
                    [fact],
                    ", ".join(valid) or None,
                    name,
                )
            else:
                ctx.add(
                    "code.name",
                    "info",
                    False,
                    f"{code} is named “{name}”; the code table knows it as {', '.join(sorted({e.name for e in entries}))}",
                    [fact],
                    ", ".join(sorted({e.name for e in entries})),
                    name,
                )


# --- the narrative against the tables --------------------------------------------------------------


def _main(fact: Fact, kind: str | None) -> bool:
    return (fact.measure or "value") in _MAIN_MEASURES.get(kind or "预算", _MAIN_MEASURES["预算"])


def _reconcile(ctx: Context) -> None:
    if not ctx.table:
        return
    kind = ctx.info.kind
    index: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in ctx.table:
        if fact.amount is not None and _main(fact, kind):
            index[(fact.field, fact.code or "")].append(fact)
    for fact in ctx.text:
        if fact.amount is None or fact.status != "stated" or not fact.field.startswith(_RECONCILED):
            continue
        key = fact.code or ""
        if fact.field in ("expenditure.class", "expenditure.item") and not key:
            continue
        found = index.get((fact.field, key), [])
        if not found:
            continue
        matching = [
            t
            for t in found
            if t.amount
            and abs(t.amount.wan - fact.amount.wan) <= half_ulp(fact.amount) + half_ulp(t.amount)
        ]
        values = sorted({t.amount.wan for t in found if t.amount})
        tables = "; ".join(
            f"{_fmt(t.amount.wan) if t.amount else '-'} in {_where(t)}" for t in found[:4]
        )
        if matching:
            ctx.add(
                "reconcile.text_table",
                "error",
                True,
                f"{_label(fact)} {_fmt(fact.amount.wan)} ({_where(fact)}) agrees with {tables}",
                [fact, *matching[:3]],
                fact.amount.wan,
                matching[0].amount.wan if matching[0].amount else None,
            )
        else:
            ctx.add(
                "reconcile.text_table",
                "error",
                False,
                f"{_label(fact)}: the text says {_fmt(fact.amount.wan)} ({_where(fact)}), the tables say {tables}",
                [fact, *found[:3]],
                fact.amount.wan,
                ", ".join(_fmt(v) for v in values),
            )


def _table_sums(ctx: Context) -> None:
    """In each table and column: 项 rows add up to their 款, 款 rows to their 类, 类 rows to 合计."""
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    totals: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in ctx.table:
        if fact.amount is None:
            continue
        table_id = fact.provenance.section_id
        if (
            fact.field in ("expenditure.class", "expenditure.item", "expenditure.economic")
            and fact.code
        ):
            groups[(table_id, fact.measure or "")].append(fact)
        elif fact.provenance.table and fact.name == "合计":
            totals[(table_id, fact.measure or "")].append(fact)
    for (table_id, measure), facts in sorted(groups.items()):
        by_code = {f.code: f for f in facts if f.code}
        for code, parent in sorted(by_code.items()):
            children = [
                f
                for c, f in by_code.items()
                if c and c.startswith(code + "-") and c.count("-") == code.count("-") + 1
            ]
            if children:
                ctx.compare(
                    "table.rows",
                    parent,
                    children,
                    f"table “{_table_title(parent)}”, column {_column(parent)}: rows under {code}",
                )
        top = [f for c, f in by_code.items() if c and "-" not in c]
        for total in totals.get((table_id, measure), []):
            if top:
                ctx.compare(
                    "table.rows",
                    total,
                    top,
                    f"table “{_table_title(total)}”, column {_column(total)}: rows add up to 合计",
                )


def _table_title(fact: Fact) -> str:
    return fact.provenance.table.title if fact.provenance.table else ""


def _column(fact: Fact) -> str:
    return fact.provenance.table.column if fact.provenance.table else ""


_COLUMN_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("basic", "project")),
    ("basic", ("personnel", "public")),
    ("income", ("fiscal", "business", "operating", "superior_subsidy", "affiliated", "other")),
)


def _table_columns(ctx: Context) -> None:
    """In each table row: 合计 = 基本支出 + 项目支出 (or the income columns), and the 三公 parts."""
    rows: dict[tuple[str, int, str], dict[str, Fact]] = defaultdict(dict)
    for fact in ctx.table:
        if fact.amount is None or fact.provenance.table is None:
            continue
        table = fact.provenance.table
        rows[(fact.provenance.section_id, table.row, fact.code or fact.name or fact.field)][
            fact.measure or ""
        ] = fact
    for (_, _, _), cells in sorted(
        rows.items(), key=lambda item: (item[0][0], item[0][1], item[0][2])
    ):
        for total_name, part_names in _COLUMN_SUMS:
            total = cells.get(total_name)
            if total_name == "total" and "basic" not in cells and "personnel" in cells:
                part_names = ("personnel", "public", "project")  # 基本支出 shown only by its parts
            elif total_name == "total" and "basic" not in cells and "project" not in cells:
                part_names = ("personnel", "public")  # an economic-classification table
            parts = [cells[p] for p in part_names if p in cells]
            if total is not None and len(parts) >= 2:
                ctx.compare(
                    "table.columns",
                    total,
                    parts,
                    f"table “{_table_title(total)}”, row {total.provenance.table.row + 1 if total.provenance.table else ''}: {_column(total)} = sum of its columns",
                )
    sangong: dict[tuple[str, str], dict[str, Fact]] = defaultdict(dict)
    for fact in ctx.table:
        if fact.field.startswith("sangong.") and fact.amount is not None:
            sangong[(fact.provenance.section_id, fact.measure or "")][fact.field] = fact
    for cells in sangong.values():
        sangong_sums: tuple[tuple[str, tuple[str, ...]], ...] = (
            ("sangong.total", ("sangong.overseas", "sangong.reception", "sangong.vehicle")),
            ("sangong.vehicle", ("sangong.vehicle_purchase", "sangong.vehicle_operation")),
        )
        for total_name, part_names in sangong_sums:
            total = cells.get(total_name)
            parts = [cells[p] for p in part_names if p in cells]
            if total is not None and len(parts) == len(part_names):
                ctx.compare(
                    "table.sangong",
                    total,
                    parts,
                    f"table “{_table_title(total)}”: {total.label} = sum of its parts",
                )


def _table_agreement(ctx: Context) -> None:
    """The same code and column in two tables carry the same figure."""
    kind = ctx.info.kind
    seen: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in ctx.table:
        if fact.amount is not None and fact.code and _main(fact, kind):
            seen[(fact.field, fact.code, fact.measure or "")].append(fact)
    for (_, code, _), facts in sorted(seen.items()):
        tables = {f.provenance.section_id for f in facts}
        if len(tables) < 2:
            continue
        values = sorted({f.amount.wan for f in facts if f.amount})
        if len(values) > 1:
            where = "; ".join(
                f"{_fmt(f.amount.wan) if f.amount else '-'} in {_where(f)}" for f in facts
            )
            ctx.add(
                "table.agreement",
                "error",
                False,
                f"{code} differs between tables: {where}",
                facts,
                _fmt(values[0]),
                ", ".join(_fmt(v) for v in values),
            )
