"""Profile ``extractor.pipeline.extract`` on one file (after a warm-up call) with cProfile.

    python bench/profile_extract.py bench/corpus/00_text_2019_区人社局.pdf
    python bench/profile_extract.py FILE --rounds 3 --top 25 --sort tottime

Prints the top entries by cumulative time (default) and the wall time per call without the
profiler. cProfile slows pure-Python code (pdfminer above all) far more than C code (pdfium),
so read shares from ``bench/run.py``'s step table and use this for the names inside a step.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path)
    parser.add_argument("--rounds", type=int, default=3, help="profiled calls (3)")
    parser.add_argument("--top", type=int, default=25, help="entries to print (25)")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative)")
    parser.add_argument("--no-tables", action="store_true", help="Options(tables=False)")
    args = parser.parse_args()

    from extractor.pipeline import Options, extract

    options = Options(tables=not args.no_tables)
    extract(args.file, options)  # warm-up: the rule set
    walls = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        extract(args.file, options)
        walls.append(time.perf_counter() - started)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.rounds):
        extract(args.file, options)
    profiler.disable()
    stream = io.StringIO()
    stats = pstats.Stats(profiler, stream=stream)
    stats.strip_dirs().sort_stats(args.sort).print_stats(args.top)
    print(f"{args.file}: {min(walls) * 1000:.0f} ms per extract() without the profiler "
          f"(best of {args.rounds})")
    print(stream.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
