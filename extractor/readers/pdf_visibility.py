"""Which characters of a PDF page a person sees.

PDFium's text layer holds every character the content stream shows, drawn or not. Three
kinds are never seen and must not become facts:

* text in an invisible render mode (3 or 7), unless it is the OCR layer over a page image —
  then it is the only text a scanned page has, and is read;
* text painted white (or fully transparent) where nothing but the white page lies under it;
* text covered by an opaque rectangle drawn after it (a figure "corrected" by painting over
  it, a redaction box).

Invisible text that repeats the visible text is a second text layer (``duplicate_text_layer``);
any other unseen text is ``hidden_text``.

Deciding costs a pass over the page's objects, and the characters are looked at one by one
only on a page where that pass found something. A page of many objects (converters that
write every word as an object of its own) is screened first, since the full pass would cost
more than reading its text: the text objects holding its figures and line starts, and the
last objects of its content stream, where editors and redaction tools add their boxes. A box
painted over text in the middle of such a page's stream is therefore not seen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

import regex

from . import pdf_native as native

Rect = tuple[float, float, float, float]  # left, bottom, right, top (page space)

_INVISIBLE_MODES = frozenset({3, 7})
_STROKE_ONLY_MODES = frozenset({1, 5})
_FILL_AND_STROKE_MODES = frozenset({2, 6})
# A colour whose every channel is at least this light cannot be told from the white page.
_WHITE = 240
_MIN_COVER = 6.0  # points: narrower filled boxes are rules and borders; they hide no glyph
_BAND = 24.0  # points: height of the bands covering boxes are filed in
_MAX_DEPTH = 8  # form objects nested deeper than this are not followed
# Share of an invisible run's character pairs that must also be in the visible text for it
# to count as a copy of that text.
_DUPLICATE_SHARE = 0.8
_FIGURE = regex.compile(r"\d+(?:[.,]\d+)*")
# A page of more objects than this (per-word text objects: up to 1,200 a page) is screened
# first: a walk over all its objects would cost more than reading its text.
_FULL_WALK = 60
_FIGURE_SAMPLES = 80  # figures a screen looks at, at most
_LINE_SAMPLES = 20  # line starts a screen looks at, at most
_TAIL = 20  # objects at the end of the stream a screen looks at for a covering box


@dataclass
class _Scan:
    text_objects: int = 0
    text_z: dict[int, int] = field(default_factory=dict)
    invisible: set[int] = field(default_factory=set)
    white: list[tuple[int, int, bool]] = field(default_factory=list)  # object, z, transparent
    covers: list[tuple[Rect, int]] = field(default_factory=list)
    image_areas: list[tuple[Rect, int]] = field(default_factory=list)


@dataclass(frozen=True)
class PageVisibility:
    dropped: frozenset[int] = frozenset()  # offsets in the page's text not to read
    hidden: int = 0  # characters dropped as unseen (white, covered, invisible)
    duplicates: int = 0  # invisible characters dropped as a copy of the visible text
    ocr: int = 0  # invisible characters read as the OCR layer of a page image
    sample: str = ""  # some of the dropped text, for the warning


NOTHING_HIDDEN = PageVisibility()


def _objects(page: int) -> Iterator[tuple[int, int, bool, int, int]]:
    """(object, z, top level, render mode, type) for every object of the page in painting
    order, inside form objects too; ``z`` counts objects in that order. The render mode is
    -1 for an object that is not text, and its type is only asked for such objects."""
    z = 0
    stack: list[tuple[list[int], int]] = [
        ([native.get_object(page, i) for i in range(native.count_objects(page))], 0)
    ]
    while stack:
        objects, depth = stack.pop()
        for position, obj in enumerate(objects):
            z += 1
            mode = native.render_mode(obj)
            kind = native.OBJECT_TEXT if mode >= 0 else native.object_type(obj)
            yield obj, z, depth == 0, mode, kind
            if kind == native.OBJECT_FORM and depth < _MAX_DEPTH:
                inner = [native.form_object(obj, i) for i in range(native.form_count(obj))]
                # The form's objects are painted before the ones after it.
                stack.append((objects[position + 1 :], depth))
                stack.append((inner, depth + 1))
                break


def _scan(page: int) -> _Scan:
    scan = _Scan()
    objects = [native.get_object(page, i) for i in range(native.count_objects(page))]
    _scan_objects(scan, objects, 0, 0)
    scan.text_objects = len(scan.text_z)
    return scan


def _scan_objects(scan: _Scan, objects: list[int], depth: int, z: int) -> tuple[int, bool]:
    """Walk objects in painting order (as ``_objects`` numbers them); return the last z and
    whether an image was among them. This loop meets every text object of every page, so
    the usual case — black filled text — costs two calls and one comparison."""
    render_mode, fill, channels = native.render_mode, native.fill_raw, native.FILL_CHANNELS
    text_z = scan.text_z
    saw_image = False
    for obj in objects:
        z += 1
        mode = render_mode(obj)
        if mode >= 0:
            text_z[obj] = z
            if mode == 0:
                fill(obj)
                if channels[0] < _WHITE and channels[3]:
                    continue
            if mode in _INVISIBLE_MODES:
                scan.invisible.add(obj)
                continue
            unseen = _unseen_paint(obj, mode)
            if unseen is not None:
                scan.white.append((obj, z, unseen))
            continue
        kind = native.object_type(obj)
        if kind == native.OBJECT_IMAGE:
            saw_image = True
            area = native.bounds(obj) if depth == 0 else None
            if area is not None:
                scan.image_areas.append((area, z))
        elif kind == native.OBJECT_FORM and depth < _MAX_DEPTH:
            form_z = z
            inner = [native.form_object(obj, i) for i in range(native.form_count(obj))]
            z, inner_image = _scan_objects(scan, inner, depth + 1, z)
            saw_image = saw_image or inner_image
            area = native.bounds(obj) if depth == 0 and inner_image else None
            if area is not None:
                scan.image_areas.append((area, form_z))
        elif kind == native.OBJECT_PATH and depth == 0 and text_z:
            cover = _opaque_box(obj)
            if cover is not None:
                scan.covers.append((cover, z))
    return z, saw_image


def _unseen_paint(obj: int, mode: int) -> bool | None:
    """None if the text is painted in a colour one sees; True if fully transparent, False
    if white (unseen unless something dark lies under it)."""
    if mode in _STROKE_ONLY_MODES:
        colours = [native.stroke_color(obj)]
    elif mode in _FILL_AND_STROKE_MODES:
        colours = [native.fill_color(obj), native.stroke_color(obj)]
    else:
        colours = [native.fill_color(obj)]
    if all(alpha == 0 for *_rgb, alpha in colours):
        return True
    if all(alpha == 0 or min(rgb) >= _WHITE for *rgb, alpha in colours):
        return False
    return None


def _opaque_box(path: int) -> Rect | None:
    """The box of a filled, opaque, upright rectangle big enough to hide a glyph. Cheapest
    tests first: PDFium converts the colour on each call, which can cost more than the rest."""
    if not native.is_filled(path):
        return None
    area = native.bounds(path)
    if area is None:
        return None
    left, bottom, right, top = area
    if right - left < _MIN_COVER or top - bottom < _MIN_COVER:
        return None
    if native.fill_color(path)[3] < 255 or not native.is_rectangle(path):
        return None
    return area


def page_visibility(
    page: int, textpage: int, text: str, line_starts: Sequence[int]
) -> PageVisibility:
    """Which characters of ``text`` (the page's text, one character per PDFium index) are
    not seen, and what was decided about invisible text. ``line_starts``: the offset of the
    first character of each line."""
    count = native.count_objects(page)
    if count > _FULL_WALK and not _worth_a_walk(page, count, textpage, text, line_starts):
        return NOTHING_HIDDEN
    scan = _scan(page)
    covers = _covers_over_text(textpage, scan.covers)
    if not (scan.invisible or scan.white or covers):
        return NOTHING_HIDDEN
    if len(scan.invisible) == scan.text_objects:
        return _all_invisible(text, bool(scan.image_areas))
    owners = _Owners(textpage)
    boxes: dict[int, Rect] = {}

    def box(index: int) -> Rect:
        if index not in boxes:
            boxes[index] = native.char_box(textpage, index)
        return boxes[index]

    hidden = _covered(text, owners, scan.text_z, covers, box) if covers else set()
    invisible: list[int] = []
    if scan.invisible or scan.white:
        unseen_objects = {
            obj
            for obj, z, transparent in scan.white
            if transparent or not _over_background(page, scan, native.bounds(obj), z)
        }
        for index, char in enumerate(text):
            if char.isspace():
                continue
            owner = owners[index]
            if owner in unseen_objects:
                hidden.add(index)
            elif owner in scan.invisible:
                invisible.append(index)
    if not invisible:
        sample = "".join(text[i] for i in sorted(hidden))[:60]
        return PageVisibility(frozenset(hidden), len(hidden), sample=sample)
    unseen = set(invisible)
    visible = "".join(
        char
        for index, char in enumerate(text)
        if not char.isspace() and index not in hidden and index not in unseen
    )
    seen_pairs = _pairs(visible)
    duplicates: set[int] = set()
    kept = 0
    for run in _runs(invisible, text):
        if _repeats(visible, seen_pairs, "".join(text[i] for i in run)):
            duplicates.update(run)
        elif _on_image(run, scan.image_areas, box):
            kept += len(run)
        else:
            hidden.update(run)
    dropped = frozenset(hidden | duplicates)
    sample = "".join(text[i] for i in sorted(hidden))[:60]
    return PageVisibility(dropped, len(hidden), len(duplicates), kept, sample)


class _Owners:
    """The text object of each character, asked of PDFium once per character needed."""

    def __init__(self, textpage: int) -> None:
        self.textpage = textpage
        self.known: dict[int, int] = {}

    def __getitem__(self, index: int) -> int:
        owner = self.known.get(index)
        if owner is None:
            owner = self.known[index] = native.text_object(self.textpage, index) or 0
        return owner


def _worth_a_walk(
    page: int, count: int, textpage: int, text: str, line_starts: Sequence[int]
) -> bool:
    """On a page of many objects, whether the text objects that start a line or a figure,
    or a shape at the end of the content stream (where editors and redaction tools add
    theirs), show any sign of unseen text."""
    figures = [match.start() for match in _FIGURE.finditer(text)]
    samples = {*_spread(figures, _FIGURE_SAMPLES), *_spread(list(line_starts), _LINE_SAMPLES)}
    render_mode, fill, channels = native.render_mode, native.fill_raw, native.FILL_CHANNELS
    looked: set[int] = set()
    for index in sorted(samples):
        obj = native.text_object(textpage, index)
        if not obj or obj in looked:
            continue
        looked.add(obj)
        mode = render_mode(obj)
        if mode == 0:
            fill(obj)
            if channels[0] < _WHITE and channels[3]:
                continue
        if mode in _INVISIBLE_MODES or _unseen_paint(obj, mode) is not None:
            return True
    for index in range(max(0, count - _TAIL), count):
        obj = native.get_object(page, index)
        if (
            render_mode(obj) < 0
            and native.object_type(obj) == native.OBJECT_PATH
            and _opaque_box(obj) is not None
        ):
            return True
    return False


def _spread(items: list[int], count: int) -> list[int]:
    """At most ``count`` of ``items``, spread evenly over them."""
    step = max(1, -(-len(items) // count))
    return items[::step]


def _all_invisible(text: str, on_image: bool) -> PageVisibility:
    """A page whose only text is invisible: a scan's OCR layer, or text no one sees."""
    chars = [index for index, char in enumerate(text) if not char.isspace()]
    if on_image:
        return PageVisibility(ocr=len(chars))
    sample = "".join(text[i] for i in chars)[:60]
    return PageVisibility(frozenset(chars), hidden=len(chars), sample=sample)


def _covers_over_text(textpage: int, covers: list[tuple[Rect, int]]) -> list[tuple[Rect, int]]:
    """The covering boxes with characters under them (PDFium counts them, in C)."""
    return [
        ((left, bottom, right, top), z)
        for (left, bottom, right, top), z in covers
        if native.chars_in(textpage, left + 1, bottom + 1, right - 1, top - 1)
    ]


def _covered(
    text: str,
    owners: _Owners,
    text_z: dict[int, int],
    covers: list[tuple[Rect, int]],
    box: Callable[[int], Rect],
) -> set[int]:
    """Characters whose middle lies under a box painted after them. Boxes are kept in bands
    of the page's height, so each character is tested against the few boxes beside it."""
    bands: dict[int, list[tuple[Rect, int]]] = {}
    for cover in covers:
        (_left, bottom, _right, top), _z = cover
        for band in range(int(bottom // _BAND), int(top // _BAND) + 1):
            bands.setdefault(band, []).append(cover)
    last = max(z for _rect, z in covers)
    covered: set[int] = set()
    for index, char in enumerate(text):
        if char.isspace():
            continue
        x0, y0, x1, y1 = box(index)
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        near = bands.get(int(y // _BAND))
        if not near or not any(r[0] <= x <= r[2] and r[1] <= y <= r[3] for r, _z in near):
            continue
        drawn = text_z.get(owners[index], last)
        if any(z > drawn and r[0] <= x <= r[2] and r[1] <= y <= r[3] for r, z in near):
            covered.add(index)
    return covered


def _over_background(page: int, scan: _Scan, area: Rect | None, z: int) -> bool:
    """Whether something painted before z in a colour other than white — a filled shape, an
    image — lies under the middle of ``area``: white text on a dark table header is seen."""
    if area is None:
        return False
    x, y = (area[0] + area[2]) / 2, (area[1] + area[3]) / 2

    def under(box: Rect) -> bool:
        return box[0] <= x <= box[2] and box[1] <= y <= box[3]

    if any(image_z < z and under(image) for image, image_z in scan.image_areas):
        return True
    for obj, obj_z, top_level, _mode, kind in _objects(page):
        if obj_z >= z:
            break
        if not (top_level and kind == native.OBJECT_PATH and native.is_filled(obj)):
            continue
        *rgb, alpha = native.fill_color(obj)
        if alpha and min(rgb) < _WHITE:
            box = native.bounds(obj)
            if box is not None and under(box):
                return True
    return False


def _runs(indices: list[int], text: str) -> list[list[int]]:
    """Consecutive offsets, split at line breaks: the lines of an invisible layer."""
    runs: list[list[int]] = []
    for index in indices:
        if runs and all(text[i].isspace() for i in range(runs[-1][-1] + 1, index)):
            between = text[runs[-1][-1] + 1 : index]
            if "\n" not in between and "\r" not in between:
                runs[-1].append(index)
                continue
        runs.append([index])
    return runs


def _repeats(visible: str, seen_pairs: set[str], run: str) -> bool:
    """Whether an invisible line says what the visible text says: nearly all its character
    pairs, and every figure in it, are there too (a line with other figures contradicts)."""
    if _share_in(_pairs(run), seen_pairs) < _DUPLICATE_SHARE:
        return False
    return all(figure in visible for figure in _FIGURE.findall(run))


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)} if len(text) > 1 else {text}


def _share_in(pairs: set[str], seen: set[str]) -> float:
    return len(pairs & seen) / len(pairs) if pairs else 0.0


def _on_image(run: list[int], areas: list[tuple[Rect, int]], box: Callable[[int], Rect]) -> bool:
    if not areas:
        return False
    inside = 0
    for index in (run[0], run[-1]):
        x0, y0, x1, y1 = box(index)
        x, y = (x0 + x1) / 2, (y0 + y1) / 2
        if any(a[0] <= x <= a[2] and a[1] <= y <= a[3] for a, _z in areas):
            inside += 1
    return inside == 2
