"""Time the PDF reader against the floor: bare pypdfium2 text extraction, in one run.

    python bench/pdf_reader.py                       # the corpus PDFs (../shared/corpus/files)
    python bench/pdf_reader.py a.pdf b.pdf --repeat 7
    python bench/pdf_reader.py --profile --no-tables # cProfile of the reader, top entries

Three measures per file, timed round-robin in this process after one warm-up pass, the
minimum of ``--repeat`` runs each:

* floor: open the PDF, ``get_textpage().get_text_range()`` for every page, close;
* reader: ``read_pdf(path, Limits())``, tables on the pages that look like them;
* reader, no tables: ``read_pdf(path, Limits(), with_tables=False)``.

Totals are the sums of the per-file minima; ratios are to the floor's total. ``--cpu`` times
the process's CPU time instead of the wall clock, which holds up better on a shared machine.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import pstats
import time
from collections.abc import Callable
from pathlib import Path

import pypdfium2 as pdfium
from floor import floor_text

from extractor.readers.base import Limits
from extractor.readers.pdf import read_pdf

_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "files"


def with_tables(path: Path) -> None:
    read_pdf(path, Limits())


def without_tables(path: Path) -> None:
    read_pdf(path, Limits(), with_tables=False)


MEASURES: dict[str, Callable[[Path], object]] = {
    "floor": floor_text,
    "reader": with_tables,
    "no tables": without_tables,
}


def best_times(
    paths: list[Path], repeat: int, clock: Callable[[], float] = time.perf_counter
) -> dict[str, dict[Path, float]]:
    """The minimum time of each measure on each file, runs interleaved round-robin."""
    best: dict[str, dict[Path, float]] = {name: {} for name in MEASURES}
    for _round in range(repeat):
        for path in paths:
            for name, measure in MEASURES.items():
                started = clock()
                measure(path)
                elapsed = clock() - started
                previous = best[name].get(path)
                best[name][path] = elapsed if previous is None else min(previous, elapsed)
    return best


def profile(paths: list[Path], tables: bool, top: int, sort: str) -> str:
    measure = with_tables if tables else without_tables
    profiler = cProfile.Profile()
    profiler.enable()
    for path in paths:
        measure(path)
    profiler.disable()
    stream = io.StringIO()
    pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats(sort).print_stats(top)
    return stream.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path, help="PDFs (default: the corpus PDFs)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (5)")
    parser.add_argument("--per-file", action="store_true", help="print each file's times")
    parser.add_argument("--cpu", action="store_true", help="CPU time instead of wall time")
    parser.add_argument("--profile", action="store_true", help="cProfile the reader instead")
    parser.add_argument("--no-tables", action="store_true", help="with --profile: no tables")
    parser.add_argument("--top", type=int, default=30, help="with --profile: entries (30)")
    parser.add_argument("--sort", default="tottime", help="with --profile: sort key (tottime)")
    args = parser.parse_args()
    paths: list[Path] = args.files or sorted(_CORPUS.glob("*.pdf"))
    if not paths:
        parser.error(f"no PDFs given and none in {_CORPUS}")

    for path in paths:  # warm-up: imports, pdfplumber's modules, regex compilation
        for measure in MEASURES.values():
            measure(path)
    gc.collect()
    gc.freeze()
    if args.profile:
        print(profile(paths, not args.no_tables, args.top, args.sort))
        return 0

    best = best_times(paths, args.repeat, time.process_time if args.cpu else time.perf_counter)
    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(str(path))
        pages += len(document)
        document.close()
    totals = {name: sum(times.values()) for name, times in best.items()}
    if args.per_file:
        print(f"{'file':<44} {'floor ms':>9} {'reader':>8} {'no tables':>10}")
        for path in paths:
            row = [best[name][path] * 1000 for name in MEASURES]
            print(f"{path.name:<44} {row[0]:>9.1f} {row[1]:>8.1f} {row[2]:>10.1f}")
    clock = "CPU" if args.cpu else "wall"
    print(f"{len(paths)} PDFs, {pages} pages, min of {args.repeat} runs ({clock} time)")
    for name, total in totals.items():
        ratio = total / totals["floor"]
        print(f"{name:<10} {total * 1000:>8.1f} ms  {ratio:>5.2f}x the floor")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
