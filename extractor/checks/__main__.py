"""``python -m extractor.checks [--markdown] [--patterns DIR]``: the validation rules, one a
line, or as the README's table."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..rules import patterns_dir
from .data import load_check_data
from .registry import list_rules, markdown_table


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractor.checks", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the README's table")
    parser.add_argument(
        "--patterns", type=Path, help="a patterns directory (default: the project's)"
    )
    args = parser.parse_args(argv)
    data = load_check_data(args.patterns or patterns_dir())
    rules = list_rules(data.checks)
    if args.markdown:
        sys.stdout.write(markdown_table(rules))
    else:
        for rule in rules:
            sys.stdout.write(f"{rule.id}\t{rule.severity}\t{rule.description}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
