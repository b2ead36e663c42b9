"""`budget-notes inspect OUT`: what a run holds, as tables on the terminal."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner

from extractor.batch import BatchOptions, run_batch
from extractor.cli import app
from extractor.export.overview import overview

from .conftest import SAMPLES

runner = CliRunner()


def _run(tmp_path: Path) -> Path:
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "seed.txt").write_bytes((SAMPLES / "seed.txt").read_bytes())
    (inputs / "empty.pdf").write_bytes(b"")
    (inputs / "tables_note.pdf").write_bytes((SAMPLES / "tables_note.pdf").read_bytes())
    out = tmp_path / "out"
    run_batch([str(inputs)], BatchOptions(out=out, in_process=True))
    return out


def test_inspect_shows_status_failed_checks_coverage_and_warnings(tmp_path: Path) -> None:
    out = _run(tmp_path)
    result = runner.invoke(app, ["inspect", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    text = result.output
    assert "3 notes" in text and "last run: 1 failed, 2 ok" in text
    assert re.search(r"failed\s*│\s*1\s*│\s*empty 1", text)
    assert re.search(r"ok\s*│\s*2\s*│", text)
    # The seed's 差旅费 0万元 with “需预算此项经费” (README), and tables_note's planted mistakes.
    assert re.search(r"text\.zero_but_budgeted\s*│\s*warning\s*│\s*1\s*│\s*1", text)
    assert re.search(r"reconcile\.text_table\s*│\s*error\s*│", text)
    assert "Lowest coverage" in text and "seed.txt" in text and "tables_note.pdf" in text


def test_the_overview_counts_what_the_tables_hold(tmp_path: Path) -> None:
    out = _run(tmp_path)
    view = overview(out, limit=1)
    assert view.notes == 3 and dict(view.by_status) == {"ok": 2, "failed": 1}
    assert dict(view.failures) == {"empty": 1}
    count, notes = view.failed_checks[("code.alias", "info")]
    assert (count, len(notes)) == (3, 1)  # the seed's three names other than the code table's
    assert len(view.lowest_coverage) == 1
    differing = {n.file_name: n.differing for n in view.most_differing}
    assert differing.get("tables_note.pdf", 0) >= 1  # 信息化建设 313.56 against 312.56


def test_inspect_of_a_folder_that_is_not_a_run_is_a_usage_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["inspect", str(tmp_path)])
    assert result.exit_code == 2 and "not the output folder of a run" in result.output
