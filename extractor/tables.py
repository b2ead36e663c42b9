"""Standard tables → facts (placeholder; filled in below)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .classification import Codebook
from .extract import Locator
from .models import Fact, TableSummary
from .normalize import NormalisedText


@dataclass
class TableExtraction:
    facts: list[Fact] = field(default_factory=list)
    summaries: list[TableSummary] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    codebook: Codebook = field(default_factory=Codebook)


def extract_tables(normalised: NormalisedText, locator: Locator, year: int | None) -> TableExtraction:
    return TableExtraction()
