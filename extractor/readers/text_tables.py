"""Tables flattened into text, as stored web pages give them.

Two shapes are read, and only below a title line that ends in 表 (the caption the table
recogniser needs), so a page's metadata strip (``索引号: | … |``) stays text:

- one row a line, cells between ``|`` (``合计 | 37,188.34 | 21,968.00 |``), Markdown's
  ``---|---`` rule lines skipped;
- one cell a line, each closed by ``|`` (``一、财政拨款收入 |`` / ``1 |`` / ``4699769 |``), a line
  of pipes only being that many empty cells. The row breaks are lost there; rows are rebuilt
  from their name cells (a cell with words starts a row), and the table is kept only if every
  row is as wide as the header's first side (项目 | 行次 | 决算数): precision first.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

from .base import Line, TableBlock

_TITLE = regex.compile(r"表\s*(?:[(（][^()（）]{1,12}[)）])?\s*$")
_RULE = regex.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_LINE = regex.compile(r"^(?P<text>[^|]*?)\s*\|\s*$")
_PIPES = regex.compile(r"^\s*\|+\s*$")
_NUMBER = regex.compile(r"^-?[\d,]+(?:\.\d+)?$")
_HAN = regex.compile(r"\p{Han}")
# The head of the row-name column (项目, 项目名称, 科目名称, 项目(按功能分类) …).
_STUB_HEAD = regex.compile(
    r"^(?:项目|科目|功能分类科目|经济分类科目)(?:名称|编码)?(?:[(（].{1,8}[)）])?$"
)
# Under the header, before the first figure: column numbers (栏次 | 1 | 2 …).
_COLUMN_NUMBERS = regex.compile(r"^栏次$")
_CAPTION_LINES = 4
_MIN_CELL_LINES = 6


@dataclass
class _Run:
    start: int
    end: int  # exclusive
    rows: list[list[str | None]]


def find_text_tables(lines: list[Line]) -> tuple[list[Line], list[TableBlock]]:
    """The flattened tables among ``lines``, and the lines with those inside a table marked."""
    runs: list[_Run] = []
    index = 0
    while index < len(lines):
        run = _pipe_rows(lines, index) or _cell_lines(lines, index)
        if run is None or not _has_title_above(lines, run.start):
            index += 1
            continue
        runs.append(run)
        index = run.end
    if not runs:
        return lines, []
    inside = {i for run in runs for i in range(run.start, run.end)}
    marked = [
        Line(line.text, line.page, line.paragraph, line.continues, True) if i in inside else line
        for i, line in enumerate(lines)
    ]
    blocks = [
        TableBlock(
            rows=run.rows,
            page=lines[run.start].page,
            first_line=run.start,
            caption=[line.text for line in _caption(lines, run.start)],
        )
        for run in runs
    ]
    return marked, blocks


def _caption(lines: list[Line], start: int) -> list[Line]:
    above = [line for line in lines[max(0, start - _CAPTION_LINES) : start] if line.text.strip()]
    return above[-_CAPTION_LINES:]


def _has_title_above(lines: list[Line], start: int) -> bool:
    return any(_TITLE.search(regex.sub(r"\s+", "", line.text)) for line in _caption(lines, start))


# --- one row a line -------------------------------------------------------------------------


def _pipe_cells(text: str) -> list[str] | None:
    if text.count("|") < 2 or _PIPES.match(text):
        return None
    cells = [cell.strip() for cell in text.strip().split("|")]
    return cells if sum(1 for cell in cells if cell) >= 2 else None


def _without_borders(rows: list[list[str]]) -> list[list[str]]:
    """Drop the empty first or last cell that a | at both ends of every row makes."""
    if all(row and not row[0] for row in rows):
        rows = [row[1:] for row in rows]
    if all(row and not row[-1] for row in rows):
        rows = [row[:-1] for row in rows]
    return rows


def _pipe_rows(lines: list[Line], start: int) -> _Run | None:
    rows: list[list[str]] = []
    index = start
    while index < len(lines):
        text = lines[index].text
        if _RULE.match(text) and rows:
            index += 1
            continue
        cells = _pipe_cells(text)
        if cells is None:
            break
        rows.append(cells)
        index += 1
    if len(rows) < 2:
        return None
    rows = _without_borders(rows)
    width = max(len(row) for row in rows)
    padded: list[list[str | None]] = [[*row, *[""] * (width - len(row))] for row in rows]
    return _Run(start, index, _spans_in_header(padded))


def _spans_in_header(rows: list[list[str | None]]) -> list[list[str | None]]:
    """Above the first row of figures an empty cell is most likely covered by a merged cell
    to its left (the page had colspan): None, as the other readers mark merged cells."""
    figures = next(
        (i for i, row in enumerate(rows) if any(_NUMBER.match(c or "") for c in row)), len(rows)
    )
    return [[c or None for c in row] for row in rows[:figures]] + rows[figures:]


# --- one cell a line ------------------------------------------------------------------------


def _line_cells(text: str) -> list[str] | None:
    if _PIPES.match(text):
        return [""] * text.count("|")
    found = _CELL_LINE.match(text)
    return [found.group("text").strip()] if found else None


def _cell_lines(lines: list[Line], start: int) -> _Run | None:
    cells: list[str] = []
    index = start
    while index < len(lines):
        more = _line_cells(lines[index].text)
        if more is None:
            break
        cells.extend(more)
        index += 1
    if index - start < _MIN_CELL_LINES:
        return None
    rows = _rows_from_cells(cells)
    return _Run(start, index, rows) if rows else None


def _is_name(cell: str) -> bool:
    return bool(cell) and not _NUMBER.match(cell) and bool(_HAN.search(cell))


def _rows_from_cells(cells: list[str]) -> list[list[str | None]] | None:
    """Header and rows of a table whose cells came one a line; None when unclear."""
    first_figure = next((i for i, cell in enumerate(cells) if _NUMBER.match(cell)), None)
    heads = [i for i, cell in enumerate(cells) if _STUB_HEAD.match(cell)]
    if first_figure is None or not heads or heads[0] > first_figure:
        return None
    head = heads[0]
    header: list[str] = [cells[head]]
    for cell in cells[head + 1 :]:
        if not cell or _STUB_HEAD.match(cell) or _COLUMN_NUMBERS.match(cell) or _NUMBER.match(cell):
            break
        header.append(cell)
    width = len(header)
    labels = set(header)
    body_start = next(
        (
            i
            for i in range(head + width, len(cells))
            if _is_name(cells[i])
            and not _STUB_HEAD.match(cells[i])
            and not _COLUMN_NUMBERS.match(cells[i])
            and cells[i] not in labels
        ),
        None,
    )
    if width < 2 or body_start is None:
        return None
    rows: list[list[str | None]] = []
    for cell in cells[body_start:]:
        if _is_name(cell) or not rows:
            rows.append([cell])
        else:
            rows[-1].append(cell)
    if rows and len(rows[-1]) < width:
        rows.pop()  # the stored page ends inside the last row
    if not rows or any(len(row) != width for row in rows):
        return None
    return [list(header), *rows]
