"""Standard tables → facts, with table name, row, column and page.

Tables come from the readers as rows of cells. Here they are put together again where they
run over pages, recognised by title (``patterns/tables.yaml``), split into header and body,
their columns labelled from the (possibly merged) header cells, and every filled number cell
becomes a fact: coded rows give 类/款/项 facts, named rows (two-sided summary tables, 合计
rows) give totals and income sources, the 三公 table gives the 三公 parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import regex

from .amounts import make_amount
from .classification import Codebook, Entry, name_key
from .extract import Locator, normalise_code
from .models import Fact, Provenance, TableRef, TableSummary
from .normalize import NormalisedText, fold_text
from .patterns import load_patterns, load_yaml
from .readers.base import TableBlock

_NUMBER = regex.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE_PART = regex.compile(r"^\d{2,3}$|^\d{5}$|^\d{7}$|^\d{1,2}$")
_ORDINAL = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|\d{1,2}\s*[、.．]|\(\d+\)|（\d+）)\s*"
)
_SPACES = regex.compile(r"\s+")
_HAN = regex.compile(r"\p{Han}")


@dataclass(frozen=True)
class TableKind:
    id: str
    label: str
    title: regex.Pattern[str]
    standard: bool
    # "economic" for a table that lists its rows by 经济分类 (基本支出, 机关运行经费 …)
    classification: str | None = None
    # rows are named only by row_names (no income or 类 look-up of free text: 政府采购)
    row_names_only: bool = False


@dataclass(frozen=True)
class _Rules:
    kinds: list[TableKind]
    title_line: regex.Pattern[str]
    unit: regex.Pattern[str]
    measures: list[tuple[str, regex.Pattern[str]]]
    row_names: list[tuple[str, regex.Pattern[str]]]
    total_rows: dict[str, dict[str, str]]
    sangong_columns: list[tuple[str, regex.Pattern[str]]]
    sangong_wider_total: regex.Pattern[str]
    sangong_beside: frozenset[str]
    code_schemes: list[tuple[str, regex.Pattern[str]]]
    skip_columns: regex.Pattern[str]


@cache
def _rules() -> _Rules:
    data = load_yaml("tables.yaml")
    wider = data["sangong_wider_total"]
    return _Rules(
        kinds=[
            TableKind(
                t["id"],
                t["label"],
                regex.compile(t["title"]),
                bool(t["standard"]),
                t.get("classification"),
                bool(t.get("row_names_only", False)),
            )
            for t in data["tables"]
        ],
        title_line=regex.compile(data["title_line"]),
        unit=regex.compile(data["unit"]),
        measures=[(name, regex.compile(rx)) for name, rx in data["measures"].items()],
        row_names=[(name, regex.compile(rx)) for name, rx in data["row_names"].items()],
        total_rows=data["total_rows"],
        sangong_columns=[(name, regex.compile(rx)) for name, rx in data["sangong_columns"].items()],
        sangong_wider_total=regex.compile(wider["label"]),
        sangong_beside=frozenset(wider["beside"]),
        code_schemes=[(name, regex.compile(rx)) for name, rx in data["code_schemes"].items()],
        skip_columns=regex.compile(data["skip_columns"]),
    )


def _kind(kind_id: str | None) -> TableKind | None:
    return next((k for k in _rules().kinds if k.id == kind_id), None)


def code_scheme(code: str) -> str | None:
    """'function' (功能分类, 2xx) or 'economic' (经济分类, 3xx/5xx) by the code's first digit."""
    return next((name for name, rx in _rules().code_schemes if rx.search(code)), None)


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


@dataclass
class TableExtraction:
    facts: list[Fact] = field(default_factory=list)
    summaries: list[TableSummary] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    codebook: Codebook = field(default_factory=Codebook)


def extract_tables(
    normalised: NormalisedText, locator: Locator, year: int | None
) -> TableExtraction:
    result = TableExtraction()
    tables = assemble(normalised.tables)
    seen_kinds: set[str] = set()
    for number, table in enumerate(tables):
        split_header(table)
        facts = list(_table_facts(table, number, locator))
        result.facts.extend(facts)
        if table.kind:
            seen_kinds.add(table.kind.id)
        result.summaries.append(
            TableSummary(
                title=table.title,
                kind=table.kind.id if table.kind else None,
                pages=table.pages,
                unit=table.unit,
                rows=len(table.body),
                facts=len(facts),
            )
        )
        _add_codes(result.codebook, table, year)
    if tables:
        result.missing = [k.id for k in _rules().kinds if k.standard and k.id not in seen_kinds]
    return result


# --- assembling tables ---------------------------------------------------------------------


def _clean(cell: str | None) -> str | None:
    if cell is None:
        return None
    return _SPACES.sub("", fold_text(cell))


def assemble(blocks: list[TableBlock]) -> list[Table]:
    """Blocks → tables: a block without a title of its own continues the table before it."""
    rules = _rules()
    tables: list[Table] = []
    for block in blocks:
        rows = [Row([_clean(c) for c in row], block.page) for row in block.rows]
        title, unit, rows = _title_and_unit(block.caption, rows)
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
    caption: list[str], rows: list[Row]
) -> tuple[str | None, str | None, list[Row]]:
    rules = _rules()
    title = unit = None
    lines = [fold_text(line) for line in caption]
    # Some tables carry their title and unit inside the grid, above the header.
    while (
        rows
        and sum(1 for c in rows[0].cells if c) <= 2
        and not any(_is_number(c) for c in rows[0].cells)
    ):
        text = "".join(c for c in rows[0].cells if c)
        if not text or rules.title_line.search(text) or rules.unit.search(text) or "编制" in text:
            lines.append(text)
            rows = rows[1:]
            continue
        break
    for line in [*lines, "".join(lines)]:  # the last: a unit broken over two lines
        found = rules.unit.search(_SPACES.sub("", line))
        if found:
            unit = _SPACES.sub("", found.group("unit"))
            break
    for index in range(len(lines) - 1, -1, -1):
        candidate = _SPACES.sub("", lines[index])
        if rules.title_line.search(candidate):
            title = _whole_title(lines[:index], candidate)
            break
    if title is None:
        joined = _SPACES.sub("", "".join(lines))
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
    previous = _SPACES.sub("", before[-1])
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


def _is_number(cell: str | None) -> bool:
    return bool(cell) and bool(_NUMBER.match(cell or ""))


def _has_data(row: Row) -> bool:
    return any(_is_number(cell) for cell in row.cells) or _code_of(row) is not None


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


# --- rows and columns → facts ----------------------------------------------------------------


@dataclass
class _Segment:
    """One side of a table: label columns (codes, then names) then value columns."""

    code_columns: list[int]
    name_columns: list[int]
    value_columns: list[int]


def _segments(table: Table) -> list[_Segment]:
    width = len(table.labels)
    numeric = [0] * width
    texty = [0] * width
    codes = [0] * width
    for row in table.body:
        for column, cell in enumerate(row.cells[:width]):
            if not cell:
                continue
            if _CODE_PART.match(cell) and not _is_number_like_amount(cell, table, column):
                codes[column] += 1
            elif _is_number(cell):
                numeric[column] += 1
            elif _HAN.search(cell):
                texty[column] += 1
    segments: list[_Segment] = []
    current: _Segment | None = None
    for column in range(width):
        label = table.labels[column]
        if _rules().skip_columns.search(label.split("/")[-1]):
            continue
        is_value = (
            numeric[column] > 0
            and numeric[column] >= codes[column]
            and texty[column] <= numeric[column]
        )
        if (
            "名称" in label
            or label.split("/")[-1] == "项目"
            or (texty[column] and not is_value and not codes[column])
        ):
            # Name columns side by side (一般公共预算资金 | 小计) name one row together.
            if current is None or current.value_columns:
                current = _Segment([], [], [])
                segments.append(current)
            current.name_columns.append(column)
        elif codes[column] and not is_value:
            if current is None or current.value_columns:
                current = _Segment([], [], [])
                segments.append(current)
            current.code_columns.append(column)
        elif is_value or _measure(label) is not None:
            if current is None:
                current = _Segment([], [], [])
                segments.append(current)
            current.value_columns.append(column)
    return [s for s in segments if s.value_columns]


def _row_name(row: Row, segment: _Segment) -> str | None:
    """The most specific name a row states in its name columns; a 小计 row is the subtotal of
    the group named to its left (一般公共预算资金 | 小计)."""
    names = [c for i in segment.name_columns if i < len(row.cells) and (c := row.cells[i])]
    if not names and segment.name_columns:
        return _spanning_name(row, segment.name_columns[0])
    if not names:
        return None
    if len(names) > 1 and _ORDINAL.sub("", names[-1]) in _SUBTOTALS:
        return names[-2]
    return names[-1]


_SUBTOTALS = ("小计", "合计")


def _spanning_name(row: Row, column: int) -> str | None:
    """The name in a cell merged across this name column from the left (None cells are
    covered by a merged cell): 收入合计 | 37,188.34 | 支出合计 ⟶ ⟶ | 37,188.34."""
    if column >= len(row.cells) or row.cells[column] is not None:
        return None
    while column > 0 and row.cells[column] is None:
        column -= 1
    cell = row.cells[column]
    return cell if cell and not _is_number(cell) and _HAN.search(cell) else None


def _is_number_like_amount(cell: str, table: Table, column: int) -> bool:
    """'201' in a code column is a code; in a value column of a table in 万元 it is money."""
    label = table.labels[column] if column < len(table.labels) else ""
    return _measure(label) is not None and "编码" not in label and label not in ("类", "款", "项")


def _measure(label: str) -> str | None:
    last = label.split("/")[-1] if label else ""
    for name, pattern in _rules().measures:
        if pattern.search(last) or (name in ("budget", "final") and pattern.search(label)):
            return name
    return None


def _code_of(row: Row, columns: list[int] | None = None) -> str | None:
    cells = [row.cells[i] for i in columns] if columns is not None else row.cells[:3]
    parts = [c for c in cells if c]
    if not parts or not all(_CODE_PART.match(p) for p in parts):
        return None
    if len(parts) == 1 and len(parts[0]) in (3, 5, 7):
        return normalise_code(parts[0])
    if len(parts[0]) != 3:
        return None
    return normalise_code(parts[0] + "".join(p.zfill(2) for p in parts[1:]))


def _table_facts(table: Table, number: int, locator: Locator):  # type: ignore[no-untyped-def]
    if not table.body:
        return
    unit = table.unit or "万元"
    kind = table.kind.id if table.kind else None
    if kind == "sangong":
        yield from _sangong_facts(table, number, locator, unit)
        return
    for segment in _segments(table):
        for row_number, row in enumerate(table.body):
            target = _segment_row_target(table, segment, row)
            if target is None:
                continue
            for column in segment.value_columns:
                cell = row.cells[column] if column < len(row.cells) else None
                if not _is_number(cell):
                    continue
                measure = _measure(table.labels[column]) or table.labels[column] or "value"
                if kind == "income_summary" and measure == "total":
                    measure = "income"  # income by function: not an expenditure figure
                field_name = _cell_field(kind, target, measure)
                if field_name is None:
                    continue
                yield _make_fact(
                    _Cell(table, number, row_number, row, column, cell or "", unit),
                    field_name,
                    target,
                    measure,
                    locator,
                )


@dataclass
class _Target:
    code: str | None
    name: str | None
    field: str | None  # the row's own field (named rows); None for coded rows
    total_row: bool = False


def _segment_row_target(table: Table, segment: _Segment, row: Row) -> _Target | None:
    code = _code_of(row, segment.code_columns) if segment.code_columns else None
    name = _row_name(row, segment)
    if code is None and name is None and segment.code_columns:
        name = next((c for c in (row.cells[i] for i in segment.code_columns) if c), None)
    unlabelled = not segment.code_columns and not segment.name_columns
    if code is None and name is None and unlabelled and len(table.body) == 1:
        # A table of one row under its column heads (合计 | 基本支出 | 项目支出 …).
        return _Target(code=None, name="合计", field=None, total_row=True)
    return _row_target(table, code, name)


def _row_target(table: Table, code: str | None, name: str | None) -> _Target | None:
    if code is not None:
        return _Target(code=code, name=name, field=None)
    if not name:
        return None
    plain = _ORDINAL.sub("", name)
    if plain in ("合计", "总计") or (plain.startswith("类") and "合计" in plain):
        grand_totals = {
            "income_expenditure_summary": "total.income_expenditure",
            "fiscal_summary": "total.fiscal",
        }
        if plain == "总计" and table.kind and table.kind.id in grand_totals:
            return _Target(code=None, name=plain, field=grand_totals[table.kind.id])
        return _Target(code=None, name=plain, field=None, total_row=True)
    for field_name, pattern in _rules().row_names:
        if pattern.search(plain):
            return _Target(code=None, name=plain, field=field_name)
    if table.kind and table.kind.row_names_only:
        return None
    vocabulary = load_patterns().vocabularies["INCOME_SOURCE"]
    income = vocabulary.lookup(plain)
    if income:
        return _Target(code=None, name=plain, field=income)
    from .classification import function_codebook

    classes = function_codebook().find(plain, "类", None, None)
    if classes:
        return _Target(code=classes[0].code, name=plain, field=None)
    return None


def _cell_field(kind: str | None, target: _Target, measure: str) -> str | None:
    if target.field:
        return target.field
    if target.total_row:
        return _rules().total_rows.get(kind or "", {}).get(measure)
    if target.code:
        return _code_field(kind, target.code)
    return None


def _code_field(kind: str | None, code: str) -> str | None:
    """经济分类 codes give expenditure.economic, 功能分类 codes their 类 or 类-款-项 field;
    a code of the other scheme than its table lists gives nothing."""
    scheme = code_scheme(code)
    table_kind = _kind(kind)
    if table_kind and table_kind.classification and scheme != table_kind.classification:
        return None
    if scheme == "economic":
        return "expenditure.economic"
    if scheme == "function":
        return "expenditure.class" if len(code) == 3 else "expenditure.item"
    return None


def _sangong_facts(table: Table, number: int, locator: Locator, unit: str):  # type: ignore[no-untyped-def]
    columns = _sangong_column_fields(table.labels)
    for row_number, row in enumerate(table.body):
        for column, cell in enumerate(row.cells):
            if not _is_number(cell) or column not in columns:
                continue
            field_name, measure = columns[column]
            cell_at = _Cell(table, number, row_number, row, column, cell or "", unit)
            yield _make_fact(cell_at, field_name, _Target(None, None, field_name), measure, locator)


def _sangong_column_fields(labels: list[str]) -> dict[int, tuple[str, str]]:
    """Column → (field, measure) of a 三公 table, by the header labels."""
    rules = _rules()
    columns: dict[int, tuple[str, str]] = {}
    wider: list[int] = []
    for column, label in enumerate(labels):
        parts = label.split("/")
        measure = "value"
        if len(parts) > 1 and _measure(parts[-1]) in ("budget", "final"):
            measure = _measure(parts[-1]) or "value"
            parts = parts[:-1]
        base = "/".join(parts)
        field_name = next((name for name, rx in rules.sangong_columns if rx.search(base)), None)
        if field_name is None:
            continue
        if rules.sangong_wider_total.search(base):
            wider.append(column)
        columns[column] = (field_name, measure)
    if any(field_name in rules.sangong_beside for field_name, _ in columns.values()):
        for column in wider:
            del columns[column]
    return columns


@dataclass
class _Cell:
    """Where a figure sits: which table (and its number in the document), row, column."""

    table: Table
    number: int
    row_number: int
    row: Row
    column: int
    text: str
    unit: str


def _make_fact(
    cell: _Cell, field_name: str, target: _Target, measure: str, locator: Locator
) -> Fact:
    table, number, row_number, row, column = (
        cell.table,
        cell.number,
        cell.row_number,
        cell.row,
        cell.column,
    )
    amount = make_amount(cell.text, cell.unit)
    sentence = " | ".join(c for c in row.cells if c)
    char_start, char_end, quote = _locate(locator, row, cell.text)
    code = (
        target.code
        if field_name in ("expenditure.class", "expenditure.item", "expenditure.economic")
        else None
    )
    return Fact(
        id=f"{field_name}@t{number}r{row_number}c{column}",
        field=field_name,
        label=load_patterns().label(field_name),
        name=target.name if code is None else None,
        code=code,
        code_names=[target.name] if code and target.name else [],
        code_source="document_table" if code else None,
        amount=amount,
        measure=measure,
        source="table",
        pattern=f"table.{table.kind.id if table.kind else 'unknown'}",
        provenance=Provenance(
            section_path=[table.title] if table.title else [],
            section_id=f"t{number}",
            sentence=sentence,
            page=row.page,
            char_start=char_start,
            char_end=char_end,
            quote=quote,
            table=TableRef(
                title=table.title,
                kind=table.kind.id if table.kind else None,
                row=row_number,
                column=table.labels[column] if column < len(table.labels) else str(column),
            ),
        ),
    )


def _locate(locator: Locator, row: Row, cell: str) -> tuple[int | None, int | None, str]:
    """Find the cell's characters in the document text on the row's page: on the line that
    holds the row's name, or within the next two lines when the name wrapped in its cell."""
    normalised = locator.normalised
    lines = [
        index
        for index, line in enumerate(normalised.lines)
        if line.page == row.page and line.in_table
    ]
    names = [c[:4] for c in row.cells if c and not _is_number(c)]
    for position, index in enumerate(lines):
        text = _SPACES.sub("", normalised.lines[index].text)
        if names and not any(name in text for name in names):
            continue
        for candidate in lines[position : position + 3]:
            offset = normalised.lines[candidate].text.find(cell)
            if offset >= 0:
                start = normalised.line_starts[candidate] + offset
                return start, start + len(cell), normalised.raw[start : start + len(cell)]
    return None, None, cell


def _add_codes(book: Codebook, table: Table, year: int | None) -> None:
    """Code/name pairs a table states, for resolving the narrative's name-only lines."""
    if table.kind and table.kind.classification == "economic":
        return
    for segment in _segments(table):
        if not segment.code_columns or not segment.name_columns:
            continue
        for row in table.body:
            code = _code_of(row, segment.code_columns)
            name = _row_name(row, segment)
            if not code or not name or code_scheme(code) != "function":
                continue
            level = {3: "类", 6: "款", 9: "项"}.get(len(code))
            if level is None:
                continue
            parent = code[:-3] if len(code) > 3 else None
            if any(e.code == code and name_key(e.name) == name_key(name) for e in book.entries):
                continue
            book.add(Entry("function", code, level, parent, name, (), year, year))
