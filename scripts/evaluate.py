"""Precision, recall and coverage of the extractor on the hand-checked corpus.

    python scripts/evaluate.py [--shared ../shared] [--verbose]

Reads tests/corpus/expected/*.yaml (hand-checked, see tests/corpus/README.md), extracts the
named documents from ../shared/corpus, and prints one row per document and the overall
figures. Exit status 1 if the shared corpus is missing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.evaluation import Score, load_expected, score_document  # noqa: E402
from extractor.pipeline import extract  # noqa: E402


def find_source(shared: Path, name: str) -> Path | None:
    for folder in ("corpus/files", "corpus/web", "seed"):
        candidate = shared / folder / name
        if candidate.exists():
            return candidate
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--expected", type=Path, default=ROOT / "tests" / "corpus" / "expected")
    parser.add_argument("--verbose", "-v", action="store_true", help="list misses and wrong facts")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    parser.add_argument(
        "--compare",
        type=Path,
        help="a saved score (tests/corpus/before_score.json): print before/after per province",
    )
    args = parser.parse_args(argv)
    if not args.shared.exists():
        print(f"shared corpus not found at {args.shared}", file=sys.stderr)
        return 1
    scores: list[Score] = []
    for expected_path in sorted(args.expected.glob("*.yaml")):
        expected = load_expected(expected_path)
        source = find_source(args.shared, expected["source"])
        if source is None:
            print(f"skip {expected['source']}: not in {args.shared}", file=sys.stderr)
            continue
        document = extract(source)
        score = score_document(document, expected)
        scores.append(score)
        if args.verbose:
            _details(score)
    _table(scores, markdown=args.markdown)
    if args.compare:
        _compare(scores, json.loads(args.compare.read_text(encoding="utf-8")))
    return 0


def _province(name: str) -> str:
    provinces = yaml.safe_load((ROOT / "tests" / "corpus" / "provinces.yaml").read_text("utf-8"))
    return next((p for prefix, p in provinces.items() if name.startswith(str(prefix))), "?")


def _ratio(matched: int, total: int) -> str:
    return f"{matched / total:.1%}" if total else "-"


def _compare(scores: list[Score], before: dict[str, Any]) -> None:
    """Before/after precision and recall, per province (documents of a province summed)."""
    groups: dict[str, list[int]] = {}
    for score in scores:
        old = before["documents"].get(score.document)
        if old is None:
            continue
        key = _province(score.document)
        row = groups.setdefault(key, [0, 0, 0, 0, 0, 0, 0])
        row[0] += 1
        row[1] += old["expected"]
        row[2] += old["predicted"]
        row[3] += old["matched"]
        row[4] += score.expected
        row[5] += score.predicted
        row[6] += score.matched
    print()
    print(
        "| province | documents | facts | precision before | recall before | precision after | recall after |"
    )
    print("|---|---|---|---|---|---|---|")
    for key, (n, e0, p0, m0, e1, p1, m1) in sorted(groups.items()):
        print(
            f"| {key} | {n} | {e1} | {_ratio(m0, p0)} | {_ratio(m0, e0)} | {_ratio(m1, p1)} | {_ratio(m1, e1)} |"
        )


def _table(scores: list[Score], *, markdown: bool) -> None:
    header = [
        "document",
        "expected",
        "extracted",
        "matched",
        "precision",
        "recall",
        "attributes ok",
        "coverage",
        "reconciliation mismatches",
    ]
    rows = []
    for s in scores:
        rows.append(
            [
                s.document,
                s.expected,
                s.predicted,
                s.matched,
                f"{s.precision:.1%}",
                f"{s.recall:.1%}",
                f"{s.attribute_checks - s.attribute_errors}/{s.attribute_checks}",
                f"{s.coverage:.1%}",
                s.reconciliation_mismatches,
            ]
        )
    total_expected = sum(s.expected for s in scores)
    total_predicted = sum(s.predicted for s in scores)
    total_matched = sum(s.matched for s in scores)
    checks = sum(s.attribute_checks for s in scores)
    errors = sum(s.attribute_errors for s in scores)
    rows.append(
        [
            "**overall**" if markdown else "OVERALL",
            total_expected,
            total_predicted,
            total_matched,
            f"{total_matched / total_predicted:.1%}" if total_predicted else "-",
            f"{total_matched / total_expected:.1%}" if total_expected else "-",
            f"{checks - errors}/{checks}",
            f"{sum(s.coverage for s in scores) / len(scores):.1%}" if scores else "-",
            sum(s.reconciliation_mismatches for s in scores),
        ]
    )
    if markdown:
        print("| " + " | ".join(header) + " |")
        print("|" + "---|" * len(header))
        for row in rows:
            print("| " + " | ".join(str(cell) for cell in row) + " |")
        return
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=True)))


def _details(score: Score) -> None:
    print(f"== {score.document}")
    for entry in score.missed:
        keys = {
            k: v
            for k, v in entry.items()
            if k in ("field", "code", "name", "amount", "count", "share", "status", "page")
        }
        print(f"  MISSED {keys}")
    for fact in score.wrong:
        value = (
            fact.amount.wan
            if fact.amount
            else (fact.count if fact.count is not None else fact.status)
        )
        print(
            f"  EXTRA  {fact.field} {fact.code or fact.name or ''} {value} p.{fact.provenance.page}"
            f" | {fact.provenance.quote[:50]!r}"
        )
    for note in score.attribute_notes:
        print(f"  ATTR   {note}")


if __name__ == "__main__":
    raise SystemExit(main())
