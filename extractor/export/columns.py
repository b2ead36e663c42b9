"""Every output table and its columns, in one registry.

The CSV writer takes the column names and order from here, the Parquet writer the types,
``datapackage.json`` the types, descriptions, keys and Fiscal Data Package column types, and
the README documents the same list (a test keeps them in step). A column is ``string``,
``integer``, ``number`` (an exact decimal) or ``boolean``; an empty CSV cell is a missing
value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from .headlines import HEADLINES

ColumnType = Literal["string", "integer", "number", "boolean"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    # Fiscal Data Package properties of the column (columnType, currency, factor …).
    fiscal: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str  # the file is <name>.csv (and <name>.parquet)
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @cached_property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @cached_property
    def name_set(self) -> frozenset[str]:
        return frozenset(self.names)

    @cached_property
    def text_indexes(self) -> tuple[int, ...]:
        """The columns that hold text (the cells a spreadsheet could take for a formula)."""
        return tuple(i for i, c in enumerate(self.columns) if c.type == "string")


def _s(name: str, description: str, **fiscal: Any) -> Column:
    return Column(name, "string", description, fiscal)


def _i(name: str, description: str, **fiscal: Any) -> Column:
    return Column(name, "integer", description, fiscal)


def _n(name: str, description: str, **fiscal: Any) -> Column:
    return Column(name, "number", description, fiscal)


def _b(name: str, description: str) -> Column:
    return Column(name, "boolean", description)


def money(direction: str | None = None, phase: str | None = None) -> dict[str, Any]:
    """Fiscal Data Package properties of an amount in 万元: a value in CNY, factor 10000."""
    properties: dict[str, Any] = {"columnType": "value", "currency": "CNY", "factor": 10000}
    if direction:
        properties["direction"] = direction
    if phase:
        properties["phase"] = phase
    return properties


_TO_DOCUMENTS = ForeignKey(("document_id",), "documents", ("document_id",))

CONTEXT = (
    _s("schema_version", "Version of the output schema that wrote the row."),
    _s("document_id", "The note: the first 16 hex digits of its file's SHA-256."),
    _s("file_name", "The input file's name."),
    _s(
        "unit",
        "The unit (单位/部门) the note is about, as stated.",
        columnType="administrative-classification:generic:level1:label",
    ),
    _i("year", "The budget year (预算/决算年度).", columnType="date:fiscal-year"),
    _s("kind", "预算 (budget) or 决算 (final accounts)."),
    _s("scope", "部门 (a department, consolidating its units) or 单位 (one unit)."),
)
_PHASE = _s(
    "phase",
    "The budget phase of the note's own figures: approved (a 预算 note) or executed (a 决算 note).",
    columnType="phase:id",
)

DOCUMENTS = Table(
    "documents",
    "Notes",
    "One row per input note: identity, status, counts, coverage, tables found.",
    (
        _s("schema_version", "Version of the output schema that wrote the row."),
        _s("document_id", "The note: the first 16 hex digits of its file's SHA-256."),
        _s("file_name", "The input file's name."),
        _s("path", "The input path as given."),
        _s("sha256", "SHA-256 of the file's content."),
        _s("status", "ok, or failed (an input problem; see errors)."),
        _s("errors", "Input problems that made the file fail: 'code: message', '; '-separated."),
        _s("warnings", "Input problems that did not stop it: 'code: message', '; '-separated."),
        _s("format", "Format detected by content: pdf, docx, txt …"),
        _i("pages", "Pages (PDF) or page breaks + 1 (DOCX, TXT)."),
        _s("unit", "The unit (单位/部门) the note is about, as stated."),
        _s("parent", "主管部门 / 上级单位, when stated."),
        _s("unit_type", "单位性质 (行政/事业/参公), when stated."),
        _i("year", "The budget year (预算/决算年度)."),
        _s("kind", "预算 or 决算."),
        _s("scope", "部门 or 单位."),
        _s("region", "Region levels in the unit's name, top down, ' / '-separated."),
        _s("organisation", "The unit's name without the region prefix."),
        _i("facts", "Facts extracted (text and tables)."),
        _i("text_facts", "Facts from the narrative."),
        _i("table_facts", "Facts from the standard tables."),
        _i("checks_failed", "Validation checks that failed."),
        _i("errors_found", "Failed checks of severity error."),
        _i("unparsed_figures", "Figures in the narrative that no pattern turned into a fact."),
        _n("coverage", "Share of narrative sentences with figures whose every figure was parsed."),
        _i("tables_found", "Standard tables found."),
        _s("tables_missing", "Standard tables not found (ids, space-separated)."),
        _s("tool_version", "budget-notes version."),
        _s("patterns_version", "Digest of the pattern files."),
        _s(
            "review_page",
            "The note's review page, relative to the output folder (written with --review).",
        ),
    ),
    ("document_id",),
)

FACTS = Table(
    "facts",
    "Facts",
    "The full evidence: every figure of every note, one row each, with its provenance. "
    "Several rows can state the same figure (text and tables); `resolved` marks the one "
    "values.csv and summary.csv report.",
    (
        *CONTEXT,
        _s("fact_id", "Stable within the note: field@offset (text) or field@t<table>r<row>c<col>."),
        _s("field", "Vocabulary key (patterns/fields.yaml)."),
        _s("label", "Chinese label of the field."),
        _s("name", "The item's name as stated (income source, vehicle kind, project, table row)."),
        _s("code", "Classification code: 201, 201-03 or 201-03-50."),
        _s("code_names", "The 类 / 款 / 项 names as stated, ' / '-separated."),
        _s("code_source", "Where the code came from: stated, document_table or classification."),
        _s("parent_name", "For a component: what it is part of."),
        _s(
            "measure",
            "Table facts: what the column measures (total, basic, project, budget, final …).",
        ),
        _n("amount_wan", "The amount in 万元, exact."),
        _n("amount_value", "The number as written."),
        _s("amount_unit", "Unit as written: 万元, 元, 亿元."),
        _s("amount_text", "The figure as written."),
        _i("count", "A count (projects, vehicles, staff)."),
        _n("share", "A stated share, in percent."),
        _n("value", "Another number (a score)."),
        _s("text", "A text value (unit name, definition)."),
        _s("status", "stated, none (stated as nil: 没有/无…) or not_applicable."),
        _i("changes", "Comparisons the statement makes; the change_ columns hold the first."),
        _s("change_basis", "What the first comparison is with, as written (上年, 2023年预算 …)."),
        _s("change_direction", "increase, decrease or flat."),
        _n("change_amount_wan", "The stated difference, 万元."),
        _n("change_percent", "The stated change, in percent (unsigned)."),
        _n("change_basis_amount_wan", "The basis figure, when stated, 万元."),
        _s("change_reason", "The stated reason (主要原因…)."),
        _n("initial_budget_wan", "决算: 年初预算, 万元."),
        _n("adjusted_budget_wan", "决算: 调整预算 / 全年预算, 万元."),
        _n("budget_wan", "决算: a 预算数 stated without saying 年初 or 调整, 万元."),
        _n("completion_percent", "决算: 完成预算的 … %."),
        _s("completion_basis", "决算: what the percentage is of, as written."),
        _s("purpose", "Stated use (主要用于…)."),
        _s("includes", "Stated components (主要包括…), '、'-separated."),
        _s("source", "text or table."),
        _s("pattern", "The pattern (or table rule) that produced the fact."),
        _s("section_id", "Section of the outline (t<n> for a table)."),
        _s("section_path", "Headings from the top of the outline down, ' > '-separated."),
        _i("page", "1-based page."),
        _i("paragraph", "DOCX paragraph or TXT line number."),
        _i("char_start", "Start offset of the quote in the note's text (the JSON's text)."),
        _i("char_end", "End offset of the quote."),
        _s("table_title", "Table facts: the table's title as printed."),
        _s("table_kind", "Table facts: the standard table id (patterns/tables.yaml)."),
        _i("table_row", "Table facts: 0-based data row."),
        _s("table_column", "Table facts: the column header as printed."),
        _s("sentence", "The sentence (or table row) the fact was read from."),
        _s("quote", "The original characters of the statement."),
        _s("concept", "The concept the fact states (a row of values.csv): field[key]/measure."),
        _s(
            "resolved",
            "chosen: this row is the figure values.csv reports for its concept; agrees: "
            "another statement of the same figure; differs: a statement that disagrees.",
        ),
    ),
    ("document_id", "fact_id"),
    (_TO_DOCUMENTS,),
)

VALUES = Table(
    "values",
    "Resolved values",
    "One row per concept per note: the one value of each figure, resolved from the text and "
    "the tables (majority of statements; on a tie the tables; reported as the narrative "
    "writes it), with the statements that agree and those that do not.",
    (
        *CONTEXT,
        _PHASE,
        _s("concept", "field, field[key] (code or item name) and /measure unless amount."),
        _s("field", "Vocabulary key (patterns/fields.yaml)."),
        _s("label", "Chinese label of the field."),
        _s("key", "The classification code or the item's name key; empty when once per note."),
        _s("code", "Classification code, for coded fields."),
        _s("name", "The item's name as stated."),
        _s(
            "measure",
            "amount (the note's own figure), basic, project, personnel, public, budget, "
            "adjusted_budget, completion_percent or count.",
        ),
        _n("value", "The resolved value: 万元 for amounts, percent, or a count."),
        _s("value_unit", "万元, % or count."),
        _s("status", "stated, none (stated as nil: the value is 0) or not_applicable (no value)."),
        _s(
            "decided_by",
            "single (stated once), unanimous (every statement agrees), majority (most agree), "
            "tables_first (a tie between text and tables, decided for the tables), "
            "first_stated (a tie between text and text or table and table: the first).",
        ),
        _i("statements", "How many statements of the figure (text and table cells)."),
        _i("agreeing", "How many of them agree with the value (within rounding)."),
        _i("differing", "How many disagree."),
        _s("differing_values", "The values the disagreeing statements give, space-separated."),
        _s("chosen_fact", "fact_id of the statement reported (facts.csv)."),
        _s("source", "text or table: where the reported statement is."),
        _i("page", "Page of the reported statement."),
        _s("table_title", "The table of the reported statement, when a table."),
        _s("agreeing_facts", "fact_ids of the agreeing statements, space-separated."),
        _s("differing_facts", "fact_ids of the disagreeing statements, space-separated."),
        _s("checks", "Failed validation checks involving these statements (check_ids)."),
    ),
    ("document_id", "concept"),
    (
        _TO_DOCUMENTS,
        ForeignKey(("document_id", "chosen_fact"), "facts", ("document_id", "fact_id")),
    ),
)

_FUNCTIONAL = "functional-classification:generic"
ITEMS = Table(
    "items",
    "Expenditure by 类-款-项",
    "One row per functional classification code (类, 款 or 项) per note, the measures as "
    "columns, each the resolved value of the code's statements in the text and the tables.",
    (
        *CONTEXT,
        _PHASE,
        _s("region", "Region levels in the unit's name, top down, ' / '-separated."),
        _s("code", "The code: 201 (类), 201-03 (款), 201-03-50 (项)."),
        _s("level", "类, 款 or 项."),
        _s("class_code", "The 类 code (201).", columnType=f"{_FUNCTIONAL}:level1:code"),
        _s("class_name", "The 类 name.", columnType=f"{_FUNCTIONAL}:level1:label"),
        _s("kuan_code", "The 款 code (201-03).", columnType=f"{_FUNCTIONAL}:level2:code"),
        _s("kuan_name", "The 款 name.", columnType=f"{_FUNCTIONAL}:level2:label"),
        _s("xiang_code", "The 项 code (201-03-50).", columnType=f"{_FUNCTIONAL}:level3:code"),
        _s("xiang_name", "The 项 name.", columnType=f"{_FUNCTIONAL}:level3:label"),
        _s("name", "The line's own name (of its level), as the note states it."),
        _n(
            "total",
            "Expenditure on the line (合计), 万元: budget (预算) or final (决算).",
            **money("expenditure"),
        ),
        _n("basic", "of which 基本支出, 万元.", **money("expenditure")),
        _n("project", "of which 项目支出, 万元.", **money("expenditure")),
        _n(
            "personnel",
            "of which 人员经费, 万元 (tables by code that show it).",
            **money("expenditure"),
        ),
        _n("public", "of which 公用经费, 万元.", **money("expenditure")),
        _n(
            "budget",
            "决算 notes: the line's budget (年初预算 or 预算数), 万元.",
            **money("expenditure", "approved"),
        ),
        _n(
            "adjusted_budget",
            "决算 notes: 调整预算 / 全年预算, 万元.",
            **money("expenditure", "adjusted"),
        ),
        _n("completion_percent", "决算 notes: 完成预算的 … %, as stated."),
        _s("source", "Where the figures are stated: text, table or text+table."),
        _s("table_kind", "The table the total comes from (standard table id), if a table."),
        _s("table_title", "That table's title as printed."),
        _i("page", "Page of the statement the total comes from."),
        _i("statements", "Statements of the line's figures (text and table cells)."),
        _s("agreement", "single, agree (every statement of every measure agrees) or differs."),
        _s("checks", "Failed validation checks involving the line (check_ids)."),
        _s("purpose", "Stated use (主要用于…), from the narrative."),
        _s("change_basis", "The narrative's comparison: with what (上年, 2023年预算 …)."),
        _s("change_direction", "increase, decrease or flat."),
        _n("change_amount_wan", "The stated difference, 万元."),
        _n("change_percent", "The stated change, in percent."),
        _s("change_reason", "The stated reason (主要原因…)."),
    ),
    ("document_id", "code"),
    (_TO_DOCUMENTS,),
)

_HEADLINE_COLUMNS = tuple(
    Column(
        h.column,
        "integer" if h.measure == "count" else "number",
        h.description,
        {}
        if h.measure == "count"
        else money(h.direction, "approved" if h.measure == "budget" else None),
    )
    for h in HEADLINES
)

SUMMARY = Table(
    "summary",
    "Summary",
    "One row per note: who, where, when, what kind, and the headline figures as columns, "
    "each the resolved value of its concept (values.csv). Empty: the note does not state it; "
    "0: stated, or stated as nil (没有/无…).",
    (
        *CONTEXT,
        _PHASE,
        _s("status", "ok, or failed (an input problem; documents.csv says which)."),
        _s("parent", "主管部门 / 上级单位, when stated."),
        _s("unit_type", "单位性质, when stated."),
        _s("organisation", "The unit's name without the region prefix."),
        _s("region", "Region levels in the unit's name, top down, ' / '-separated."),
        _s(
            "region_1", "First region level in the unit's name, as stated (遂宁市, 上海市, 江苏省)."
        ),
        _s("region_2", "Second region level (安居区, 普陀区), if any."),
        _s("region_3", "Third region level, if any."),
        _n("coverage", "Share of narrative sentences with figures whose every figure was parsed."),
        _i("checks_failed", "Validation checks that failed."),
        _i("figures", "Concepts resolved (rows of values.csv)."),
        _i("figures_differing", "Of those, concepts whose statements disagree."),
        *_HEADLINE_COLUMNS,
        _s(
            "review_page",
            "The note's review page, relative to the output folder (written with --review).",
        ),
    ),
    ("document_id",),
    (_TO_DOCUMENTS,),
)

CHECKS = Table(
    "checks",
    "Checks",
    "Every validation check of every note; filter passed = false for what did not add up.",
    (
        *CONTEXT,
        _s("check_id", "Stable: the rule, its first fact and a digest of all its facts."),
        _s("rule", "Rule id (README, Validation)."),
        _s("severity", "error, warning or info."),
        _b("passed", "Whether the check passed."),
        _s("expected", "What was expected."),
        _s("actual", "What was found."),
        _s("message", "Both sides and where they are."),
        _s("facts", "fact_ids involved, space-separated."),
        _s("pages", "Pages of those facts, space-separated."),
    ),
    ("document_id", "check_id"),
    (_TO_DOCUMENTS,),
)

UNPARSED = Table(
    "unparsed",
    "Unparsed figures",
    "Narrative sentences holding a figure no pattern turned into a fact.",
    (
        *CONTEXT,
        _s("unparsed_id", "u<n>: the sentence's place among the note's unparsed sentences."),
        _i("page", "1-based page."),
        _i("paragraph", "DOCX paragraph or TXT line number."),
        _s("section_path", "Headings from the top of the outline down, ' > '-separated."),
        _s("figures", "The figures left unparsed, as written, space-separated."),
        _s("sentence", "The sentence."),
        _i("char_start", "Start offset of the sentence in the note's text."),
        _i("char_end", "End offset."),
    ),
    ("document_id", "unparsed_id"),
    (_TO_DOCUMENTS,),
)

TABLES: dict[str, Table] = {
    t.name: t for t in (DOCUMENTS, SUMMARY, VALUES, ITEMS, FACTS, CHECKS, UNPARSED)
}
