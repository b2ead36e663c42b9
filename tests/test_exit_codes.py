"""Exit statuses and the environment: 3 (could not run) with one line on stderr and never a
traceback; one run per output folder; SIGINT and SIGTERM stop at once and keep what finished."""

from __future__ import annotations

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor import batch
from extractor.batch import locking, outputs
from extractor.cli import app

from .conftest import ROOT, SAMPLES
from .test_batch import _facts_per_document, _notes

runner = CliRunner()


def _cli(*args: str) -> tuple[int, str]:
    """Exit status and stderr of `budget-notes ARGS` (in this process)."""
    result = runner.invoke(app, list(args), catch_exceptions=False)
    return int(result.exit_code), result.stderr


def _one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
    }


def _extract(out: Path, *more: str, inputs: Path = SAMPLES / "seed.txt") -> tuple[int, str]:
    return _cli("extract", str(inputs), "--out", str(out), "--jobs", "1", "--quiet", *more)


# --- 3: could not run -------------------------------------------------------------------------


def test_out_is_a_file(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("not a folder")
    code, stderr = _extract(out)
    assert code == 3
    assert "is not a folder" in _one_line(stderr)
    assert out.read_text() == "not a folder"


def test_out_on_a_read_only_file_system(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()

    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(locking.tempfile, "mkstemp", read_only)
    code, stderr = _extract(out)
    assert code == 3
    assert "Read-only file system" in _one_line(stderr)
    assert not (out / "manifest.sqlite").exists()


def test_disk_full_in_the_middle_of_a_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inputs = tmp_path / "in"
    _notes(inputs, 3)
    out = tmp_path / "out"
    written = []
    real = outputs.write_atomic

    def fills_up(path: Path, data: str | bytes, *, sync: bool = True) -> None:
        if len(written) >= 5:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        written.append(path)
        real(path, data, sync=sync)

    monkeypatch.setattr(outputs, "write_atomic", fills_up)
    code, stderr = _extract(out, inputs=inputs)
    assert code == 3
    assert "disk is full" in _one_line(stderr)
    monkeypatch.setattr(outputs, "write_atomic", real)
    code, _ = _extract(out, inputs=inputs)  # once there is room, the run completes
    assert code == 0 and set(_facts_per_document(out).values()) == {82}


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 400 KB file system (as root, where mount works): a real full disk."""
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode(errors='replace').strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_real_full_disk(tmp_path: Path, tmpfs: Path) -> None:
    inputs = tmp_path / "in"
    _notes(inputs, 12)  # about 1 MB of outputs
    code, stderr = _extract(tmpfs / "out", inputs=inputs)
    assert code == 3
    assert "full" in _one_line(stderr)
    for path in (tmpfs / "out").rglob("*.json"):
        json.loads(path.read_text(encoding="utf-8"))  # what was written is whole


def test_a_real_read_only_file_system(tmp_path: Path, tmpfs: Path) -> None:
    (tmpfs / "out").mkdir()
    subprocess.run(["mount", "-o", "remount,ro", str(tmpfs)], check=True)
    code, stderr = _extract(tmpfs / "out")
    assert code == 3
    assert "Read-only" in _one_line(stderr)


def test_a_corrupt_manifest_is_a_warning_not_an_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _extract(out)[0] == 0
    for leftover in out.glob("manifest.sqlite-*"):
        leftover.unlink()
    (out / "manifest.sqlite").write_bytes(b"\0garbage" * 500)
    code, stderr = _extract(out)
    assert code == 0
    assert "set aside" in _one_line(stderr)


def test_a_bad_scheduler_is_a_usage_error_and_an_unreachable_one_cannot_run(
    tmp_path: Path,
) -> None:
    code, stderr = _extract(tmp_path / "a", "--scheduler", "foo")
    assert code == 2 and "--scheduler" in _one_line(stderr)
    assert not (tmp_path / "a").exists()  # nothing touched
    with socket.socket() as probe:  # a port where nothing listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    started = time.perf_counter()
    code, stderr = _extract(
        tmp_path / "b", "--scheduler", f"tcp://127.0.0.1:{port}", "--scheduler-timeout", "2"
    )
    assert code == 3 and "cannot reach the Dask scheduler" in _one_line(stderr)
    assert time.perf_counter() - started < 30


# --- one run per output folder ------------------------------------------------------------------

_HOLD_LOCK = """
import sys, time
from filelock import FileLock
lock = FileLock(sys.argv[1], timeout=0)
lock.acquire()
print("held", flush=True)
time.sleep(60)
"""


def test_a_second_run_on_the_same_out_says_so_and_touches_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _extract(out)[0] == 0
    (out / ".budget-notes.report.jsonl.abc.tmp").write_text("another run's temporary file")
    before = _snapshot(out)
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(out / batch.LOCK_NAME)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        code, stderr = _extract(out, "--force")
        assert code == 3
        assert "another budget-notes run is using" in _one_line(stderr)
        assert time.perf_counter() - started < 5
        assert _snapshot(out) == before
    finally:
        holder.kill()
        holder.wait()
    assert _extract(out)[0] == 0  # the lock went with the process that held it


# --- SIGINT and SIGTERM -------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize(
    ("signum", "status"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"]
)
def test_a_stop_signal_stops_at_once_and_keeps_what_finished(
    tmp_path: Path, signum: int, status: int
) -> None:
    inputs = tmp_path / "in"
    paths = _notes(inputs, 30)
    out = tmp_path / "out"
    command = [sys.executable, "-m", "extractor.cli", "extract", str(inputs), "--out", str(out)]
    command += ["--jobs", "2", "--quiet"]
    process = subprocess.Popen(
        command, cwd=ROOT, start_new_session=True, stderr=subprocess.PIPE, text=True
    )
    deadline = time.time() + 120
    while time.time() < deadline and len(list(out.glob("note_*.json"))) < 4:
        time.sleep(0.05)
    process.send_signal(signum)  # the main process only, as `kill` or systemd would
    sent = time.perf_counter()
    _, stderr = process.communicate(timeout=30)
    assert time.perf_counter() - sent < 10  # at once, not after every queued file
    assert process.returncode == status
    assert f"stopped by {signal.Signals(signum).name}" in _one_line(stderr)
    with pytest.raises(ProcessLookupError):  # no worker left behind
        os.killpg(process.pid, 0)
    report = [json.loads(line) for line in (out / "report.jsonl").open(encoding="utf-8")]
    done = [r for r in report if r["status"] == "ok"]
    assert 0 < len(done) < len(paths), "stop it in the middle"
    assert {r["status"] for r in report} <= {"ok", "cancelled"}

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    report = [json.loads(line) for line in (out / "report.jsonl").open(encoding="utf-8")]
    statuses = Counter(r["status"] for r in report)
    assert statuses["skipped"] >= len(done) and statuses["ok"] + statuses["skipped"] == len(paths)
    facts = _facts_per_document(out)
    assert len(facts) == len(paths) and set(facts.values()) == {82}


def test_a_stop_signal_waits_for_the_result_being_stored() -> None:
    from extractor.batch.stopping import Interrupted, StopSignals

    stored = []
    with StopSignals() as stop, pytest.raises(Interrupted) as raised:
        with stop.critical():
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(0.05)  # the handler has run: nothing raised inside the section
            stored.append("result")
        stored.append("never")  # raised as the section ends
    assert stored == ["result"] and raised.value.exit_code == 143
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers restored


def test_the_output_folder_is_held_by_one_run_at_a_time(tmp_path: Path) -> None:
    locked = locking.locked
    out = tmp_path / "out"
    out.mkdir()
    refused = pytest.raises(batch.CannotRunError, match="another budget-notes run is using")
    # flock(2) locks an open file: a second open, even in this process, is refused.
    with locked(out), refused, locked(out):
        pass
    with locked(out):  # released: the next run takes it
        pass
