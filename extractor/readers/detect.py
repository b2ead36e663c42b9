"""Tell a file's real format from its first bytes, not from its name."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import IO

from .formats import Format

_OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")


def sniff_format(path: Path, data: bytes | None = None) -> Format:
    """The format the content shows, whatever the name says. With ``data`` (the file's bytes,
    already read) the file is not opened."""
    if data is None:
        with path.open("rb") as handle:
            head = handle.read(8192)
    else:
        head = data[:8192]
    if not head:
        return Format.EMPTY
    if b"%PDF-" in head[:1024]:
        return Format.PDF
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(path if data is None else io.BytesIO(data))
    if head.startswith(_OLE_MAGIC):
        return _ole_kind(path, data)
    if head.lstrip().startswith(b"{\\rtf"):
        return Format.RTF
    if _looks_like_text(head):
        return Format.HTML if looks_like_html(head) else Format.TXT
    return Format.BINARY


# What a web page starts with once a BOM, an XML declaration, comments and (in a saved .jsp
# or .asp page) server directives are passed over.
_HTML_START = re.compile(
    r"(?:\s|<\?xml[^>]*>|<!--.*?-->|<%.*?%>)*<(?:!doctype\s+html|html|head|body|meta|title|link)\b",
    re.IGNORECASE | re.DOTALL,
)
_HTML_ANYWHERE = re.compile(r"<html\b|<!doctype\s+html|<body\b", re.IGNORECASE)


def looks_like_html(head: bytes) -> bool:
    """A web page: it opens with HTML markup, or has <html>/<body> in its first 2 KB."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        utf16 = looks_like_utf16(head)
        text = head.decode(utf16 or "latin-1", errors="ignore")
    text = text.lstrip("\ufeff\xef\xbb\xbf")
    return bool(_HTML_START.match(text) or _HTML_ANYWHERE.search(text[:2048]))


def _zip_kind(path: Path | IO[bytes]) -> Format:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        # Starts like a zip but its directory (at the end) is unreadable: truncated.
        return Format.DAMAGED_ZIP
    if "word/document.xml" in names:
        return Format.DOCX
    if "xl/workbook.xml" in names:
        return Format.XLSX
    return Format.ZIP


def _ole_kind(path: Path, whole: bytes | None = None) -> Format:
    # The directory entries of an OLE2 file name its streams in UTF-16; the main stream
    # tells Word, Excel and WPS apart well enough to name the conversion needed.
    if whole is None:
        with path.open("rb") as handle:
            data = handle.read(4 * 1024 * 1024)
    else:
        data = whole[: 4 * 1024 * 1024]
    if "WordDocument".encode("utf-16-le") in data:
        return Format.DOC
    if "Workbook".encode("utf-16-le") in data or "Book".encode("utf-16-le") in data:
        return Format.XLS
    if "WpsDocument".encode("utf-16-le") in data or b"WPS" in data[:4096]:
        return Format.WPS
    return Format.OLE


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        return True
    nuls = head.count(b"\x00")
    if nuls and looks_like_utf16(head) is not None:
        return True
    # A few NUL bytes in otherwise ordinary text (a damaged export) leave it text; binary
    # formats hold many, and other control bytes besides.
    if nuls > len(head) * 0.02:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (0, 9, 10, 12, 13, 27))
    return controls <= len(head) * 0.01


def looks_like_utf16(head: bytes) -> str | None:
    """utf-16-le / utf-16-be for BOM-less UTF-16 text (every other byte mostly zero)."""
    sample = head[: len(head) - len(head) % 2][:4096]
    if len(sample) < 8:
        return None
    even_zero = sum(1 for byte in sample[0::2] if byte == 0) / (len(sample) / 2)
    odd_zero = sum(1 for byte in sample[1::2] if byte == 0) / (len(sample) / 2)
    # ASCII-heavy UTF-16 has one half almost all zero.
    if odd_zero > 0.3 and even_zero < 0.05:
        return "utf-16-le"
    if even_zero > 0.3 and odd_zero < 0.05:
        return "utf-16-be"
    if b"\x00" not in sample:
        return None
    # CJK-heavy UTF-16 has few zero bytes (only its ASCII: digits, line breaks). Either byte
    # order decodes, but only the right one gives common characters: swapped, "。" and
    # "2" become Latin and enclosed-CJK oddities.
    shares = {
        encoding: common_share(sample.decode(encoding, errors="replace"))
        for encoding in ("utf-16-le", "utf-16-be")
    }
    best = max(shares, key=lambda encoding: shares[encoding])
    return best if shares[best] >= 0.9 else None


def common_share(text: str) -> float:
    """Share of characters a Chinese document is made of: printable ASCII and line breaks,
    CJK ideographs, CJK and full-width punctuation."""
    common = sum(
        1
        for char in text
        if (char.isascii() and (char.isprintable() or char in "\t\n\r"))
        or "\u4e00" <= char <= "\u9fff"
        or "\u3000" <= char <= "\u303f"
        or "\uff00" <= char <= "\uffef"
    )
    return common / max(len(text), 1)
