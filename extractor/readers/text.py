"""Plain text: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, detected and decoded."""

from __future__ import annotations

import codecs
from pathlib import Path

from ..errors import InputError
from ..models import Problem
from .base import Limits, Line, ReadResult
from .detect import looks_like_utf16
from .text_tables import find_text_tables

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode_text(data: bytes) -> tuple[str, str, list[Problem]]:
    """Decode bytes; return the text, the encoding used and any warnings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding, []
    utf16 = looks_like_utf16(data[:4096])
    candidates = ([utf16] if utf16 else []) + ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            return data.decode(encoding), encoding, []
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        warning = Problem(
            code="encoding_guessed",
            message=f"text encoding guessed as {best.encoding}; check the figures",
        )
        return str(best), best.encoding, [warning]
    warning = Problem(
        code="encoding_unknown",
        message="text encoding not recognised; undecodable bytes were replaced",
    )
    return data.decode("utf-8", errors="replace"), "utf-8", [warning]


def read_text(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    # No encoding takes more than 4 bytes a character: a file larger than that is over the
    # limit before it is read and decoded (which would hold it in memory twice over).
    size = path.stat().st_size if data is None else len(data)
    if size > 4 * limits.max_text_chars:
        raise InputError(
            "too_large",
            f"the text file has {size:,} bytes, so over {limits.max_text_chars:,} characters,"
            " the limit",
        )
    if data is None:
        data = path.read_bytes()
    text, encoding, warnings = decode_text(data)
    if len(text) > limits.max_text_chars:
        raise InputError(
            "too_large",
            f"text has {len(text):,} characters, over the limit of {limits.max_text_chars:,}",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    number = 0
    pages = text.split("\f")
    for page_number, page_text in enumerate(pages, start=1):
        for raw in page_text.split("\n"):
            number += 1
            lines.append(
                Line(text=raw, page=page_number if len(pages) > 1 else None, paragraph=number)
            )
    if not any(line.text.strip() for line in lines):
        raise InputError("empty", "the text file holds no text")
    lines, tables = find_text_tables(lines)
    return ReadResult(
        format="txt",
        lines=lines,
        tables=tables,
        pages=len(pages) if len(pages) > 1 else None,
        encoding=encoding,
        warnings=warnings,
    )
