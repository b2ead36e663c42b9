"""The review page's facts data: unpacked as the page's script unpacks it, it gives every
fact's fields back, and each repeated string stands in it once."""

from __future__ import annotations

import json
from typing import Any

from extractor.export.resolve import resolve
from extractor.export.review import DATA_KEYS, FactView, fact_views, facts_data
from extractor.pipeline import extract

from .conftest import SAMPLES


def _unpack(data: dict[str, Any]) -> list[dict[str, Any]]:
    # As review.js does: an index into strings per key (0: not set), the row a number.
    facts = []
    for values in data["facts"]:
        fact = {
            key: value if key == "row" else data["strings"][value]
            for key, value in zip(data["keys"], values, strict=False)
            if value
        }
        fact["where"] = (
            f"{fact['place']} row {fact['row']}, {fact['column']}"
            if "row" in fact
            else fact["place"]
        )
        facts.append(fact)
    return facts


def _views() -> list[FactView]:
    document = extract(SAMPLES / "tables_note.pdf")
    return fact_views(document, resolve(document))


def test_the_data_unpacks_to_every_facts_fields() -> None:
    views = _views()
    data = json.loads(json.dumps(facts_data(views)))
    unpacked = _unpack(data)
    assert len(unpacked) == len(views) and any(v.row for v in views)
    for view, fact in zip(views, unpacked, strict=True):
        for key in (*DATA_KEYS, "where"):
            assert fact.get(key, "") == getattr(view, key), key
        assert fact.get("row") == view.row


def test_each_string_stands_in_the_data_once() -> None:
    strings = facts_data(_views())["strings"]
    assert strings[0] == "" and len(strings) == len(set(strings))
