"""Table blocks from a reader → tables: put together again where they run over pages, their
title and unit read, split into header and body, columns labelled from the header cells."""

from __future__ import annotations

from dataclasses import dataclass, field

import regex

from ..readers.base import TableBlock
from ..rules import RuleSet, TableKind
from .codes import normalise_code

NUMBER = regex.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
CODE_PART = regex.compile(r"^\d{2,3}$|^\d{5}$|^\d{7}$|^\d{1,2}$")
SPACES = regex.compile(r"\s+")


@dataclass
class Row:
    cells: list[str | None]
    page: int | None


@dataclass
class Table:
    title: str
    kind: TableKind | None
    unit: str | None
    rows: list[Row]
    pages: list[int]
    first_line: int
    header: list[Row] = field(default_factory=list)
    body: list[Row] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)


# --- assembling tables ---------------------------------------------------------------------


def _clean(cell: str | None, rules: RuleSet) -> str | None:
    if cell is None:
        return None
    return SPACES.sub("", rules.text.fold(cell))


def assemble(blocks: list[TableBlock], ruleset: RuleSet) -> list[Table]:
    """Blocks → tables: a block without a title of its own continues the table before it."""
    rules = ruleset.tables
    tables: list[Table] = []
    for block in blocks:
        rows = [Row([_clean(c, ruleset) for c in row], block.page) for row in block.rows]
        title, unit, rows = _title_and_unit(block.caption, rows, ruleset)
        previous = tables[-1] if tables else None
        continues = (
            previous is not None
            and not title
            and previous.rows
            and len(previous.rows[0].cells) == len(rows[0].cells if rows else [])
        )
        if continues and previous is not None:
            previous.rows.extend(_without_repeated_header(previous.rows, rows))
            if block.page is not None and block.page not in previous.pages:
                previous.pages.append(block.page)
            continue
        kind = next((k for k in rules.kinds if title and k.title.search(title)), None)
        tables.append(
            Table(
                title=title or "",
                kind=kind,
                unit=unit,
                rows=rows,
                pages=[block.page] if block.page is not None else [],
                first_line=block.first_line,
            )
        )
    return tables


def _title_and_unit(
    caption: list[str], rows: list[Row], ruleset: RuleSet
) -> tuple[str | None, str | None, list[Row]]:
    rules = ruleset.tables
    title = unit = None
    lines = [ruleset.text.fold(line) for line in caption]
    # Some tables carry their title and unit inside the grid, above the header.
    while (
        rows
        and sum(1 for c in rows[0].cells if c) <= 2
        and not any(is_number(c) for c in rows[0].cells)
    ):
        text = "".join(c for c in rows[0].cells if c)
        if not text or rules.title_line.search(text) or rules.unit.search(text) or "编制" in text:
            lines.append(text)
            rows = rows[1:]
            continue
        break
    for line in [*lines, "".join(lines)]:  # the last: a unit broken over two lines
        found = rules.unit.search(SPACES.sub("", line))
        if found:
            unit = SPACES.sub("", found.group("unit"))
            break
    for index in range(len(lines) - 1, -1, -1):
        candidate = SPACES.sub("", lines[index])
        if rules.title_line.search(candidate):
            title = _whole_title(lines[:index], candidate)
            break
    if title is None:
        joined = SPACES.sub("", "".join(lines))
        match = regex.search(r"[^\d]*?表(?=单位|$)", joined)
        if match and any(k.title.search(match.group()) for k in rules.kinds):
            title = match.group()
    return title, unit, rows


_TITLE_TAIL = 8  # a line this short that ends a title may be the end of a longer one
_NOT_A_TITLE_START = regex.compile(r"(?:表|[)）])$|[。；;]|单位|部门[:：]|部门名称|^\d+$")


def _whole_title(before: list[str], title: str) -> str:
    """A title broken over two lines (公开09表：…会议费、培训费 / 支出预算表) joined again."""
    if not before or len(title) > _TITLE_TAIL:
        return title
    previous = SPACES.sub("", before[-1])
    if not previous or _NOT_A_TITLE_START.search(previous) or len(previous) > 40:
        return title
    return previous + title


def _without_repeated_header(rows: list[Row], more: list[Row]) -> list[Row]:
    """Drop header rows a continuation page repeats."""
    header = [row.cells for row in rows[:6]]
    index = 0
    while index < len(more) and more[index].cells in header and not _has_data(more[index]):
        index += 1
    return more[index:]


def is_number(cell: str | None) -> bool:
    return bool(cell) and bool(NUMBER.match(cell or ""))


def _has_data(row: Row) -> bool:
    return any(is_number(cell) for cell in row.cells) or code_of(row) is not None


def split_header(table: Table) -> None:
    """Header rows are the leading rows without figures or codes."""
    index = 0
    while index < len(table.rows) and not _has_data(table.rows[index]):
        index += 1
    table.header, table.body = table.rows[:index], table.rows[index:]
    table.labels = _column_labels(table.header, len(table.rows[0].cells) if table.rows else 0)


def _column_labels(header: list[Row], width: int) -> list[str]:
    """Join header cells top-down. A cell merged across columns (None to its right) names
    every column it spans, but only among columns under the same parent."""
    grid: list[list[str]] = []
    for row_number, row in enumerate(header):
        cells = list(row.cells) + [None] * (width - len(row.cells))
        filled: list[str] = []
        for column, cell in enumerate(cells[:width]):
            if cell is None and column > 0:
                same_parent = row_number == 0 or grid[-1][column] == grid[-1][column - 1]
                filled.append(filled[column - 1] if same_parent else "")
            else:
                filled.append(cell or "")
        grid.append(filled)
    labels = []
    for column in range(width):
        parts: list[str] = []
        for grid_row in grid:
            if grid_row[column] and (not parts or parts[-1] != grid_row[column]):
                parts.append(grid_row[column])
        labels.append("/".join(parts))
    return labels


def code_of(row: Row, columns: list[int] | None = None) -> str | None:
    cells = [row.cells[i] for i in columns] if columns is not None else row.cells[:3]
    parts = [c for c in cells if c]
    if not parts or not all(CODE_PART.match(p) for p in parts):
        return None
    if len(parts) == 1 and len(parts[0]) in (3, 5, 7):
        return normalise_code(parts[0])
    if len(parts[0]) != 3:
        return None
    return normalise_code(parts[0] + "".join(p.zfill(2) for p in parts[1:]))
