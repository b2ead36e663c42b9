"""Invisible formatting characters: zero-width spaces and joiners, direction marks,
embeddings, overrides and isolates, the BOM used as a zero-width no-break space, soft hyphens.

They show nothing, but text pasted from web pages, PDF viewers and bidi-aware editors carries
them, also inside figures ("221.\u200b17"), where they would split a number in two. The
reader keeps them in the text (it is the evidence, and offsets point into it); normalisation
drops them for matching (``drop`` in patterns/normalize.yaml holds the same set, a test checks
it), and a warning says where they stood next to a figure.
"""

from __future__ import annotations

import regex

from ..models import Problem
from ..problems import ProblemCode
from .base import Line

INVISIBLE = (
    "\u00ad\u061c\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
    "\u2060\u2061\u2062\u2063\u2064\u2066\u2067\u2068\u2069\ufeff"
)
_ANY = regex.compile(f"[{INVISIBLE}]")
# A run of marks with a digit (or a decimal point between digits) on one side.
_IN_FIGURE = regex.compile(rf"(?<=\d[.,]?)[{INVISIBLE}]+|[{INVISIBLE}]+(?=[.,]?\d)")


def marks_warning(lines: list[Line], *, unit: str = "line") -> Problem | None:
    """A ``marks_in_figures`` warning if invisible marks stand inside or next to figures."""
    count = 0
    where: list[int] = []
    pages: set[int] = set()
    samples: list[str] = []
    for index, line in enumerate(lines, start=1):
        if not _ANY.search(line.text):
            continue
        found = list(_IN_FIGURE.finditer(line.text))
        if not found:
            continue
        count += sum(len(match.group()) for match in found)
        where.append(line.paragraph or index)
        if line.page is not None:
            pages.add(line.page)
        for match in found[: 5 - len(samples)]:
            start, end = max(match.start() - 8, 0), min(match.end() + 8, len(line.text))
            samples.append(
                line.text[start:end].translate(
                    {ord(char): f"<U+{ord(char):04X}>" for char in INVISIBLE}
                )
            )
    if not count:
        return None
    shown = ", ".join(str(number) for number in where[:10])
    more = f" and {len(where) - 10} more" if len(where) > 10 else ""
    return Problem(
        code=ProblemCode.MARKS_IN_FIGURES,
        message=f"{count:,} invisible formatting characters (zero-width spaces, direction"
        f" marks …) stood inside or next to figures, in {unit}{'s' if len(where) > 1 else ''}"
        f" {shown}{more}; they were ignored when reading the figures",
        pages=sorted(pages),
        detail="; ".join(samples),
    )
