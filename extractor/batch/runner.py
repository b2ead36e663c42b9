"""A run: plan each input (skip what is done), hand the rest to the executor, store each
result as it comes, report every input, and at the end prune and combine.

The main process alone writes outputs and the manifest, one result at a time, and keeps no
result once it is stored: its memory does not grow with the batch. Folders are walked as the
work goes, and a file whose size and modification time are those the manifest recorded is
skipped without being read. SIGINT and SIGTERM stop a run at once, keeping every result
already stored.
"""

from __future__ import annotations

import re
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, suppress
from functools import partial
from pathlib import Path

from ..models import DocumentStatus
from ..problems import FailureClass, ProblemCode
from .combine import combine_tables
from .discovery import Found, Unreadable, UsageError, check_inputs, discover, input_formats
from .durability import outputs_present, remove_stale_temporaries, sync_to_disk
from .executors import Job, SchedulerError, execute
from .locking import locked, prepare_out
from .manifest import Content, Manifest, ManifestError, PathRecord
from .options import BatchOptions, CannotRunError, describe, optional_parts, settings_key
from .outputs import Outputs
from .report import Progress, ReportFile, ReportLine, ReportStatus, Summary
from .results import Hashed, Task, WorkResult
from .stopping import Interrupted, StopSignals
from .worker import failed_in_main, hash_file, process_file

_SEEN_BATCH = 1000
# How long the end of a run waits for the disk; a run that waited longer is checked by the next.
FLUSH_SECONDS = 30.0


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
    out = prepare_out(options.out)
    with locked(out), StopSignals() as stop:
        try:
            summary = _Run(inputs, options, out, stop, progress, warn or _stderr).run()
        except (ManifestError, SchedulerError) as exc:
            raise CannotRunError(str(exc)) from exc
        except (OSError, sqlite3.Error) as exc:
            raise CannotRunError(describe(exc)) from exc
    summary.seconds = time.perf_counter() - started
    return summary


def _stderr(message: str) -> None:
    print(message, file=sys.stderr)


_SCHEDULER = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx|inproc)://[\w.\-\[\]:]+|[\w.\-\[\]]+:\d+)/?$")


def _check_scheduler(scheduler: str | None) -> None:
    if scheduler is None or scheduler == "local" or _SCHEDULER.match(scheduler):
        return
    raise UsageError(
        f"--scheduler must be 'local' or a scheduler address such as tcp://HOST:8786,"
        f" not {scheduler!r}"
    )


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
        self.unseen_marks: list[str] = []
        self.discovering = True
        self.unreadable_folder = False

    def run(self) -> Summary:
        self.manifest = Manifest.open(self.out, self.warn)
        try:
            self.number, clean_run = self.manifest.begin_run()
            self.outputs = Outputs(
                self.out, self.manifest, self.number, optional_parts(self.options)
            )
            if clean_run < self.number - 1:  # the last run was killed, or never ended
                remove_stale_temporaries(self.out)
                self._check_unclean(clean_run)
            self.report = ReportFile(self.out)
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
        if sync_to_disk(self.out, within=FLUSH_SECONDS):
            self.manifest.end_run(self.number)
        else:  # not marked clean: the next run checks that this run's outputs reached the disk
            self.warn(
                f"budget-notes: the disk was still writing {FLUSH_SECONDS:g} s after the run"
                " (other programs' writes share it); the next run checks this run's outputs"
            )

    def _check_unclean(self, clean_run: int) -> None:
        """Outputs are not flushed to disk one by one (that costs eight fsyncs a file): after
        a run that did not end cleanly (power cut, SIGKILL), the results it stored are
        checked, and any whose files did not all reach the disk is processed again."""
        for content in self.manifest.suspects(clean_run):
            if not outputs_present(self.out, content):
                self.manifest.expire(content.sha256)

    def _work(self) -> None:
        optional = optional_parts(self.options)
        job = Job(
            work=partial(process_file, optional=optional),
            fail=partial(failed_in_main, optional=optional),
            formats=(formats := input_formats(self.inputs)),
            # Formats are known for a few files named one by one: as many files as names.
            files=None if formats is None else len(self.inputs),
        )
        # closing: whatever stops the loop stops the workers too, at once
        with closing(execute(self._tasks(), self.options, job)) as results:
            for result in results:
                with self.stop.critical():
                    self._store(result)
        with self.stop.critical():
            self._mark_seen(force=True)
        if self.options.prune:
            self._prune()
        combine_tables(self.manifest, self.options)

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
        if self.options.force:
            return self._task(path)
        record, content = self.manifest.lookup(path)
        if record and (record.size, record.mtime_ns) == (found.size, found.mtime_ns):
            if content and content.done(self.settings):
                self._skipped(path, content, "unchanged since the last run")
                return None
        elif self.manifest.has_size(found.size):
            # A new path, or a changed time: perhaps a copy, a rename or a touched file.
            hashed = hash_file(Path(path))
            content = self.manifest.content(hashed.sha256) if hashed else None
            if hashed and content and content.done(self.settings):
                with self.stop.critical():
                    self._link(path, content, hashed.size, hashed.mtime_ns, record)
                return None
            return self._task(path, hashed)
        return self._task(path)

    def _task(self, path: str, hashed: Hashed | None = None) -> Task:
        return Task(path, self.outputs.reserve(path), hashed)

    def _mark_seen(self, force: bool = False) -> None:
        if self.unseen_marks and (force or len(self.unseen_marks) >= _SEEN_BATCH):
            self.manifest.mark_seen(self.unseen_marks, self.number)
            self.unseen_marks = []

    # --- storing ------------------------------------------------------------------------------

    def _store(self, result: WorkResult) -> None:
        task = self.running.pop(result.path, None)
        if task is not None:
            self.outputs.release(task.stem, result.path)
        if not result.sha256:
            self._unreadable(result.path, (result.reason or "").split(": ", 1)[-1])
            return
        existing = self.manifest.content(result.sha256)
        if existing and existing.done(self.settings) and not self.options.force:
            # Processed for nothing: another input with this content was stored meanwhile.
            record = self.manifest.path(result.path)
            self._link(result.path, existing, result.size, result.mtime_ns, record)
            return
        stem = self.outputs.store(result, task.stem if task else None, existing, self.settings)
        summary = self.summary
        if result.status == DocumentStatus.OK:
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
                status=ReportStatus.OK
                if result.status == DocumentStatus.OK
                else ReportStatus.FAILED,
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

    def _link(
        self, path: str, content: Content, size: int, mtime_ns: int, record: PathRecord | None
    ) -> None:
        """``path`` holds stored content: record it and report the skip."""
        content, reason = self.outputs.link(path, content, size, mtime_ns, record)
        self._skipped(path, content, reason)

    # --- reporting ----------------------------------------------------------------------------

    def _record(self, line: ReportLine) -> None:
        with self.stop.critical():
            self.report.write(line)
        if self.progress:
            total = None if self.discovering else self.summary.files
            self.progress(line, self.report.lines, total)

    def _skipped(self, path: str, content: Content, reason: str) -> None:
        self.summary.skipped += 1
        if content.status != DocumentStatus.OK:
            self.summary.known_failures += 1
            reason = f"{reason}; failed then: {content.reason}"
        self._record(
            ReportLine(
                path=path,
                sha256=content.sha256,
                status=ReportStatus.SKIPPED,
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
                status=ReportStatus.FAILED,
                outcome=DocumentStatus.FAILED,
                failure=FailureClass.TRANSIENT,
                reason=f"{ProblemCode.UNREADABLE_FILE}: {message}",
            )
        )

    def _cancelled(self) -> None:
        for task in list(self.running.values()):
            self._record(
                ReportLine(
                    path=task.path,
                    sha256="",
                    status=ReportStatus.CANCELLED,
                    failure=FailureClass.TRANSIENT,
                    reason=f"{ProblemCode.CANCELLED}: the run was stopped before this file was"
                    " done",
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
                self.outputs.apply(self.manifest.remove_path(path))
                self.summary.removed += 1
                self._record(
                    ReportLine(
                        path=path,
                        sha256=record.sha256 if record else "",
                        status=ReportStatus.REMOVED,
                        reason="the input is gone: its outputs and rows were removed (--prune)",
                    )
                )
        with self.stop.critical():
            for content in self.manifest.remove_pathless():
                self.outputs.remove_json(content.output_stem)
                self.outputs.remove_parts(content.document_id)
