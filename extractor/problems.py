"""The problem codes: every reason a file fails or is read with a warning, in one table.

``Document.errors`` and ``Document.warnings`` hold :class:`~extractor.models.Problem` records
whose ``code`` is one of :class:`ProblemCode`; ``report.jsonl`` says ``code: message``. The
message of each record is written where the problem is found (it names pages, sizes,
options); the table here says what each code means, whether it fails the file, and whether
the next batch run retries it. The README's table of codes is generated from it:
``python -m extractor.problems --markdown``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    """A machine-readable reason (``Problem.code``); members compare equal to their text."""

    # The file fails: an error record, status failed.
    EMPTY = "empty"
    TOO_LARGE = "too_large"
    UNREADABLE_FILE = "unreadable_file"
    UNSUPPORTED_FORMAT = "unsupported_format"
    NEEDS_CONVERSION = "needs_conversion"
    CONVERSION_FAILED = "conversion_failed"
    CORRUPT_PDF = "corrupt_pdf"
    ENCRYPTED = "encrypted"
    NO_TEXT_LAYER = "no_text_layer"
    NO_TEXT = "no_text"
    UNREADABLE_TEXT = "unreadable_text"
    CORRUPT_DOCX = "corrupt_docx"
    UNSAFE_DOCX = "unsafe_docx"
    NO_ARTICLE_TEXT = "no_article_text"
    NOT_A_BUDGET_NOTE = "not_a_budget_note"
    KIND_MISMATCH = "kind_mismatch"
    TIMEOUT = "timeout"
    MEMORY_LIMIT = "memory_limit"
    WORKER_CRASHED = "worker_crashed"
    CHANGED_WHILE_READING = "changed_while_reading"
    CANCELLED = "cancelled"
    INTERNAL_ERROR = "internal_error"
    # The file is read: a warning record.
    MISLABELLED = "mislabelled"
    CONVERTED = "converted"
    MARKS_IN_FIGURES = "marks_in_figures"
    ENCODING_GUESSED = "encoding_guessed"
    ENCODING_UNKNOWN = "encoding_unknown"
    NUL_BYTES = "nul_bytes"
    MIXED_ENCODING = "mixed_encoding"
    CHARSET_MISMATCH = "charset_mismatch"
    HIDDEN_TEXT = "hidden_text"
    TRACKED_CHANGES_OLD_TEXT = "tracked_changes_old_text"
    DUPLICATE_TEXT_BOX = "duplicate_text_box"
    LAYOUT_TABLE = "layout_table"
    MACRO_ENABLED = "macro_enabled"
    PAGES_UNREADABLE = "pages_unreadable"
    PAGES_WITHOUT_TEXT = "pages_without_text"
    UNREADABLE_CHARACTERS = "unreadable_characters"
    TABLES_UNREADABLE = "tables_unreadable"
    ROTATED_PAGES = "rotated_pages"
    COLUMNS_DETECTED = "columns_detected"
    DUPLICATE_TEXT_LAYER = "duplicate_text_layer"
    OCR_TEXT_LAYER = "ocr_text_layer"


class ProblemKind(StrEnum):
    """Where a record goes: ``errors`` (the file fails) or ``warnings`` (it is read)."""

    ERROR = "error"
    WARNING = "warning"


class FailureClass(StrEnum):
    """What the next batch run does with a failed file (``report.jsonl``'s ``failure``)."""

    TRANSIENT = "transient"  # says nothing about the file itself: retried
    PERMANENT = "permanent"  # retried only when the content, an option or a version changes


@dataclass(frozen=True)
class ProblemSpec:
    kind: ProblemKind
    description: str
    failure: FailureClass | None = None  # errors only

    @property
    def transient(self) -> bool:
        return self.failure is FailureClass.TRANSIENT


def _error(description: str, failure: FailureClass = FailureClass.PERMANENT) -> ProblemSpec:
    return ProblemSpec(ProblemKind.ERROR, description, failure)


def _warning(description: str) -> ProblemSpec:
    return ProblemSpec(ProblemKind.WARNING, description)


_TRANSIENT = FailureClass.TRANSIENT

PROBLEMS: Mapping[ProblemCode, ProblemSpec] = {
    ProblemCode.EMPTY: _error("the file, or the text it holds, is empty"),
    ProblemCode.TOO_LARGE: _error("over a size limit (bytes, pages, unpacked DOCX, characters)"),
    ProblemCode.UNREADABLE_FILE: _error(
        "the file cannot be opened (vanished, no permission)", _TRANSIENT
    ),
    ProblemCode.UNSUPPORTED_FORMAT: _error(
        "a spreadsheet, an archive or binary data: not a document"
    ),
    ProblemCode.NEEDS_CONVERSION: _error(
        "a legacy format (.doc, .wps, .xls, RTF): convert it first"
    ),
    ProblemCode.CONVERSION_FAILED: _error("LibreOffice could not convert the file (--convert)"),
    ProblemCode.CORRUPT_PDF: _error("the PDF is damaged or truncated, or its page tree is"),
    ProblemCode.ENCRYPTED: _error("the PDF needs a password to open"),
    ProblemCode.NO_TEXT_LAYER: _error("a scanned PDF: images and no text (OCR needed)"),
    ProblemCode.NO_TEXT: _error("the PDF has pages but neither text nor images"),
    ProblemCode.UNREADABLE_TEXT: _error(
        "the PDF's fonts have no text mapping: too much is unreadable"
    ),
    ProblemCode.CORRUPT_DOCX: _error("the DOCX is damaged, truncated or not a Word document"),
    ProblemCode.UNSAFE_DOCX: _error(
        "the DOCX is a zip bomb or declares a DTD or entities; refused"
    ),
    ProblemCode.NO_ARTICLE_TEXT: _error("the web page has no article text (frames, script, links)"),
    ProblemCode.NOT_A_BUDGET_NOTE: _error("the text does not read as a budget note"),
    ProblemCode.KIND_MISMATCH: _error(
        "a 决算 note when 预算 was expected, or the reverse (--kind)"
    ),
    ProblemCode.TIMEOUT: _error("the file took longer than the time limit (--timeout)", _TRANSIENT),
    ProblemCode.MEMORY_LIMIT: _error(
        "the file needed more memory than the cap (--max-memory)", _TRANSIENT
    ),
    ProblemCode.WORKER_CRASHED: _error(
        "the worker process died while reading the file", _TRANSIENT
    ),
    ProblemCode.CHANGED_WHILE_READING: _error("the file changed while it was read", _TRANSIENT),
    ProblemCode.CANCELLED: _error(
        "report.jsonl only: the run was stopped before the file was done", _TRANSIENT
    ),
    ProblemCode.INTERNAL_ERROR: _error("a bug in budget-notes: the traceback is in detail"),
    ProblemCode.MISLABELLED: _warning("the file name says another format than the content"),
    ProblemCode.CONVERTED: _warning("read after conversion with LibreOffice (--convert)"),
    ProblemCode.MARKS_IN_FIGURES: _warning("zero-width or direction marks inside figures, ignored"),
    ProblemCode.ENCODING_GUESSED: _warning("the text encoding was guessed: check the figures"),
    ProblemCode.ENCODING_UNKNOWN: _warning(
        "the text encoding is unknown: undecodable bytes replaced"
    ),
    ProblemCode.NUL_BYTES: _warning("NUL bytes in a text file, removed"),
    ProblemCode.MIXED_ENCODING: _warning(
        "a text file partly UTF-8, partly GB18030, read line by line"
    ),
    ProblemCode.CHARSET_MISMATCH: _warning(
        "a web page declares one charset and is UTF-8, read as UTF-8"
    ),
    ProblemCode.HIDDEN_TEXT: _warning(
        "text no reader sees (hidden font, display:none, white, covered)"
    ),
    ProblemCode.TRACKED_CHANGES_OLD_TEXT: _warning("DOCX text tracked changes deleted, not read"),
    ProblemCode.DUPLICATE_TEXT_BOX: _warning("a DOCX text box stored twice, read once"),
    ProblemCode.LAYOUT_TABLE: _warning("a DOCX table used for layout, read as paragraphs"),
    ProblemCode.MACRO_ENABLED: _warning("a macro-enabled Word document: its macros were not run"),
    ProblemCode.PAGES_UNREADABLE: _warning("some PDF pages are damaged and were skipped"),
    ProblemCode.PAGES_WITHOUT_TEXT: _warning("some PDF pages hold only images"),
    ProblemCode.UNREADABLE_CHARACTERS: _warning("some PDF characters have no text mapping"),
    ProblemCode.TABLES_UNREADABLE: _warning(
        "a page's tables could not be parsed; its text is kept"
    ),
    ProblemCode.ROTATED_PAGES: _warning(
        "rotated PDF pages or turned text, read in the text's direction"
    ),
    ProblemCode.COLUMNS_DETECTED: _warning("a two-column PDF page, read column by column"),
    ProblemCode.DUPLICATE_TEXT_LAYER: _warning("an invisible copy of a page's text, not read"),
    ProblemCode.OCR_TEXT_LAYER: _warning("an invisible OCR layer over a page image, read"),
}


def transient_codes() -> frozenset[ProblemCode]:
    """Failures the next run retries."""
    return frozenset(code for code, spec in PROBLEMS.items() if spec.transient)


def markdown_table() -> str:
    """The README's table of problem codes."""
    lines = [
        "| code | record | next run | what it means |",
        "|---|---|---|---|",
    ]
    for code, spec in PROBLEMS.items():
        retry = {None: "", _TRANSIENT: "retried"}.get(spec.failure, "not retried")
        lines.append(f"| `{code}` | {spec.kind} | {retry} | {spec.description} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m extractor.problems", description="The problem codes, one a line."
    )
    parser.add_argument("--markdown", action="store_true", help="print the README's table")
    args = parser.parse_args(argv)
    if args.markdown:
        sys.stdout.write(markdown_table())
    else:
        for code, spec in PROBLEMS.items():
            sys.stdout.write(f"{code}\t{spec.kind}\t{spec.failure or ''}\t{spec.description}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
