"""How a PDF page is read: in PDFium's order, or laid out anew from its characters.

PDFium's lines stand for most pages. They do not for a page whose text runs sideways
(``/Rotate``, a turned text matrix), a page of two columns, or a page from which unseen
characters were taken out of a line; those are laid out by ``pdf_layout`` in the reading
frame. The cheap signs are looked at on every page: the direction of a few lines, lines
keeping to two sides of a blank strip, wide blanks between Chinese text inside a line.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import regex

from . import pdf_native as native
from .base import Line
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
    runs_on,
)
from .pdf_tables import horizontal_rules
from .pdf_visibility import PageVisibility

Box = tuple[float, float, float, float]  # top, bottom, left, right (top-down)

LINE_BREAK = regex.compile(r"\r\n|\n|\r")


@dataclass(frozen=True)
class Reading:
    """How a page was read when not simply as PDFium orders it: in which frame, less which
    unseen characters (offsets in its text), turned, in columns."""

    frame: Frame
    dropped: frozenset[int]
    rotated: bool
    columns: bool


def line_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) in a page's text of each line that holds more than blanks."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*LINE_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        if text[start:end].strip():
            spans.append((start, end))
        start = match.end() if match else len(text)
    return spans


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


def laid_out_page(
    page: Any,
    textpage: Any,
    text: str,
    lines: list[Line],
    boxes: list[Box],
    starts: list[int],
    visibility: PageVisibility,
    tabular: bool,
) -> tuple[list[Line], list[Box], Reading] | None:
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
        return ([], [], Reading(upright, dropped, rotation != 0, False)) if dropped else None
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
    return new_lines, new_boxes, Reading(frame, dropped, rotated, gutter is not None)


def _without_dropped_lines(
    text: str, lines: list[Line], boxes: list[Box], dropped: frozenset[int], frame: Frame
) -> tuple[list[Line], list[Box], Reading] | None:
    """PDFium's lines less those whose every character is unseen (a white sentence, an
    invisible copy): the page keeps PDFium's order. Laid out anew (None here) when a line
    holds seen and unseen characters both."""
    if not dropped:
        return None
    spans = line_spans(text)
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
    return kept, [boxes[i] for i in keep], Reading(frame, dropped, rotated=False, columns=False)


@dataclass(frozen=True)
class _Char:
    """A character as PDFium places it in page space."""

    index: int
    char: str
    box: Box  # left, bottom, right, top of its advance (the loose box)
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


def _lines_from(laid: list[LaidLine], page_number: int | None) -> tuple[list[Line], list[Box]]:
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


def _columns_in_boxes(boxes: list[Box]) -> bool:
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
