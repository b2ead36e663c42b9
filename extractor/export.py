"""JSON, JSON Lines and CSV output, written atomically.

Per document: ``<name>.json`` (the whole Document). For the batch: ``documents.csv``,
``facts.csv``, ``items.csv``, ``checks.csv``, ``unparsed.csv`` and ``facts.jsonl``, rebuilt
from per-document part files so that a run killed at any moment leaves every table either as
it was or complete. Column lists below are the stable, documented schema; every row carries
``schema_version``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import regex

from .models import SCHEMA_VERSION, Amount, Document, Fact

DOCUMENT_COLUMNS = [
    "schema_version",
    "document_id",
    "file_name",
    "path",
    "sha256",
    "status",
    "errors",
    "warnings",
    "format",
    "pages",
    "unit",
    "parent",
    "unit_type",
    "year",
    "kind",
    "scope",
    "region",
    "organisation",
    "facts",
    "text_facts",
    "table_facts",
    "checks_failed",
    "errors_found",
    "unparsed_figures",
    "coverage",
    "tables_found",
    "tables_missing",
    "tool_version",
    "patterns_version",
]
_CONTEXT = ["schema_version", "document_id", "file_name", "unit", "year", "kind"]
FACT_COLUMNS = [
    *_CONTEXT,
    "fact_id",
    "field",
    "label",
    "name",
    "code",
    "code_names",
    "code_source",
    "parent_name",
    "measure",
    "amount_wan",
    "amount_value",
    "amount_unit",
    "amount_text",
    "count",
    "share",
    "value",
    "text",
    "status",
    "change_basis",
    "change_direction",
    "change_amount_wan",
    "change_percent",
    "change_basis_amount_wan",
    "change_reason",
    "initial_budget_wan",
    "adjusted_budget_wan",
    "completion_percent",
    "completion_basis",
    "purpose",
    "includes",
    "source",
    "pattern",
    "section_id",
    "section_path",
    "page",
    "paragraph",
    "char_start",
    "char_end",
    "table_title",
    "table_kind",
    "table_row",
    "table_column",
    "sentence",
    "quote",
]
ITEM_COLUMNS = [
    *_CONTEXT,
    "fact_id",
    "level",
    "code",
    "code_source",
    "class_code",
    "class_name",
    "kuan_name",
    "xiang_name",
    "name",
    "measure",
    "amount_wan",
    "amount_text",
    "purpose",
    "change_basis",
    "change_direction",
    "change_percent",
    "change_basis_amount_wan",
    "change_reason",
    "initial_budget_wan",
    "adjusted_budget_wan",
    "completion_percent",
    "source",
    "page",
    "table_title",
    "sentence",
]
CHECK_COLUMNS = [
    *_CONTEXT,
    "check_id",
    "rule",
    "severity",
    "passed",
    "expected",
    "actual",
    "message",
    "facts",
    "pages",
]
UNPARSED_COLUMNS = [
    *_CONTEXT,
    "page",
    "paragraph",
    "section_path",
    "figures",
    "sentence",
    "char_start",
    "char_end",
]

TABLES = {
    "documents": DOCUMENT_COLUMNS,
    "facts": FACT_COLUMNS,
    "items": ITEM_COLUMNS,
    "checks": CHECK_COLUMNS,
    "unparsed": UNPARSED_COLUMNS,
}

_UNSAFE = regex.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


# --- atomic files ------------------------------------------------------------------------------


def write_atomic(path: Path, data: str | bytes, *, sync: bool = True) -> None:
    """Write to a temporary file next to ``path``, flush it to disk, then rename over it.
    ``sync=False``: no flush to disk of its own (the caller syncs a whole batch of files at
    once before it records them as done)."""
    with atomic_stream(path, sync=sync) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_stream(path: Path, *, sync: bool = True) -> Iterator[BinaryIO]:
    """A binary stream to a temporary file next to ``path``, renamed over it when the block
    ends (after a flush to disk), removed if the block raises."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_stem(name: str) -> str:
    """A file name stem that stays inside the output folder whatever the input was called."""
    stem = Path(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = _UNSAFE.sub("_", stem).strip(" .")
    return stem[:120] or "document"


def inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


# --- one document --------------------------------------------------------------------------------


def document_json(document: Document) -> str:
    return document.model_dump_json(indent=2) + "\n"


def document_id(document: Document) -> str:
    return document.source.sha256[:16]


def _dec(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value, "f")


def _wan(amount: Amount | None) -> str:
    return _dec(amount.wan) if amount else ""


def _context(document: Document) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "document_id": document_id(document),
        "file_name": document.source.file_name,
        "unit": document.info.unit or "",
        "year": document.info.year or "",
        "kind": document.info.kind or "",
    }


def document_row(document: Document) -> dict[str, Any]:
    info = document.info
    failed = [c for c in document.checks if not c.passed]
    return {
        "schema_version": SCHEMA_VERSION,
        "document_id": document_id(document),
        "file_name": document.source.file_name,
        "path": document.source.path,
        "sha256": document.source.sha256,
        "status": document.status,
        "errors": "; ".join(f"{p.code}: {p.message}" for p in document.errors),
        "warnings": "; ".join(f"{p.code}: {p.message}" for p in document.warnings),
        "format": document.source.format or "",
        "pages": document.source.pages or "",
        "unit": info.unit or "",
        "parent": info.parent or "",
        "unit_type": info.unit_type or "",
        "year": info.year or "",
        "kind": info.kind or "",
        "scope": info.scope or "",
        "region": " / ".join(info.region),
        "organisation": info.organisation or "",
        "facts": len(document.facts),
        "text_facts": sum(1 for f in document.facts if f.source == "text"),
        "table_facts": sum(1 for f in document.facts if f.source == "table"),
        "checks_failed": len(failed),
        "errors_found": sum(1 for c in failed if c.severity == "error"),
        "unparsed_figures": sum(len(u.figures) for u in document.unparsed),
        "coverage": f"{document.coverage.score:.4f}" if document.coverage else "",
        "tables_found": len(document.tables),
        "tables_missing": " ".join(document.missing_tables),
        "tool_version": document.tool_version,
        "patterns_version": document.patterns_version,
    }


def fact_row(
    document: Document, fact: Fact, context: dict[str, Any] | None = None
) -> dict[str, Any]:
    change, execution, prov = fact.change, fact.execution, fact.provenance
    table = prov.table
    return {
        **(context or _context(document)),
        "fact_id": fact.id,
        "field": fact.field,
        "label": fact.label,
        "name": fact.name or "",
        "code": fact.code or "",
        "code_names": " / ".join(fact.code_names),
        "code_source": fact.code_source or "",
        "parent_name": fact.parent_name or "",
        "measure": fact.measure or "",
        "amount_wan": _wan(fact.amount),
        "amount_value": _dec(fact.amount.value) if fact.amount else "",
        "amount_unit": fact.amount.unit if fact.amount else "",
        "amount_text": fact.amount.text if fact.amount else "",
        "count": "" if fact.count is None else fact.count,
        "share": _dec(fact.share),
        "value": _dec(fact.value),
        "text": fact.text or "",
        "status": fact.status,
        "change_basis": change.basis or "" if change else "",
        "change_direction": change.direction or "" if change else "",
        "change_amount_wan": _wan(change.amount) if change else "",
        "change_percent": _dec(change.percent) if change else "",
        "change_basis_amount_wan": _wan(change.basis_amount) if change else "",
        "change_reason": change.reason or "" if change else "",
        "initial_budget_wan": _wan(execution.initial_budget) if execution else "",
        "adjusted_budget_wan": _wan(execution.adjusted_budget) if execution else "",
        "completion_percent": _dec(execution.completion_percent) if execution else "",
        "completion_basis": execution.completion_basis or "" if execution else "",
        "purpose": fact.purpose or "",
        "includes": "、".join(fact.includes),
        "source": fact.source,
        "pattern": fact.pattern,
        "section_id": prov.section_id,
        "section_path": " > ".join(prov.section_path),
        "page": prov.page or "",
        "paragraph": prov.paragraph or "",
        "char_start": "" if prov.char_start is None else prov.char_start,
        "char_end": "" if prov.char_end is None else prov.char_end,
        "table_title": table.title if table else "",
        "table_kind": table.kind or "" if table else "",
        "table_row": "" if table is None else table.row,
        "table_column": table.column if table else "",
        "sentence": prov.sentence,
        "quote": prov.quote,
    }


def item_rows(document: Document) -> Iterator[dict[str, Any]]:
    """The 类/款/项 facts, one row each: the fact's own columns plus level and the names split."""
    context = _context(document)
    for fact in document.facts:
        if fact.field not in ("expenditure.class", "expenditure.item"):
            continue
        row = fact_row(document, fact, context)
        names = [*fact.code_names, "", "", ""]
        level = {0: "类", 1: "款", 2: "项"}.get(fact.code.count("-"), "") if fact.code else ""
        named_in_text = fact.source == "text" and len(fact.code_names) > 1
        row.update(
            level=level,
            class_code=(fact.code or "")[:3],
            class_name=names[0]
            if named_in_text
            else (fact.name or names[0] if level == "类" else ""),
            kuan_name=names[1] if len(fact.code_names) > 1 else "",
            xiang_name=names[2] if len(fact.code_names) > 2 else "",
            name=fact.name or (fact.code_names[-1] if fact.code_names else ""),
        )
        yield {column: row[column] for column in ITEM_COLUMNS}


def check_rows(document: Document) -> Iterator[dict[str, Any]]:
    context = _context(document)
    pages = {f.id: f.provenance.page for f in document.facts}
    for check in document.checks:
        yield {
            **context,
            "check_id": check.id,
            "rule": check.rule,
            "severity": check.severity,
            "passed": "true" if check.passed else "false",
            "expected": check.expected or "",
            "actual": check.actual or "",
            "message": check.message,
            "facts": " ".join(check.facts),
            "pages": " ".join(
                sorted({str(pages[f]) for f in check.facts if pages.get(f)}, key=int)
            ),
        }


def unparsed_rows(document: Document) -> Iterator[dict[str, Any]]:
    context = _context(document)
    for item in document.unparsed:
        yield {
            **context,
            "page": item.page or "",
            "paragraph": item.paragraph or "",
            "section_path": " > ".join(item.section_path),
            "figures": " ".join(item.figures),
            "sentence": item.sentence,
            "char_start": "" if item.char_start is None else item.char_start,
            "char_end": "" if item.char_end is None else item.char_end,
        }


def rows_by_table(document: Document) -> dict[str, list[dict[str, Any]]]:
    context = _context(document)
    return {
        "documents": [document_row(document)],
        "facts": [fact_row(document, fact, context) for fact in document.facts],
        "items": list(item_rows(document)),
        "checks": list(check_rows(document)),
        "unparsed": list(unparsed_rows(document)),
    }


def csv_text(columns: list[str], rows: Iterable[dict[str, Any]], *, header: bool) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="raise", lineterminator="\r\n")
    if header:
        writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def facts_jsonl(document: Document) -> str:
    context = _context(document)
    lines = []
    for fact in document.facts:
        record = {**context, **fact.model_dump(mode="json")}
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines) + ("\n" if lines else "")


# --- the batch's combined tables ----------------------------------------------------------------


def render_parts(document: Document) -> dict[str, str]:
    """One document's rows as text, per combined table (``<table>.csv`` and ``facts.jsonl``);
    done in the worker, so the process that writes the batch's files only writes."""
    parts = {
        f"{name}.csv": csv_text(TABLES[name], rows, header=False)
        for name, rows in rows_by_table(document).items()
    }
    parts["facts.jsonl"] = facts_jsonl(document)
    return parts


def write_parts(out: Path, doc: str, parts: dict[str, str], *, sync: bool = True) -> None:
    """A document's rendered rows in ``out/parts`` (atomic each)."""
    for name, text in parts.items():
        write_atomic(out / "parts" / f"{doc}.{name}", text, sync=sync)


PART_NAMES = (*(f"{name}.csv" for name in TABLES), "facts.jsonl")


def remove_parts(out: Path, doc: str) -> None:
    # By name, not by glob: a glob reads the whole parts folder (a million files) each time.
    for name in PART_NAMES:
        (out / "parts" / f"{doc}.{name}").unlink(missing_ok=True)


def combine(
    out: Path, document_ids: Iterable[str], *, bom: bool = True, parquet: bool = False
) -> None:
    """Rebuild the combined tables from the part files of the given documents, streaming:
    one part at a time is read, so memory does not grow with the batch."""
    order = sorted(set(document_ids))
    parts = out / "parts"
    for name, columns in TABLES.items():
        with atomic_stream(out / f"{name}.csv") as stream:
            header = ("\ufeff" if bom else "") + csv_text(columns, [], header=True)
            stream.write(header.encode("utf-8"))
            _append_parts(stream, (parts / f"{doc}.{name}.csv" for doc in order))
    with atomic_stream(out / "facts.jsonl") as stream:
        _append_parts(stream, (parts / f"{doc}.facts.jsonl" for doc in order))
    if parquet:
        _parquet(out)


def _append_parts(stream: BinaryIO, paths: Iterable[Path]) -> None:
    for path in paths:
        try:
            with path.open("rb") as part:
                shutil.copyfileobj(part, stream)
        except FileNotFoundError:  # a document without rows in this table
            continue


def _parquet(out: Path) -> None:
    try:
        import pyarrow.csv as pacsv
        import pyarrow.parquet as pq
    except ImportError as exc:  # optional dependency
        raise RuntimeError("--parquet needs pyarrow: pip install 'budget-notes[parquet]'") from exc
    for name in TABLES:
        source = out / f"{name}.csv"
        convert = pacsv.ConvertOptions(
            strings_can_be_null=False, column_types={c: "string" for c in TABLES[name]}
        )
        table = pacsv.read_csv(source, convert_options=convert)
        handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".parquet.tmp", dir=out)
        os.close(handle)
        pq.write_table(table, temporary)
        Path(temporary).replace(out / f"{name}.parquet")
