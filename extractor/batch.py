"""Many files: discover, skip what is done, run each file in isolation, store, report.

Each file runs in a worker process (pebble) with a time limit and a memory cap, so one bad
file cannot hang or sink the batch: a timeout, a crash or a MemoryError becomes a failed
record and the pool replaces the worker. With ``scheduler`` set, the same per-file function
runs on a Dask cluster instead. The worker reads the file once, hashes those bytes and parses
the same bytes; a file that changes while it is read is a passing failure, read again next
run.

The main process alone writes outputs and the manifest, one result at a time, and keeps no
result once it is stored: its memory does not grow with the batch. Folders are walked as the
work goes, and a file whose size and modification time are those the manifest recorded is
skipped without being read. One run at a time holds an output folder (a lock); SIGINT and
SIGTERM stop it at once, keeping every result already stored.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from . import __version__
from .discovery import Filters, Found, Unreadable, UsageError, check_inputs, discover
from .executors import Job, SchedulerError, execute, limit_memory
from .export import (
    combine,
    document_id,
    document_json,
    remove_parts,
    render_parts,
    safe_stem,
    write_atomic,
    write_parts,
)
from .manifest import Change, Content, Manifest, ManifestError, record_path, record_text
from .models import SCHEMA_VERSION, Document, Problem
from .pipeline import Options, extract, failed_document
from .rules import default_rules
from .stopping import Interrupted, StopSignals

__all__ = [
    "BatchOptions",
    "CannotRunError",
    "Filters",
    "Interrupted",
    "ReportLine",
    "Summary",
    "UsageError",
    "limit_memory",
    "process_file",
    "run_batch",
]

LOCK_NAME = ".budget-notes.lock"

# Failures that say nothing about the file itself: retried by the next run. Every other
# failure is permanent for the file's content under the same settings (a corrupt file,
# a scanned PDF, a bug): not retried until the content, an option or a version changes.
TRANSIENT = frozenset(
    {"timeout", "worker_crashed", "memory_limit", "changed_while_reading", "unreadable_file"}
)

# A file modified this close to the moment it was read may be written again within the same
# tick of the file system's clock: its modification time is not trusted as a sign of
# unchanged content, and the next run hashes it.
_RACY_NS = 2_000_000_000
_STEM_BYTES = 180
_SEEN_BATCH = 1000


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
    excel_safe: bool = True
    scheduler: str | None = None
    scheduler_timeout: float = 30.0
    in_process: bool = False
    prune: bool = False
    filters: Filters = field(default_factory=Filters)


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


def failure_class(codes: list[str]) -> str | None:
    if not codes:
        return None
    return "transient" if any(code in TRANSIENT for code in codes) else "permanent"


@dataclass
class WorkResult:
    """One file's outcome, rendered: the JSON and the combined tables' rows as text, and the
    counts the report needs (the worker does the rendering; the main process only writes)."""

    path: str
    sha256: str  # "" when the file could not be read at all
    size: int
    mtime_ns: int  # as seen when the bytes were read; -1: not to be trusted next run
    milliseconds: int
    document_id: str
    status: str
    errors: list[Problem]
    pages: int | None
    facts: int
    warnings: int
    checks_failed: int
    errors_found: int
    json_text: str
    parts: dict[str, str]

    @classmethod
    def of(cls, path: str, document: Document, milliseconds: int, mtime_ns: int) -> WorkResult:
        failed = [c for c in document.checks if not c.passed]
        return cls(
            path=path,
            sha256=document.source.sha256,
            size=document.source.size_bytes,
            mtime_ns=mtime_ns,
            milliseconds=milliseconds,
            document_id=document_id(document),
            status=document.status,
            errors=document.errors,
            pages=document.source.pages,
            facts=len(document.facts),
            warnings=len(document.warnings),
            checks_failed=len(failed),
            errors_found=sum(1 for c in failed if c.severity == "error"),
            json_text=document_json(document),
            parts=render_parts(document),
        )

    @classmethod
    def unreadable(cls, path: str, message: str, milliseconds: int) -> WorkResult:
        problem = Problem(code="unreadable_file", message=message)
        return cls(path, "", 0, -1, milliseconds, "", "failed", [problem], None, 0, 0, 0, 0, "", {})

    @property
    def reason(self) -> str | None:
        return "; ".join(f"{p.code}: {p.message}" for p in self.errors) or None

    @property
    def failure(self) -> str | None:
        return failure_class([p.code for p in self.errors]) if self.status != "ok" else None


@dataclass
class ReportLine:
    """One line of report.jsonl: what this run did with an input, and where it stands."""

    path: str
    sha256: str
    status: str  # ok | failed (processed now) | skipped | removed (--prune) | cancelled
    outcome: str | None = None  # ok | failed: the input's result, stored earlier if skipped
    failure: str | None = None  # transient (retried next run) | permanent
    reason: str | None = None
    output: str | None = None
    pages: int | None = None
    facts: int = 0
    warnings: int = 0
    checks_failed: int = 0
    milliseconds: int = 0

    def as_json(self) -> str:
        return json.dumps({"schema_version": SCHEMA_VERSION, **self.__dict__}, ensure_ascii=False)


@dataclass
class Summary:
    files: int = 0
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    known_failures: int = 0  # skipped inputs whose stored result is a permanent failure
    facts: int = 0
    checks_failed: int = 0
    errors_found: int = 0
    seconds: float = 0.0
    report: Path | None = None

    @property
    def exit_code(self) -> int:
        """1 when a file failed in this run; earlier permanent failures, skipped, do not."""
        return 1 if self.failed else 0

    @property
    def lines(self) -> list[ReportLine]:
        """The run's report, read back from report.jsonl (the run keeps no list of it)."""
        if self.report is None or not self.report.exists():
            return []
        known = set(ReportLine.__dataclass_fields__)
        with self.report.open(encoding="utf-8") as handle:
            return [
                ReportLine(**{k: v for k, v in json.loads(line).items() if k in known})
                for line in handle
            ]

    def text(self) -> str:
        processed = self.ok + self.failed
        rate = processed / self.seconds if self.seconds else 0.0
        known = f" ({self.known_failures} failed earlier)" if self.known_failures else ""
        removed = f", {self.removed} removed" if self.removed else ""
        return (
            f"{self.files} files: {self.ok} ok, {self.skipped} skipped{known}, {self.failed}"
            f" failed{removed}; {self.facts} facts, {self.checks_failed} checks failed"
            f" ({self.errors_found} errors); {self.seconds:.1f}s, {rate:.2f} files/s"
        )


Progress = Callable[[ReportLine, int, int | None], None]


# --- the per-file work (runs in a worker) ------------------------------------------------------


def process_file(path: str, options: Options) -> WorkResult:
    """Read the file once, hash and parse those bytes; a file that changed while it was read
    (or parsed) is a passing failure, not a result."""
    started = time.perf_counter()
    file = Path(path)

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        before = file.stat()
        # A file over the size limit is not read: the pipeline refuses it by its size.
        data = file.read_bytes() if before.st_size <= options.limits.max_bytes else None
        after = file.stat()
    except OSError as exc:
        return WorkResult.unreadable(
            path, f"the file cannot be read: {exc.strerror or exc}", elapsed()
        )
    read_at = time.time_ns()
    if _moved(before, after) or (data is not None and len(data) != after.st_size):
        document = _changed_while_reading(file, data)
    else:
        document = _extract(file, options, data)
        try:
            if _moved(after, file.stat()):
                document = _changed_while_reading(file, data)
        except OSError:
            document = _changed_while_reading(file, data)
    mtime = after.st_mtime_ns if read_at - after.st_mtime_ns > _RACY_NS else -1
    return WorkResult.of(path, document, elapsed(), mtime)


def _moved(before: os.stat_result, after: os.stat_result) -> bool:
    return (before.st_size, before.st_mtime_ns, before.st_ino) != (
        after.st_size,
        after.st_mtime_ns,
        after.st_ino,
    )


def _changed_while_reading(file: Path, data: bytes | None) -> Document:
    return failed_document(
        file,
        "changed_while_reading",
        "the file changed while it was read (still being written?); it is read again next run",
        data=data,
    )


def _extract(file: Path, options: Options, data: bytes | None) -> Document:
    try:
        return extract(str(file), options, data=data)
    except MemoryError:
        return failed_document(
            file,
            "memory_limit",
            "the file needed more memory than the per-file cap (--max-memory)",
            data=data,
        )
    except RecursionError:
        return failed_document(
            file, "internal_error", "the file's structure is nested too deeply", data=data
        )
    except Exception as exc:  # a bug: keep the batch going, record it in full
        return failed_document(
            file,
            "internal_error",
            f"internal error ({type(exc).__name__}): {exc}",
            detail=traceback.format_exc(limit=8),
            data=data,
        )


def _failure(path: str, code: str, message: str) -> WorkResult:
    """A failure the main process saw (time limit, dead worker); hashed here, streaming."""
    document = failed_document(Path(path), code, message)
    result = WorkResult.of(path, document, 0, -1)
    if document.source.size_bytes == 0 and not Path(path).exists():
        result.sha256 = ""  # gone: nothing to store
    return result


# --- running --------------------------------------------------------------------------------------


def run_batch(
    inputs: list[str],
    options: BatchOptions,
    progress: Progress | None = None,
    warn: Callable[[str], None] | None = None,
) -> Summary:
    """Run a batch. Raises UsageError (bad arguments: nothing was touched), CannotRunError
    (the environment), Interrupted (SIGINT/SIGTERM: what finished is kept)."""
    started = time.perf_counter()
    check_inputs(inputs)
    _check_scheduler(options.scheduler)
    out = _prepare_out(options.out)
    with _locked(out), StopSignals() as stop:
        try:
            summary = _Run(inputs, options, out, stop, progress, warn or _stderr).run()
        except (ManifestError, SchedulerError) as exc:
            raise CannotRunError(str(exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            raise CannotRunError(_describe(exc)) from exc
    summary.seconds = time.perf_counter() - started
    return summary


def _stderr(message: str) -> None:
    import sys

    print(message, file=sys.stderr)


_SCHEDULER = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx|inproc)://[\w.\-\[\]:]+|[\w.\-\[\]]+:\d+)/?$")


def _check_scheduler(scheduler: str | None) -> None:
    if scheduler is None or scheduler == "local" or _SCHEDULER.match(scheduler):
        return
    raise UsageError(
        f"--scheduler must be 'local' or a scheduler address such as tcp://HOST:8786,"
        f" not {scheduler!r}"
    )


def _prepare_out(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise CannotRunError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotRunError(f"cannot create --out {out}: {exc.strerror or exc}") from exc
    return out


@contextmanager
def _locked(out: Path) -> Iterator[None]:
    """One run per output folder. The lock is the kernel's (flock): it goes with the process,
    even one killed with SIGKILL."""
    from filelock import FileLock, Timeout

    lock = FileLock(out / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise CannotRunError(
            f"another budget-notes run is using {out} (lock {out / LOCK_NAME}); nothing done"
        ) from exc
    except OSError as exc:
        raise CannotRunError(f"cannot write to --out {out}: {exc.strerror or exc}") from exc
    try:
        try:  # a read-only folder or file system shows here, before anything is written
            handle, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=out)
            os.close(handle)
            Path(probe).unlink()
        except OSError as exc:
            raise CannotRunError(f"cannot write to --out {out}: {exc.strerror or exc}") from exc
        yield
    finally:
        lock.release()


def _describe(exc: OSError | sqlite3.Error) -> str:
    if isinstance(exc, sqlite3.Error):
        return f"the manifest could not be written: {exc}"
    where = f": {exc.filename}" if exc.filename else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return f"the disk is full (or over quota), cannot write the outputs{where}"
    return f"cannot write the outputs ({exc.strerror or exc}){where}"


@dataclass(frozen=True)
class Task:
    path: str
    stem: str  # the output name reserved for it, decided in input order


class _Report:
    """report.jsonl, written as the run goes (to a partial file renamed at the end)."""

    def __init__(self, out: Path) -> None:
        self.final = out / "report.jsonl"
        self.partial = out / "report.jsonl.partial"
        self.handle = self.partial.open("w", encoding="utf-8")
        self.lines = 0
        self.flushed = time.monotonic()

    def write(self, line: ReportLine) -> None:
        self.handle.write(line.as_json() + "\n")
        self.lines += 1
        now = time.monotonic()
        if now - self.flushed > 0.5:  # readable as it goes, without a write per line
            self.handle.flush()
            self.flushed = now

    def finish(self) -> None:
        self.handle.close()
        self.partial.replace(self.final)


class _Run:
    """One run's state; nothing in it grows with the number of files but counters."""

    def __init__(
        self,
        inputs: list[str],
        options: BatchOptions,
        out: Path,
        stop: StopSignals,
        progress: Progress | None,
        warn: Callable[[str], None],
    ) -> None:
        self.inputs = inputs
        self.options = options
        self.out = out
        self.stop = stop
        self.progress = progress
        self.warn = warn
        self.settings = settings_key(options.pipeline)
        self.summary = Summary(report=out / "report.jsonl")
        self.running: dict[str, Task] = {}  # handed to the executor, not yet stored
        self.reserved: dict[str, str] = {}  # output stem → path, for the running tasks
        self.unseen_marks: list[str] = []
        self.discovering = True
        self.unreadable_folder = False

    def run(self) -> Summary:
        self.manifest = Manifest.open(self.out, self.warn)
        try:
            self.number, clean_run = self.manifest.begin_run()
            if clean_run < self.number - 1:  # the last run was killed, or never ended
                _remove_stale_temporaries(self.out)
                self._check_unclean(clean_run)
            self.report = _Report(self.out)
            try:
                self._work()
            except Interrupted:
                with suppress(Exception):
                    self._cancelled()
                    self.report.finish()
                    self._end()
                raise
            except BaseException:
                with suppress(Exception):
                    self.report.finish()
                raise
            self.report.finish()
            self._end()
        finally:
            self.manifest.close()
        return self.summary

    def _end(self) -> None:
        sync_to_disk(self.out)
        self.manifest.end_run(self.number)

    def _check_unclean(self, clean_run: int) -> None:
        """Outputs are not flushed to disk one by one (that costs eight fsyncs a file): after
        a run that did not end cleanly (power cut, SIGKILL), the results it stored are
        checked, and any whose files did not all reach the disk is processed again."""
        for content in self.manifest.suspects(clean_run):
            if not _outputs_present(self.out, content):
                self.manifest.expire(content.sha256)

    def _work(self) -> None:
        job = Job(work=process_file, fail=_failure)
        # closing: whatever stops the loop stops the workers too, at once
        with closing(execute(self._tasks(), self.options, job)) as results:
            for result in results:
                with self.stop.critical():
                    self._store(result)
        with self.stop.critical():
            self._mark_seen(force=True)
        if self.options.prune:
            self._prune()
        self._combine()

    # --- planning ---------------------------------------------------------------------------

    def _tasks(self) -> Iterator[Task]:
        for found in discover(self.inputs, self.options.filters, skip=self.out):
            self.summary.files += 1
            path = found.path
            if self.options.prune:  # only a pruning run asks which paths it saw
                self.unseen_marks.append(path)
            if isinstance(found, Unreadable):
                self.unreadable_folder |= found.folder
                self._unreadable(path, found.message)
                continue
            task = self._plan(found)
            if task is not None:
                self.running[path] = task
                yield task
            if len(self.unseen_marks) >= _SEEN_BATCH:
                with self.stop.critical():
                    self._mark_seen()
        self.discovering = False

    def _plan(self, found: Found) -> Task | None:
        path = found.path
        if not self.options.force:
            record, content = self.manifest.lookup(path)
            if record and (record.size, record.mtime_ns) == (found.size, found.mtime_ns):
                if content and content.done(self.settings):
                    self._skipped(path, content, "unchanged since the last run")
                    return None
            elif self.manifest.has_size(found.size):
                # A new path, or a changed time: perhaps a copy, a rename or a touched file.
                hashed = _hash_file(Path(path))
                content = self.manifest.content(hashed[0]) if hashed else None
                if hashed and content and content.done(self.settings):
                    with self.stop.critical():
                        reason = self._link(path, content, hashed[1], hashed[2], record)
                    return None if reason else self._task(path)
        return self._task(path)

    def _task(self, path: str) -> Task:
        stem = self._own_stem(path) or self._free_stem(path, None)
        self.reserved[stem] = path
        return Task(path, stem)

    def _own_stem(self, path: str) -> str | None:
        """The name this path's outputs already have: it keeps it when processed again."""
        record = self.manifest.path(path)
        content = self.manifest.content(record.sha256) if record else None
        if content is None or content.label_path != path:
            return None
        return content.output_stem if self.reserved.get(content.output_stem, path) == path else None

    def _mark_seen(self, force: bool = False) -> None:
        if self.unseen_marks and (force or len(self.unseen_marks) >= _SEEN_BATCH):
            self.manifest.mark_seen(self.unseen_marks, self.number)
            self.unseen_marks = []

    # --- storing ------------------------------------------------------------------------------

    def _store(self, result: WorkResult) -> None:
        task = self.running.pop(result.path, None)
        if task is not None and self.reserved.get(task.stem) == result.path:
            del self.reserved[task.stem]
        if not result.sha256:
            self._unreadable(result.path, (result.reason or "").split(": ", 1)[-1])
            return
        existing = self.manifest.content(result.sha256)
        if existing and existing.done(self.settings) and not self.options.force:
            # Processed for nothing: another input with this content was stored meanwhile.
            record = self.manifest.path(result.path)
            self._link(result.path, existing, result.size, result.mtime_ns, record)
            return
        stem = self._stem_to_store(result, task.stem if task else None)
        content = Content(
            sha256=result.sha256,
            size=result.size,
            document_id=result.document_id,
            output_stem=stem,
            label_path=result.path,
            status=result.status,
            failure=result.failure,
            reason=result.reason,
            settings=self.settings,
            pages=result.pages,
            facts=result.facts,
            warnings=result.warnings,
            checks_failed=result.checks_failed,
            stored_run=self.number,
        )
        write_atomic(self.out / f"{stem}.json", result.json_text, sync=False)
        write_parts(self.out, result.document_id, result.parts, sync=False)
        write_atomic(record_path(self.out, result.document_id), record_text(content), sync=False)
        change = self.manifest.store(
            content, result.path, result.size, result.mtime_ns, self.number
        )
        if existing and existing.output_stem != stem:
            self._remove_json(existing.output_stem)
        self._apply(change)
        summary = self.summary
        if result.status == "ok":
            summary.ok += 1
        else:
            summary.failed += 1
        summary.facts += result.facts
        summary.checks_failed += result.checks_failed
        summary.errors_found += result.errors_found
        self._record(
            ReportLine(
                path=result.path,
                sha256=result.sha256,
                status="ok" if result.status == "ok" else "failed",
                outcome=result.status,
                failure=result.failure,
                reason=result.reason,
                output=f"{stem}.json",
                pages=result.pages,
                facts=result.facts,
                warnings=result.warnings,
                checks_failed=result.checks_failed,
                milliseconds=result.milliseconds,
            )
        )

    def _stem_to_store(self, result: WorkResult, reserved: str | None) -> str:
        """The reserved stem, unless another content owns it by now. The content that last
        held this path (and owns the stem) gives it up: if no path holds it any more it goes
        with this store; if copies of it remain elsewhere, it moves to one of them first."""
        stem = reserved or self._free_stem(result.path, result.sha256)
        owner = self.manifest.stem_owner(stem)
        if owner is None or owner.sha256 == result.sha256:
            return stem
        if owner.label_path == result.path:
            others = self.manifest.other_paths(owner.sha256, result.path)
            if others:
                self._relabel(owner, others[0], avoid=stem)
            return stem
        return self._free_stem(result.path, result.sha256)

    def _free_stem(self, path: str, sha256: str | None, avoid: str | None = None) -> str:
        """The output name for ``path``: its file name, unless another input's content owns
        that name (then the name and a hash of the path)."""
        base = _base_stem(path)
        digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()
        for stem in (base, f"{base}-{digest[:8]}", f"{base}-{digest}"):
            if stem == avoid or self.reserved.get(stem, path) != path:
                continue
            owner = self.manifest.stem_owner(stem)
            if owner is None or owner.label_path == path or owner.sha256 == sha256:
                return stem
        return f"document-{digest}"

    def _link(
        self, path: str, content: Content, size: int, mtime_ns: int, record: Any
    ) -> str | None:
        """``path`` holds stored content: record it and report the skip; returns the reason.
        When the path the content's outputs name is gone, this was a rename: the outputs are
        relabelled with the new path."""
        previous_label = content.label_path
        renamed = previous_label != path and not os.path.lexists(previous_label)
        change = self.manifest.link(path, content.sha256, size, mtime_ns, self.number)
        self._apply(change)
        if renamed:
            content = self._relabel(content, path) or content
            self._apply(self.manifest.remove_path(previous_label))
            reason = f"same content as {previous_label}, which is gone: renamed"
        elif previous_label == path or (record is not None and record.sha256 == content.sha256):
            reason = "unchanged since the last run"
        else:
            reason = f"same content as {previous_label}"
        self._skipped(path, content, reason)
        return reason

    def _apply(self, change: Change) -> None:
        for orphan in change.orphans:
            self._remove_json(orphan.output_stem)
            if self.manifest.content(orphan.sha256) is None:
                _remove_parts(self.out, orphan.document_id)
        for content in change.unlabelled:
            others = self.manifest.other_paths(content.sha256, content.label_path)
            if others:
                self._relabel(content, others[0])

    def _remove_json(self, stem: str) -> None:
        if self.manifest.stem_owner(stem) is None:
            (self.out / f"{stem}.json").unlink(missing_ok=True)

    def _relabel(self, content: Content, path: str, avoid: str | None = None) -> Content | None:
        """Name ``path`` in the content's outputs (JSON, rows), without processing it again:
        the stored JSON is the document, re-rendered with the new path."""
        json_path = self.out / f"{content.output_stem}.json"
        try:
            document = Document.model_validate_json(json_path.read_bytes())
        except (OSError, ValueError):
            self.manifest.expire(content.sha256)  # no document to relabel: process it again
            return None
        source = document.source.model_copy(update={"path": path, "file_name": Path(path).name})
        document = document.model_copy(update={"source": source})
        stem = self._free_stem(path, content.sha256, avoid)
        updated = replace(content, label_path=path, output_stem=stem, stored_run=self.number)
        write_atomic(self.out / f"{stem}.json", document_json(document), sync=False)
        write_parts(self.out, content.document_id, render_parts(document), sync=False)
        write_atomic(record_path(self.out, content.document_id), record_text(updated), sync=False)
        self.manifest.relabel(content.sha256, path, stem, self.number)
        if stem != content.output_stem:
            self._remove_json(content.output_stem)
        return updated

    # --- reporting ----------------------------------------------------------------------------

    def _record(self, line: ReportLine) -> None:
        with self.stop.critical():
            self.report.write(line)
        if self.progress:
            total = None if self.discovering else self.summary.files
            self.progress(line, self.report.lines, total)

    def _skipped(self, path: str, content: Content, reason: str) -> None:
        self.summary.skipped += 1
        if content.status != "ok":
            self.summary.known_failures += 1
            reason = f"{reason}; failed then: {content.reason}"
        self._record(
            ReportLine(
                path=path,
                sha256=content.sha256,
                status="skipped",
                outcome=content.status,
                failure=content.failure,
                reason=reason,
                output=f"{content.output_stem}.json",
                pages=content.pages,
                facts=content.facts,
                warnings=content.warnings,
                checks_failed=content.checks_failed,
            )
        )

    def _unreadable(self, path: str, message: str) -> None:
        self.summary.failed += 1
        self._record(
            ReportLine(
                path=path,
                sha256="",
                status="failed",
                outcome="failed",
                failure="transient",
                reason=f"unreadable_file: {message}",
            )
        )

    def _cancelled(self) -> None:
        for task in list(self.running.values()):
            self._record(
                ReportLine(
                    path=task.path,
                    sha256="",
                    status="cancelled",
                    failure="transient",
                    reason="cancelled: the run was stopped before this file was done",
                )
            )

    # --- the end of a run ---------------------------------------------------------------------

    def _prune(self) -> None:
        """Mirror the inputs: every path this run did not see leaves the outputs."""
        if self.unreadable_folder:
            self.warn("warning: --prune skipped: an input folder could not be read")
            return
        if self.summary.files == 0 and self.manifest.counts()[1]:
            raise CannotRunError(
                "--prune: the inputs hold no files (an unmounted folder?); nothing removed"
            )
        for path in self.manifest.unseen_paths(self.number):
            with self.stop.critical():
                record = self.manifest.path(path)
                self._apply(self.manifest.remove_path(path))
                self.summary.removed += 1
                self._record(
                    ReportLine(
                        path=path,
                        sha256=record.sha256 if record else "",
                        status="removed",
                        reason="the input is gone: its outputs and rows were removed (--prune)",
                    )
                )
        with self.stop.critical():
            for content in self.manifest.remove_pathless():
                self._remove_json(content.output_stem)
                _remove_parts(self.out, content.document_id)

    def _combine(self) -> None:
        options = self.options
        settings = json.dumps(
            {"bom": options.bom, "parquet": options.parquet, "excel_safe": options.excel_safe}
        )
        missing = not (self.out / "documents.csv").exists() or (
            options.parquet and not (self.out / "documents.parquet").exists()
        )
        if not (missing or self.manifest.needs_combine(settings)):
            return  # nothing changed since the tables were last written
        try:
            combine(
                self.out,
                self.manifest.document_ids(),
                bom=options.bom,
                parquet=options.parquet,
                excel_safe=options.excel_safe,
            )
        except RuntimeError as exc:  # --parquet without pyarrow
            raise CannotRunError(str(exc)) from exc
        self.manifest.mark_combined(settings)


def _remove_parts(out: Path, document_id: str) -> None:
    remove_parts(out, document_id)
    record_path(out, document_id).unlink(missing_ok=True)


def _outputs_present(out: Path, content: Content) -> bool:
    for path in (
        out / f"{content.output_stem}.json",
        out / "parts" / f"{content.document_id}.documents.csv",
        record_path(out, content.document_id),
    ):
        try:
            if path.stat().st_size == 0:
                return False
        except OSError:
            return False
    return True


def sync_to_disk(folder: Path) -> None:
    """Flush the file system holding ``folder`` to disk: one journal commit for a result's
    eight files, where an fsync of each would cost eight (``syncfs`` on Linux)."""
    global _syncfs
    if _syncfs is None:
        _syncfs = _find_syncfs()
    handle = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs(handle) != 0:
            os.sync()
    finally:
        os.close(handle)


_syncfs: Callable[[int], int] | None = None


def _find_syncfs() -> Callable[[int], int]:
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
        function.argtypes = [ctypes.c_int]
        return cast(Callable[[int], int], function)
    except (OSError, AttributeError):  # not Linux
        return _sync_everything


def _sync_everything(handle: int) -> int:
    if hasattr(os, "sync"):
        os.sync()
    return 0


def _hash_file(path: Path) -> tuple[str, int, int] | None:
    """(sha256, size, mtime_ns) of a file, or None if it cannot be read or changed meanwhile."""
    digest = hashlib.sha256()
    try:
        before = path.stat()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        after = path.stat()
    except OSError:
        return None
    if _moved(before, after):
        return None
    mtime = after.st_mtime_ns if time.time_ns() - after.st_mtime_ns > _RACY_NS else -1
    return digest.hexdigest(), after.st_size, mtime


def _base_stem(path: str) -> str:
    stem = safe_stem(Path(path).name)
    # File names are limited to 255 bytes, not characters: a long Chinese name (3 bytes a
    # character) plus "-<hash>.json" and write_atomic's ".<name>.<random>.tmp" would not fit.
    while len(stem.encode("utf-8")) > _STEM_BYTES:
        stem = stem[:-1]
    return stem


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files of a run that was killed before it could rename them (the lock says
    no other run is writing them)."""
    for folder in (out, out / "parts"):
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)


def progress_line(line: ReportLine, done: int, total: int | None) -> str:
    detail = (
        f"pages={line.pages} facts={line.facts} ms={line.milliseconds}"
        if line.status in ("ok", "failed")
        else ""
    )
    reason = f" reason={line.reason}" if line.reason else ""
    of = total if total is not None else "?"
    return f"{datetime.now(UTC).isoformat(timespec='seconds')} {line.status:<7} [{done}/{of}] {line.path} {detail}{reason}".rstrip()


def as_dict(summary: Summary) -> dict[str, Any]:
    return {key: value for key, value in summary.__dict__.items() if key != "report"}
