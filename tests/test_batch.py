"""Batch runs: skip what is done, re-run what changed, isolate each file, survive kill -9."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, run_batch, worker
from extractor.batch import options as batch_options

from .conftest import ROOT, SAMPLES


def _notes(folder: Path, count: int) -> list[Path]:
    """Distinct budget notes: the seed with its unit renamed (different bytes, same figures)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
    paths = []
    for number in range(count):
        path = folder / f"note_{number:03d}.txt"
        path.write_text(
            text.replace("便民热线中心", f"便民热线中心第{number}分中心", 1), encoding="utf-8"
        )
        paths.append(path)
    return paths


def _facts_per_document(out: Path) -> Counter[str]:
    with (out / "facts.csv").open(encoding="utf-8-sig", newline="") as handle:
        return Counter(row["document_id"] for row in csv.DictReader(handle))


def _options(out: Path, **changes: object) -> BatchOptions:
    return BatchOptions(out=out, jobs=2, **changes)  # type: ignore[arg-type]


def test_second_run_skips_everything_and_renamed_files_are_not_processed_twice(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    _notes(inputs, 3)
    out = tmp_path / "out"
    first = run_batch([str(inputs)], _options(out))
    assert (first.ok, first.skipped, first.failed) == (3, 0, 0)
    second = run_batch([str(inputs)], _options(out))
    assert (second.ok, second.skipped) == (0, 3)
    assert {line.reason for line in second.lines} == {"unchanged since the last run"}
    (inputs / "note_000.txt").rename(inputs / "renamed.txt")
    third = run_batch([str(inputs)], _options(out))
    assert (third.ok, third.skipped) == (0, 3)
    renamed = next(line for line in third.lines if line.path.endswith("renamed.txt"))
    assert renamed.status == "skipped" and "same content as" in (renamed.reason or "")
    assert sorted(_facts_per_document(out).values()) == [82, 82, 82]


def test_changed_content_is_processed_again_and_its_old_output_replaced(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    paths = _notes(inputs, 2)
    out = tmp_path / "out"
    run_batch([str(inputs)], _options(out))
    old_ids = set(_facts_per_document(out))
    paths[0].write_text(
        paths[0].read_text(encoding="utf-8").replace("221.17", "221.18", 1), encoding="utf-8"
    )
    again = run_batch([str(inputs)], _options(out))
    assert (again.ok, again.skipped) == (1, 1)
    ids = set(_facts_per_document(out))
    assert len(ids) == 2 and len(ids - old_ids) == 1  # the old content's rows are gone
    assert len(list((out / "parts").glob("*.documents.csv"))) == 2


def test_a_new_pattern_version_reprocesses_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    _notes(inputs, 2)
    out = tmp_path / "out"
    run_batch([str(inputs)], _options(out))
    monkeypatch.setattr(batch_options, "patterns_version", lambda: "a-newer-version")
    again = run_batch([str(inputs)], _options(out, in_process=True))
    assert (again.ok, again.skipped) == (2, 0)


def test_same_content_twice_in_one_run_is_processed_once(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("a.txt", "b.txt"):
        (inputs / name).write_bytes((SAMPLES / "seed.txt").read_bytes())
    summary = run_batch([str(inputs)], _options(tmp_path / "out"))
    assert (summary.ok, summary.skipped) == (1, 1)


def _slow(path: str, options: object, **kwargs: object) -> object:
    if "hang" in path:
        time.sleep(60)
    if "crash" in path:
        os.kill(os.getpid(), signal.SIGKILL)
    if "hungry" in path:
        hog = bytearray(3 * 1024 * 1024 * 1024)  # more than the cap allows
        del hog
    if "bug" in path:
        raise RuntimeError("a bug in the extractor")
    return batch_extract(path, options, **kwargs)


batch_extract = worker.extract


def test_one_bad_file_never_stops_the_batch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Workers are forked, so they see this replacement of the per-file function.
    monkeypatch.setattr(worker, "extract", _slow)
    inputs = tmp_path / "in"
    _notes(inputs, 2)
    for name in ("hang.txt", "crash.txt", "hungry.txt", "bug.txt"):
        (inputs / name).write_text(
            f"{name} " + (SAMPLES / "seed.txt").read_text(encoding="utf-8"), encoding="utf-8"
        )
    out = tmp_path / "out"
    started = time.perf_counter()
    summary = run_batch([str(inputs)], BatchOptions(out=out, jobs=2, timeout=5, max_memory_mb=1024))
    assert time.perf_counter() - started < 45
    statuses = {
        Path(line.path).name: (line.status, (line.reason or "").split(":")[0])
        for line in summary.lines
    }
    assert statuses["hang.txt"] == ("failed", "timeout")
    assert statuses["crash.txt"] == ("failed", "worker_crashed")
    assert statuses["hungry.txt"] == ("failed", "memory_limit")
    assert statuses["bug.txt"] == ("failed", "internal_error")
    assert statuses["note_000.txt"][0] == statuses["note_001.txt"][0] == "ok"
    assert summary.exit_code == 1
    bug = json.loads((out / "bug.json").read_text(encoding="utf-8"))
    assert bug["status"] == "failed" and "a bug in the extractor" in bug["errors"][0]["message"]


def test_killed_with_sigkill_and_run_again_nothing_is_lost_truncated_or_duplicated(
    tmp_path: Path,
) -> None:
    inputs = tmp_path / "in"
    paths = _notes(inputs, 40)
    out = tmp_path / "out"
    command = [
        sys.executable,
        "-m",
        "extractor.cli",
        "extract",
        str(inputs),
        "--out",
        str(out),
        "--jobs",
        "2",
        "--quiet",
    ]
    process = subprocess.Popen(command, cwd=ROOT, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and len(list(out.glob("note_*.json"))) < 8:
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the runner and its workers, mid-batch
    process.wait()
    written = len(list(out.glob("note_*.json")))
    assert 0 < written < len(paths), "kill the batch in the middle, not before or after"
    for path in out.glob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # every JSON on disk is complete
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    report = [
        json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert len(report) == len(paths)
    assert (
        Counter(r["status"] for r in report)["skipped"] >= written - 2
    )  # what was finished stays done
    facts = _facts_per_document(out)
    assert len(facts) == len(paths) and set(facts.values()) == {82}
    assert not list(out.glob(".*.tmp")) and not list((out / "parts").glob(".*.tmp"))
    assert not (out / "report.jsonl.partial").exists()


def test_outputs_stay_inside_out_whatever_the_input_is_called(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for name in ("..", "...txt", "a b 预算.txt"):
        target = inputs / (name if name != ".." else "..txt")
        target.write_bytes(
            (SAMPLES / "seed.txt")
            .read_bytes()
            .replace(b"221.17", name.encode().hex()[:6].encode(), 1)
        )
    out = tmp_path / "out"
    run_batch([str(inputs)], _options(out))
    written = sorted(p.name for p in out.glob("*.json"))
    assert written and all((out / name).resolve().parent == out.resolve() for name in written)
    assert "a b 预算.json" in written


def test_output_names_do_not_depend_on_which_worker_finishes_first(tmp_path: Path) -> None:
    inputs = [str(SAMPLES / "seed.txt"), str(SAMPLES / "seed.pdf"), str(SAMPLES / "seed.docx")]
    names = []
    for run in ("a", "b"):
        run_batch(inputs, _options(tmp_path / run))
        notes = (tmp_path / run).glob("*.json")
        names.append(sorted(p.name for p in notes if p.name != "datapackage.json"))
    assert names[0] == names[1] and "seed.json" in names[0] and len(names[0]) == 3
    stems = {
        json.loads((tmp_path / "a" / n).read_text(encoding="utf-8"))["source"]["file_name"]: n
        for n in names[0]
    }
    assert stems["seed.txt"] == "seed.json"  # inputs are named in the order given


def _poll_interval(path: str, options: object, hashed: object) -> float:
    """A worker's job that reports how often its pool's threads look at the workers."""
    from pebble.common.types import CONSTS

    return CONSTS.sleep_unit


def test_the_pool_polls_often_while_it_runs_and_restores_pebbles_setting(
    tmp_path: Path,
) -> None:
    from pebble.common.types import CONSTS

    from extractor.batch.executors import Job, execute_pool
    from extractor.batch.results import Task

    before = CONSTS.sleep_unit
    tasks = iter([Task(path=str(tmp_path / "a.txt"), stem="a")])
    job = Job(work=_poll_interval, fail=lambda *failure: pytest.fail(str(failure)))  # type: ignore[arg-type]
    seen = list(execute_pool(tasks, BatchOptions(out=tmp_path / "out", jobs=1), job))
    assert seen == [0.01]  # the worker was forked while the pool looked every 10 ms
    assert CONSTS.sleep_unit == before == 0.1  # pebble's own setting, back for others


def test_a_batch_of_named_files_knows_their_formats_by_their_bytes(tmp_path: Path) -> None:
    from extractor.batch.discovery import input_formats
    from extractor.readers.formats import Format

    disguised = tmp_path / "really_a_word_file.pdf"
    disguised.write_bytes((SAMPLES / "seed.docx").read_bytes())
    named = [str(SAMPLES / "seed.pdf"), str(SAMPLES / "seed.txt"), str(disguised)]
    assert input_formats(named) == {Format.PDF, Format.TXT, Format.DOCX}
    assert input_formats([str(SAMPLES / "seed.pdf")]) == {Format.PDF}
    # A folder, a pattern, a missing file or a long list: any format may come.
    assert input_formats([str(SAMPLES)]) is None
    assert input_formats([str(SAMPLES / "*.pdf")]) is None
    assert input_formats([str(SAMPLES / "seed.pdf"), str(tmp_path / "missing.pdf")]) is None
    assert input_formats([str(SAMPLES / "seed.pdf")] * 65) is None


def test_workers_are_forked_with_what_the_batchs_readers_import_and_nothing_else() -> None:
    import importlib.util

    from extractor.readers.formats import Format
    from extractor.readers.registry import lazy_imports

    assert lazy_imports({Format.PDF}) == ("pdfplumber",)
    assert lazy_imports({Format.DOCX}) == ("lxml.etree",)
    assert lazy_imports({Format.DOC, Format.TXT}) == lazy_imports({Format.DOCX, Format.TXT})
    # The same order whatever order the formats come in (a set's order changes per process).
    assert lazy_imports([Format.TXT, Format.PDF]) == lazy_imports([Format.PDF, Format.TXT])
    everything = lazy_imports(None)
    assert sorted(everything) == ["charset_normalizer", "lxml.etree", "pdfplumber"]
    assert lazy_imports({Format.BINARY, Format.EMPTY}) == ()  # refused unread: nothing to load
    assert lazy_imports({Format.PDF}, tables=False) == ()  # pdfplumber finds tables only
    assert lazy_imports(None, tables=False) == ("lxml.etree", "charset_normalizer")
    # Each is a library the package depends on (python-docx, a tool of scripts/render.py, is
    # not: the DOCX reader parses the XML with lxml).
    for name in everything:
        assert importlib.util.find_spec(name) is not None, name


def test_a_pdf_batch_does_not_load_the_xml_readers_libraries() -> None:
    probe = (
        "import sys\n"
        "from extractor.batch.executors import _preload\n"
        "from extractor.readers.formats import Format\n"
        "_preload(frozenset({Format.PDF}))\n"
        "print('pdfplumber' in sys.modules, 'lxml.etree' in sys.modules)\n"
        "_preload(None)\n"
        "print('lxml.etree' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert shown == ["True", "False", "True"]


@pytest.mark.parametrize(
    ("copies", "extra", "preloaded"),
    [
        (1, [], False),  # one file, one worker: imported there, if the file needs it
        (2, [], True),  # more files than workers: once, before forking
        (2, ["--no-tables"], False),  # without tables no PDF needs pdfplumber
    ],
)
def test_libraries_are_loaded_before_forking_only_for_more_files_than_workers(
    tmp_path: Path, copies: int, extra: list[str], preloaded: bool
) -> None:
    files = []
    for number in range(copies):
        copy = tmp_path / f"note{number}.pdf"
        # a comment after the end: another file (the same bytes twice are read once)
        copy.write_bytes((SAMPLES / "tables_note.pdf").read_bytes() + b"%%%d\n" % number)
        files.append(str(copy))
    probe = (
        "import sys\n"
        "from extractor.cli import app\n"
        "try:\n"
        f"    app({[*files, '--out', str(tmp_path / 'out'), '--jobs', '1', *extra]!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pdfplumber' in sys.modules)\n"
    )
    probe = probe.replace("app([", "app(['extract', ", 1)
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.split()
    assert shown[-1] == str(preloaded)
    assert sorted(p.name for p in (tmp_path / "out").glob("note*.json")) == [
        f"note{n}.json" for n in range(copies)
    ]


def test_a_disk_busy_with_other_writes_ends_the_run_in_bounded_time_and_is_checked_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from extractor.batch import durability, runner

    inputs = tmp_path / "in"
    _notes(inputs, 2)
    out = tmp_path / "out"
    disk_free = threading.Event()

    def busy_disk(handle: int) -> int:  # syncfs waiting on another program's gigabytes
        disk_free.wait(10)
        return 0

    monkeypatch.setattr(durability, "_syncfs", busy_disk)
    monkeypatch.setattr(runner, "FLUSH_SECONDS", 0.2)
    warnings: list[str] = []
    started = time.perf_counter()
    first = run_batch([str(inputs)], _options(out), warn=warnings.append)
    assert time.perf_counter() - started < 8  # not the 10 s the flush would have taken
    disk_free.set()
    assert first.ok == 2
    assert any("still writing" in warning for warning in warnings)
    assert _run_marks(out) == {"run": "1"}  # not marked as ended with its outputs on disk
    monkeypatch.undo()

    # The next run checks what that run stored: all there, so nothing is done twice.
    second = run_batch([str(inputs)], _options(out))
    assert (second.ok, second.skipped) == (0, 2)
    assert sorted(_facts_per_document(out).values()) == [82, 82]
    assert _run_marks(out) == {"run": "2", "clean_run": "2"}


def _run_marks(out: Path) -> dict[str, str]:
    import sqlite3

    with closing(sqlite3.connect(out / "manifest.sqlite")) as db:
        rows = db.execute("SELECT key, value FROM meta WHERE key LIKE '%run'").fetchall()
    return {str(key): str(value) for key, value in rows}
