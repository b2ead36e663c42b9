"""The nightly job at scale: many small notes through ``budget-notes extract``.

Generates ``--files`` small budget notes (plain text, each with its own unit and figures) in
a temporary folder, sharded like a province's folder (district / unit), then runs the command
line as the nightly job would, in a child process whose memory is polled:

1. a first run over everything (``--jobs``): files/s, the main process's peak RSS, and how
   that RSS moves as files are done (it must not grow with the batch);
2. a second run with nothing to do (its wall time);
3. a night's changes: 1 % of the files rewritten, 0.5 % new, 0.5 % deleted, 0.5 % renamed,
   run with ``--prune``;

and works out what a million files a night would need on a Dask cluster. Not a timed test:
``python bench/scale.py --files 20000 --jobs 2 --markdown`` (about 20 minutes on two cores).
Writes ``bench/results/scale.json`` and ``scale.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
MB = 1024 * 1024

DISTRICTS = ["安居区", "船山区", "射洪市", "蓬溪县", "大英县", "经开区", "高新区", "河东新区"]
UNITS = ["政务服务中心", "财政局", "司法局", "文化馆", "档案馆", "统计局", "审计局", "气象站"]


def note_text(number: int) -> str:
    """A small but complete note: title, 收支 totals with their parts, the 三公 figures."""
    rng = random.Random(number)
    unit = f"遂宁市{DISTRICTS[number % len(DISTRICTS)]}{UNITS[number // 8 % len(UNITS)]}第{number}分中心"
    year = 2019 + number % 7
    basic = rng.randint(5_000, 90_000) / 100
    project = rng.randint(0, 30_000) / 100
    total = round(basic + project, 2)
    reception = rng.randint(0, 300) / 100
    vehicle = rng.randint(0, 800) / 100
    sangong = round(reception + vehicle, 2)
    return f"""{unit}
{year}年部门预算编制说明
一、基本职能及主要工作
{unit}主要负责全区政务服务便民热线办理工作。
二、收支预算情况说明
{unit}{year}年收支总预算{total:.2f}万元。
（一）收入预算情况
{year}年一般公共预算拨款收入{total:.2f}万元，政府性基金预算收入0万元。
（二）支出预算情况
{year}年支出预算{total:.2f}万元，其中：基本支出{basic:.2f}万元；项目支出{project:.2f}万元。
三、“三公”经费财政拨款预算安排情况说明
{year}年“三公”经费财政拨款预算数{sangong:.2f}万元，其中：因公出国（境）经费0万元，公务接待费{reception:.2f}万元，公务用车购置及运行维护费{vehicle:.2f}万元。
四、政府性基金预算支出情况说明
{unit}{year}年没有使用政府性基金预算拨款安排的支出。
"""


def note_path(folder: Path, number: int) -> Path:
    district = DISTRICTS[number % len(DISTRICTS)]
    return folder / district / f"{number // 1000:03d}" / f"note_{number:06d}.txt"


def make_notes(folder: Path, count: int) -> float:
    started = time.perf_counter()
    for number in range(count):
        path = note_path(folder, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(number), encoding="utf-8")
    return time.perf_counter() - started


class Watch(threading.Thread):
    """Polls a process (and its children) every ``interval`` seconds: peak RSS of the main
    process, of each worker, and the main RSS against the number of report lines written."""

    def __init__(self, pid: int, report: Path, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        import psutil

        self.process = psutil.Process(pid)
        self.report = report
        self.interval = interval
        self.main_peak = 0
        self.worker_peak: dict[int, int] = {}
        self.worker_cpu: dict[int, float] = {}
        self.curve: list[tuple[float, int, float]] = []  # seconds, files done, main RSS MB
        self.main_cpu = 0.0
        self.halt = threading.Event()
        self.started = time.perf_counter()

    def run(self) -> None:
        import psutil

        last_curve = -10.0
        while not self.halt.is_set():
            try:
                rss = self.process.memory_info().rss
                times = self.process.cpu_times()
                self.main_cpu = times.user + times.system
                children = self.process.children(recursive=True)
            except psutil.Error:
                break
            self.main_peak = max(self.main_peak, rss)
            for child in children:
                try:
                    self.worker_peak[child.pid] = max(
                        self.worker_peak.get(child.pid, 0), child.memory_info().rss
                    )
                    times = child.cpu_times()
                    self.worker_cpu[child.pid] = times.user + times.system
                except psutil.Error:
                    continue
            now = time.perf_counter() - self.started
            if now - last_curve >= 2.0:
                last_curve = now
                self.curve.append((round(now, 1), _lines(self.report), round(rss / MB, 1)))
            self.halt.wait(self.interval)


def _lines(report: Path) -> int:
    partial = report.with_name("report.jsonl.partial")
    for path in (partial, report):
        try:
            with path.open("rb") as handle:
                return sum(1 for _ in handle)
        except OSError:
            continue
    return 0


def run_cli(inputs: Path, out: Path, jobs: int, extra: list[str]) -> dict[str, Any]:
    command = [
        sys.executable,
        "-m",
        "extractor.cli",
        "extract",
        str(inputs),
        "--out",
        str(out),
        "--jobs",
        str(jobs),
        "--quiet",
        *extra,
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
    watch = Watch(process.pid, out / "report.jsonl")
    watch.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    watch.halt.set()
    watch.join()
    report = [json.loads(line) for line in (out / "report.jsonl").open(encoding="utf-8")]
    statuses = Counter(r["status"] for r in report)
    return {
        "command": " ".join(command[2:]),
        "exit_code": process.returncode,
        "stderr": stderr.strip()[-500:],
        "seconds": round(seconds, 2),
        "statuses": dict(statuses),
        "main_peak_rss_mb": round(watch.main_peak / MB, 1),
        "main_cpu_seconds": round(watch.main_cpu, 2),
        "worker_peak_rss_mb": sorted(round(v / MB, 1) for v in watch.worker_peak.values())[-4:],
        "worker_ms_total": sum(r.get("milliseconds") or 0 for r in report),
        "worker_cpu_seconds": round(sum(watch.worker_cpu.values()), 2),
        "load": [round(load_before, 1), round(os.getloadavg()[0], 1)],
        "processed": statuses["ok"] + statuses["failed"],
        "curve": watch.curve,
    }


def night_of_changes(inputs: Path, count: int) -> dict[str, int]:
    """1 % rewritten, 0.5 % new, 0.5 % deleted, 0.5 % renamed."""
    rng = random.Random(7)
    numbers = list(range(count))
    rng.shuffle(numbers)
    step = max(count // 200, 1)
    rewritten = numbers[: 2 * step]
    deleted = numbers[2 * step : 3 * step]
    renamed = numbers[3 * step : 4 * step]
    for number in rewritten:
        path = note_path(inputs, number)
        path.write_text(
            note_text(number).replace("万元。", "万元，比上年有所增加。", 1), encoding="utf-8"
        )
    for number in deleted:
        note_path(inputs, number).unlink()
    for number in renamed:
        path = note_path(inputs, number)
        path.rename(path.with_name(f"renamed_{number:06d}.txt"))
    for number in range(count, count + step):
        path = note_path(inputs, number)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(note_text(number), encoding="utf-8")
    return {
        "rewritten": len(rewritten),
        "deleted": len(deleted),
        "renamed": len(renamed),
        "new": step,
    }


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def million(result: dict[str, Any]) -> dict[str, Any]:
    """What a million files a night needs, from this run's per-file costs."""
    files = result["files"]
    first = result["runs"]["first"]
    # CPU time, not the time a file took in its worker: on a loaded machine that is longer.
    worker_ms = first["worker_cpu_seconds"] * 1000 / max(first["processed"], 1)
    main_ms = first["main_cpu_seconds"] * 1000 / max(first["processed"], 1)
    core_hours = 1_000_000 * worker_ms / 1000 / 3600
    window_hours = 8
    skip_per_file = result["runs"]["nothing_to_do"]["seconds"] / files
    out_per_file = result["out_bytes"] / files
    return {
        "worker_ms_per_file": round(worker_ms, 1),
        "main_ms_per_file": round(main_ms, 2),
        "worker_core_hours": round(core_hours, 1),
        "cores_for_8_hours": round(core_hours / window_hours, 1),
        "main_process_files_per_second_ceiling": round(1000 / main_ms, 0) if main_ms else None,
        "main_process_hours_for_a_million": round(1_000_000 * main_ms / 1000 / 3600, 2),
        "nothing_to_do_minutes": round(1_000_000 * skip_per_file / 60, 1),
        "output_gb": round(1_000_000 * out_per_file / 1e9, 1),
        "manifest_mb": round(1_000_000 * result["manifest_bytes"] / files / MB, 0),
        "window_hours": window_hours,
    }


def markdown(result: dict[str, Any]) -> str:
    runs = result["runs"]
    first, idle, night = runs["first"], runs["nothing_to_do"], runs["night"]
    m = result["million"]
    curve = first["curve"]
    samples = [curve[int(i * (len(curve) - 1) / 5)] for i in range(6)] if curve else []
    lines = [
        f"Command: `python bench/scale.py --files {result['files']} --jobs {result['jobs']}`  ",
        f"Machine: {result['machine']}; load average before {result['load_before']}, after"
        f" {result['load_after']}.  ",
        f"Corpus: {result['files']:,} generated text notes ({result['input_bytes'] / result['files'] / 1024:.1f} KB"
        f" each, in {result['folders']} folders), written in {result['generate_seconds']:.0f} s.",
        "",
        "| run | wall s | files/s | processed | skipped | removed | main peak RSS MB | main CPU s | workers' CPU s | worker peak RSS MB | load (1 min) | exit |",
        "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
    ]
    for name, run in (
        ("first (everything)", first),
        ("nothing to do", idle),
        ("a night's changes, --prune", night),
    ):
        statuses = run["statuses"]
        rate = (
            run["processed"] / run["seconds"]
            if run["processed"]
            else len_report(run) / run["seconds"]
        )
        lines.append(
            f"| {name} | {run['seconds']:.1f} | {rate:.1f} | {run['processed']:,} |"
            f" {statuses.get('skipped', 0):,} | {statuses.get('removed', 0):,} |"
            f" {run['main_peak_rss_mb']:.0f} | {run['main_cpu_seconds']:.1f} |"
            f" {run['worker_cpu_seconds']:.1f} | {max(run['worker_peak_rss_mb'] or [0]):.0f} |"
            f" {run['load'][0]:.1f} → {run['load'][1]:.1f} | {run['exit_code']} |"
        )
    lines += [
        "",
        "Main process RSS during the first run (seconds in, files done, MB): "
        + ", ".join(f"{s:.0f} s / {n:,} / {r:.0f}" for s, n, r in samples)
        + ".",
        "",
        f"Changes for the third run: {result['changes']}.",
        "",
        "**A million files a night**, from these per-file costs: a worker spends"
        f" {m['worker_ms_per_file']} ms of CPU per note, so a million notes are"
        f" {m['worker_core_hours']} core-hours: {m['cores_for_8_hours']} worker cores finish them"
        f" in {m['window_hours']} hours (Dask workers with `--scheduler`; real notes of 20–40"
        " pages cost 10–30× more per file, see *Performance*). The main process spends"
        f" {m['main_ms_per_file']} ms per stored file (writing the JSON, the parts and the"
        f" manifest row), a ceiling of about {m['main_process_files_per_second_ceiling']:.0f}"
        f" files/s, {m['main_process_hours_for_a_million']} hours for a million — with more than"
        " that many worker cores the main process is the limit. A nothing-to-do run over a"
        f" million files takes about {m['nothing_to_do_minutes']} minutes (one stat and two"
        f" index lookups per file); the outputs take about {m['output_gb']} GB and the manifest"
        f" about {m['manifest_mb']:.0f} MB.",
    ]
    return "\n".join(lines) + "\n"


def len_report(run: dict[str, Any]) -> int:
    return sum(run["statuses"].values())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--files", type=int, default=20_000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="generate into this folder and keep it")
    parser.add_argument("--markdown", action="store_true", help="print the Markdown report")
    args = parser.parse_args()
    workdir = args.keep or Path(tempfile.mkdtemp(prefix="bench-scale-"))
    inputs, out = workdir / "in", workdir / "out"
    if out.exists():
        shutil.rmtree(out)
    result: dict[str, Any] = {
        "files": args.files,
        "jobs": args.jobs,
        "machine": f"{os.cpu_count()} cores, Python {platform.python_version()}",
        "load_before": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }
    try:
        if not (inputs.exists() and args.keep):
            if inputs.exists():
                shutil.rmtree(inputs)
            result["generate_seconds"] = make_notes(inputs, args.files)
        else:
            result["generate_seconds"] = 0.0
        result["input_bytes"] = folder_bytes(inputs)
        result["folders"] = sum(1 for p in inputs.rglob("*") if p.is_dir())
        time.sleep(2.5)  # past the modification-time tick that is not trusted
        runs: dict[str, Any] = {}
        runs["first"] = run_cli(inputs, out, args.jobs, [])
        print(f"first run: {runs['first']['seconds']} s", file=sys.stderr)
        runs["nothing_to_do"] = run_cli(inputs, out, args.jobs, [])
        print(f"nothing to do: {runs['nothing_to_do']['seconds']} s", file=sys.stderr)
        result["out_bytes"] = folder_bytes(out)
        result["manifest_bytes"] = sum(
            p.stat().st_size for p in out.glob("manifest.sqlite*") if p.is_file()
        )
        result["changes"] = night_of_changes(inputs, args.files)
        time.sleep(2.5)
        runs["night"] = run_cli(inputs, out, args.jobs, ["--prune"])
        result["runs"] = runs
        result["load_after"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        result["million"] = million(result)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    text = markdown(result)
    (RESULTS / "scale.md").write_text(text, encoding="utf-8")
    if args.markdown:
        print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
