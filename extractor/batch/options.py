"""What a batch run is asked to do, what changes a file's result, and the one error that
stops a run for a reason outside the input files."""

from __future__ import annotations

import errno
import hashlib
import json
import sqlite3
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .. import __version__
from ..export import JSONL_PART, REVIEW_PART
from ..models import SCHEMA_VERSION
from ..pipeline import Options
from ..rules import default_rules
from .discovery import Filters


def patterns_version() -> str:
    """The rule set's digest: a new one processes every note again."""
    return default_rules().version


class CannotRunError(Exception):
    """The run could not go on for a reason outside the input files: the output folder, the
    disk, the lock, the manifest, the scheduler (exit status 3)."""


@dataclass(frozen=True)
class BatchOptions:
    out: Path
    jobs: int = 0  # 0: one per core
    timeout: float = 300.0
    max_memory_mb: int = 2048
    pipeline: Options = field(default_factory=Options)
    force: bool = False
    bom: bool = True
    parquet: bool = False
    jsonl: bool = False
    review: bool = False
    excel_safe: bool = True
    scheduler: str | None = None
    scheduler_timeout: float = 30.0
    in_process: bool = False
    prune: bool = False
    filters: Filters = field(default_factory=Filters)


def optional_parts(options: BatchOptions) -> tuple[str, ...]:
    """The notes' optional parts this run writes (``extractor.export.OPTIONAL_PARTS``)."""
    wanted = ((JSONL_PART, options.jsonl), (REVIEW_PART, options.review))
    return tuple(name for name, asked in wanted if asked)


def settings_key(options: Options) -> str:
    """Everything that changes a file's result: versions and the pipeline's options (every
    field of ``Options``, including the limits). A stored result under another key is
    processed again."""
    described = {
        "tool": __version__,
        "patterns": patterns_version(),
        "schema": SCHEMA_VERSION,
        "options": asdict(options),
    }
    text = json.dumps(described, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def describe(exc: OSError | sqlite3.Error) -> str:
    """A failure to write the outputs or the manifest, as the message of CannotRunError."""
    if isinstance(exc, sqlite3.Error):
        return f"the manifest could not be written: {exc}"
    where = f": {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full (or over quota), cannot write the outputs{where}"
    return f"cannot write the outputs ({exc.strerror or exc}){where}"
