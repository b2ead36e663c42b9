"""JSON, CSV, Parquet, the data package and the review pages, written atomically.

Per document: ``<name>.json`` (the whole Document) and ``review/<id>.html``. For the batch:
the tables of ``extractor.export.columns`` (summary, values, items, facts, checks,
unparsed, documents) as CSV, ``facts.jsonl``, optionally Parquet, ``datapackage.json`` and
``review/index.html``. The worker renders one note's part of every table
(:func:`render_parts`); the batch process only writes them and rebuilds the combined files
from the parts (:func:`combine`), streaming, so that a run killed at any moment leaves every
file either as it was or complete, and memory does not grow with the batch.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..models import Document
from ..resolve import Resolution, resolve
from . import parquet as parquet_files
from .columns import TABLES, Table
from .csvfile import header_text, render_csv
from .datapackage import descriptor_json
from .files import atomic_file, write_atomic
from .items import item_rows
from .review import index_html, review_html
from .rows import (
    Row,
    check_rows,
    document_row,
    fact_rows,
    unparsed_rows,
    value_rows,
)
from .rows import document_id as document_id
from .summary import summary_row

REVIEW = "review"


# --- one document --------------------------------------------------------------------------------


def document_json(document: Document) -> str:
    return document.model_dump_json(indent=2) + "\n"


def rows_by_table(
    document: Document, resolutions: list[Resolution] | None = None
) -> dict[str, list[Row]]:
    """One note's rows of every combined table."""
    if resolutions is None:
        resolutions = resolve(document)
    return {
        "documents": [document_row(document)],
        "summary": [summary_row(document, resolutions)],
        "values": list(value_rows(document, resolutions)),
        "items": list(item_rows(document, resolutions)),
        "facts": list(fact_rows(document, resolutions)),
        "checks": list(check_rows(document)),
        "unparsed": list(unparsed_rows(document)),
    }


def facts_jsonl(document: Document, rows: list[Row]) -> str:
    """The facts as JSON, each with its document's context and resolution marks."""
    lines = []
    for fact, row in zip(document.facts, rows, strict=True):
        record = {
            "schema_version": row["schema_version"],
            "document_id": row["document_id"],
            "file_name": row["file_name"],
            "unit": row["unit"] or "",
            "year": row["year"] or "",
            "kind": row["kind"] or "",
            "scope": row["scope"] or "",
            **fact.model_dump(mode="json"),
            "concept": row["concept"],
            "resolved": row["resolved"],
        }
        lines.append(json.dumps(record, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def render_parts(document: Document) -> dict[str, str]:
    """One document's part of every combined file, as text; done in the worker, so the
    process that writes the batch's files only writes.

    Per table: ``<table>.csv`` (Excel-safe) and ``<table>.raw.csv`` (as it is, only when some
    cell had to be escaped; Parquet reads the raw version); and ``facts.jsonl`` and
    ``review.html``."""
    resolutions = resolve(document)
    rows = rows_by_table(document, resolutions)
    parts: dict[str, str] = {}
    for name, table in TABLES.items():
        safe, raw = render_csv(table, rows[name])
        parts[f"{name}.csv"] = safe
        if raw is not None:
            parts[f"{name}.raw.csv"] = raw
    parts["facts.jsonl"] = facts_jsonl(document, rows["facts"])
    parts["review.html"] = review_html(document, resolutions)
    return parts


RAW_PART_NAMES = tuple(f"{name}.raw.csv" for name in TABLES)
PART_NAMES = (*(f"{name}.csv" for name in TABLES), *RAW_PART_NAMES, "facts.jsonl")


def _part_path(out: Path, doc: str, name: str) -> Path:
    if name == "review.html":  # the review page is an output in its own right
        return out / REVIEW / f"{doc}.html"
    return out / "parts" / f"{doc}.{name}"


def write_parts(out: Path, doc: str, parts: dict[str, str], *, sync: bool = True) -> None:
    """A document's rendered parts in ``out/parts`` (atomic each); stale optional parts
    (a ``.raw.csv`` no longer needed) are removed."""
    for raw in RAW_PART_NAMES:  # by name: a glob would read the whole parts folder
        if raw not in parts:
            (out / "parts" / f"{doc}.{raw}").unlink(missing_ok=True)
    for name, text in parts.items():
        write_atomic(_part_path(out, doc, name), text, sync=sync)


def remove_parts(out: Path, doc: str) -> None:
    # By name, not by glob: a glob reads the whole parts folder (a million files) each time.
    for name in PART_NAMES:
        (out / "parts" / f"{doc}.{name}").unlink(missing_ok=True)
    (out / REVIEW / f"{doc}.html").unlink(missing_ok=True)


# --- the batch's combined files ----------------------------------------------------------------


def combine(
    out: Path,
    document_ids: Iterable[str],
    *,
    bom: bool = True,
    parquet: bool = False,
    excel_safe: bool = True,
) -> None:
    """Rebuild the combined files from the part files of the given documents, streaming:
    each part is copied into a temporary file that replaces the combined one when done."""
    order = sorted(set(document_ids))
    parts = out / "parts"
    for stale in (out / REVIEW).glob(".*.tmp"):  # a page whose writer was killed
        stale.unlink(missing_ok=True)
    for name, table in TABLES.items():
        _combine_csv(out / f"{name}.csv", table, order, parts, bom=bom, excel_safe=excel_safe)
    _concatenate(out / "facts.jsonl", [parts / f"{doc}.facts.jsonl" for doc in order], b"")
    for name, table in TABLES.items():
        target = out / f"{name}.parquet"
        if parquet:
            paths = (_part(parts, doc, name, excel_safe=False) for doc in order)
            parquet_files.write_parquet(table, paths, target)
        else:  # no stale Parquet beside fresh CSV
            target.unlink(missing_ok=True)
    write_atomic(out / "datapackage.json", descriptor_json(bom=bom, excel_safe=excel_safe))
    _review_index(out, order, parts)


def _combine_csv(
    target: Path, table: Table, order: list[str], parts: Path, *, bom: bool, excel_safe: bool
) -> None:
    head = (("\ufeff" if bom else "") + header_text(table)).encode("utf-8")
    _concatenate(
        target, [_part(parts, doc, table.name, excel_safe=excel_safe) for doc in order], head
    )


def _part(parts: Path, doc: str, table: str, *, excel_safe: bool) -> Path:
    """A document's part of a table: Excel-safe, or as it is (the same file when no cell
    needed escaping)."""
    raw = parts / f"{doc}.{table}.raw.csv"
    if not excel_safe and raw.exists():
        return raw
    return parts / f"{doc}.{table}.csv"


def _concatenate(target: Path, paths: Iterable[Path], head: bytes) -> None:
    with atomic_file(target) as stream:
        stream.write(head)
        for path in paths:
            try:
                with path.open("rb") as source:
                    shutil.copyfileobj(source, stream, 1 << 20)
            except FileNotFoundError:
                continue


def _review_index(out: Path, order: list[str], parts: Path) -> None:
    names = TABLES["summary"].names

    def rows() -> Iterator[dict[str, Any]]:
        paths = (_part(parts, doc, "summary", excel_safe=False) for doc in order)
        for record in parquet_files.records(paths):
            yield dict(zip(names, record, strict=True))

    with atomic_file(out / REVIEW / "index.html") as stream:
        for chunk in index_html(rows()):
            stream.write(chunk.encode("utf-8"))
