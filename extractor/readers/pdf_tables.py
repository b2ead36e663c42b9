"""Tables of a PDF page: pdfplumber's table finder, fed with pypdfium2's characters and lines.

pdfplumber reads a page by interpreting its content stream in Python, about 0.3 s for a table
page; pypdfium2 gives the same characters and ruling lines in a few milliseconds. The table
finder itself (``pdfplumber.table.TableFinder``) needs only a page's characters, edges and
bounding box, so it runs on those, and its cell grid and text are pdfplumber's own.
"""

from __future__ import annotations

import ctypes
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pypdfium2.raw as pdfium_raw

from .pdf_layout import Frame

_LINE_SLANT = 0.5  # points: a segment is horizontal or vertical within this
_FIRST_SETTINGS: dict[str, Any] = {}
_TEXT_SETTINGS: dict[str, Any] = {"vertical_strategy": "text", "horizontal_strategy": "lines"}


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
    page: Any, textpage: Any, frame: Frame | None = None, dropped: frozenset[int] = frozenset()
) -> PageObjects:
    """The page's characters (less the ``dropped`` offsets: text no one sees) and ruling
    lines; in the reading ``frame`` when the page's text runs sideways."""
    width, height = page.get_width(), page.get_height()
    if frame is not None and not frame.upright:
        objects = PageObjects(width=frame.width, height=frame.height)
        objects.chars = _chars(textpage, height, dropped, frame)
        objects.edges = list(_edges(page, height, frame))
        return objects
    objects = PageObjects(width=width, height=height)
    objects.chars = _chars(textpage, height, dropped)
    objects.edges = list(_edges(page, height))
    return objects


def horizontal_rules(page: Any, frame: Frame) -> list[tuple[float, float, float]]:
    """(left, right, v) of the page's horizontal ruling lines, in the reading frame."""
    height = page.get_height()
    return [
        (edge["x0"], edge["x1"], edge["top"])
        for edge in _edges(page, height, None if frame.upright else frame)
        if edge["orientation"] == "h"
    ]


def find_tables(objects: PageObjects) -> list[FoundTable]:
    """Ruled tables first; a page whose tables have no vertical rules, by text columns."""
    from pdfplumber.table import TableFinder, TableSettings

    finder = TableFinder(objects, TableSettings.resolve(_FIRST_SETTINGS))  # type: ignore[arg-type]
    tables = finder.tables
    if not tables:
        finder = TableFinder(objects, TableSettings.resolve(_TEXT_SETTINGS))  # type: ignore[arg-type]
        tables = finder.tables
    return [FoundTable(bbox=tuple(table.bbox), rows=table.extract()) for table in tables]  # type: ignore[arg-type]


def _chars(
    textpage: Any, height: float, dropped: frozenset[int], frame: Frame | None = None
) -> list[dict[str, Any]]:
    from pdfplumber.utils.text import dedupe_chars

    text: str = textpage.get_text_range()
    if len(text) != textpage.count_chars():
        return []
    chars = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for index, char in enumerate(text):
        if char.isspace() or index in dropped:
            continue
        left, low, right, high = textpage.get_charbox(index, loose=True)
        # Loose boxes of flat glyphs ("一", "，") are short, which would sort them onto a line
        # of their own; reach up from the baseline at least as far as a square glyph would.
        pdfium_raw.FPDFText_GetCharOrigin(textpage, index, ctypes.byref(x), ctypes.byref(y))
        if frame is not None:
            chars.append(_turned_char(char, (left, low, right, high), (x.value, y.value), frame))
            continue
        em = right - left
        top, bottom = max(high, y.value + 0.8 * em), min(low, y.value - 0.1 * em)
        chars.append(
            {
                "object_type": "char",
                "text": char,
                "x0": left,
                "x1": right,
                "top": height - top,
                "bottom": height - bottom,
                "doctop": height - top,
                "width": right - left,
                "height": top - bottom,
                "upright": True,
            }
        )
    # Characters printed twice on one spot (fake bold), as pdfplumber's Page.dedupe_chars.
    deduped: list[dict[str, Any]] = dedupe_chars(chars, tolerance=1, extra_attrs=())
    return deduped


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


def _edges(page: Any, height: float, frame: Frame | None = None) -> Iterator[dict[str, Any]]:
    for x0, y0, x1, y1 in _segments(page):
        if frame is not None:
            (x0, v0), (x1, v1) = frame.point(x0, y0), frame.point(x1, y1)
            # In the frame v already runs top-down: turn it back so the code below holds.
            y0, y1 = height - v0, height - v1
        if abs(y0 - y1) <= _LINE_SLANT:
            left, right = sorted((x0, x1))
            top = height - y0
            yield _edge("h", left, right, top, top)
        elif abs(x0 - x1) <= _LINE_SLANT:
            low, high = sorted((y0, y1))
            yield _edge("v", x0, x0, height - high, height - low)


def _edge(orientation: str, x0: float, x1: float, top: float, bottom: float) -> dict[str, Any]:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }


def _segments(page: Any) -> Iterator[tuple[float, float, float, float]]:
    """Straight segments of every path on the page (inside form objects too), in page space."""
    for index in range(pdfium_raw.FPDFPage_CountObjects(page)):
        yield from _object_segments(
            pdfium_raw.FPDFPage_GetObject(page, index), (1, 0, 0, 1, 0, 0), 0
        )


def _object_segments(
    obj: Any, outer: tuple[float, ...], depth: int
) -> Iterator[tuple[float, float, float, float]]:
    kind = pdfium_raw.FPDFPageObj_GetType(obj)
    if kind not in (pdfium_raw.FPDF_PAGEOBJ_PATH, pdfium_raw.FPDF_PAGEOBJ_FORM) or depth > 4:
        return
    matrix = pdfium_raw.FS_MATRIX()
    if not pdfium_raw.FPDFPageObj_GetMatrix(obj, ctypes.byref(matrix)):
        return
    own = (matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f)
    combined = _multiply(own, outer)
    if kind == pdfium_raw.FPDF_PAGEOBJ_FORM:
        for index in range(pdfium_raw.FPDFFormObj_CountObjects(obj)):
            yield from _object_segments(
                pdfium_raw.FPDFFormObj_GetObject(obj, index), combined, depth + 1
            )
        return
    if not _visible(obj):
        return
    x, y = ctypes.c_float(), ctypes.c_float()
    start = previous = None
    for index in range(pdfium_raw.FPDFPath_CountSegments(obj)):
        segment = pdfium_raw.FPDFPath_GetPathSegment(obj, index)
        if not pdfium_raw.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y)):
            continue
        point = _apply(combined, x.value, y.value)
        kind_of = pdfium_raw.FPDFPathSegment_GetType(segment)
        if kind_of == pdfium_raw.FPDF_SEGMENT_MOVETO:
            start = previous = point
            continue
        if previous is not None and kind_of == pdfium_raw.FPDF_SEGMENT_LINETO:
            yield (*previous, *point)
        previous = point
        if pdfium_raw.FPDFPathSegment_GetClose(segment) and start is not None:
            yield (*point, *start)
            previous = start


def _visible(path: Any) -> bool:
    """A path that draws something: stroked or filled, in a colour other than white. Cell
    backgrounds (white rectangles behind the text) would otherwise add ruling lines of their
    own, a few points off the real ones, and split every column in two."""
    fill_mode, stroked = ctypes.c_int(), ctypes.c_int()
    if not pdfium_raw.FPDFPath_GetDrawMode(path, ctypes.byref(fill_mode), ctypes.byref(stroked)):
        return True
    paints = []
    if stroked.value:
        paints.append(pdfium_raw.FPDFPageObj_GetStrokeColor)
    if fill_mode.value:
        paints.append(pdfium_raw.FPDFPageObj_GetFillColor)
    return any(_painted(path, colour_of) for colour_of in paints)


def _painted(path: Any, colour_of: Any) -> bool:
    red, green, blue, alpha = (ctypes.c_uint() for _ in range(4))
    if not colour_of(path, *(ctypes.byref(c) for c in (red, green, blue, alpha))):
        return True
    return alpha.value > 0 and (red.value, green.value, blue.value) != (255, 255, 255)


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
