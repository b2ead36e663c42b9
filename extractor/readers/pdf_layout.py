"""Reading order from where the characters are: lines, two columns, the text's own direction.

PDFium gives a page's text in content-stream order and joins objects that start at the
same height into one line. That is right for most pages, and wrong for three kinds: a page
whose text runs sideways (``/Rotate`` or a rotated text matrix), where it sorts the lines
across the page instead of down it; a two-column page whose stream alternates between the
columns, where it joins a line of each into one; and a page from which hidden characters
were taken out, where an edit drawn over the old text belongs inside the line. For those
pages the reader lays the characters out here, in the *reading frame*: the page turned so
that the text runs left to right, measured top-down like pdfplumber.

Everything here is pure geometry on :class:`Glyph` records.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import regex

_HAN = regex.compile(r"\p{Han}")
# Line clustering: glyphs whose baselines are closer than this share of the em size.
_SAME_LINE = 0.45
# A gap wider than this share of the em size between two glyphs of a line is a space.
_SPACE_GAP = 0.3


@dataclass(frozen=True)
class Frame:
    """Page space turned so that text at ``angle`` runs along +u; v grows downwards."""

    cos: float
    sin: float
    shift_u: float
    shift_v: float
    width: float
    height: float

    @classmethod
    def turned(cls, angle: float, width: float, height: float) -> Frame:
        """The frame for text whose lines run at ``angle`` degrees (counter-clockwise)."""
        radians = math.radians(angle)
        cos, sin = round(math.cos(radians), 12), round(math.sin(radians), 12)
        corners = [(0.0, 0.0), (width, 0.0), (0.0, height), (width, height)]
        us = [x * cos + y * sin for x, y in corners]
        ups = [-x * sin + y * cos for x, y in corners]
        return cls(cos, sin, min(us), max(ups), max(us) - min(us), max(ups) - min(ups))

    @property
    def upright(self) -> bool:
        return self.cos == 1.0 and self.sin == 0.0

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(u, v) of a point of page space: u along the text, v down the page."""
        return (
            x * self.cos + y * self.sin - self.shift_u,
            self.shift_v - (-x * self.sin + y * self.cos),
        )

    def box(
        self, left: float, bottom: float, right: float, top: float
    ) -> tuple[float, float, float, float]:
        """(u0, v0, u1, v1) of a page-space box: the frame box around its corners."""
        points = [self.point(x, y) for x in (left, right) for y in (bottom, top)]
        us = [u for u, _ in points]
        vs = [v for _, v in points]
        return (min(us), min(vs), max(us), max(vs))


@dataclass(frozen=True)
class Glyph:
    """One character in the reading frame."""

    index: int  # offset in the page's text
    char: str
    left: float
    right: float
    base: float  # the baseline, top-down
    size: float  # em size

    @property
    def top(self) -> float:
        return self.base - 0.8 * self.size

    @property
    def bottom(self) -> float:
        return self.base + 0.2 * self.size


@dataclass(frozen=True)
class LaidLine:
    text: str
    box: tuple[float, float, float, float]  # top, bottom, left, right (reading frame)
    # Lines measured against the same right margin: 0 full width, 1 left column, 2 right.
    group: int = 0


@dataclass(frozen=True)
class Gutter:
    """The blank strip between two columns (u from ``left`` to ``right``), and how far down
    the page the columns beside it run (v from ``top`` to ``bottom``)."""

    left: float
    right: float
    top: float = 0.0
    bottom: float = 0.0


def direction_angle(a: float, b: float) -> float:
    """Angle in degrees (0 ≤ angle < 360) of the direction (a, b)."""
    return math.degrees(math.atan2(b, a)) % 360.0


def dominant_angle(angles: Sequence[float]) -> float:
    """The angle most characters run at, to the nearest degree."""
    counts: dict[int, int] = {}
    for angle in angles:
        key = round(angle) % 360
        counts[key] = counts.get(key, 0) + 1
    return float(max(counts, key=lambda key: (counts[key], -key))) if counts else 0.0


def build_lines(glyphs: Sequence[Glyph]) -> list[list[Glyph]]:
    """Glyphs grouped into lines by baseline, top to bottom, each line left to right."""
    ordered = sorted(glyphs, key=lambda glyph: (glyph.base, glyph.left, glyph.index))
    lines: list[list[Glyph]] = []
    reference = -math.inf
    for glyph in ordered:
        if lines and glyph.base - reference <= _SAME_LINE * max(glyph.size, 1.0):
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
            reference = glyph.base
    return [_without_twins(sorted(line, key=lambda g: (g.left, g.index))) for line in lines]


def _without_twins(line: list[Glyph]) -> list[Glyph]:
    """Drop a character printed twice on the same spot (fake bold)."""
    kept: list[Glyph] = []
    for glyph in line:
        if kept:
            previous = kept[-1]
            near = max((previous.right - previous.left) * 0.5, 1.2)
            if (
                glyph.char == previous.char
                and abs(glyph.left - previous.left) < near
                and abs(glyph.base - previous.base) < near
            ):
                continue
        kept.append(glyph)
    return kept


def line_text(line: Sequence[Glyph]) -> str:
    parts: list[str] = []
    previous: Glyph | None = None
    for glyph in line:
        if previous is not None and glyph.left - previous.right > _SPACE_GAP * max(
            glyph.size, previous.size
        ):
            parts.append(" ")
        parts.append(glyph.char)
        previous = glyph
    return "".join(parts)


def _laid(line: Sequence[Glyph], group: int) -> LaidLine:
    top = min(glyph.top for glyph in line)
    bottom = max(glyph.bottom for glyph in line)
    return LaidLine(line_text(line), (top, bottom, line[0].left, line[-1].right), group)


def _median(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 0.0


def _ink_runs(line: Sequence[Glyph], gap: float) -> list[tuple[float, float]]:
    """The stretches of a line covered by glyphs, closing gaps narrower than ``gap``."""
    runs: list[tuple[float, float]] = []
    for glyph in line:
        if runs and glyph.left - runs[-1][1] < gap:
            runs[-1] = (runs[-1][0], max(runs[-1][1], glyph.right))
        else:
            runs.append((glyph.left, glyph.right))
    return runs


def crossings(runs: Sequence[Sequence[tuple[float, float]]], low: int, high: int) -> list[int]:
    """For each point x in [low, high), how many lines have ink at x + 0.5."""
    diff = [0] * (high - low + 1)
    for line_runs in runs:
        for a, b in line_runs:
            first = max(math.ceil(a - 0.5), low) - low
            last = min(math.floor(b - 0.5), high - 1) - low
            if first <= last:
                diff[first] += 1
                diff[last + 1] -= 1
    counts: list[int] = []
    total = 0
    for step in diff[:-1]:
        total += step
        counts.append(total)
    return counts


def find_gutter(lines: Sequence[Sequence[Glyph]]) -> Gutter | None:
    """A vertical strip in the middle of the text that (almost) no line crosses, with a
    column of running text on each side; None for a page of one column or a table."""
    glyphs = [glyph for line in lines for glyph in line]
    if len(lines) < 8 or not glyphs:
        return None
    size = _median([glyph.size for glyph in glyphs]) or 10.0
    start = min(glyph.left for glyph in glyphs)
    end = max(glyph.right for glyph in glyphs)
    width = end - start
    if width < 20 * size:
        return None
    low, high = int(start + 0.25 * width), int(start + 0.75 * width)
    crossing = crossings([_ink_runs(line, size) for line in lines], low, high)
    allowed = max(1, int(0.15 * len(lines)))
    best: tuple[int, int] | None = None
    run_start: int | None = None
    for offset, count in enumerate([*crossing, allowed + 1]):
        if count <= allowed and run_start is None:
            run_start = offset
        elif count > allowed and run_start is not None:
            if best is None or offset - run_start > best[1] - best[0]:
                best = (run_start, offset)
            run_start = None
    if best is None or best[1] - best[0] < 1.2 * size:
        return None
    gutter = Gutter(low + best[0] + 0.5, low + best[1] - 0.5)
    return _two_columns(lines, gutter, size)


def _split(
    lines: Sequence[Sequence[Glyph]], gutter: Gutter
) -> tuple[list[Sequence[Glyph]], list[Glyph], list[Glyph]]:
    """Lines crossing the gutter, and the glyphs left and right of it."""
    spanning: list[Sequence[Glyph]] = []
    left: list[Glyph] = []
    right: list[Glyph] = []
    for line in lines:
        if any(glyph.right > gutter.left and glyph.left < gutter.right for glyph in line):
            spanning.append(line)
            continue
        for glyph in line:
            (left if glyph.right <= gutter.left else right).append(glyph)
    return spanning, left, right


def _two_columns(lines: Sequence[Sequence[Glyph]], gutter: Gutter, size: float) -> Gutter | None:
    """The gutter with the columns' extent, if both sides hold running text."""
    spanning, left, right = _split(lines, gutter)
    if len(spanning) > 0.3 * len(lines):
        return None
    columns = [build_lines(left), build_lines(right)]
    for column in columns:
        long_lines = [line for line in column if len(line) >= 4]
        if len(long_lines) < 4:
            return None
        chars = "".join(glyph.char for line in column for glyph in line)
        if len(_HAN.findall(chars)) < 0.4 * len(chars):
            return None
    # Running text reaches the gutter: wrapped lines of the left column end near it.
    reaching = sum(1 for line in columns[0] if line[-1].right >= gutter.left - 3 * size)
    if reaching < 0.4 * len(columns[0]):
        return None
    tops = [min(glyph.top for glyph in column[0]) for column in columns]
    bottoms = [max(glyph.bottom for glyph in column[-1]) for column in columns]
    overlap = min(bottoms) - max(tops)
    if overlap < 0.3 * min(bottom - top for top, bottom in zip(tops, bottoms, strict=True)):
        return None
    return Gutter(gutter.left, gutter.right, min(tops), max(bottoms))


def lay_out(lines: Sequence[Sequence[Glyph]], gutter: Gutter | None = None) -> list[LaidLine]:
    """Lines (from :func:`build_lines`) in reading order: top to bottom, and with a gutter,
    column by column between the lines that run across both columns (a title, a note)."""
    if gutter is None:
        return [_laid(line, 0) for line in lines if line]
    spanning, left, right = _split(lines, gutter)
    blocks: list[LaidLine] = []
    column_lines = [(line, 1) for line in build_lines(left)] + [
        (line, 2) for line in build_lines(right)
    ]
    breaks = [line[0].base for line in spanning] + [math.inf]
    previous = -math.inf
    for index, limit in enumerate(breaks):
        block = [(line, group) for line, group in column_lines if previous <= line[0].base < limit]
        block.sort(key=lambda item: (item[1], item[0][0].base))
        blocks.extend(_laid(line, group) for line, group in block)
        if index < len(spanning):
            blocks.append(_laid(spanning[index], 0))
        previous = limit
    return blocks


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
