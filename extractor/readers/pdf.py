"""PDF: pypdfium2 for the text layer of every page; tables on the pages that look like them.

pypdfium2 reads a page's text in about a millisecond. Pages that look like tables (a 单位：元
header, rows of numbers, rows starting with codes) go through pdfplumber's table finder, fed
with pypdfium2's characters and ruling lines (``pdf_tables``), which is much faster than
letting pdfplumber parse the page itself.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_raw
import regex

from ..errors import InputError
from ..models import Problem
from . import pdf_native as native
from .base import Limits, Line, ReadResult, TableBlock
from .pdf_layout import (
    Frame,
    Glyph,
    Gutter,
    LaidLine,
    build_lines,
    crossings,
    direction_angle,
    dominant_angle,
    find_gutter,
    lay_out,
)
from .pdf_pagetree import walk_page_tree
from .pdf_tables import FoundTable, find_tables, horizontal_rules, page_objects
from .pdf_visibility import NOTHING_HIDDEN, PageVisibility, page_visibility

_LINE_BREAK = regex.compile(r"\r\n|\n|\r")
_TWIN = regex.compile(r"(\S)\1")
_UNIT_HEADER = regex.compile(r"单\s*位\s*[:：]\s*(?:万\s*元|元|亿\s*元)")
_NUMBER_CELL = regex.compile(
    r"(?<![\d.,])-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d,])|(?<![\d.,])-?\d+\.\d{2}(?![\d])"
)
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


@dataclass(frozen=True)
class _Reading:
    """A page laid out from its characters' positions (``pdf_layout``)."""

    frame: Frame
    dropped: frozenset[int]
    rotated: bool
    columns: bool


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
    reading: _Reading | None = None  # how the page was read, when not as PDFium orders it
    visibility: PageVisibility = NOTHING_HIDDEN


def read_pdf(path: Path, limits: Limits, *, with_tables: bool = True) -> ReadResult:
    with _open_pdfium(path) as document:
        page_count = len(document)
        if page_count == 0:
            raise InputError("empty", "the PDF has no pages")
        if page_count > limits.max_pages:
            raise _too_many_pages(path, page_count, limits.max_pages)
        pages = [_read_page(document, index) for index in range(page_count)]
        _mark_continued_tables(pages)
        warnings = _text_layer_problems(pages) + _reading_problems(pages)
        tables: list[TableBlock] = []
        unreadable: list[int] = []
        for page in pages:
            if not (with_tables and page.looks_tabular and not page.failed):
                continue
            try:
                page.lines, page_tables = _table_page(document, page)
            except Exception:  # a table we cannot read leaves the page's text in place
                unreadable.append(page.number)
                continue
            tables.extend(page_tables)
    if unreadable:
        warnings.append(
            Problem(
                code="tables_unreadable",
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
            "corrupt_pdf",
            "the PDF's page tree is damaged: it loops back on itself, so the file's page count"
            f" ({claimed:,}) is not real",
            detail=f"page tree loop; {tree.leaves:,} page(s) found before the loop",
        )
    if tree is not None and tree.complete and tree.leaves <= limit:
        return InputError(
            "corrupt_pdf",
            f"the PDF's page tree is damaged: it claims {claimed:,} pages but holds"
            f" {tree.leaves:,}",
            detail="page count mismatch" + (" (a page listed twice)" if tree.shared else ""),
        )
    return InputError(
        "too_large",
        f"the PDF has {claimed:,} pages, over the limit of {limit:,} (--max-pages)",
    )


@contextmanager
def _open_pdfium(path: Path) -> Iterator[Any]:
    try:
        document = pdfium.PdfDocument(str(path))
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
            "encrypted",
            "the PDF is encrypted with a password; open it with the password and save an"
            " unencrypted copy",
            detail=message,
        )
    if "security" in lowered:
        return InputError(
            "encrypted", "the PDF uses an unsupported security handler", detail=message
        )
    return InputError(
        "corrupt_pdf", "the PDF is damaged or truncated and cannot be opened", detail=message
    )


def _read_page(document: Any, index: int) -> _PageText:
    try:
        return _read_loaded_page(document, index)
    except pdfium.PdfiumError:
        # A damaged page object or content stream: the other pages are still worth reading.
        return _PageText(index + 1, [], 0, 0, 0, looks_tabular=False, failed=True)


def _read_loaded_page(document: Any, index: int) -> _PageText:
    page = document[index]
    try:
        textpage = page.get_textpage()
        try:
            text: str = textpage.get_text_range()
            height = page.get_height()
            aligned = len(text) == textpage.count_chars()
            lines, boxes, starts = _page_lines(textpage, text, aligned, index + 1, height)
            visibility = NOTHING_HIDDEN
            reading = None
            tabular: bool | None = None  # known unless the page was laid out anew
            if aligned and lines:
                visibility = page_visibility(
                    native.handle(page), native.handle(textpage), text, starts
                )
                tabular = _looks_tabular(lines)
                laid = _laid_out_page(
                    page, textpage, text, lines, boxes, starts, visibility, tabular
                )
                if laid is not None:
                    lines, boxes, reading = laid
                    tabular = None
        finally:
            textpage.close()
        chars = sum(len(line.text.strip()) for line in lines)
        unreadable = sum(
            len(match.group()) for line in lines for match in _UNREADABLE.finditer(line.text)
        )
        images = _count_images(page) if chars == 0 else 0
    finally:
        page.close()
    return _PageText(
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


_Box = tuple[float, float, float, float]


def _page_lines(
    textpage: Any, text: str, aligned: bool, page_number: int, height: float
) -> tuple[list[Line], list[_Box], list[int]]:
    """Lines of a page as PDFium orders them, each marked with whether it runs on to the
    right margin; their boxes (top, bottom, left, right; top-down) and the offset of their
    first character, when pdfium's characters line up with its text."""
    segments: list[tuple[str, float | None, float]] = []
    boxes: list[_Box] = []
    starts: list[int] = []
    start = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        segment = text[start:end]
        if segment.strip():
            right, glyph = (None, 0.0)
            if aligned:
                first = start + len(segment) - len(segment.lstrip())
                last = start + len(segment.rstrip()) - 1
                segment = _drop_overprinted(textpage, segment, start)
                left, _, _, _ = textpage.get_charbox(first)
                _, bottom, right, top = textpage.get_charbox(last)
                glyph = top - bottom
                boxes.append((height - top, height - bottom, left, right))
                starts.append(first)
            segments.append((segment, right, glyph))
        start = match.end() if match else len(text)
    lines = [
        Line(text=segment, page=page_number, continues=continues)
        for (segment, _right, _glyph), continues in zip(segments, runs_on(segments), strict=True)
    ]
    return lines, (boxes if len(boxes) == len(lines) else []), starts


# How many lines' first characters are looked at to tell whether a page's text runs sideways.
_DIRECTION_SAMPLES = 8
# A line more than this many degrees off the horizontal runs sideways.
_TILT = 2.0
# Characters further than this from the page's main direction are laid out on their own.
_SAME_DIRECTION = 10.0
# A space between Han text (or CJK punctuation) on both sides: where PDFium joins a line of
# the left column with the line beside it in the right column.
_JOINED_COLUMNS = regex.compile(r"[\p{Han}，。；：、）”％][^\S\r\n]+[\p{Han}（“]")
_JOIN_CHECKS = 60  # such spaces looked at per page, at most


def _laid_out_page(
    page: Any,
    textpage: Any,
    text: str,
    lines: list[Line],
    boxes: list[_Box],
    starts: list[int],
    visibility: PageVisibility,
    tabular: bool,
) -> tuple[list[Line], list[_Box], _Reading] | None:
    """The page laid out from its characters, when PDFium's order cannot be trusted: text
    that runs sideways, two columns, or unseen characters taken out of a line (an edit drawn
    over a figure belongs where it is drawn). None when PDFium's lines stand."""
    handle = native.handle(textpage)
    rotation = page.get_rotation()
    sideways = rotation != 0 or _runs_sideways(handle, starts)
    # A table's columns are not columns of text (and its own reader takes it).
    columns_hint = (
        bool(boxes) and not tabular and (_columns_in_boxes(boxes) or _joined_columns(handle, text))
    )
    dropped = visibility.dropped
    if not (sideways or columns_hint or dropped):
        return None
    upright = Frame.turned(0.0, page.get_width(), page.get_height())
    # Whole lines unseen and nothing else amiss: PDFium's lines less those.
    without = _without_dropped_lines(text, lines, boxes, dropped, upright)
    if without is not None and not (sideways or columns_hint):
        return without
    glyphs = _glyphs(handle, text, dropped)
    if not glyphs:  # nothing seen on the page
        return ([], [], _Reading(upright, dropped, rotation != 0, False)) if dropped else None
    angle = dominant_angle([char_angle for char_angle, _ in glyphs])
    frame = Frame.turned(angle, page.get_width(), page.get_height())
    rotated = rotation != 0 or not frame.upright
    main = [char for a, char in glyphs if _angle_gap(a, angle) <= _SAME_DIRECTION]
    built = build_lines([_in_frame(char, frame) for char in main])
    gutter = find_gutter(built)
    if gutter is not None and _ruled_across(page, frame, gutter):
        gutter = None
    if not (rotated or gutter is not None) and (without is not None or not dropped):
        return without
    laid = lay_out(built, gutter) + _off_direction_lines(glyphs, angle, page)
    new_lines, new_boxes = _lines_from(laid, lines[0].page)
    return new_lines, new_boxes, _Reading(frame, dropped, rotated, gutter is not None)


def _without_dropped_lines(
    text: str, lines: list[Line], boxes: list[_Box], dropped: frozenset[int], frame: Frame
) -> tuple[list[Line], list[_Box], _Reading] | None:
    """PDFium's lines less those whose every character is unseen (a white sentence, an
    invisible copy): the page keeps PDFium's order. Laid out anew (None here) when a line
    holds seen and unseen characters both."""
    if not dropped:
        return None
    spans = _line_spans(text)
    if len(spans) != len(lines) or len(boxes) != len(lines):
        return None
    keep: list[int] = []
    for number, (start, end) in enumerate(spans):
        visible = [i for i in range(start, end) if not text[i].isspace()]
        unseen = sum(1 for i in visible if i in dropped)
        if unseen and unseen < len(visible):
            return None
        if not unseen:
            keep.append(number)
    segments = [(lines[i].text, boxes[i][3], boxes[i][1] - boxes[i][0]) for i in keep]
    kept = [
        Line(text=lines[i].text, page=lines[i].page, continues=value)
        for i, value in zip(keep, runs_on(segments), strict=True)
    ]
    return kept, [boxes[i] for i in keep], _Reading(frame, dropped, rotated=False, columns=False)


def _line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in the page's text of each line that ``_page_lines`` keeps."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end() if match else len(text)
    return spans


@dataclass(frozen=True)
class _Char:
    """A character as PDFium places it in page space."""

    index: int
    char: str
    box: _Box  # left, bottom, right, top of its advance (the loose box)
    origin: tuple[float, float]
    size: float


def _glyphs(textpage: int, text: str, dropped: frozenset[int]) -> list[tuple[float, _Char]]:
    """Every character to read, with the angle its line runs at."""
    chars: list[tuple[float, _Char]] = []
    for index, char in enumerate(text):
        if char.isspace() or index in dropped:
            continue
        a, b = native.char_direction(textpage, index)
        size = native.font_size(textpage, index) * (math.hypot(a, b) or 1.0)
        box = native.loose_char_box(textpage, index)
        origin = native.char_origin(textpage, index)
        chars.append((direction_angle(a, b), _Char(index, char, box, origin, size)))
    return chars


def _in_frame(char: _Char, frame: Frame) -> Glyph:
    # The origin places a glyph along its line exactly, also in tilted text, where the box
    # around a turned box reaches further back than the glyph.
    left, base = frame.point(*char.origin)
    right = max(frame.box(*char.box)[2], left)
    return Glyph(char.index, char.char, left, right, base, char.size)


def _angle_gap(a: float, b: float) -> float:
    gap = abs(a - b) % 360.0
    return min(gap, 360.0 - gap)


def _off_direction_lines(
    glyphs: list[tuple[float, _Char]], angle: float, page: Any
) -> list[LaidLine]:
    """Text at other angles than the page's main one (a label along the margin), each
    direction laid out in its own frame, after the main text."""
    others = [(a, char) for a, char in glyphs if _angle_gap(a, angle) > _SAME_DIRECTION]
    laid: list[LaidLine] = []
    for number, own in enumerate(sorted({round(a) % 360 for a, _ in others}), start=3):
        frame = Frame.turned(own, page.get_width(), page.get_height())
        members = [_in_frame(c, frame) for a, c in others if round(a) % 360 == own]
        laid += [LaidLine(line.text, line.box, number) for line in lay_out(build_lines(members))]
    return laid


def _lines_from(laid: list[LaidLine], page_number: int | None) -> tuple[list[Line], list[_Box]]:
    """Lines, each marked as running on or not against the right margin of its column."""
    continues: list[bool | None] = [None] * len(laid)
    page_margin = max(line.box[3] for line in laid)
    for group in sorted({line.group for line in laid}):
        members = [i for i, line in enumerate(laid) if line.group == group]
        segments = [
            (laid[i].text, laid[i].box[3], laid[i].box[1] - laid[i].box[0]) for i in members
        ]
        # A column has its own right margin; lines across the page end at the page's.
        margin = page_margin if group == 0 else None
        for i, value in zip(members, runs_on(segments, margin), strict=True):
            continues[i] = value
    lines = [
        Line(text=line.text, page=page_number, continues=value)
        for line, value in zip(laid, continues, strict=True)
    ]
    return lines, [line.box for line in laid]


def _runs_sideways(textpage: int, starts: list[int]) -> bool:
    """Whether any of a few lines, spread over the page, runs at an angle."""
    step = max(1, len(starts) // _DIRECTION_SAMPLES)
    for start in starts[::step][:_DIRECTION_SAMPLES]:
        a, b = native.char_direction(textpage, start)
        if _angle_gap(direction_angle(a, b), 0.0) > _TILT:
            return True
    return False


def _columns_in_boxes(boxes: list[_Box]) -> bool:
    """Lines that keep to two sides of a blank strip in the middle: two columns that PDFium
    already reads one after the other, but whose lines end at their own right margin."""
    if len(boxes) < 8:
        return False
    start = min(box[2] for box in boxes)
    end = max(box[3] for box in boxes)
    low, high = int(start + 0.25 * (end - start)), int(start + 0.75 * (end - start))
    if high - low < 40:
        return False
    crossing = crossings([[(box[2], box[3])] for box in boxes], low, high)
    allowed = max(1, int(0.15 * len(boxes)))
    free = [low + offset for offset, count in enumerate(crossing) if count <= allowed]
    if len(free) < 8:
        return False
    middle = free[len(free) // 2]
    left = sum(1 for box in boxes if box[3] < middle)
    right = sum(1 for box in boxes if box[2] > middle)
    return left >= 4 and right >= 4


def _joined_columns(textpage: int, text: str) -> bool:
    """Whether PDFium joined lines of two columns: several lines with a wide blank between
    two pieces of Chinese text, at about the same place across the page."""
    edges: list[float] = []
    widths: list[float] = []
    for number, match in enumerate(_JOINED_COLUMNS.finditer(text)):
        if number >= _JOIN_CHECKS:
            break
        before, after = match.start(), match.end() - 1
        left, _, right, _ = native.char_box(textpage, before)
        next_left = native.char_box(textpage, after)[0]
        width = right - left
        if next_left - right >= max(8.0, 1.5 * width):
            edges.append(right)
            widths.append(width)
    if len(edges) < 4:
        return False
    middle = sorted(edges)[len(edges) // 2]
    em = sorted(widths)[len(widths) // 2] or 10.0
    return sum(1 for edge in edges if abs(edge - middle) <= 1.5 * em) >= 4


def _ruled_across(page: Any, frame: Frame, gutter: Gutter) -> bool:
    """A ruling line across the blank strip, beside the columns: a table, not columns."""
    return any(
        left < gutter.left - 2 and right > gutter.right + 2 and gutter.top <= v <= gutter.bottom
        for left, right, v in horizontal_rules(page, frame)
    )


def runs_on(
    segments: Sequence[tuple[str, float | None, float]], margin: float | None = None
) -> list[bool | None]:
    """For each (text, right edge, glyph height) line: does it reach the right margin (the
    rightmost edge of its lines, unless given)?

    Word wraps a line where the next character no longer fits, so a wrapped line ends within
    about two characters of the margin (more when it ends in narrow punctuation); a line that
    ends a paragraph usually stops well short of it.
    """
    rights = [right for text, right, _ in segments if right is not None and len(text) >= 10]
    if not rights:
        return [None] * len(segments)
    margin = max(rights) if margin is None else margin
    sizes = sorted(height for _, right, height in segments if right is not None and height >= 6)
    size = sizes[len(sizes) // 2] if sizes else 10.5
    tolerance = 2.6 * size
    return [None if right is None else right >= margin - tolerance for _, right, _ in segments]


def _drop_overprinted(textpage: Any, segment: str, start: int) -> str:
    """Remove characters printed twice on the same spot (fake bold), as pdfplumber's
    ``dedupe_chars`` does; only adjacent twins are checked, which is where pdfium puts them."""
    if not _TWIN.search(segment):
        return segment
    kept: list[str] = [segment[0]] if segment else []
    for offset in range(1, len(segment)):
        char = segment[offset]
        if char == segment[offset - 1] and not char.isspace():
            box_a = textpage.get_charbox(start + offset - 1)
            box_b = textpage.get_charbox(start + offset)
            # A twin within half a glyph (at least 1.2pt, for narrow glyphs like "."), where a
            # real repeated character would sit a whole advance further on.
            near = max((box_a[2] - box_a[0]) * 0.5, 1.2)
            if abs(box_a[0] - box_b[0]) < near and abs(box_a[1] - box_b[1]) < near:
                continue
        kept.append(char)
    return "".join(kept)


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
    if _EMPTY_TABLE_NOTE.search("".join(line.text for line in lines[-4:])):
        return True
    numeric_lines = sum(1 for line in lines if len(_NUMBER_CELL.findall(line.text)) >= 2)
    if numeric_lines >= 4 and numeric_lines >= 0.3 * len(lines):
        return True
    if sum(1 for line in lines if _CODE_ROW.match(line.text)) >= 3:
        return True
    return any(len(_NUMBER_CELL.findall(line.text)) >= 12 for line in lines)


def _mark_continued_tables(pages: list[_PageText]) -> None:
    """A page after a table page that holds no sentences is the table running on."""
    for previous, page in itertools.pairwise(pages):
        if previous.looks_tabular and not page.looks_tabular and page.lines:
            sentences = sum(line.text.count("。") for line in page.lines)
            if sentences < 2 and len(page.lines) >= 3:
                page.looks_tabular = True


def _text_layer_problems(pages: list[_PageText]) -> list[Problem]:
    """Refuse a PDF with no usable text layer; warn about the pages that lack one."""
    failed = [page.number for page in pages if page.failed]
    if len(failed) == len(pages):
        raise InputError(
            "corrupt_pdf",
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
                "no_text_layer",
                "the PDF is scanned (images, no text layer): OCR is needed on every page",
                pages=scanned,
            )
        raise InputError("no_text", "the PDF has pages but no text on any of them", pages=empty)
    # Python strips some control characters as whitespace, so cap the share at 100 %.
    share = min(unreadable / total, 1.0)
    bad_pages = [page.number for page in pages if page.chars and page.unreadable / page.chars > 0.3]
    if share > _UNREADABLE_FAIL:
        raise InputError(
            "unreadable_text",
            f"{share:.0%} of the PDF's characters are unmapped glyphs (control, replacement or"
            " (cid:N) characters): its fonts have no usable text mapping; OCR is needed",
            pages=bad_pages,
            detail=f"{unreadable} of {total} characters unreadable",
        )
    problems: list[Problem] = []
    if failed:
        problems.append(
            Problem(
                code="pages_unreadable",
                message=f"{len(failed)} page(s) are damaged and could not be read; their text"
                " is missing",
                pages=failed,
            )
        )
    if scanned:
        problems.append(
            Problem(
                code="pages_without_text",
                message=f"{len(scanned)} page(s) are images without a text layer; OCR is"
                " needed for them",
                pages=scanned,
            )
        )
    if share > _UNREADABLE_WARN:
        problems.append(
            Problem(
                code="unreadable_characters",
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
                code="rotated_pages",
                message=f"{len(rotated)} page(s) are rotated (/Rotate, or text drawn turned);"
                " their text was read in its own direction, line by line down the text",
                pages=rotated,
            )
        )
    columns = [page.number for page in pages if page.reading and page.reading.columns]
    if columns:
        problems.append(
            Problem(
                code="columns_detected",
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
                code="hidden_text",
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
                code="duplicate_text_layer",
                message=f"{len(copies)} page(s) hold an invisible copy of their visible text"
                " (an OCR layer over text); the copy was not read, so no figure counts twice",
                pages=copies,
            )
        )
    ocr = [page.number for page in pages if page.visibility.ocr]
    if ocr:
        problems.append(
            Problem(
                code="ocr_text_layer",
                message=f"{len(ocr)} page(s) are scanned images read through their invisible"
                " OCR text layer; OCR can misread figures",
                pages=ocr,
            )
        )
    return problems


def _table_page(document: Any, page_text: _PageText) -> tuple[list[Line], list[TableBlock]]:
    """The page's tables, and its lines with those inside a table marked."""
    page = document[page_text.number - 1]
    try:
        textpage = page.get_textpage()
        try:
            reading = page_text.reading
            if reading is None:
                found = find_tables(page_objects(page, textpage))
            else:
                found = find_tables(page_objects(page, textpage, reading.frame, reading.dropped))
        finally:
            textpage.close()
    finally:
        page.close()
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
