"""The schema of ``patterns/checks.yaml``: the data the validation rules read (sums, parts
and wholes, share bases, scopes, contradictions); its comments say what each key means."""

from __future__ import annotations

from typing import Annotated, Literal

import regex
from pydantic import AfterValidator, BaseModel, ConfigDict

from ..models import Severity

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
