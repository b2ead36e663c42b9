"""DOCX: paragraphs and tables in document order, after a safety check of the package.

A DOCX is a zip of XML parts. Before python-docx opens it, the package is checked without
decompressing more than the first 64 KB of each part: member count, declared uncompressed
size and compression ratio (zip bombs), and every part's prolog for DTDs and entity
declarations (XXE, billion laughs) in UTF-8 or UTF-16.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from .base import Limits, Line, ReadResult, TableBlock

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PROLOG_BYTES = 64 * 1024


# What reading a damaged zip member can raise: a bad CRC or header, a corrupt deflate
# stream (zlib.error), an unknown compression method, an encrypted member (RuntimeError).
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    OSError,
    ValueError,
    EOFError,
    NotImplementedError,
    RuntimeError,
    KeyError,
)
# Parts are UTF-8 or UTF-16 (ECMA-376 part 2); anything else could hide a DTD from the check.
_XML_ENCODINGS = {"utf-8", "utf8", "utf-16", "utf16", "utf-16le", "utf-16be", "us-ascii", "ascii"}
_DECLARED_ENCODING = re.compile(r"""^<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
# Whitespace, processing instructions and comments before the root element.
_PROLOG_ITEM = re.compile(r"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)
_PICTURE_SUFFIXES = (
    ".svg",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".bmp",
    ".tif",
    ".tiff",
    ".emf",
    ".wmf",
    ".webp",
)
# Word's gridSpan is at most the 63 columns a table can have; more is a damaged file.
_MAX_SPAN = 64


def check_package(path: Path | IO[bytes], limits: Limits) -> None:
    """Raise InputError if the zip package is unsafe or too large to open."""
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS as exc:
        raise InputError(
            "corrupt_docx", "the DOCX is not a readable zip package", detail=str(exc)
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_docx_members:
            raise InputError(
                "unsafe_docx",
                f"the DOCX holds {len(members):,} parts, over the limit of"
                f" {limits.max_docx_members:,}",
            )
        total = sum(member.file_size for member in members)
        if total > limits.max_docx_uncompressed:
            raise InputError(
                "too_large",
                f"the DOCX unpacks to {total:,} bytes, over the limit of"
                f" {limits.max_docx_uncompressed:,} (--max-docx-unpacked)",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > limits.max_docx_ratio:
                raise InputError(
                    "unsafe_docx",
                    f"the DOCX part {member.filename} expands {ratio:,.0f} times (zip bomb)",
                )
        for member in members:
            # Every part whatever its name (the main part can be renamed through the rels),
            # but pictures: python-docx keeps them as bytes, and an SVG may carry a harmless
            # DOCTYPE.
            if not member.is_dir() and not member.filename.lower().endswith(_PICTURE_SUFFIXES):
                _check_xml_prolog(archive, member)


def _check_xml_prolog(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    try:
        with archive.open(member) as handle:
            head = handle.read(_PROLOG_BYTES)
    except _ZIP_ERRORS as exc:
        raise InputError(
            "corrupt_docx", f"the DOCX part {member.filename} is damaged", detail=str(exc)
        ) from exc
    problem = prolog_problem(head, complete=member.file_size <= len(head))
    if problem:
        raise InputError("unsafe_docx", f"the DOCX part {member.filename} {problem}; refused")


def prolog_problem(head: bytes, *, complete: bool) -> str | None:
    """Why the start of an XML part is unsafe, or None. A part that is not XML text at all
    is left to the parser, which will reject it."""
    text = _decode_head(head)
    if text is None:
        return None
    declared = _DECLARED_ENCODING.match(text)
    if declared and declared.group(1).lower() not in _XML_ENCODINGS:
        return f"declares the unexpected encoding {declared.group(1)!r}"
    position = 0
    while item := _PROLOG_ITEM.match(text, position):
        position = item.end()
    rest = text[position : position + 9].upper()
    if not rest or rest.startswith(("<!--", "<?")):
        # The head ends inside the prolog (an unclosed comment or processing instruction):
        # a DTD could follow unseen. Real parts start their root element within a few
        # hundred bytes; a part that ends here is left to the parser to reject.
        return None if complete else f"has over {_PROLOG_BYTES // 1024} KB before its root element"
    if rest.startswith("<!"):
        return "declares a DTD or entities (XXE / entity expansion)"
    return None


def _decode_head(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        encoding, head = "utf-8", head[3:]
    elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    elif head.startswith(b"<\x00"):
        encoding = "utf-16-le"
    elif head.startswith(b"\x00<"):
        encoding = "utf-16-be"
    else:
        encoding = "utf-8"
    if encoding.startswith("utf-16"):
        head = head[: len(head) - len(head) % 2]
    text = head.decode(encoding, errors="replace")
    return text if text.lstrip()[:1] == "<" else None


def read_docx(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    check_package(path if data is None else io.BytesIO(data), limits)
    import docx

    try:
        document = docx.Document(str(path) if data is None else io.BytesIO(data))
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors …
        raise InputError("corrupt_docx", "the DOCX could not be parsed", detail=repr(exc)) from exc

    body = document.element.body
    has_breaks = _has_page_breaks(body)
    page = 1
    lines: list[Line] = []
    tables: list[TableBlock] = []
    paragraph_number = 0
    for element in body.iterchildren():
        if element.tag == f"{_W}p":
            paragraph_number += 1
            if element.find(f"{_W}pPr/{_W}pageBreakBefore") is not None and lines:
                page += 1
            text = _paragraph_text(element)
            lines.append(
                Line(
                    text=text,
                    page=page if has_breaks else None,
                    paragraph=paragraph_number,
                    continues=False,
                )
            )
            page += _breaks_in(element)
        elif element.tag == f"{_W}tbl":
            rows = list(_table_rows(element))
            caption = [line.text for line in lines[-6:] if line.text.strip() and not line.in_table][
                -4:
            ]
            tables.append(
                TableBlock(
                    rows=rows,
                    page=page if has_breaks else None,
                    first_line=len(lines),
                    caption=caption,
                )
            )
            for row in rows:
                paragraph_number += 1
                lines.append(
                    Line(
                        text="\t".join(cell or "" for cell in row),
                        page=page if has_breaks else None,
                        paragraph=paragraph_number,
                        continues=False,
                        in_table=True,
                    )
                )
            page += sum(_breaks_in(paragraph) for paragraph in element.iter(f"{_W}p"))
    if not any(line.text.strip() for line in lines):
        raise InputError("empty", "the DOCX holds no text")
    return ReadResult(format="docx", lines=lines, tables=tables, pages=page if has_breaks else None)


def _paragraph_text(element: Any) -> str:
    parts: list[str] = []
    for node in element.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            parts.append(node.text or "")
        elif node.tag == f"{_W}tab":
            parts.append("\t")
        elif node.tag == f"{_W}br" and node.get(f"{_W}type") not in ("page", "column"):
            parts.append(" ")
    return "".join(parts)


def _breaks_in(paragraph: Any) -> int:
    explicit = sum(1 for br in paragraph.iter(f"{_W}br") if br.get(f"{_W}type") == "page")
    rendered = sum(1 for _ in paragraph.iter(f"{_W}lastRenderedPageBreak"))
    return max(explicit, rendered)


def _has_page_breaks(body: Any) -> bool:
    for node in body.iter(f"{_W}br", f"{_W}lastRenderedPageBreak", f"{_W}pageBreakBefore"):
        if node.tag != f"{_W}br" or node.get(f"{_W}type") == "page":
            return True
    return False


def _table_rows(table: Any) -> Iterator[list[str | None]]:
    for row in table.iterchildren(f"{_W}tr"):
        cells: list[str | None] = []
        for cell in row.iterchildren(f"{_W}tc"):
            text = "".join(_paragraph_text(p) for p in cell.iterchildren(f"{_W}p")).strip()
            span = _grid_span(cell.find(f"{_W}tcPr/{_W}gridSpan"))
            merged_down = cell.find(f"{_W}tcPr/{_W}vMerge")
            continued = merged_down is not None and merged_down.get(f"{_W}val") != "restart"
            cells.append(None if continued else text)
            cells.extend([None] * (span - 1))
        yield cells


def _grid_span(node: Any) -> int:
    """Columns a cell spans; a missing, malformed or absurd value counts as one (a damaged
    file must not allocate a billion cells)."""
    if node is None:
        return 1
    value = node.get(f"{_W}val", "1")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= _MAX_SPAN:
        return 1
    return int(value)
