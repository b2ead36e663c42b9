"""The data the checks read: ``patterns/checks.yaml`` as a typed model, and the column
measures the table reader names (``patterns/tables.yaml``).

Loaded by the caller and passed to ``validate``, never kept in a module-level cache: a rule set
with other patterns (an overlay, a test's own data) is just another ``CheckData``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from ..rules import Codebooks, RuleSet, load_rules
from ..rules.checks_schema import ChecksFile


class CheckData(BaseModel):
    """Everything the checks read besides the document: the data of checks.yaml, the column
    measures the table reader names, and the code tables (names and codes of 类-款-项)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    checks: ChecksFile
    # Column measures the table reader names; any other column keeps its printed label.
    table_measures: frozenset[str]
    codes: Codebooks


def check_data(rules: RuleSet) -> CheckData:
    """The checks' data of a rule set (checked against its schema when the set was loaded)."""
    return CheckData(
        checks=rules.checks_file,
        table_measures=rules.tables.measure_names | {"value"},
        codes=rules.codes,
    )


def load_check_data(directory: Path) -> CheckData:
    """The checks' data of a patterns directory; a wrong file fails naming itself."""
    return check_data(load_rules(directory))
