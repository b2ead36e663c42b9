"""The note's JSON leaves out the values loading restores: every sample and corpus document
loads back to the very same Document, the published schema accepts the record, and the keys
readers index without a model are always there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.batch import BatchOptions, run_batch
from extractor.export import document_json
from extractor.export.records import fact_record
from extractor.models import Document, Fact, Provenance
from extractor.pipeline import Options, extract
from scripts.fingerprint import corpus_documents

from .conftest import CORPUS, ROOT, SAMPLES, needs_shared

SAMPLE_FILES = sorted(
    p for p in [*SAMPLES.iterdir(), *(SAMPLES / "variants").iterdir()] if p.suffix != ".md"
)
SCHEMA = json.loads((ROOT / "schema" / "document.schema.json").read_text(encoding="utf-8"))


def _round_trip(document: Document) -> dict[str, Any]:
    text = document_json(document)
    assert Document.model_validate_json(text) == document
    record: dict[str, Any] = json.loads(text)
    assert list(record) == list(Document.model_fields)  # every top-level key, in order
    for fact in record["facts"]:
        assert list(fact["provenance"]) == list(Provenance.model_fields)
    return record


@pytest.mark.parametrize("path", SAMPLE_FILES, ids=lambda p: p.name)
def test_every_sample_loads_back_to_the_same_document(path: Path) -> None:
    for options in (Options(), Options(include_text=False), Options(tables=False)):
        _round_trip(extract(path, options))


@needs_shared
def test_every_corpus_document_loads_back_to_the_same_document() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    paths = corpus_documents(CORPUS)
    assert paths
    for path in paths:
        jsonschema.validate(_round_trip(extract(path)), SCHEMA)


def test_a_failed_document_keeps_its_top_level_keys(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    record = _round_trip(extract(empty))
    assert record["status"] == "failed" and record["facts"] == [] and record["errors"]
    assert record["schema_version"] == Document.model_fields["schema_version"].default


def test_the_published_schema_accepts_the_record() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    for path in (SAMPLES / "seed.txt", SAMPLES / "tables_note.pdf"):
        record = _round_trip(extract(path))
        jsonschema.validate(record, SCHEMA)


def test_defaults_are_left_out_below_the_top_level() -> None:
    document = extract(SAMPLES / "tables_note.pdf")
    record = json.loads(document_json(document))
    full = json.loads(document.model_dump_json())
    assert len(document_json(document)) < 0.9 * len(document.model_dump_json())
    text_fact = next(f for f in record["facts"] if f.get("source", "text") == "text")
    assert "changes" not in text_fact or text_fact["changes"]
    assert "status" not in text_fact  # stated, the default
    assert text_fact["provenance"]["table"] is None
    table_fact = next(f for f in record["facts"] if f.get("source") == "table")
    assert table_fact["provenance"]["table"]["row"] >= 0
    assert full["facts"][0]["code_names"] == [] or "code_names" in record["facts"][0]


def test_every_optional_provenance_field_defaults_to_null() -> None:
    # fact_record fills a left-out provenance key with None: right only while that is its default
    for name, info in Provenance.model_fields.items():
        assert info.is_required() or info.get_default(call_default_factory=True) is None, name
    document = extract(SAMPLES / "seed.txt")
    assert Provenance.model_validate(fact_record(document.facts[0])["provenance"]) == (
        document.facts[0].provenance
    )


def test_each_facts_jsonl_line_loads_back_to_the_notes_fact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_batch(
        [str(SAMPLES / "tables_note.pdf")], BatchOptions(out=out, in_process=True, jsonl=True)
    )
    document = Document.model_validate_json((out / "tables_note.json").read_bytes())
    lines = [json.loads(line) for line in (out / "facts.jsonl").open(encoding="utf-8")]
    context = ("schema_version", "document_id", "file_name", "unit", "year", "kind", "scope")
    marks = ("concept", "resolved")
    assert len(lines) == len(document.facts)
    for line, fact in zip(lines, document.facts, strict=True):
        assert list(line)[: len(context)] == list(context) and list(line)[-2:] == list(marks)
        assert (
            Fact.model_validate({k: v for k, v in line.items() if k not in context + marks}) == fact
        )
