"""Tables of a PDF page: pdfplumber's table finder, fed with pypdfium2's characters and lines.

pdfplumber reads a page by interpreting its content stream in Python, about 0.3 s for a table
page; pypdfium2 gives the same characters and ruling lines in a few milliseconds. The table
finder (``pdfplumber.table.TableFinder``) needs only a page's characters, edges and bounding
box, so it runs on those. Its quadratic steps — de-duplicating characters, meeting lines,
finding cells, putting characters in cells — are done by ``pdf_grid`` and ``pdf_cells``
with the same results; the cell grid and text are pdfplumber's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from . import pdf_native as native
from .pdf_cells import CharIndex, dedupe_chars, table_rows
from .pdf_grid import find_grid_tables
from .pdf_layout import Frame

Segment = tuple[float, float, float, float]  # x0, y0, x1, y1 in page space
_LINE_SLANT = 0.5  # points: a segment is horizontal or vertical within this
_FIRST_SETTINGS: dict[str, Any] = {}
_TEXT_SETTINGS: dict[str, Any] = {"vertical_strategy": "text", "horizontal_strategy": "lines"}
# pdfplumber's edge_min_length_prefilter, which neither setting changes: lines shorter than
# this are dropped before any are joined.
_SHORTEST_LINE = 1


@dataclass
class PageObjects:
    """The part of a pdfplumber ``Page`` that its table finder reads."""

    width: float
    height: float
    chars: list[dict[str, Any]] = field(default_factory=list)
    edges: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (0.0, 0.0, self.width, self.height)

    def extract_words(self, **settings: Any) -> list[dict[str, Any]]:
        from pdfplumber.utils.text import extract_words

        words: list[dict[str, Any]] = extract_words(self.chars, **settings)
        return words


@dataclass
class FoundTable:
    bbox: tuple[float, float, float, float]  # x0, top, x1, bottom (top-down, like pdfplumber)
    rows: list[list[str | None]]


def page_objects(
    page: Any,
    textpage: Any,
    frame: Frame | None = None,
    dropped: frozenset[int] = frozenset(),
    text: str | None = None,
    dedupe: Callable[[list[dict[str, Any]]], list[dict[str, Any]]] = dedupe_chars,
    every_char: bool = False,
) -> PageObjects:
    """The page's characters (less the ``dropped`` offsets: text no one sees) and ruling
    lines; in the reading ``frame`` when the page's text runs sideways. ``text``: the text
    page's text, when already read; ``dedupe`` takes out characters printed twice on one
    spot (fake bold), as pdfplumber's ``Page.dedupe_chars`` does. The characters are left
    out of a page without a horizontal rule, where no table can be found, unless
    ``every_char``."""
    width, height = page.get_width(), page.get_height()
    if text is None:
        text = textpage.get_text_range()
    handle, text_handle = native.handle(page), native.handle(textpage)
    turned = frame if frame is not None and not frame.upright else None
    objects = (
        PageObjects(width=width, height=height)
        if turned is None
        else PageObjects(width=turned.width, height=turned.height)
    )
    objects.edges = _edges(handle, height, turned)
    if every_char or may_hold_tables(objects.edges):
        objects.chars = dedupe(_chars(text_handle, text, height, dropped, turned))
    return objects


def horizontal_rules(page: Any, frame: Frame) -> list[tuple[float, float, float]]:
    """(left, right, v) of the page's horizontal ruling lines, in the reading frame."""
    height = page.get_height()
    return [
        (edge["x0"], edge["x1"], edge["top"])
        for edge in _edges(native.handle(page), height, None if frame.upright else frame)
        if edge["orientation"] == "h"
    ]


def may_hold_tables(edges: list[dict[str, Any]]) -> bool:
    """Whether the finders can find a table among these lines: both draw a table's rows
    from its horizontal lines (of the settings' least length), so none, no table."""
    return any(edge["orientation"] == "h" and edge["width"] >= _SHORTEST_LINE for edge in edges)


def find_tables(objects: PageObjects) -> list[FoundTable]:
    """Ruled tables first; a page whose tables have no vertical rules, by text columns."""
    if not may_hold_tables(objects.edges):
        return []
    tables = find_grid_tables(objects, _FIRST_SETTINGS)
    if not tables:
        tables = find_grid_tables(objects, _TEXT_SETTINGS)
    if not tables:
        return []
    index = CharIndex(objects.chars)
    return [FoundTable(bbox=table.bbox, rows=table_rows(table, index)) for table in tables]


def _chars(
    textpage: int, text: str, height: float, dropped: frozenset[int], frame: Frame | None
) -> list[dict[str, Any]]:
    if len(text) != native.char_count(textpage):
        return []
    indices = [
        index
        for index, char in enumerate(text)
        if not char.isspace() and not (dropped and index in dropped)
    ]
    chars = []
    for index, (left, low, right, high, x, y) in zip(
        indices, native.loose_boxes_and_origins(textpage, indices), strict=True
    ):
        if frame is not None:
            chars.append(_turned_char(text[index], (left, low, right, high), (x, y), frame))
            continue
        # Loose boxes of flat glyphs ("一", "，") are short, which would sort them onto a line
        # of their own; reach up from the baseline at least as far as a square glyph would.
        em = right - left
        top, bottom = max(high, y + 0.8 * em), min(low, y - 0.1 * em)
        chars.append(
            {
                "object_type": "char",
                "text": text[index],
                "x0": left,
                "x1": right,
                "top": height - top,
                "bottom": height - bottom,
                "doctop": height - top,
                "width": em,
                "height": top - bottom,
                "upright": True,
            }
        )
    return chars


def _turned_char(
    char: str, box: tuple[float, float, float, float], origin: tuple[float, float], frame: Frame
) -> dict[str, Any]:
    """A character of sideways text as pdfplumber would see it on the page turned upright."""
    x0, top, x1, bottom = frame.box(*box)
    _u, base = frame.point(*origin)
    em = x1 - x0
    top, bottom = min(top, base - 0.8 * em), max(bottom, base + 0.1 * em)
    return {
        "object_type": "char",
        "text": char,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
        "upright": True,
    }


def _edges(page: int, height: float, frame: Frame | None = None) -> list[dict[str, Any]]:
    """The page's horizontal and vertical segments as pdfplumber's line objects (top-down)."""
    edges: list[dict[str, Any]] = []
    for x0, y0, x1, y1 in _segments(page):
        if frame is not None:
            (x0, v0), (x1, v1) = frame.point(x0, y0), frame.point(x1, y1)
            # In the frame v already runs top-down: turn it back so the code below holds.
            y0, y1 = height - v0, height - v1
        if abs(y0 - y1) <= _LINE_SLANT:
            left, right = (x1, x0) if x1 < x0 else (x0, x1)  # as sorted() orders two
            top = height - y0
            orientation, bottom = "h", top
        elif abs(x0 - x1) <= _LINE_SLANT:
            low, high = (y1, y0) if y1 < y0 else (y0, y1)
            orientation, left, right, top, bottom = "v", x0, x0, height - high, height - low
        else:
            continue
        edges.append(
            {
                "object_type": "line",
                "orientation": orientation,
                "x0": left,
                "x1": right,
                "top": top,
                "bottom": bottom,
                "doctop": top,
                "width": right - left,
                "height": bottom - top,
            }
        )
    return edges


def _segments(page: int) -> list[Segment]:
    """Straight segments of every path on the page (inside form objects too), in page space,
    in painting order."""
    segments: list[Segment] = []
    objects = [native.get_object(page, index) for index in range(native.count_objects(page))]
    _collect_segments(objects, (1, 0, 0, 1, 0, 0), 0, segments)
    return segments


def _collect_segments(
    objects: list[int], outer: tuple[float, ...], depth: int, segments: list[Segment]
) -> None:
    if depth > 4:
        return
    object_type, path, form = native.object_type, native.OBJECT_PATH, native.OBJECT_FORM
    for obj in objects:
        kind = object_type(obj)
        if kind != path and kind != form:
            continue
        own = native.object_matrix(obj)
        if own is None:
            continue
        combined = _multiply(own, outer)
        if kind == form:
            inner = [native.form_object(obj, index) for index in range(native.form_count(obj))]
            _collect_segments(inner, combined, depth + 1, segments)
        elif _visible(obj):
            _path_segments(native.path_points(obj), combined, segments)


def _path_segments(
    points: list[tuple[int, float, float, bool]], matrix: tuple[float, ...], segments: list[Segment]
) -> None:
    """The straight pieces of a path (its points in path space) in page space: each line
    to, and the closing line back to the start of its figure."""
    a, b, c, d, e, f = matrix
    moveto, lineto = native.SEGMENT_MOVETO, native.SEGMENT_LINETO
    start = previous = None
    for kind_of, x, y, closes in points:
        point = (a * x + c * y + e, b * x + d * y + f)  # as _apply
        if kind_of == moveto:
            start = previous = point
            continue
        if previous is not None and kind_of == lineto:
            segments.append((*previous, *point))
        previous = point
        if closes and start is not None:
            segments.append((*point, *start))
            previous = start


def _visible(path: int) -> bool:
    """A path that draws something: stroked or filled, in a colour other than white. Cell
    backgrounds (white rectangles behind the text) would otherwise add ruling lines of their
    own, a few points off the real ones, and split every column in two."""
    mode = native.draw_mode(path)
    if mode is None:
        return True
    fill_mode, stroked = mode
    if stroked and _painted(native.paint(path, True)):
        return True
    return bool(fill_mode) and _painted(native.paint(path, False))


def _painted(colour: tuple[int, int, int, int] | None) -> bool:
    if colour is None:
        return True
    *rgb, alpha = colour
    return alpha > 0 and tuple(rgb) != (255, 255, 255)


def _multiply(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """Affine matrices [a b c d e f] as in PDF: apply ``a`` first, then ``b``."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _apply(m: tuple[float, ...], x: float, y: float) -> tuple[float, float]:
    return (m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5])
