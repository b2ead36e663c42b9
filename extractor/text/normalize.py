"""Lines from a reader → paragraphs of normalised text, each character tied to its origin.

Matching needs a canonical form (full-width digits and punctuation folded to ASCII, radical
look-alikes to ordinary characters, no spaces inside numbers, lines broken by the PDF joined
again). Researchers need the original. So every normalised character keeps the offset of the
character it came from in ``NormalisedText.raw``, and evidence is always cut from ``raw``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace

import regex

from ..readers.base import Line, ReadResult, TableBlock
from ..rules import RuleSet, TextRules

PARAGRAPH_BREAK = "\n"


@dataclass
class Paragraph:
    """A logical paragraph: joined lines, normalised, with a raw offset per character."""

    text: str
    offsets: list[int]
    page: int | None
    paragraph: int | None
    toc: bool = False

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw offsets [start, end) covering normalised characters [start, end)."""
        end = max(end, start + 1)
        return self.offsets[start], self.offsets[min(end, len(self.offsets)) - 1] + 1


@dataclass
class NormalisedText:
    raw: str
    paragraphs: list[Paragraph]
    tables: list[TableBlock]
    line_starts: list[int]
    lines: list[Line]
    dropped_lines: int = 0
    page_count: int | None = None
    notes: list[str] = field(default_factory=list)


_HEADING_START = regex.compile(
    r"^\s*(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]"
    r"|\d{1,2}\s*[、.．](?!\d)|[①-⑳])"
)
_SPACE = regex.compile(r"\s")


def _is_cjk_or_digit_side(char: str) -> bool:
    """Characters next to which a space is layout noise, not a word separator."""
    if not char:
        return False
    if char.isdigit() or char in ".,%":
        return True
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFFEF
        or 0x3000 <= code <= 0x303F
        or char in "“”‘’（）《》【】、，。；：！？"
    )


def normalise(result: ReadResult, rules: RuleSet) -> NormalisedText:
    lines, tables = split_inline_headings(result.lines, result.tables, rules.text)
    raw_parts: list[str] = []
    line_starts: list[int] = []
    position = 0
    for line in lines:
        line_starts.append(position)
        raw_parts.append(line.text)
        position += len(line.text) + 1
    raw = "\n".join(raw_parts)
    dropped = _dropped_lines(lines, rules.text)
    toc = _toc_lines(lines, dropped, rules.text)
    paragraphs = _join_paragraphs(lines, line_starts, dropped, toc, rules)
    return NormalisedText(
        raw=raw,
        paragraphs=paragraphs,
        tables=tables,
        line_starts=line_starts,
        lines=lines,
        dropped_lines=len(dropped),
        page_count=result.pages,
    )


def split_inline_headings(
    lines: list[Line], tables: list[TableBlock], rules: TextRules
) -> tuple[list[Line], list[TableBlock]]:
    """Lines that run several sections together, broken before and after each marked heading
    inside them (``inline_heading_break``): the space there becomes the line break, so every
    character keeps its offset. The tables' first lines are renumbered to match."""
    split: list[Line] = []
    first_of: list[int] = []  # the index in ``split`` of each line's first piece
    for line in lines:
        first_of.append(len(split))
        breaks = [] if line.in_table else list(rules.inline_heading_break.finditer(line.text))
        start = 0
        for found in breaks:
            # The last character of the space is the line break; the rest stays in the line.
            split.append(replace(line, text=line.text[start : found.end() - 1], continues=False))
            start = found.end()
        split.append(line if not breaks else replace(line, text=line.text[start:]))
    if len(split) == len(lines):
        return lines, tables
    moved = [
        table if table.first_line < 0 else replace(table, first_line=first_of[table.first_line])
        for table in tables
    ]
    return split, moved


def _dropped_lines(lines: list[Line], rules: TextRules) -> set[int]:
    """Page numbers, page footers and running headers repeated across pages."""
    dropped: set[int] = set()
    by_page: dict[int | None, list[int]] = {}
    for index, line in enumerate(lines):
        if line.text.strip():
            by_page.setdefault(line.page, []).append(index)
    for page, indexes in by_page.items():
        edges = indexes if page is None else indexes[:2] + indexes[-2:]
        for index in edges:
            if rules.page_number_line.match(lines[index].text):
                dropped.add(index)
    pages_with_text = [page for page in by_page if page is not None]
    if len(pages_with_text) >= 3:
        edge_texts: Counter[str] = Counter()
        for page in pages_with_text:
            indexes = [i for i in by_page[page] if i not in dropped]
            for index in {*indexes[:1], *indexes[-1:]}:
                edge_texts[_SPACE.sub("", lines[index].text)] += 1
        threshold = max(3, int(0.4 * len(pages_with_text)))
        repeated = {text for text, count in edge_texts.items() if count >= threshold and text}
        for page in pages_with_text:
            indexes = by_page[page]
            for index in {*indexes[:1], *indexes[-1:]}:
                if _SPACE.sub("", lines[index].text) in repeated and not lines[index].in_table:
                    dropped.add(index)
    return dropped


def _toc_lines(lines: list[Line], dropped: set[int], rules: TextRules) -> set[int]:
    """Lines of a table of contents: leader dots, field residue, or the run of headings after
    a 目录 title up to where the first entry appears again."""
    toc = {index for index, line in enumerate(lines) if rules.toc_line.search(line.text)}
    index = 0
    while index < len(lines):
        if index not in dropped and rules.toc_title.match(lines[index].text):
            toc.add(index)
            first_entry: str | None = None
            cursor = index + 1
            while cursor < len(lines):
                text = _SPACE.sub("", lines[cursor].text)
                if not text or cursor in dropped:
                    cursor += 1
                    continue
                if first_entry is None:
                    first_entry = text
                elif text == first_entry:
                    break
                if not _looks_like_toc_entry(lines[cursor].text, rules):
                    break
                toc.add(cursor)
                cursor += 1
            index = cursor
        index += 1
    return toc


def _looks_like_toc_entry(text: str, rules: TextRules) -> bool:
    stripped = text.strip()
    if rules.toc_line.search(stripped):
        return True
    return "。" not in stripped and len(stripped) <= 60


def _join_paragraphs(
    lines: list[Line], line_starts: list[int], dropped: set[int], toc: set[int], rules: RuleSet
) -> list[Paragraph]:
    def build(indexes: list[int]) -> Paragraph:
        return _build(indexes, lines, line_starts, toc, rules.text)

    typical = _typical_length(lines)
    paragraphs: list[Paragraph] = []
    current: list[int] = []
    previous: Line | None = None
    for index, line in enumerate(lines):
        if index in dropped:
            continue
        if line.in_table:  # a table ends the paragraph before it
            if current:
                paragraphs.append(build(current))
            current, previous = [], None
            continue
        if not line.text.strip():
            if line.continues is None and current:  # a blank line ends a TXT paragraph
                paragraphs.append(build(current))
                current, previous = [], None
            continue
        if (
            previous is not None
            and current
            and not _joins(previous, line, typical, rules, first=len(current) == 1)
        ):
            paragraphs.append(build(current))
            current = []
        if current and (index in toc) != (current[-1] in toc):
            paragraphs.append(build(current))
            current = []
        current.append(index)
        previous = line
    if current:
        paragraphs.append(build(current))
    return [paragraph for paragraph in paragraphs if paragraph.text.strip()]


def _typical_length(lines: list[Line]) -> int:
    lengths = sorted(
        len(line.text.strip()) for line in lines if line.text.strip() and not line.in_table
    )
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.75)]


def _joins(previous: Line, line: Line, typical: int, rules: RuleSet, first: bool) -> bool:
    """Does ``line`` continue the paragraph that ``previous`` belongs to?

    ``first`` says whether ``previous`` is the first line of its paragraph (only then can it
    be a heading or a title).
    """
    before = previous.text.rstrip()
    after = line.text.lstrip()
    # A heading cut at the margin goes on in a short tail ("…支出情" + "况说明"); one that ends
    # short of the margin is complete.
    if (
        previous.page == line.page
        and first
        and previous.continues is not False
        and _heading_tail(before, after)
    ):
        return True
    if _starts_block(before if first else None, after, rules):
        return False
    finished = bool(before) and before[-1] in rules.text.sentence_end + "。"
    if before and before[-1] in _DANGLING:
        # "…384.75万元，占" cannot end a paragraph, whatever the margin or the page says.
        return True
    if not finished and (after[:1] in _CANNOT_START or _BARE_PERCENT.match(after)):
        # "的84.06%", "0.56%，…": no paragraph starts like this; the line before goes on.
        return True
    if previous.continues is True:
        # A line that reaches the margin goes on, except across a page after a finished
        # sentence: splitting a paragraph there costs nothing, joining a title to it would.
        return not (finished and previous.page != line.page)
    if previous.continues is False:
        # Word does not break inside "15.16%" or "（项）", so a line can end well short of the
        # margin mid-sentence: a long line without closing punctuation goes on.
        return not finished and typical >= 20 and len(before) >= 0.6 * typical
    # No layout (TXT): join a line that looks wrapped.
    return not finished and typical >= 30 and len(before) >= 0.9 * typical


# A row number before its text ("3 办公设备购置"), not a figure whose unit or % follows a space
# ("30 万元，…", "22 %。…" go on the sentence of the line before).
_NUMBERED_ROW = regex.compile(r"^\d{1,2}\s+(?![%％万亿元])\S")
# Characters a clause cannot end with: a line ending so goes on in the next one.
_DANGLING = frozenset("占为的和及与比较、，,")
# Characters a paragraph cannot start with, and a bare percentage.
_CANNOT_START = frozenset("的了%％，,。、；;：:）)")
_BARE_PERCENT = regex.compile(r"^\d+(?:\.\d+)?\s*[%％]")


def _starts_block(before: str | None, after: str, rules: RuleSet) -> bool:
    """A heading or title on either side, or a numbered line or table row, never joins."""
    return (
        (before is not None and _is_heading_line(before, rules))
        or bool(_HEADING_START.match(after))
        or _is_heading_line(after, rules)
        or bool(_NUMBERED_ROW.match(after))
    )


def _is_heading_line(text: str, rules: RuleSet) -> bool:
    return rules.headings.classify(rules.text.fold(text)) is not None


def _heading_tail(before: str, after: str) -> bool:
    """'三、…支出情' + '况说明': a heading wrapped onto a short second line."""
    return (
        bool(_HEADING_START.match(before))
        and len(after) <= 6
        and not any(mark in after for mark in "。，,；;：:")
        and not _HEADING_START.match(after)
        and len(before) >= 12
    )


def _build(
    indexes: list[int], lines: list[Line], line_starts: list[int], toc: set[int], rules: TextRules
) -> Paragraph:
    parts: list[str] = []
    offsets: list[int] = []
    for position, index in enumerate(indexes):
        text = lines[index].text
        start = line_starts[index]
        if position and parts and text.strip():
            # Latin words split over lines need their space back; CJK and numbers do not.
            last, first = parts[-1][-1:], text.lstrip()[:1]
            if last.isascii() and last.isalpha() and first.isascii() and first.isalpha():
                parts.append(" ")
                offsets.append(start - 1)
        folded, kept = rules.fold_line(text)
        parts.append(folded)
        offsets.extend(start + offset for offset in kept) if kept is not None else offsets.extend(
            range(start, start + len(text))
        )
    text, offsets = _squeeze_spaces("".join(parts), offsets)
    first_line = lines[indexes[0]]
    return Paragraph(
        text=text,
        offsets=offsets,
        page=first_line.page,
        paragraph=first_line.paragraph,
        toc=indexes[0] in toc,
    )


_SPACE_RUN = regex.compile(r" +")


def _squeeze_spaces(text: str, offsets: list[int]) -> tuple[str, list[int]]:
    """Drop spaces next to CJK text or numbers and at the ends; collapse the rest to one."""
    if " " not in text:
        return text, offsets
    out_text: list[str] = []
    out_offsets: list[int] = []
    position = 0
    for run in _SPACE_RUN.finditer(text):
        start, end = run.span()
        out_text.append(text[position:start])
        out_offsets.extend(offsets[position:start])
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        keep = (
            bool(before)
            and bool(after)
            and not (
                _is_cjk_or_digit_side(before)
                and _is_cjk_or_digit_side(after)
                and not (before.isdigit() and after.isdigit())
            )
        )
        if keep and (_is_cjk(before) or _is_cjk(after)):
            keep = False
        if keep:
            out_text.append(" ")
            out_offsets.append(offsets[start])
        position = end
    out_text.append(text[position:])
    out_offsets.extend(offsets[position:])
    return "".join(out_text), out_offsets


def _is_cjk(char: str) -> bool:
    if not char:
        return False
    code = ord(char)
    return (
        0x2E80 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0x3000 <= code <= 0x303F
        or char in "“”、，。；：！？（）《》"
    )
