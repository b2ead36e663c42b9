"""How a note is recognised and its identity read (``patterns/recognition.yaml``): title,
year, kind, scope and unit rules, the parts of a full note, the region suffixes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import regex

from ..models import Part
from .compiler import expand
from .regexes import RegexStore
from .schemas import RecognitionFile

Where = Literal["head", "titles", "title_block", "signature"]


@dataclass(frozen=True)
class UnitRule:
    id: str
    where: Where
    regex: regex.Pattern[str]
    examples: list[dict[str, str]]
    counterexamples: list[str]


@dataclass(frozen=True)
class PartRules:
    order: list[Part]
    fields: dict[str, Part]
    tables: dict[str, Part]
    headings: list[tuple[Part, regex.Pattern[str]]]
    definition: regex.Pattern[str]


@dataclass(frozen=True)
class RecognitionRules:
    concept: regex.Pattern[str]
    amount: regex.Pattern[str]
    clause_end: regex.Pattern[str]
    head: int
    title_max: int
    title_forbidden: regex.Pattern[str]
    metadata: regex.Pattern[str]
    title_prefix: regex.Pattern[str]
    title_year: regex.Pattern[str]
    title_scope: regex.Pattern[str]
    kind_neutral: regex.Pattern[str]
    kind_markers: list[tuple[str, regex.Pattern[str]]]
    body: int
    year_header_cell: regex.Pattern[str]
    year_candidate: regex.Pattern[str]
    year_skip_before: regex.Pattern[str]
    year_skip_after: regex.Pattern[str]
    year_clause: regex.Pattern[str]
    body_scope: list[tuple[str, regex.Pattern[str]]]
    unit_end: regex.Pattern[str]
    unit_forbidden: regex.Pattern[str]
    addressee: regex.Pattern[str]
    date_line: regex.Pattern[str]
    unit: list[UnitRule]
    parts: PartRules
    region_suffix: regex.Pattern[str]
    region_max: int
    region_not_words: frozenset[str]
    region_forbidden: regex.Pattern[str]


def compile_recognition(
    data: RecognitionFile, shared: dict[str, str], regexes: RegexStore
) -> RecognitionRules:
    fragments = {**shared, **data.fragments}
    raw = data.model_dump()

    def rx(source: str) -> regex.Pattern[str]:
        return regexes.compile(expand(source, fragments, "recognition.yaml"))

    parts = raw["parts"]
    known = set(get_args(Part))
    named = set(parts["order"]) | set(parts["fields"].values()) | set(parts["tables"].values())
    if not named <= known:
        raise ValueError(f"recognition.yaml: unknown parts {sorted(named - known)}")
    return RecognitionRules(
        concept=rx(raw["content"]["concept"]),
        amount=rx(raw["content"]["amount"]),
        clause_end=rx(raw["content"]["clause_end"]),
        head=int(raw["head_paragraphs"]),
        title_max=int(raw["title_max_chars"]),
        title_forbidden=rx(raw["title_forbidden"]),
        metadata=rx(raw["metadata"]),
        title_prefix=rx(raw["title_prefix"]),
        title_year=rx(raw["title_year"]),
        title_scope=rx(raw["title_scope"]),
        kind_neutral=rx(raw["kind"]["neutral"]),
        kind_markers=[(entry["kind"], rx(entry["regex"])) for entry in raw["kind"]["markers"]],
        body=int(raw["body_paragraphs"]),
        year_header_cell=rx(raw["year"]["header_cell"]),
        year_candidate=rx(raw["year"]["candidate"]),
        year_skip_before=rx(raw["year"]["skip_before"]),
        year_skip_after=rx(raw["year"]["skip_after"]),
        year_clause=rx(raw["year"]["clause"]),
        body_scope=[(scope, rx(source)) for scope, source in raw["body_scope"].items()],
        unit_end=rx(raw["unit_end"]),
        unit_forbidden=rx(raw["unit_forbidden"]),
        addressee=rx(raw["addressee"]),
        date_line=rx(raw["date_line"]),
        unit=[
            UnitRule(
                id=entry["id"],
                where=entry["where"],
                regex=rx(entry["regex"]),
                examples=[dict(e) for e in entry["examples"]],
                counterexamples=list(entry["counterexamples"]),
            )
            for entry in raw["unit"]
        ],
        parts=PartRules(
            order=list(parts["order"]),
            fields=dict(parts["fields"]),
            tables=dict(parts["tables"]),
            headings=[(part, rx(source)) for part, source in parts["headings"].items()],
            definition=rx(parts["definition"]),
        ),
        region_suffix=rx(raw["region_suffix"]),
        region_max=int(raw["region_max_chars"]),
        region_not_words=frozenset(raw["region_not_words"]),
        region_forbidden=rx(raw["region_forbidden"]),
    )
