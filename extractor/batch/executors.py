"""Where the per-file function runs: in this process, in local worker processes (pebble),
or on a Dask cluster. Each keeps only a few files per worker in flight, so the main process
holds no future per file of the batch, and each turns a file that killed or outlived its
worker into a failed result instead of an exception.
"""

from __future__ import annotations

import importlib
import itertools
import os
import uuid
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..pipeline import Options
from ..problems import ProblemCode
from ..readers.formats import Format
from ..readers.registry import lazy_imports
from ..rules import compile_all, default_rules
from .options import BatchOptions
from .results import Hashed, Task, WorkResult
from .stopping import reset_in_worker

Results = Generator[WorkResult, None, None]


class SchedulerError(Exception):
    """The Dask scheduler cannot be used: Dask missing, unreachable, without workers."""


@dataclass(frozen=True)
class Job:
    work: Callable[[str, Options, Hashed | None], WorkResult]  # one file, in a worker
    # (path, code, message): a failure seen by the main process
    fail: Callable[[str, ProblemCode, str], WorkResult]
    # The formats the batch's files are, when known before it starts (None: any)
    formats: frozenset[Format] | None = None
    # How many files the batch holds at most, when known before it starts (None: any number)
    files: int | None = None


def limit_memory(megabytes: int) -> None:
    """Cap what the worker may add to its address space: a runaway file raises MemoryError
    instead of exhausting the machine. The cap comes on top of what the worker already maps
    (a forked worker starts with its parent's libraries, several hundred MB of address
    space, more in a long-lived parent), so that it means the same in any process."""
    if megabytes <= 0:
        return
    try:
        import resource

        limit = _address_space() + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # not on this platform
        pass


def _address_space() -> int:
    """This process's virtual memory size in bytes (Linux), or 0 where it cannot be read."""
    try:
        with Path("/proc/self/statm").open(encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


_REVIEW_IMPORTS = ("extractor.export.review",)


def _preload(formats: frozenset[Format] | None, review: bool = False, tables: bool = True) -> None:
    """Import, before the workers are forked, what the readers of ``formats`` (None: of any
    format), with ``tables`` their table readers, and, for ``review``, the review pages
    import lazily: once for every worker, in memory they share, and outside the workers'
    address-space cap. A batch of no more files than workers skips it (``execute_pool``):
    each worker then reads one file at most, and importing there takes the same time, on
    every worker at once, and only if that file needs it (a PDF whose tables all have
    vertical rules never loads pdfplumber)."""
    for name in (*lazy_imports(formats, tables=tables), *(_REVIEW_IMPORTS if review else ())):
        with suppress(ImportError):
            importlib.import_module(name)


def _pool_initializer(megabytes: int) -> None:
    reset_in_worker()
    limit_memory(megabytes)


def execute(tasks: Iterator[Task], options: BatchOptions, job: Job) -> Results:
    if options.scheduler:
        return execute_dask(tasks, options, job)
    if options.in_process:
        return execute_inline(tasks, options, job)
    return execute_pool(tasks, options, job)


def execute_inline(tasks: Iterator[Task], options: BatchOptions, job: Job) -> Results:
    """In this process, one after the other (tests, debugging): no time limit, no isolation."""
    return (job.work(task.path, options.pipeline, task.hashed) for task in tasks)


def execute_pool(tasks: Iterator[Task], options: BatchOptions, job: Job) -> Results:
    """Local worker processes; at most a few files per worker are queued at a time."""
    first = next(tasks, None)
    if first is None:
        return  # nothing to do: no pool is started (nor pebble imported)
    from pebble import ProcessPool

    tasks = itertools.chain([first], tasks)
    jobs = options.jobs or os.cpu_count() or 1
    window = 4 * jobs
    compile_all(default_rules())  # the workers are forked from here: they start warm
    if job.files is None or job.files > jobs:
        _preload(job.formats, review=options.review, tables=options.pipeline.tables)
    with _polling_often():
        pool = ProcessPool(
            max_workers=jobs, initializer=_pool_initializer, initargs=(options.max_memory_mb,)
        )
        running: dict[Any, str] = {}  # pebble's futures → path
        finished = False
        try:
            more = True
            while True:
                while more and len(running) < window:
                    task = next(tasks, None)
                    if task is None:
                        more = False
                        break
                    future = pool.schedule(
                        job.work,
                        args=(task.path, options.pipeline, task.hashed),
                        timeout=options.timeout,
                    )
                    running[future] = task.path
                if not running:
                    break
                done, _ = wait(list(running), timeout=0.2, return_when=FIRST_COMPLETED)
                for ready in sorted(done, key=lambda f: running[f]):
                    yield _pool_result(ready, running.pop(ready), options, job)
            finished = True
        finally:
            if finished:
                pool.close()  # type: ignore[no-untyped-call]
            else:  # stopped: queued files are dropped, running ones killed
                pool.stop()  # type: ignore[no-untyped-call]
            pool.join()


@contextmanager
def _polling_often() -> Iterator[None]:
    """pebble's pool threads look at the workers every ``CONSTS.sleep_unit`` (0.1 s), and
    closing a pool waits for the next look: a tenth of a second at the end of every run, more
    than a small note takes. For the life of this pool they look every 10 ms, which costs
    nothing measurable; the setting is restored after, for other users of pebble."""
    from pebble.common.types import CONSTS

    before = CONSTS.sleep_unit
    CONSTS.sleep_unit = min(before, _POLL_SECONDS)
    try:
        yield
    finally:
        CONSTS.sleep_unit = before


_POLL_SECONDS = 0.01


def _pool_result(
    future: Future[WorkResult], path: str, options: BatchOptions, job: Job
) -> WorkResult:
    from pebble import ProcessExpired

    try:
        return future.result()
    except FutureTimeout:
        return job.fail(
            path,
            ProblemCode.TIMEOUT,
            f"processing took longer than {options.timeout:g}s (--timeout)",
        )
    except ProcessExpired as exc:
        killed = (
            " (killed by SIGKILL: perhaps the system ran out of memory)"
            if exc.exitcode in (-9, 137)
            else ""
        )
        return job.fail(
            path,
            ProblemCode.WORKER_CRASHED,
            f"the worker process died while reading the file (exit code {exc.exitcode}){killed}",
        )
    except MemoryError:
        return job.fail(
            path,
            ProblemCode.MEMORY_LIMIT,
            "the file needed more memory than the per-file cap (--max-memory)",
        )
    except Exception as exc:  # the worker raised outside the per-file function (pickling …)
        return job.fail(
            path, ProblemCode.INTERNAL_ERROR, f"internal error ({type(exc).__name__}): {exc}"
        )


def execute_dask(tasks: Iterator[Task], options: BatchOptions, job: Job) -> Results:
    """A Dask cluster; a few files per worker thread are submitted at a time, so the main
    process never holds a future per file. A worker that dies has its files rescheduled by
    Dask; a file that kills workers repeatedly fails as ``worker_crashed``."""
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise SchedulerError("--scheduler needs Dask: pip install 'budget-notes[dask]'") from exc
    first = next(tasks, None)
    if first is None:
        return  # nothing to do: the cluster is not contacted
    tasks = itertools.chain([first], tasks)
    jobs = options.jobs or os.cpu_count() or 1
    cluster = None
    try:
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
            client = Client(  # type: ignore[no-untyped-call]
                options.scheduler, timeout=f"{options.scheduler_timeout}s"
            )
    except (OSError, TimeoutError) as exc:
        if cluster is not None:
            cluster.close()
        raise SchedulerError(
            f"cannot reach the Dask scheduler at {options.scheduler}: {exc}"
        ) from exc
    running: dict[Any, tuple[Any, str]] = {}  # key → (future, path)
    try:
        try:
            client.wait_for_workers(1, timeout=options.scheduler_timeout)
        except (OSError, TimeoutError) as exc:
            raise SchedulerError(
                f"the Dask scheduler at {options.scheduler} has no workers"
                f" (waited {options.scheduler_timeout:g}s)"
            ) from exc
        threads = sum(client.nthreads().values()) or jobs  # type: ignore[no-untyped-call]
        window = max(8, 4 * threads)
        token = uuid.uuid4().hex[:8]
        pending = as_completed()  # type: ignore[no-untyped-call]
        submitted = 0

        def fill() -> None:
            nonlocal submitted
            while len(running) < window:
                task = next(tasks, None)
                if task is None:
                    return
                submitted += 1
                future = client.submit(
                    job.work,
                    task.path,
                    options.pipeline,
                    task.hashed,
                    pure=False,
                    key=f"budget-notes-{token}-{submitted}",
                )
                running[future.key] = (future, task.path)
                pending.add(future)  # type: ignore[no-untyped-call]

        fill()
        for future in pending:
            _, path = running.pop(future.key)
            try:
                result = future.result()
            except Exception as exc:  # KilledWorker, CancelledError …
                result = job.fail(
                    path,
                    ProblemCode.WORKER_CRASHED,
                    f"the Dask worker failed on this file ({type(exc).__name__}: {exc})",
                )
            future.release()
            fill()
            yield result
    finally:
        if running:
            with suppress(Exception):
                client.cancel([future for future, _ in running.values()])  # type: ignore[no-untyped-call]
        with suppress(Exception):
            client.close(timeout=5)  # type: ignore[no-untyped-call]
        if cluster is not None:
            with suppress(Exception):
                cluster.close(timeout=5)
