"""Measure where the time goes: text floors, reader, parsing, batch throughput, worker memory.

    python bench/make_corpus.py && python bench/detail.py --markdown
    python bench/detail.py --repeat 5 --jobs-list 1,2 --markdown    # steadier numbers
    python bench/run.py --detail --markdown     # the same, after run.py's headline numbers

One run measures, over the corpus of ``bench/make_corpus.py`` (its ``manifest.json`` says which
notes are text-only and which carry tables, and how many pages each has):

* every PDF, one file at a time in this process: raw text with pypdfium2 alone (the floor),
  with pdfplumber alone, our reader alone, the whole pipeline, the pipeline without tables;
  the pipeline is also split into its steps (reader, normalise, outline, facts, tables, …);
* every DOCX: reader alone and the whole pipeline;
* batch throughput: ``run_batch`` over all files for each N of ``--jobs-list``, each batch in a
  fresh subprocess (like the CLI) with a fresh output folder;
* memory: during each batch a thread polls the RSS of the pool's worker processes; the peak
  per worker is recorded after 8, 16, 32 … files, to see whether it stays flat.

Per-file timings are repeated ``--repeat`` times (round-robin over the files, so a burst of
other load hits one round, not one file) and the minimum per file is used; the median is kept
in the JSON. Raw numbers go to ``bench/results/detail.json``; ``--markdown`` prints the tables.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import shlex
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from batches import (
    batch_summary,
    batch_tables,
    cpu_capacity,
    fmt,
    machine_and_own_cpu,
    run_batch_child,
    run_child,
)
from floor import floor_text

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results"

TARGETS = {
    "floor_ratio_text": 1.5,  # pipeline / pypdfium2 on text notes: at most
    "parse_share": 0.10,  # (pipeline - reader) / pipeline: below
    "speedup_2_jobs": 2.0,  # 2 jobs vs 1: close to
}


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------
# Corpus
# --------------------------------------------------------------------------------------------


def load_corpus(corpus: Path) -> list[dict[str, Any]]:
    """Files with format, kind (text | tables | real) and pages, from the manifest if any."""
    manifest = corpus / "manifest.json"
    if manifest.exists():
        entries = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        for entry in entries:
            path = Path(entry["file"])
            entry["path"] = str(path if path.is_absolute() else corpus / path)
        return [e for e in entries if Path(e["path"]).exists()]
    # A folder without a manifest: every PDF/DOCX, kind unknown, pages from the file.
    import pypdfium2 as pdfium

    entries = []
    for path in sorted([*corpus.glob("*.pdf"), *corpus.glob("*.docx")]):
        pages = None
        if path.suffix == ".pdf":
            document = pdfium.PdfDocument(str(path))
            pages = len(document)
            document.close()
        entries.append({"file": path.name, "path": str(path), "format": path.suffix[1:],
                        "kind": "unknown", "pages": pages})
    return entries


# --------------------------------------------------------------------------------------------
# What is timed
# --------------------------------------------------------------------------------------------


def plumber_text(path: str) -> int:
    import pdfplumber

    chars = 0
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            chars += len(page.extract_text() or "")
            page.close()
    return chars


def reader(path: str) -> Any:
    from extractor.readers.limits import Limits
    from extractor.readers.reading import read_document

    return read_document(Path(path), Limits())


def pipeline(path: str, tables: bool = True) -> Any:
    from extractor.pipeline import Options, extract

    document = extract(path, Options(tables=tables))
    if document.status != "ok":
        raise RuntimeError(f"{path}: {document.status} {[e.code for e in document.errors]}")
    return document


# The names extractor.pipeline.extract calls, wrapped to time each step inside one extract().
STEPS = ["_source_info", "read_document", "normalise", "identify", "build_outline",
         "extract_facts", "Locator", "extract_tables", "_identity_facts", "resolve_codes",
         "validate"]


@contextmanager
def step_timers() -> Iterator[dict[str, float]]:
    """Wrap the step functions of extractor.pipeline (module globals) for the duration; the
    yielded dict accumulates seconds per step. Nothing in the package is edited."""
    import extractor.pipeline as module

    spent: dict[str, float] = {}
    originals = {name: getattr(module, name) for name in STEPS}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - started
        return wrapper

    for name, function in originals.items():
        setattr(module, name, timed(name, function))
    try:
        yield spent
    finally:
        for name, function in originals.items():
            setattr(module, name, function)


def timed_call(function: Callable[[], Any], cpu: list[float] | None = None) -> float:
    """Wall seconds of one call (after a collection, so earlier garbage is not billed to it);
    the process CPU seconds are appended to ``cpu`` if given."""
    gc.collect()
    cpu_started = time.process_time()
    started = time.perf_counter()
    function()
    wall = time.perf_counter() - started
    if cpu is not None:
        cpu.append(time.process_time() - cpu_started)
    return wall


def measure_files(entries: list[dict[str, Any]], repeat: int, plumber_repeat: int) -> dict[str, Any]:
    """Per file and metric: the times of every round."""
    per_file: dict[str, dict[str, Any]] = {e["path"]: {"times": {}, "steps": None} for e in entries}
    for round_number in range(repeat):
        started = time.perf_counter()
        for entry in entries:
            path = entry["path"]
            record = per_file[path]["times"]
            metrics: list[tuple[str, Callable[[], Any]]] = []
            if entry["format"] == "pdf":
                metrics.append(("pypdfium2", lambda p=path: floor_text(p)))
                if round_number < plumber_repeat:
                    metrics.append(("pdfplumber", lambda p=path: plumber_text(p)))
                metrics.append(("pipeline_no_tables", lambda p=path: pipeline(p, tables=False)))
            metrics.append(("reader", lambda p=path: reader(p)))
            for name, function in metrics:
                record.setdefault(name, []).append(timed_call(function))
            # The pipeline with its steps timed (a few microseconds of wrapping per call).
            with step_timers() as spent:
                seconds = timed_call(lambda p=path: pipeline(p),
                                     per_file[path].setdefault("pipeline_cpu", []))
            record.setdefault("pipeline", []).append(seconds)
            best = per_file[path]["steps"]
            if best is None or seconds < best["total"]:
                per_file[path]["steps"] = {"total": seconds, **spent}
        log(f"  round {round_number + 1}/{repeat}: {time.perf_counter() - started:.1f}s")
    return per_file


def warm_up(entries: list[dict[str, Any]]) -> float:
    """Imports, pattern compilation, code tables, the first pdfium/pdfplumber document."""
    started = time.perf_counter()
    smallest: dict[tuple[str, str], dict[str, Any]] = {}
    for entry in entries:
        key = (entry["format"], entry["kind"])
        if key not in smallest or (entry["pages"] or 0) < (smallest[key]["pages"] or 0):
            smallest[key] = entry
    for entry in smallest.values():
        if entry["format"] == "pdf":
            floor_text(entry["path"])
            plumber_text(entry["path"])
        reader(entry["path"])
        pipeline(entry["path"])
        pipeline(entry["path"], tables=False)
    return time.perf_counter() - started


# --------------------------------------------------------------------------------------------
# Summaries
# --------------------------------------------------------------------------------------------


def group_of(entry: dict[str, Any]) -> str:
    return f"{entry['format']}/{entry['kind']}"


def corpus_groups(entries: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    groups: dict[str, dict[str, int]] = {}
    for entry in entries:
        group = groups.setdefault(group_of(entry), {"files": 0, "pages": 0})
        group["files"] += 1
        group["pages"] += entry["pages"] or 0
    return groups


def summarise(entries: list[dict[str, Any]], per_file: dict[str, Any]) -> dict[str, Any]:
    groups: dict[str, dict[str, Any]] = {}
    for entry in entries:
        group = groups.setdefault(group_of(entry), {"files": 0, "pages": 0, "min": {}, "median": {},
                                                    "steps": {}})
        group["files"] += 1
        group["pages"] += entry["pages"] or 0
        info = per_file[entry["path"]]
        for metric, times in info["times"].items():
            group["min"][metric] = group["min"].get(metric, 0.0) + min(times)
            group["median"][metric] = group["median"].get(metric, 0.0) + statistics.median(times)
        for step, seconds in (info["steps"] or {}).items():
            group["steps"][step] = group["steps"].get(step, 0.0) + seconds
    for group in groups.values():
        best = group["min"]
        pages = group["pages"] or 1
        group["ms_per_page"] = {metric: 1000 * seconds / pages for metric, seconds in best.items()}
        if "pipeline" in best and "reader" in best:
            group["parse_seconds"] = max(best["pipeline"] - best["reader"], 0.0)
            group["parse_share"] = group["parse_seconds"] / best["pipeline"]
        steps = group["steps"]
        if steps:
            inside = steps.get("total", 0.0)
            group["steps_share"] = {name: seconds / inside for name, seconds in steps.items()
                                    if name != "total" and inside}
            group["steps_share"]["(rest of extract)"] = max(
                1 - sum(group["steps_share"].values()), 0.0)
        if "pypdfium2" in best:
            floor = best["pypdfium2"]
            group["ratios"] = {
                "pipeline/pypdfium2": best["pipeline"] / floor,
                "pipeline_no_tables/pypdfium2": best["pipeline_no_tables"] / floor,
                "reader/pypdfium2": best["reader"] / floor,
            }
            if "pdfplumber" in best:
                group["ratios"]["pdfplumber/pypdfium2"] = best["pdfplumber"] / floor
    return groups


# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    env = result["environment"]
    out: list[str] = []
    out.append(f"### budget-notes benchmark — {result['started']}")
    out.append("")
    out.append(f"Command: `{result['command']}`  ")
    out.append(f"Machine: {env['cpus']} cores, Python {env['python']}, pypdfium2 "
               f"{env['pypdfium2']}, pdfplumber {env['pdfplumber']}; load average before "
               f"{env['load_before']}, after {env['load_after']}; total {result['seconds']:.0f}s.  ")
    out.append(f"Corpus: {result['corpus']['files']} files ("
               + ", ".join(f"{g}: {v['files']} files / {v['pages']} pages"
                           for g, v in sorted(result["corpus"]["groups"].items())) + ").  ")
    phase = result["per_file_phase"]
    loads = ([f"{phase['other_load_cores']:.2f} during the per-file timings"] if phase else []) + [
        f"{r['other_load_cores']:.2f} during the {r['jobs']}-job batch" for r in result["batch_runs"]]
    if loads:
        out.append("Other load on the machine (cores kept busy by other processes, average): "
                   + ", ".join(loads) + ".  ")
    if result["cpu_capacity"]:
        out.append("Cores this benchmark could get (2 × one CPU-bound process alone / two at once): "
                   + " and ".join(f"{c['cores']:.2f}" for c in result["cpu_capacity"])
                   + " (before and after the batches).  ")
    cold = result["cold_start"]
    out.append(f"Cold start of a fresh process: import {cold['import_seconds']:.2f}s, first "
               f"`extract()` {cold['first_extract_seconds']:.2f}s, second "
               f"{cold['second_extract_seconds']:.2f}s (`{Path(cold['file']).name}`).")
    out.append("")
    if result["per_file"]["groups"]:
        out.extend(per_file_tables(result))
    out.extend(batch_tables(result))
    out.append("**Ratios and targets**")
    out.append("")
    out.append("| measure | value | target | met |")
    out.append("|---|--:|--:|:-:|")
    for row in result["targets"]:
        met = "yes" if row["met"] else "no" if row["met"] is not None else "–"
        out.append(f"| {row['measure']} | {row['value']} | {row['target']} | {met} |")
    out.append("")
    return "\n".join(out)


def per_file_tables(result: dict[str, Any]) -> list[str]:
    groups = result["per_file"]["groups"]
    out: list[str] = []
    out.append(f"Per-file times: minimum of {result['repeat']} rounds per file "
               f"(pdfplumber: {result['plumber_repeat']} round), summed over the files of a group, "
               "divided by its pages (for a DOCX: the pages of the same content rendered as PDF).")
    out.append("")
    out.append("**PDF: time per page (ms)**")
    out.append("")
    out.append("| group | files | pages | pypdfium2 alone | pdfplumber alone | our reader | pipeline "
               "| pipeline, tables=False | parsing (pipeline − reader) | parsing share |")
    out.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for name, group in sorted(groups.items()):
        if not name.startswith("pdf/"):
            continue
        ms = group["ms_per_page"]
        parse = 1000 * group.get("parse_seconds", 0) / (group["pages"] or 1)
        out.append(f"| {name} | {group['files']} | {group['pages']} | {fmt(ms.get('pypdfium2'), 2)} "
                   f"| {fmt(ms.get('pdfplumber'))} | {fmt(ms.get('reader'), 2)} "
                   f"| {fmt(ms.get('pipeline'), 2)} | {fmt(ms.get('pipeline_no_tables'), 2)} "
                   f"| {fmt(parse, 2)} | {fmt(100 * group.get('parse_share', 0))}% |")
    out.append("")
    out.append("**DOCX: time per page (ms)**")
    out.append("")
    out.append("| group | files | pages | our reader | pipeline | parsing (pipeline − reader) "
               "| parsing share |")
    out.append("|---|--:|--:|--:|--:|--:|--:|")
    for name, group in sorted(groups.items()):
        if not name.startswith("docx/"):
            continue
        ms = group["ms_per_page"]
        parse = 1000 * group.get("parse_seconds", 0) / (group["pages"] or 1)
        out.append(f"| {name} | {group['files']} | {group['pages']} | {fmt(ms.get('reader'), 2)} "
                   f"| {fmt(ms.get('pipeline'), 2)} | {fmt(parse, 2)} "
                   f"| {fmt(100 * group.get('parse_share', 0))}% |")
    out.append("")
    out.append("**Where `extract()` spends its time** (share per step, in the fastest round of "
               "each file)")
    out.append("")
    names = [s for s in STEPS if any(g.get("steps_share", {}).get(s, 0) >= 0.001
                                     for g in groups.values())]
    names.append("(rest of extract)")
    out.append("| group | " + " | ".join(names) + " |")
    out.append("|---|" + "--:|" * len(names))
    for name, group in sorted(groups.items()):
        shares = group.get("steps_share", {})
        out.append(f"| {name} | " + " | ".join(f"{100 * shares.get(s, 0):.1f}%" for s in names)
                   + " |")
    out.append("")
    return out


def targets_table(groups: dict[str, Any], batch: dict[str, Any],
                  capacity: list[dict[str, float]]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    text = groups.get("pdf/text")
    if text:
        value = text["ratios"]["pipeline/pypdfium2"]
        rows.append({"measure": "text notes (PDF): pipeline / pypdfium2 floor",
                     "value": f"{value:.2f}", "target": f"≤ {TARGETS['floor_ratio_text']}",
                     "met": value <= TARGETS["floor_ratio_text"]})
        value = text["ratios"]["reader/pypdfium2"]
        rows.append({"measure": "text notes (PDF): reader / pypdfium2 floor", "value": f"{value:.2f}",
                     "target": "–", "met": None})
    tables = groups.get("pdf/tables")
    if tables:
        for key in ("pipeline/pypdfium2", "pipeline_no_tables/pypdfium2"):
            rows.append({"measure": f"table notes (PDF): {key}",
                         "value": f"{tables['ratios'][key]:.2f}", "target": "–", "met": None})
    for name in sorted(groups):
        group = groups[name]
        if "parse_share" in group:
            rows.append({"measure": f"parsing share of total, {name}",
                         "value": f"{100 * group['parse_share']:.1f}%",
                         "target": f"< {100 * TARGETS['parse_share']:.0f}%",
                         "met": group["parse_share"] < TARGETS["parse_share"]})
    pdf_groups = [g for n, g in groups.items() if n.startswith("pdf/") and "pdfplumber" in g["min"]]
    if pdf_groups:
        plumber = sum(g["min"]["pdfplumber"] for g in pdf_groups)
        floor = sum(g["min"]["pypdfium2"] for g in pdf_groups)
        rows.append({"measure": "pdfplumber / pypdfium2 (all PDFs, text only)",
                     "value": f"{plumber / floor:.1f}", "target": "–", "met": None})
    if "2" in batch and "1" in batch:
        value = batch["2"]["speedup"]
        rows.append({"measure": "batch: 2 jobs vs 1 job speed-up", "value": f"{value:.2f}×",
                     "target": "≈ 2× (≥ 1.8×)", "met": value >= 1.8})
    if capacity:
        rows.append({"measure": "cores the machine gave a CPU-bound pair (before / after batches)",
                     "value": " / ".join(f"{c['cores']:.2f}" for c in capacity),
                     "target": "≈ 2 for a fair 2-job test", "met": None})
    return rows


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="corpus folder")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of per-file timings (3)")
    parser.add_argument("--plumber-repeat", type=int, default=1,
                        help="rounds of the pdfplumber reference, the slowest measure (1)")
    parser.add_argument("--jobs-list", default="1,2", help="batch runs, comma-separated (1,2)")
    parser.add_argument("--batch-repeat", type=int, default=2,
                        help="runs of each batch, interleaved 1,2,1,2 …; the fastest is kept (2)")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch runs")
    parser.add_argument("--no-files", action="store_true",
                        help="skip the per-file timings (batch and memory only)")
    parser.add_argument("--markdown", action="store_true", help="print the Markdown tables")
    parser.add_argument("--out", type=Path, default=RESULTS / "detail.json", help="JSON output")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(ROOT))
    command = "python " + " ".join(shlex.quote(a) for a in
                                   [os.path.relpath(__file__, Path.cwd()), *(argv if argv is not None else sys.argv[1:])])
    entries = load_corpus(args.corpus)
    if not entries:
        log(f"no documents in {args.corpus}: run python bench/make_corpus.py first")
        return 2
    started_wall = time.strftime("%Y-%m-%d %H:%M:%S")
    started = time.perf_counter()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    log(f"{len(entries)} files from {args.corpus}")

    warm = 0.0
    if not args.no_files:
        log("warm-up (imports, patterns, smallest document of each kind) …")
        warm = warm_up(entries)
        gc.collect()
        gc.freeze()  # patterns, code tables, modules: out of the collector's way (a full
        # collection over them costs ~40 ms, which timed_call would otherwise pay each call)
        log(f"  {warm:.1f}s")
    log("cold start in a fresh process (smallest text note) …")
    small = min([e for e in entries if e["kind"] in ("text", "unknown")] or entries,
                key=lambda e: (e["format"] != "pdf", e["pages"] or 0))
    cold = run_child(["--cold-child", small["path"]])
    log(f"  import {cold['import_seconds']:.2f}s, first extract {cold['first_extract_seconds']:.2f}s,"
        f" second {cold['second_extract_seconds']:.2f}s")
    per_file: dict[str, Any] = {}
    phase: dict[str, Any] = {}
    if not args.no_files:
        log(f"per-file timings, {args.repeat} round(s) …")
        machine_before, own_before = machine_and_own_cpu()
        phase_started = time.perf_counter()
        per_file = measure_files(entries, args.repeat, min(args.plumber_repeat, args.repeat))
        phase_seconds = time.perf_counter() - phase_started
        machine_after, own_after = machine_and_own_cpu()
        phase = {
            "seconds": phase_seconds,
            "other_load_cores": max(machine_after - machine_before - (own_after - own_before), 0)
            / phase_seconds,
            "pipeline_cpu_over_wall": sum(min(v["pipeline_cpu"]) for v in per_file.values())
            / sum(min(v["times"]["pipeline"]) for v in per_file.values()),
        }
    groups = summarise(entries, per_file) if per_file else {}

    runs: list[dict[str, Any]] = []
    pages_of = {e["path"]: e["pages"] or 0 for e in entries}
    capacity: list[dict[str, float]] = []
    if not args.no_batch:
        capacity.append(cpu_capacity())
        log(f"cores available before the batches: {capacity[-1]['cores']:.2f}")
        jobs_list = [int(j) for j in args.jobs_list.split(",") if j.strip()]
        paths = [e["path"] for e in entries]
        for repetition in range(args.batch_repeat):
            for jobs in jobs_list:
                log(f"batch, {jobs} job(s), {len(paths)} files (run {repetition + 1}) …")
                run = run_batch_child(paths, jobs)
                run["pages"] = sum(pages_of[p] for p in paths)
                runs.append(run)
                log(f"  {run['seconds']:.1f}s, {run['ok']} ok, {run['failed']} failed")
        capacity.append(cpu_capacity())
        log(f"cores available after the batches: {capacity[-1]['cores']:.2f}")
    batch = batch_summary(runs, pages_of)
    memory = []
    for jobs in sorted({r["jobs"] for r in runs}):
        best = min((r for r in runs if r["jobs"] == jobs), key=lambda r: r["seconds"])
        memory.append({"jobs": jobs, "checkpoints": best["checkpoints"], "workers": best["workers"],
                       "parent_rss_mb_before": best["parent_rss_mb_before"]})

    import pdfplumber
    import pypdfium2

    result = {
        "command": command,
        "started": started_wall,
        "seconds": time.perf_counter() - started,
        "repeat": args.repeat,
        "plumber_repeat": min(args.plumber_repeat, args.repeat),
        "batch_repeat": args.batch_repeat,
        "warm_up_seconds": warm,
        "cold_start": cold,
        "per_file_phase": phase,
        "cpu_capacity": capacity,
        "environment": {
            "cpus": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "pypdfium2": str(pypdfium2.version.PYPDFIUM_INFO),
            "pdfplumber": pdfplumber.__version__, "load_before": load_before,
            "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        },
        "corpus": {"path": str(args.corpus), "files": len(entries),
                   "pages": sum(e["pages"] or 0 for e in entries),
                   "groups": corpus_groups(entries)},
        "targets": targets_table(groups, batch, capacity),
        "per_file": {
            "groups": groups,
            "files": [{"file": e["file"], "format": e["format"], "kind": e["kind"],
                       "pages": e["pages"], "times": per_file[e["path"]]["times"],
                       "pipeline_cpu": per_file[e["path"]]["pipeline_cpu"],
                       "steps": per_file[e["path"]]["steps"]} for e in entries if per_file],
        },
        "batch": batch,
        "batch_runs": runs,
        "memory": memory,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = markdown(result)
    args.out.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    if args.markdown:
        print(text)
    else:
        for row in result["targets"]:
            print(f"{row['measure']}: {row['value']} (target {row['target']})")
    log(f"done in {result['seconds']:.0f}s; raw numbers in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
