"""summary.csv: one row per note, the headline figures (extractor.export.headlines) as
columns, each the resolved value of its concept."""

from __future__ import annotations

from ..models import Document
from .headlines import HEADLINES
from .resolve import Resolution
from .rows import Row, context, coverage, phase, review_page


def summary_row(document: Document, resolutions: list[Resolution]) -> Row:
    info = document.info
    once = {(r.field, r.measure): r for r in resolutions if not r.key}
    regions = [*info.region, None, None, None]
    figures: Row = {}
    for headline in HEADLINES:
        found = once.get((headline.field, headline.measure))
        value = found.value if found else None
        figures[headline.column] = (
            int(value) if value is not None and headline.measure == "count" else value
        )
    return {
        **context(document),
        "phase": phase(document),
        "status": document.status,
        "parent": info.parent or None,
        "unit_type": info.unit_type or None,
        "organisation": info.organisation or None,
        "region": " / ".join(info.region) or None,
        "region_1": regions[0],
        "region_2": regions[1],
        "region_3": regions[2],
        "coverage": coverage(document),
        "checks_failed": sum(1 for c in document.checks if not c.passed),
        "figures": len(resolutions),
        "figures_differing": sum(1 for r in resolutions if r.differing),
        **figures,
        "review_page": review_page(document),
    }
