"""One note's outputs: its JSON, its review page and its part of every combined table.

The worker renders the parts (:func:`render_parts`); the batch process writes them to
``parts/`` (:func:`write_parts`), and :mod:`extractor.export.writer` reads them back to build
the combined tables by copying bytes, never by rendering every note again. The per-document
JSON is the note's record; the parts hold the same rows as the combined files and only the
batch reads them, so they are kept gzip-compressed (about a twelfth of the size).
"""

from __future__ import annotations

import gzip
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, cast

from ..models import Document
from .columns import TABLES
from .csvfile import render_csv
from .files import write_atomic
from .items import item_rows
from .records import document_record, fact_record, to_json
from .resolve import Resolution, resolve
from .rows import Row, check_rows, document_row, fact_rows, unparsed_rows, value_rows
from .summary import summary_row

REVIEW = "review"
PARTS = "parts"
# The one part kept as plain text: a note's row of documents.csv, a few hundred bytes, whose
# presence the batch checks by name to know that a note's outputs are stored.
PLAIN_PART = "documents.csv"
RAW_PART_NAMES = tuple(f"{name}.raw.csv" for name in TABLES)
# Views of the note's record that a run writes only when asked for (--jsonl, --review); the
# same note renders them alike from its stored JSON (:func:`render_optional`).
JSONL_PART, REVIEW_PART = "facts.jsonl", "review.html"
OPTIONAL_PARTS = (JSONL_PART, REVIEW_PART)
PART_NAMES = (*(f"{name}.csv" for name in TABLES), *RAW_PART_NAMES, JSONL_PART)
# Level 3 compresses these rows as fast as level 1 (about 250 MB/s) and a little smaller.
_LEVEL = 3


def document_json(document: Document) -> str:
    """The whole Document as compact JSON: no indentation, which took a quarter of the bytes
    (``python -m json.tool`` shows it indented), and no defaults (:mod:`.records`)."""
    return to_json(document_record(document)) + "\n"


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
    """The facts as compact JSON, each as in the note's record (:mod:`.records`) between its
    document's context and its resolution marks."""
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
            **fact_record(fact),
            "concept": row["concept"],
            "resolved": row["resolved"],
        }
        lines.append(to_json(record))
    return "".join(line + "\n" for line in lines)


def render_parts(document: Document, optional: Collection[str] = ()) -> dict[str, str]:
    """One document's part of every combined file, as text; done in the worker, so the
    process that writes the batch's files only writes.

    Per table: ``<table>.csv`` (Excel-safe) and ``<table>.raw.csv`` (as it is, only when some
    cell had to be escaped; Parquet reads the raw version); and those of ``optional``
    (:data:`OPTIONAL_PARTS`) asked for: ``facts.jsonl``, ``review.html``."""
    resolutions = resolve(document)
    rows = rows_by_table(document, resolutions)
    parts: dict[str, str] = {}
    for name, table in TABLES.items():
        safe, raw = render_csv(table, rows[name])
        parts[f"{name}.csv"] = safe
        if raw is not None:
            parts[f"{name}.raw.csv"] = raw
    parts.update(_optional(document, optional, resolutions, rows["facts"]))
    return parts


def render_optional(document: Document, names: Collection[str]) -> dict[str, str]:
    """The optional parts ``names`` of a note, as :func:`render_parts` renders them."""
    resolutions = resolve(document)
    facts = list(fact_rows(document, resolutions)) if JSONL_PART in names else []
    return _optional(document, names, resolutions, facts)


def _optional(
    document: Document, names: Collection[str], resolutions: list[Resolution], facts: list[Row]
) -> dict[str, str]:
    parts: dict[str, str] = {}
    if JSONL_PART in names:
        parts[JSONL_PART] = facts_jsonl(document, facts)
    if REVIEW_PART in names:
        from .review import review_html  # Jinja2 only for a run that writes pages

        parts[REVIEW_PART] = review_html(document, resolutions)
    return parts


def has_part(out: Path, doc: str, name: str) -> bool:
    """Whether the note's part is stored (compressed, or plain from an earlier version)."""
    return part_path(out, doc, name).exists() or _plain_path(out, doc, name).exists()


def part_path(out: Path, doc: str, name: str) -> Path:
    """Where a document's part is kept: ``parts/<doc>.<name>.gz``, ``parts/<doc>.documents.csv``
    as it is, and the review page in ``review/`` (an output in its own right)."""
    if name == REVIEW_PART:
        return out / REVIEW / f"{doc}.html"
    if name == PLAIN_PART:
        return out / PARTS / f"{doc}.{name}"
    return out / PARTS / f"{doc}.{name}.gz"


def _plain_path(out: Path, doc: str, name: str) -> Path:
    # Where an output folder written before the parts were compressed keeps them.
    return out / PARTS / f"{doc}.{name}"


def write_parts(out: Path, doc: str, parts: dict[str, str], *, sync: bool = True) -> None:
    """A document's rendered parts (atomic each); the parts it does not have are removed (a
    ``.raw.csv`` no longer needed, an optional part not asked for), so none is stale."""
    for name in (*RAW_PART_NAMES, *OPTIONAL_PARTS):  # by name: a glob reads the whole folder
        if name not in parts:
            _unlink(out, doc, name)
    for name, text in parts.items():
        write_part(out, doc, name, text, sync=sync)


def write_part(out: Path, doc: str, name: str, text: str, *, sync: bool = True) -> None:
    data = text.encode("utf-8")
    path = part_path(out, doc, name)
    if path.suffix == ".gz":
        # mtime=0: the same rows give the same bytes
        data = gzip.compress(data, compresslevel=_LEVEL, mtime=0)
        _plain_path(out, doc, name).unlink(missing_ok=True)
    write_atomic(path, data, sync=sync)


def remove_parts(out: Path, doc: str) -> None:
    # By name, not by glob: a glob reads the whole parts folder (a million files) each time.
    for name in PART_NAMES:
        _unlink(out, doc, name)
    (out / REVIEW / f"{doc}.html").unlink(missing_ok=True)


def _unlink(out: Path, doc: str, name: str) -> None:
    part_path(out, doc, name).unlink(missing_ok=True)
    _plain_path(out, doc, name).unlink(missing_ok=True)


@contextmanager
def open_part(out: Path, doc: str, name: str, *, raw: bool = False) -> Iterator[IO[bytes] | None]:
    """A document's part as a binary stream of its text, or None when the note has no such
    part. ``raw``: a table's part as it is, not Excel-safe (its ``.raw.csv``, or the same
    part when no cell needed escaping). A part written uncompressed by an earlier version is
    read as it is."""
    stream = _open(out, doc, name.replace(".csv", ".raw.csv")) if raw else None
    if stream is None:
        stream = _open(out, doc, name)
    try:
        yield stream
    finally:
        if stream is not None:
            stream.close()


def _open(out: Path, doc: str, name: str) -> IO[bytes] | None:
    path = part_path(out, doc, name)
    try:
        if path.suffix == ".gz":
            return cast(IO[bytes], gzip.open(path, "rb"))
        return path.open("rb")
    except FileNotFoundError:
        pass
    try:
        return _plain_path(out, doc, name).open("rb")
    except FileNotFoundError:
        return None
