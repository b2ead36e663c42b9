"""DOCX tables: a table's rows and cells on Word's column grid (spans, vertical merges, rows
deleted by tracked changes), and whether a table holds figures or only lays out the page.

How a cell's own text is read is the body reader's job; it is passed in as ``cell_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .docx_names import TBL, TC, TR, W, children

# Word's gridSpan is at most the 63 columns a table can have; more is a damaged file.
_MAX_SPAN = 64


def grid_rows(table: Any, on_deleted: Callable[[Any], None]) -> Iterator[list[Any]]:
    """The table's rows as lists of cell elements (rows and cells may sit in content
    controls); a row deleted by tracked changes goes to ``on_deleted`` and is left out."""
    for row in children(table, TR):
        if row.find(f"{W}trPr/{W}del") is not None:
            on_deleted(row)
            continue
        yield list(children(row, TC))


def cell_values(
    rows: Iterable[list[Any]], cell_text: Callable[[Any], str]
) -> list[list[str | None]]:
    """One value per grid column: the cell's text, or None in the columns a cell spans
    beyond its first and in a cell that continues a vertical merge. Every cell is read, a
    merged one too, so that what it leaves out is counted."""
    values: list[list[str | None]] = []
    for row in rows:
        cells: list[str | None] = []
        for cell in row:
            text = cell_text(cell)
            span = _grid_span(cell.find(f"{W}tcPr/{W}gridSpan"))
            merged_down = cell.find(f"{W}tcPr/{W}vMerge")
            continued = merged_down is not None and merged_down.get(f"{W}val") != "restart"
            cells.append(None if continued else text)
            cells.extend([None] * (span - 1))
        values.append(cells)
    return values


def is_layout(rows: list[list[Any]]) -> bool:
    """A table that lays out the page rather than holding figures: a single cell, a single
    column, or cells holding other tables."""
    cells = [cell for row in rows for cell in row]
    if not cells:
        return False
    if all(len(row) <= 1 for row in rows):
        return True
    return any(next(cell.iter(TBL), None) is not None for cell in cells)


def _grid_span(node: Any) -> int:
    """Columns a cell spans; a missing, malformed or absurd value counts as one (a damaged
    file must not allocate a billion cells)."""
    if node is None:
        return 1
    value = node.get(f"{W}val", "1")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= _MAX_SPAN:
        return 1
    return int(value)
