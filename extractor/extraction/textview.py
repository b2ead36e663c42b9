"""A section's text as one string tied to the document's raw text, and raw offsets → page,
paragraph and line: what provenance is cut from."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

import regex

from ..rules import TextRules
from ..text.normalize import NormalisedText, Paragraph

_SENTENCE_END = regex.compile(r"[。！？!?\n]")


@dataclass
class TextView:
    """A section's body paragraphs as one string; '\n' between paragraphs maps to -1."""

    text: str
    offsets: list[int]
    paragraphs: list[Paragraph]
    raw: str
    cleaner: TextRules

    @classmethod
    def of(cls, paragraphs: list[Paragraph], raw: str, cleaner: TextRules) -> TextView:
        chars: list[str] = []
        offsets: list[int] = []
        for number, paragraph in enumerate(paragraphs):
            if number:
                chars.append("\n")
                offsets.append(-1)
            chars.append(paragraph.text)
            offsets.extend(paragraph.offsets)
        return cls("".join(chars), offsets, paragraphs, raw, cleaner)

    def original(self, start: int, end: int) -> str:
        """The original characters of text[start:end] (line breaks, page furniture gone)."""
        raw = self.raw
        return self.cleaner.clean(
            "".join([raw[o] if o >= 0 else " " for o in self.offsets[start:end]])
        ).strip()

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        first = next((self.offsets[i] for i in range(start, end) if self.offsets[i] >= 0), -1)
        last = next(
            (self.offsets[i] for i in range(end - 1, start - 1, -1) if self.offsets[i] >= 0), -1
        )
        return first, last + 1

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [match.start() for match in _SENTENCE_END.finditer(self.text)]

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) of the sentence(s) holding text[start:end] (ends found once, then
        bisected, so a long run of figures costs no more than a short one)."""
        ends = self._sentence_ends
        first_end = bisect.bisect_left(ends, start)
        before = ends[first_end - 1] if first_end else -1
        closing = bisect.bisect_left(ends, max(end - 1, start))
        if closing < len(ends):
            after = ends[closing] + (0 if self.text[ends[closing]] == "\n" else 1)
        else:
            after = len(self.text)
        return before + 1, after


class Locator:
    """Raw offsets → page, paragraph and line."""

    def __init__(self, normalised: NormalisedText) -> None:
        self.normalised = normalised
        self.starts = normalised.line_starts

    def line_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def page_of(self, offset: int) -> int | None:
        if not self.normalised.lines:
            return None
        return self.normalised.lines[self.line_of(offset)].page

    def paragraph_of(self, offset: int) -> int | None:
        if not self.normalised.lines:
            return None
        return self.normalised.lines[self.line_of(offset)].paragraph
