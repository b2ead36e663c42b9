"""Web pages (.html, .htm, .shtml, saved .jsp/.asp pages): the article's text, in reading
order, one line per paragraph, with its tables as tables.

Many governments publish a budget note as an HTML article. A saved page holds much besides
the article: navigation, scripts, styles, forms, link lists, footers. The reader

1. decodes the page (``html_charset``: a BOM, the declared charset, else UTF-8 or GB18030
   by what decodes);
2. parses it with lxml's HTML parser (libxml2: fast, lenient with broken markup, no network,
   no entity expansion);
3. removes what a reader never sees as article text and picks the article by scoring its
   blocks (``html_article``);
4. reads the article in document order: block elements and ``<br>`` end a line; a table with
   rows of several cells is a table (``TableBlock``, so the standard-table code sees it), a
   table used for layout (one cell or one column, or holding other tables) is read as text.

A page without article text (an empty frame set, a page whose content a script loads) is an
input error, ``no_article_text``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..models import Problem
from ..problems import ProblemCode
from .base import Line, ReadResult, TableBlock, check_text_size
from .html_article import Page
from .html_charset import decode_html
from .html_elements import BLOCKS, SPACES, element_text, tag_name
from .limits import Limits

_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A page whose article has fewer visible characters than this has none.
_MIN_ARTICLE_CHARS = 20


def read_html(path: Path, limits: Limits, *, data: bytes | None = None) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    if data is None:
        data = path.read_bytes()
    text, encoding, warnings = decode_html(data)
    check_text_size(text, limits, "the page")
    root = _parse(text)
    page = Page(root)
    article = page.article()
    reader = _ArticleReader()
    for element in article:
        reader.element(element)
    reader.flush()
    if sum(len(line.text.strip()) for line in reader.lines) < _MIN_ARTICLE_CHARS:
        raise InputError(ProblemCode.NO_ARTICLE_TEXT, page.why_no_article())
    if page.hidden_figures:
        warnings.append(
            Problem(
                code=ProblemCode.HIDDEN_TEXT,
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
        raise InputError(
            ProblemCode.NO_ARTICLE_TEXT, "the page holds no text", detail=str(exc)
        ) from exc
    if root is None:
        raise InputError(ProblemCode.NO_ARTICLE_TEXT, "the page holds no text")
    return root


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
        pieces = text.split("\n") if self.pre else [SPACES.sub(" ", text)]
        for piece in pieces:
            piece = piece.strip()
            if piece.strip():
                self.number += 1
                self.lines.append(Line(text=piece, paragraph=self.number, continues=False))

    def element(self, element: Any) -> None:
        tag = tag_name(element)
        if not tag:
            self.current.append(element.tail or "")
            return
        if tag == "br":
            self.flush()
        elif tag == "table":
            self.flush()
            self.table(element)
        elif tag in BLOCKS:
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
            caption.append(SPACES.sub(" ", element_text(caption_element)).strip())
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
            if tag_name(cell) not in ("td", "th"):
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
        if tag_name(ancestor) == "table":
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
    return SPACES.sub(" ", element_text(cell)).strip()
