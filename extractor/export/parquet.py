"""Parquet tables with real types, written from the per-document records.

Each worker renders its note's rows of every table once, as the CSV part the batch also
concatenates into the combined CSV (``parts/<doc>.<table>.csv.gz``, or ``.raw.csv.gz`` when
some text cell had to be escaped for spreadsheets). The Parquet writer reads those parts one
row at a time with Python's CSV reader (quoted newlines and all) and types each cell by the
column registry — never by re-reading the combined CSV or guessing — then streams them into
one Parquet file per table with a fixed Arrow schema, a row group every ``BATCH_ROWS`` rows,
so memory does not grow with the batch. Numbers are ``decimal128(38, 6)`` (exact to 0.01 元,
since amounts are in 万元), integers ``int64``, booleans ``bool``, codes and the rest text; an
empty cell is null. A number with more than 32 digits before the point (no budget has one)
is null; the CSV keeps it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from .columns import Column, Table

BATCH_ROWS = 50_000
SCALE = 6
PRECISION = 38
_QUANTUM = Decimal(1).scaleb(-SCALE)
_LIMIT = Decimal(10) ** (PRECISION - SCALE)


def _pyarrow() -> Any:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # optional dependency
        raise RuntimeError("--parquet needs pyarrow: pip install 'budget-notes[parquet]'") from exc
    return pa, pq


def arrow_schema(table: Table) -> Any:
    pa, _ = _pyarrow()
    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "number": pa.decimal128(PRECISION, SCALE),
        "boolean": pa.bool_(),
    }
    return pa.schema(
        [
            pa.field(c.name, types[c.type], nullable=True, metadata={"description": c.description})
            for c in table.columns
        ],
        metadata={"table": table.name, "description": table.description},
    )


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text).quantize(_QUANTUM, rounding=ROUND_HALF_EVEN)
    except InvalidOperation:
        return None
    return value if abs(value) < _LIMIT else None


def _convert(column: Column, text: str) -> Any:
    if text == "":
        return None
    if column.type == "number":
        return _decimal(text)
    if column.type == "integer":
        return int(text)
    if column.type == "boolean":
        return text == "true"
    return text


def write_parquet(table: Table, rows: Iterable[list[str]], target: Path) -> None:
    """Stream the rows (a table's CSV parts, read one row at a time) into ``target`` (a
    temporary file renamed into place)."""
    pa, pq = _pyarrow()
    schema = arrow_schema(table)
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}.", suffix=".tmp", dir=target.parent
    )
    os.close(handle)
    names = table.names
    try:
        with pq.ParquetWriter(temporary, schema) as writer:
            columns: list[list[Any]] = [[] for _ in names]
            count, written = 0, False
            for record in rows:
                for index, column in enumerate(table.columns):
                    columns[index].append(_convert(column, record[index]))
                count += 1
                if count == BATCH_ROWS:
                    writer.write_table(
                        pa.Table.from_pydict(dict(zip(names, columns, strict=True)), schema)
                    )
                    columns, count, written = [[] for _ in names], 0, True
            if count or not written:  # an empty table still shows its columns
                writer.write_table(
                    pa.Table.from_pydict(dict(zip(names, columns, strict=True)), schema)
                )
        Path(temporary).replace(target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
