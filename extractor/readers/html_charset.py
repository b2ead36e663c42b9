"""Web pages: the charset to decode a page with, and its text.

A BOM, else the charset the page declares (``<meta charset>``, the ``http-equiv`` content
type, an XML declaration), else UTF-8 or GB18030 by what decodes. A page declaring a legacy
charset that is valid UTF-8 throughout is UTF-8 (a CMS that changed encodings and kept its
templates).
"""

from __future__ import annotations

import codecs
import re

from ..models import Problem
from ..problems import ProblemCode
from .detect import looks_like_utf16

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""")
# WHATWG encoding labels that Chinese pages use, mapped to the Python codec to decode with
# (GB18030 is a superset of GB2312 and GBK).
_CHARSETS = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "chinese": "gb18030",
    "csgb2312": "gb18030",
    "iso-ir-58": "gb18030",
    "gb18030": "gb18030",
    "hz-gb-2312": "hz",
    "big5": "big5hkscs",
    "big5-hkscs": "big5hkscs",
    "utf8": "utf-8",
    "utf-8": "utf-8",
    "unicode-1-1-utf-8": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "windows-1252": "cp1252",
}


def decode_html(data: bytes) -> tuple[str, str, list[Problem]]:
    """The page's text, the encoding it was read with, and any warnings."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding.removesuffix("-sig"), []
    utf16 = looks_like_utf16(data[:4096])
    if utf16:
        return data.decode(utf16, errors="replace"), utf16, []
    declared = declared_charset(data)
    utf8 = _strict(data, "utf-8")
    if declared is not None:
        codec = _CHARSETS.get(declared.lower())
        if codec is None:
            try:
                codec = codecs.lookup(declared).name
            except LookupError:
                codec = None
        if codec is not None and codec != "utf-8" and utf8 is not None and not data.isascii():
            warning = Problem(
                code=ProblemCode.CHARSET_MISMATCH,
                message=f"the page declares the charset {declared} but is UTF-8 throughout;"
                " read as UTF-8",
            )
            return utf8, "utf-8", [warning]
        if codec is not None:
            strict = _strict(data, codec)
            if strict is not None:
                return strict, codec, []
            if utf8 is not None:
                return utf8, "utf-8", []
            warning = Problem(
                code=ProblemCode.ENCODING_GUESSED,
                message=f"the page is not valid {declared} throughout; undecodable bytes were"
                " replaced, check the figures",
            )
            return data.decode(codec, errors="replace"), codec, [warning]
    if utf8 is not None:
        return utf8, "utf-8", []
    gb = _strict(data, "gb18030")
    if gb is not None:
        return gb, "gb18030", []
    warning = Problem(
        code=ProblemCode.ENCODING_GUESSED,
        message="the page declares no charset and is neither UTF-8 nor GB18030; read as"
        " GB18030 with undecodable bytes replaced, check the figures",
    )
    return data.decode("gb18030", errors="replace"), "gb18030", [warning]


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first 8 KB: a meta element or an XML declaration."""
    head = data[:8192]
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii", errors="replace") if match else None


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
