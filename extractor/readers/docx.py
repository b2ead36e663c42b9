"""DOCX: paragraphs and tables in document order, after a safety check of the package.

The reading is done in steps, one module each:

- ``docx_safety``: the zip package is checked before anything parses it (zip bombs, DTDs and
  entity declarations);
- ``docx_parts``: the main part and the styles are found through the package relationships
  and parsed;
- ``docx_body``: the body is walked in reading order (content controls, tracked changes, text
  boxes), with ``docx_styles`` deciding which runs are hidden and ``docx_tables`` laying
  table cells on their grid;
- ``docx_dropped``: what was left out becomes warnings.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..problems import ProblemCode
from .base import ReadResult
from .docx_body import BodyReader
from .docx_names import W
from .docx_parts import open_package
from .docx_safety import check_package
from .docx_styles import Styles
from .limits import Limits


def read_docx(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    source: Path | IO[bytes] = path if data is None else io.BytesIO(data)
    check_package(source, limits)
    if not isinstance(source, Path):
        source.seek(0)
    package = open_package(source)
    has_breaks = _has_page_breaks(package.body)
    reader = BodyReader(Styles(package.styles), has_breaks)
    reader.block(package.body)
    warnings = reader.left_out.warnings(package.macro_enabled)
    if not any(line.text.strip() for line in reader.lines):
        hidden = reader.left_out.hidden
        if hidden.chars:
            raise InputError(
                ProblemCode.EMPTY,
                f"the DOCX holds no visible text ({hidden.chars:,} characters are hidden)",
            )
        raise InputError(ProblemCode.EMPTY, "the DOCX holds no text")
    return ReadResult(
        format="docx",
        lines=reader.lines,
        tables=reader.tables,
        pages=reader.page if has_breaks else None,
        warnings=warnings,
    )


def _has_page_breaks(body: Any) -> bool:
    for node in body.iter(f"{W}br", f"{W}lastRenderedPageBreak", f"{W}pageBreakBefore"):
        if node.tag != f"{W}br" or node.get(f"{W}type") == "page":
            return True
    return False
