"""DOCX body: what Word shows, once, in reading order, walked over the main part's XML.

Paragraphs and tables come as they stand, also inside content controls, custom XML and
tracked insertions; text tracked changes deleted or moved away is left out (the document is
read with its changes accepted); a text box is read after the paragraph it is anchored in,
and of an ``mc:AlternateContent`` only one branch (Word writes every text box twice: a
drawing and its VML fallback); hidden runs are left out. What is left out is counted
(``LeftOut``) for the warnings.

The reader walks the XML itself (lxml) rather than python-docx's object model: its paragraph
and table lists skip content controls, nested tables and text boxes, and what is visible
(hidden text, tracked changes, a text box and its fallback copy) has to be decided run by
run anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .base import Line, TableBlock
from .docx_dropped import LeftOut
from .docx_names import (
    ALTERNATE,
    CHOICE,
    CUSTOM_XML,
    DEL,
    DEL_TEXT,
    FALLBACK,
    MOVE_FROM,
    SDT,
    SDT_CONTENT,
    TBL,
    TXBX_CONTENT,
    P,
    R,
    T,
    W,
    all_text,
    has_text,
    on_off,
)
from .docx_styles import Styles
from .docx_tables import cell_values, grid_rows, is_layout

# Inline containers whose runs are read where they stand.
_INLINE_WRAPPERS = frozenset(
    f"{W}{name}"
    for name in ("hyperlink", "smartTag", "customXml", "ins", "moveTo", "fldSimple", "dir", "bdo")
)
# Block-level containers whose paragraphs and tables are read where they stand.
_BLOCK_WRAPPERS = frozenset({CUSTOM_XML, f"{W}ins", f"{W}moveTo"})
_SPACE_BREAKS = frozenset({f"{W}br", f"{W}cr"})
_TABS = frozenset({f"{W}tab", f"{W}ptab"})


class BodyReader:
    """Walks the body in reading order and collects lines, tables and what it left out."""

    def __init__(self, styles: Styles, has_breaks: bool) -> None:
        self.styles = styles
        self.has_breaks = has_breaks
        self.lines: list[Line] = []
        self.tables: list[TableBlock] = []
        self.page = 1
        self.number = 0
        self.left_out = LeftOut()

    @property
    def current_page(self) -> int | None:
        return self.page if self.has_breaks else None

    # -- blocks: paragraphs, tables, content controls, text boxes ------------------------------

    def block(self, container: Any, cell: list[str] | None = None) -> None:
        """Read the paragraphs and tables of a container in order: as lines of the document,
        or, inside a table cell (``cell``), as the pieces of the cell's text."""
        for element in container.iterchildren():
            tag = element.tag
            if tag == P:
                self.paragraph(element, cell)
            elif tag == TBL:
                if cell is None:
                    self.table(element)
                else:  # a table inside a cell of a data table: its text joins the cell's
                    cell.extend(value or "" for row in self.table_rows(element) for value in row)
            elif tag == SDT:
                content = element.find(SDT_CONTENT)
                if content is not None:
                    self.block(content, cell)
            elif tag in _BLOCK_WRAPPERS:
                self.block(element, cell)
            elif tag == ALTERNATE:
                branch = self.branch(element)
                if branch is not None:
                    self.block(branch, cell)
            elif tag in (DEL, MOVE_FROM):
                self.left_out.tracked.add(all_text(element), self.number + 1, self.current_page)

    def paragraph(self, element: Any, cell: list[str] | None = None) -> None:
        if cell is None and self.lines and on_off(element.find(f"{W}pPr/{W}pageBreakBefore")):
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
        if is_layout(rows):
            # A table used to lay the page out (one cell, one column, or holding other
            # tables): its paragraphs and tables are read in order, cell by cell.
            self.left_out.layout_tables.add(
                all_text(element) or " ", self.number + 1, self.current_page
            )
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
        return cell_values(rows if rows is not None else self.rows(element), self.cell_text)

    def rows(self, table: Any) -> Iterator[list[Any]]:
        """The table's rows as lists of cell elements; rows deleted by tracked changes are
        left out (and counted)."""
        return grid_rows(table, self.deleted_row)

    def deleted_row(self, row: Any) -> None:
        self.left_out.tracked.add(all_text(row), self.number + 1, self.current_page)

    def cell_text(self, cell: Any) -> str:
        pieces: list[str] = []
        self.block(cell, pieces)
        return "".join(pieces).strip()

    # -- inline content: runs, and what wraps them ----------------------------------------------

    def inline(
        self, node: Any, pieces: list[str], boxes: list[Any], hidden: bool, breaks: list[int]
    ) -> None:
        """Append the visible text under ``node`` (a paragraph or an inline wrapper), collect
        its text boxes and count its page breaks."""
        for child in node.iterchildren():
            tag = child.tag
            if tag == R:
                self.run(child, child, pieces, boxes, hidden, breaks)
            elif tag in _INLINE_WRAPPERS:
                self.inline(child, pieces, boxes, hidden, breaks)
            elif tag == SDT:
                content = child.find(SDT_CONTENT)
                if content is not None:
                    self.inline(content, pieces, boxes, hidden, breaks)
            elif tag == ALTERNATE:
                branch = self.branch(child)
                if branch is not None:
                    self.inline(branch, pieces, boxes, hidden, breaks)
            elif tag in (DEL, MOVE_FROM):
                # Tracked changes: the document is read as it reads with them accepted.
                self.left_out.tracked.add(all_text(child), self.number + 1, self.current_page)

    def run(
        self,
        run: Any,
        node: Any,
        pieces: list[str],
        boxes: list[Any],
        paragraph_hidden: bool,
        breaks: list[int],
    ) -> None:
        hidden = self.styles.run_hidden(run.find(f"{W}rPr"), paragraph_hidden)
        for child in node.iterchildren():
            tag = child.tag
            if tag == T:
                if hidden:
                    self.left_out.hidden.add(child.text or "", self.number + 1, self.current_page)
                else:
                    pieces.append(child.text or "")
            elif tag in _TABS:
                pieces.append("\t")
            elif tag in _SPACE_BREAKS:
                kind = child.get(f"{W}type")
                if kind == "page":
                    breaks[0] += 1
                elif kind != "column":
                    pieces.append(" ")
            elif tag == f"{W}noBreakHyphen":
                pieces.append("-")
            elif tag == f"{W}lastRenderedPageBreak":
                breaks[1] += 1
            elif tag == DEL_TEXT:
                self.left_out.tracked.add(child.text or "", self.number + 1, self.current_page)
            elif tag == ALTERNATE:
                branch = self.branch(child)
                if branch is not None:
                    self.run(run, branch, pieces, boxes, paragraph_hidden, breaks)
            elif tag in (f"{W}drawing", f"{W}pict", f"{W}object"):
                found: list[Any] = []
                self.find_boxes(child, found)
                if hidden:
                    for box in found:
                        self.left_out.hidden.add(all_text(box), self.number + 1, self.current_page)
                else:
                    boxes.extend(found)

    def find_boxes(self, node: Any, boxes: list[Any]) -> None:
        """Text box contents inside a drawing (a nested box is read when its box is)."""
        for child in node.iterchildren():
            if child.tag == TXBX_CONTENT:
                boxes.append(child)
            elif child.tag == ALTERNATE:
                branch = self.branch(child)
                if branch is not None:
                    self.find_boxes(branch, boxes)
            elif isinstance(child.tag, str):
                self.find_boxes(child, boxes)

    def branch(self, alternate: Any) -> Any | None:
        """The one branch of an mc:AlternateContent to read: the first mc:Choice (a DrawingML
        text box, say), or the mc:Fallback (its VML copy for old Word versions) where the
        choice holds no text. Never both: Word writes every text box twice this way."""
        choice = alternate.find(CHOICE)
        fallback = alternate.find(FALLBACK)
        if choice is None:
            return fallback
        if fallback is None or not has_text(fallback):
            return choice
        if not has_text(choice):
            return fallback
        if next(fallback.iter(TXBX_CONTENT), None) is not None:
            self.left_out.duplicate_boxes.add(
                all_text(fallback), self.number + 1, self.current_page
            )
        return choice
