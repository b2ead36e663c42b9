"""One reader per format, registered by Format: read as it is, read after conversion, or
refused with the reason."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from ..errors import InputError
from ..models import Problem
from ..problems import ProblemCode
from .base import Reader, ReadRequest, ReadResult
from .convert import TARGETS, converted, needs_conversion
from .docx import read_docx
from .formats import Format
from .html import read_html
from .pdf import read_pdf
from .text import read_text


@dataclass(frozen=True)
class PdfReader:
    format: Format = Format.PDF
    unit: str = "page line"

    def read(self, request: ReadRequest) -> ReadResult:
        return read_pdf(
            request.path, request.limits, with_tables=request.with_tables, data=request.data
        )


@dataclass(frozen=True)
class DocxReader:
    format: Format = Format.DOCX
    unit: str = "paragraph"

    def read(self, request: ReadRequest) -> ReadResult:
        return read_docx(request.path, request.limits, data=request.data)


@dataclass(frozen=True)
class HtmlReader:
    format: Format = Format.HTML
    unit: str = "paragraph"

    def read(self, request: ReadRequest) -> ReadResult:
        return read_html(request.path, request.limits, data=request.data)


@dataclass(frozen=True)
class TextReader:
    format: Format = Format.TXT
    unit: str = "line"

    def read(self, request: ReadRequest) -> ReadResult:
        return read_text(request.path, request.limits, data=request.data)


@dataclass(frozen=True)
class ConvertingReader:
    """A legacy format: converted with LibreOffice (--convert) and read as its target, or
    refused as ``needs_conversion``."""

    format: Format
    unit: str = "line"

    def read(self, request: ReadRequest) -> ReadResult:
        if not request.convert:
            raise needs_conversion(self.format)
        with converted(request.path, self.format, request.data) as output:
            # The converted file is read from disk: its bytes were never hashed.
            result = READERS[TARGETS[self.format]].read(replace(request, path=output, data=None))
        result.warnings.append(
            Problem(
                code=ProblemCode.CONVERTED, message=f"converted from {self.format} with LibreOffice"
            )
        )
        return result


@dataclass(frozen=True)
class Refusal:
    """A format that is recognised and never read: reading it raises the reason."""

    format: Format
    code: ProblemCode
    message: str
    unit: str = "line"

    def read(self, request: ReadRequest) -> ReadResult:
        raise InputError(self.code, self.message)


def _unsupported(found: Format) -> Refusal:
    return Refusal(
        found,
        ProblemCode.UNSUPPORTED_FORMAT,
        f"this is {found.description}, not a PDF, DOCX, web page or text file",
    )


READERS: dict[Format, Reader] = {
    Format.PDF: PdfReader(),
    Format.DOCX: DocxReader(),
    Format.HTML: HtmlReader(),
    Format.TXT: TextReader(),
    **{found: ConvertingReader(found) for found in TARGETS},
    Format.XLSX: _unsupported(Format.XLSX),
    Format.ZIP: _unsupported(Format.ZIP),
    Format.BINARY: _unsupported(Format.BINARY),
    Format.EMPTY: Refusal(Format.EMPTY, ProblemCode.EMPTY, "the file is empty (0 bytes)"),
    Format.DAMAGED_ZIP: Refusal(
        Format.DAMAGED_ZIP,
        ProblemCode.CORRUPT_DOCX,
        "the file starts like a zip package (DOCX) but is damaged or truncated: its zip"
        " directory cannot be read",
    ),
}


# The libraries each reader imports when it first needs them (its tables, its XML). A batch
# loads them before forking its workers, where a late import under the memory cap could fail.
_LAZY_IMPORTS: dict[Format, tuple[str, ...]] = {
    Format.PDF: ("pdfplumber",),  # the table finder; pdfminer for a page tree walked by hand
    Format.DOCX: ("lxml.etree",),
    Format.HTML: ("lxml.etree", "charset_normalizer"),
    Format.TXT: ("charset_normalizer",),
}
# Of those, what only reading tables needs (a PDF's table finder, for tables without
# vertical rules; a damaged page tree walked by hand is rare enough to load it then).
_FOR_TABLES = frozenset({"pdfplumber"})


def lazy_imports(formats: Iterable[Format] | None, *, tables: bool = True) -> tuple[str, ...]:
    """What the readers of ``formats`` (None: of every format) import on first use, each
    once; a legacy format counts as the format it is converted to. ``tables`` False: not
    what only reading tables needs."""
    wanted = set(_LAZY_IMPORTS if formats is None else (TARGETS.get(f, f) for f in formats))
    # In the table's order, whatever order ``formats`` comes in.
    names = (name for found, names in _LAZY_IMPORTS.items() if found in wanted for name in names)
    return tuple(n for n in dict.fromkeys(names) if tables or n not in _FOR_TABLES)
