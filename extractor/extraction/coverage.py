"""Coverage: the figures of the narrative no fact's statement took, as unparsed figures,
and the share of figure sentences fully read."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Protocol

import regex

from ..models import Coverage, UnparsedFigure
from ..rules import FigureRules
from ..structure.sections import SectionNode
from .textview import Locator, TextView


class _Span(Protocol):
    start: int
    end: int


class ReadSection(Protocol):
    """A section as matched: its node, its text, and the statements read in it."""

    node: SectionNode
    view: TextView

    @property
    def drafts(self) -> Sequence[_Span]: ...


def measure_coverage(
    results: Sequence[ReadSection], locator: Locator, rules: FigureRules
) -> tuple[list[UnparsedFigure], Coverage]:
    figure, not_narrative = rules.figure, rules.not_narrative
    unparsed: list[UnparsedFigure] = []
    sentences = covered = figures = parsed = 0
    for result in results:
        if result.node.families & not_narrative:
            continue
        view = result.view
        covers = _SpanCover([(draft.start, draft.end) for draft in result.drafts])
        by_sentence: dict[tuple[int, int], list[regex.Match[str]]] = {}
        for match in figure.finditer(view.text):
            bounds = view.sentence_bounds(match.start(), match.end())
            by_sentence.setdefault(bounds, []).append(match)
        for (start, end), matches in by_sentence.items():
            missing = [m for m in matches if not covers.covers(m.start(), m.end())]
            sentences += 1
            figures += len(matches)
            parsed += len(matches) - len(missing)
            if not missing:
                covered += 1
                continue
            char_start, char_end = view.raw_span(start, end)
            unparsed.append(
                UnparsedFigure(
                    sentence=view.original(start, end),
                    figures=[m.group() for m in missing],
                    section_path=result.node.path,
                    page=locator.page_of(char_start),
                    paragraph=locator.paragraph_of(char_start),
                    char_start=char_start,
                    char_end=char_end,
                )
            )
    score = covered / sentences if sentences else 1.0
    return unparsed, Coverage(
        figure_sentences=sentences,
        covered_sentences=covered,
        figures=figures,
        parsed_figures=parsed,
        score=round(score, 4),
    )


class _SpanCover:
    """Is [start, end) inside one of a set of spans? Bisected over the spans sorted by start,
    with the furthest end reached so far, so a section with thousands of facts costs no more
    per figure than one with ten (a linear scan made a long section quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end
