"""PDF: pypdfium2 for the text layer of every page; tables on the pages that look like them.

pypdfium2 reads a page's text in about a millisecond. Pages that look like tables (a 单位：元
header, rows of numbers, rows starting with codes) go through pdfplumber's table finder, fed
with pypdfium2's characters and ruling lines (``pdf_tables``), which is much faster than
letting pdfplumber parse the page itself. Each page is loaded once: a table page's tables are
read from the page and text its text was read from.

Only text a reader of the page sees is read, each once and in reading order: characters no
one sees are taken out (``pdf_visibility``), and a page PDFium's order does not fit —
sideways text, two columns, a line an unseen character was taken from — is laid out from
its characters' positions (``pdf_order``, ``pdf_layout``). Each such repair is a warning.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import regex

from ..errors import InputError
from ..models import Problem
from ..problems import ProblemCode
from . import pdf_native as native
from .base import Line, ReadResult, TableBlock
from .limits import Limits
from .pdf_layout import runs_on
from .pdf_order import Box, Reading, laid_out_page, line_spans
from .pdf_pagetree import walk_page_tree
from .pdf_tables import FoundTable, find_tables, page_objects
from .pdf_visibility import NOTHING_HIDDEN, PageVisibility, page_visibility

_TWIN = regex.compile(r"(\S)\1")
# Where each twin starts, overlapping ("000" holds two).
_TWIN_AT = regex.compile(r"(?=(\S)\1)")
_UNIT_HEADER = regex.compile(r"单\s*位\s*[:：]\s*(?:万\s*元|元|亿\s*元)")
_NUMBER_CELL = regex.compile(
    r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,])-?\d+\.\d{2}(?![\d])"
)
_TABLE_TITLE = regex.compile(r"表\s*(?:[(（][^()（）]{1,10}[)）])?\s*$")
_EMPTY_TABLE_NOTE = regex.compile(r"本表(?:为空表|无数据)|故本表")
# A table row that starts with a classification code: "204 06 01 行政运行", "2080505 …".
_CODE_ROW = regex.compile(r"^\s*(?:\d{3}(?:\s+\d{1,2}){0,2}|\d{5}|\d{7})\s+\p{Han}")
# Unmapped glyphs: replacement and private-use characters, pdfminer's (cid:N), and the C0
# control characters pdfium returns as the raw character code of a glyph whose font has no
# Unicode mapping (Type3 or subset fonts without ToUnicode). \x02 is left out: pdfium uses
# it for a hyphen at the end of a line.
_UNREADABLE = regex.compile(r"[\ufffd\ue000-\uf8ff\x00\x01\x03-\x08\x0b\x0e-\x1f]|\(cid:\d+\)")
# Unreadable share above which a page's text is not trusted at all.
_UNREADABLE_FAIL = 0.30
_UNREADABLE_WARN = 0.02


@dataclass
class _PageText:
    number: int
    lines: list[Line]
    chars: int
    unreadable: int
    images: int
    looks_tabular: bool
    failed: bool = False  # pdfium could not load the page
    # (top, bottom, left, right) of each line, top-down like pdfplumber; empty if unknown
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    reading: Reading | None = None  # how the page was read, when not as PDFium orders it
    visibility: PageVisibility = NOTHING_HIDDEN


def read_pdf(
    path: Path, limits: Limits, *, with_tables: bool = True, data: bytes | None = None
) -> ReadResult:
    """``data``: the file's bytes, already read (then the file is not opened again)."""
    with _open_pdfium(path if data is None else data) as document:
        page_count = len(document)
        if page_count == 0:
            raise InputError(ProblemCode.EMPTY, "the PDF has no pages")
        if page_count > limits.max_pages:
            raise _too_many_pages(path, page_count, limits.max_pages)
        pages: list[_PageText] = []
        tables: list[TableBlock] = []
        unreadable: list[int] = []
        for index in range(page_count):
            page, page_tables = _read_page(
                document, index, pages[-1] if pages else None, with_tables
            )
            pages.append(page)
            if page_tables is None:
                unreadable.append(page.number)
            else:
                tables.extend(page_tables)
        warnings = _text_layer_problems(pages) + _reading_problems(pages)
    if unreadable:
        warnings.append(
            Problem(
                code=ProblemCode.TABLES_UNREADABLE,
                message=f"the tables on {len(unreadable)} page(s) could not be read; their"
                " text was read without the table structure",
                pages=unreadable,
            )
        )

    lines: list[Line] = []
    for page in pages:
        offset = len(lines)
        for table in tables:
            if table.page == page.number and table.first_line >= 0:
                table.first_line += offset
        lines.extend(page.lines)
    return ReadResult(format="pdf", lines=lines, tables=tables, pages=page_count, warnings=warnings)


def _too_many_pages(path: Path, claimed: int, limit: int) -> InputError:
    """``too_large`` — unless the page tree shows the count is not real (a loop, a /Count
    the tree does not hold), which is a damaged file."""
    tree = walk_page_tree(path, budget=2 * limit + 100)
    if tree is not None and tree.loop:
        return InputError(
            ProblemCode.CORRUPT_PDF,
            "the PDF's page tree is damaged: it loops back on itself, so the file's page count"
            f" ({claimed:,}) is not real",
            detail=f"page tree loop; {tree.leaves:,} page(s) found before the loop",
        )
    if tree is not None and tree.complete and tree.leaves <= limit:
        return InputError(
            ProblemCode.CORRUPT_PDF,
            f"the PDF's page tree is damaged: it claims {claimed:,} pages but holds"
            f" {tree.leaves:,}",
            detail="page count mismatch" + (" (a page listed twice)" if tree.shared else ""),
        )
    return InputError(
        ProblemCode.TOO_LARGE,
        f"the PDF has {claimed:,} pages, over the limit of {limit:,} (--max-pages)",
    )


@contextmanager
def _open_pdfium(source: Path | bytes) -> Iterator[Any]:
    try:
        document = pdfium.PdfDocument(source if isinstance(source, bytes) else str(source))
    except pdfium.PdfiumError as exc:
        raise _pdfium_open_error(exc) from exc
    try:
        yield document
    finally:
        document.close()


def _pdfium_open_error(exc: Exception) -> InputError:
    message = str(exc)
    lowered = message.lower()
    if "password" in lowered:
        return InputError(
            ProblemCode.ENCRYPTED,
            "the PDF is encrypted with a password; open it with the password and save an"
            " unencrypted copy",
            detail=message,
        )
    if "security" in lowered:
        return InputError(
            ProblemCode.ENCRYPTED, "the PDF uses an unsupported security handler", detail=message
        )
    return InputError(
        ProblemCode.CORRUPT_PDF,
        "the PDF is damaged or truncated and cannot be opened",
        detail=message,
    )


def _read_page(
    document: Any, index: int, previous: _PageText | None, with_tables: bool
) -> tuple[_PageText, list[TableBlock] | None]:
    """A page's text and, when it looks like a table page (or runs on the table of the page
    before) and tables are wanted, its tables, read from the page loaded once; None for
    tables that could not be read, whose page keeps its text."""
    try:
        page = document[index]
    except pdfium.PdfiumError:
        return _failed_page(index), []
    try:
        try:
            textpage = page.get_textpage()
        except pdfium.PdfiumError:
            return _failed_page(index), []
        try:
            try:
                page_text, text = _read_loaded_page(page, textpage, index)
            except pdfium.PdfiumError:
                # A damaged page object or content stream: the others are still worth reading.
                return _failed_page(index), []
            if previous is not None and _continues_table(previous, page_text):
                page_text.looks_tabular = True
            if not (with_tables and page_text.looks_tabular):
                return page_text, []
            try:
                page_text.lines, tables = _table_page(page, textpage, text, page_text)
            except Exception:  # a table we cannot read leaves the page's text in place
                return page_text, None
            return page_text, tables
        finally:
            textpage.close()
    finally:
        page.close()


def _failed_page(index: int) -> _PageText:
    return _PageText(index + 1, [], 0, 0, 0, looks_tabular=False, failed=True)


def _read_loaded_page(page: Any, textpage: Any, index: int) -> tuple[_PageText, str]:
    """The page's text as read (``_PageText``), and PDFium's text of the page."""
    text: str = textpage.get_text_range()
    height = page.get_height()
    aligned = len(text) == textpage.count_chars()
    lines, boxes, starts = _page_lines(textpage, text, aligned, index + 1, height)
    visibility = NOTHING_HIDDEN
    reading = None
    tabular: bool | None = None  # known unless the page was laid out anew
    if aligned and lines:
        visibility = page_visibility(native.handle(page), native.handle(textpage), text, starts)
        tabular = _looks_tabular(lines)
        laid = laid_out_page(page, textpage, text, lines, boxes, starts, visibility, tabular)
        if laid is not None:
            lines, boxes, reading = laid
            tabular = None
    chars = sum(len(line.text.strip()) for line in lines)
    # No unreadable run takes in a line break, so the lines can be searched as one text.
    joined = "\n".join(line.text for line in lines)
    unreadable = sum(len(match.group()) for match in _UNREADABLE.finditer(joined))
    images = _count_images(page) if chars == 0 else 0
    page_text = _PageText(
        number=index + 1,
        lines=lines,
        chars=chars,
        unreadable=unreadable,
        images=images,
        looks_tabular=_looks_tabular(lines) if tabular is None else tabular,
        boxes=boxes,
        reading=reading,
        visibility=visibility,
    )
    return page_text, text


def _page_lines(
    textpage: Any, text: str, aligned: bool, page_number: int, height: float
) -> tuple[list[Line], list[Box], list[int]]:
    """Lines of a page as PDFium orders them, each marked with whether it runs on to the
    right margin; their boxes (top, bottom, left, right; top-down) and the offset of their
    first character, when pdfium's characters line up with its text."""
    segments: list[tuple[str, float | None, float]] = []
    boxes: list[Box] = []
    starts: list[int] = []
    handle = native.handle(textpage)
    # A twin is two equal non-blank characters, so never across a line break: a page without
    # one anywhere has none in any line.
    twins = _TWIN.search(text) is not None
    for start, end in line_spans(text):
        segment = text[start:end]
        right, glyph = (None, 0.0)
        if aligned:
            first = start + len(segment) - len(segment.lstrip())
            last = start + len(segment.rstrip()) - 1
            if twins:
                segment = _drop_overprinted(handle, segment, start)
            left, _, _, _ = native.glyph_box(handle, first)
            _, bottom, right, top = native.glyph_box(handle, last)
            glyph = top - bottom
            boxes.append((height - top, height - bottom, left, right))
            starts.append(first)
        segments.append((segment, right, glyph))
    lines = [
        Line(text=segment, page=page_number, continues=continues)
        for (segment, _right, _glyph), continues in zip(segments, runs_on(segments), strict=True)
    ]
    return lines, (boxes if len(boxes) == len(lines) else []), starts


def _drop_overprinted(textpage: int, segment: str, start: int) -> str:
    """Remove characters printed twice on the same spot (fake bold), as pdfplumber's
    ``dedupe_chars`` does; only adjacent twins are checked, which is where pdfium puts them."""
    dropped: list[int] = []
    for match in _TWIN_AT.finditer(segment):
        offset = match.start() + 1  # the second of the two
        if segment[offset].isspace():  # \S lets through \x1c-\x1f, which Python calls blank
            continue
        box_a = native.glyph_box(textpage, start + offset - 1)
        box_b = native.glyph_box(textpage, start + offset)
        # A twin within half a glyph (at least 1.2pt, for narrow glyphs like "."), where a
        # real repeated character would sit a whole advance further on.
        near = max((box_a[2] - box_a[0]) * 0.5, 1.2)
        if abs(box_a[0] - box_b[0]) < near and abs(box_a[1] - box_b[1]) < near:
            dropped.append(offset)
    if not dropped:
        return segment
    pieces = zip([0, *(offset + 1 for offset in dropped)], [*dropped, len(segment)], strict=True)
    return "".join(segment[begin:end] for begin, end in pieces)


def _count_images(page: Any) -> int:
    handles = [
        pdfium_raw.FPDFPage_GetObject(page, index)
        for index in range(pdfium_raw.FPDFPage_CountObjects(page))
    ]
    return _images_in(handles, depth=0)


def _images_in(handles: list[Any], depth: int) -> int:
    """Images among page objects, also inside form XObjects (where many scanners put the
    page image); the depth cap guards against forms nested without end."""
    count = 0
    for handle in handles:
        kind = pdfium_raw.FPDFPageObj_GetType(handle)
        if kind == pdfium_raw.FPDF_PAGEOBJ_IMAGE:
            count += 1
        elif kind == pdfium_raw.FPDF_PAGEOBJ_FORM and depth < 8:
            inner = [
                pdfium_raw.FPDFFormObj_GetObject(handle, index)
                for index in range(pdfium_raw.FPDFFormObj_CountObjects(handle))
            ]
            count += _images_in(inner, depth + 1)
        if count:
            return count
    return count


def _looks_tabular(lines: list[Line]) -> bool:
    """A page worth opening with pdfplumber: a 单位 header, a stated empty table, or rows of
    numbers (also when pdfium glued a whole table into one line)."""
    head = "".join(line.text for line in lines[:6])
    if _UNIT_HEADER.search(head) and any(_NUMBER_CELL.search(line.text) for line in lines):
        return True
    # A table that starts below the page's text: its title, then its 单位 line.
    for before, line in itertools.pairwise(lines):
        if _UNIT_HEADER.search(line.text) and _TABLE_TITLE.search(before.text):
            return True
    if _EMPTY_TABLE_NOTE.search("".join(line.text for line in lines[-4:])):
        return True
    numeric_lines = sum(1 for line in lines if len(_NUMBER_CELL.findall(line.text)) >= 2)
    if numeric_lines >= 4 and numeric_lines >= 0.3 * len(lines):
        return True
    if sum(1 for line in lines if _CODE_ROW.match(line.text)) >= 3:
        return True
    return any(len(_NUMBER_CELL.findall(line.text)) >= 12 for line in lines)


def _continues_table(previous: _PageText, page: _PageText) -> bool:
    """A page after a table page that holds no sentences is the table running on."""
    if previous.looks_tabular and not page.looks_tabular and page.lines:
        sentences = sum(line.text.count("。") for line in page.lines)
        return sentences < 2 and len(page.lines) >= 3
    return False


def _text_layer_problems(pages: list[_PageText]) -> list[Problem]:
    """Refuse a PDF with no usable text layer; warn about the pages that lack one."""
    failed = [page.number for page in pages if page.failed]
    if len(failed) == len(pages):
        raise InputError(
            ProblemCode.CORRUPT_PDF,
            "no page of the PDF can be loaded: the page objects are damaged",
            pages=failed,
        )
    empty = [page.number for page in pages if page.chars == 0 and not page.failed]
    scanned = [page.number for page in pages if page.chars == 0 and page.images > 0]
    total = sum(page.chars for page in pages)
    unreadable = sum(page.unreadable for page in pages)
    if total == 0:
        if scanned:
            raise InputError(
                ProblemCode.NO_TEXT_LAYER,
                "the PDF is scanned (images, no text layer): OCR is needed on every page",
                pages=scanned,
            )
        raise InputError(
            ProblemCode.NO_TEXT, "the PDF has pages but no text on any of them", pages=empty
        )
    # Python strips some control characters as whitespace, so cap the share at 100 %.
    share = min(unreadable / total, 1.0)
    bad_pages = [page.number for page in pages if page.chars and page.unreadable / page.chars > 0.3]
    if share > _UNREADABLE_FAIL:
        raise InputError(
            ProblemCode.UNREADABLE_TEXT,
            f"{share:.0%} of the PDF's characters are unmapped glyphs (control, replacement or"
            " (cid:N) characters): its fonts have no usable text mapping; OCR is needed",
            pages=bad_pages,
            detail=f"{unreadable} of {total} characters unreadable",
        )
    problems: list[Problem] = []
    if failed:
        problems.append(
            Problem(
                code=ProblemCode.PAGES_UNREADABLE,
                message=f"{len(failed)} page(s) are damaged and could not be read; their text"
                " is missing",
                pages=failed,
            )
        )
    if scanned:
        problems.append(
            Problem(
                code=ProblemCode.PAGES_WITHOUT_TEXT,
                message=f"{len(scanned)} page(s) are images without a text layer; OCR is"
                " needed for them",
                pages=scanned,
            )
        )
    if share > _UNREADABLE_WARN:
        problems.append(
            Problem(
                code=ProblemCode.UNREADABLE_CHARACTERS,
                message=f"{share:.1%} of the characters are unmapped glyphs and were not read",
                pages=bad_pages,
                detail=f"{unreadable} of {total} characters unreadable",
            )
        )
    return problems


def _reading_problems(pages: list[_PageText]) -> list[Problem]:
    """What the reader did to the text as PDFium gives it: each a warning naming the pages."""
    problems: list[Problem] = []
    rotated = [page.number for page in pages if page.reading and page.reading.rotated]
    if rotated:
        problems.append(
            Problem(
                code=ProblemCode.ROTATED_PAGES,
                message=f"{len(rotated)} page(s) are rotated (/Rotate, or text drawn turned);"
                " their text was read in its own direction, line by line down the text",
                pages=rotated,
            )
        )
    columns = [page.number for page in pages if page.reading and page.reading.columns]
    if columns:
        problems.append(
            Problem(
                code=ProblemCode.COLUMNS_DETECTED,
                message=f"{len(columns)} page(s) are set in two columns; they were read column"
                " by column",
                pages=columns,
            )
        )
    hidden = [page for page in pages if page.visibility.hidden]
    if hidden:
        count = sum(page.visibility.hidden for page in hidden)
        problems.append(
            Problem(
                code=ProblemCode.HIDDEN_TEXT,
                message=f"{count} character(s) of text no reader can see (white on white,"
                " covered by a box, or invisible) on"
                f" {len(hidden)} page(s) were not read",
                pages=[page.number for page in hidden],
                detail="; ".join(f"p.{page.number}: {page.visibility.sample}" for page in hidden)[
                    :500
                ],
            )
        )
    copies = [page.number for page in pages if page.visibility.duplicates]
    if copies:
        problems.append(
            Problem(
                code=ProblemCode.DUPLICATE_TEXT_LAYER,
                message=f"{len(copies)} page(s) hold an invisible copy of their visible text"
                " (an OCR layer over text); the copy was not read, so no figure counts twice",
                pages=copies,
            )
        )
    ocr = [page.number for page in pages if page.visibility.ocr]
    if ocr:
        problems.append(
            Problem(
                code=ProblemCode.OCR_TEXT_LAYER,
                message=f"{len(ocr)} page(s) are scanned images read through their invisible"
                " OCR text layer; OCR can misread figures",
                pages=ocr,
            )
        )
    return problems


def _table_page(
    page: Any, textpage: Any, text: str, page_text: _PageText
) -> tuple[list[Line], list[TableBlock]]:
    """The page's tables, and its lines with those inside a table marked."""
    reading = page_text.reading
    if reading is None:
        found = find_tables(page_objects(page, textpage, text=text))
    else:
        found = find_tables(page_objects(page, textpage, reading.frame, reading.dropped, text))
    lines = page_text.lines
    boxes = page_text.boxes or [(0.0, 0.0, 0.0, 0.0)] * len(lines)
    owners = [_owner(box, found) for box in boxes] if page_text.boxes else [-1] * len(lines)
    marked = [
        Line(line.text, line.page, line.paragraph, line.continues, owner >= 0)
        for line, owner in zip(lines, owners, strict=True)
    ]
    tables: list[TableBlock] = []
    for number, table in enumerate(found):
        rows = [[_clean_cell(cell) for cell in row] for row in table.rows]
        if not any(any(cell for cell in row) for row in rows):
            continue
        first = owners.index(number) if number in owners else -1
        caption = [marked[i].text for i in _caption_lines(first, table.bbox[1], boxes, owners)]
        tables.append(
            TableBlock(
                rows=rows,
                page=page_text.number,
                first_line=first,
                caption=caption[-4:],
            )
        )
    return marked, tables


def _owner(box: tuple[float, float, float, float], found: list[FoundTable]) -> int:
    top, bottom, left, right = box
    middle = (top + bottom) / 2
    for number, table in enumerate(found):
        x0, table_top, x1, table_bottom = table.bbox
        if table_top - 1 <= middle <= table_bottom + 1 and right > x0 and left < x1:
            return number
    return -1


def _caption_lines(
    first: int, top: float, boxes: list[tuple[float, float, float, float]], owners: list[int]
) -> list[int]:
    """The lines between the previous table and this one; when pdfium returned none of the
    table's own lines (a table of figures only), the free lines above its top edge."""
    if first < 0:
        return [i for i, box in enumerate(boxes) if box[1] <= top and owners[i] < 0]
    previous_end = max((i for i, owner in enumerate(owners[:first]) if owner >= 0), default=-1)
    return list(range(previous_end + 1, first))


def _clean_cell(cell: str | None) -> str | None:
    if cell is None:
        return None
    return cell.replace("\n", "")
