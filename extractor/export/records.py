"""The note's JSON and its facts' JSON lines, without the values that loading restores.

A field whose value is its default (null, an empty list, ``status`` stated, ``source`` text …)
is left out: ``Document.model_validate_json`` puts it back, so the record loads to the same
Document, and the published JSON Schema does not require such fields. A quarter of a
note's bytes were such defaults. Two kinds of key stay however they are set, because readers
index them without a model: every top-level key of the document (``schema_version`` first:
what the rest means depends on it), and every key of a fact's ``provenance`` (``table`` is
null for a fact of the text, ``char_start`` null for one without a place in it).
"""

from __future__ import annotations

import json
from typing import Any

from ..models import Document, Fact, Provenance


def to_json(record: dict[str, Any]) -> str:
    """Compact and readable: no spaces, Chinese as UTF-8 (not ``\\uXXXX``)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def document_record(document: Document) -> dict[str, Any]:
    """The Document as JSON data: defaults left out below the top level, provenance whole."""
    lean = document.model_dump(mode="json", exclude_defaults=True)
    missing = set(Document.model_fields) - set(lean)
    defaults = document.model_dump(mode="json", include=missing) if missing else {}
    record = {
        name: lean[name] if name in lean else defaults[name] for name in Document.model_fields
    }
    record["facts"] = [_whole_provenance(fact) for fact in record["facts"]]
    return record


def fact_record(fact: Fact) -> dict[str, Any]:
    """One fact as JSON data, as it stands in the note's record."""
    return _whole_provenance(fact.model_dump(mode="json", exclude_defaults=True))


def _whole_provenance(fact: dict[str, Any]) -> dict[str, Any]:
    # A fact always has a provenance (a required field); every default of its fields is None.
    given = fact["provenance"]
    fact["provenance"] = {name: given.get(name) for name in Provenance.model_fields}
    return fact
