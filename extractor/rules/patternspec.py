"""The schema of a pattern file, and the capture groups the extraction engine understands.

A pattern names what it captures with regex groups (``(?P<amount>…)``, usually through a shared
fragment such as ``{AMOUNT:amount}``); only the groups of ``CaptureGroup`` are read, so a
pattern using any other name fails to load instead of losing the figure silently.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, model_validator

from ..models import FactStatus
from .schemas import Strict


class CaptureGroup(StrEnum):
    """A named group the engine reads from a match, and what it becomes."""

    AMOUNT = "amount"  # money → Fact.amount (its unit in amount__unit)
    SHARE = "share"  # the share of a whole stated with it (占…%)
    COUNT = "count"  # a count (个, 辆, 人 …), digits or Chinese numerals
    VALUE = "value"  # a bare number: a percentage or a score
    NAME = "name"
    TEXT = "text"
    PURPOSE = "purpose"
    PARENT_NAME = "parent_name"
    INCLUDES = "includes"  # a list (主要包括A、B和C)
    REASON = "reason"
    CODE = "code"  # a whole code (2080505, 208-05-05)
    CODE_CLASS = "code_class"  # its levels, each in its own group
    CODE_KUAN = "code_kuan"
    CODE_XIANG = "code_xiang"
    NAME_CLASS = "name_class"  # the names of the levels
    NAME_KUAN = "name_kuan"
    NAME_XIANG = "name_xiang"
    CHG_DIR = "chg_dir"  # a comparison: direction, basis, amounts, percent
    CHG_BASIS = "chg_basis"
    CHG_BASIS_AMOUNT = "chg_basis_amount"
    CHG_AMOUNT = "chg_amount"
    CHG_PCT = "chg_pct"
    EXEC_INITIAL = "exec_initial"  # a 决算 against its budgets, and the completion rate
    EXEC_ADJUSTED = "exec_adjusted"
    EXEC_BUDGET = "exec_budget"
    EXEC_PCT = "exec_pct"
    EXEC_BASIS = "exec_basis"
    TERM = "term"  # the term a vocabulary maps to a field (field_by)


# Groups holding money, each with an optional ``<group>__unit`` beside it.
MONEY_GROUPS = frozenset(
    {"amount", "chg_basis_amount", "chg_amount", "exec_initial", "exec_adjusted", "exec_budget"}
)
UNIT_SUFFIX = "__unit"


def allowed_groups(extra: frozenset[str] = frozenset()) -> frozenset[str]:
    """Every group name a compiled pattern may contain (``extra``: a field_by's own group)."""
    names = {group.value for group in CaptureGroup} | extra
    return frozenset(names | {f"{name}{UNIT_SUFFIX}" for name in MONEY_GROUPS})


class FieldBy(Strict):
    """Choose the field from the text a group captured, through a vocabulary."""

    group: str
    vocabulary: str


class ContextName(Strict):
    """Take a name from the title of the enclosing section (e.g. a project statement)."""

    regex: str
    into: Literal["name", "parent_name"] = "name"


class Part(Strict):
    """A sub-pattern of an item record, searched in the item's text after its header."""

    regex: str
    to: Literal["header", "new", "last"] = "header"
    repeat: bool = False


class Example(Strict):
    text: str
    expect: list[dict[str, Any]] | dict[str, Any]
    section: str | None = Field(None, description="Section family to run the example in.")
    heading: str | None = Field(None, description="Heading of the section the text is under.")

    def expected_facts(self) -> list[dict[str, Any]]:
        return self.expect if isinstance(self.expect, list) else [self.expect]


class Counterexample(Strict):
    text: str
    section: str | None = None
    heading: str | None = None


class PatternSpec(Strict):
    id: str
    description: str = ""
    kind: Literal["sentence", "item", "continuation"] = "sentence"
    field: str | None = None
    field_by: FieldBy | None = None
    # The subject is the section's heading (三、公务接待费 / 2016年预算安排8万元): the field of
    # the first term of this vocabulary found in the headings, innermost first.
    field_from_heading: str | None = None
    sections: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=lambda: ["toc", "glossary", "tables"])
    regex: str
    parts: list[Part] = Field(default_factory=list)
    status: FactStatus = FactStatus.STATED
    priority: int = 0
    set: dict[str, str] = Field(default_factory=dict)
    context_name: ContextName | None = None
    # A 款/项 line without its 类 (or a 项 line without its 类 and 款): take the missing
    # levels from the nearest "X（类）" / "Y（款）" line before it in the section.
    levels_from_context: list[Literal["class", "kuan"]] = Field(default_factory=list)
    # continuation: which fact of the previous sentence takes what this pattern captured.
    attach: Literal["subject", "last_change"] = "subject"
    examples: list[Example]
    counterexamples: list[Counterexample | str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _field_given(self) -> PatternSpec:
        given = [x for x in (self.field, self.field_by, self.field_from_heading) if x is not None]
        if self.kind != "continuation" and len(given) != 1:
            raise ValueError("give exactly one of 'field', 'field_by' and 'field_from_heading'")
        if not self.examples:
            raise ValueError("a pattern needs at least one example")
        if self.parts and self.kind != "item":
            raise ValueError("'parts' only apply to kind: item")
        return self


class PatternFile(Strict):
    family: str
    description: str = ""
    patterns: list[PatternSpec]
