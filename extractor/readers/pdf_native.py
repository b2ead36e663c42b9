"""Lean bindings to the PDFium calls that run once per page object or per character.

pypdfium2's raw functions take and return typed pointers, and converting those costs more
than the call itself when it is made for each of a page's 500 text objects. The same C
functions, declared here with plain integer handles, are called on the same library
(pypdfium2's), so nothing is loaded twice.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from typing import Any

import pypdfium2.raw as pdfium_raw
from pypdfium2 import PdfiumError

_HANDLE = ctypes.c_void_p
_INT = ctypes.c_int
_DOUBLE = ctypes.c_double


def _lean(function: Any, restype: Any, *argtypes: Any) -> Callable[..., Any]:
    address = ctypes.cast(function, ctypes.c_void_p).value or 0
    # PYFUNCTYPE keeps the GIL for the call: these calls take less time than releasing and
    # taking it back, and nothing runs beside them (the reader has no threads of its own).
    prototype: Callable[..., Any] = ctypes.PYFUNCTYPE(restype, *argtypes)(address)
    return prototype


count_objects = _lean(pdfium_raw.FPDFPage_CountObjects, _INT, _HANDLE)
get_object = _lean(pdfium_raw.FPDFPage_GetObject, _HANDLE, _HANDLE, _INT)
form_count = _lean(pdfium_raw.FPDFFormObj_CountObjects, _INT, _HANDLE)
form_object = _lean(pdfium_raw.FPDFFormObj_GetObject, _HANDLE, _HANDLE, ctypes.c_ulong)
object_type = _lean(pdfium_raw.FPDFPageObj_GetType, _INT, _HANDLE)
# -1 (FPDF_TEXTRENDERMODE_UNKNOWN) for an object that is not text.
render_mode = _lean(pdfium_raw.FPDFTextObj_GetTextRenderMode, _INT, _HANDLE)
_fill_color = _lean(pdfium_raw.FPDFPageObj_GetFillColor, _INT, *[_HANDLE] * 5)
_stroke_color = _lean(pdfium_raw.FPDFPageObj_GetStrokeColor, _INT, *[_HANDLE] * 5)
_bounds = _lean(pdfium_raw.FPDFPageObj_GetBounds, _INT, *[_HANDLE] * 5)
_draw_mode = _lean(pdfium_raw.FPDFPath_GetDrawMode, _INT, _HANDLE, _HANDLE, _HANDLE)
text_object = _lean(pdfium_raw.FPDFText_GetTextObject, _HANDLE, _HANDLE, _INT)
_char_box = _lean(pdfium_raw.FPDFText_GetCharBox, _INT, _HANDLE, _INT, *[_HANDLE] * 4)
_loose_char_box = _lean(pdfium_raw.FPDFText_GetLooseCharBox, _INT, _HANDLE, _INT, _HANDLE)
_char_origin = _lean(pdfium_raw.FPDFText_GetCharOrigin, _INT, _HANDLE, _INT, _HANDLE, _HANDLE)
_char_matrix = _lean(pdfium_raw.FPDFText_GetMatrix, _INT, _HANDLE, _INT, _HANDLE)
font_size = _lean(pdfium_raw.FPDFText_GetFontSize, _DOUBLE, _HANDLE, _INT)
_bounded_text = _lean(
    pdfium_raw.FPDFText_GetBoundedText, _INT, _HANDLE, *[_DOUBLE] * 4, _HANDLE, _INT
)

OBJECT_TEXT = pdfium_raw.FPDF_PAGEOBJ_TEXT
OBJECT_PATH = pdfium_raw.FPDF_PAGEOBJ_PATH
OBJECT_IMAGE = pdfium_raw.FPDF_PAGEOBJ_IMAGE
OBJECT_FORM = pdfium_raw.FPDF_PAGEOBJ_FORM


class _Out:
    """Reusable output slots, passed to PDFium by address (these calls are not re-entered)."""

    def __init__(self, kind: Any, size: int) -> None:
        self.values = (kind * size)()
        step = ctypes.sizeof(kind)
        base = ctypes.addressof(self.values)
        self.addresses = [base + step * i for i in range(size)]


_UINTS = _Out(ctypes.c_uint, 4)
_FLOATS = _Out(ctypes.c_float, 4)
_DOUBLES = _Out(ctypes.c_double, 4)
_INTS = _Out(ctypes.c_int, 2)
_MATRIX = pdfium_raw.FS_MATRIX()
_MATRIX_ADDRESS = ctypes.addressof(_MATRIX)


def handle(pdfium_object: Any) -> int:
    """The integer handle of a pypdfium2 page or text page."""
    value: int = ctypes.cast(pdfium_object.raw, ctypes.c_void_p).value or 0
    return value


# fill_raw(obj) leaves an object's fill (r, g, b, alpha) in FILL_CHANNELS: the cheapest way
# to look at the colour of each of a page's hundreds of text objects.
FILL_CHANNELS = _UINTS.values


def fill_raw(obj: int) -> None:
    _fill_color(obj, *_UINTS.addresses)


def fill_color(obj: int) -> tuple[int, int, int, int]:
    """(r, g, b, alpha) of an object's fill, 0–255."""
    _fill_color(obj, *_UINTS.addresses)
    r, g, b, a = _UINTS.values
    return (r, g, b, a)


def stroke_color(obj: int) -> tuple[int, int, int, int]:
    _stroke_color(obj, *_UINTS.addresses)
    r, g, b, a = _UINTS.values
    return (r, g, b, a)


def bounds(obj: int) -> tuple[float, float, float, float] | None:
    """(left, bottom, right, top) of an object in page space."""
    if not _bounds(obj, *_FLOATS.addresses):
        return None
    left, bottom, right, top = _FLOATS.values
    return (left, bottom, right, top)


def is_filled(path: int) -> bool:
    if not _draw_mode(path, *_INTS.addresses):
        return False
    return bool(_INTS.values[0])


def char_box(textpage: int, index: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a character's glyph, as pypdfium2's ``get_charbox``."""
    _char_box(textpage, index, *_DOUBLES.addresses)
    # PDFium's order is left, right, bottom, top.
    left, right, bottom, top = _DOUBLES.values
    return (left, bottom, right, top)


def loose_char_box(textpage: int, index: int) -> tuple[float, float, float, float]:
    """(left, bottom, right, top) of a character's advance and the font's ascent and
    descent: the box it takes up in its line, also for narrow glyphs such as "，"."""
    _loose_char_box(textpage, index, _FLOATS.addresses[0])
    left, top, right, bottom = _FLOATS.values
    return (left, bottom, right, top)


def char_origin(textpage: int, index: int) -> tuple[float, float]:
    _char_origin(textpage, index, *_DOUBLES.addresses[:2])
    return (_DOUBLES.values[0], _DOUBLES.values[1])


def char_direction(textpage: int, index: int) -> tuple[float, float]:
    """The (a, b) part of a character's matrix: the direction its line runs in page space."""
    if not _char_matrix(textpage, index, _MATRIX_ADDRESS):
        return (1.0, 0.0)
    return (_MATRIX.a, _MATRIX.b)


def chars_in(textpage: int, left: float, bottom: float, right: float, top: float) -> int:
    """How many characters PDFium finds inside a rectangle of the page."""
    count: int = _bounded_text(textpage, left, top, right, bottom, None, 0)
    return count


_count_segments = _lean(pdfium_raw.FPDFPath_CountSegments, _INT, _HANDLE)
_get_segment = _lean(pdfium_raw.FPDFPath_GetPathSegment, _HANDLE, _HANDLE, _INT)
_segment_point = _lean(pdfium_raw.FPDFPathSegment_GetPoint, _INT, _HANDLE, _HANDLE, _HANDLE)
_object_matrix = _lean(pdfium_raw.FPDFPageObj_GetMatrix, _INT, _HANDLE, _HANDLE)


def is_rectangle(path: int) -> bool:
    """A path of one upright rectangle (``re``, or four lines round a box)."""
    count = _count_segments(path)
    if not 4 <= count <= 6:
        return False
    if not _object_matrix(path, _MATRIX_ADDRESS):
        return False
    if abs(_MATRIX.b) > 1e-6 or abs(_MATRIX.c) > 1e-6:
        return False
    points: list[tuple[float, float]] = []
    for index in range(count):
        segment = _get_segment(path, index)
        if not segment or not _segment_point(segment, *_FLOATS.addresses[:2]):
            return False
        points.append((_FLOATS.values[0], _FLOATS.values[1]))
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    edges_x, edges_y = (min(xs), max(xs)), (min(ys), max(ys))
    return all(
        min(abs(x - edge) for edge in edges_x) < 0.5
        and min(abs(y - edge) for edge in edges_y) < 0.5
        for x, y in points
    )


_segment_type = _lean(pdfium_raw.FPDFPathSegment_GetType, _INT, _HANDLE)
_segment_close = _lean(pdfium_raw.FPDFPathSegment_GetClose, _INT, _HANDLE)
_char_count = _lean(pdfium_raw.FPDFText_CountChars, _INT, _HANDLE)
SEGMENT_MOVETO = pdfium_raw.FPDF_SEGMENT_MOVETO
SEGMENT_LINETO = pdfium_raw.FPDF_SEGMENT_LINETO


def object_matrix(obj: int) -> tuple[float, float, float, float, float, float] | None:
    """(a, b, c, d, e, f) of an object's matrix; None if PDFium has none for it."""
    if not _object_matrix(obj, _MATRIX_ADDRESS):
        return None
    m = _MATRIX
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def path_points(path: int) -> list[tuple[int, float, float, bool]]:
    """(segment type, x, y, closes the figure) of each segment of a path whose point PDFium
    gives, in the path's own space."""
    get_segment, get_point, get_type, get_close = (
        _get_segment,
        _segment_point,
        _segment_type,
        _segment_close,
    )
    points: list[tuple[int, float, float, bool]] = []
    slots = _FLOATS.values
    x_address, y_address = _FLOATS.addresses[:2]
    for index in range(_count_segments(path)):
        segment = get_segment(path, index)
        if get_point(segment, x_address, y_address):
            points.append((get_type(segment), slots[0], slots[1], get_close(segment) != 0))
    return points


def draw_mode(path: int) -> tuple[int, int] | None:
    """(fill mode, stroked) of a path; None if PDFium cannot tell."""
    if not _draw_mode(path, *_INTS.addresses):
        return None
    return (_INTS.values[0], _INTS.values[1])


def paint(obj: int, stroke: bool) -> tuple[int, int, int, int] | None:
    """(r, g, b, alpha) of an object's stroke or fill; None if PDFium cannot tell."""
    if not (_stroke_color if stroke else _fill_color)(obj, *_UINTS.addresses):
        return None
    r, g, b, a = _UINTS.values
    return (r, g, b, a)


def char_count(textpage: int) -> int:
    count: int = _char_count(textpage)
    return count


def loose_boxes_and_origins(
    textpage: int, indices: list[int]
) -> list[tuple[float, float, float, float, float, float]]:
    """(left, bottom, right, top) of each character's loose box and (x, y) of its origin, as
    pypdfium2's ``get_charbox(loose=True)`` and ``FPDFText_GetCharOrigin``; raises
    ``PdfiumError`` as ``get_charbox`` does for an index PDFium has no box for."""
    loose, origin = _loose_char_box, _char_origin
    rect, rect_address = _FLOATS.values, _FLOATS.addresses[0]
    point = _DOUBLES.values
    x_address, y_address = _DOUBLES.addresses[:2]
    placed: list[tuple[float, float, float, float, float, float]] = []
    for index in indices:
        if not loose(textpage, index, rect_address):
            raise PdfiumError("Failed to get charbox.")
        origin(textpage, index, x_address, y_address)
        # FS_RECTF holds left, top, right, bottom.
        placed.append((rect[0], rect[3], rect[2], rect[1], point[0], point[1]))
    return placed


def glyph_box(textpage: int, index: int) -> tuple[float, float, float, float]:
    """``char_box``, raising ``PdfiumError`` as pypdfium2's ``get_charbox`` does when PDFium
    has no box for the index."""
    if not _char_box(textpage, index, *_DOUBLES.addresses):
        raise PdfiumError("Failed to get charbox.")
    left, right, bottom, top = _DOUBLES.values
    return (left, bottom, right, top)
