"""Standard tables from PDF and DOCX into the same records; reconciliation with the text.

The expected cells come from the data that rendered samples/tables_note.* (the JSON block
of samples/tables_note.README.md), not from the extractor."""

from __future__ import annotations

import json
import re
from collections import Counter
from decimal import Decimal
from functools import cache

import pytest

from extractor.models import Document
from extractor.pipeline import extract
from extractor.text.amounts import parse_number

from .conftest import SAMPLES

README = (SAMPLES / "tables_note.README.md").read_text(encoding="utf-8")
DATA = json.loads(README.split("```json", 1)[1].split("```", 1)[0])
FORMATS = ["tables_note.pdf", "tables_note.docx"]
_AMOUNT = re.compile(r"^\d{1,3}(?:,\d{3})*\.\d{2}$")


@cache
def note(name: str) -> Document:
    return extract(SAMPLES / name)


@pytest.mark.parametrize("name", FORMATS)
def test_standard_tables_are_found_and_the_missing_ones_listed(name: str) -> None:
    document = note(name)
    kinds = [t.kind for t in document.tables]
    assert kinds == ["income_expenditure_summary", "expenditure_summary", "sangong"]
    spending = document.tables[1]
    assert spending.rows == 32  # the table runs over a page break in the PDF, its header repeated
    if name.endswith(".pdf"):
        assert spending.pages == [4, 5]
    assert {"fiscal_summary", "general_budget_expenditure", "general_budget_basic"} <= set(
        document.missing_tables
    )


@pytest.mark.parametrize("name", FORMATS)
def test_every_table_cell_becomes_a_fact(name: str) -> None:
    document = note(name)
    facts = Counter(
        (f.provenance.table.title, f.provenance.table.row, f.amount.wan)
        for f in document.facts
        if f.source == "table" and f.provenance.table and f.amount
    )
    expected: Counter[tuple[str, int, Decimal]] = Counter()
    for table in DATA["tables"]:
        factor = Decimal("0.0001") if table["unit"] == "元" else Decimal(1)
        for row_number, row in enumerate(table["rows"]):
            for cell in row:
                if cell and _AMOUNT.match(cell):
                    expected[(table["title"], row_number, parse_number(cell) * factor)] += 1
    missing = expected - facts
    assert not missing, missing


@pytest.mark.parametrize("name", FORMATS)
def test_table_facts_carry_codes_fields_and_provenance(name: str) -> None:
    document = note(name)
    item = next(
        f
        for f in document.facts
        if f.source == "table" and f.code == "201-06-07" and f.measure == "total"
    )
    assert item.field == "expenditure.item" and item.amount and item.amount.wan == Decimal("312.56")
    assert item.provenance.table and item.provenance.table.column.endswith("合计")
    assert item.provenance.page == (4 if name.endswith(".pdf") else 3)
    sangong = {
        f.field: f.amount.wan
        for f in document.facts
        if f.source == "table" and f.field.startswith("sangong") and f.amount
    }
    assert sangong == {
        "sangong.total": Decimal("27.95"),
        "sangong.overseas": Decimal("2.40"),
        "sangong.reception": Decimal("1.20"),
        "sangong.vehicle": Decimal("24.35"),
        "sangong.vehicle_purchase": Decimal("18.00"),
        "sangong.vehicle_operation": Decimal("6.35"),
    }
    operating = [f for f in document.facts if f.source == "table" and f.field == "operating_cost"]
    assert operating and operating[0].amount and operating[0].amount.wan == Decimal("186.42")
    for fact in document.facts:
        if fact.source == "table" and fact.provenance.char_start is not None:
            assert (
                document.text[fact.provenance.char_start : fact.provenance.char_end]
                == fact.provenance.quote
            )


@pytest.mark.parametrize("name", FORMATS)
def test_the_planted_mistakes_are_reported_and_nothing_else(name: str) -> None:
    document = note(name)
    errors = [c for c in document.checks if not c.passed and c.severity == "error"]
    reconcile = [c for c in errors if c.rule == "reconcile.text_table"]
    assert len(reconcile) == 1 and "201-06-07" in reconcile[0].message
    assert reconcile[0].expected == "313.56" and "312.56" in (reconcile[0].actual or "")
    rows = [c for c in errors if c.rule == "table.rows"]
    assert len(rows) == 1 and "项目支出" in rows[0].message and rows[0].expected == "847.07"
    columns = [c for c in errors if c.rule == "table.columns"]
    assert len(columns) == 1
    assert len(errors) == 3, [c.message for c in errors]
    agreeing = [c for c in document.checks if c.rule == "reconcile.text_table" and c.passed]
    assert (
        len(agreeing) >= 10
    )  # totals, classes, items, 三公 and 机关运行经费 agree with the tables


def test_pdf_and_docx_give_the_same_table_records() -> None:
    def records(document: Document) -> list[tuple]:  # type: ignore[type-arg]
        return sorted(
            (
                f.field,
                f.code or "",
                f.name or "",
                f.measure or "",
                str(f.amount.wan if f.amount else ""),
                f.provenance.table.row if f.provenance.table else -1,
            )
            for f in document.facts
            if f.source == "table"
        )

    assert records(note("tables_note.pdf")) == records(note("tables_note.docx"))
