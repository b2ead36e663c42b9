"""The same per-file function on a Dask cluster gives the same outputs as a local run."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch import BatchOptions, run_batch

from .conftest import SAMPLES

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
    local = run_batch(inputs, BatchOptions(out=tmp_path / "local", jobs=2))
    cluster = run_batch(inputs, BatchOptions(out=tmp_path / "dask", jobs=2, scheduler="local"))
    assert (local.ok, local.skipped) == (3, 0) and (cluster.ok, cluster.skipped) == (3, 0)
    for name in OUTPUTS:
        if not (tmp_path / "local" / name).exists():
            continue
        assert (tmp_path / "local" / name).read_bytes() == (
            tmp_path / "dask" / name
        ).read_bytes(), name
    again = run_batch(inputs, BatchOptions(out=tmp_path / "dask", jobs=2, scheduler="local"))
    assert again.skipped == 3 and again.ok == 0
