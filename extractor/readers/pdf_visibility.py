"""Which characters of a PDF page a person sees.

PDFium's text layer holds every character the content stream shows, drawn or not. Three
kinds are never seen and must not become facts:

* text in an invisible render mode (3 or 7), unless it is the OCR layer over a page image —
  then it is the only text a scanned page has, and is read;
* text painted white (or fully transparent) where nothing but the white page lies under it;
* text covered by an opaque rectangle drawn after it (a figure "corrected" by painting over
  it, a redaction box).

Invisible text that repeats the visible text is a second text layer (``duplicate_text_layer``);
any other unseen text is ``hidden_text``. Deciding costs one pass over the page's objects; the
characters are looked at one by one only on a page where that pass found something.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import regex

from . import pdf_native as native

Rect = tuple[float, float, float, float]  # left, bottom, right, top (page space)

_INVISIBLE_MODES = frozenset({3, 7})
_STROKE_ONLY_MODES = frozenset({1, 5})
_FILL_AND_STROKE_MODES = frozenset({2, 6})
# A colour whose every channel is at least this light cannot be told from the white page.
_WHITE = 240
_MIN_COVER = 3.0  # points: smaller filled boxes are rules and borders, not covers
_MAX_DEPTH = 8  # form objects nested deeper than this are not followed
# Share of an invisible run's character pairs that must also be in the visible text for it
# to count as a copy of that text.
_DUPLICATE_SHARE = 0.8
_FIGURE = regex.compile(r"\d+(?:[.,]\d+)*")


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
    form_area: tuple[Rect, int] | None = None  # the top-level form being walked
    form_has_image = False
    for obj, z, top_level, mode, kind in _objects(page):
        if top_level and form_area is not None:
            if form_has_image:
                scan.image_areas.append(form_area)
            form_area, form_has_image = None, False
        if mode >= 0:
            scan.text_objects += 1
            scan.text_z[obj] = z
            if mode in _INVISIBLE_MODES:
                scan.invisible.add(obj)
            else:
                unseen = _unseen_paint(obj, mode)
                if unseen is not None:
                    scan.white.append((obj, z, unseen))
            continue
        if kind == native.OBJECT_IMAGE:
            if top_level:
                area = native.bounds(obj)
                if area is not None:
                    scan.image_areas.append((area, z))
            else:
                form_has_image = True
        elif kind == native.OBJECT_FORM and top_level:
            area = native.bounds(obj)
            form_area = (area, z) if area is not None else None
        elif kind == native.OBJECT_PATH and top_level and scan.text_objects:
            cover = _opaque_box(obj)
            if cover is not None:
                scan.covers.append((cover, z))
    if form_area is not None and form_has_image:
        scan.image_areas.append(form_area)
    return scan


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
    if not native.is_filled(path):
        return None
    *_rgb, alpha = native.fill_color(path)
    if alpha < 255:
        return None
    area = native.bounds(path)
    if area is None:
        return None
    left, bottom, right, top = area
    if right - left < _MIN_COVER or top - bottom < _MIN_COVER:
        return None
    return area if native.is_rectangle(path) else None


def page_visibility(page: int, textpage: int, text: str) -> PageVisibility:
    """Which characters of ``text`` (the page's text, one character per PDFium index) are
    not seen, and what was decided about invisible text."""
    scan = _scan(page)
    if not (scan.invisible or scan.white or scan.covers):
        return NOTHING_HIDDEN
    if len(scan.invisible) == scan.text_objects:
        return _all_invisible(text, bool(scan.image_areas))
    owners = [native.text_object(textpage, index) for index in range(len(text))]
    boxes: dict[int, Rect] = {}

    def box(index: int) -> Rect:
        if index not in boxes:
            boxes[index] = native.char_box(textpage, index)
        return boxes[index]

    unseen_objects = {
        obj
        for obj, z, transparent in scan.white
        if transparent or not _over_background(page, scan, native.bounds(obj), z)
    }
    hidden = {
        index
        for index, owner in enumerate(owners)
        if owner in unseen_objects and not text[index].isspace()
    }
    hidden |= _covered(textpage, text, owners, scan, box)
    invisible = [
        index
        for index, owner in enumerate(owners)
        if owner in scan.invisible and not text[index].isspace()
    ]
    visible = "".join(
        char
        for index, char in enumerate(text)
        if not char.isspace() and index not in hidden and owners[index] not in scan.invisible
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


def _all_invisible(text: str, on_image: bool) -> PageVisibility:
    """A page whose only text is invisible: a scan's OCR layer, or text no one sees."""
    chars = [index for index, char in enumerate(text) if not char.isspace()]
    if on_image:
        return PageVisibility(ocr=len(chars))
    sample = "".join(text[i] for i in chars)[:60]
    return PageVisibility(frozenset(chars), hidden=len(chars), sample=sample)


def _covered(
    textpage: int, text: str, owners: list[int], scan: _Scan, box: Callable[[int], Rect]
) -> set[int]:
    covered: set[int] = set()
    for (left, bottom, right, top), z in scan.covers:
        if native.chars_in(textpage, left + 0.5, bottom + 0.5, right - 0.5, top - 0.5) == 0:
            continue
        for index, owner in enumerate(owners):
            if text[index].isspace() or scan.text_z.get(owner, z) >= z:
                continue
            x0, y0, x1, y1 = box(index)
            x, y = (x0 + x1) / 2, (y0 + y1) / 2
            if left <= x <= right and bottom <= y <= top:
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
