"""Web pages (.html, .htm, .shtml, saved .jsp/.asp pages): the article's text, in reading
order, one line per paragraph, with its tables as tables.

Many governments publish a budget note as an HTML article. A saved page holds much besides
the article: navigation, scripts, styles, forms, link lists, footers. The reader

1. decodes the page: a BOM, else the charset the page declares (``<meta charset>``, the
   ``http-equiv`` content type, an XML declaration), else UTF-8 or GB18030 by what decodes;
   a page declaring a legacy charset that is valid UTF-8 throughout is UTF-8 (a CMS that
   changed encodings and kept its templates);
2. parses it with lxml's HTML parser (libxml2: fast, lenient with broken markup, no network,
   no entity expansion) and removes what a reader never sees as article text: scripts,
   styles, forms, navigation, headers and footers, asides, frames, and elements hidden by
   ``hidden``, ``display:none`` or ``visibility:hidden``;
3. picks the article: each paragraph scores for the block that holds it (and half for that
   block's parent) by its length and its punctuation, blocks lose the share of their text that
   is link text, and the best block wins, with its siblings that score nearly as well; the
   headings directly above it (the article title) come with it. Nothing is keyed to a site;
4. reads the article in document order: block elements and ``<br>`` end a line; a table with
   rows of several cells is a table (``TableBlock``, so the standard-table code sees it), a
   table used for layout (one cell or one column, or holding other tables) is read as text.

A page without article text (an empty frame set, a page whose content a script loads) is an
input error, ``no_article_text``.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Problem
from .base import Limits, Line, ReadResult, TableBlock, check_text_size

# Elements whose content is never article text.
_JUNK = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
        "input",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "canvas",
        "svg",
        "map",
        "menu",
        "dialog",
    }
)
# Inside an <article> or <main>, a <header> holds the article's title: the article's, not the
# site's. (A <footer> there holds the byline and share links: still not article text.)
_ARTICLE_PARTS = frozenset({"header"})
# Elements that start and end a line of text.
_BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\n\r\f\v]+")
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_PUNCTUATION = re.compile(r"[，。、；：,;]")
_AMOUNT = re.compile(r"\d\s*(?:万元|亿元|元)")
# Paragraph-like blocks score for the block that holds them; other blocks with text of their
# own (a div of text lines split by <br>) score for themselves.
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "td", "th"}
)
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
# A page whose article has fewer visible characters than this has none.
_MIN_ARTICLE_CHARS = 20


def read_html(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    if data is None:
        data = path.read_bytes()
    text, encoding, warnings = decode_html(data)
    check_text_size(text, limits, "the page")
    root = _parse(text)
    page = _Page(root)
    article = page.article()
    reader = _ArticleReader()
    for element in article:
        reader.element(element)
    reader.flush()
    if sum(len(line.text.strip()) for line in reader.lines) < _MIN_ARTICLE_CHARS:
        raise InputError("no_article_text", page.why_no_article())
    if page.hidden_figures:
        warnings.append(
            Problem(
                code="hidden_text",
                message=f"{len(page.hidden_figures)} hidden element(s) of the page (hidden,"
                " display:none, visibility:hidden) hold amounts; they were not read",
                detail="; ".join(page.hidden_figures[:5]),
            )
        )
    return ReadResult(
        format="html",
        lines=reader.lines,
        tables=reader.tables,
        encoding=encoding,
        warnings=warnings,
    )


# --- decoding -----------------------------------------------------------------------------------


def decode_html(data: bytes) -> tuple[str, str, list[Problem]]:
    """The page's text, the encoding it was read with, and any warnings."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding.removesuffix("-sig"), []
    from .detect import looks_like_utf16

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
                code="charset_mismatch",
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
                code="encoding_guessed",
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
        code="encoding_guessed",
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


def _parse(text: str) -> Any:
    from lxml import etree

    # Control characters show nothing and lxml refuses them in a tree's text.
    text = _CONTROLS.sub("", text)
    # Bytes with a stated encoding: lxml refuses a str that carries an XML declaration.
    # Plain elements (lxml.etree, not lxml.html's element classes: their lookup costs a third
    # of the reading time and nothing here needs them).
    parser = etree.HTMLParser(
        encoding="utf-8", remove_comments=True, remove_pis=True, no_network=True
    )
    try:
        root = etree.fromstring(text.encode("utf-8", errors="replace"), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise InputError("no_article_text", "the page holds no text", detail=str(exc)) from exc
    if root is None:
        raise InputError("no_article_text", "the page holds no text")
    return root


def _text(element: Any) -> str:
    return "".join(element.itertext())


def _drop(element: Any) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


# --- the article --------------------------------------------------------------------------------


def _tag(element: Any) -> str:
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def _is_hidden(element: Any) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


_CENTRED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)


def _title_like(element: Any, own: str) -> bool:
    """A title line set as a block rather than a heading: short, no colon (a date or source
    line has one), no links, and centred or all in bold."""
    if len(own) > 60 or any(mark in own for mark in "：:。") or _own_links(element).strip():
        return False
    if (element.get("align") or "").lower() == "center" or _CENTRED.search(
        element.get("style") or ""
    ):
        return True
    bold = "".join(_own_text(child) for child in element if _tag(child) in ("b", "strong", "font"))
    return _SPACES.sub("", bold) == own


def _parent(element: Any | None) -> Any | None:
    return element.getparent() if element is not None else None


def _own_links(element: Any) -> str:
    """Link text among an element's own (inline) text."""
    parts: list[str] = []
    for child in element:
        if _tag(child) in _BLOCKS:
            continue
        parts.append(_own_text(child) if _tag(child) == "a" else _own_links(child))
    return "".join(parts)


def _own_text(element: Any) -> str:
    """Text of an element and its inline descendants, not of nested blocks."""
    parts = [element.text or ""]
    for child in element:
        if _tag(child) not in _BLOCKS:
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


@dataclass
class _Score:
    score: float = 0.0
    chars: int = 0
    link_chars: int = 0


class _Page:
    """The page with junk removed, and the article found by scoring its blocks."""

    def __init__(self, root: Any) -> None:
        self.frames = len(root.xpath("//frame|//iframe"))
        self.scripts = len(root.xpath("//script"))
        body = root.find("body")
        self.body = body if body is not None else root
        # Hidden elements that hold amounts: a person does not see them, a reader that took
        # them would count them.
        self.hidden_figures: list[str] = []
        junk: list[Any] = []
        stack = [(self.body, False)]
        while stack:
            element, in_article = stack.pop()
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                tag = _tag(child)
                if tag in _JUNK and not (in_article and tag in _ARTICLE_PARTS):
                    junk.append(child)
                elif _is_hidden(child):
                    junk.append(child)
                    text = _SPACES.sub(" ", _text(child)).strip()
                    if _AMOUNT.search(text):
                        self.hidden_figures.append(text[:60])
                else:
                    stack.append((child, in_article or tag in ("article", "main")))
        for element in junk:
            _drop(element)

    def article(self) -> list[Any]:
        """The elements that make up the article, in document order."""
        scores: dict[Any, _Score] = {}
        for element in self.body.iter():
            if not isinstance(element.tag, str) or _tag(element) not in _BLOCKS:
                continue
            own = _SPACES.sub("", _own_text(element))
            if len(own) < 5:
                continue
            links = min(len(_SPACES.sub("", _own_links(element))), len(own))
            value = 1 + len(_PUNCTUATION.findall(own)) + min(len(own) / 100, 3)
            parent = element.getparent()
            if _tag(element) in _PARAGRAPHS:
                holders = [(parent, 1.0), (_parent(parent), 0.5)]
            else:
                holders = [(element, 1.0), (parent, 0.5)]
            for holder, share in holders:
                if holder is None:
                    continue
                entry = scores.setdefault(holder, _Score())
                entry.score += value * share
                entry.chars += len(own)
                entry.link_chars += links
        if not scores:
            return []

        def adjusted(element: Any) -> float:
            entry = scores[element]
            return entry.score * (1 - entry.link_chars / max(entry.chars, 1))

        best = max(scores, key=adjusted)
        top = adjusted(best)
        parent = best.getparent()
        chosen = [best]
        if parent is not None:
            chosen = [
                sibling
                for sibling in parent
                if sibling is best or (sibling in scores and adjusted(sibling) >= 0.25 * top)
            ]
        inside = {id(element) for chosen_element in chosen for element in chosen_element.iter()}
        title = [h for h in self.title_above(chosen[0]) if id(h) not in inside]
        return title + chosen

    def title_above(self, first: Any) -> list[Any]:
        """The headings directly above the article (its title), passing over a few short
        lines between them that are neither headings nor links (date, source)."""
        order = [element for element in self.body.iter() if isinstance(element.tag, str)]
        position = next(index for index, element in enumerate(order) if element is first)
        ancestors = {id(element) for element in first.iterancestors()}
        found: list[Any] = []
        skipped = 0
        for element in reversed(order[:position]):
            if id(element) in ancestors:
                continue
            if _tag(element) in _HEADINGS:
                if _SPACES.sub("", _text(element)):
                    found.insert(0, element)
                continue
            if _tag(element) not in _BLOCKS:
                continue
            own = _SPACES.sub("", _own_text(element))
            if not own:
                continue
            if _title_like(element, own):
                found.insert(0, element)
                continue
            links = len(_SPACES.sub("", _own_links(element)))
            if found or skipped >= 3 or len(own) > 60 or links > len(own) / 2:
                break
            skipped += 1
        # A heading inside another is read with it.
        ids = {id(heading) for heading in found}
        return [h for h in found if not any(id(a) in ids for a in h.iterancestors())]

    def why_no_article(self) -> str:
        if self.frames:
            return (
                f"the page holds no article text: it is a frame set ({self.frames} frame(s));"
                " save the framed page itself"
            )
        if self.scripts:
            return (
                "the page holds no article text (its content may be loaded by a script);"
                " save the page after it has loaded, or its PDF/DOCX attachment"
            )
        return "the page holds no article text"


class _ArticleReader:
    """The article's elements → lines (one per paragraph) and tables."""

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self.tables: list[TableBlock] = []
        self.current: list[str] = []
        self.number = 0
        self.pre = 0

    def flush(self) -> None:
        text = "".join(self.current)
        self.current = []
        pieces = text.split("\n") if self.pre else [_SPACES.sub(" ", text)]
        for piece in pieces:
            piece = piece.strip()
            if piece.strip():
                self.number += 1
                self.lines.append(Line(text=piece, paragraph=self.number, continues=False))

    def element(self, element: Any) -> None:
        tag = _tag(element)
        if not tag:
            self.current.append(element.tail or "")
            return
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(element)
        elif tag in _BLOCKS:
            self.flush()
            if tag == "pre":
                self.pre += 1
            self.current.append(element.text or "")
            for child in element:
                self.element(child)
            self.flush()
            if tag == "pre":
                self.pre -= 1
        else:
            self.current.append(element.text or "")
            for child in element:
                self.element(child)
        if element.getparent() is not None:
            self.current.append(element.tail or "")

    def table(self, element: Any) -> None:
        rows = _table_rows(element)
        if _is_layout(rows):
            for row in rows:
                for cell in row:
                    if cell is None:
                        continue
                    self.flush()
                    self.current.append(cell.text or "")
                    for child in cell:
                        self.element(child)
                    self.flush()
            return
        values = [[_cell_text(cell) if cell is not None else None for cell in row] for row in rows]
        values = [row for row in values if any(value for value in row)]
        if not values:
            return
        caption_element = element.find("caption")
        caption = [line.text for line in self.lines[-6:] if not line.in_table][-4:]
        if caption_element is not None:
            caption.append(_SPACES.sub(" ", _text(caption_element)).strip())
        self.tables.append(TableBlock(rows=values, first_line=len(self.lines), caption=caption))
        for row in values:
            self.number += 1
            self.lines.append(
                Line(
                    text="\t".join(value or "" for value in row),
                    paragraph=self.number,
                    continues=False,
                    in_table=True,
                )
            )


def _table_rows(table: Any) -> list[list[Any | None]]:
    """The table's rows as cell elements on a grid: a cell spanning columns or rows leaves
    None in the places it covers. Rows of nested tables are not the table's."""
    rows: list[list[Any | None]] = []
    pending: dict[int, int] = {}  # column → rows still covered by a rowspan from above
    for row in table.iter("tr"):
        if _nearest_table(row) is not table:
            continue
        cells: list[Any | None] = []
        column = 0
        for cell in row:
            if _tag(cell) not in ("td", "th"):
                continue
            while pending.get(column, 0) > 0:
                pending[column] -= 1
                cells.append(None)
                column += 1
            span = _span(cell.get("colspan"))
            down = _span(cell.get("rowspan"))
            cells.append(cell)
            cells.extend([None] * (span - 1))
            for covered in range(column, column + span):
                if down > 1:
                    pending[covered] = down - 1
            column += span
        while pending.get(column, 0) > 0:
            pending[column] -= 1
            cells.append(None)
            column += 1
        rows.append(cells)
    return rows


def _nearest_table(element: Any) -> Any | None:
    for ancestor in element.iterancestors():
        if _tag(ancestor) == "table":
            return ancestor
    return None


def _span(value: str | None) -> int:
    if not value or not value.strip().isdigit():
        return 1
    return min(max(int(value.strip()), 1), 64)


def _is_layout(rows: list[list[Any | None]]) -> bool:
    """A table that lays out the page: one cell, one column, or cells holding tables."""
    cells = [cell for row in rows for cell in row if cell is not None]
    if not cells:
        return False
    if all(sum(cell is not None for cell in row) <= 1 for row in rows):
        return True
    return any(cell.find(".//table") is not None for cell in cells)


def _cell_text(cell: Any) -> str:
    return _SPACES.sub(" ", _text(cell)).strip()
