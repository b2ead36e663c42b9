"""DOCX parts: find the main document part and the styles through the package relationships,
and parse them safely.

Any main part name, transitional or Strict OOXML namespace names, and a macro-enabled main
part (a .docm renamed .docx) are accepted: python-docx refuses the last and cannot find the
main part of a Strict package, so the reader does not go through it.
"""

from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..problems import ProblemCode
from .docx_names import W
from .docx_safety import ZIP_ERRORS

_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_CONTENT_TYPE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"
# Strict OOXML (ISO/IEC 29500 strict) spells the same vocabulary with other namespace names;
# a part is rewritten to the transitional names before it is parsed (a byte replacement of
# the namespace declarations: these names occur nowhere else that matters).
_STRICT_NAMES = (
    (
        b"http://purl.oclc.org/ooxml/wordprocessingml/main",
        b"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    ),
    (
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    ),
)


@dataclass
class Package:
    body: Any
    # The styles part, parsed only when some style can hide text (``w:vanish``): most
    # documents hide nothing and their styles need not be parsed at all.
    styles: Any | None
    macro_enabled: bool


def open_package(path: Path | IO[bytes]) -> Package:
    """The main part's body and the styles, found through the package relationships (any
    main part name, transitional or Strict names, a macro-enabled main part)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            main = _related(archive, names, "", "officeDocument") or "word/document.xml"
            if main not in names:
                raise InputError(ProblemCode.CORRUPT_DOCX, "the DOCX has no main document part")
            root = _parse_part(archive, main)
            styles_name = _related(archive, names, main, "styles")
            styles_data = _read_part(archive, styles_name) if styles_name else b""
            styles = _parse(styles_data, styles_name) if b"vanish" in styles_data else None
            macro_enabled = "word/vbaProject.bin" in names or "macroEnabled" in _content_type(
                archive, names, main
            )
    except ZIP_ERRORS as exc:
        raise InputError(
            ProblemCode.CORRUPT_DOCX, "the DOCX could not be read", detail=repr(exc)
        ) from exc
    body = root.find(f"{W}body")
    if body is None:
        raise InputError(
            ProblemCode.CORRUPT_DOCX, f"the DOCX main part {main} is not a Word document body"
        )
    return Package(body=body, styles=styles, macro_enabled=macro_enabled)


def _read_part(archive: zipfile.ZipFile, name: str) -> bytes:
    data = archive.read(name)
    for strict, transitional in _STRICT_NAMES:
        if strict in data:
            data = data.replace(strict, transitional)
    return data


def _parse(data: bytes, name: str | None) -> Any:
    from lxml import etree

    # No DTD, no entities, no network: check_package has refused parts that declare any,
    # and the parser would not act on them anyway.
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise InputError(
            ProblemCode.CORRUPT_DOCX,
            f"the DOCX part {name} is not well-formed XML",
            detail=str(exc),
        ) from exc


def _parse_part(archive: zipfile.ZipFile, name: str) -> Any:
    return _parse(_read_part(archive, name), name)


def _related(archive: zipfile.ZipFile, names: set[str], source: str, kind: str) -> str | None:
    """The part a relationship of ``kind`` (officeDocument, styles …) of ``source`` points
    to ("" for the package itself), in transitional or Strict spelling."""
    folder, _, base = source.rpartition("/")
    rels = f"{folder + '/' if folder else ''}_rels/{base}.rels"
    if rels not in names:
        return None
    for relation in _parse_part(archive, rels).iter(_PACKAGE_REL):
        if (relation.get("Type") or "").rsplit("/", 1)[-1] != kind:
            continue
        if relation.get("TargetMode") == "External":
            continue
        target = relation.get("Target") or ""
        joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
        name = posixpath.normpath(joined)
        if name in names:
            return name
    return None


def _content_type(archive: zipfile.ZipFile, names: set[str], part: str) -> str:
    if "[Content_Types].xml" not in names:
        return ""
    for override in _parse_part(archive, "[Content_Types].xml").iter(_CONTENT_TYPE):
        if (override.get("PartName") or "").lstrip("/") == part:
            return override.get("ContentType") or ""
    return ""
