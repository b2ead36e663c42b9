"""The combined tables (documents.csv … and, with --parquet, their Parquet twins; with
--jsonl, facts.jsonl; with --review, the review pages' index), written from every stored
result's parts when something changed since they were last written.

An optional part (``facts.jsonl``, the review page) that a note does not have, because the
run that processed it was not asked for it, is rendered here from the note's stored JSON,
which loads to the same Document: turning ``--review`` on for a folder already run costs a
page per note, not processing every note again."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..export import REVIEW, combine, has_part, render_optional, write_part
from ..models import Document
from .manifest import Manifest
from .options import BatchOptions, CannotRunError, optional_parts


def combine_tables(manifest: Manifest, options: BatchOptions) -> None:
    out = options.out
    settings = json.dumps(
        {
            "bom": options.bom,
            "parquet": options.parquet,
            "jsonl": options.jsonl,
            "review": options.review,
            "excel_safe": options.excel_safe,
        }
    )
    missing = (
        not (out / "documents.csv").exists()
        or (options.parquet and not (out / "documents.parquet").exists())
        or (options.jsonl and not (out / "facts.jsonl").exists())
        or (options.review and not (out / REVIEW / "index.html").exists())
    )
    if not (missing or manifest.needs_combine(settings)):
        return  # nothing changed since the tables were last written
    fill_optional_parts(out, manifest.stored_outputs(), optional_parts(options))
    try:
        combine(
            out,
            manifest.document_ids(),
            bom=options.bom,
            parquet=options.parquet,
            jsonl=options.jsonl,
            review=options.review,
            excel_safe=options.excel_safe,
        )
    except RuntimeError as exc:  # --parquet without pyarrow
        raise CannotRunError(str(exc)) from exc
    manifest.mark_combined(settings)


def fill_optional_parts(
    out: Path, stored: Iterable[tuple[str, str]], wanted: Sequence[str]
) -> None:
    """Render, from its JSON, each optional part in ``wanted`` that a stored note
    (document id, output stem) lacks. A note whose JSON cannot be read keeps what it has
    (the next run that processes it writes the rest)."""
    if not wanted:
        return
    for doc, stem in stored:
        lacking = [name for name in wanted if not has_part(out, doc, name)]
        if not lacking:
            continue
        try:
            document = Document.model_validate_json((out / f"{stem}.json").read_bytes())
        except (OSError, ValueError):
            continue
        for name, text in render_optional(document, lacking).items():
            write_part(out, doc, name, text, sync=False)
