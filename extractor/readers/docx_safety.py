"""DOCX package safety: refuse a zip that is unsafe to open before anything parses it.

A DOCX is a zip of XML parts. The package is checked without decompressing more than the
first 64 KB of each part: member count, declared uncompressed size and compression ratio
(zip bombs), and every part's prolog for DTDs and entity declarations (XXE, billion laughs)
in UTF-8 or UTF-16.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from pathlib import Path
from typing import IO

from ..errors import InputError
from ..problems import ProblemCode
from .limits import Limits

_PROLOG_BYTES = 64 * 1024


# What reading a damaged zip member can raise: a bad CRC or header, a corrupt deflate
# stream (zlib.error), an unknown compression method, an encrypted member (RuntimeError).
ZIP_ERRORS = (
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


def check_package(path: Path | IO[bytes], limits: Limits) -> None:
    """Raise InputError if the zip package is unsafe or too large to open."""
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_ERRORS as exc:
        raise InputError(
            ProblemCode.CORRUPT_DOCX, "the DOCX is not a readable zip package", detail=str(exc)
        ) from exc
    with archive:
        members = archive.infolist()
        if len(members) > limits.max_docx_members:
            raise InputError(
                ProblemCode.UNSAFE_DOCX,
                f"the DOCX holds {len(members):,} parts, over the limit of"
                f" {limits.max_docx_members:,}",
            )
        total = sum(member.file_size for member in members)
        if total > limits.max_docx_uncompressed:
            raise InputError(
                ProblemCode.TOO_LARGE,
                f"the DOCX unpacks to {total:,} bytes, over the limit of"
                f" {limits.max_docx_uncompressed:,} (--max-docx-unpacked)",
            )
        for member in members:
            ratio = member.file_size / max(member.compress_size, 1)
            if member.file_size > 1024 * 1024 and ratio > limits.max_docx_ratio:
                raise InputError(
                    ProblemCode.UNSAFE_DOCX,
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
    except ZIP_ERRORS as exc:
        raise InputError(
            ProblemCode.CORRUPT_DOCX, f"the DOCX part {member.filename} is damaged", detail=str(exc)
        ) from exc
    problem = prolog_problem(head, complete=member.file_size <= len(head))
    if problem:
        raise InputError(
            ProblemCode.UNSAFE_DOCX, f"the DOCX part {member.filename} {problem}; refused"
        )


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
