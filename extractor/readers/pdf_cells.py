"""pdfplumber's character steps for tables, with the same results and without its quadratic work.

Two steps of pdfplumber cost more than the rest of a table page put together:
``dedupe_chars`` puts the characters it keeps back in order with ``sorted(key=chars.index)``,
a scan of the list for each character; and ``Table.extract`` tests every character of the
page against each row, then each row's characters against each of its cells. Here the same
decisions are taken with positions known up front and sorted searches; what comes out —
which characters are kept, which land in a cell, the cell's text — is what pdfplumber's own
functions give (``tests/test_pdf_cells.py`` holds them to it on every corpus table page).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from operator import itemgetter
from typing import Any, TypeVar

Char = dict[str, Any]
T = TypeVar("T")


def dedupe_chars(chars: list[Char], tolerance: float = 1) -> list[Char]:
    """pdfplumber's ``dedupe_chars(chars, tolerance, extra_attrs=())``: of the characters of
    one text whose ``doctop`` and then ``x0`` fall in one cluster (values chained within
    ``tolerance``), the first with the smallest (doctop, x0) is kept, in the input's order.

    One sort brings each text's characters together by height, where a cluster is a run
    without a step over ``tolerance``; only a run of two or more is looked at across. The
    list itself comes back when nothing is printed twice."""
    keys = sorted([(c["upright"], c["text"], c["doctop"], i) for i, c in enumerate(chars)])
    dropped: list[int] = []
    run: list[int] = []
    last_upright, last_text, last_top = None, None, 0.0
    for upright, text, top, index in keys:
        if text != last_text or upright != last_upright or top > last_top + tolerance:
            if len(run) > 1:
                dropped += _twins(chars, run, tolerance)
            run = [index]
        else:
            run.append(index)
        last_upright, last_text, last_top = upright, text, top
    if len(run) > 1:
        dropped += _twins(chars, run, tolerance)
    if not dropped:
        return chars
    unkept = set(dropped)
    return [char for index, char in enumerate(chars) if index not in unkept]


def _twins(chars: list[Char], run: list[int], tolerance: float) -> list[int]:
    """Of ``run`` (one text's characters of one height cluster), those pdfplumber drops:
    all but one of each ``x0`` cluster."""
    lefts = sorted(chars[i]["x0"] for i in run)
    if all(b > a + tolerance for a, b in pairwise(lefts)):
        return []  # each on a spot of its own
    run.sort()  # pdfplumber looks at them in the page's order
    dropped: list[int] = []
    for spot in clusters(run, [chars[i]["x0"] for i in run], tolerance):
        # min() returns the first of equals, as pdfplumber's stable sort does.
        keep = min(spot, key=lambda i: (chars[i]["doctop"], chars[i]["x0"]))
        dropped.extend(i for i in spot if i != keep)
    return dropped


def clusters(items: list[T], values: list[Any], tolerance: float) -> list[list[T]]:
    """pdfplumber's ``cluster_objects`` of ``items`` by ``values`` (one each): the distinct
    values sorted, a new cluster where one is more than ``tolerance`` past the one before;
    clusters in the order of their values, items in their own order in each."""
    if len(items) == 1 or min(values) == max(values):
        return [items]
    distinct = sorted(set(values))
    cluster_of: dict[Any, int] = {}
    number = 0
    last = distinct[0]
    for value in distinct:
        if value > last + tolerance:  # with no tolerance, each distinct value on its own
            number += 1
        cluster_of[value] = number
        last = value
    grouped: list[list[T]] = [[] for _ in range(number + 1)]
    for item, value in zip(items, values, strict=True):
        grouped[cluster_of[value]].append(item)
    return grouped


class CharIndex:
    """A page's characters by the middle of their box, for pdfplumber's ``char_in_bbox``
    test (middle ≥ the box's near edge and < its far edge) as a sorted search."""

    def __init__(self, chars: list[Char]) -> None:
        self.chars = chars
        self.h_mid = [(char["x0"] + char["x1"]) / 2 for char in chars]
        self.v_mid = [(char["top"] + char["bottom"]) / 2 for char in chars]
        self.by_v = sorted(range(len(chars)), key=self.v_mid.__getitem__)
        self.sorted_v = [self.v_mid[i] for i in self.by_v]

    def inside(self, bbox: Sequence[float], among: list[int] | None = None) -> list[int]:
        """Offsets, in page order, of the characters whose middle is in ``bbox``; only
        those of ``among`` (offsets in page order) when given."""
        x0, top, x1, bottom = bbox
        h_mid, v_mid = self.h_mid, self.v_mid
        if among is None:
            band = self.by_v[bisect_left(self.sorted_v, top) : bisect_left(self.sorted_v, bottom)]
            band.sort()
            return [i for i in band if x0 <= h_mid[i] < x1]
        return [i for i in among if x0 <= h_mid[i] < x1 and top <= v_mid[i] < bottom]


def table_rows(table: Any, index: CharIndex) -> list[list[str | None]]:
    """pdfplumber's ``Table.extract()`` for a table found on the page ``index`` holds."""
    chars = index.chars
    settings = TextSettings()
    rows: list[list[str | None]] = []
    for row in table.rows:
        row_chars = index.inside(row.bbox)
        cells: list[str | None] = []
        for cell in row.cells:
            if cell is None:
                cells.append(None)
                continue
            inside = index.inside(cell, row_chars)
            cells.append(cell_text([chars[i] for i in inside], settings) if inside else "")
        rows.append(cells)
    return rows


@dataclass(frozen=True)
class TextSettings:
    """What pdfplumber's ``extract_text`` goes by when called with no settings: its default
    tolerances and ligatures, here so that reading cells does not import pdfplumber."""

    x_tolerance: float = 3
    y_tolerance: float = 3
    ligatures: dict[str, str] = field(
        default_factory=lambda: {
            "\ufb00": "ff",
            "\ufb03": "ffi",
            "\ufb04": "ffl",
            "\ufb01": "fi",
            "\ufb02": "fl",
            "\ufb06": "st",
            "\ufb05": "st",
        }
    )

    @staticmethod
    def extract_text(chars: list[Char]) -> str:
        """pdfplumber's own, for what the walk below does not do (text not upright)."""
        from pdfplumber.utils.text import extract_text

        text: str = extract_text(chars)
        return text


def cell_text(chars: list[Char], settings: TextSettings) -> str:
    """pdfplumber's ``extract_text(chars)`` with its default settings, for upright text:
    lines by ``top`` (within the y tolerance), each left to right, split into words where
    the next character starts before the last one or more than the x tolerance after it."""
    if not chars or not all(char["upright"] is True for char in chars):
        return settings.extract_text(chars)
    ligatures = settings.ligatures
    if len(chars) == 1:
        only: str = chars[0]["text"]
        return "" if only.isspace() else ligatures.get(only, only or "")
    x_tolerance, y_tolerance = settings.x_tolerance, settings.y_tolerance
    words: list[tuple[str, float]] = []  # text, top (its characters' smallest)
    for line in clusters(chars, [char["top"] for char in chars], y_tolerance):
        pieces: list[str] = []
        word_top = last_x0 = last_x1 = last_top = 0.0
        for char in sorted(line, key=_X0):
            text: str = char["text"]
            x0, top = char["x0"], char["top"]
            if text.isspace() or text == "":
                if pieces:
                    words.append(("".join(pieces), word_top))
                    pieces = []
                if text == "":  # pdfplumber splits at text "in" its (empty) punctuation
                    words.append(("", top))
                continue
            if pieces and (
                x0 < last_x0 or x0 > last_x1 + x_tolerance or abs(top - last_top) > y_tolerance
            ):
                words.append(("".join(pieces), word_top))
                pieces = []
            if not pieces or top < word_top:
                word_top = top
            pieces.append(ligatures.get(text, text))
            last_x0, last_x1, last_top = x0, char["x1"], top
        if pieces:
            words.append(("".join(pieces), word_top))
    lines = clusters(words, [top for _text, top in words], y_tolerance) if words else []
    return "\n".join(" ".join(text for text, _top in line) for line in lines)


_X0 = itemgetter("x0")
