"""The batch's combined files, rebuilt from the notes' parts, and what ties the outputs
together.

Per document (:mod:`.parts`): ``<name>.json`` (the whole Document), the note's part of every
combined file and, when asked for, ``review/<id>.html``. For the batch: the tables of
:mod:`.columns` (summary, values, items, facts, checks, unparsed, documents) as CSV,
``datapackage.json`` and, when asked for, ``facts.jsonl``, Parquet and ``review/index.html``,
rebuilt from the parts (:func:`combine`), streaming, so that a run killed at any moment leaves
every file either as it was or complete, and memory does not grow with the batch.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any

from . import parquet as parquet_files
from .columns import TABLES
from .csvfile import header_text
from .datapackage import descriptor_json
from .files import atomic_file, write_atomic
from .parts import (
    JSONL_PART,
    REVIEW,
    document_json,
    facts_jsonl,
    open_part,
    remove_parts,
    render_parts,
    rows_by_table,
    write_parts,
)
from .rows import document_id

__all__ = [
    "REVIEW",
    "combine",
    "document_id",
    "document_json",
    "facts_jsonl",
    "remove_parts",
    "render_parts",
    "rows_by_table",
    "write_parts",
]


def combine(
    out: Path,
    document_ids: Iterable[str],
    *,
    bom: bool = True,
    parquet: bool = False,
    jsonl: bool = False,
    review: bool = False,
    excel_safe: bool = True,
) -> None:
    """Rebuild the combined files from the part files of the given documents, streaming:
    each part is copied into a temporary file that replaces the combined one when done.
    ``jsonl``, ``review``: the notes' optional parts are there (see
    ``extractor.batch.combine``); without them, what an earlier run wrote of them goes."""
    order = sorted(set(document_ids))
    for name, table in TABLES.items():
        head = (("\ufeff" if bom else "") + header_text(table)).encode("utf-8")
        _concatenate(out / f"{name}.csv", _table_parts(out, order, name, excel_safe), head)
    if jsonl:
        lines = (open_part(out, doc, JSONL_PART) for doc in order)
        _concatenate(out / "facts.jsonl", lines, b"")
    else:  # no stale facts.jsonl beside fresh CSV
        (out / "facts.jsonl").unlink(missing_ok=True)
    for name, table in TABLES.items():
        target = out / f"{name}.parquet"
        if parquet:
            rows = _records(_table_parts(out, order, name, excel_safe=False))
            parquet_files.write_parquet(table, rows, target)
        else:  # no stale Parquet beside fresh CSV
            target.unlink(missing_ok=True)
    write_atomic(out / "datapackage.json", descriptor_json(bom=bom, excel_safe=excel_safe))
    if review:
        for stale in (out / REVIEW).glob(".*.tmp"):  # a page whose writer was killed
            stale.unlink(missing_ok=True)
        _review_index(out, order)
    else:  # no stale pages beside fresh tables
        shutil.rmtree(out / REVIEW, ignore_errors=True)


def _table_parts(
    out: Path, order: list[str], table: str, excel_safe: bool
) -> Iterator[AbstractContextManager[IO[bytes] | None]]:
    for doc in order:
        yield open_part(out, doc, f"{table}.csv", raw=not excel_safe)


def _concatenate(
    target: Path, parts: Iterable[AbstractContextManager[IO[bytes] | None]], head: bytes
) -> None:
    with atomic_file(target) as stream:
        stream.write(head)
        for part in parts:
            with part as source:
                if source is not None:
                    shutil.copyfileobj(source, stream, 1 << 20)


def _records(parts: Iterable[AbstractContextManager[IO[bytes] | None]]) -> Iterator[list[str]]:
    """The rows of the given CSV parts, one at a time (quoted newlines and all)."""
    for part in parts:
        with part as source:
            if source is not None:
                yield from csv.reader(io.TextIOWrapper(source, encoding="utf-8", newline=""))


def _review_index(out: Path, order: list[str]) -> None:
    from .review import index_html  # Jinja2 only for a run that writes pages

    names = TABLES["summary"].names

    def rows() -> Iterator[dict[str, Any]]:
        for record in _records(_table_parts(out, order, "summary", excel_safe=False)):
            yield dict(zip(names, record, strict=True))

    with atomic_file(out / REVIEW / "index.html") as stream:
        for chunk in index_html(rows()):
            stream.write(chunk.encode("utf-8"))
