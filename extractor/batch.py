"""Many files: discover, skip what is done, run each file in isolation, write, report.

Each file runs in a worker process (pebble) with a time limit and a memory cap, so one bad
file cannot hang or sink the batch: a timeout, a crash or a MemoryError becomes a failed
record and the pool replaces the worker. With ``scheduler`` set, the same per-file function
runs on a Dask cluster instead. Either way the main process alone writes the outputs and the
manifest, so a run killed at any moment can simply be run again.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import time
import traceback
from collections.abc import Callable, Iterator
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .export import (
    combine,
    document_id,
    document_json,
    inside,
    remove_parts,
    render_parts,
    safe_stem,
    write_atomic,
    write_parts,
)
from .manifest import Entry, Manifest
from .models import SCHEMA_VERSION, Document, Problem
from .patterns import patterns_version, warm_up
from .pipeline import Options, extract, failed_document

INPUT_SUFFIXES = {
    ".pdf",
    ".docx",
    ".docm",
    ".txt",
    ".doc",
    ".wps",
    ".rtf",
    ".xls",
    ".xlsx",
    ".et",
    ".text",
    ".html",
    ".htm",
    ".shtml",
    ".jsp",
    ".asp",
    ".aspx",
}


class UsageError(ValueError):
    """A problem with the command line, not with an input file (exit status 2)."""


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
    scheduler: str | None = None
    in_process: bool = False


@dataclass
class WorkResult:
    """One file's outcome, rendered: the JSON and the combined tables' rows as text, and the
    counts the report needs (the worker does the rendering; the main process only writes)."""

    path: str
    sha256: str
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
    def of(cls, path: str, sha256: str, document: Document, milliseconds: int) -> WorkResult:
        failed = [c for c in document.checks if not c.passed]
        return cls(
            path=path,
            sha256=sha256,
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


@dataclass
class ReportLine:
    path: str
    sha256: str
    status: str  # ok | skipped | failed
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
    facts: int = 0
    checks_failed: int = 0
    errors_found: int = 0
    seconds: float = 0.0
    lines: list[ReportLine] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 1 if self.failed else 0

    def text(self) -> str:
        processed = self.ok + self.failed
        rate = processed / self.seconds if self.seconds else 0.0
        return (
            f"{self.files} files: {self.ok} ok, {self.skipped} skipped, {self.failed} failed;"
            f" {self.facts} facts, {self.checks_failed} checks failed ({self.errors_found} errors);"
            f" {self.seconds:.1f}s, {rate:.2f} files/s"
        )


# --- inputs -------------------------------------------------------------------------------------


def discover(inputs: list[str]) -> list[Path]:
    """Files, folders (recursively: files with a document suffix) and glob patterns."""
    found: list[Path] = []
    for item in inputs:
        path = Path(item)
        if path.is_file():
            found.append(path)
        elif path.is_dir():
            found.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in INPUT_SUFFIXES
            )
        elif any(char in item for char in "*?["):
            # glob.glob, not Path.glob: the pattern may be absolute or hold "**".
            matches = [Path(m) for m in sorted(glob.glob(item, recursive=True))]  # noqa: PTH207
            found.extend(m for m in matches if m.is_file())
            if not matches:
                raise UsageError(f"no file matches {item!r}")
        else:
            raise UsageError(f"no such file or folder: {item}")
    unique: dict[str, Path] = {}
    for path in found:
        unique.setdefault(str(path.resolve()), path)
    return list(unique.values())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


# --- the per-file work (runs in a worker) ------------------------------------------------------------


def limit_memory(megabytes: int) -> None:
    """Cap the worker's address space: a runaway file raises MemoryError instead of
    exhausting the machine."""
    if megabytes <= 0:
        return
    try:
        import resource

        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform
        pass


def process_file(path: str, sha256: str, options: Options) -> WorkResult:
    started = time.perf_counter()
    try:
        document = extract(path, options)
    except MemoryError:
        document = failed_document(
            Path(path),
            "memory_limit",
            "the file needed more memory than the per-file cap (--max-memory)",
        )
    except RecursionError:
        document = failed_document(
            Path(path), "internal_error", "the file's structure is nested too deeply"
        )
    except Exception as exc:  # a bug: keep the batch going, record it in full
        document = failed_document(
            Path(path),
            "internal_error",
            f"internal error ({type(exc).__name__}): {exc}",
            detail=traceback.format_exc(limit=8),
        )
    return WorkResult.of(path, sha256, document, int((time.perf_counter() - started) * 1000))


def _pool_initializer(megabytes: int) -> None:
    limit_memory(megabytes)


# --- running --------------------------------------------------------------------------------------


Progress = Callable[[ReportLine, int, int], None]


def run_batch(
    inputs: list[str], options: BatchOptions, progress: Progress | None = None
) -> Summary:
    started = time.perf_counter()
    out = options.out
    files = discover(inputs)
    out.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(out)
    manifest = Manifest(out)
    summary = Summary(files=len(files))
    report_path = out / "report.jsonl"
    partial = out / "report.jsonl.partial"
    try:
        with partial.open("w", encoding="utf-8") as report:

            def record(line: ReportLine) -> None:
                summary.lines.append(line)
                report.write(line.as_json() + "\n")
                report.flush()
                if progress:
                    progress(line, len(summary.lines), summary.files)

            todo, duplicates = _plan(files, manifest, options, record, summary)
            stems = _output_stems(todo, manifest)
            for result in _execute(todo, options):
                line = _store(result, stems[result.sha256], out, manifest, summary)
                for path in duplicates.get(result.sha256, []):
                    manifest.add_path(result.sha256, path)
                record(line)
        combine(
            out, (e.document_id for e in manifest.all()), bom=options.bom, parquet=options.parquet
        )
        partial.replace(report_path)
    finally:
        manifest.close()
    summary.seconds = time.perf_counter() - started
    return summary


def _remove_stale_temporaries(out: Path) -> None:
    """Temporary files of a run that was killed before it could rename them."""
    for folder in (out, out / "parts"):
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)


def _fresh(entry: Entry | None) -> bool:
    return (
        entry is not None
        and entry.tool_version == __version__
        and entry.patterns_version == patterns_version()
        and entry.schema_version == SCHEMA_VERSION
    )


def _plan(
    files: list[Path],
    manifest: Manifest,
    options: BatchOptions,
    record: Callable[[ReportLine], None],
    summary: Summary,
) -> tuple[list[tuple[str, str]], dict[str, list[str]]]:
    """What to process, and the paths whose content another input of this run already has."""
    todo: dict[str, str] = {}
    duplicates: dict[str, list[str]] = {}
    for path in files:
        try:
            sha = file_sha256(path)
        except OSError as exc:
            summary.failed += 1
            # "code: message" like every other failed line of the report.
            reason = f"unreadable_file: the file cannot be read: {exc.strerror or exc}"
            record(ReportLine(path=str(path), sha256="", status="failed", reason=reason))
            continue
        for orphan in manifest.forget_path(str(path), keep=sha):
            _remove_outputs(options.out, orphan)
        entry = manifest.get(sha)
        if sha in todo.values():
            duplicates.setdefault(sha, []).append(str(path))
            summary.skipped += 1
            first = next(p for p, s in todo.items() if s == sha)
            record(
                ReportLine(
                    path=str(path), sha256=sha, status="skipped", reason=f"same content as {first}"
                )
            )
            continue
        if not options.force and _fresh(entry) and entry is not None:
            reason = (
                "unchanged since the last run"
                if str(path) in entry.paths
                else f"same content as {entry.paths[0] if entry.paths else 'an earlier file'}"
            )
            manifest.add_path(sha, str(path))
            summary.skipped += 1
            record(
                ReportLine(
                    path=str(path),
                    sha256=sha,
                    status="skipped",
                    reason=reason,
                    output=f"{entry.output_stem}.json",
                )
            )
            continue
        todo[str(path)] = sha
    return list(todo.items()), duplicates


def _execute(todo: list[tuple[str, str]], options: BatchOptions) -> Iterator[WorkResult]:
    if not todo:
        return
    if options.scheduler:
        yield from _execute_dask(todo, options)
    elif options.in_process:
        for path, sha in todo:
            yield process_file(path, sha, options.pipeline)
    else:
        yield from _execute_pool(todo, options)


def _execute_pool(todo: list[tuple[str, str]], options: BatchOptions) -> Iterator[WorkResult]:
    from pebble import ProcessExpired, ProcessPool

    jobs = options.jobs or os.cpu_count() or 1
    warm_up()  # the workers are forked from here: they start with everything loaded
    with ProcessPool(
        max_workers=jobs, initializer=_pool_initializer, initargs=(options.max_memory_mb,)
    ) as pool:
        futures = {
            pool.schedule(
                process_file, args=(path, sha, options.pipeline), timeout=options.timeout
            ): (path, sha)
            for path, sha in todo
        }
        pending = set(futures)
        while pending:
            done = {f for f in pending if f.done()}
            if not done:
                time.sleep(0.02)
                continue
            for future in sorted(done, key=lambda f: futures[f][0]):
                pending.discard(future)
                path, sha = futures[future]
                try:
                    yield future.result()
                except FutureTimeout:
                    yield _failure(
                        path,
                        sha,
                        "timeout",
                        f"processing took longer than {options.timeout:g}s (--timeout)",
                    )
                except ProcessExpired as exc:
                    killed = (
                        " (killed by SIGKILL: perhaps the system ran out of memory)"
                        if exc.exitcode in (-9, 137)
                        else ""
                    )
                    yield _failure(
                        path,
                        sha,
                        "worker_crashed",
                        f"the worker process died while reading the file (exit code {exc.exitcode}){killed}",
                    )
                except MemoryError:
                    yield _failure(
                        path,
                        sha,
                        "memory_limit",
                        "the file needed more memory than the per-file cap (--max-memory)",
                    )
                except Exception as exc:  # the worker raised outside process_file (pickling …)
                    yield _failure(
                        path, sha, "internal_error", f"internal error ({type(exc).__name__}): {exc}"
                    )


def _execute_dask(todo: list[tuple[str, str]], options: BatchOptions) -> Iterator[WorkResult]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise UsageError("--scheduler needs Dask: pip install 'budget-notes[dask]'") from exc
    jobs = options.jobs or os.cpu_count() or 1
    cluster = None
    if options.scheduler == "local":
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=jobs,
            threads_per_worker=1,
            processes=True,
            memory_limit=f"{options.max_memory_mb}MiB" if options.max_memory_mb > 0 else "auto",
            dashboard_address=None,
        )
        client = Client(cluster)  # type: ignore[no-untyped-call]
    else:
        client = Client(options.scheduler, timeout="30s")  # type: ignore[no-untyped-call]
    try:
        futures = {
            client.submit(
                process_file, path, sha, options.pipeline, pure=False, key=f"budget-notes-{sha}-{i}"
            ): (path, sha)
            for i, (path, sha) in enumerate(todo)
        }
        for future in as_completed(futures):  # type: ignore[no-untyped-call]
            path, sha = futures[future]
            try:
                yield future.result()
            except Exception as exc:  # KilledWorker, CancelledError …
                yield _failure(
                    path,
                    sha,
                    "worker_crashed",
                    f"the Dask worker failed on this file ({type(exc).__name__}: {exc})",
                )
    finally:
        client.close()  # type: ignore[no-untyped-call]
        if cluster is not None:
            cluster.close()


def _failure(path: str, sha: str, code: str, message: str) -> WorkResult:
    return WorkResult.of(path, sha, failed_document(Path(path), code, message), 0)


def _store(
    result: WorkResult, stem: str, out: Path, manifest: Manifest, summary: Summary
) -> ReportLine:
    target = out / f"{stem}.json"
    if not inside(out, target):  # never write outside --out, whatever the input was called
        stem = f"document-{result.sha256[:12]}"
        target = out / f"{stem}.json"
    write_atomic(target, result.json_text)
    write_parts(out, result.document_id, result.parts)
    manifest.put(
        Entry(
            sha256=result.sha256,
            document_id=result.document_id,
            output_stem=stem,
            status=result.status,
            reason="; ".join(p.code for p in result.errors) or None,
            tool_version=__version__,
            patterns_version=patterns_version(),
            schema_version=SCHEMA_VERSION,
            paths=[result.path],
            processed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
    )
    if result.status == "ok":
        summary.ok += 1
    else:
        summary.failed += 1
    summary.facts += result.facts
    summary.checks_failed += result.checks_failed
    summary.errors_found += result.errors_found
    return ReportLine(
        path=result.path,
        sha256=result.sha256,
        status="ok" if result.status == "ok" else "failed",
        reason="; ".join(f"{p.code}: {p.message}" for p in result.errors) or None,
        output=target.name,
        pages=result.pages,
        facts=result.facts,
        warnings=result.warnings,
        checks_failed=result.checks_failed,
        milliseconds=result.milliseconds,
    )


_STEM_BYTES = 180


def _output_stems(todo: list[tuple[str, str]], manifest: Manifest) -> dict[str, str]:
    """Output name (without .json) for each content to process, decided in input order before
    anything runs, so that names do not depend on which worker finishes first: a name already
    owned by other content gets the content's hash."""
    owners = manifest.stems()
    stems: dict[str, str] = {}
    for path, sha in todo:
        stem = safe_stem(Path(path).name)
        # File names are limited to 255 bytes, not characters: a long Chinese name (3 bytes a
        # character) plus "-<sha>.json" and write_atomic's ".<name>.<random>.tmp" would not fit.
        while len(stem.encode("utf-8")) > _STEM_BYTES:
            stem = stem[:-1]
        if owners.get(stem, sha) != sha:
            stem = f"{stem}-{sha[:8]}"
        owners[stem] = sha
        stems[sha] = stem
    return stems


def _remove_outputs(out: Path, entry: Entry) -> None:
    (out / f"{entry.output_stem}.json").unlink(missing_ok=True)
    remove_parts(out, entry.document_id)


def progress_line(line: ReportLine, done: int, total: int) -> str:
    detail = (
        f"pages={line.pages} facts={line.facts} ms={line.milliseconds}"
        if line.status != "skipped"
        else ""
    )
    reason = f" reason={line.reason}" if line.reason else ""
    return f"{datetime.now(UTC).isoformat(timespec='seconds')} {line.status:<7} [{done}/{total}] {line.path} {detail}{reason}".rstrip()


def as_dict(summary: Summary) -> dict[str, Any]:
    return {key: value for key, value in summary.__dict__.items() if key != "lines"}
