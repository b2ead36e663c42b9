"""Standard tables → facts, with table name, row, column and page.

Tables come from the readers as rows of cells. Here they are put together again where they
run over pages, recognised by title (``patterns/tables.yaml``), split into header and body,
their columns labelled from the (possibly merged) header cells, and every filled number cell
becomes a fact: coded rows give 类/款/项 facts, named rows (two-sided summary tables, 合计
rows) give totals and income sources, the 三公 table gives the 三公 parts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import regex

from ..fields import FieldName
from ..models import Fact, Provenance, TableRef, TableSummary, table_path
from ..rules import Codebook, Entry, RuleSet
from ..text.amounts import make_amount
from ..text.normalize import NormalisedText
from .table_grid import CODE_PART, SPACES, Row, Table, assemble, code_of, is_number, split_header
from .textview import Locator

_ORDINAL = regex.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.]|\d{1,2}\s*[、.．]|\(\d+\)|（\d+）)\s*"
)
_HAN = regex.compile(r"\p{Han}")


@dataclass
class TableExtraction:
    codebook: Codebook  # the code/name pairs the tables state
    facts: list[Fact] = field(default_factory=list)
    summaries: list[TableSummary] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Reading:
    """What reading a document's tables needs: the rules, and where the text lines are."""

    rules: RuleSet
    locator: Locator
    table_lines: dict[int | None, list[int]]  # page → its table lines, in order
    # line → its text without spaces, made once (each cell of a page looks at every line)
    spaceless: dict[int, str] = field(default_factory=dict)

    def spaceless_line(self, index: int) -> str:
        text = self.spaceless.get(index)
        if text is None:
            text = self.spaceless[index] = SPACES.sub("", self.locator.normalised.lines[index].text)
        return text


def extract_tables(
    normalised: NormalisedText, locator: Locator, year: int | None, rules: RuleSet
) -> TableExtraction:
    result = TableExtraction(codebook=rules.codes.new_book())
    reading = _Reading(rules, locator, _table_lines_by_page(normalised))
    tables = assemble(normalised.tables, rules)
    seen_kinds: set[str] = set()
    for number, table in enumerate(tables):
        split_header(table)
        facts = list(_table_facts(table, number, reading))
        result.facts.extend(facts)
        if table.kind:
            seen_kinds.add(table.kind.id)
        result.summaries.append(
            TableSummary(
                id=f"t{number}",
                title=table.title,
                kind=table.kind.id if table.kind else None,
                pages=table.pages,
                unit=table.unit,
                rows=len(table.body),
                facts=len(facts),
            )
        )
        _add_codes(result.codebook, table, year, rules)
    if tables:
        result.missing = [k.id for k in rules.tables.kinds if k.standard and k.id not in seen_kinds]
    return result


def _table_lines_by_page(normalised: NormalisedText) -> dict[int | None, list[int]]:
    by_page: dict[int | None, list[int]] = {}
    for index, line in enumerate(normalised.lines):
        if line.in_table:
            by_page.setdefault(line.page, []).append(index)
    return by_page


# --- rows and columns → facts ----------------------------------------------------------------


@dataclass
class _Segment:
    """One side of a table: label columns (codes, then names) then value columns."""

    code_columns: list[int]
    name_columns: list[int]
    value_columns: list[int]


def _segments(table: Table, rules: RuleSet) -> list[_Segment]:
    width = len(table.labels)
    numeric = [0] * width
    texty = [0] * width
    codes = [0] * width
    for row in table.body:
        for column, cell in enumerate(row.cells[:width]):
            if not cell:
                continue
            if CODE_PART.match(cell) and not _is_number_like_amount(cell, table, column, rules):
                codes[column] += 1
            elif is_number(cell):
                numeric[column] += 1
            elif _HAN.search(cell):
                texty[column] += 1
    segments: list[_Segment] = []
    current: _Segment | None = None
    for column in range(width):
        label = table.labels[column]
        if rules.tables.skip_columns.search(label.split("/")[-1]):
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
        elif is_value or _measure(label, rules) is not None:
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
    return cell if cell and not is_number(cell) and _HAN.search(cell) else None


def _is_number_like_amount(cell: str, table: Table, column: int, rules: RuleSet) -> bool:
    """'201' in a code column is a code; in a value column of a table in 万元 it is money."""
    label = table.labels[column] if column < len(table.labels) else ""
    return (
        _measure(label, rules) is not None
        and "编码" not in label
        and label not in ("类", "款", "项")
    )


def _measure(label: str, rules: RuleSet) -> str | None:
    last = label.split("/")[-1] if label else ""
    for name, pattern in rules.tables.measures:
        if pattern.search(last) or (name in ("budget", "final") and pattern.search(label)):
            return name
    return None


def _table_facts(table: Table, number: int, reading: _Reading) -> Iterator[Fact]:
    rules = reading.rules
    if not table.body:
        return
    unit = table.unit or "万元"
    kind = table.kind.id if table.kind else None
    if kind == "sangong":
        yield from _sangong_facts(table, number, reading, unit)
        return
    for segment in _segments(table, rules):
        for row_number, row in enumerate(table.body):
            target = _segment_row_target(table, segment, row, rules)
            if target is None:
                continue
            for column in segment.value_columns:
                cell = row.cells[column] if column < len(row.cells) else None
                if not is_number(cell):
                    continue
                measure = _measure(table.labels[column], rules) or table.labels[column] or "value"
                if kind == "income_summary" and measure == "total":
                    measure = "income"  # income by function: not an expenditure figure
                field_name = _cell_field(kind, target, measure, rules)
                if field_name is None:
                    continue
                yield _make_fact(
                    _Cell(table, number, row_number, row, column, cell or "", unit),
                    field_name,
                    target,
                    measure,
                    reading,
                )


@dataclass
class _Target:
    code: str | None
    name: str | None
    field: str | None  # the row's own field (named rows); None for coded rows
    total_row: bool = False


def _segment_row_target(
    table: Table, segment: _Segment, row: Row, rules: RuleSet
) -> _Target | None:
    code = code_of(row, segment.code_columns) if segment.code_columns else None
    name = _row_name(row, segment)
    if code is None and name is None and segment.code_columns:
        name = next((c for c in (row.cells[i] for i in segment.code_columns) if c), None)
    unlabelled = not segment.code_columns and not segment.name_columns
    if code is None and name is None and unlabelled and len(table.body) == 1:
        # A table of one row under its column heads (合计 | 基本支出 | 项目支出 …).
        return _Target(code=None, name="合计", field=None, total_row=True)
    return _row_target(table, code, name, rules)


def _row_target(table: Table, code: str | None, name: str | None, rules: RuleSet) -> _Target | None:
    if code is not None:
        return _Target(code=code, name=name, field=None)
    if not name:
        return None
    plain = _ORDINAL.sub("", name)
    if plain in ("合计", "总计") or (plain.startswith("类") and "合计" in plain):
        grand_totals = {
            "income_expenditure_summary": FieldName.TOTAL_INCOME_EXPENDITURE,
            "fiscal_summary": FieldName.TOTAL_FISCAL,
        }
        if plain == "总计" and table.kind and table.kind.id in grand_totals:
            return _Target(code=None, name=plain, field=grand_totals[table.kind.id])
        return _Target(code=None, name=plain, field=None, total_row=True)
    for field_name, pattern in rules.tables.row_names:
        if pattern.search(plain):
            return _Target(code=None, name=plain, field=field_name)
    if table.kind and table.kind.row_names_only:
        return None
    vocabulary = rules.patterns.vocabularies["INCOME_SOURCE"]
    income = vocabulary.lookup(plain)
    if income:
        return _Target(code=None, name=plain, field=income)
    classes = rules.codes.function.find(plain, "类", None, None)
    if classes:
        return _Target(code=classes[0].code, name=plain, field=None)
    return None


def _cell_field(kind: str | None, target: _Target, measure: str, rules: RuleSet) -> str | None:
    if target.field:
        return target.field
    if target.total_row:
        return rules.tables.total_rows.get(kind or "", {}).get(measure)
    if target.code:
        return _code_field(kind, target.code, rules)
    return None


def _code_field(kind: str | None, code: str, rules: RuleSet) -> str | None:
    """经济分类 codes give expenditure.economic, 功能分类 codes their 类 or 类-款-项 field;
    a code of the other scheme than its table lists gives nothing."""
    scheme = rules.tables.code_scheme(code)
    table_kind = rules.tables.kind(kind)
    if table_kind and table_kind.classification and scheme != table_kind.classification:
        return None
    if scheme == "economic":
        return FieldName.EXPENDITURE_ECONOMIC
    if scheme == "function":
        return FieldName.EXPENDITURE_CLASS if len(code) == 3 else FieldName.EXPENDITURE_ITEM
    return None


def _sangong_facts(table: Table, number: int, reading: _Reading, unit: str) -> Iterator[Fact]:
    columns = _sangong_column_fields(table.labels, reading.rules)
    for row_number, row in enumerate(table.body):
        for column, cell in enumerate(row.cells):
            if not is_number(cell) or column not in columns:
                continue
            field_name, measure = columns[column]
            cell_at = _Cell(table, number, row_number, row, column, cell or "", unit)
            yield _make_fact(cell_at, field_name, _Target(None, None, field_name), measure, reading)


def _sangong_column_fields(labels: list[str], ruleset: RuleSet) -> dict[int, tuple[str, str]]:
    """Column → (field, measure) of a 三公 table, by the header labels."""
    rules = ruleset.tables
    columns: dict[int, tuple[str, str]] = {}
    wider: list[int] = []
    for column, label in enumerate(labels):
        parts = label.split("/")
        measure = "value"
        if len(parts) > 1 and _measure(parts[-1], ruleset) in ("budget", "final"):
            measure = _measure(parts[-1], ruleset) or "value"
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
    cell: _Cell, field_name: str, target: _Target, measure: str, reading: _Reading
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
    char_start, char_end, quote = _locate(reading, row, cell.text)
    code = (
        target.code
        if field_name
        in (FieldName.EXPENDITURE_CLASS, FieldName.EXPENDITURE_ITEM, FieldName.EXPENDITURE_ECONOMIC)
        else None
    )
    return Fact(
        id=f"{field_name}@t{number}r{row_number}c{column}",
        field=field_name,
        label=reading.rules.patterns.label(field_name),
        name=target.name if code is None else None,
        code=code,
        code_names=[target.name] if code and target.name else [],
        code_source="document_table" if code else None,
        amount=amount,
        measure=measure,
        source="table",
        pattern=f"table.{table.kind.id if table.kind else 'unknown'}",
        provenance=Provenance(
            section_path=table_path(table.title),
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


def _locate(reading: _Reading, row: Row, cell: str) -> tuple[int | None, int | None, str]:
    """Find the cell's characters in the document text on the row's page: on the line that
    holds the row's name, or within the next two lines when the name wrapped in its cell."""
    normalised = reading.locator.normalised
    lines = reading.table_lines.get(row.page, [])
    names = [c[:4] for c in row.cells if c and not is_number(c)]
    for position, index in enumerate(lines):
        if names and not any(name in reading.spaceless_line(index) for name in names):
            continue
        for candidate in lines[position : position + 3]:
            offset = normalised.lines[candidate].text.find(cell)
            if offset >= 0:
                start = normalised.line_starts[candidate] + offset
                return start, start + len(cell), normalised.raw[start : start + len(cell)]
    return None, None, cell


def _add_codes(book: Codebook, table: Table, year: int | None, rules: RuleSet) -> None:
    """Code/name pairs a table states, for resolving the narrative's name-only lines."""
    if table.kind and table.kind.classification == "economic":
        return
    for segment in _segments(table, rules):
        if not segment.code_columns or not segment.name_columns:
            continue
        for row in table.body:
            code = code_of(row, segment.code_columns)
            name = _row_name(row, segment)
            if not code or not name or rules.tables.code_scheme(code) != "function":
                continue
            level = {3: "类", 6: "款", 9: "项"}.get(len(code))
            if level is None:
                continue
            parent = code[:-3] if len(code) > 3 else None
            if any(e.code == code and book.key(e.name) == book.key(name) for e in book.entries):
                continue
            book.add(Entry("function", code, level, parent, name, (), year, year))
