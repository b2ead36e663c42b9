"""CSV text of typed rows, safe to open in a spreadsheet.

A text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would be
read by Excel (and LibreOffice, Google Sheets) as a formula: a note's text could then run
one. Such a cell is written with a leading apostrophe (``'=HYPERLINK(…)``), which
spreadsheets show as text and do not evaluate (OWASP, "CSV Injection"). Numbers, booleans
and the empty cell are never escaped; ``excel_safe=False`` writes every cell as it is.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from decimal import Decimal

from .columns import Table
from .rows import Cell, Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(FORMULA_STARTS)


def cell_text(value: Cell) -> str:
    if type(value) is str:
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def excel_safe_text(text: str) -> str:
    """The text as a spreadsheet shows it and never evaluates it."""
    return "'" + text if text[:1] in _FORMULA_FIRST else text


def _cells(table: Table, row: Row) -> list[str]:
    if row.keys() != table.name_set:
        raise ValueError(
            f"{table.name}: row columns differ from the table's: "
            f"missing {sorted(table.name_set - row.keys())}, extra {sorted(row.keys() - table.name_set)}"
        )
    return [cell_text(row[name]) for name in table.names]


def _escaped(table: Table, cells: list[str]) -> list[str]:
    escaped = cells
    for index in table.text_indexes:
        text = cells[index]
        if text[:1] in _FORMULA_FIRST:
            if escaped is cells:
                escaped = list(cells)
            escaped[index] = "'" + text
    return escaped


def render_csv(table: Table, rows: Iterable[Row]) -> tuple[str, str | None]:
    """The rows (no header) Excel-safe, and as they are when that differs (else None); CRLF
    line ends as RFC 4180 and Excel expect."""
    safe, raw = io.StringIO(), io.StringIO()
    safe_writer = csv.writer(safe, lineterminator="\r\n")
    raw_rows: list[list[str]] = []
    differs = False
    for row in rows:
        cells = _cells(table, row)
        escaped = _escaped(table, cells)
        safe_writer.writerow(escaped)
        raw_rows.append(cells)
        differs = differs or escaped is not cells
    if not differs:
        return safe.getvalue(), None
    csv.writer(raw, lineterminator="\r\n").writerows(raw_rows)
    return safe.getvalue(), raw.getvalue()


def csv_text(table: Table, rows: Iterable[Row], *, excel_safe: bool = True) -> str:
    """The rows (no header), Excel-safe unless asked otherwise."""
    safe, raw = render_csv(table, rows)
    return safe if excel_safe or raw is None else raw


def header_text(table: Table) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(table.names)
    return buffer.getvalue()
