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


def cell_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def excel_safe_text(text: str) -> str:
    """The text as a spreadsheet shows it and never evaluates it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def row_cells(table: Table, row: Row, *, excel_safe: bool) -> list[str]:
    if set(row) != set(table.names):
        raise ValueError(
            f"{table.name}: row columns differ from the table's: "
            f"missing {sorted(set(table.names) - set(row))}, extra {sorted(set(row) - set(table.names))}"
        )
    cells = []
    for column in table.columns:
        text = cell_text(row[column.name])
        cells.append(excel_safe_text(text) if excel_safe and column.type == "string" else text)
    return cells


def csv_text(table: Table, rows: Iterable[Row], *, excel_safe: bool = True) -> str:
    """The rows (no header), CRLF line ends as RFC 4180 and Excel expect."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row_cells(table, row, excel_safe=excel_safe))
    return buffer.getvalue()


def header_text(table: Table) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(table.names)
    return buffer.getvalue()
