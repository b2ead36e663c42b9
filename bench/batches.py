"""Batch throughput and worker memory: ``run_batch`` over the corpus in a fresh child process
per run (like the CLI), the RSS of its pool workers polled in a thread, and how many cores
the machine gives a CPU-bound pair. Used by ``bench/detail.py`` (``bench/run.py --detail``);
this file is also the child process it starts (``--batch-child``, ``--cold-child``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
CHECKPOINTS = (8, 16, 32, 48)
MB = 1024 * 1024


def fmt(value: float | None, digits: int = 1) -> str:
    return "–" if value is None else f"{value:,.{digits}f}"


def machine_and_own_cpu() -> tuple[float, float]:
    """CPU seconds used so far by the whole machine and by this process (with reaped children)."""
    import psutil

    machine = psutil.cpu_times()
    own = psutil.Process().cpu_times()
    return (
        machine.user
        + machine.nice
        + machine.system
        + getattr(machine, "irq", 0)
        + getattr(machine, "softirq", 0),
        own.user + own.system + own.children_user + own.children_system,
    )


# --------------------------------------------------------------------------------------------
# Batch runs (in a child process, like the CLI), with worker memory polled in a thread
# --------------------------------------------------------------------------------------------


class WorkerMemory(threading.Thread):
    """Poll the RSS of this process's pool workers: its children running the same command
    (pebble forks them; multiprocessing's helpers run other commands). The list of children
    is refreshed four times a second (psutil scans /proc for it); the RSS of the known workers is
    read every ``interval`` (one small /proc read each); USS once a second."""

    def __init__(self, interval: float = 0.05) -> None:
        super().__init__(daemon=True)
        import psutil

        self.psutil = psutil
        self.me = psutil.Process()
        self.command = self.me.cmdline()
        self.interval = interval
        self.workers: dict[int, Any] = {}  # pid → psutil.Process
        self.peak: dict[int, int] = {}  # pid → peak RSS (bytes)
        self.first: dict[int, int] = {}  # pid → first RSS seen
        self.peak_uss: dict[int, int] = {}
        self.stop_event = threading.Event()
        self.samples = 0
        self.cpu_seconds = 0.0
        self.lock = threading.Lock()

    def run(self) -> None:
        started = time.thread_time()
        last_scan = last_uss = 0.0
        while not self.stop_event.is_set():
            if time.monotonic() - last_scan > 0.25:
                last_scan = time.monotonic()
                self.scan()
            slow = time.monotonic() - last_uss > 1.0
            if slow:
                last_uss = time.monotonic()
            self.sample(with_uss=slow)
            self.stop_event.wait(self.interval)
        self.cpu_seconds = time.thread_time() - started

    def scan(self) -> None:
        psutil = self.psutil
        try:
            children = self.me.children(recursive=True)
        except psutil.Error:
            return
        alive = {child.pid for child in children}
        with self.lock:
            for pid in list(self.workers):
                if pid not in alive:
                    del self.workers[pid]
            for child in children:
                if child.pid in self.workers:
                    continue
                try:
                    if child.cmdline() == self.command:
                        self.workers[child.pid] = child
                except psutil.Error:
                    continue

    def sample(self, with_uss: bool = False) -> None:
        psutil = self.psutil
        with self.lock:
            for pid, worker in list(self.workers.items()):
                try:
                    rss = worker.memory_info().rss
                    if with_uss:
                        uss = worker.memory_full_info().uss
                        self.peak_uss[pid] = max(self.peak_uss.get(pid, 0), uss)
                except psutil.Error:
                    continue
                self.first.setdefault(pid, rss)
                self.peak[pid] = max(self.peak.get(pid, 0), rss)
            self.samples += 1

    def stop(self) -> None:
        self.stop_event.set()
        self.join()


def batch_child(args: argparse.Namespace) -> int:
    """Run one batch (called as a subprocess of the benchmark); print its numbers as JSON."""
    import resource

    import psutil

    from extractor.batch import BatchOptions, run_batch

    paths = json.loads(Path(args.batch_child).read_text(encoding="utf-8"))
    checkpoints = sorted({c for c in CHECKPOINTS if c < len(paths)} | {len(paths)})
    monitor = WorkerMemory()
    marks: list[dict[str, Any]] = []
    done = 0

    def progress(line: Any, count: int, total: int) -> None:
        nonlocal done
        done = count
        if count in checkpoints:
            monitor.sample()
            marks.append(
                {
                    "files": count,
                    "seconds": time.perf_counter() - started,
                    "peak_rss_mb": {str(pid): rss / MB for pid, rss in monitor.peak.items()},
                }
            )

    parent_rss = psutil.Process().memory_info().rss
    busy = machine_and_own_cpu

    def usage() -> tuple[float, float]:
        me = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return me.ru_utime + me.ru_stime, children.ru_utime + children.ru_stime

    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        monitor.start()
        machine_before, own_before = busy()
        self_before, children_before = usage()
        started = time.perf_counter()
        summary = run_batch(paths, BatchOptions(out=Path(tmp) / "out", jobs=args.jobs), progress)
        seconds = time.perf_counter() - started
        machine_after, own_after = busy()  # the pool has joined its workers: they are reaped
        self_after, children_after = usage()
        monitor.stop()
        lines = summary.lines  # read back from the report, before the folder goes
    result = {
        "jobs": args.jobs,
        "files": len(paths),
        "seconds": seconds,
        "ok": summary.ok,
        "failed": summary.failed,
        "skipped": summary.skipped,
        "worker_seconds": sum(line.milliseconds for line in lines) / 1000,
        "checkpoints": marks,
        "workers": {
            str(pid): {
                "first_rss_mb": monitor.first[pid] / MB,
                "peak_rss_mb": monitor.peak[pid] / MB,
                "peak_uss_mb": monitor.peak_uss.get(pid, 0) / MB,
            }
            for pid in monitor.peak
        },
        "samples": monitor.samples,
        "cpu_seconds": own_after - own_before,
        "batch_process_cpu_seconds": self_after - self_before,  # includes the memory poller
        "workers_cpu_seconds": children_after - children_before,
        "poller_cpu_seconds": monitor.cpu_seconds,
        "other_load_cores": max(machine_after - machine_before - (own_after - own_before), 0.0)
        / seconds,
        "parent_rss_mb_before": parent_rss / MB,
        "parent_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }
    print(json.dumps(result))
    return 0


def cold_child(path: str) -> int:
    """A fresh process: import time, first extract() (pattern compilation, code tables)
    and second extract() of the same file; printed as JSON."""
    started = time.perf_counter()
    import extractor.pipeline as module

    imported = time.perf_counter()
    module.extract(path)
    first = time.perf_counter()
    module.extract(path)
    second = time.perf_counter()
    print(
        json.dumps(
            {
                "file": path,
                "import_seconds": imported - started,
                "first_extract_seconds": first - imported,
                "second_extract_seconds": second - first,
            }
        )
    )
    return 0


def run_child(arguments: list[str]) -> dict[str, Any]:
    completed = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *arguments],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _spin(rounds: int) -> None:
    total = 0
    for number in range(rounds):
        total += number * number


def cpu_capacity(rounds: int = 6_000_000) -> dict[str, float]:
    """How many cores this benchmark can get right now: one CPU-bound process alone, then
    two at once (forked); 2 × t(one) / t(two) is about 2 on an idle two-core machine."""
    import multiprocessing

    context = multiprocessing.get_context("fork")

    def wall(count: int) -> float:
        workers = [context.Process(target=_spin, args=(rounds,)) for _ in range(count)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        return time.perf_counter() - started

    one = min(wall(1) for _ in range(3))
    two = min(wall(2) for _ in range(3))
    return {"one_seconds": one, "two_seconds": two, "cores": 2 * one / two}


def run_batch_child(paths: list[str], jobs: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(paths, handle)
        listing = handle.name
    try:
        return run_child(["--batch-child", listing, "--jobs", str(jobs)])
    finally:
        Path(listing).unlink()


def batch_summary(runs: list[dict[str, Any]], pages_of: dict[str, int]) -> dict[str, Any]:
    by_jobs: dict[int, dict[str, Any]] = {}
    for run in runs:
        best = by_jobs.get(run["jobs"])
        if best is None or run["seconds"] < best["seconds"]:
            by_jobs[run["jobs"]] = run
    out: dict[str, Any] = {}
    for jobs, run in sorted(by_jobs.items()):
        pages = run["pages"]
        out[str(jobs)] = {
            "seconds": run["seconds"],
            "all_seconds": sorted(r["seconds"] for r in runs if r["jobs"] == jobs),
            "files": run["files"],
            "pages": pages,
            "ok": run["ok"],
            "failed": run["failed"],
            "docs_per_s": run["files"] / run["seconds"],
            "pages_per_s": pages / run["seconds"],
            "pages_per_s_per_core": pages / run["seconds"] / jobs,
            "worker_seconds": run["worker_seconds"],
            "cpu_seconds": run["cpu_seconds"],
            "batch_process_cpu_seconds": run["batch_process_cpu_seconds"],
            "workers_cpu_seconds": run["workers_cpu_seconds"],
            "poller_cpu_seconds": run["poller_cpu_seconds"],
            "other_load_cores": run["other_load_cores"],
        }
    if "1" in out:
        for value in out.values():
            value["speedup"] = out["1"]["seconds"] / value["seconds"]
    return out


def batch_tables(result: dict[str, Any]) -> list[str]:
    out: list[str] = []
    batch = result["batch"]
    if batch:
        out.append(
            "**Batch** (`run_batch` in a fresh child process, fresh output folder; every run "
            "in the order run; per job count the fastest run (marked *) gives the rates and "
            "the speed-up)"
        )
        out.append("")
        out.append(
            "| run | jobs | files | pages | wall s | docs/s | pages/s | pages/s per core "
            "| speed-up vs 1 job | CPU s: workers | CPU s: batch process (poller) "
            "| sum of per-file times s | other load (cores) |"
        )
        out.append("|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
        fastest = {jobs: row["seconds"] for jobs, row in batch.items()}
        one = fastest.get("1")
        for number, run in enumerate(result["batch_runs"], start=1):
            jobs = str(run["jobs"])
            kept = "*" if run["seconds"] == fastest.get(jobs) else ""
            speedup = one / run["seconds"] if one else None
            out.append(
                f"| {number}{kept} | {jobs} | {run['files']} | {run['pages']} "
                f"| {run['seconds']:.1f} | {run['files'] / run['seconds']:.2f} "
                f"| {run['pages'] / run['seconds']:.1f} "
                f"| {run['pages'] / run['seconds'] / run['jobs']:.1f} "
                f"| {fmt(speedup, 2)}× | {run['workers_cpu_seconds']:.1f} "
                f"| {run['batch_process_cpu_seconds']:.1f} ({run['poller_cpu_seconds']:.1f}) "
                f"| {run['worker_seconds']:.1f} | {run['other_load_cores']:.2f} |"
            )
        out.append("")
    memory = result["memory"]
    if memory:
        out.append(
            "**Peak RSS per worker process (MB) after N files of the batch** "
            "(polled every 50 ms; workers are forked from the batch process and kept for the "
            "whole batch)"
        )
        out.append("")
        counts = [str(c["files"]) for c in memory[-1]["checkpoints"]]
        out.append(
            "| jobs | worker | first seen (≤ 0.25 s in) | "
            + " | ".join(f"after {c}" for c in counts)
            + " | growth 1st → last | peak USS |"
        )
        out.append("|--:|--:|--:|" + "--:|" * len(counts) + "--:|--:|")
        for run in memory:
            for index, (pid, worker) in enumerate(sorted(run["workers"].items()), start=1):
                peaks = [c["peak_rss_mb"].get(pid) for c in run["checkpoints"]]
                seen = [p for p in peaks if p is not None]
                growth = (seen[-1] - seen[0]) if len(seen) > 1 else None
                out.append(
                    f"| {run['jobs']} | {index} | {worker['first_rss_mb']:.0f} | "
                    + " | ".join(fmt(p, 0) for p in peaks)
                    + f" | {fmt(growth, 0)} | {worker['peak_uss_mb']:.0f} |"
                )
        out.append("")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch-child", help="a JSON file listing the paths of one batch")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--cold-child", help="a file for the cold-start measurement")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.batch_child:
        return batch_child(args)
    if args.cold_child:
        return cold_child(args.cold_child)
    parser.error("run by bench/detail.py: --batch-child or --cold-child")
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
