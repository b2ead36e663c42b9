"""The schema of every data file in ``patterns/``: unknown keys and wrong types fail loudly.

Pattern files (one per section family) have their own schema in ``patternspec``; every other
file is named here with its model, so a file that is neither is an error, not ignored.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .checks_schema import ChecksFile


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ValueKind(StrEnum):
    """What a fact of a field carries besides its provenance (fields.yaml explains each)."""

    AMOUNT = "amount"
    COUNT = "count"
    BOTH = "both"
    PERCENT = "percent"
    SCORE = "score"
    TEXT = "text"


class KeyedBy(StrEnum):
    """What tells two facts of one field apart (none: one per document)."""

    CODE = "code"
    NAME = "name"


class FieldSpec(Strict):
    label: str
    value: ValueKind
    keyed_by: KeyedBy | None = None


class FieldsFile(Strict):
    fields: dict[str, FieldSpec]


class FragmentsFile(Strict):
    fragments: dict[str, str]


class VocabularyFile(Strict):
    vocabularies: dict[str, dict[str, list[str]]]


class NormalizeFile(Strict):
    radicals: dict[str, str]
    drop: list[str]
    page_number_line: str
    toc_line: str
    toc_title: str
    sentence_end: str
    numeral_year: str
    inline_heading_break: str


class SectionsFile(Strict):
    markers: dict[str, str]
    heading_max_chars: int
    heading_forbidden: str
    title_max_chars: int
    title_regex: str
    title_forbidden: str
    families: dict[str, str]


class Years(Strict):
    from_: int | None = Field(None, alias="from")
    to: int | None = None


class CodeEntry(Strict):
    scheme: Literal["function", "economic"]
    code: str
    level: Literal["类", "款", "项"]
    parent: str | None = None
    name: str
    aliases: list[str] = Field(default_factory=list)
    years: Years | None = None
    seen: list[str] = Field(default_factory=list, description="Where the entry was read.")
    external: str | None = Field(
        None, description="Background knowledge (its source), not read in a note."
    )


class ClassificationFile(Strict):
    schemes: dict[str, str]
    entries: list[CodeEntry]


class TableKindSpec(Strict):
    id: str
    label: str
    title: str
    standard: bool
    classification: Literal["economic"] | None = None
    row_names_only: bool = False


class WiderTotal(Strict):
    label: str
    beside: list[str]


class TablesFile(Strict):
    tables: list[TableKindSpec]
    code_schemes: dict[str, str]
    title_line: str
    unit: str
    skip_columns: str
    measures: dict[str, str]
    row_names: dict[str, str]
    total_rows: dict[str, dict[str, str]]
    sangong_columns: dict[str, str]
    sangong_wider_total: WiderTotal


class FiguresFile(Strict):
    figure: str
    not_narrative: list[str]
    prior_year: str
    subordinate_subject: str
    change_before_subject: str


class KindMarker(Strict):
    kind: Literal["预算", "决算"]
    regex: str


class KindRules(Strict):
    neutral: str
    markers: list[KindMarker]
    examples: list[dict[str, Any]] = Field(default_factory=list)


class YearRules(Strict):
    header_cell: str
    candidate: str
    skip_before: str
    skip_after: str
    clause: str
    examples: list[dict[str, Any]] = Field(default_factory=list)


class ContentRules(Strict):
    concept: str
    amount: str
    clause_end: str
    examples: list[str] = Field(default_factory=list)
    counterexamples: list[str] = Field(default_factory=list)


class UnitExample(Strict):
    text: str
    unit: str


class UnitRuleSpec(Strict):
    id: str
    where: Literal["head", "titles", "title_block", "signature"]
    regex: str
    examples: list[UnitExample] = Field(default_factory=list)
    counterexamples: list[str] = Field(default_factory=list)


class PartRulesSpec(Strict):
    order: list[str]
    fields: dict[str, str]
    tables: dict[str, str]
    headings: dict[str, str]
    definition: str


class RecognitionFile(Strict):
    fragments: dict[str, str]
    content: ContentRules
    head_paragraphs: int
    title_max_chars: int
    title_forbidden: str
    metadata: str
    title_prefix: str
    title_year: str
    title_scope: str
    kind: KindRules
    body_paragraphs: int
    year: YearRules
    body_scope: dict[str, str]
    unit_end: str
    unit_forbidden: str
    addressee: str
    date_line: str
    unit: list[UnitRuleSpec]
    parts: PartRulesSpec
    region_suffix: str
    region_max_chars: int
    region_not_words: list[str]
    region_forbidden: str


class OverlayMatch(Strict):
    """When an overlay applies: a region the note's unit is in (any level: 江苏省, 普陀区)."""

    regions: list[str] = Field(default_factory=list)


class OverlayFile(Strict):
    """``overlay.yaml`` of ``patterns/overlays/<name>/``: what the overlay is and when it applies;
    the other files of the folder hold only what differs from the base."""

    name: str
    description: str
    applies_to: OverlayMatch = Field(default_factory=OverlayMatch)


# Every data file of a rule layer and its schema.
DATA_FILES: dict[str, type[BaseModel]] = {
    "fields.yaml": FieldsFile,
    "fragments.yaml": FragmentsFile,
    "vocabulary.yaml": VocabularyFile,
    "normalize.yaml": NormalizeFile,
    "sections.yaml": SectionsFile,
    "classification.yaml": ClassificationFile,
    "tables.yaml": TablesFile,
    "figures.yaml": FiguresFile,
    "recognition.yaml": RecognitionFile,
    "checks.yaml": ChecksFile,
}
OVERLAY_FILE = "overlay.yaml"
