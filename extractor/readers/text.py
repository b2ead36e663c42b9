"""Plain text: UTF-8 (with or without BOM), UTF-16, GB18030/GBK, detected and decoded.

A file that is not UTF-8 throughout is decoded line by line: a line that is valid UTF-8 is
UTF-8 (other encodings rarely make valid UTF-8 out of Chinese text), the rest GB18030, and a
line that is neither is cut where the UTF-8 stops. So a file half UTF-8, half GBK (two files
concatenated, a note edited in two editors) loses neither half, and says so. NUL bytes in a
file that is not UTF-16 (a damaged export) are removed, with a warning.
"""

from __future__ import annotations

import codecs
import contextlib
from pathlib import Path

import regex

from ..errors import InputError
from ..models import Problem
from ..problems import ProblemCode
from .base import Line, ReadResult, check_text_size
from .detect import common_share, looks_like_utf16
from .limits import Limits
from .text_tables import find_text_tables

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# A run of GB18030 characters (two-byte, or four-byte with digits in the second and fourth).
_GB_RUN = regex.compile(
    rb"(?:[\x81-\xfe][\x40-\x7e\x80-\xfe]|[\x81-\xfe][\x30-\x39][\x81-\xfe][\x30-\x39])+"
)
_MIXED = "utf-8+gb18030"


def decode_text(data: bytes) -> tuple[str, str, list[Problem]]:
    """Decode bytes; return the text, the encoding used and any warnings."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, nul_warnings = _without_nul_characters(data.decode(encoding, errors="replace"))
            return text, encoding, nul_warnings
    utf16 = looks_like_utf16(data[:4096])
    if utf16:
        try:
            return data.decode(utf16), utf16, []
        except UnicodeDecodeError:
            pass
    warnings: list[Problem] = []
    if b"\x00" in data:
        # Not UTF-16: in UTF-8 and GB18030 a zero byte is never part of a character.
        warnings.append(_nul_warning(data.count(b"\x00")))
        data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8"), "utf-8", warnings
    except UnicodeDecodeError:
        pass
    decoded = _decode_lines(data)
    if decoded is not None:
        text, encoding, line_warnings = decoded
        return text, encoding, warnings + line_warnings
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding:
        warning = Problem(
            code=ProblemCode.ENCODING_GUESSED,
            message=f"text encoding guessed as {best.encoding}; check the figures",
        )
        return str(best), best.encoding, [*warnings, warning]
    warning = Problem(
        code=ProblemCode.ENCODING_UNKNOWN,
        message="text encoding not recognised; undecodable bytes were replaced",
    )
    return data.decode("utf-8", errors="replace"), "utf-8", [*warnings, warning]


def _nul_warning(count: int) -> Problem:
    return Problem(
        code=ProblemCode.NUL_BYTES,
        message=f"{count:,} NUL byte{'s' if count > 1 else ''} (zero bytes) in the text were"
        " removed; the file looks damaged, check the figures",
    )


def _without_nul_characters(text: str) -> tuple[str, list[Problem]]:
    count = text.count("\x00")
    if not count:
        return text, []
    return text.replace("\x00", ""), [_nul_warning(count)]


def _decode_lines(data: bytes) -> tuple[str, str, list[Problem]] | None:
    """Decode line by line as UTF-8 or GB18030; None if that does not read the file (an
    encoding that is neither, left to the guesser)."""
    texts: list[str] = []
    utf8_lines: list[int] = []
    gb_lines: list[int] = []
    split_lines: list[int] = []
    unreadable = 0
    previous = "ascii"
    for number, raw in enumerate(data.split(b"\n"), start=1):
        text, kind = _decode_line(raw)
        texts.append(text)
        if kind == "ascii":  # a blank or ASCII line goes with the lines around it
            kind = previous if previous in ("utf-8", "gb18030") else "ascii"
        previous = kind
        if kind == "utf-8":
            utf8_lines.append(number)
        elif kind == "gb18030":
            gb_lines.append(number)
        elif kind == "mixed":
            split_lines.append(number)
        elif kind == "unreadable":
            unreadable += 1
    if not utf8_lines and not split_lines:
        if unreadable:
            return None
        return "\n".join(texts), "gb18030", []
    if not gb_lines and not split_lines and unreadable:
        return None
    warnings = [
        Problem(
            code=ProblemCode.MIXED_ENCODING,
            message="the file mixes two encodings, so each line was decoded on its own:"
            f" UTF-8 in {_lines(utf8_lines)}, GB18030/GBK in {_lines(gb_lines)}"
            + (f", both within {_lines(split_lines)}" if split_lines else ""),
        )
    ]
    if unreadable:
        warnings.append(
            Problem(
                code=ProblemCode.ENCODING_UNKNOWN,
                message=f"{unreadable} line(s) are neither UTF-8 nor GB18030; undecodable"
                " bytes were replaced",
            )
        )
    return "\n".join(texts), _MIXED, warnings


def _decode_line(raw: bytes) -> tuple[str, str]:
    """A line's text and how it was read: ascii, utf-8, gb18030, mixed or unreadable."""
    if raw.isascii():
        return raw.decode("ascii"), "ascii"
    utf8 = gb = None
    with contextlib.suppress(UnicodeDecodeError):
        utf8 = raw.decode("utf-8")
    with contextlib.suppress(UnicodeDecodeError):
        gb = raw.decode("gb18030")
    if utf8 is not None:
        # A short GBK line can be valid UTF-8 by chance; it then reads as rare characters.
        if gb is not None and common_share(utf8) < 0.5 <= common_share(gb):
            return gb, "gb18030"
        return utf8, "utf-8"
    if gb is not None:
        return gb, "gb18030"
    return _decode_pieces(raw)


def _decode_pieces(raw: bytes) -> tuple[str, str]:
    """A line of UTF-8 and GB18030 pieces: UTF-8 up to where it breaks, then the run of
    GB18030 characters there, and on."""
    pieces: list[str] = []
    position = 0
    replaced = False
    while position < len(raw):
        try:
            pieces.append(raw[position:].decode("utf-8"))
            break
        except UnicodeDecodeError as error:
            pieces.append(raw[position : position + error.start].decode("utf-8"))
            position += error.start
        run = _GB_RUN.match(raw, position)
        if run is None:
            pieces.append("\ufffd")
            replaced = True
            position += 1
            continue
        pieces.append(run.group().decode("gb18030", errors="replace"))
        position = run.end()
    return "".join(pieces), "unreadable" if replaced else "mixed"


def _lines(numbers: list[int]) -> str:
    """'lines 1–66, 68–143' from line numbers."""
    if not numbers:
        return "no line"
    ranges: list[str] = []
    start = previous = numbers[0]
    for number in [*numbers[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        ranges.append(f"{start}–{previous}" if previous != start else str(start))
        if number is not None:
            start = previous = number
    shown = ", ".join(ranges[:8]) + (f" and {len(ranges) - 8} more" if len(ranges) > 8 else "")
    return f"line{'s' if len(numbers) > 1 else ''} {shown}"


def read_text(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    # No encoding takes more than 4 bytes a character: a file larger than that is over the
    # limit before it is read and decoded (which would hold it in memory twice over).
    size = path.stat().st_size if data is None else len(data)
    if size > 4 * limits.max_text_chars:
        raise InputError(
            ProblemCode.TOO_LARGE,
            f"the text file has {size:,} bytes, so over {limits.max_text_chars:,} characters,"
            " the limit",
        )
    if data is None:
        data = path.read_bytes()
    text, encoding, warnings = decode_text(data)
    check_text_size(text, limits, "text")
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
        raise InputError(ProblemCode.EMPTY, "the text file holds no text")
    lines, tables = find_text_tables(lines)
    return ReadResult(
        format="txt",
        lines=lines,
        tables=tables,
        pages=len(pages) if len(pages) > 1 else None,
        encoding=encoding,
        warnings=warnings,
    )
