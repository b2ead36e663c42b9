"""The narrative against the tables (勾稽): a figure of the text equals the same item in the
tables (``reconcile.*``)."""

from __future__ import annotations

from collections import defaultdict

from ..fields import FieldName
from ..models import Check, Fact, FactStatus, NoteKind
from .facts import as_read, label, wan, where
from .inputs import CheckInput, check
from .precision import judge, same_margin
from .precision import plain as _fmt
from .rule import rule
from .units import UNIT_SCALE, UNIT_SLIP, same_slip

# The narrative's fields that the tables also state.
_RECONCILED = (
    "total.",
    "income.",
    FieldName.EXPENDITURE_FISCAL_APPROPRIATION,
    FieldName.EXPENDITURE_GENERAL_BUDGET,
    FieldName.EXPENDITURE_GOVERNMENT_FUND,
    FieldName.EXPENDITURE_STATE_CAPITAL,
    FieldName.EXPENDITURE_BASIC,
    FieldName.EXPENDITURE_PROJECT,
    FieldName.EXPENDITURE_CLASS,
    FieldName.EXPENDITURE_ITEM,
    "basic.",
    "sangong.",
    FieldName.OPERATING_COST,
)
_MAIN_MEASURES: dict[str, set[str]] = {
    NoteKind.BUDGET: {"total", "value", "budget"},
    NoteKind.FINAL: {"total", "value", "final"},
}


def is_main(fact: Fact, kind: str | None) -> bool:
    """Whether a table figure is the column a note of this kind states (预算数, 决算数, 合计)."""
    return (fact.measure or "value") in _MAIN_MEASURES.get(
        kind or NoteKind.BUDGET, _MAIN_MEASURES[NoteKind.BUDGET]
    )


@rule(
    "reconcile.text_table",
    "error",
    "each narrative figure equals the same item in the tables",
    reports=(UNIT_SCALE.id,),
)
def text_table(given: CheckInput) -> list[Check]:
    if not given.table:
        return []
    kind = given.info.kind
    index: dict[tuple[str, str], list[Fact]] = defaultdict(list)
    for fact in given.table:
        if fact.amount is not None and is_main(fact, kind):
            index[(fact.field, fact.code or "")].append(fact)
    found: list[Check] = []
    for fact in given.text:
        if (
            fact.amount is None
            or fact.status != FactStatus.STATED
            or not fact.field.startswith(_RECONCILED)
        ):
            continue
        code = fact.code or ""
        if fact.field in (FieldName.EXPENDITURE_CLASS, FieldName.EXPENDITURE_ITEM) and not code:
            continue
        in_tables = [t for t in index.get((fact.field, code), []) if t.amount is not None]
        if in_tables:
            found.append(_reconciled(fact, in_tables))
    return found


def _reconciled(fact: Fact, found: list[Fact]) -> Check:
    assert fact.amount is not None
    verdicts = [
        (t, judge(fact.amount.wan - wan(t), same_margin(as_read(fact), t.amount)))
        for t in found
        if t.amount is not None
    ]
    matching = [t for t, v in verdicts if v.passed]
    values = sorted({wan(t) for t in found})
    tables = "; ".join(f"{_fmt(wan(t))} in {where(t)}" for t in found[:4])
    if matching:
        note = next((v.note for t, v in verdicts if t is matching[0]), "")
        return check(
            "reconcile.text_table",
            "error",
            True,
            f"{label(fact)} {_fmt(fact.amount.wan)} ({where(fact)}) agrees with {tables}"
            + (f", {note}" if note.startswith("at the precision") else ""),
            [fact, *matching[:3]],
            fact.amount.wan,
            wan(matching[0]),
        )
    message = (
        f"{label(fact)}: the text says {_fmt(fact.amount.wan)} ({where(fact)}), the tables"
        f" say {tables}"
    )
    slipped = [
        t for t in found if t.amount is not None and same_slip(fact.amount, t.amount) is not None
    ]
    if slipped:
        return check(
            UNIT_SCALE.id,
            "warning",
            False,
            f"{message}: a factor of exactly 10^4 or 10^8, {UNIT_SLIP}",
            [fact, *slipped[:3]],
            fact.amount.wan,
            ", ".join(_fmt(v) for v in values),
        )
    return check(
        "reconcile.text_table",
        "error",
        False,
        message,
        [fact, *found[:3]],
        fact.amount.wan,
        ", ".join(_fmt(v) for v in values),
    )


RULES = (text_table,)
