"""The headline numbers of issue 13, in one run, as ratios to a floor measured in the same run.

    python bench/run.py --markdown            # the README's table
    python bench/run.py --detail --markdown   # and the per-step, batch and memory tables

Over the corpus PDFs (``../shared/corpus/files/*.pdf`` beside the project when present, else
``bench/corpus`` from ``bench/make_corpus.py``; ``--corpus`` for another folder or files):

* **floor**: bare pypdfium2 text extraction in this process (open, ``get_textpage``,
  ``get_text_range`` for every page, close), warm, the fastest of ``--repeat`` rounds;
* **CLI**: ``budget-notes extract FILES --out FRESH`` as a user runs it, one cold process per
  run, with and without ``--no-tables``: wall time, the fastest of ``--repeat`` runs;
* **start-up**: ``budget-notes --version``, and a one-file run of the smallest file (fewest
  pages) less that file's floor;
* **pipeline**: ``extractor.pipeline.extract`` of every file in this process, warm, with and without
  tables;
* **bytes per page** of the CLI's output folder, per kind of file.

Each time is also given divided by the floor, with the issue's targets and whether they are
met. Raw numbers go to ``bench/results/latest.json`` (git-ignored); ``--markdown`` prints the
table the README shows. ``--detail`` then runs ``bench/detail.py`` (per-file and per-step
times, batch throughput by job count, worker memory; several minutes).
"""

from __future__ import annotations

import argparse
import compileall
import gc
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from floor import floor_text

ROOT = Path(__file__).resolve().parent.parent
SHARED_CORPUS = ROOT.parent / "shared" / "corpus" / "files"
SYNTHETIC_CORPUS = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results"
KB = 1024

# The targets of issue 13.
TARGETS = {
    "cli_tables": 3.0,  # CLI with tables / floor: at most
    "cli_no_tables": 1.5,  # CLI --no-tables / floor: at most
    "startup_seconds": 0.5,  # one-file run less that file's floor: at most
    "kb_per_page": 30.0,  # output folder: at most
}


def compile_bytecode() -> None:
    """Byte-compile the package as ``pip install`` does for an installed one. An editable
    install writes its bytecode on first import, except where PYTHONDONTWRITEBYTECODE is set
    (as on this project's machine): then every cold process compiles the package's sources
    again, about 0.4 s that no user of an installed package pays."""
    compileall.compile_dir(ROOT / "extractor", quiet=1)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the corpus -------------------------------------------------------------------------------


def corpus_files(arguments: list[str]) -> list[Path]:
    """The PDFs to measure: the given files and folders, else the shared corpus, else the
    synthetic one."""
    if not arguments:
        arguments = [str(SHARED_CORPUS if SHARED_CORPUS.is_dir() else SYNTHETIC_CORPUS)]
    files: list[Path] = []
    for argument in arguments:
        path = Path(argument)
        files.extend(sorted(path.glob("*.pdf")) if path.is_dir() else [path])
    return [f for f in files if f.suffix.lower() == ".pdf" and f.is_file()]


def page_count(path: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


# --- what is timed ----------------------------------------------------------------------------


def fastest(function: Callable[[], Any], repeat: int) -> float:
    """Wall seconds of the fastest of ``repeat`` calls (a burst of other load slows a call;
    it does not speed one up)."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - started)
    return best


def per_file_floor(files: list[Path], repeat: int) -> dict[str, float]:
    """Each file's floor, round-robin over the files so that other load hits one round."""
    best = {str(f): float("inf") for f in files}
    for _ in range(repeat):
        for path in files:
            best[str(path)] = min(best[str(path)], fastest(lambda p=path: floor_text(p), 1))
    return best


def pipeline_seconds(files: list[Path], repeat: int, *, tables: bool) -> float:
    from extractor.pipeline import Options, extract

    options = Options(tables=tables)

    def run() -> None:
        for path in files:
            extract(str(path), options)

    return fastest(run, repeat)


def cli_command() -> list[str]:
    installed = Path(sys.executable).parent / "budget-notes"
    if installed.exists():
        return [str(installed)]
    return [sys.executable, "-m", "extractor.cli"]


def cli_run(arguments: list[str], out: Path | None) -> float:
    """Wall seconds of one cold ``budget-notes`` process (``out`` emptied first)."""
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)
    started = time.perf_counter()
    completed = subprocess.run(
        [*cli_command(), *arguments], capture_output=True, text=True, cwd=ROOT
    )
    seconds = time.perf_counter() - started
    if completed.returncode not in (0, 1):  # 1: some file failed, the rest was written
        raise RuntimeError(f"budget-notes {' '.join(arguments)}: {completed.stderr[-2000:]}")
    return seconds


def cli_seconds(files: list[Path], out: Path, repeat: int, *extra: str) -> float:
    paths = [str(f) for f in files]
    return min(cli_run(["extract", *paths, "--out", str(out), *extra], out) for _ in range(repeat))


# --- bytes ------------------------------------------------------------------------------------


def output_kind(relative: Path) -> str:
    """The kind of an output file, as the README's table of outputs names it."""
    top = relative.parts[0]
    if top == "parts":
        return "parts/"
    if top == "review":
        return "review/index.html" if relative.name == "index.html" else "review/<id>.html"
    if relative.suffix == ".json" and relative.name != "datapackage.json":
        return "<name>.json"
    return str(relative)


def output_bytes(out: Path) -> dict[str, int]:
    kinds: Counter[str] = Counter()
    for path in out.rglob("*"):
        if path.is_file() and path.stat().st_size:  # not the run's lock
            kinds[output_kind(path.relative_to(out))] += path.stat().st_size
    return dict(kinds.most_common())


# --- the run ----------------------------------------------------------------------------------


def measure(files: list[Path], repeat: int) -> dict[str, Any]:
    pages = {str(f): page_count(f) for f in files}
    total_pages = sum(pages.values())
    log(f"{len(files)} PDFs, {total_pages} pages; warm-up …")
    floor_text(files[0])
    pipeline_seconds(files[:1], 1, tables=True)  # imports, the rule set

    log("floor (pypdfium2 text of every page, in this process) …")
    floors = per_file_floor(files, repeat)
    floor = sum(floors.values())
    log(f"  {floor:.3f}s")

    log("pipeline in this process, with and without tables …")
    pipeline = pipeline_seconds(files, repeat, tables=True)
    pipeline_no_tables = pipeline_seconds(files, repeat, tables=False)

    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        out = Path(tmp) / "out"
        log("budget-notes --version …")
        version = min(cli_run(["--version"], None) for _ in range(repeat))
        smallest = min(files, key=lambda f: (pages[str(f)], f.stat().st_size, str(f)))
        log(f"one-file run ({smallest.name}) …")
        one_file = cli_seconds([smallest], out, repeat)
        log("CLI --no-tables, every file …")
        cli_no_tables = cli_seconds(files, out, repeat, "--no-tables")
        bytes_no_tables = output_bytes(out)
        log("CLI with tables, every file …")
        cli_tables = cli_seconds(files, out, repeat)
        bytes_tables = output_bytes(out)

    startup = one_file - floors[str(smallest)]
    kb_tables = sum(bytes_tables.values()) / total_pages / KB
    kb_no_tables = sum(bytes_no_tables.values()) / total_pages / KB
    return {
        "files": [{"file": str(f), "pages": pages[str(f)], "floor": floors[str(f)]} for f in files],
        "pages": total_pages,
        "repeat": repeat,
        "seconds": {
            "floor": floor,
            "cli_tables": cli_tables,
            "cli_no_tables": cli_no_tables,
            "pipeline": pipeline,
            "pipeline_no_tables": pipeline_no_tables,
            "version": version,
            "one_file": one_file,
            "one_file_floor": floors[str(smallest)],
            "startup": startup,
        },
        "one_file": {"file": str(smallest), "pages": pages[str(smallest)]},
        "bytes": {"tables": bytes_tables, "no_tables": bytes_no_tables},
        "kb_per_page": {"tables": kb_tables, "no_tables": kb_no_tables},
        "targets": targets(
            floor,
            cli_tables,
            cli_no_tables,
            pipeline,
            pipeline_no_tables,
            startup,
            version,
            kb_tables,
            kb_no_tables,
        ),
    }


def targets(
    floor: float,
    cli_tables: float,
    cli_no_tables: float,
    pipeline: float,
    pipeline_no_tables: float,
    startup: float,
    version: float,
    kb_tables: float,
    kb_no_tables: float,
) -> list[dict[str, Any]]:
    """The table's rows: measure, seconds (or size), ratio to the floor, target, met."""

    def row(
        measure: str, value: str, ratio: float | None, target: str, met: bool | None
    ) -> dict[str, Any]:
        return {
            "measure": measure,
            "value": value,
            "ratio": None if ratio is None else round(ratio, 2),
            "target": target,
            "met": met,
        }

    return [
        row(
            "floor: pypdfium2 text of every page, in one process", f"{floor:.2f} s", 1.0, "–", None
        ),
        row(
            "CLI, tables (one cold process)",
            f"{cli_tables:.2f} s",
            cli_tables / floor,
            f"≤ {TARGETS['cli_tables']:g}×",
            cli_tables / floor <= TARGETS["cli_tables"],
        ),
        row(
            "CLI, `--no-tables`",
            f"{cli_no_tables:.2f} s",
            cli_no_tables / floor,
            f"≤ {TARGETS['cli_no_tables']:g}×",
            cli_no_tables / floor <= TARGETS["cli_no_tables"],
        ),
        row(
            "pipeline in one warm process, tables", f"{pipeline:.2f} s", pipeline / floor, "–", None
        ),
        row(
            "pipeline in one warm process, no tables",
            f"{pipeline_no_tables:.2f} s",
            pipeline_no_tables / floor,
            "–",
            None,
        ),
        row(
            "start-up: one-file run less that file's floor",
            f"{startup:.2f} s",
            None,
            f"≤ {TARGETS['startup_seconds']:g} s",
            startup <= TARGETS["startup_seconds"],
        ),
        row("`budget-notes --version`", f"{version:.2f} s", None, "–", None),
        row(
            "output, tables",
            f"{kb_tables:.1f} KB/page",
            None,
            f"≤ {TARGETS['kb_per_page']:g} KB/page",
            kb_tables <= TARGETS["kb_per_page"],
        ),
        row(
            "output, `--no-tables`",
            f"{kb_no_tables:.1f} KB/page",
            None,
            f"≤ {TARGETS['kb_per_page']:g} KB/page",
            kb_no_tables <= TARGETS["kb_per_page"],
        ),
    ]


# --- the report -------------------------------------------------------------------------------


def markdown(result: dict[str, Any]) -> str:
    env = result["environment"]
    lines = [
        f"Command: `{result['command']}`  ",
        f"Machine: {env['cpus']} cores, Python {env['python']}, pypdfium2 {env['pypdfium2']}; "
        f"load average before {env['load_before']}, after {env['load_after']}.  ",
        f"Corpus: {len(result['files'])} PDFs, {result['pages']} pages; each time the fastest "
        f"of {result['repeat']}.",
        "",
        "| measure | value | × floor | target | met |",
        "|---|--:|--:|--:|:-:|",
    ]
    for row in result["targets"]:
        ratio = "–" if row["ratio"] is None else f"{row['ratio']:.2f}"
        met = "–" if row["met"] is None else "yes" if row["met"] else "no"
        lines.append(f"| {row['measure']} | {row['value']} | {ratio} | {row['target']} | {met} |")
    lines += ["", "| output file | tables KB/page | `--no-tables` KB/page |", "|---|--:|--:|"]
    tables, no_tables = result["bytes"]["tables"], result["bytes"]["no_tables"]
    pages = result["pages"]
    for kind in sorted(tables.keys() | no_tables.keys(), key=lambda k: -tables.get(k, 0)):
        lines.append(
            f"| `{kind}` | {tables.get(kind, 0) / pages / KB:.1f} "
            f"| {no_tables.get(kind, 0) / pages / KB:.1f} |"
        )
    lines.append(
        f"| all | {result['kb_per_page']['tables']:.1f} | {result['kb_per_page']['no_tables']:.1f} |"
    )
    return "\n".join(lines)


def environment(load_before: str) -> dict[str, Any]:
    import pypdfium2

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "pypdfium2": str(pypdfium2.version.PYPDFIUM_INFO),
        "load_before": load_before,
        "load_after": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="*", help="PDF files or folders (default: the corpus)")
    parser.add_argument(
        "--corpus",
        dest="corpus_option",
        action="append",
        default=[],
        help="a folder or file, as the positional arguments",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measure (3)")
    parser.add_argument("--markdown", action="store_true", help="print the README table")
    parser.add_argument("--out", type=Path, default=RESULTS / "latest.json", help="JSON output")
    parser.add_argument(
        "--detail",
        action="store_true",
        help="then per-step, batch and worker-memory tables (bench/detail.py)",
    )
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    files = corpus_files([*args.corpus, *args.corpus_option])
    if not files:
        log("no PDFs: pass files or folders, or run python bench/make_corpus.py")
        return 2
    compile_bytecode()
    load_before = " ".join(f"{x:.2f}" for x in os.getloadavg())
    started = time.perf_counter()
    result = measure(files, max(args.repeat, 1))
    shown = argv if argv is not None else sys.argv[1:]
    result["command"] = " ".join(["python bench/run.py", *map(shlex.quote, shown)])
    result["environment"] = environment(load_before)
    result["total_seconds"] = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    text = markdown(result)
    args.out.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    if args.markdown:
        print(text)
    else:
        for row in result["targets"]:
            ratio = "" if row["ratio"] is None else f" ({row['ratio']:.2f}× the floor)"
            print(f"{row['measure']}: {row['value']}{ratio}, target {row['target']}")
    log(f"done in {result['total_seconds']:.0f}s; raw numbers in {args.out}")
    if args.detail:
        import detail

        folders = sorted({str(f.parent) for f in files})
        detail_args = ["--corpus", folders[0]] + (["--markdown"] if args.markdown else [])
        return detail.main(detail_args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
