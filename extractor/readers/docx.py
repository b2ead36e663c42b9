"""DOCX: paragraphs and tables in document order, after a safety check of the package.

A DOCX is a zip of XML parts. Before python-docx opens it, the package is checked without
decompressing more than the first 64 KB of each part: member count, declared uncompressed
size and compression ratio (zip bombs), and every part's prolog for DTDs and entity
declarations (XXE, billion laughs) in UTF-8 or UTF-16.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..models import Problem
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


# --- reading: what Word shows, once, in order ---------------------------------------------------
#
# The reader walks the XML itself (lxml) rather than python-docx's object model: python-docx
# refuses a macro-enabled main part (a .docm renamed .docx) and cannot find the main part of a
# Strict OOXML package; its paragraph and table lists skip content controls, nested tables and
# text boxes; and what is visible (hidden text, tracked changes, a text box and its fallback
# copy) has to be decided run by run anyway.

_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
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
_OFF = frozenset({"0", "false", "off"})

_P, _R, _T, _TBL, _TR, _TC = (f"{_W}{name}" for name in ("p", "r", "t", "tbl", "tr", "tc"))
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_DEL, _MOVE_FROM, _DEL_TEXT = f"{_W}del", f"{_W}moveFrom", f"{_W}delText"
_TXBX_CONTENT = f"{_W}txbxContent"
_ALTERNATE, _CHOICE, _FALLBACK = (
    f"{_MC}AlternateContent",
    f"{_MC}Choice",
    f"{_MC}Fallback",
)
# Inline containers whose runs are read where they stand.
_INLINE_WRAPPERS = frozenset(
    f"{_W}{name}"
    for name in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")
)
# Block-level containers whose paragraphs and tables are read where they stand.
_BLOCK_WRAPPERS = frozenset({_CUSTOM_XML, f"{_W}ins", f"{_W}moveTo"})
_SPACE_BREAKS = frozenset({f"{_W}br", f"{_W}cr"})
_TABS = frozenset({f"{_W}tab", f"{_W}ptab"})


def _on_off(node: Any | None) -> bool | None:
    """A WordprocessingML on/off property: None when absent; present without a value is on."""
    if node is None:
        return None
    value = node.get(f"{_W}val")
    return value is None or value.strip().lower() not in _OFF


@dataclass
class _Dropped:
    """Text the reader left out for one reason: how much, where, and a sample."""

    chars: int = 0
    count: int = 0
    paragraphs: list[int] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    samples: list[str] = field(default_factory=list)

    def add(self, text: str, paragraph: int, page: int | None) -> None:
        if not text.strip():
            return
        self.chars += len(text)
        self.count += 1
        if paragraph not in self.paragraphs:
            self.paragraphs.append(paragraph)
        if page is not None:
            self.pages.add(page)
        if len(self.samples) < 5:
            self.samples.append(text.strip()[:60])

    def where(self) -> str:
        shown = ", ".join(str(number) for number in self.paragraphs[:10])
        more = f" and {len(self.paragraphs) - 10} more" if len(self.paragraphs) > 10 else ""
        return f"paragraph{'s' if len(self.paragraphs) > 1 else ''} {shown}{more}"

    def detail(self) -> str:
        return "; ".join(self.samples)


class _Styles:
    """Which paragraph and character styles hide their text (``w:vanish``), through their
    ``basedOn`` chains, and whether the document defaults do."""

    def __init__(self, root: Any | None) -> None:
        self._vanish: dict[str, bool | None] = {}
        self._based_on: dict[str, str] = {}
        self._resolved: dict[str | None, bool | None] = {}
        self.default_paragraph: str | None = None
        self.default_hidden = False
        if root is None:
            return
        default = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr/{_W}vanish")
        self.default_hidden = bool(_on_off(default))
        for style in root.iterchildren(f"{_W}style"):
            style_id = style.get(f"{_W}styleId")
            if not style_id:
                continue
            self._vanish[style_id] = _on_off(style.find(f"{_W}rPr/{_W}vanish"))
            based_on = style.find(f"{_W}basedOn")
            if based_on is not None and based_on.get(f"{_W}val"):
                self._based_on[style_id] = based_on.get(f"{_W}val")
            default_flag = (style.get(f"{_W}default") or "").lower() in ("1", "true", "on")
            if style.get(f"{_W}type") == "paragraph" and default_flag:
                self.default_paragraph = style_id

    def hidden(self, style_id: str | None) -> bool | None:
        """The style's own or inherited w:vanish, None if no style in the chain sets it."""
        if style_id not in self._resolved:
            value: bool | None = None
            seen: set[str] = set()
            current = style_id
            while current and current not in seen:  # a basedOn loop ends the chain
                seen.add(current)
                value = self._vanish.get(current)
                if value is not None:
                    break
                current = self._based_on.get(current)
            self._resolved[style_id] = value
        return self._resolved[style_id]

    def paragraph_hidden(self, paragraph: Any) -> bool:
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        style_id = style.get(f"{_W}val") if style is not None else self.default_paragraph
        value = self.hidden(style_id)
        return self.default_hidden if value is None else value

    def run_hidden(self, properties: Any | None, paragraph_hidden: bool) -> bool:
        """Direct formatting first, then the run's character style, then the paragraph's."""
        if properties is None:
            return paragraph_hidden
        direct = _on_off(properties.find(f"{_W}vanish"))
        if direct is not None:
            return direct
        style = properties.find(f"{_W}rStyle")
        if style is not None:
            value = self.hidden(style.get(f"{_W}val"))
            if value is not None:
                return value
        return paragraph_hidden


@dataclass
class _Package:
    body: Any
    styles: _Styles
    macro_enabled: bool


def _open_package(path: Path | IO[bytes]) -> _Package:
    """The main part's body and the styles, found through the package relationships (any
    main part name, transitional or Strict names, a macro-enabled main part)."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            main = _related(archive, names, "", "officeDocument") or "word/document.xml"
            if main not in names:
                raise InputError("corrupt_docx", "the DOCX has no main document part")
            root = _parse_part(archive, main)
            styles_name = _related(archive, names, main, "styles")
            styles_data = _read_part(archive, styles_name) if styles_name else b""
            # Most documents hide nothing: their styles need not be parsed at all.
            styles = _Styles(_parse(styles_data, styles_name) if b"vanish" in styles_data else None)
            macro_enabled = "word/vbaProject.bin" in names or "macroEnabled" in _content_type(
                archive, names, main
            )
    except _ZIP_ERRORS as exc:
        raise InputError("corrupt_docx", "the DOCX could not be read", detail=repr(exc)) from exc
    body = root.find(f"{_W}body")
    if body is None:
        raise InputError("corrupt_docx", f"the DOCX main part {main} is not a Word document body")
    return _Package(body=body, styles=styles, macro_enabled=macro_enabled)


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
            "corrupt_docx", f"the DOCX part {name} is not well-formed XML", detail=str(exc)
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


class _Reader:
    """Walks the body in reading order and collects lines, tables and what it left out."""

    def __init__(self, styles: _Styles, has_breaks: bool) -> None:
        self.styles = styles
        self.has_breaks = has_breaks
        self.lines: list[Line] = []
        self.tables: list[TableBlock] = []
        self.page = 1
        self.number = 0
        self.hidden = _Dropped()
        self.tracked = _Dropped()
        self.duplicate_boxes = _Dropped()
        self.layout_tables = _Dropped()

    @property
    def current_page(self) -> int | None:
        return self.page if self.has_breaks else None

    # -- blocks: paragraphs, tables, content controls, text boxes ------------------------------

    def block(self, container: Any, cell: list[str] | None = None) -> None:
        """Read the paragraphs and tables of a container in order: as lines of the document,
        or, inside a table cell (``cell``), as the pieces of the cell's text."""
        for element in container.iterchildren():
            tag = element.tag
            if tag == _P:
                self.paragraph(element, cell)
            elif tag == _TBL:
                if cell is None:
                    self.table(element)
                else:  # a table inside a cell of a data table: its text joins the cell's
                    cell.extend(value or "" for row in self.table_rows(element) for value in row)
            elif tag == _SDT:
                content = element.find(_SDT_CONTENT)
                if content is not None:
                    self.block(content, cell)
            elif tag in _BLOCK_WRAPPERS:
                self.block(element, cell)
            elif tag == _ALTERNATE:
                branch = self.branch(element)
                if branch is not None:
                    self.block(branch, cell)
            elif tag in (_DEL, _MOVE_FROM):
                self.tracked.add(_all_text(element), self.number + 1, self.current_page)

    def paragraph(self, element: Any, cell: list[str] | None = None) -> None:
        if cell is None and self.lines and _on_off(element.find(f"{_W}pPr/{_W}pageBreakBefore")):
            self.page += 1
        pieces: list[str] = []
        boxes: list[Any] = []
        breaks = [0, 0]  # explicit page breaks, and breaks Word rendered there
        self.inline(element, pieces, boxes, self.styles.paragraph_hidden(element), breaks)
        text = "".join(pieces)
        if cell is not None:
            cell.append(text)
        else:
            self.number += 1
            self.lines.append(
                Line(text=text, page=self.current_page, paragraph=self.number, continues=False)
            )
        self.page += max(breaks)
        # A text box anchored in the paragraph is read after it, once.
        for box in boxes:
            self.block(box, cell)

    def table(self, element: Any) -> None:
        rows = list(self.rows(element))
        if _is_layout(rows):
            # A table used to lay the page out (one cell, one column, or holding other
            # tables): its paragraphs and tables are read in order, cell by cell.
            self.layout_tables.add(_all_text(element) or " ", self.number + 1, self.current_page)
            for row in rows:
                for cell in row:
                    self.block(cell)
            return
        start_page = self.current_page  # page breaks in the cells count for what follows
        values = self.table_rows(element, rows)
        caption = [line.text for line in self.lines[-6:] if line.text.strip() and not line.in_table]
        self.tables.append(
            TableBlock(
                rows=values, page=start_page, first_line=len(self.lines), caption=caption[-4:]
            )
        )
        for row in values:
            self.number += 1
            self.lines.append(
                Line(
                    text="\t".join(value or "" for value in row),
                    page=start_page,
                    paragraph=self.number,
                    continues=False,
                    in_table=True,
                )
            )

    def table_rows(
        self, element: Any, rows: list[list[Any]] | None = None
    ) -> list[list[str | None]]:
        values: list[list[str | None]] = []
        for row in rows if rows is not None else self.rows(element):
            cells: list[str | None] = []
            for cell in row:
                pieces: list[str] = []
                self.block(cell, pieces)
                span = _grid_span(cell.find(f"{_W}tcPr/{_W}gridSpan"))
                merged_down = cell.find(f"{_W}tcPr/{_W}vMerge")
                continued = merged_down is not None and merged_down.get(f"{_W}val") != "restart"
                cells.append(None if continued else "".join(pieces).strip())
                cells.extend([None] * (span - 1))
            values.append(cells)
        return values

    def rows(self, table: Any) -> Iterator[list[Any]]:
        """The table's rows as lists of cell elements (rows and cells may sit in content
        controls); rows deleted by tracked changes are left out."""
        for row in _children(table, _TR):
            if row.find(f"{_W}trPr/{_W}del") is not None:
                self.tracked.add(_all_text(row), self.number + 1, self.current_page)
                continue
            yield list(_children(row, _TC))

    # -- inline content: runs, and what wraps them ----------------------------------------------

    def inline(
        self, node: Any, pieces: list[str], boxes: list[Any], hidden: bool, breaks: list[int]
    ) -> None:
        """Append the visible text under ``node`` (a paragraph or an inline wrapper), collect
        its text boxes and count its page breaks."""
        for child in node.iterchildren():
            tag = child.tag
            if tag == _R:
                self.run(child, child, pieces, boxes, hidden, breaks)
            elif tag in _INLINE_WRAPPERS:
                self.inline(child, pieces, boxes, hidden, breaks)
            elif tag == _SDT:
                content = child.find(_SDT_CONTENT)
                if content is not None:
                    self.inline(content, pieces, boxes, hidden, breaks)
            elif tag == _ALTERNATE:
                branch = self.branch(child)
                if branch is not None:
                    self.inline(branch, pieces, boxes, hidden, breaks)
            elif tag in (_DEL, _MOVE_FROM):
                # Tracked changes: the document is read as it reads with them accepted.
                self.tracked.add(_all_text(child), self.number + 1, self.current_page)

    def run(
        self,
        run: Any,
        node: Any,
        pieces: list[str],
        boxes: list[Any],
        paragraph_hidden: bool,
        breaks: list[int],
    ) -> None:
        hidden = self.styles.run_hidden(run.find(f"{_W}rPr"), paragraph_hidden)
        for child in node.iterchildren():
            tag = child.tag
            if tag == _T:
                if hidden:
                    self.hidden.add(child.text or "", self.number + 1, self.current_page)
                else:
                    pieces.append(child.text or "")
            elif tag in _TABS:
                pieces.append("\t")
            elif tag in _SPACE_BREAKS:
                kind = child.get(f"{_W}type")
                if kind == "page":
                    breaks[0] += 1
                elif kind != "column":
                    pieces.append(" ")
            elif tag == f"{_W}noBreakHyphen":
                pieces.append("-")
            elif tag == f"{_W}lastRenderedPageBreak":
                breaks[1] += 1
            elif tag == _DEL_TEXT:
                self.tracked.add(child.text or "", self.number + 1, self.current_page)
            elif tag == _ALTERNATE:
                branch = self.branch(child)
                if branch is not None:
                    self.run(run, branch, pieces, boxes, paragraph_hidden, breaks)
            elif tag in (f"{_W}drawing", f"{_W}pict", f"{_W}object"):
                found: list[Any] = []
                self.find_boxes(child, found)
                if hidden:
                    for box in found:
                        self.hidden.add(_all_text(box), self.number + 1, self.current_page)
                else:
                    boxes.extend(found)

    def find_boxes(self, node: Any, boxes: list[Any]) -> None:
        """Text box contents inside a drawing (a nested box is read when its box is)."""
        for child in node.iterchildren():
            if child.tag == _TXBX_CONTENT:
                boxes.append(child)
            elif child.tag == _ALTERNATE:
                branch = self.branch(child)
                if branch is not None:
                    self.find_boxes(branch, boxes)
            elif isinstance(child.tag, str):
                self.find_boxes(child, boxes)

    def branch(self, alternate: Any) -> Any | None:
        """The one branch of an mc:AlternateContent to read: the first mc:Choice (a DrawingML
        text box, say), or the mc:Fallback (its VML copy for old Word versions) where the
        choice holds no text. Never both: Word writes every text box twice this way."""
        choice = alternate.find(_CHOICE)
        fallback = alternate.find(_FALLBACK)
        if choice is None:
            return fallback
        if fallback is None or not _has_text(fallback):
            return choice
        if not _has_text(choice):
            return fallback
        if next(fallback.iter(_TXBX_CONTENT), None) is not None:
            self.duplicate_boxes.add(_all_text(fallback), self.number + 1, self.current_page)
        return choice

    # -- the result ----------------------------------------------------------------------------

    def warnings(self, macro_enabled: bool) -> list[Problem]:
        found: list[Problem] = []

        def add(code: str, dropped: _Dropped, message: str) -> None:
            if dropped.chars:
                found.append(
                    Problem(
                        code=code,
                        message=message,
                        pages=sorted(dropped.pages),
                        detail=dropped.detail() or None,
                    )
                )

        hidden, tracked, boxes, layout = (
            self.hidden,
            self.tracked,
            self.duplicate_boxes,
            self.layout_tables,
        )
        add(
            "hidden_text",
            hidden,
            f"{hidden.chars:,} characters of hidden text (Word's hidden font setting, set"
            f" directly or by a style) were not read, in {hidden.where()}",
        )
        add(
            "tracked_changes_old_text",
            tracked,
            f"{tracked.chars:,} characters that tracked changes mark as deleted or moved away"
            f" were not read (the text is read with its changes accepted), at {tracked.where()}",
        )
        add(
            "duplicate_text_box",
            boxes,
            f"{boxes.count} text box(es) stored twice (a drawing and its VML"
            f" fallback copy) were read once, at {boxes.where()}",
        )
        add(
            "layout_table",
            layout,
            f"{layout.count} table(s) used for"
            f" layout (one cell, one column, or holding other tables) were read as paragraphs,"
            f" at {layout.where()}",
        )
        if macro_enabled:
            found.append(
                Problem(
                    code="macro_enabled",
                    message="the package is a macro-enabled Word document (.docm); its text"
                    " was read, its macros were not run",
                )
            )
        return found


def _children(node: Any, tag: str) -> Iterator[Any]:
    for child in node.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == _SDT:
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == _CUSTOM_XML:
            yield from _children(child, tag)


def _is_layout(rows: list[list[Any]]) -> bool:
    """A table that lays out the page rather than holding figures: a single cell, a single
    column, or cells holding other tables."""
    cells = [cell for row in rows for cell in row]
    if not cells:
        return False
    if all(len(row) <= 1 for row in rows):
        return True
    return any(next(cell.iter(_TBL), None) is not None for cell in cells)


def _has_text(node: Any) -> bool:
    return any((t.text or "").strip() for t in node.iter(_T))


def _all_text(node: Any) -> str:
    return "".join(t.text or "" for t in node.iter(_T, _DEL_TEXT))


def read_docx(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    source: Path | IO[bytes] = path if data is None else io.BytesIO(data)
    check_package(source, limits)
    if not isinstance(source, Path):
        source.seek(0)
    package = _open_package(source)
    has_breaks = _has_page_breaks(package.body)
    reader = _Reader(package.styles, has_breaks)
    reader.block(package.body)
    warnings = reader.warnings(package.macro_enabled)
    if not any(line.text.strip() for line in reader.lines):
        if reader.hidden.chars:
            raise InputError(
                "empty",
                f"the DOCX holds no visible text ({reader.hidden.chars:,} characters are hidden)",
            )
        raise InputError("empty", "the DOCX holds no text")
    return ReadResult(
        format="docx",
        lines=reader.lines,
        tables=reader.tables,
        pages=reader.page if has_breaks else None,
        warnings=warnings,
    )


def _has_page_breaks(body: Any) -> bool:
    for node in body.iter(f"{_W}br", f"{_W}lastRenderedPageBreak", f"{_W}pageBreakBefore"):
        if node.tag != f"{_W}br" or node.get(f"{_W}type") == "page":
            return True
    return False


def _grid_span(node: Any) -> int:
    """Columns a cell spans; a missing, malformed or absurd value counts as one (a damaged
    file must not allocate a billion cells)."""
    if node is None:
        return 1
    value = node.get(f"{_W}val", "1")
    if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= _MAX_SPAN:
        return 1
    return int(value)
