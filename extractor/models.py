"""The output schema: what one budget note becomes.

These pydantic models are the contract with researchers and the nightly job. Their JSON
Schema is published in ``schema/document.schema.json`` (``make schema``); a change to a field
here changes ``SCHEMA_VERSION``.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

SCHEMA_VERSION = "3.0"

Severity = Literal["error", "warning", "info"]
Direction = Literal["increase", "decrease", "flat"]


class DocumentStatus(StrEnum):
    OK = "ok"
    FAILED = "failed"  # the input problem is in ``errors``


class FactStatus(StrEnum):
    STATED = "stated"
    NONE = "none"  # stated as nil (无, 为0)
    NOT_APPLICABLE = "not_applicable"


class NoteKind(StrEnum):
    """``DocumentInfo.kind``: a budget (预算) or its final accounts (决算)."""

    BUDGET = "预算"
    FINAL = "决算"


# The fields take a Literal of the members: the JSON schema then lists the values in place, as
# it did when the fields were Literal strings (the enum itself would become a $ref and a
# $defs entry), and pydantic still returns the members.
DocumentStatusValue = Literal[DocumentStatus.OK, DocumentStatus.FAILED]
FactStatusValue = Literal[FactStatus.STATED, FactStatus.NONE, FactStatus.NOT_APPLICABLE]
# The parts of a full note (README "Parts"); a document says which of them it covers.
Part = Literal[
    "overview",
    "totals",
    "income",
    "expenditure",
    "items",
    "basic",
    "sangong",
    "meetings",
    "fund",
    "operating_cost",
    "procurement",
    "assets",
    "performance",
    "glossary",
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Amount(_Model):
    """Money as the note states it, and the same value in 万元 (exact)."""

    wan: Decimal = Field(description="Value in 万元, exact (converted from 元/亿元 where needed).")
    value: Decimal = Field(description="The number as written, without thousands separators.")
    unit: str = Field(description="Unit as written: 万元, 元, 亿元 or 万.")
    text: str = Field(description="The figure exactly as it appears in the (normalised) text.")


class Change(_Model):
    """A comparison the note makes: with last year, or with another stated basis."""

    basis: str | None = Field(
        None, description="What is compared with, as written: 2023年预算, 上年 …"
    )
    basis_amount: Amount | None = Field(
        None, description="The basis figure, when the note states it."
    )
    direction: Direction | None = Field(None, description="increase, decrease or flat (持平).")
    amount: Amount | None = Field(None, description="The stated difference.")
    percent: Decimal | None = Field(None, description="The stated change in percent (unsigned).")
    reason: str | None = Field(None, description="The stated reason (主要原因…).")


class Execution(_Model):
    """决算 only: the final figure against the budget."""

    initial_budget: Amount | None = Field(None, description="年初预算.")
    adjusted_budget: Amount | None = Field(None, description="全年预算 / 调整预算.")
    completion_percent: Decimal | None = Field(None, description="完成预算的 …%.")
    completion_basis: str | None = Field(None, description="What the percentage is of, as written.")
    budget: Amount | None = Field(
        None, description="预算数 stated without saying 年初 or 调整 (支出预算为X，支出决算为Y)."
    )


class TableRef(_Model):
    """Where in a standard table a figure sits. The stored record gives the row and column
    only: the table is the one ``Provenance.section_id`` names in ``Document.tables``, and
    loading the record puts back its title and kind here."""

    title: str = Field("", description="The table's title as printed.")
    kind: str | None = Field(None, description="Standard table id (see patterns/tables.yaml).")
    row: int = Field(description="0-based data row index within the table.")
    column: str = Field(description="Column header as printed.")


class Provenance(_Model):
    """Where a fact came from; ``Document.text[char_start:char_end] == quote``. The stored
    record names the section by ``section_id`` only, and loading it puts back the path."""

    section_path: list[str] = Field(
        default_factory=list,
        description="Headings from the top of the outline down (a table fact: the table's"
        " title). Left out of the stored record: it is the path of the section (or the title"
        " of the table) that section_id names.",
    )
    section_id: str = Field(
        description="Stable id of the section, e.g. '7.1', or of the table, e.g. 't3': the id"
        " of an entry of Document.sections or Document.tables."
    )
    sentence: str = Field(description="The sentence (or table row) the fact was read from.")
    page: int | None = Field(
        None, description="1-based page (PDF, TXT with form feeds, DOCX breaks)."
    )
    paragraph: int | None = Field(
        None, description="1-based paragraph (DOCX) or line (TXT) number."
    )
    char_start: int | None = Field(None, description="Start offset of the quote in Document.text.")
    char_end: int | None = Field(None, description="End offset of the quote in Document.text.")
    quote: str = Field(description="The original characters of the matched statement.")
    table: TableRef | None = Field(None, description="Set when the fact comes from a table.")


class Fact(_Model):
    """One figure (or statement) of the note."""

    id: str = Field(description="Stable within the document: field@offset or field@table-cell.")
    field: str = Field(description="Vocabulary key, see patterns/fields.yaml.")
    label: str = Field(description="Chinese label of the field.")
    name: str | None = Field(
        None, description="Item name as stated (income source, vehicle kind …)."
    )
    code: str | None = Field(None, description="Classification code: 201, 201-03 or 201-03-50.")
    code_names: list[str] = Field(default_factory=list, description="类/款/项 names as stated.")
    code_source: Literal["stated", "document_table", "classification"] | None = Field(
        None, description="Where the code came from: the note, its own tables, or the code table."
    )
    parent_name: str | None = Field(None, description="For a component: what it is part of.")
    amount: Amount | None = None
    count: int | None = None
    share: Decimal | None = Field(None, description="Stated share in percent.")
    value: Decimal | None = Field(None, description="A number that is neither money nor count.")
    text: str | None = Field(None, description="Text value (unit name, year, definition …).")
    status: FactStatusValue = Field(
        FactStatus.STATED, description="'none' = stated as nil; 'not_applicable'."
    )
    changes: list[Change] = Field(
        default_factory=list,
        description="Every comparison the statement makes, in the order stated (上年, 预算数 …).",
    )
    execution: Execution | None = None
    purpose: str | None = Field(None, description="Stated use (主要用于…).")
    includes: list[str] = Field(default_factory=list, description="Stated components (主要包括…).")
    measure: str | None = Field(
        None,
        description="Table facts: what the column measures (total, basic, project, budget, final …).",
    )
    source: Literal["text", "table"] = "text"
    pattern: str = Field(description="Id of the pattern (or table rule) that produced the fact.")
    provenance: Provenance


class Check(_Model):
    """One validation rule applied to some facts. Checks never alter facts."""

    id: str = Field(
        description="Stable id: the rule and its first fact, then, for several facts, a digest"
        " of them all (rule:fact@1+1a2b3c4d); #2, #3 … where the same id repeats."
    )
    rule: str = Field(description="Rule name, see README 'Validation rules'.")
    severity: Severity
    passed: bool
    expected: str | None = None
    actual: str | None = None
    message: str
    facts: list[str] = Field(default_factory=list, description="Ids of the facts involved.")


class UnparsedFigure(_Model):
    """A sentence holding a figure that no pattern turned into a fact."""

    sentence: str
    figures: list[str] = Field(description="The figures (as written) left unparsed.")
    section_path: list[str]
    page: int | None = None
    paragraph: int | None = None
    char_start: int | None = None
    char_end: int | None = None


class Coverage(_Model):
    """How much of the narrative's figures became facts."""

    figure_sentences: int = Field(description="Narrative sentences holding at least one figure.")
    covered_sentences: int = Field(description="Of those, sentences whose every figure was parsed.")
    figures: int
    parsed_figures: int
    score: float = Field(description="covered_sentences / figure_sentences (1.0 if none).")


class Section(_Model):
    id: str
    title: str
    path: list[str]
    level: int
    families: list[str] = Field(description="Section families that scope the patterns.")
    page: int | None = None


def table_path(title: str) -> list[str]:
    """The section path of a fact of the table titled ``title``: the title, if it has one."""
    return [title] if title else []


class TableSummary(_Model):
    id: str = Field(description="'t' and the table's 0-based number: a table fact's section_id.")
    title: str
    kind: str | None = Field(None, description="Standard table id, or None if not recognised.")
    pages: list[int]
    unit: str | None = Field(None, description="单位 stated in the table header.")
    rows: int
    facts: int


class Problem(_Model):
    """An input problem: why a file could not be (fully) read."""

    code: str = Field(description="Machine-readable reason, see README 'Input problems'.")
    message: str
    pages: list[int] = Field(default_factory=list)
    detail: str | None = None


class DocumentInfo(_Model):
    unit: str | None = None
    parent: str | None = None
    unit_type: str | None = None
    year: int | None = None
    # str in the schema (an enum there would change the published contract): a NoteKind.
    kind: str | None = Field(None, description="预算 or 决算.")
    scope: str | None = Field(None, description="部门 or 单位.")
    region: list[str] = Field(
        default_factory=list, description="Region levels, e.g. 遂宁市, 安居区."
    )
    organisation: str | None = Field(None, description="Unit name without the region prefix.")
    parts: list[Part] = Field(
        default_factory=list,
        description="The parts of a full note this document covers (README 'Parts').",
    )
    overlays: list[str] = Field(
        default_factory=list, description="The rule overlays applied (patterns/overlays/)."
    )
    is_budget_note: bool = True
    recognition: str | None = Field(
        None, description="Why the text was (not) taken as a budget note."
    )


class SourceInfo(_Model):
    path: str
    file_name: str
    sha256: str
    size_bytes: int
    format: str | None = Field(None, description="Detected by content: pdf, docx, txt …")
    suffix_format: str | None = Field(None, description="What the file name suggests.")
    pages: int | None = None
    encoding: str | None = None


class Document(_Model):
    schema_version: str = SCHEMA_VERSION
    tool_version: str
    patterns_version: str
    status: DocumentStatusValue
    source: SourceInfo
    errors: list[Problem] = Field(default_factory=list)
    warnings: list[Problem] = Field(default_factory=list)
    info: DocumentInfo = Field(default_factory=DocumentInfo)
    sections: list[Section] = Field(default_factory=list)
    tables: list[TableSummary] = Field(default_factory=list)
    missing_tables: list[str] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    checks: list[Check] = Field(default_factory=list)
    unparsed: list[UnparsedFigure] = Field(default_factory=list)
    coverage: Coverage | None = None
    text: str = Field("", description="The text as read; provenance offsets point into it.")

    def named_by_id(self) -> dict[str, tuple[list[str], TableSummary | None]]:
        """What each section or table id names: the section path of a fact there and, for a
        table, the table (the stored record names a fact's section and table by id only)."""
        named: dict[str, tuple[list[str], TableSummary | None]] = {
            section.id: (section.path, None) for section in self.sections
        }
        for table in self.tables:
            named[table.id] = (table_path(table.title), table)
        return named

    @model_validator(mode="after")
    def _names_from_ids(self) -> Document:
        """Put back what the stored record names by id only: a fact's section path and its
        table's title and kind. A fact built with them keeps its own."""
        named = self.named_by_id()
        for fact in self.facts:
            provenance = fact.provenance
            path, table = named.get(provenance.section_id, ([], None))
            if "section_path" not in provenance.model_fields_set:
                provenance.section_path = list(path)
            ref = provenance.table
            if ref is not None and table is not None and "title" not in ref.model_fields_set:
                ref.title, ref.kind = table.title, table.kind
        return self
