"""What a run writes, per kind of output file, in KB per page: the output half of ``run.py``
without its timings, in two CLI runs (with and without tables) instead of a couple of minutes.

    python bench/sizes.py --markdown                     # the table of the README
    python bench/sizes.py --save before.json             # keep the numbers ...
    python bench/sizes.py --compare before.json --markdown   # ... and set them beside these

The corpus is the one ``run.py`` measures (the corpus PDFs beside the project, else
``bench/corpus``; or the files and folders given).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

import run as bench

KINDS = {"tables": (), "no_tables": ("--no-tables",)}


def measure(files: list[Path]) -> dict[str, Any]:
    pages = sum(bench.page_count(f) for f in files)
    result: dict[str, Any] = {"files": len(files), "pages": pages}
    with tempfile.TemporaryDirectory(prefix="bench-sizes-") as tmp:
        out = Path(tmp) / "out"
        for kind, extra in KINDS.items():
            bench.log(f"budget-notes extract ({kind}) …")
            bench.cli_seconds(files, out, 1, *extra)
            result[kind] = bench.output_bytes(out)
    return result


def _kb(sizes: dict[str, int], kind: str, pages: int) -> str:
    return f"{sizes.get(kind, 0) / pages / bench.KB:.1f}"


def markdown(result: dict[str, Any], before: dict[str, Any] | None) -> str:
    pages = result["pages"]
    columns = list(KINDS)
    header = [f"{k} KB/page" for k in columns]
    if before is not None:
        header = [f"{k} {when}" for k in columns for when in ("before", "now")]
    lines = [
        f"{result['files']} PDFs, {pages} pages.",
        "",
        "| output file | " + " | ".join(header) + " |",
        "|---|" + "--:|" * len(header),
    ]
    kinds = set().union(*(result[k] for k in columns))
    if before is not None:
        kinds |= set().union(*(before[k] for k in columns))
    for kind in sorted(kinds, key=lambda k: -result["tables"].get(k, 0)):
        cells = []
        for column in columns:
            if before is not None:
                cells.append(_kb(before[column], kind, before["pages"]))
            cells.append(_kb(result[column], kind, pages))
        lines.append(f"| `{kind}` | " + " | ".join(cells) + " |")
    totals = []
    for column in columns:
        if before is not None:
            totals.append(f"{sum(before[column].values()) / before['pages'] / bench.KB:.1f}")
        totals.append(f"{sum(result[column].values()) / pages / bench.KB:.1f}")
    lines.append("| all | " + " | ".join(totals) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", nargs="*", help="PDF files or folders")
    parser.add_argument("--save", type=Path, help="write the numbers to this JSON file")
    parser.add_argument("--compare", type=Path, help="numbers saved by an earlier --save")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(bench.ROOT))
    files = bench.corpus_files(args.corpus)
    if not files:
        bench.log("no PDFs: pass files or folders, or run python bench/make_corpus.py")
        return 2
    result = measure(files)
    if args.save:
        args.save.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    before = json.loads(args.compare.read_text(encoding="utf-8")) if args.compare else None
    if args.markdown:
        print(markdown(result, before))
    else:
        for column in KINDS:
            total = sum(result[column].values()) / result["pages"] / bench.KB
            print(f"{column}: {total:.1f} KB/page")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
