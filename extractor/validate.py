"""Cross-checks → Check records. Validation reads facts and never changes or drops one.

Every check says which rule it applies, what was expected, what was found, how serious a
failure is, and which facts are involved. Figures are compared at the precision each side
states (``extractor/precision.py``), so an error means the note is wrong at every reading:

- figures that agree only within rounding pass, with a note;
- a failure that an uncertain reading of a fact could explain (a code looked up by name in
  the code table, a table the tool did not recognise, an amount not written in the fact's
  own sentence) is info, and says why;
- two readings of one figure that differ by exactly 10^4 or 10^8 are a question of units
  (``unit.scale``, a warning), not an inconsistency of the note;
- a sum never counts a part together with its whole, and a figure that may be stated as a
  share of several wholes is checked against each of them.

Rules and their data: ``patterns/checks.yaml``; the README lists them all.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import regex

from .models import Amount, Change, Check, DocumentInfo, Fact, Severity, TableSummary
from .precision import (
    HUNDRED,
    Margin,
    Verdict,
    half_ulp,
    is_rounded,
    judge,
    margin_of,
    percent_margin,
    places,
    ratio_margin,
    same_margin,
    scale_slip,
    share_margin,
    significant_digits,
    stated_half_ulp,
)
from .precision import plain as _fmt
from .rules import RuleSet, default_rules

__all__ = ["half_ulp", "validate"]

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
# At most this many readings of one sum are tried (each total × each stated value of a part).
_READINGS = 256
_UNIT_SLIP = "a figure in 元 read as 万元 (or in 万元 as 亿元): a question of units, not an inconsistency of the note"


# Interim, until the checks package takes its rules as a parameter (the checks branch).
def _rules() -> dict[str, Any]:
    return default_rules().checks_data


def _known_measures() -> frozenset[str]:
    """Column measures the table reader names; any other column keeps its printed label."""
    return default_rules().tables.measure_names | {"value"}


def name_key(name: str) -> str:
    return default_rules().codes.key(name)


def function_codebook() -> Any:
    return default_rules().codes.function


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


def _label(fact: Fact) -> str:
    key = fact.code or fact.name or ""
    return f"{fact.label}{'(' + key + ')' if key else ''}"


def _wan(fact: Fact) -> Decimal:
    assert fact.amount is not None
    return fact.amount.wan


# A figure to the cent in 万元: a sentence that writes one writes whole 万元 as exact.
_CENTS = regex.compile(r"\d\.\d{2,}\s*万")


def _as_read(fact: Fact, amount: Amount | None = None) -> Amount:
    """The fact's amount (or another figure of its sentence) as the margins read it: a figure
    in whole 万元 may be rounded, unless its sentence writes other figures to the cent (项目支出
    30万元 beside 基本支出191.17万元 is 30.00)."""
    figure = amount or fact.amount
    assert figure is not None
    if (
        fact.source == "text"
        and figure.unit in ("万元", "万")
        and is_rounded(figure)
        and _CENTS.search(fact.provenance.sentence)
    ):
        return figure.model_copy(update={"value": figure.value.quantize(Decimal("0.01"))})
    return figure


def _amounts(facts: Iterable[Fact]) -> list[Amount]:
    """The facts' amounts as the margins read them."""
    return [_as_read(f) for f in facts if f.amount is not None]


# --- how certain a fact's reading is -----------------------------------------------------------


def _uncertain(fact: Fact) -> str | None:
    """Why the reading of a fact is uncertain (a failure it is part of may be the tool's), or
    None when the fact was read as stated."""
    if fact.code_source == "classification":
        return f"the code of {_label(fact)} was looked up by name in the code table"
    if fact.source == "table":
        table = fact.provenance.table
        if table is not None and table.kind is None:
            return f"{_where(fact)} is in a table the tool did not recognise"
        return None
    if fact.amount is not None and (
        not fact.amount.text or fact.amount.text not in fact.provenance.sentence
    ):
        return f"the amount of {_label(fact)} is not written in its own sentence (inferred)"
    return None


def _scope(fact: Fact) -> frozenset[str]:
    """What a narrative figure covers, as its section headings and its own clause name it:
    funds (一般公共预算, 财政拨款 …) and kinds of spending (基本支出, 项目支出; 占基本支出的 …)."""
    if fact.source != "text":
        return frozenset()
    sentence = fact.provenance.sentence
    start = max(sentence.find(fact.provenance.quote), 0)
    at = sentence.find(fact.amount.text, start) if fact.amount is not None else -1
    at = at if at >= 0 else start
    before = regex.split(r"[。；;]", sentence[:at])[-1]
    after = regex.split(r"[。；;]", sentence[at:])[0]
    context = " ".join(fact.provenance.section_path) + " " + before + after
    words = {**_rules()["scopes"]["funds"], **_rules()["scopes"]["kinds"]}
    return frozenset(name for name, word in words.items() if word in context)


def _scope_label(scope: Iterable[str]) -> str:
    words = {**_rules()["scopes"]["funds"], **_rules()["scopes"]["kinds"]}
    return "、".join(words[name] for name in sorted(scope)) or "none named"


def _table_funds(fact: Fact) -> str:
    """The funds a table covers, from its title: the narrowest it names, else all funds."""
    title = _table_title(fact)
    named = [name for name, word in _rules()["scopes"]["funds"].items() if word in title]
    narrow = [name for name in named if name != "fiscal"]
    return narrow[0] if narrow else named[0] if named else "all"


def _funds_label(name: str) -> str:
    return str(_rules()["scopes"]["funds"].get(name, "all funds"))


def _within(narrow: str, wide: str) -> bool:
    return wide in _ancestors(narrow, _rules()["funds_within"])


def _ancestors(name: str, parents: dict[str, str]) -> set[str]:
    found: set[str] = set()
    while name in parents and parents[name] not in found:
        name = parents[name]
        found.add(name)
    return found


def _contains(whole: Fact, part: Fact) -> bool:
    """Whether ``part`` is (a part of) ``whole``: a field under its whole, a column under its
    column, a code under its code, or the same figure twice."""
    same_row = (
        whole.provenance.table is not None
        and part.provenance.table is not None
        and whole.provenance.section_id == part.provenance.section_id
        and whole.provenance.table.row == part.provenance.table.row
    )
    if (whole.field, _key(whole), whole.measure) == (part.field, _key(part), part.measure):
        return True
    if whole.field in _ancestors(part.field, _rules()["part_of"]):
        return True
    if same_row and whole.field == part.field and whole.measure and part.measure:
        return whole.measure in _ancestors(part.measure, _rules()["measure_part_of"])
    return bool(
        whole.code
        and part.code
        and whole.field.partition(".")[0] == part.field.partition(".")[0]
        and part.code.startswith(whole.code + "-")
    )


def _overlap(parts: Sequence[Fact]) -> bool:
    """A sum of these would count a part together with its whole."""
    return any(_contains(a, b) or _contains(b, a) for a, b in itertools.combinations(parts, 2))


def _readings(totals: Sequence[Fact], options: Sequence[Sequence[Fact]]) -> Iterator[Reading]:
    """Every (total, parts) pair from the stated values; the first is the first of each."""
    for total, *parts in itertools.product(totals, *options):
        yield total, list(parts)


Reading = tuple[Fact, list[Fact]]


@dataclass(frozen=True)
class _SumOutcome:
    total: Fact
    parts: list[Fact]
    stated: Decimal
    summed: Decimal
    verdict: Verdict
    slip: int | None


def _sum_outcome(total: Fact, parts: list[Fact]) -> _SumOutcome:
    stated = _wan(total)
    summed = sum((_wan(p) for p in parts), Decimal(0))
    margin = margin_of(_amounts([total, *parts]))
    verdict = judge(stated - summed, margin)
    slip = None
    if not verdict.passed and total.amount is not None:
        slip = scale_slip(
            stated,
            stated_half_ulp(total.amount),
            summed,
            margin_of(_amounts(parts)).loose,
            significant_digits(total.amount.value),
        )
    return _SumOutcome(total, parts, stated, summed, verdict, slip)


def _same_slip(first: Amount, second: Amount) -> int | None:
    """Whether two statements of one figure differ by a factor of exactly 10^4 or 10^8."""
    digits = min(significant_digits(first.value), significant_digits(second.value))
    return scale_slip(
        first.wan, stated_half_ulp(first), second.wan, stated_half_ulp(second), digits
    )


def _percent_slip(stated: Decimal, computed: Decimal, computed_margin: Margin) -> int | None:
    """Whether a stated percentage is the computed one times 10^±4: a figure behind it was
    read in the wrong unit (allowing one unit in the stated last place)."""
    own = percent_margin(stated).strict + Decimal(10) ** -places(stated)
    return scale_slip(stated, own, computed, computed_margin.loose, significant_digits(stated))


def _rank(verdict: Verdict) -> int:
    return 0 if verdict.passed else 1 if verdict.rounded_only else 2


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

    def stated(self, *fields: str) -> list[Fact]:
        """The stated amounts of these fields, one fact per distinct value, in order."""
        seen: dict[Decimal, Fact] = {}
        for name in fields:
            for fact in self.by_field.get(name, []):
                if fact.amount is not None and fact.status == "stated":
                    seen.setdefault(fact.amount.wan, fact)
        return list(seen.values())

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
        facts = list(facts)
        if not passed and severity == "error":
            reason = next((r for f in facts if (r := _uncertain(f))), None)
            if reason:
                severity = "info"
                message = f"{message} — not reported as an error: {reason}"
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
        self,
        rule: str,
        total: Fact,
        parts: list[Fact],
        what: str,
        *,
        severity: Severity = "error",
        shortfall: tuple[Severity, str] | None = None,
    ) -> None:
        """total == sum(parts), within the rounding of the stated figures."""
        self.compare_any(rule, [(total, parts)], what, severity=severity, shortfall=shortfall)

    def compare_any(
        self,
        rule: str,
        readings: Iterable[Reading],
        what: str,
        *,
        severity: Severity = "error",
        shortfall: tuple[Severity, str] | None = None,
    ) -> None:
        """total == sum(parts) for the first reading that fits; when none does, the failure of
        the first of the least serious. A reading that counts a part with its whole is never
        built. ``shortfall``: the severity (and why) when the parts fall short of the total
        and the note need not list every part."""
        best: _SumOutcome | None = None
        for total, parts in itertools.islice(readings, _READINGS):
            if total.amount is None or any(p.amount is None for p in parts) or _overlap(parts):
                continue
            outcome = _sum_outcome(total, parts)
            if outcome.verdict.passed:
                best = outcome
                break
            if best is None or _rank(outcome.verdict) < _rank(best.verdict):
                best = outcome
        if best is not None:
            self._report_sum(rule, best, what, severity, shortfall)

    def _report_sum(
        self,
        rule: str,
        outcome: _SumOutcome,
        what: str,
        severity: Severity,
        shortfall: tuple[Severity, str] | None,
    ) -> None:
        stated, summed, verdict = outcome.stated, outcome.summed, outcome.verdict
        facts = [outcome.total, *outcome.parts]
        names = " + ".join(_label(p) for p in outcome.parts)
        if verdict.passed:
            message = (
                f"{what}: sum {_fmt(summed)} agrees with {_fmt(stated)} {verdict.note}"
                if verdict.note
                else f"{what}: {names} = {_fmt(stated)}"
            )
            self.add(rule, severity, True, message, facts, stated, summed)
            return
        message = (
            f"{what}: the parts add up to {_fmt(summed)}, the note"
            f" states {_fmt(stated)} (difference {_fmt(stated - summed)})"
        )
        if outcome.slip is not None:
            self.add(
                "unit.scale",
                "warning",
                False,
                f"{message}: a factor of exactly 10^{abs(outcome.slip)}, {_UNIT_SLIP}",
                facts,
                stated,
                summed,
            )
            return
        funds = _funds_apart(outcome.total, outcome.parts)
        if funds:
            severity, message = "info", f"{message}; {funds}"
        elif verdict.rounded_only:
            severity, message = "warning", f"{message}; {verdict.note}"
        elif shortfall is not None and summed < stated:
            severity, message = shortfall[0], f"{message}; {shortfall[1]}"
        self.add(rule, severity, False, message, facts, stated, summed)


def _funds_apart(total: Fact, parts: list[Fact]) -> str:
    """Why a narrative total and its parts need not add up: stated in different sections, they
    name different funds (a class of all funds in 收支总体情况, its items under 财政拨款支出),
    or ''. Parts in the total's own section share its subject."""
    if total.source != "text" or any(p.source != "text" for p in parts):
        return ""
    sections = {p.provenance.section_id for p in parts}
    if len(sections) != 1 or total.provenance.section_id in sections:
        return ""
    fund_names = set(_rules()["scopes"]["funds"])
    own = _scope(total) & fund_names
    theirs = {frozenset(_scope(p) & fund_names) for p in parts}
    if len(theirs) != 1 or own in theirs:
        return ""
    (named,) = theirs
    return (
        f"the total names {_funds_label_set(own)}, its parts {_funds_label_set(named)}:"
        " they need not add up"
    )


def _funds_label_set(names: Iterable[str]) -> str:
    return "、".join(_funds_label(n) for n in sorted(names)) or "no fund (all funds)"


def validate(
    facts: list[Fact],
    info: DocumentInfo,
    tables: list[TableSummary],
    rules: RuleSet | None = None,
) -> list[Check]:
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
        totals = ctx.stated(*spec["total"])
        options = [values for name in spec["parts"] if (values := ctx.stated(name))]
        if not totals or len(options) < 2:
            continue
        if len(options) < len(spec["parts"]) and not spec.get("optional_parts"):
            continue
        options += [values for name in spec.get("optional", []) if (values := ctx.stated(name))]
        shortfall = spec.get("shortfall")
        ctx.compare_any(
            spec["rule"],
            _readings(totals, options),
            f"{totals[0].label} = {' + '.join(values[0].label for values in options)}",
            shortfall=(shortfall, "the note may leave a part unstated") if shortfall else None,
        )


def _count_sums(ctx: Context) -> None:
    for spec in _rules()["count_sums"]:
        totals = [
            f for name in spec["total"] for f in ctx.by_field.get(name, []) if f.count is not None
        ]
        parts = [f for f in ctx.by_field.get(spec["parts"], []) if f.count is not None]
        if not totals or not parts:
            continue
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
        ctx.add(
            spec["rule"],
            "error" if certain else "warning",
            passed,
            f"{total.label}: the kinds add up to {counted}, the note states {total.count}"
            + ("" if certain or passed else "; the kinds are listed apart from the total"),
            [total, *(own or parts)],
            str(total.count),
            str(counted),
        )


def _classes(ctx: Context) -> None:
    classes = ctx.distinct("expenditure.class")
    bases = [b for b in _rules()["share_bases"]["expenditure.class"] if "+" not in b]
    totals = ctx.stated(*bases)
    if len(classes) < 2 or not totals:
        return
    listed = {f.code for f in classes}
    unlisted = sorted(
        {
            f.code
            for f in ctx.table
            if f.field == "expenditure.class" and f.code and f.code not in listed
        }
    )
    ctx.compare_any(
        "sum.classes",
        ((total, classes) for total in totals),
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


_OTHER_SOURCES = (
    "income.business",
    "income.operating",
    "income.superior_subsidy",
    "income.affiliated",
    "income.other",
)


def _income_sources(ctx: Context) -> None:
    totals = ctx.stated("total.income")
    if not totals:
        return
    fiscal = ctx.stated("income.fiscal_appropriation")
    funds = ("income.general_budget", "income.government_fund", "income.state_capital")
    options = [fiscal] if fiscal else [v for n in funds if (v := ctx.stated(n))]
    options += [v for n in _OTHER_SOURCES if (v := ctx.stated(n))]
    carryover = ctx.stated("income.carryover")
    # 收入预算总额 counts the carry-over; 本年收入合计 does not: both readings are tried.
    readings = [[*options, carryover], options] if carryover else [options]
    readings = [r for r in readings if r]
    if readings:
        ctx.compare_any(
            "sum.income_sources",
            itertools.chain.from_iterable(_readings(totals, r) for r in readings),
            "income sources add up to total income",
            shortfall=("warning", "the note may leave a source unstated"),
        )


# Income and expenditure of the same funds; a note that states only one side of a pair is
# compared across pairs, and a failure there is not the note's.
_BALANCED = {
    ("total.income", "total.expenditure"),
    ("income.general_budget", "expenditure.general_budget"),
}


def _balance(ctx: Context) -> None:
    if ctx.info.kind == "决算":
        return
    incomes = ctx.stated("total.income") or ctx.stated("income.general_budget")
    spendings = ctx.stated("total.expenditure") or ctx.stated("expenditure.general_budget")
    if not incomes or not spendings:
        return
    carryover = ctx.stated("income.carryover")
    best: tuple[Fact, Fact, Verdict] | None = None
    for income, spending in itertools.product(incomes, spendings):
        verdict = judge(_wan(income) - _wan(spending), same_margin(*_amounts([income, spending])))
        if not verdict.passed and carryover:
            with_carryover = _wan(income) + _wan(carryover[0]) - _wan(spending)
            verdict = judge(with_carryover, margin_of(_amounts([income, carryover[0], spending])))
        if best is None or _rank(verdict) < _rank(best[2]):
            best = (income, spending, verdict)
        if verdict.passed:
            break
    assert best is not None
    income, spending, verdict = best
    like = (income.field, spending.field) in _BALANCED
    message = (
        f"a budget balances: income {_fmt(_wan(income))} vs expenditure {_fmt(_wan(spending))}"
    )
    severity: Severity = "error"
    if not verdict.passed and not like:
        severity = "info"
        message += f"; {income.label} and {spending.label} need not cover the same funds"
    elif verdict.rounded_only:
        severity = "warning"
    if verdict.note:
        message += f"; {verdict.note}"
    ctx.add(
        "balance.income_expenditure",
        severity,
        verdict.passed,
        message,
        [income, spending],
        _wan(income),
        _wan(spending),
    )


# --- shares ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _ShareOutcome:
    whole: list[Fact]
    computed: Decimal
    difference: Decimal
    verdict: Verdict
    off_by_one: bool
    slip: int | None


def _wholes(ctx: Context, fact: Fact, spec: str) -> list[list[Fact]]:
    """The wholes a spec names: each stated value of a field, or one sum of fields (the fact
    itself standing for its own field)."""
    names = spec.split("+")
    if len(names) == 1:
        return [[w] for w in ctx.stated(names[0]) if w is not fact and w.field != fact.field]
    options = [[fact] if name == fact.field else ctx.stated(name) for name in names]
    if not all(options):
        return []
    return [list(whole) for whole in itertools.islice(itertools.product(*options), _READINGS)]


def _share_outcome(fact: Fact, whole: list[Fact]) -> _ShareOutcome:
    assert fact.share is not None
    base = sum((_wan(w) for w in whole), Decimal(0))
    computed = _wan(fact) / base * HUNDRED
    rest = [w for w in whole if w is not fact]
    if len(rest) < len(whole):  # the whole is a sum that contains the fact
        propagated = share_margin(
            _wan(fact),
            margin_of(_amounts([fact])),
            sum((_wan(w) for w in rest), Decimal(0)),
            margin_of(_amounts(rest)),
        )
    else:
        propagated = ratio_margin(
            _wan(fact), margin_of(_amounts([fact])), base, margin_of(_amounts(whole))
        )
    margin = percent_margin(fact.share) + propagated
    difference = computed - fact.share
    verdict = judge(difference, margin)
    # Off by one in the last place: usually shares adjusted so that they sum to 100.
    last = Decimal(10) ** -places(fact.share)
    off_by_one = not verdict.passed and abs(difference) <= margin.strict + last
    slip = None
    if not verdict.passed and not off_by_one:
        slip = _percent_slip(fact.share, computed, propagated)
    return _ShareOutcome(whole, computed, difference, verdict, off_by_one, slip)


def _share_rank(outcome: _ShareOutcome) -> int:
    if outcome.verdict.passed:
        return 0
    return 1 if outcome.verdict.rounded_only or outcome.off_by_one else 2


def _shares(ctx: Context) -> None:
    bases = _rules()["share_bases"]
    for fact in ctx.text:
        if fact.share is None or fact.amount is None or fact.field not in bases:
            continue
        wholes = [
            whole
            for spec in bases[fact.field]
            for whole in _wholes(ctx, fact, spec)
            if sum((_wan(w) for w in whole), Decimal(0)) != 0
        ]
        if not wholes:
            continue
        outcomes = [_share_outcome(fact, whole) for whole in wholes]
        best = min(outcomes, key=_share_rank)  # the first of the best: a fitting whole
        _report_share(ctx, fact, best, outcomes)


def _whole_label(whole: list[Fact]) -> str:
    return " + ".join(w.label for w in whole)


def _report_share(
    ctx: Context, fact: Fact, outcome: _ShareOutcome, outcomes: list[_ShareOutcome]
) -> None:
    assert fact.share is not None
    base = sum((_wan(w) for w in outcome.whole), Decimal(0))
    message = (
        f"{_label(fact)}: stated share {_fmt(fact.share)}%, {_fmt(_wan(fact))} / {_fmt(base)}"
        f" = {outcome.computed:.4f}%"
    )
    if len(outcome.whole) > 1:
        message += f" (of {_whole_label(outcome.whole)})"
    facts = [fact, *(w for w in outcome.whole if w is not fact)]
    expected, actual = fact.share, outcome.computed.quantize(Decimal("0.0001"))
    if outcome.verdict.passed:
        if outcome.verdict.note.startswith("at the precision"):
            message += f", {outcome.verdict.note}"
        ctx.add("share.stated", "error", True, message, facts, expected, actual)
        return
    if outcome.slip is not None:
        ctx.add(
            "unit.scale",
            "warning",
            False,
            f"{message}: a factor of exactly 10^{abs(outcome.slip)}, {_UNIT_SLIP}",
            facts,
            expected,
            actual,
        )
        return
    if len(outcomes) > 1:
        others = [o for o in outcomes if o is not outcome]
        tried = "; ".join(
            f"of {_whole_label(o.whole)} {_fmt(sum((_wan(w) for w in o.whole), Decimal(0)))}:"
            f" {o.computed:.2f}%"
            for o in others[:4]
        )
        more = f" and {len(others) - 4} more" if len(others) > 4 else ""
        message += f"; no other whole fits either ({tried}{more})"
    severity: Severity = "error"
    if outcome.verdict.rounded_only:
        severity, message = "warning", f"{message}; {outcome.verdict.note}"
    elif outcome.off_by_one:
        severity = "warning"
    ctx.add("share.stated", severity, False, message, facts, expected, actual)


def _share_groups(ctx: Context) -> None:
    for group in _rules()["share_groups"]:
        shared = [f for name in group for f in ctx.distinct(name, with_share=True)]
        members = [m for m in shared if not any(_contains(o, m) for o in shared if o is not m)]
        if len(members) < 2:
            continue
        shares = [f.share for f in members if f.share is not None]
        total = sum(shares, Decimal(0))
        tolerance = sum((percent_margin(s).strict for s in shares), Decimal(0))
        ok = abs(total - HUNDRED) <= tolerance
        note = ""
        if ok and total == HUNDRED:
            bases = _rules()["share_bases"]
            base = ctx.first(*(b for b in bases.get(members[0].field, []) if "+" not in b))
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


def _disagreeing(facts: list[Fact]) -> list[tuple[Fact, Fact]]:
    """Pairs of statements of one figure that do not agree at the precision stated.

    Statements written alike (same value, unit, digits and funds) agree with each other and
    stand or fall together against the rest, so one of each kind is compared: a figure stated
    16,000 times costs no more than one stated twice."""
    kinds: dict[tuple[object, ...], Fact] = {}
    for fact in facts:
        if fact.amount is None:
            continue
        read = _as_read(fact)
        key = (fact.amount.wan, fact.amount.unit, read.value.as_tuple().exponent, _scope(fact))
        kinds.setdefault(key, fact)
    return [
        (a, b)
        for a, b in itertools.combinations(kinds.values(), 2)
        if a.amount
        and b.amount
        and not judge(a.amount.wan - b.amount.wan, same_margin(*_amounts([a, b]))).passed
    ]


def _repeats(ctx: Context) -> None:
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in ctx.text:
        if fact.amount is not None and fact.status == "stated":
            groups[(fact.field, _key(fact))].append(fact)
    for _, facts in sorted(groups.items()):
        if len(facts) < 2:
            continue
        values = {_wan(f) for f in facts}
        first = facts[0]
        where = ", ".join(f"{_fmt(_wan(f))} ({_where(f)})" for f in facts)
        message = f"{_label(first)} is stated {len(facts)} times: {where}"
        expected, actual = _fmt(_wan(first)), ", ".join(_fmt(v) for v in sorted(values))
        pairs = _disagreeing(facts)
        if not pairs:
            if len(values) > 1:
                message += "; they agree at the precision stated"
            ctx.add("repeat.agree", "error", True, message, facts, expected, actual)
            continue
        if all(
            a.amount is not None and b.amount is not None and _same_slip(a.amount, b.amount)
            for a, b in pairs
        ):
            ctx.add(
                "unit.scale",
                "warning",
                False,
                f"{message}: they differ by a factor of exactly 10^4 or 10^8, {_UNIT_SLIP}",
                facts,
                expected,
                actual,
            )
            continue
        if all(_scope(a) != _scope(b) for a, b in pairs):
            funds = " / ".join(sorted({_scope_label(_scope(f)) for f in facts}))
            ctx.add(
                "repeat.agree",
                "info",
                False,
                f"{message}; the statements that differ name different funds ({funds}):"
                " not one figure stated twice",
                facts,
                expected,
                actual,
            )
            continue
        ctx.add("repeat.agree", "error", False, message, facts, expected, actual)


# --- comparisons and budget execution ------------------------------------------------------------


@dataclass(frozen=True)
class _Basis:
    """What a comparison compares with: its amount and margin, and whether it was derived from
    the stated difference (then the difference is not a check of its own)."""

    wan: Decimal
    margin: Margin
    derived: bool


def _own_year_budget(ctx: Context, fact: Fact, change: Change) -> Amount | None:
    """The budget a 决算 figure is compared with (与2018年度预算相比, 较预算数), when the fact
    states it beside the comparison."""
    basis, execution = change.basis or "", fact.execution
    if execution is None or "预算" not in basis or "上年" in basis:
        return None
    years = [int(y) for y in regex.findall(r"(\d{4})年", basis)]
    if years and ctx.info.year is not None and years != [ctx.info.year]:
        return None
    if "调整" in basis or "全年" in basis:
        return execution.adjusted_budget
    if "年初" in basis:
        return execution.initial_budget
    return execution.budget or execution.initial_budget or execution.adjusted_budget


def _basis(ctx: Context, fact: Fact, change: Change) -> _Basis | None:
    assert fact.amount is not None
    stated = change.basis_amount or _own_year_budget(ctx, fact, change)
    if stated is not None:
        return _Basis(stated.wan, margin_of([_as_read(fact, stated)]), derived=False)
    if change.amount is None:
        return None
    margin = margin_of([_as_read(fact), _as_read(fact, change.amount)])
    if change.amount.wan == 0:  # 减少0万元 / 增加0万元: the figure did not change
        return _Basis(fact.amount.wan, margin, derived=True)
    if change.direction in ("increase", "decrease"):
        sign = -1 if change.direction == "increase" else 1
        return _Basis(fact.amount.wan + sign * change.amount.wan, margin, derived=True)
    return None


def _graded(verdict: Verdict, message: str) -> tuple[Severity, str]:
    """A failed comparison is an error, a warning when only the stated rounding explains it;
    a pass at the stated precision says so."""
    if verdict.rounded_only:
        return "warning", f"{message}; {verdict.note}"
    if verdict.note.startswith("at the precision"):
        return "error", f"{message}, {verdict.note}"
    return "error", message


def _changes(ctx: Context) -> None:
    for fact, change in ((f, c) for f in ctx.text for c in f.changes):
        if fact.amount is None:
            continue
        _basis_year(ctx, fact, change)
        basis = _basis(ctx, fact, change)
        if basis is None:
            continue
        if change.direction:
            _change_direction(ctx, fact, change, basis)
        if change.amount is not None and not basis.derived:
            _change_amount(ctx, fact, change, basis)
        if change.percent is not None:
            _change_percent(ctx, fact, change, basis)


def _basis_year(ctx: Context, fact: Fact, change: Change) -> None:
    year = ctx.info.year
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


def _change_direction(ctx: Context, fact: Fact, change: Change, basis: _Basis) -> None:
    current = _wan(fact)
    difference = current - basis.wan
    actual = "increase" if difference > 0 else "decrease" if difference < 0 else "flat"
    zero = change.amount is not None and change.amount.wan == 0
    same = judge(difference, margin_of(_amounts([fact])) + basis.margin).passed
    # A stated change of 0 agrees with equal figures whatever the word (减少0万元); 持平
    # agrees with figures equal within their rounding.
    ok = actual == change.direction or (actual == "flat" and zero)
    ok = ok or (change.direction == "flat" and same)
    note = " (a stated change of 0: the figures are equal)" if zero and actual == "flat" else ""
    ctx.add(
        "change.direction",
        "error",
        ok,
        f"{_label(fact)}: {_fmt(basis.wan)} → {_fmt(current)} is a(n) {actual}; the note says"
        f" {change.direction}{note}",
        [fact],
        change.direction,
        actual,
    )


def _change_amount(ctx: Context, fact: Fact, change: Change, basis: _Basis) -> None:
    assert change.amount is not None and fact.amount is not None
    current = fact.amount.wan
    difference = abs(current - basis.wan)
    verdict = judge(
        difference - change.amount.wan,
        margin_of([_as_read(fact), _as_read(fact, change.amount)]) + basis.margin,
    )
    message = (
        f"{_label(fact)}: stated change {_fmt(change.amount.wan)}, {_fmt(current)} −"
        f" {_fmt(basis.wan)} = {_fmt(difference)}"
    )
    severity: Severity = "warning" if verdict.rounded_only else "error"
    if verdict.rounded_only or verdict.note.startswith("at the precision"):
        message += f"; {verdict.note}"
    ctx.add(
        "change.amount", severity, verdict.passed, message, [fact], change.amount.wan, difference
    )


def _change_percent(ctx: Context, fact: Fact, change: Change, basis: _Basis) -> None:
    assert change.percent is not None and fact.amount is not None
    stated = abs(change.percent)
    current = fact.amount.wan
    if basis.wan == 0:
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
        return
    numerator = abs(current - basis.wan)
    if basis.derived:
        numerator_margin = margin_of([_as_read(fact, change.amount)])
    else:
        numerator_margin = margin_of([_as_read(fact)]) + basis.margin
    computed = numerator / abs(basis.wan) * HUNDRED
    margin = percent_margin(stated) + ratio_margin(
        numerator, numerator_margin, basis.wan, basis.margin
    )
    verdict = judge(computed - stated, margin)
    message = (
        f"{_label(fact)}: stated {_fmt(change.percent)}%, ({_fmt(current)} − {_fmt(basis.wan)})"
        f" / {_fmt(basis.wan)} = {computed:.2f}%"
    )
    severity, message = _graded(verdict, message)
    ctx.add(
        "change.percent",
        severity,
        verdict.passed,
        message,
        [fact],
        change.percent,
        computed.quantize(Decimal("0.01")),
    )


def _completion_bases(execution: Any, basis_name: str) -> list[Amount]:
    """The budgets a completion rate may be of: the one it names, or any stated."""
    if "全年" in basis_name or "调整" in basis_name:
        named = [execution.adjusted_budget]
    elif "年初" in basis_name:
        named = [execution.initial_budget or execution.adjusted_budget]
    else:
        named = [execution.initial_budget, execution.budget, execution.adjusted_budget]
    return [a for a in named if a is not None]


def _execution(ctx: Context) -> None:
    for fact in ctx.text:
        execution = fact.execution
        if execution is None or fact.amount is None or execution.completion_percent is None:
            continue
        basis_name = execution.completion_basis or "预算"
        candidates = _completion_bases(execution, basis_name)
        if not candidates:
            continue
        stated = execution.completion_percent
        named = len(candidates) == 1  # 年初 or 全年/调整: only that budget will do
        nonzero = [base for base in candidates if base.wan != 0]
        if not nonzero or (named and candidates[0].wan == 0):
            _completion_of_zero(ctx, fact, basis_name, execution)
            continue
        outcomes = [_completion(fact, base, stated) for base in nonzero]
        base, computed, verdict, slip = min(outcomes, key=lambda o: _rank(o[2]))
        message = (
            f"{_label(fact)}: stated {_fmt(stated)}% of {basis_name}, {_fmt(fact.amount.wan)} /"
            f" {_fmt(base.wan)} = {computed:.2f}%"
        )
        if slip is not None:
            rescaled = computed * Decimal(10) ** slip
            ctx.add(
                "unit.scale",
                "warning",
                False,
                f"{message}: a factor of exactly 10^{abs(slip)} ({rescaled:.2f}% with the"
                f" budget read in the other unit), {_UNIT_SLIP}",
                [fact],
                stated,
                computed.quantize(Decimal("0.01")),
            )
            continue
        severity, message = _graded(verdict, message)
        ctx.add(
            "execution.completion",
            severity,
            verdict.passed,
            message,
            [fact],
            stated,
            computed.quantize(Decimal("0.01")),
        )


def _completion(
    fact: Fact, base: Amount, stated: Decimal
) -> tuple[Amount, Decimal, Verdict, int | None]:
    assert fact.amount is not None
    computed = fact.amount.wan / base.wan * HUNDRED
    propagated = ratio_margin(
        fact.amount.wan, margin_of([_as_read(fact)]), base.wan, margin_of([_as_read(fact, base)])
    )
    verdict = judge(computed - stated, percent_margin(stated) + propagated)
    slip = None if verdict.passed else _percent_slip(stated, computed, propagated)
    return base, computed, verdict, slip


def _completion_of_zero(ctx: Context, fact: Fact, basis_name: str, execution: Any) -> None:
    assert fact.amount is not None and execution.completion_percent is not None
    stated = execution.completion_percent
    others = [
        a.wan
        for a in (execution.adjusted_budget, execution.initial_budget, execution.budget)
        if a is not None and a.wan
    ]
    hint = (
        f"; against {_fmt(others[0])} it is {fact.amount.wan / others[0] * HUNDRED:.2f}%"
        if others
        else ""
    )
    ctx.add(
        "execution.completion",
        "error",
        stated == 0 and fact.amount.wan == 0,
        f"{_label(fact)}: completion {_fmt(stated)}% of {basis_name} stated, but {basis_name} is 0{hint}",
        [fact],
        "no percentage",
        f"{_fmt(stated)}%",
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
            # Each comparison is judged by its own reason (上年 and 预算数 may differ).
            matching = [c for c in fact.changes if c.reason and pattern.search(c.reason)]
            if spec["when"] == "zero":
                applying = matching[:1] if (fact.field, _key(fact)) in zero_keys else []
            else:
                applying = [c for c in matching if c.direction == spec["when"]]
            for change in applying:
                related = [f for f in by_key[(fact.field, _key(fact))] if f is not fact]
                ctx.add(
                    spec["rule"],
                    "warning",
                    False,
                    f"{_label(fact)}: {spec['message']} (“{change.reason}”)",
                    [fact, *related[:3]],
                    None,
                    change.reason,
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
        found = [t for t in index.get((fact.field, key), []) if t.amount is not None]
        if found:
            _reconcile_one(ctx, fact, found)


def _reconcile_one(ctx: Context, fact: Fact, found: list[Fact]) -> None:
    assert fact.amount is not None
    verdicts = [
        (t, judge(fact.amount.wan - _wan(t), same_margin(_as_read(fact), t.amount)))
        for t in found
        if t.amount is not None
    ]
    matching = [t for t, v in verdicts if v.passed]
    values = sorted({_wan(t) for t in found})
    tables = "; ".join(f"{_fmt(_wan(t))} in {_where(t)}" for t in found[:4])
    if matching:
        note = next((v.note for t, v in verdicts if t is matching[0]), "")
        ctx.add(
            "reconcile.text_table",
            "error",
            True,
            f"{_label(fact)} {_fmt(fact.amount.wan)} ({_where(fact)}) agrees with {tables}"
            + (f", {note}" if note.startswith("at the precision") else ""),
            [fact, *matching[:3]],
            fact.amount.wan,
            _wan(matching[0]),
        )
        return
    message = (
        f"{_label(fact)}: the text says {_fmt(fact.amount.wan)} ({_where(fact)}), the tables"
        f" say {tables}"
    )
    slipped = [
        t for t in found if t.amount is not None and _same_slip(fact.amount, t.amount) is not None
    ]
    if slipped:
        ctx.add(
            "unit.scale",
            "warning",
            False,
            f"{message}: a factor of exactly 10^4 or 10^8, {_UNIT_SLIP}",
            [fact, *slipped[:3]],
            fact.amount.wan,
            ", ".join(_fmt(v) for v in values),
        )
        return
    ctx.add(
        "reconcile.text_table",
        "error",
        False,
        message,
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
    ("total", ("basic", "project", "reserve")),
    ("basic", ("personnel", "public")),
    ("income", ("fiscal", "business", "operating", "superior_subsidy", "affiliated", "other")),
)


def _row_cells(ctx: Context) -> dict[tuple[str, int, str], dict[str, list[Fact]]]:
    """Each table row's cells by measure (a measure two columns claim keeps both)."""
    rows: dict[tuple[str, int, str], dict[str, list[Fact]]] = defaultdict(dict)
    for fact in ctx.table:
        if fact.amount is None or fact.provenance.table is None:
            continue
        key = (
            fact.provenance.section_id,
            fact.provenance.table.row,
            fact.code or fact.name or fact.field,
        )
        rows[key].setdefault(fact.measure or "", []).append(fact)
    return rows


def _column_parts(cells: dict[str, Fact], total_name: str) -> tuple[str, ...]:
    part_names = dict(_COLUMN_SUMS)[total_name]
    if total_name == "total" and "basic" not in cells and "personnel" in cells:
        return ("personnel", "public", "project", "reserve")  # 基本支出 shown by its parts
    if total_name == "total" and "basic" not in cells and "project" not in cells:
        return ("personnel", "public")  # an economic-classification table
    return part_names


def _table_columns(ctx: Context) -> None:
    """In each table row: 合计 = 基本支出 + 项目支出 (or the income columns), and the 三公 parts."""
    for _, claimed in sorted(_row_cells(ctx).items(), key=lambda item: item[0]):
        # Two columns read as one measure (基本支出/人员经费 and 基本支出/公用经费 both as
        # 基本支出): which is the whole is uncertain, so no sum uses that measure.
        ambiguous = {measure for measure, facts in claimed.items() if len(facts) > 1}
        cells = {measure: facts[0] for measure, facts in claimed.items() if len(facts) == 1}
        others = [f for measure, f in cells.items() if measure not in _known_measures()]
        for total_name, _ in _COLUMN_SUMS:
            total = cells.get(total_name)
            part_names = _column_parts(cells, total_name)
            if total is None or ambiguous & {total_name, *part_names}:
                continue
            parts = [cells[p] for p in part_names if p in cells]
            if len(parts) < 2:
                continue
            readings: list[Reading] = [(total, parts)]
            extra = others if total_name == "total" else []
            if extra:  # a column the tool does not know (单位预留机动经费 …) may be a part
                readings.append((total, parts + extra))
            labels = ", ".join(_column(f) for f in extra)
            row = total.provenance.table.row + 1 if total.provenance.table else ""
            ctx.compare_any(
                "table.columns",
                readings,
                f"table “{_table_title(total)}”, row {row}: {_column(total)} = sum of its columns",
                shortfall=("warning", f"the row also has columns the tool does not know ({labels})")
                if extra
                else None,
            )
    _table_sangong(ctx)


_SANGONG_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("sangong.total", ("sangong.overseas", "sangong.reception", "sangong.vehicle")),
    ("sangong.vehicle", ("sangong.vehicle_purchase", "sangong.vehicle_operation")),
)
_SANGONG_EXTRAS = ("meetings.meeting", "meetings.training")


def _table_sangong(ctx: Context) -> None:
    """In a 三公 table, 合计 = the three parts (or the three and 会议费, 培训费 where the
    table has those columns), and 公务用车 = 购置 + 运行."""
    tables: dict[tuple[str, str], dict[str, Fact]] = defaultdict(dict)
    for fact in ctx.table:
        if fact.field.startswith(("sangong.", "meetings.")) and fact.amount is not None:
            tables[(fact.provenance.section_id, fact.measure or "")][fact.field] = fact
    extras_named = regex.compile(_rules()["sangong_table_extras"])
    for cells in tables.values():
        for total_name, part_names in _SANGONG_SUMS:
            total = cells.get(total_name)
            parts = [cells[p] for p in part_names if p in cells]
            if total is None or len(parts) != len(part_names):
                continue
            readings: list[Reading] = [(total, parts)]
            extras = [cells[f] for f in _SANGONG_EXTRAS if f in cells]
            if total_name == "sangong.total" and extras:
                readings.append((total, parts + extras))
            unread = (
                total_name == "sangong.total"
                and not extras
                and extras_named.search(_table_title(total)) is not None
            )
            ctx.compare_any(
                "table.sangong",
                readings,
                f"table “{_table_title(total)}”: {total.label} = sum of its parts",
                shortfall=(
                    "info",
                    "the table's title names 会议费/培训费, whose columns were not read: its"
                    " 合计 may include them",
                )
                if unread
                else None,
            )


def _table_agreement(ctx: Context) -> None:
    """The same code and column carries the same figure in every table of the same funds; a
    table of narrower funds (一般公共预算) never exceeds one of wider funds (财政拨款, all)."""
    kind = ctx.info.kind
    seen: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in ctx.table:
        if fact.amount is not None and fact.code and _main(fact, kind):
            seen[(fact.field, fact.code, fact.measure or "")].append(fact)
    for (_, code, _), facts in sorted(seen.items()):
        if len({f.provenance.section_id for f in facts}) < 2:
            continue
        pairs = _disagreeing_tables(facts)
        if not pairs:
            continue
        values = sorted({_wan(f) for f in facts})
        where = "; ".join(f"{_fmt(_wan(f))} in {_where(f)}" for f in facts)
        slip = all(
            a.amount is not None and b.amount is not None and _same_slip(a.amount, b.amount)
            for a, b, _ in pairs
        )
        why = "; ".join(dict.fromkeys(reason for _, _, reason in pairs if reason))
        ctx.add(
            "unit.scale" if slip else "table.agreement",
            "warning" if slip else "error",
            False,
            f"{code} differs between tables: {where}"
            + (f": {_UNIT_SLIP}" if slip else f" ({why})" if why else ""),
            facts,
            _fmt(values[0]),
            ", ".join(_fmt(v) for v in values),
        )


def _disagreeing_tables(facts: list[Fact]) -> list[tuple[Fact, Fact, str]]:
    """Pairs of table figures that cannot both be right: of the same funds and different, or
    of narrower funds and larger (with why, when the funds differ)."""
    found: list[tuple[Fact, Fact, str]] = []
    for a, b in itertools.combinations(facts, 2):
        if a.amount is None or b.amount is None:
            continue
        funds_a, funds_b = _table_funds(a), _table_funds(b)
        margin = same_margin(a.amount, b.amount)
        if funds_a == funds_b:
            if not judge(a.amount.wan - b.amount.wan, margin).passed:
                found.append((a, b, ""))
            continue
        for narrow, wide, fn, fw in ((a, b, funds_a, funds_b), (b, a, funds_b, funds_a)):
            if _within(fn, fw) and _wan(narrow) - _wan(wide) > margin.loose:
                found.append(
                    (
                        narrow,
                        wide,
                        f"{_fmt(_wan(narrow))} of {_funds_label(fn)} exceeds"
                        f" {_fmt(_wan(wide))} of {_funds_label(fw)}, which includes it",
                    )
                )
    return found
