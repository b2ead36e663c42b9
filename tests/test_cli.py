"""The command line, through click's test runner: outputs, formats, exit codes, help."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import app
from extractor.models import SCHEMA_VERSION

from .conftest import ROOT, SAMPLES

runner = CliRunner()


def _run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), catch_exceptions=False)


def _extract(out: Path, *inputs: Path, options: tuple[str, ...] = ()) -> int:
    """`budget-notes extract INPUTS --out OUT --jobs 1 OPTIONS`; the exit status."""
    args = ["extract", *map(str, inputs), "--out", str(out), "--jobs", "1", *options]
    return int(_run(*args).exit_code)


def test_extract_writes_json_and_combined_tables(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run(
        "extract",
        str(SAMPLES / "seed.txt"),
        str(SAMPLES / "tables_note.docx"),
        "--out",
        str(out),
        "--jobs",
        "1",
        "--jsonl",
    )
    assert result.exit_code == 0, result.output
    document = json.loads((out / "seed.json").read_text(encoding="utf-8"))
    assert (
        document["status"] == "ok"
        and document["info"]["unit"] == "遂宁市安居区政务服务便民热线中心"
    )
    raw = (out / "seed.json").read_text(encoding="utf-8")
    assert "遂宁市" in raw and "\\u" not in raw  # readable Chinese, not escapes
    for name in ("documents", "facts", "items", "checks", "unparsed"):
        data = (out / f"{name}.csv").read_bytes()
        assert data.startswith(b"\xef\xbb\xbf"), name  # UTF-8 with BOM: Excel opens it correctly
    with (out / "facts.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["file_name"] for r in rows} == {"seed.txt", "tables_note.docx"}
    assert all(r["schema_version"] == SCHEMA_VERSION for r in rows)
    item = next(r for r in rows if r["code"] == "201-03-50")
    assert (item["amount_wan"], item["unit"], item["year"], item["page"] or "-") == (
        "154.41",
        "遂宁市安居区政务服务便民热线中心",
        "2024",
        "-",
    )
    assert item["sentence"].startswith("1.一般公共服务（201类）")
    jsonl = [
        json.loads(line) for line in (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(jsonl) == len(rows)
    with (out / "items.csv").open(encoding="utf-8-sig", newline="") as handle:
        items = list(csv.DictReader(handle))
    seed_items = [i for i in items if i["file_name"] == "seed.txt" and i["level"] == "项"]
    assert {i["code"] for i in seed_items} == {
        "201-03-50",
        "201-03-99",
        "208-05-05",
        "208-99-99",
        "210-11-02",
        "221-02-01",
    }
    report = [
        json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [r["status"] for r in report] == ["ok", "ok"]
    assert all(r["sha256"] and r["milliseconds"] >= 0 and r["facts"] > 0 for r in report)


def test_csv_without_bom_on_request(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _extract(out, SAMPLES / "seed.txt", options=("--no-bom",)) == 0
    assert (out / "facts.csv").read_bytes().startswith(b"schema_version,")


def test_exit_status_two_on_usage_errors(tmp_path: Path) -> None:
    assert (
        _run("extract", str(tmp_path / "missing.pdf"), "--out", str(tmp_path / "o")).exit_code == 2
    )
    assert (
        _run(
            "extract", str(SAMPLES / "seed.txt"), "--out", str(tmp_path / "o"), "--kind", "月报"
        ).exit_code
        == 2
    )
    assert (
        runner.invoke(app, ["extract", str(SAMPLES / "seed.txt")]).exit_code == 2
    )  # --out missing


def test_exit_status_one_when_a_file_fails_and_the_rest_is_written(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "good.txt").write_bytes((SAMPLES / "seed.txt").read_bytes())
    (inputs / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    assert _extract(out, inputs) == 1
    assert json.loads((out / "good.json").read_text(encoding="utf-8"))["status"] == "ok"
    failed = json.loads((out / "empty.json").read_text(encoding="utf-8"))
    assert failed["status"] == "failed" and failed["errors"][0]["code"] == "empty"


def test_schema_command_prints_the_published_schema() -> None:
    result = _run("schema")
    published = json.loads((ROOT / "schema" / "document.schema.json").read_text(encoding="utf-8"))
    assert json.loads(result.output) == published


def test_readme_documents_every_option_of_extract() -> None:
    help_text = runner.invoke(app, ["extract", "--help"], terminal_width=200).output
    options = set(re.findall(r"--[a-z][a-z-]+", help_text)) - {"--help"}
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = sorted(o for o in options if o not in readme)
    assert not missing, f"README does not mention {missing}"


def test_check_patterns_command() -> None:
    result = _run("check-patterns")
    assert result.exit_code == 0 and "ok" in result.output


def test_parquet_tables_for_pandas_and_r(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out"
    assert _extract(out, SAMPLES / "seed.txt", options=("--parquet",)) == 0
    table = pq.read_table(out / "facts.parquet")
    assert table.num_rows == 82 and "amount_wan" in table.column_names
    assert table.column("schema_version").to_pylist()[0] == SCHEMA_VERSION


def test_output_is_deterministic(tmp_path: Path) -> None:
    for name in ("a", "b"):
        assert _extract(tmp_path / name, SAMPLES / "tables_note.pdf", options=("--jsonl",)) == 0
    for file in ("tables_note.json", "facts.csv", "checks.csv", "items.csv", "facts.jsonl"):
        assert (tmp_path / "a" / file).read_bytes() == (tmp_path / "b" / file).read_bytes(), file


def test_an_overlay_asked_for_applies_to_every_note_and_an_unknown_one_is_a_usage_error(
    tmp_path: Path,
) -> None:
    note = tmp_path / "in" / "note.txt"
    note.parent.mkdir()
    note.write_text(
        "浙江省某某厅2024年部门预算\n二、收入预算情况\n3．其他资金收入预算总计8.5万元，与上年数一致。\n",
        encoding="utf-8",
    )
    unknown = _run("extract", str(note.parent), "--out", str(tmp_path / "a"), "--overlay", "nosuch")
    assert unknown.exit_code == 2 and "nosuch" in unknown.output
    result = _run(
        "extract", str(note.parent), "--out", str(tmp_path / "b"), "--overlay", "jiangsu", "-q"
    )
    assert result.exit_code == 0, result.output
    document = json.loads((tmp_path / "b" / "note.json").read_text(encoding="utf-8"))
    assert document["info"]["overlays"] == ["jiangsu"]
    assert any(f["field"] == "income.other_funds" for f in document["facts"])
    plain = _run("extract", str(note.parent), "--out", str(tmp_path / "c"), "-q")
    assert plain.exit_code == 0
    assert (
        "overlays"
        not in json.loads((tmp_path / "c" / "note.json").read_text(encoding="utf-8"))["info"]
    )
