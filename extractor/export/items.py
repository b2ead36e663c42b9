"""items.csv: one row per functional classification code (类, 款, 项) per note, with the
resolved measures as columns and the 类/款/项 names beside the code."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from ..fields import FieldName
from ..models import Document, Fact
from ..rules import default_rules
from .resolve import Resolution
from .rows import Row, context, item_name, phase

FIELDS = (FieldName.EXPENDITURE_CLASS, FieldName.EXPENDITURE_ITEM)
LEVELS = {0: "类", 1: "款", 2: "项"}
MEASURE_COLUMNS = {
    "amount": "total",
    "basic": "basic",
    "project": "project",
    "personnel": "personnel",
    "public": "public",
    "budget": "budget",
    "adjusted_budget": "adjusted_budget",
    "completion_percent": "completion_percent",
}


def item_rows(document: Document, resolutions: list[Resolution]) -> Iterator[Row]:
    by_code: dict[str, dict[str, Resolution]] = defaultdict(dict)
    for resolution in resolutions:
        # A code, not a name-only line (those stay in values.csv with a ~names key).
        if resolution.field in FIELDS and resolution.key and not resolution.key.startswith("~"):
            by_code[resolution.key].setdefault(resolution.measure, resolution)
    names = code_names(document)
    base = {
        **context(document),
        "phase": phase(document),
        "region": " / ".join(document.info.region) or None,
    }
    for code in sorted(by_code, key=_code_order):
        measures = by_code[code]
        if not any(m in measures for m in MEASURE_COLUMNS):
            continue
        yield {**base, **_line(code, names, document.info.year), **_measures(measures)}


def _code_order(code: str) -> tuple[str, ...]:
    return tuple(code.split("-"))


def _line(code: str, names: dict[str, str], year: int | None) -> Row:
    parts = code.split("-")
    prefixes = ["-".join(parts[: i + 1]) for i in range(len(parts))]

    def name_of(prefix: str | None) -> str | None:
        if prefix is None:
            return None
        if prefix in names:
            return names[prefix]
        entries = default_rules().codes.function.by_code(
            prefix, year
        ) or default_rules().codes.function.any_by_code(prefix)
        return entries[0].name if entries else None

    class_code = prefixes[0]
    kuan_code = prefixes[1] if len(prefixes) > 1 else None
    xiang_code = prefixes[2] if len(prefixes) > 2 else None
    return {
        "code": code,
        "level": LEVELS.get(len(parts) - 1),
        "class_code": class_code,
        "class_name": name_of(class_code),
        "kuan_code": kuan_code,
        "kuan_name": name_of(kuan_code),
        "xiang_code": xiang_code,
        "xiang_name": name_of(xiang_code),
        "name": name_of(code),
    }


def code_names(document: Document) -> dict[str, str]:
    """Code → name as this note states it: the narrative's 类/款/项 names first, then the
    names of the tables' rows."""
    names: dict[str, str] = {}
    for fact in sorted(document.facts, key=lambda f: f.source != "text"):
        if fact.field not in FIELDS or not fact.code:
            continue
        parts = fact.code.split("-")
        if fact.source == "text" and len(fact.code_names) == len(parts):
            for i, name in enumerate(fact.code_names):
                names.setdefault("-".join(parts[: i + 1]), name)
        own = item_name(fact)
        if own:
            names.setdefault(fact.code, own)
    return names


def _measures(measures: dict[str, Resolution]) -> Row:
    row: Row = {column: None for column in MEASURE_COLUMNS.values()}
    for measure, column in MEASURE_COLUMNS.items():
        if measure in measures:
            row[column] = measures[measure].value
    main = measures.get("amount") or next(iter(measures.values()))
    chosen = main.chosen
    facts = [f for r in measures.values() for f in r.facts]
    in_table = next((f for f in (*main.agreeing, *facts) if f.provenance.table), None)
    table = in_table.provenance.table if in_table else None
    sources = {f.source for f in facts}
    narrative = _first_text(facts)
    change = narrative.changes[0] if narrative and narrative.changes else None
    return {
        **row,
        "source": "text+table" if len(sources) > 1 else next(iter(sources)),
        "table_kind": table.kind if table else None,
        "table_title": table.title if table else None,
        "page": chosen.provenance.page,
        "statements": len(facts),
        "agreement": _agreement(list(measures.values())),
        "checks": " ".join(sorted({c for r in measures.values() for c in r.checks})) or None,
        "purpose": narrative.purpose if narrative else None,
        "change_basis": change.basis if change else None,
        "change_direction": change.direction if change else None,
        "change_amount_wan": change.amount.wan if change and change.amount else None,
        "change_percent": change.percent if change else None,
        "change_reason": change.reason if change else None,
    }


def _first_text(facts: list[Fact]) -> Fact | None:
    texts = [f for f in facts if f.source == "text"]
    return min(texts, key=lambda f: f.provenance.char_start or 0) if texts else None


def _agreement(resolutions: list[Resolution]) -> str:
    if any(r.differing for r in resolutions):
        return "differs"
    return "single" if all(r.decided_by == "single" for r in resolutions) else "agree"
