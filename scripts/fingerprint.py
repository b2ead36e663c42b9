"""Fingerprints of what the pipeline produces for each corpus document: a change in any fact,
table, check, section or warning changes the document's fingerprint.

    python scripts/fingerprint.py            # print the fingerprints as JSON
    python scripts/fingerprint.py --write    # rewrite tests/corpus/fingerprints.json on purpose
    python scripts/fingerprint.py --dump DIR # also write each document's content for a diff

The fingerprint hides the corpus text (a digest, not the sentences), so it can be kept in git.
tests/test_corpus.py compares every document against the stored fingerprints: a refactor or a
speed-up must leave them identical; a deliberate change of results rewrites them with --write
and says so in its commit.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.models import Document  # noqa: E402
from extractor.pipeline import extract  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
STORED = ROOT / "tests" / "corpus" / "fingerprints.json"
# What a reader of the results sees, without what describes the run (versions, paths).
COMPARED = (
    "status",
    "errors",
    "warnings",
    "info",
    "sections",
    "tables",
    "missing_tables",
    "facts",
    "checks",
    "unparsed",
    "coverage",
)


def corpus_documents(corpus: Path = CORPUS) -> list[Path]:
    files = sorted((corpus / "files").glob("*.pdf")) + sorted((corpus / "web").glob("*.txt"))
    seed = corpus.parent / "seed"
    return files + sorted(p for p in seed.glob("*") if p.suffix in {".txt", ".pdf", ".docx"})


def content(document: Document) -> dict[str, Any]:
    data = document.model_dump(mode="json", include=set(COMPARED))
    return {key: data[key] for key in COMPARED}


def fingerprint(document: Document) -> str:
    text = json.dumps(content(document), ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--dump", type=Path)
    args = parser.parse_args()
    prints: dict[str, str] = {}
    for path in corpus_documents():
        document = extract(path)
        prints[path.name] = fingerprint(document)
        if args.dump:
            args.dump.mkdir(parents=True, exist_ok=True)
            (args.dump / f"{path.name}.json").write_text(
                json.dumps(content(document), ensure_ascii=False, indent=1, sort_keys=True),
                encoding="utf-8",
            )
    text = json.dumps(prints, indent=1, sort_keys=True) + "\n"
    if args.write:
        STORED.write_text(text, encoding="utf-8")
    else:
        print(text, end="")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
