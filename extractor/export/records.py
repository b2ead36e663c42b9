"""The note's JSON and its facts' JSON lines, without what loading puts back.

Below the top level, a field whose value is its default (null, an empty list, ``status``
stated, ``source`` text …) is left out: ``Document.model_validate_json`` restores it, and the
published JSON Schema does not require such fields. So is what the record states once
elsewhere: a fact's section path is the path of the section its ``section_id`` names in
``sections``, and a table fact's table title and kind are those of the table it names in
``tables``; loading puts them back. Every top-level key of the document stays, however it
is set (``schema_version`` first: what the rest means depends on it). A line of
``facts.jsonl`` stands alone, so it keeps its section path and table.
"""

from __future__ import annotations

import json
from typing import Any

from ..models import Document, Fact, TableSummary


def to_json(record: dict[str, Any]) -> str:
    """Compact and readable: no spaces, Chinese as UTF-8 (not ``\\uXXXX``)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def document_record(document: Document) -> dict[str, Any]:
    """The Document as JSON data: defaults left out below the top level, and the names
    that a fact's section and table ids give."""
    lean = document.model_dump(mode="json", exclude_defaults=True)
    missing = set(Document.model_fields) - set(lean)
    defaults = document.model_dump(mode="json", include=missing) if missing else {}
    record = {
        name: lean[name] if name in lean else defaults[name] for name in Document.model_fields
    }
    named = document.named_by_id()
    for fact in record["facts"]:
        _leave_out_names(fact["provenance"], named)
    return record


def fact_record(fact: Fact) -> dict[str, Any]:
    """One fact as JSON data, defaults left out, its section path and table kept."""
    return fact.model_dump(mode="json", exclude_defaults=True)


def _leave_out_names(
    provenance: dict[str, Any], named: dict[str, tuple[list[str], TableSummary | None]]
) -> None:
    """Leave out what loading puts back, and only that: a section path or table title that
    differs from its id's stays (``Document._names_from_ids`` keeps a given one)."""
    path, table = named.get(provenance["section_id"], ([], None))
    given = provenance.pop("section_path", [])  # an empty one is a default, already left out
    if given != path:
        provenance["section_path"] = given
    ref = provenance.get("table")
    if ref is not None and table is not None:
        title, kind = ref.pop("title", ""), ref.pop("kind", None)
        if (title, kind) != (table.title, table.kind):
            ref["title"], ref["kind"] = title, kind
