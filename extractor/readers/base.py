"""The neutral shapes every reader returns; nothing downstream imports a format library."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import InputError
from ..models import Problem
from ..problems import ProblemCode
from .formats import Format
from .limits import Limits

__all__ = ["Limits", "Line", "ReadRequest", "ReadResult", "Reader", "TableBlock", "check_text_size"]


def check_text_size(text: str, limits: Limits, what: str) -> None:
    """Refuse decoded text over ``--max-text-chars`` (a text file, a web page)."""
    if len(text) > limits.max_text_chars:
        raise InputError(
            ProblemCode.TOO_LARGE,
            f"{what} has {len(text):,} characters, over the limit of {limits.max_text_chars:,}",
        )


@dataclass(frozen=True)
class Line:
    """One line (PDF, TXT) or paragraph (DOCX) of text, in reading order."""

    text: str
    page: int | None = None
    paragraph: int | None = None
    # Layout knowledge: True if the line runs to the right margin (the paragraph goes on),
    # False if it ends short (paragraph end), None if the format cannot tell (TXT).
    continues: bool | None = None
    # Text that belongs to a table block: kept for offsets, skipped by the narrative.
    in_table: bool = False


@dataclass
class TableBlock:
    """A table as rows of cell strings (None for an empty or merged-away cell)."""

    rows: list[list[str | None]]
    page: int | None = None
    # Index into ReadResult.lines of the first line drawn inside the table (for ordering and
    # for finding the title above it); -1 when the format has no lines for tables (DOCX).
    first_line: int = -1
    # Lines of text directly above the table (title, 单位：元 …), nearest last.
    caption: list[str] = field(default_factory=list)


@dataclass
class ReadResult:
    format: str
    lines: list[Line]
    tables: list[TableBlock] = field(default_factory=list)
    pages: int | None = None
    encoding: str | None = None
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class ReadRequest:
    """What a reader is asked to read: the file, and its bytes when the caller read them
    (those are parsed and the file is not opened again)."""

    path: Path
    limits: Limits
    data: bytes | None = None
    with_tables: bool = True
    convert: bool = False  # legacy formats: convert with LibreOffice, or refuse


class Reader(Protocol):
    """One format's reader (docling's backends): what it is for, how its text is counted in
    warnings, and ``read``, which raises InputError for a file it cannot take."""

    @property
    def format(self) -> Format: ...

    @property
    def unit(self) -> str: ...

    def read(self, request: ReadRequest) -> ReadResult: ...
