"""The command ends its process without Python's teardown (``extractor.cli.leave``): what it
wrote must be whole and flushed, and the exit status the one the command chose."""

from __future__ import annotations

import csv
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

from .conftest import ROOT, SAMPLES


def _command(*args: str, stdout: int | None = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor.cli", *args],
        cwd=ROOT,
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_run_leaves_every_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _command(
        "extract", str(SAMPLES / "seed.txt"), "--out", str(out), "--jsonl", "--review", "-q"
    )
    assert done.returncode == 0, done.stderr
    document = json.loads((out / "seed.json").read_text(encoding="utf-8"))
    with (out / "facts.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    lines = (out / "facts.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(rows) == len(lines) == len(document["facts"]) > 50
    report = [json.loads(line) for line in (out / "report.jsonl").read_text().splitlines()]
    assert [r["status"] for r in report] == ["ok"]
    pages = (out / "review").glob("*.html")
    assert all(page.read_text(encoding="utf-8").rstrip().endswith("</html>") for page in pages)
    with sqlite3.connect(out / "manifest.sqlite") as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM contents").fetchone() == (1,)


def test_the_exit_status_is_the_commands(tmp_path: Path) -> None:
    missing = _command("extract", str(tmp_path / "nothing.pdf"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 2 and len(missing.stderr.strip().splitlines()) == 1
    assert _command("--version").stdout.startswith("budget-notes ")
    message = subprocess.run(
        [sys.executable, "-c", "from extractor.cli import leave; leave('stopped: a reason')"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (message.returncode, message.stderr.strip()) == (1, "stopped: a reason")


def test_output_to_a_closed_pipe_ends_quietly() -> None:
    schema = subprocess.Popen(
        [sys.executable, "-m", "extractor.cli", "schema"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        pipesize=4096,  # smaller than the schema: the command is still writing when it closes
    )
    assert schema.stdout is not None and schema.stderr is not None
    assert schema.stdout.read(10)  # read a little, then close the pipe like `| head`
    schema.stdout.close()
    errors = schema.stderr.read().decode("utf-8", "replace")
    schema.wait(timeout=60)
    assert "Traceback" not in errors and "Exception ignored" not in errors
