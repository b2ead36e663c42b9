"""bench/run.py runs end to end on one small PDF and reports every measure of issue 13 (a
smoke test: the times themselves are not checked here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from .conftest import SAMPLES

ROOT = Path(__file__).resolve().parent.parent


def test_the_benchmark_reports_every_measure_on_one_tiny_file(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    completed = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            str(SAMPLES / "seed.pdf"),
            "--repeat",
            "1",
            "--markdown",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-2000:]
    result = json.loads(out.read_text(encoding="utf-8"))
    measures = [row["measure"] for row in result["targets"]]
    assert len(measures) == 9 and measures[0].startswith("floor")
    assert all(row["met"] in (True, False) for row in result["targets"] if row["target"] != "–")
    assert result["seconds"]["floor"] > 0 and result["kb_per_page"]["tables"] > 0
    assert "<name>.json" in result["bytes"]["tables"]
    assert "| measure | value | × floor | target | met |" in completed.stdout


def test_the_sizes_script_compares_two_measurements(tmp_path: Path) -> None:
    saved = tmp_path / "before.json"
    script = [sys.executable, str(ROOT / "bench" / "sizes.py"), str(SAMPLES / "seed.pdf")]
    subprocess.run([*script, "--save", str(saved)], capture_output=True, timeout=300, check=True)
    before = json.loads(saved.read_text(encoding="utf-8"))
    assert before["pages"] > 0 and before["tables"]["<name>.json"] > 0
    shown = subprocess.run(
        [*script, "--compare", str(saved), "--markdown"],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    ).stdout
    assert "| output file | tables before | tables now |" in shown and "| all |" in shown
