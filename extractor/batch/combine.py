"""The combined tables (documents.csv … and, with --parquet, their Parquet twins; with
--jsonl, facts.jsonl), written
from every stored result's parts when something changed since they were last written."""

from __future__ import annotations

import json

from ..export import combine
from .manifest import Manifest
from .options import BatchOptions, CannotRunError


def combine_tables(manifest: Manifest, options: BatchOptions) -> None:
    out = options.out
    settings = json.dumps(
        {
            "bom": options.bom,
            "parquet": options.parquet,
            "jsonl": options.jsonl,
            "excel_safe": options.excel_safe,
        }
    )
    missing = (
        not (out / "documents.csv").exists()
        or (options.parquet and not (out / "documents.parquet").exists())
        or (options.jsonl and not (out / "facts.jsonl").exists())
    )
    if not (missing or manifest.needs_combine(settings)):
        return  # nothing changed since the tables were last written
    try:
        combine(
            out,
            manifest.document_ids(),
            bom=options.bom,
            parquet=options.parquet,
            jsonl=options.jsonl,
            excel_safe=options.excel_safe,
        )
    except RuntimeError as exc:  # --parquet without pyarrow
        raise CannotRunError(str(exc)) from exc
    manifest.mark_combined(settings)
