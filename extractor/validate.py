"""Cross-checks (placeholder)."""

from __future__ import annotations

from .models import Check, DocumentInfo, Fact, TableSummary


def validate(facts: list[Fact], info: DocumentInfo, tables: list[TableSummary]) -> list[Check]:
    return []
