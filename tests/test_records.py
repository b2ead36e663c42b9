"""The note's JSON leaves out the values loading restores: every sample and corpus document
loads back to the very same Document, the published schema accepts the record, the document's
top-level keys are always there, and a fact's section path and table title are stated once,
in ``sections`` and ``tables``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractor.batch import BatchOptions, run_batch
from extractor.export import document_json
from extractor.models import Document, Fact, Provenance, Section, TableRef, TableSummary
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
        provenance = fact["provenance"]
        assert "section_path" not in provenance  # every fact's is its section's (or table's)
        assert provenance.get("table") is None or "title" not in provenance["table"]
        assert {"section_id", "sentence", "quote"} <= set(provenance)
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
    assert "table" not in text_fact["provenance"]  # null, the default
    table_fact = next(f for f in record["facts"] if f.get("source") == "table")
    assert table_fact["provenance"]["table"]["row"] >= 0
    assert full["facts"][0]["code_names"] == [] or "code_names" in record["facts"][0]


def test_section_paths_and_table_titles_come_back_from_their_ids() -> None:
    document = extract(SAMPLES / "tables_note.pdf")
    record = json.loads(document_json(document))
    tables = {table["id"]: table for table in record["tables"]}
    sections = {section["id"]: section["path"] for section in record["sections"]}
    loaded = Document.model_validate(record)
    for stored, fact in zip(record["facts"], loaded.facts, strict=True):
        provenance = fact.provenance
        table = tables.get(stored["provenance"]["section_id"])
        if table is not None:
            assert provenance.section_path == [table["title"]]
            assert provenance.table is not None
            assert (provenance.table.title, provenance.table.kind) == (
                table["title"],
                table["kind"],
            )
        else:
            assert provenance.section_path == sections.get(provenance.section_id, [])
    assert any(f.provenance.table for f in loaded.facts)
    assert any(not f.provenance.table and f.provenance.section_path for f in loaded.facts)


def _document(path: list[str], title: str, kind: str | None) -> Document:
    """A made-up note with one section (1: 一、收入) and one table (t0: 收入表, income_summary),
    one text fact in section 1 and one table fact in t0, as given."""
    text_fact = Fact(
        id="income.total@0",
        field="income.total",
        label="收入",
        pattern="p",
        provenance=Provenance(section_path=path, section_id="1", sentence="s", quote="q"),
    )
    table_fact = Fact(
        id="income.total@t0r0c1",
        field="income.total",
        label="收入",
        pattern="table.income_summary",
        source="table",
        provenance=Provenance(
            section_path=["收入表"],
            section_id="t0",
            sentence="s",
            quote="q",
            table=TableRef(title=title, kind=kind, row=0, column="合计"),
        ),
    )
    return Document(
        tool_version="0",
        patterns_version="0",
        status="ok",
        source={"path": "x", "file_name": "x", "sha256": "0", "size_bytes": 0},
        sections=[Section(id="1", title="一、收入", path=["一、收入"], level=1, families=[])],
        tables=[
            TableSummary(id="t0", title="收入表", kind="income_summary", pages=[1], rows=1, facts=1)
        ],
        facts=[text_fact, table_fact],
    )


@pytest.mark.parametrize(
    ("path", "title", "kind"),
    [
        (["一、收入"], "收入表", "income_summary"),  # as the ids name them: left out
        ([], "收入表", "income_summary"),  # no path, where the section has one
        (["别的标题"], "", None),  # a path and a table other than the ids'
        (["一、收入"], "收入表", None),  # the table's title, not its kind
    ],
)
def test_a_path_or_table_other_than_its_ids_is_kept(
    path: list[str], title: str, kind: str | None
) -> None:
    document = _document(path, title, kind)
    record = json.loads(document_json(document))
    assert Document.model_validate(record) == document
    stored = record["facts"][0]["provenance"]
    assert ("section_path" in stored) == (path != ["一、收入"])
    stored_table = record["facts"][1]["provenance"]["table"]
    assert ("title" in stored_table) == ((title, kind) != ("收入表", "income_summary"))


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
