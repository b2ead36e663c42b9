"""Many files: discover, skip what is done, run each file in isolation, store, report.

Each file runs in a worker process (pebble) with a time limit and a memory cap, so one bad
file cannot hang or sink the batch: a timeout, a crash or a MemoryError becomes a failed
record and the pool replaces the worker. With ``scheduler`` set, the same per-file function
runs on a Dask cluster instead. One run at a time holds an output folder (a lock).

The modules, by job: ``runner`` (a run: plan, store, report, prune), ``worker`` (one file →
one result), ``executors`` (where the workers run), ``outputs`` and ``manifest`` (what is
stored, and the record of it), ``combine`` (the combined tables), ``report`` (report.jsonl,
the summary), ``retries`` (transient or permanent), ``discovery`` (which files), ``locking``,
``durability``, ``stopping`` (signals), ``options``.
"""

from __future__ import annotations

from .discovery import Filters, UsageError
from .executors import limit_memory
from .locking import LOCK_NAME
from .options import BatchOptions, CannotRunError, settings_key
from .report import ReportLine, Summary, as_dict, progress_line
from .retries import failure_class
from .runner import run_batch
from .stopping import Interrupted
from .worker import process_file

__all__ = [
    "LOCK_NAME",
    "BatchOptions",
    "CannotRunError",
    "Filters",
    "Interrupted",
    "ReportLine",
    "Summary",
    "UsageError",
    "as_dict",
    "failure_class",
    "limit_memory",
    "process_file",
    "progress_line",
    "run_batch",
    "settings_key",
]
