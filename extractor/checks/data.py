"""The data the checks read: ``patterns/checks.yaml`` as a typed model, and the column
measures the table reader names (``patterns/tables.yaml``).

Loaded by the caller and passed to ``validate``, never kept in a module-level cache: a rule set
with other patterns (an overlay, a test's own data) is just another ``CheckData``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from ..models import Severity
from ..patterns import PatternError, load_yaml

_RULE_ID = regex.compile(r"^[a-z]+\.[a-z_0-9]+$")


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _rule_id(value: str) -> str:
    if not _RULE_ID.match(value):
        raise ValueError(f"a rule id is family.name in lower case, not {value!r}")
    return value


def _compiles(value: str) -> str:
    try:
        regex.compile(value)
    except regex.error as exc:
        raise ValueError(f"not a valid regex: {exc}") from exc
    return value


RuleId = Annotated[str, AfterValidator(_rule_id)]
Regex = Annotated[str, AfterValidator(_compiles)]


class FieldSum(_Data):
    """Fields whose stated amounts add up: total = sum of parts."""

    rule: RuleId
    total: tuple[str, ...]  # every stated value of each is tried
    parts: tuple[str, ...]
    optional: tuple[str, ...] = ()  # parts added when the note states them
    optional_parts: bool = False  # any two or more of the parts will do
    # The severity when the parts fall short of a total whose parts the note need not list.
    shortfall: Severity | None = None


class CountSum(_Data):
    """Counts by kind that add up to a stated count."""

    rule: RuleId
    total: tuple[str, ...]
    parts: str


class Scopes(_Data):
    """Words that say what a figure covers: its funds and its kind of spending."""

    funds: dict[str, str]
    kinds: dict[str, str]


class Contradiction(_Data):
    """Text that contradicts a figure: the item's own reason says the opposite."""

    rule: RuleId
    when: Literal["zero", "increase", "decrease"]
    reason: Regex
    message: str


class ChecksFile(_Data):
    """``patterns/checks.yaml``; its comments say what each key means."""

    sums: tuple[FieldSum, ...]
    part_of: dict[str, str]
    measure_part_of: dict[str, str]
    count_sums: tuple[CountSum, ...]
    share_bases: dict[str, tuple[str, ...]]
    share_groups: tuple[tuple[str, ...], ...]
    scopes: Scopes
    funds_within: dict[str, str]
    sangong_table_extras: Regex
    contradictions: tuple[Contradiction, ...]


class CheckData(_Data):
    """Everything the checks read besides the document (and the code table, see
    ``classification.function_codebook``)."""

    checks: ChecksFile
    # Column measures the table reader names; any other column keeps its printed label.
    table_measures: frozenset[str]


def load_check_data(directory: Path) -> CheckData:
    """The data of the checks from a patterns directory; a wrong file fails naming itself."""
    raw = load_yaml("checks.yaml", directory)
    try:
        checks = ChecksFile.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        )
        raise PatternError(f"checks.yaml: {problems}") from exc
    measures = frozenset(load_yaml("tables.yaml", directory)["measures"]) | {"value"}
    return CheckData(checks=checks, table_measures=measures)
