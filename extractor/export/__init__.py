"""Everything a run writes: per note its JSON, part of every combined table and (asked for)
review page; for the batch the combined tables (CSV; asked for, JSONL and Parquet), the data
package and (asked for) the review index. One module per output; :mod:`.records` is the
note's JSON (defaults left out), :mod:`.parts` renders and keeps a note's outputs,
:mod:`.writer` ties them together into the combined files."""

from .files import atomic_file, inside, safe_stem, write_atomic
from .parts import JSONL_PART, OPTIONAL_PARTS, REVIEW_PART, has_part, render_optional, write_part
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
    "JSONL_PART",
    "OPTIONAL_PARTS",
    "REVIEW",
    "REVIEW_PART",
    "atomic_file",
    "combine",
    "document_id",
    "document_json",
    "facts_jsonl",
    "has_part",
    "inside",
    "remove_parts",
    "render_optional",
    "render_parts",
    "rows_by_table",
    "safe_stem",
    "write_atomic",
    "write_part",
    "write_parts",
]
