"""Everything a run writes: per note its JSON, review page and part of every combined table;
for the batch the combined tables (CSV, JSONL, Parquet), the data package and the review
index. One module per output; :mod:`.records` is the note's JSON (defaults left out),
:mod:`.parts` renders and keeps a note's outputs, :mod:`.writer` ties them together into the
combined files."""

from .files import atomic_file, inside, safe_stem, write_atomic
from .writer import (
    REVIEW,
    combine,
    document_id,
    document_json,
    facts_jsonl,
    remove_parts,
    render_parts,
    rows_by_table,
    write_parts,
)

__all__ = [
    "REVIEW",
    "atomic_file",
    "combine",
    "document_id",
    "document_json",
    "facts_jsonl",
    "inside",
    "remove_parts",
    "render_parts",
    "rows_by_table",
    "safe_stem",
    "write_atomic",
    "write_parts",
]
