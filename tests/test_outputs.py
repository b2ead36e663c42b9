"""The batch's tables as a researcher reads them: summary.csv (one row per note), values.csv
(one value per figure), items.csv (one row per code), facts.csv's resolution marks,
Excel-safe CSV, Parquet with real types, streaming combine, datapackage.json.

Expected figures are read off samples/seed.txt and samples/tables_note.README.md."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from extractor import export
from extractor.batch import BatchOptions, run_batch
from extractor.export.columns import TABLES

from .conftest import SAMPLES

SEED_UNIT = "遂宁市安居区政务服务便民热线中心"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("outputs") / "out"
    inputs = [str(SAMPLES / "seed.txt"), str(SAMPLES / "tables_note.pdf")]
    summary = run_batch(inputs, BatchOptions(out=folder, in_process=True, parquet=True, jsonl=True))
    assert summary.ok == 2
    return folder


def _note(rows: list[dict[str, str]], file_name: str) -> list[dict[str, str]]:
    return [r for r in rows if r["file_name"] == file_name]


def test_summary_has_one_row_per_note_with_the_seeds_headline_figures(out: Path) -> None:
    rows = _read(out / "summary.csv")
    assert sorted(r["file_name"] for r in rows) == ["seed.txt", "tables_note.pdf"]
    (seed,) = _note(rows, "seed.txt")
    # 区热线中心2024年收支总预算221.17万元 … 基本支出191.17万元 … 项目支出30万元; 人员经费171.43,
    # 公用经费19.74; “三公”经费6.1万元: 因公出国（境）经费0, 公务接待费1.1, 公务用车购置及运行维护费5.
    assert {
        k: seed[k] for k in ("unit", "year", "kind", "scope", "phase", "region_1", "region_2")
    } == {
        "unit": SEED_UNIT,
        "year": "2024",
        "kind": "预算",
        "scope": "部门",
        "phase": "approved",
        "region_1": "遂宁市",
        "region_2": "安居区",
    }
    expected = {
        "total_income_expenditure": "221.17",
        "income_general_budget": "221.17",
        "income_government_fund": "0",
        "expenditure_total": "221.17",
        "expenditure_basic": "191.17",
        "expenditure_project": "30",
        "basic_personnel": "171.43",
        "basic_public": "19.74",
        "sangong_total": "6.1",
        "sangong_overseas": "0",
        "sangong_reception": "1.1",
        "sangong_vehicle": "5",
        "sangong_vehicle_purchase": "0",
    }
    assert {k: seed[k] for k in expected} == expected
    assert seed["sangong_total_budget"] == ""  # a 预算 note has no budget-vs-final figure


def test_values_resolve_each_figure_once_and_facts_mark_the_one_reported(out: Path) -> None:
    values = _note(_read(out / "values.csv"), "seed.txt")
    concepts = [v["concept"] for v in values]
    assert len(concepts) == len(set(concepts))
    basic = next(v for v in values if v["concept"] == "expenditure.basic")
    # 基本支出191.17 is stated twice (支出预算情况 and 一般公共预算基本支出情况说明).
    assert (basic["value"], basic["statements"], basic["decided_by"]) == (
        "191.17",
        "2",
        "unanimous",
    )
    facts = _note(_read(out / "facts.csv"), "seed.txt")
    chosen = Counter(f["concept"] for f in facts if f["resolved"] == "chosen")
    assert set(chosen.values()) == {1}  # one reported row per concept
    # A fact marks its first figure: a row with an amount and a count (绩效 projects) marks the
    # amount; every other concept is marked on a fact of its own.
    assert set(chosen) == {v["concept"] for v in values if v["measure"] != "count"} | {
        v["concept"]
        for v in values
        if v["measure"] == "count" and not v["concept"].startswith("performance.")
    }
    ids = {f["fact_id"] for f in facts}
    assert all(v["chosen_fact"] in ids for v in values)
    sangong = [f for f in facts if f["concept"] == "sangong.total" and f["resolved"] == "chosen"]
    assert [f["amount_wan"] for f in sangong] == ["6.1"]


def test_the_researchers_groupby_no_longer_counts_a_figure_twice(out: Path) -> None:
    # The complaint: facts.csv has every 类 figure twice for the seed (两处 statements).
    facts = _note(_read(out / "facts.csv"), "seed.txt")
    stated = [f for f in facts if f["field"] == "expenditure.class" and f["code"] == "201"]
    assert len(stated) == 2
    assert [f["amount_wan"] for f in stated if f["resolved"] == "chosen"] == ["184.41"]


def test_items_one_row_per_code_with_names_level_and_measures(out: Path) -> None:
    items = _read(out / "items.csv")
    seed = {r["code"]: r for r in _note(items, "seed.txt")}
    assert len(seed) == len(_note(items, "seed.txt"))
    # 1. 一般公共服务（201类）政府办公厅（室）及相关机构事务支出（03款）事业运行（50项）…154.41万元
    line = seed["201-03-50"]
    assert (line["level"], line["class_code"], line["kuan_code"], line["xiang_code"]) == (
        "项",
        "201",
        "201-03",
        "201-03-50",
    )
    assert (line["kuan_name"], line["xiang_name"], line["total"]) == (
        "政府办公厅（室）及相关机构事务支出",
        "事业运行",
        "154.41",
    )
    assert line["purpose"].startswith("办公室正常运转的基本支出")
    assert (seed["201"]["level"], seed["201"]["total"], seed["201"]["statements"]) == (
        "类",
        "184.41",
        "2",
    )
    assert sorted(c for c, r in seed.items() if r["level"] == "项") == [
        "201-03-50",
        "201-03-99",
        "208-05-05",
        "208-99-99",
        "210-11-02",
        "221-02-01",
    ]


def test_items_take_the_tables_parts_and_resolve_the_planted_narrative_mistake(out: Path) -> None:
    note = {r["code"]: r for r in _note(_read(out / "items.csv"), "tables_note.pdf")}
    # Planted mistake (a): the narrative says 信息化建设（07项）313.56万元, the 项 row 2010607 of
    # 2025年部门支出预算总表 3,125,600.00 元 (0.00 基本支出, 3,125,600.00 项目支出).
    line = note["201-06-07"]
    figures = tuple(Decimal(line[k]) for k in ("total", "basic", "project"))
    assert figures == (Decimal("312.56"), Decimal(0), Decimal("312.56"))
    assert (line["source"], line["agreement"], line["table_kind"]) == (
        "text+table",
        "differs",
        "expenditure_summary",
    )
    assert "reconcile.text_table" in line["checks"]
    values = _note(_read(out / "values.csv"), "tables_note.pdf")
    resolved = next(v for v in values if v["concept"] == "expenditure.item[201-06-07]")
    assert (resolved["decided_by"], resolved["differing_values"]) == ("tables_first", "313.56")


def test_parquet_has_real_types_and_the_csv_values(out: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    facts = pq.read_table(out / "facts.parquet")
    schema = facts.schema
    assert schema.field("amount_wan").type == pa.decimal128(38, 6)
    assert schema.field("year").type == pa.int64() and schema.field("page").type == pa.int64()
    assert schema.field("code").type == pa.string()
    rows = _read(out / "facts.csv")
    assert facts.num_rows == len(rows)
    amounts = [Decimal(r["amount_wan"]) if r["amount_wan"] else None for r in rows]
    assert facts.column("amount_wan").to_pylist() == amounts
    checks = pq.read_table(out / "checks.parquet")
    assert checks.schema.field("passed").type == pa.bool_()
    summary = pq.read_table(out / "summary.parquet").to_pylist()
    seed = next(r for r in summary if r["file_name"] == "seed.txt")
    assert seed["sangong_total"] == Decimal("6.1") and seed["year"] == 2024


def test_parquet_loads_in_pandas_with_numeric_amounts(out: Path) -> None:
    pytest.importorskip("pandas")
    # In a child process: pandas and its Arrow map hundreds of MB of address space, which
    # every batch worker forked later from this test process would inherit.
    script = f"""
import json, pandas as pd
frame = pd.read_parquet({str(out / "items.parquet")!r}, dtype_backend="pyarrow")
seed = frame[frame["file_name"] == "seed.txt"]
print(json.dumps([
    pd.api.types.is_numeric_dtype(frame["total"]),
    pd.api.types.is_integer_dtype(frame["year"]),
    float(seed.loc[seed["level"] == "类", "total"].sum()),
]))
"""
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    numeric, integer, classes = json.loads(found.stdout)
    assert numeric and integer
    assert classes == pytest.approx(221.17)  # 184.41 + 15.65 + 8.73 + 12.38


def test_parquet_streams_in_row_groups(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    from extractor.export import parquet

    monkeypatch.setattr(parquet, "BATCH_ROWS", 10)
    out = tmp_path / "out"
    run_batch([str(SAMPLES / "seed.txt")], BatchOptions(out=out, in_process=True, parquet=True))
    facts = pq.ParquetFile(out / "facts.parquet")
    assert facts.metadata.num_rows == 82 and facts.metadata.num_row_groups == 9


def test_a_formula_in_a_notes_text_is_inert_in_the_csv_and_raw_on_request(tmp_path: Path) -> None:
    note = tmp_path / "in" / "formula.txt"
    note.parent.mkdir()
    text = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
    formula = '=HYPERLINK("http://example.invalid/x","点击")另安排工作经费12.5万元。'
    note.write_text(
        text.replace(
            "六、一般公共预算基本支出情况说明", formula + "\n六、一般公共预算基本支出情况说明"
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run_batch([str(note)], BatchOptions(out=out, in_process=True))
    cells = [c for r in _read(out / "unparsed.csv") + _read(out / "facts.csv") for c in r.values()]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    raw = tmp_path / "raw"
    run_batch([str(note)], BatchOptions(out=raw, in_process=True, excel_safe=False))
    raw_cells = [
        c for r in _read(raw / "unparsed.csv") + _read(raw / "facts.csv") for c in r.values()
    ]
    assert any(c.startswith("=HYPERLINK(") for c in raw_cells)
    assert not any(c.startswith("'=") for c in raw_cells)
    # Switching back and forth is a combine option: the same parts serve both.
    export.combine(raw, _ids(raw))
    cells = [c for r in _read(raw / "unparsed.csv") + _read(raw / "facts.csv") for c in r.values()]
    assert any(c.startswith("'=HYPERLINK(") for c in cells)


def _ids(out: Path) -> list[str]:
    return [r["document_id"] for r in _read(out / "documents.csv")]


def test_numbers_are_never_escaped() -> None:
    from extractor.export.csvfile import cell_text, excel_safe_text

    assert excel_safe_text("-5") == "'-5" and excel_safe_text("@a") == "'@a"
    assert excel_safe_text("\tx") == "'\tx" and excel_safe_text("a=b") == "a=b"
    assert cell_text(Decimal("-5.20")) == "-5.20"  # a number cell is written as it is


def test_combine_streams_the_parts_and_never_reads_a_whole_file(
    out: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "copy"
    (copy / "parts").mkdir(parents=True)
    for part in (out / "parts").iterdir():
        (copy / "parts" / part.name).write_bytes(part.read_bytes())

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        raise AssertionError(f"combine read {self} whole")

    monkeypatch.setattr(Path, "read_text", refuse)
    monkeypatch.setattr(Path, "read_bytes", refuse)
    export.combine(copy, _ids(out), parquet=True, jsonl=True)
    monkeypatch.undo()
    for name in TABLES:
        assert (copy / f"{name}.csv").read_bytes() == (out / f"{name}.csv").read_bytes(), name
    assert (copy / "facts.jsonl").read_bytes() == (out / "facts.jsonl").read_bytes()


def test_datapackage_describes_every_table_and_validates(out: Path) -> None:
    frictionless = pytest.importorskip("frictionless")
    descriptor = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in descriptor["resources"]}
    assert set(resources) == set(TABLES)
    for name, table in TABLES.items():
        fields = resources[name]["schema"]["fields"]
        assert [f["name"] for f in fields] == table.names
        assert all(f["description"] for f in fields)
        header = (out / f"{name}.csv").read_text(encoding="utf-8-sig").splitlines()[0]
        assert header.split(",") == table.names
    items = {f["name"]: f for f in resources["items"]["schema"]["fields"]}
    assert items["class_code"]["columnType"] == "functional-classification:generic:level1:code"
    assert items["xiang_name"]["columnType"] == "functional-classification:generic:level3:label"
    assert (items["total"]["currency"], items["total"]["factor"]) == ("CNY", 10000)
    assert items["phase"]["columnType"] == "phase:id" and items["year"]["type"] == "integer"
    assert resources["facts"]["schema"]["primaryKey"] == ["document_id", "fact_id"]
    report = frictionless.validate(out / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_an_input_named_like_the_package_descriptor_does_not_overwrite_it(tmp_path: Path) -> None:
    note = tmp_path / "datapackage.txt"
    note.write_bytes((SAMPLES / "seed.txt").read_bytes())
    out = tmp_path / "out"
    run_batch([str(note)], BatchOptions(out=out, in_process=True))
    assert json.loads((out / "datapackage.json").read_text(encoding="utf-8"))["resources"]
    assert json.loads((out / "datapackage_.json").read_text(encoding="utf-8"))["status"] == "ok"


def test_parts_are_compressed_and_the_plain_parts_of_an_earlier_folder_still_combine(
    out: Path, tmp_path: Path
) -> None:
    import gzip

    parts = sorted(p.name for p in (out / "parts").iterdir())
    assert all(name.endswith((".gz", ".documents.csv", ".manifest.json")) for name in parts), parts
    earlier = tmp_path / "earlier"
    (earlier / "parts").mkdir(parents=True)
    for part in (out / "parts").iterdir():  # as a version before the compression wrote them
        data = part.read_bytes()
        name = part.name
        if name.endswith(".gz"):
            data, name = gzip.decompress(data), name[: -len(".gz")]
        (earlier / "parts" / name).write_bytes(data)
    export.combine(earlier, _ids(out), parquet=True, jsonl=True)
    for name in TABLES:
        assert (earlier / f"{name}.csv").read_bytes() == (out / f"{name}.csv").read_bytes(), name
    assert (earlier / "facts.jsonl").read_bytes() == (out / "facts.jsonl").read_bytes()


def test_the_documents_json_is_compact_and_whole(out: Path) -> None:
    from extractor.models import Document

    text = (out / "seed.json").read_text(encoding="utf-8")
    assert text.count("\n") == 1 and '": ' not in text[:200]
    document = Document.model_validate_json(text)
    assert len(document.facts) == 82 and document.text
    lines = (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(_read(out / "facts.csv"))
    assert json.loads(lines[0])["document_id"] and ', "' not in lines[0]


def test_facts_jsonl_is_written_only_when_asked_for_and_follows_the_option(
    out: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    inputs = [str(SAMPLES / "seed.txt"), str(SAMPLES / "tables_note.pdf")]
    plain = run_batch(inputs, BatchOptions(out=folder, in_process=True))
    assert plain.ok == 2 and not (folder / "facts.jsonl").exists()
    assert (folder / "facts.csv").read_bytes() == (out / "facts.csv").read_bytes()

    # Asked for on a run with nothing to process: made from the notes' JSON, the same bytes.
    asked = run_batch(inputs, BatchOptions(out=folder, in_process=True, jsonl=True))
    assert asked.skipped == 2
    assert (folder / "facts.jsonl").read_bytes() == (out / "facts.jsonl").read_bytes()

    # Not asked for again: the file goes, so no stale copy sits beside fresh tables.
    run_batch(inputs, BatchOptions(out=folder, in_process=True))
    assert not (folder / "facts.jsonl").exists()
