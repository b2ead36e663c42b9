"""The same per-file function on a Dask cluster gives the same outputs as a local run, and a\nworker that dies mid-run loses nothing."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, run_batch

from .conftest import ROOT, SAMPLES
from .test_batch import _facts_per_document, _notes

pytest.importorskip(
    "dask.distributed", reason="Dask is an optional extra: pip install 'budget-notes[dask]'"
)

OUTPUTS = [
    "documents.csv",
    "facts.csv",
    "items.csv",
    "checks.csv",
    "unparsed.csv",
    "facts.jsonl",
    "seed.json",
    "tables_note.json",
    "seed_gb18030.json",
]


def test_dask_local_cluster_writes_what_a_local_run_writes(tmp_path: Path) -> None:
    inputs = [
        str(SAMPLES / "seed.txt"),
        str(SAMPLES / "tables_note.pdf"),
        str(SAMPLES / "variants" / "seed_gb18030.txt"),
    ]
    local = run_batch(inputs, BatchOptions(out=tmp_path / "local", jobs=2, jsonl=True))
    cluster = run_batch(
        inputs, BatchOptions(out=tmp_path / "dask", jobs=2, scheduler="local", jsonl=True)
    )
    assert (local.ok, local.skipped) == (3, 0) and (cluster.ok, cluster.skipped) == (3, 0)
    for name in OUTPUTS:
        if not (tmp_path / "local" / name).exists():
            continue
        assert (tmp_path / "local" / name).read_bytes() == (
            tmp_path / "dask" / name
        ).read_bytes(), name
    again = run_batch(
        inputs, BatchOptions(out=tmp_path / "dask", jobs=2, scheduler="local", jsonl=True)
    )
    assert again.skipped == 3 and again.ok == 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_a_worker_killed_mid_run_on_a_real_scheduler(tmp_path: Path) -> None:
    """`dask scheduler` and two `dask worker`s on 127.0.0.1; one worker is killed with
    SIGKILL in the middle of the batch. Its files are rescheduled (or fail as passing
    failures, retried by the next run): nothing is lost or stored twice."""
    inputs = tmp_path / "in"
    paths = _notes(inputs, 40)
    out = tmp_path / "out"
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cluster: list[subprocess.Popen[bytes]] = []

    def start(*args: str) -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", *args],
            env=env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        cluster.append(process)
        return process

    command = [sys.executable, "-m", "extractor.cli", "extract", str(inputs), "--out", str(out)]
    command += ["--scheduler", address, "--scheduler-timeout", "60", "--quiet"]
    try:
        start("distributed.cli.dask_scheduler", "--host", "127.0.0.1", "--port", str(port),
              "--no-dashboard")  # fmt: skip
        worker_args = ("distributed.cli.dask_worker", address, "--nthreads", "1", "--no-nanny",
                       "--no-dashboard")  # fmt: skip
        victim = start(*worker_args)
        start(*worker_args)
        run = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        deadline = time.time() + 180
        while time.time() < deadline and len(list(out.glob("note_*.json"))) < 5:
            time.sleep(0.05)
        victim.send_signal(signal.SIGKILL)
        done_when_killed = len(list(out.glob("note_*.json")))
        _, stderr = run.communicate(timeout=300)
        assert 0 < done_when_killed < len(paths), "kill the worker in the middle of the run"
        assert run.returncode in (0, 1), stderr
        report = [json.loads(line) for line in (out / "report.jsonl").open(encoding="utf-8")]
        assert sorted(r["path"] for r in report) == sorted(map(str, paths))
        for line in report:
            assert line["status"] == "ok" or (
                line["failure"] == "transient" and line["reason"].startswith("worker_crashed")
            ), line
        again = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
        assert again.returncode == 0, again.stderr
    finally:
        for process in cluster:
            process.kill()
            process.wait()
    facts = Counter(_facts_per_document(out).values())
    assert facts == Counter({82: len(paths)})
