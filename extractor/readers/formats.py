"""The formats a file can turn out to be, and the one table of file-name suffixes."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path


class Format(StrEnum):
    """What a file's first bytes say it is (``source.format``). EMPTY and DAMAGED_ZIP are no
    format but what looking found; each member has a reader or a refusal (readers.registry)."""

    PDF = "pdf"
    DOCX = "docx"
    TXT = "txt"
    HTML = "html"
    # Legacy formats LibreOffice converts (--convert).
    DOC = "doc"
    WPS = "wps"
    RTF = "rtf"
    XLS = "xls"
    OLE = "ole"
    # Recognised, never read.
    XLSX = "xlsx"
    ZIP = "zip"
    BINARY = "binary"
    EMPTY = "empty"
    DAMAGED_ZIP = "damaged_zip"

    @property
    def is_document(self) -> bool:
        """A format that holds notes, read as it is or after conversion: folders are searched
        for its suffixes by default (not spreadsheets, archives, binary data)."""
        return self in _DOCUMENTS

    @property
    def description(self) -> str:
        """The format in a sentence of an error message ("this is …")."""
        return _DESCRIPTIONS.get(self, self.value)


_DOCUMENTS = frozenset(
    {Format.PDF, Format.DOCX, Format.TXT, Format.HTML, Format.DOC, Format.WPS, Format.RTF}
)

_DESCRIPTIONS = {
    Format.DOC: "a legacy Word .doc file",
    Format.WPS: "a WPS Writer .wps file",
    Format.XLS: "a legacy Excel .xls file",
    Format.XLSX: "an Excel workbook",
    Format.OLE: "a legacy Office (OLE2) file",
    Format.RTF: "an RTF file",
    Format.ZIP: "a zip archive that is not a DOCX",
    Format.BINARY: "binary data of no known document format",
}

# The format a file's name claims, by its suffix. The order is that of the default
# ``--include`` patterns (its document formats, see Format.is_document).
SUFFIXES: dict[str, Format] = {
    ".pdf": Format.PDF,
    ".docx": Format.DOCX,
    ".docm": Format.DOCX,
    ".doc": Format.DOC,
    ".wps": Format.WPS,
    ".rtf": Format.RTF,
    ".txt": Format.TXT,
    ".text": Format.TXT,
    ".md": Format.TXT,
    ".html": Format.HTML,
    ".htm": Format.HTML,
    ".shtml": Format.HTML,
    ".xhtml": Format.HTML,
    ".jsp": Format.HTML,
    ".asp": Format.HTML,
    ".aspx": Format.HTML,
    ".xls": Format.XLS,
    ".et": Format.XLS,
    ".xlsx": Format.XLSX,
}


def format_from_suffix(path: Path) -> Format | None:
    return SUFFIXES.get(path.suffix.lower())


# Read as text when named, but not searched for in folders: the README.md beside a download
# (or a corpus) is no note, and would fail the run.
_NOT_SEARCHED = frozenset({".md"})


def document_patterns() -> tuple[str, ...]:
    """``*.pdf``, ``*.docx`` …: a pattern for each suffix of a document format."""
    return tuple(
        f"*{suffix}"
        for suffix, found in SUFFIXES.items()
        if found.is_document and suffix not in _NOT_SEARCHED
    )


# Document formats (.doc/.wps/.rtf need --convert) and saved web pages, from the one suffix
# table. Not spreadsheets, images, JSON, CSV.
DEFAULT_INCLUDE = document_patterns()
# Office and LibreOffice owner files (~$name.docx, .~lock.name.docx#), macOS resource forks
# (._name.pdf), the scraper's source-URL sidecars (<file>.source.txt), downloads still in
# progress. Hidden folders (.git, .cache …) are not walked either.
DEFAULT_EXCLUDE = (
    "~$*",
    ".~lock.*",
    "._*",
    "*.source.txt",
    "*.part",
    "*.crdownload",
    "*.download",
    "*.tmp",
)
