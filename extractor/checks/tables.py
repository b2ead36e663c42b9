"""The tables on their own: rows add up, columns add up, the same code agrees across tables
(``table.*``)."""

from __future__ import annotations

import itertools
from collections import defaultdict

import regex

from ..fields import FieldName
from ..models import Check, Fact
from ..rules.checks_schema import ChecksFile
from .compare import Reading, compare, compare_any
from .facts import column, funds_label, table_funds, table_title, wan, where, within
from .inputs import CheckInput, check
from .precision import judge, same_margin
from .precision import plain as _fmt
from .reconcile import is_main
from .rule import rule
from .units import UNIT_SCALE, UNIT_SLIP, same_slip

_SUMMED = (UNIT_SCALE.id,)


@rule(
    "table.rows",
    "error",
    "in each table and column, 项 rows add up to their 款, 款 rows to their 类, 类 rows to 合计",
    reports=_SUMMED,
)
def rows(given: CheckInput) -> list[Check]:
    groups: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    totals: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in given.table:
        if fact.amount is None:
            continue
        table_id = fact.provenance.section_id
        if (
            fact.field
            in (
                FieldName.EXPENDITURE_CLASS,
                FieldName.EXPENDITURE_ITEM,
                FieldName.EXPENDITURE_ECONOMIC,
            )
            and fact.code
        ):
            groups[(table_id, fact.measure or "")].append(fact)
        elif fact.provenance.table and fact.name == "合计":
            totals[(table_id, fact.measure or "")].append(fact)
    found: list[Check] = []
    for (table_id, measure), facts in sorted(groups.items()):
        by_code = {f.code: f for f in facts if f.code}
        for code, parent in sorted(by_code.items()):
            children = [
                f
                for c, f in by_code.items()
                if c and c.startswith(code + "-") and c.count("-") == code.count("-") + 1
            ]
            if children:
                found += compare(
                    given,
                    "table.rows",
                    parent,
                    children,
                    f"table “{table_title(parent)}”, column {column(parent)}: rows under {code}",
                )
        top = [f for c, f in by_code.items() if c and "-" not in c]
        for total in totals.get((table_id, measure), []):
            if top:
                found += compare(
                    given,
                    "table.rows",
                    total,
                    top,
                    f"table “{table_title(total)}”, column {column(total)}: rows add up to 合计",
                )
    return found


_COLUMN_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("total", ("basic", "project", "reserve")),
    ("basic", ("personnel", "public")),
    ("income", ("fiscal", "business", "operating", "superior_subsidy", "affiliated", "other")),
)


def _row_cells(given: CheckInput) -> dict[tuple[str, int, str], dict[str, list[Fact]]]:
    """Each table row's cells by measure (a measure two columns claim keeps both)."""
    cells: dict[tuple[str, int, str], dict[str, list[Fact]]] = defaultdict(dict)
    for fact in given.table:
        if fact.amount is None or fact.provenance.table is None:
            continue
        row = (
            fact.provenance.section_id,
            fact.provenance.table.row,
            fact.code or fact.name or fact.field,
        )
        cells[row].setdefault(fact.measure or "", []).append(fact)
    return cells


def _column_parts(cells: dict[str, Fact], total_name: str) -> tuple[str, ...]:
    part_names = dict(_COLUMN_SUMS)[total_name]
    if total_name == "total" and "basic" not in cells and "personnel" in cells:
        return ("personnel", "public", "project", "reserve")  # 基本支出 shown by its parts
    if total_name == "total" and "basic" not in cells and "project" not in cells:
        return ("personnel", "public")  # an economic-classification table
    return part_names


@rule(
    "table.columns",
    "error",
    "in each table row, 合计 = 基本支出 + 项目支出 (+ 单位预留机动经费), 基本支出 = 人员经费 +"
    " 公用经费, or 收入合计 = the income columns",
    when="warning when the parts fall short and the row has columns the tool does not know",
    reports=_SUMMED,
)
def columns(given: CheckInput) -> list[Check]:
    known = given.data.table_measures
    found: list[Check] = []
    for _, claimed in sorted(_row_cells(given).items(), key=lambda item: item[0]):
        # Two columns read as one measure (基本支出/人员经费 and 基本支出/公用经费 both as
        # 基本支出): which is the whole is uncertain, so no sum uses that measure.
        ambiguous = {measure for measure, facts in claimed.items() if len(facts) > 1}
        cells = {measure: facts[0] for measure, facts in claimed.items() if len(facts) == 1}
        others = [f for measure, f in cells.items() if measure not in known]
        for total_name, _ in _COLUMN_SUMS:
            total = cells.get(total_name)
            part_names = _column_parts(cells, total_name)
            if total is None or ambiguous & {total_name, *part_names}:
                continue
            parts = [cells[p] for p in part_names if p in cells]
            if len(parts) < 2:
                continue
            options: list[Reading] = [(total, parts)]
            extra = others if total_name == "total" else []
            if extra:  # a column the tool does not know (单位预留机动经费 …) may be a part
                options.append((total, parts + extra))
            labels = ", ".join(column(f) for f in extra)
            row = total.provenance.table.row + 1 if total.provenance.table else ""
            found += compare_any(
                given,
                "table.columns",
                options,
                f"table “{table_title(total)}”, row {row}: {column(total)} = sum of its columns",
                shortfall=("warning", f"the row also has columns the tool does not know ({labels})")
                if extra
                else None,
            )
    return found


_SANGONG_SUMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        FieldName.SANGONG_TOTAL,
        (FieldName.SANGONG_OVERSEAS, FieldName.SANGONG_RECEPTION, FieldName.SANGONG_VEHICLE),
    ),
    (
        FieldName.SANGONG_VEHICLE,
        (FieldName.SANGONG_VEHICLE_PURCHASE, FieldName.SANGONG_VEHICLE_OPERATION),
    ),
)
_SANGONG_EXTRAS = (FieldName.MEETINGS_MEETING, FieldName.MEETINGS_TRAINING)


@rule(
    "table.sangong",
    "error",
    "in a 三公 table, 合计 = its three parts (or with 会议费 and 培训费 where the table has their"
    " columns), and 公务用车 = 购置 + 运行",
    when="info when the title names 会议费/培训费 whose columns were not read",
    reports=_SUMMED,
)
def sangong(given: CheckInput) -> list[Check]:
    tables: dict[tuple[str, str], dict[str, Fact]] = defaultdict(dict)
    for fact in given.table:
        if fact.field.startswith(("sangong.", "meetings.")) and fact.amount is not None:
            tables[(fact.provenance.section_id, fact.measure or "")][fact.field] = fact
    extras_named = regex.compile(given.rules.sangong_table_extras)
    found: list[Check] = []
    for cells in tables.values():
        for total_name, part_names in _SANGONG_SUMS:
            total = cells.get(total_name)
            parts = [cells[p] for p in part_names if p in cells]
            if total is None or len(parts) != len(part_names):
                continue
            options: list[Reading] = [(total, parts)]
            extras = [cells[f] for f in _SANGONG_EXTRAS if f in cells]
            if total_name == FieldName.SANGONG_TOTAL and extras:
                options.append((total, parts + extras))
            unread = (
                total_name == FieldName.SANGONG_TOTAL
                and not extras
                and extras_named.search(table_title(total)) is not None
            )
            found += compare_any(
                given,
                "table.sangong",
                options,
                f"table “{table_title(total)}”: {total.label} = sum of its parts",
                shortfall=(
                    "info",
                    "the table's title names 会议费/培训费, whose columns were not read: its"
                    " 合计 may include them",
                )
                if unread
                else None,
            )
    return found


@rule(
    "table.agreement",
    "error",
    "the same code and column agrees across tables of the same funds, and a table of narrower"
    " funds (一般公共预算) never exceeds one of wider funds (财政拨款, all funds)",
    reports=_SUMMED,
)
def agreement(given: CheckInput) -> list[Check]:
    kind = given.info.kind
    seen: dict[tuple[str, str, str], list[Fact]] = defaultdict(list)
    for fact in given.table:
        if fact.amount is not None and fact.code and is_main(fact, kind):
            seen[(fact.field, fact.code, fact.measure or "")].append(fact)
    found: list[Check] = []
    for (_, code, _), facts in sorted(seen.items()):
        if len({f.provenance.section_id for f in facts}) < 2:
            continue
        pairs = _disagreeing_tables(facts, given.rules)
        if not pairs:
            continue
        values = sorted({wan(f) for f in facts})
        stated = "; ".join(f"{_fmt(wan(f))} in {where(f)}" for f in facts)
        slip = all(
            a.amount is not None and b.amount is not None and same_slip(a.amount, b.amount)
            for a, b, _ in pairs
        )
        why = "; ".join(dict.fromkeys(reason for _, _, reason in pairs if reason))
        found.append(
            check(
                UNIT_SCALE.id if slip else "table.agreement",
                "warning" if slip else "error",
                False,
                f"{code} differs between tables: {stated}"
                + (f": {UNIT_SLIP}" if slip else f" ({why})" if why else ""),
                facts,
                _fmt(values[0]),
                ", ".join(_fmt(v) for v in values),
            )
        )
    return found


def _disagreeing_tables(facts: list[Fact], data: ChecksFile) -> list[tuple[Fact, Fact, str]]:
    """Pairs of table figures that cannot both be right: of the same funds and different, or
    of narrower funds and larger (with why, when the funds differ)."""
    found: list[tuple[Fact, Fact, str]] = []
    for a, b in itertools.combinations(facts, 2):
        if a.amount is None or b.amount is None:
            continue
        funds_a, funds_b = table_funds(a, data), table_funds(b, data)
        margin = same_margin(a.amount, b.amount)
        if funds_a == funds_b:
            if not judge(a.amount.wan - b.amount.wan, margin).passed:
                found.append((a, b, ""))
            continue
        for narrow, wide, fn, fw in ((a, b, funds_a, funds_b), (b, a, funds_b, funds_a)):
            if within(fn, fw, data) and wan(narrow) - wan(wide) > margin.loose:
                found.append(
                    (
                        narrow,
                        wide,
                        f"{_fmt(wan(narrow))} of {funds_label(fn, data)} exceeds"
                        f" {_fmt(wan(wide))} of {funds_label(fw, data)}, which includes it",
                    )
                )
    return found


RULES = (rows, columns, sangong, agreement)
