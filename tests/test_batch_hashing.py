"""A file's SHA-256 is computed once: a digest the planner computed is handed to the worker,
and used only when the bytes the worker read are provably those it hashed."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, process_file, run_batch, worker
from extractor.batch.results import Hashed
from extractor.pipeline import Document, Options

from .conftest import SAMPLES


def _age(path: Path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns - 10_000_000_000))


def _note(path: Path, word: str) -> Path:
    text = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
    path.write_text(text.replace("便民热线中心", f"便民热线中心{word}", 1), encoding="utf-8")
    return path


def test_the_worker_takes_the_planners_digest_for_the_file_it_hashed(tmp_path: Path) -> None:
    note = _note(tmp_path / "a.txt", "甲")
    _age(note)
    hashed = worker.hash_file(note)
    assert hashed is not None and hashed.mtime_ns != -1
    # A made-up digest shows the worker did not hash the bytes again.
    marked = Hashed("0" * 64, hashed.size, hashed.mtime_ns, hashed.inode)
    assert process_file(str(note), Options(), marked).sha256 == "0" * 64


@pytest.mark.parametrize("change", ["size", "mtime", "racy"])
def test_the_worker_hashes_again_when_the_file_is_not_the_one_hashed(
    tmp_path: Path, change: str
) -> None:
    note = _note(tmp_path / "a.txt", "甲")
    _age(note)
    hashed = worker.hash_file(note)
    assert hashed is not None
    stale = {
        "size": Hashed("0" * 64, hashed.size + 1, hashed.mtime_ns, hashed.inode),
        "mtime": Hashed("0" * 64, hashed.size, hashed.mtime_ns - 1, hashed.inode),
        "racy": Hashed("0" * 64, hashed.size, -1, hashed.inode),
    }[change]
    result = process_file(str(note), Options(), stale)
    assert result.sha256 == hashlib.sha256(note.read_bytes()).hexdigest()


def test_a_rewritten_file_of_the_same_size_is_hashed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    note = _note(inputs / "a.txt", "甲")
    out = tmp_path / "out"
    run_batch([str(inputs)], BatchOptions(out=out, in_process=True))
    _note(note, "乙")  # new content, the same size: the planner hashes it to look it up
    _age(note)
    given: list[str | None] = []
    real = worker.extract

    def recording(path: str, options: Options, **kwargs: object) -> Document:
        given.append(kwargs.get("sha256"))  # type: ignore[arg-type]
        return real(path, options, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(worker, "extract", recording)
    summary = run_batch([str(inputs)], BatchOptions(out=out, in_process=True))
    digest = hashlib.sha256(note.read_bytes()).hexdigest()
    assert (summary.ok, given) == (1, [digest])
    assert summary.lines[0].sha256 == digest
