"""The nightly job: settings in the manifest key, retries, prune and renames, files that change
while they are read, a corrupt or old manifest, include/exclude, indexed lookups."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

import pytest

from extractor import batch
from extractor.batch import BatchOptions, CannotRunError, Filters, run_batch, runner, worker
from extractor.batch.discovery import Found, discover
from extractor.batch.manifest import Manifest
from extractor.pipeline import Options, extract
from extractor.readers.limits import Limits

from .conftest import SAMPLES
from .test_batch import _notes

real_extract = worker.extract


def _age(*paths: Path) -> None:
    """Move modification times back past the tick a run does not trust (files written in
    the last two seconds are hashed again by the next run)."""
    for path in paths:
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10_000_000_000))


def _inline(out: Path, **changes: object) -> BatchOptions:
    return BatchOptions(out=out, in_process=True, **changes)  # type: ignore[arg-type]


def _rows(out: Path, table: str) -> list[dict[str, str]]:
    with (out / f"{table}.csv").open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _report(out: Path) -> dict[str, dict[str, object]]:
    lines = (out / "report.jsonl").read_text(encoding="utf-8").splitlines()
    return {Path(r["path"]).name: r for r in map(json.loads, lines)}


# --- the manifest key holds every option that changes a result --------------------------------


def test_every_option_that_changes_results_makes_files_processed_again(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLES / "seed.pdf", inputs / "seed.pdf")
    out = tmp_path / "out"

    def run(**pipeline: object) -> tuple[str, str]:
        options = Options(**pipeline)  # type: ignore[arg-type]
        run_batch([str(inputs)], _inline(out, pipeline=options))
        line = _report(out)["seed.pdf"]
        return str(line["status"]), str(line["reason"] or "").split(":")[0]

    assert run(limits=Limits(max_pages=1)) == ("failed", "too_large")
    assert run() == ("ok", "")  # the failure under --max-pages 1 is not "done" by default
    assert run() == ("skipped", "unchanged since the last run")
    assert run(tables=False) == ("ok", "")
    assert run(tables=False) == ("skipped", "unchanged since the last run")
    assert run(include_text=False) == ("ok", "")
    assert run(expect_kind="决算") == ("failed", "kind_mismatch")
    assert run(expect_kind="决算")[0] == "skipped"  # a permanent failure is not retried
    assert run(expect_kind="预算") == ("ok", "")
    document = json.loads((out / "seed.json").read_text(encoding="utf-8"))
    assert document["status"] == "ok" and document["text"]  # the last run's result


def test_the_settings_key_covers_every_pipeline_option() -> None:
    defaults = batch.settings_key(Options())
    changed = [
        Options(limits=Limits(max_pages=5)),
        Options(limits=Limits(max_bytes=10)),
        Options(limits=Limits(max_docx_uncompressed=10)),
        Options(convert=True),
        Options(tables=False),
        Options(expect_kind="预算"),
        Options(include_text=False),
    ]
    keys = {batch.settings_key(options) for options in changed}
    assert defaults not in keys and len(keys) == len(changed)


# --- retries -------------------------------------------------------------------------------------


def _flaky_extract(path: str, options: Options | None = None, **kwargs: bytes | None) -> object:
    marker = Path(path).with_suffix(".failed-once")
    if Path(path).name.startswith("flaky") and not marker.exists():
        marker.write_text("x")
        raise MemoryError  # as a file over --max-memory would
    return real_extract(path, options, **kwargs)


def test_transient_failures_are_retried_and_permanent_ones_are_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "extract", _flaky_extract)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "flaky.txt").write_bytes((SAMPLES / "seed.txt").read_bytes())
    (inputs / "empty.pdf").write_bytes(b"")
    out = tmp_path / "out"
    first = run_batch([str(inputs)], _inline(out))
    report = _report(out)
    assert (report["flaky.txt"]["status"], report["flaky.txt"]["failure"]) == (
        "failed",
        "transient",
    )
    assert str(report["flaky.txt"]["reason"]).startswith("memory_limit:")
    assert (report["empty.pdf"]["status"], report["empty.pdf"]["failure"]) == (
        "failed",
        "permanent",
    )
    assert first.exit_code == 1

    second = run_batch([str(inputs)], _inline(out))
    report = _report(out)
    assert report["flaky.txt"]["status"] == "ok"  # retried
    assert report["flaky.txt"]["facts"] == 82
    # Not retried, but still listed, with the stored outcome and reason.
    assert report["empty.pdf"]["status"] == "skipped"
    assert (report["empty.pdf"]["outcome"], report["empty.pdf"]["failure"]) == (
        "failed",
        "permanent",
    )
    assert "empty" in str(report["empty.pdf"]["reason"])
    assert (second.ok, second.skipped, second.failed, second.known_failures) == (1, 1, 0, 1)
    assert second.exit_code == 0  # nothing failed in this run
    assert {r["file_name"] for r in _rows(out, "documents")} == {"flaky.txt", "empty.pdf"}


def test_failures_seen_by_the_main_process_are_transient() -> None:
    for code in ("timeout", "worker_crashed", "memory_limit", "changed_while_reading"):
        assert batch.failure_class([code]) == "transient"
    for code in ("empty", "corrupt_pdf", "no_text_layer", "internal_error", "too_large"):
        assert batch.failure_class([code]) == "permanent"


# --- prune and renames ----------------------------------------------------------------------------


def test_renames_update_paths_and_prune_removes_deleted_inputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    paths = _notes(inputs, 3)
    out = tmp_path / "out"
    run_batch([str(inputs)], _inline(out))
    gone_id = next(r["document_id"] for r in _rows(out, "documents") if "001" in r["file_name"])

    paths[1].unlink()
    (inputs / "moved").mkdir()
    renamed = inputs / "moved" / "renamed.txt"
    paths[2].rename(renamed)
    kept = run_batch([str(inputs)], _inline(out))
    assert (kept.ok, kept.skipped, kept.removed) == (0, 2, 0)  # nothing processed again
    documents = {r["file_name"]: r for r in _rows(out, "documents")}
    assert set(documents) == {"note_000.txt", "note_001.txt", "renamed.txt"}  # no --prune
    assert documents["renamed.txt"]["path"] == str(renamed)
    assert {r["file_name"] for r in _rows(out, "facts")} == set(documents)
    assert (out / "renamed.json").exists() and not (out / "note_002.json").exists()
    relabelled = json.loads((out / "renamed.json").read_text(encoding="utf-8"))
    assert relabelled["source"]["path"] == str(renamed) and len(relabelled["facts"]) == 82

    pruned = run_batch([str(inputs)], _inline(out, prune=True))
    assert (pruned.ok, pruned.skipped, pruned.removed) == (0, 2, 1)
    assert _report(out)["note_001.txt"]["status"] == "removed"
    assert {r["file_name"] for r in _rows(out, "documents")} == {"note_000.txt", "renamed.txt"}
    assert gone_id not in {r["document_id"] for r in _rows(out, "facts")}
    assert not (out / "note_001.json").exists()
    assert not list((out / "parts").glob(f"{gone_id}.*"))


def test_a_copy_keeps_its_content_when_the_labelled_file_is_pruned(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    (inputs / "a").mkdir(parents=True)
    (inputs / "b").mkdir()
    data = (SAMPLES / "seed.txt").read_bytes()
    (inputs / "a" / "seed.txt").write_bytes(data)
    (inputs / "b" / "copy.txt").write_bytes(data)
    _age(inputs / "a" / "seed.txt", inputs / "b" / "copy.txt")
    out = tmp_path / "out"
    first = run_batch([str(inputs)], _inline(out))
    assert (first.ok, first.skipped) == (1, 1)
    (inputs / "a" / "seed.txt").unlink()
    again = run_batch([str(inputs)], _inline(out, prune=True))
    assert (again.ok, again.removed) == (0, 1)
    documents = _rows(out, "documents")
    assert [r["path"] for r in documents] == [str(inputs / "b" / "copy.txt")]
    assert len(_rows(out, "facts")) == 82


def test_prune_refuses_when_the_inputs_are_empty(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    _notes(inputs, 2)
    out = tmp_path / "out"
    run_batch([str(inputs)], _inline(out))
    for path in inputs.iterdir():
        path.unlink()  # an unmounted share looks like this
    with pytest.raises(CannotRunError, match="no files"):
        run_batch([str(inputs)], _inline(out, prune=True))
    assert len(_rows(out, "documents")) == 2


# --- a file that changes while it is read -----------------------------------------------------


def _growing_extract(path: str, options: Options | None = None, **kwargs: bytes | None) -> object:
    """The scraper is still writing the file while it is parsed."""
    file = Path(path)
    if file.name == "growing.txt" and not file.with_suffix(".done").exists():
        file.with_suffix(".done").write_text("x")
        with file.open("a", encoding="utf-8") as handle:
            handle.write(REST)
    return real_extract(path, options, **kwargs)


SEED = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
HALF = SEED[: len(SEED) // 2]
REST = SEED[len(SEED) // 2 :]


def test_a_file_rewritten_while_it_is_read_is_retried_next_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "extract", _growing_extract)
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "growing.txt").write_text(HALF, encoding="utf-8")
    out = tmp_path / "out"
    run_batch([str(inputs)], _inline(out))
    line = _report(out)["growing.txt"]
    assert (line["status"], line["failure"]) == ("failed", "transient")
    assert str(line["reason"]).startswith("changed_while_reading:")
    # The next run reads the whole file and stores it under the hash of what it parsed.
    run_batch([str(inputs)], _inline(out))
    line = _report(out)["growing.txt"]
    assert (line["status"], line["facts"]) == ("ok", 82)
    assert line["sha256"] == hashlib.sha256(SEED.encode("utf-8")).hexdigest()
    assert len(_rows(out, "documents")) == 1  # the half-read content left no rows


def test_the_pipeline_parses_the_bytes_it_was_given_and_hashes_them(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(HALF, encoding="utf-8")
    data = SEED.encode("utf-8")
    document = extract(path, data=data)
    assert document.source.sha256 == hashlib.sha256(data).hexdigest()
    assert document.source.size_bytes == len(data) and len(document.facts) == 82


def test_a_nothing_to_do_run_reads_no_input(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    paths = _notes(inputs, 3)
    out = tmp_path / "out"
    run_batch([str(inputs)], _inline(out))
    _age(*paths)
    run_batch([str(inputs)], _inline(out))  # records the older times (hashing the files)

    def no_reading(*args: object, **kwargs: object) -> None:
        raise AssertionError("an input was read")

    monkeypatch.setattr(runner, "hash_file", no_reading)
    monkeypatch.setattr(runner, "process_file", no_reading)
    summary = run_batch([str(inputs)], _inline(out))
    assert (summary.skipped, summary.ok) == (3, 0)


# --- the manifest ---------------------------------------------------------------------------------


def test_a_corrupt_manifest_is_set_aside_and_rebuilt_from_the_outputs(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    _notes(inputs, 3)
    out = tmp_path / "out"
    run_batch([str(inputs)], _inline(out))
    for leftover in out.glob("manifest.sqlite-*"):
        leftover.unlink()
    (out / "manifest.sqlite").write_bytes(b"this is not a database" * 100)
    warnings: list[str] = []
    again = run_batch([str(inputs)], _inline(out), warn=warnings.append)
    assert len(warnings) == 1 and "set aside" in warnings[0] and "3 documents" in warnings[0]
    assert len(list(out.glob("manifest.sqlite.corrupt-*"))) == 1
    assert (again.ok, again.skipped) == (0, 3)  # rebuilt: nothing processed again
    assert len(_rows(out, "documents")) == 3
    third = run_batch([str(inputs)], _inline(out), warn=warnings.append)
    assert third.skipped == 3 and len(warnings) == 1


def test_a_manifest_of_the_first_schema_is_migrated(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    (path,) = _notes(inputs, 1)
    out = tmp_path / "out"
    out.mkdir()
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    db = sqlite3.connect(out / "manifest.sqlite")
    db.execute(
        "CREATE TABLE documents (sha256 TEXT PRIMARY KEY, document_id TEXT NOT NULL,"
        " output_stem TEXT NOT NULL, status TEXT NOT NULL, reason TEXT, tool_version TEXT NOT NULL,"
        " patterns_version TEXT NOT NULL, schema_version TEXT NOT NULL, paths TEXT NOT NULL,"
        " processed_at TEXT NOT NULL)"
    )
    db.execute(
        "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
        (sha, sha[:16], "kept_name", "ok", None, "0.1.0", "x", "1.0", json.dumps([str(path)]), "t"),
    )
    db.commit()
    db.close()
    (out / "kept_name.json").write_text("{}", encoding="utf-8")
    summary = run_batch([str(inputs)], _inline(out))
    assert summary.ok == 1  # its options were not recorded: processed once more
    assert json.loads((out / "kept_name.json").read_text(encoding="utf-8"))["facts"]
    db = sqlite3.connect(out / "manifest.sqlite")
    assert db.execute("PRAGMA user_version").fetchone()[0] == 2
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "documents" not in tables and {"contents", "paths", "meta"} <= tables
    db.close()
    assert run_batch([str(inputs)], _inline(out)).skipped == 1


def test_a_manifest_from_a_newer_version_stops_the_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    db = sqlite3.connect(out / "manifest.sqlite")
    db.execute("PRAGMA user_version = 99")
    db.execute("CREATE TABLE future (x)")
    db.commit()
    db.close()
    with pytest.raises(CannotRunError, match="newer"):
        run_batch([str(SAMPLES / "seed.txt")], _inline(out))
    assert (out / "manifest.sqlite").exists() and not list(out.glob("*.corrupt-*"))


@pytest.mark.parametrize(
    ("query", "arguments"),
    [
        ("SELECT * FROM paths WHERE path = ?", ("x",)),
        ("SELECT * FROM contents WHERE sha256 = ?", ("x",)),
        ("SELECT 1 FROM contents WHERE size = ?", (1,)),
        ("SELECT * FROM contents WHERE output_stem = ?", ("x",)),
        ("SELECT path FROM paths WHERE sha256 = ? AND path != ? ORDER BY path LIMIT 1", ("x", "y")),
    ],
)
def test_manifest_lookups_use_an_index(
    tmp_path: Path, query: str, arguments: tuple[object]
) -> None:
    manifest = Manifest(tmp_path / "manifest.sqlite")
    plan = " ".join(
        str(row[-1]) for row in manifest.db.execute(f"EXPLAIN QUERY PLAN {query}", arguments)
    )
    manifest.close()
    assert "USING" in plan and "INDEX" in plan, plan  # a search, not a scan of the table


# --- which files a run takes ------------------------------------------------------------------


def test_discovery_leaves_out_sidecars_spreadsheets_and_hidden_files(tmp_path: Path) -> None:
    names = [
        "a.pdf",
        "b.txt",
        "b.txt.source.txt",
        "C.PDF",
        "table.xlsx",
        "old.xls",
        "data.csv",
        "seal.png",
        "a.json",
        "~$draft.docx",
        "loading.pdf.part",
        "._a.pdf",
        ".~lock.b.docx#",
        ".git/notes.txt",
        "sub/f.docx",
        "sub/deeper/g.txt",
    ]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")

    def taken(filters: Filters) -> list[str]:
        found = discover([str(tmp_path)], filters)
        return [str(Path(f.path).relative_to(tmp_path)) for f in found if isinstance(f, Found)]

    assert taken(Filters()) == ["C.PDF", "a.pdf", "b.txt", "sub/deeper/g.txt", "sub/f.docx"]
    assert taken(Filters.of(None, ["sub/deeper/*"])) == ["C.PDF", "a.pdf", "b.txt", "sub/f.docx"]
    assert taken(Filters.of(["*.pdf"], None)) == ["C.PDF", "a.pdf"]
    assert taken(Filters.of(["*.xlsx"], None)) == ["table.xlsx"]
    # A file named on the command line is taken as given.
    given = list(discover([str(tmp_path / "table.xlsx")], Filters()))
    assert [Path(f.path).name for f in given] == ["table.xlsx"]


def test_the_output_folder_inside_an_input_folder_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "seed.txt").write_bytes((SAMPLES / "seed.txt").read_bytes())
    out = tmp_path / "out"
    run_batch([str(tmp_path)], _inline(out))
    (out / "extra.txt").write_bytes((SAMPLES / "seed.txt").read_bytes())
    summary = run_batch([str(tmp_path)], _inline(out))
    assert summary.files == 1
