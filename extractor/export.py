"""JSON, CSV, Parquet, the data package and the review pages, written atomically.

Per document: ``<name>.json`` (the whole Document) and ``review/<id>.html``. For the batch:
the tables of ``extractor.outputs.columns`` (summary, values, items, facts, checks,
unparsed, documents) as CSV, ``facts.jsonl``, optionally Parquet, ``datapackage.json`` and
``review/index.html``. The worker renders one note's part of every table
(:func:`render_parts`); the batch process only writes them and rebuilds the combined files
from the parts (:func:`combine`), streaming, so that a run killed at any moment leaves every
file either as it was or complete, and memory does not grow with the batch.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import regex

from .models import Document
from .outputs import parquet as parquet_files
from .outputs.columns import TABLES, Table
from .outputs.csvfile import header_text, render_csv
from .outputs.datapackage import descriptor_json
from .outputs.items import item_rows
from .outputs.review import index_html, review_html
from .outputs.rows import (
    Row,
    check_rows,
    document_row,
    fact_rows,
    unparsed_rows,
    value_rows,
)
from .outputs.rows import document_id as document_id
from .outputs.summary import summary_row
from .resolve import Resolution, resolve

_UNSAFE = regex.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
# Output names the batch itself writes beside the documents' JSON.
_RESERVED_STEMS = {"datapackage"}
REVIEW = "review"


# --- atomic files ------------------------------------------------------------------------------


def write_atomic(path: Path, data: str | bytes, *, sync: bool = True) -> None:
    """Write to a temporary file next to ``path``, flush it to disk, then rename over it.
    ``sync=False``: no flush to disk of its own (the caller syncs a whole batch of files at
    once before it records them as done)."""
    with atomic_file(path, sync=sync) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_file(path: Path, *, sync: bool = True) -> Iterator[IO[bytes]]:
    """A binary stream that replaces ``path`` only once it is complete (and, with ``sync``,
    on disk); removed if the block raises."""
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
    """A file name stem that stays inside the output folder whatever the input was called
    (and is not the name of a file the batch writes itself)."""
    stem = Path(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = _UNSAFE.sub("_", stem).strip(" .")
    stem = stem[:120] or "document"
    return f"{stem}_" if stem.lower() in _RESERVED_STEMS else stem


def inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


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


def _part_path(out: Path, doc: str, name: str) -> Path:
    if name == "review.html":  # the review page is an output in its own right
        return out / REVIEW / f"{doc}.html"
    return out / "parts" / f"{doc}.{name}"


def write_parts(out: Path, doc: str, parts: dict[str, str], *, sync: bool = True) -> None:
    """A document's rendered parts in ``out/parts`` (atomic each); stale optional parts
    (a ``.raw.csv`` no longer needed) are removed."""
    for path in (out / "parts").glob(f"{doc}.*.raw.csv"):
        if path.name[len(doc) + 1 :] not in parts:
            path.unlink(missing_ok=True)
    for name, text in parts.items():
        write_atomic(_part_path(out, doc, name), text, sync=sync)


def remove_parts(out: Path, doc: str) -> None:
    for path in (out / "parts").glob(f"{doc}.*"):
        path.unlink(missing_ok=True)
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
