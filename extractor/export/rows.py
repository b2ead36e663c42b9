"""One note's rows for the tables that mirror the document: documents, facts, values,
checks and unparsed. Cells are typed (text, integer, Decimal, bool, or None when missing);
extractor.export.csvfile and .parquet write them."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from ..models import SCHEMA_VERSION, Amount, Document, Fact, NoteKind
from .resolve import Resolution, fact_marks

Cell = str | int | Decimal | bool | None
Row = dict[str, Cell]


def document_id(document: Document) -> str:
    return document.source.sha256[:16]


def review_page(document: Document) -> str:
    return f"review/{document_id(document)}.html"


def phase(document: Document) -> str | None:
    phases: dict[str, str] = {NoteKind.BUDGET: "approved", NoteKind.FINAL: "executed"}
    return phases.get(document.info.kind or "")


def context(document: Document) -> Row:
    info = document.info
    return {
        "schema_version": SCHEMA_VERSION,
        "document_id": document_id(document),
        "file_name": document.source.file_name,
        "unit": info.unit or None,
        "year": info.year,
        "kind": info.kind or None,
        "scope": info.scope or None,
    }


def _text(value: str | None) -> str | None:
    return value or None


def _wan(amount: Amount | None) -> Decimal | None:
    return amount.wan if amount else None


def _joined(values: list[str], separator: str = " ") -> str | None:
    return separator.join(values) or None


def coverage(document: Document) -> Decimal | None:
    return Decimal(f"{document.coverage.score:.4f}") if document.coverage else None


def document_row(document: Document) -> Row:
    info = document.info
    failed = [c for c in document.checks if not c.passed]
    return {
        "schema_version": SCHEMA_VERSION,
        "document_id": document_id(document),
        "file_name": document.source.file_name,
        "path": document.source.path,
        "sha256": document.source.sha256,
        "status": document.status,
        "errors": _joined([f"{p.code}: {p.message}" for p in document.errors], "; "),
        "warnings": _joined([f"{p.code}: {p.message}" for p in document.warnings], "; "),
        "format": _text(document.source.format),
        "pages": document.source.pages,
        "unit": _text(info.unit),
        "parent": _text(info.parent),
        "unit_type": _text(info.unit_type),
        "year": info.year,
        "kind": _text(info.kind),
        "scope": _text(info.scope),
        "region": _joined(info.region, " / "),
        "organisation": _text(info.organisation),
        "facts": len(document.facts),
        "text_facts": sum(1 for f in document.facts if f.source == "text"),
        "table_facts": sum(1 for f in document.facts if f.source == "table"),
        "checks_failed": len(failed),
        "errors_found": sum(1 for c in failed if c.severity == "error"),
        "unparsed_figures": sum(len(u.figures) for u in document.unparsed),
        "coverage": coverage(document),
        "tables_found": len(document.tables),
        "tables_missing": _joined(document.missing_tables),
        "tool_version": document.tool_version,
        "patterns_version": document.patterns_version,
        "review_page": review_page(document),
    }


def fact_rows(document: Document, resolutions: list[Resolution]) -> Iterator[Row]:
    base = context(document)
    marks = fact_marks(resolutions)
    for fact in document.facts:
        concept, resolved = marks.get(fact.id, (None, None))
        yield {**base, **fact_cells(fact), "concept": concept, "resolved": resolved}


def fact_cells(fact: Fact) -> Row:
    change = fact.changes[0] if fact.changes else None
    execution, prov = fact.execution, fact.provenance
    table = prov.table
    return {
        "fact_id": fact.id,
        "field": fact.field,
        "label": fact.label,
        "name": _text(fact.name),
        "code": _text(fact.code),
        "code_names": _joined(fact.code_names, " / "),
        "code_source": fact.code_source,
        "parent_name": _text(fact.parent_name),
        "measure": _text(fact.measure),
        "amount_wan": _wan(fact.amount),
        "amount_value": fact.amount.value if fact.amount else None,
        "amount_unit": fact.amount.unit if fact.amount else None,
        "amount_text": fact.amount.text if fact.amount else None,
        "count": fact.count,
        "share": fact.share,
        "value": fact.value,
        "text": _text(fact.text),
        "status": fact.status,
        "changes": len(fact.changes) or None,
        "change_basis": _text(change.basis) if change else None,
        "change_direction": change.direction if change else None,
        "change_amount_wan": _wan(change.amount) if change else None,
        "change_percent": change.percent if change else None,
        "change_basis_amount_wan": _wan(change.basis_amount) if change else None,
        "change_reason": _text(change.reason) if change else None,
        "initial_budget_wan": _wan(execution.initial_budget) if execution else None,
        "adjusted_budget_wan": _wan(execution.adjusted_budget) if execution else None,
        "budget_wan": _wan(execution.budget) if execution else None,
        "completion_percent": execution.completion_percent if execution else None,
        "completion_basis": _text(execution.completion_basis) if execution else None,
        "purpose": _text(fact.purpose),
        "includes": _joined(fact.includes, "、"),
        "source": fact.source,
        "pattern": fact.pattern,
        "section_id": prov.section_id,
        "section_path": _joined(prov.section_path, " > "),
        "page": prov.page,
        "paragraph": prov.paragraph,
        "char_start": prov.char_start,
        "char_end": prov.char_end,
        "table_title": table.title if table else None,
        "table_kind": table.kind if table else None,
        "table_row": table.row if table else None,
        "table_column": table.column if table else None,
        "sentence": prov.sentence,
        "quote": prov.quote,
    }


_VALUE_UNITS = {"count": "count", "completion_percent": "%"}


def value_rows(document: Document, resolutions: list[Resolution]) -> Iterator[Row]:
    base = {**context(document), "phase": phase(document)}
    for resolution in resolutions:
        chosen = resolution.chosen
        yield {
            **base,
            "concept": resolution.concept,
            "field": resolution.field,
            "label": chosen.label,
            "key": resolution.key or None,
            "code": _text(chosen.code),
            "name": item_name(chosen),
            "measure": resolution.measure,
            "value": resolution.value,
            "value_unit": _VALUE_UNITS.get(resolution.measure, "万元"),
            "status": resolution.status,
            "decided_by": resolution.decided_by,
            "statements": len(resolution.facts),
            "agreeing": len(resolution.agreeing),
            "differing": len(resolution.differing),
            "differing_values": _joined([format(v, "f") for v in resolution.differing_values]),
            "chosen_fact": chosen.id,
            "source": chosen.source,
            "page": chosen.provenance.page,
            "table_title": chosen.provenance.table.title if chosen.provenance.table else None,
            "agreeing_facts": _joined([f.id for f in resolution.agreeing]),
            "differing_facts": _joined([f.id for f in resolution.differing]),
            "checks": _joined(list(resolution.checks)),
        }


def item_name(fact: Fact) -> str | None:
    """The item's own name: as stated on the fact, else the last 类/款/项 name stated."""
    if fact.name:
        return fact.name
    return fact.code_names[-1] if fact.code_names else None


def check_rows(document: Document) -> Iterator[Row]:
    base = context(document)
    pages = {f.id: f.provenance.page for f in document.facts}
    for check in document.checks:
        found = sorted({page for f in check.facts if (page := pages.get(f))})
        yield {
            **base,
            "check_id": check.id,
            "rule": check.rule,
            "severity": check.severity,
            "passed": check.passed,
            "expected": _text(check.expected),
            "actual": _text(check.actual),
            "message": check.message,
            "facts": _joined(check.facts),
            "pages": _joined([str(p) for p in found]),
        }


def unparsed_rows(document: Document) -> Iterator[Row]:
    base = context(document)
    for number, item in enumerate(document.unparsed, 1):
        yield {
            **base,
            "unparsed_id": f"u{number}",
            "page": item.page,
            "paragraph": item.paragraph,
            "section_path": _joined(item.section_path, " > "),
            "figures": _joined(item.figures),
            "sentence": item.sentence,
            "char_start": item.char_start,
            "char_end": item.char_end,
        }
