"""Lines from a reader → paragraphs of normalised text, each character tied to its origin.

Matching needs a canonical form (full-width digits and punctuation folded to ASCII, radical
look-alikes to ordinary characters, no spaces inside numbers, lines broken by the PDF joined
again). Researchers need the original. So every normalised character keeps the offset of the
character it came from in ``NormalisedText.raw``, and evidence is always cut from ``raw``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

import regex

from .patterns import load_yaml
from .readers.base import Line, ReadResult, TableBlock

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


@dataclass(frozen=True)
class _Rules:
    radicals: dict[str, str]
    drop: frozenset[str]
    page_number_line: regex.Pattern[str]
    toc_line: regex.Pattern[str]
    toc_title: regex.Pattern[str]
    sentence_end: str


@cache
def _rules() -> _Rules:
    data = load_yaml("normalize.yaml")
    return _Rules(
        radicals=dict(data["radicals"]),
        drop=frozenset(data["drop"]),
        page_number_line=regex.compile(data["page_number_line"]),
        toc_line=regex.compile(data["toc_line"]),
        toc_title=regex.compile(data["toc_title"]),
        sentence_end=data["sentence_end"],
    )


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


@cache
def fold_char(char: str) -> str:
    """The matching form of one character ('' to drop it)."""
    rules = _rules()
    if char in rules.drop:
        return ""
    if char in rules.radicals:
        return rules.radicals[char]
    code = ord(char)
    if (
        char
        in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
    ):
        return " "
    folds = (
        0xFF01 <= code <= 0xFF5E  # full-width ASCII
        or 0x2F00 <= code <= 0x2FDF  # Kangxi radicals
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0x2F800 <= code <= 0x2FA1F
        or 0xFE50 <= code <= 0xFE6B  # small form variants
    )
    if folds:
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1:
            return folded
    return char


@cache
def clean_char(char: str) -> str:
    """The readable form of one original character: look-alike radicals and compatibility
    ideographs become the ordinary character; punctuation and widths stay as printed."""
    rules = _rules()
    if char in rules.radicals:
        return rules.radicals[char]
    code = ord(char)
    if 0x2F00 <= code <= 0x2FDF or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F:
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1:
            return folded
    return char


def fold_text(text: str) -> str:
    """Fold a string (a pattern example, a name, a line) the way paragraphs are folded."""
    return _fold_line(text)[0]


def clean_text(text: str) -> str:
    """``clean_char`` over a string."""
    return text.translate(_clean_table())


@cache
def _clean_table() -> dict[int, str]:
    candidates = [chr(c) for c in (*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00))]
    candidates += list(_rules().radicals)
    return {ord(c): clean_char(c) for c in candidates if clean_char(c) != c}


def normalise(result: ReadResult) -> NormalisedText:
    lines = result.lines
    raw_parts: list[str] = []
    line_starts: list[int] = []
    position = 0
    for line in lines:
        line_starts.append(position)
        raw_parts.append(line.text)
        position += len(line.text) + 1
    raw = "\n".join(raw_parts)
    dropped = _dropped_lines(lines)
    toc = _toc_lines(lines, dropped)
    paragraphs = _join_paragraphs(lines, line_starts, dropped, toc)
    return NormalisedText(
        raw=raw,
        paragraphs=paragraphs,
        tables=result.tables,
        line_starts=line_starts,
        lines=lines,
        dropped_lines=len(dropped),
        page_count=result.pages,
    )


def _dropped_lines(lines: list[Line]) -> set[int]:
    """Page numbers, page footers and running headers repeated across pages."""
    rules = _rules()
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


def _toc_lines(lines: list[Line], dropped: set[int]) -> set[int]:
    """Lines of a table of contents: leader dots, field residue, or the run of headings after
    a 目录 title up to where the first entry appears again."""
    rules = _rules()
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
                if not _looks_like_toc_entry(lines[cursor].text):
                    break
                toc.add(cursor)
                cursor += 1
            index = cursor
        index += 1
    return toc


def _looks_like_toc_entry(text: str) -> bool:
    stripped = text.strip()
    if _rules().toc_line.search(stripped):
        return True
    return "。" not in stripped and len(stripped) <= 60


def _join_paragraphs(
    lines: list[Line], line_starts: list[int], dropped: set[int], toc: set[int]
) -> list[Paragraph]:
    rules = _rules()
    typical = _typical_length(lines)
    paragraphs: list[Paragraph] = []
    current: list[int] = []
    previous: Line | None = None
    for index, line in enumerate(lines):
        if index in dropped:
            continue
        if line.in_table:  # a table ends the paragraph before it
            if current:
                paragraphs.append(_build(current, lines, line_starts, toc))
            current, previous = [], None
            continue
        if not line.text.strip():
            if line.continues is None and current:  # a blank line ends a TXT paragraph
                paragraphs.append(_build(current, lines, line_starts, toc))
                current, previous = [], None
            continue
        if (
            previous is not None
            and current
            and not _joins(previous, line, typical, rules.sentence_end, first=len(current) == 1)
        ):
            paragraphs.append(_build(current, lines, line_starts, toc))
            current = []
        if current and (index in toc) != (current[-1] in toc):
            paragraphs.append(_build(current, lines, line_starts, toc))
            current = []
        current.append(index)
        previous = line
    if current:
        paragraphs.append(_build(current, lines, line_starts, toc))
    return [paragraph for paragraph in paragraphs if paragraph.text.strip()]


def _typical_length(lines: list[Line]) -> int:
    lengths = sorted(
        len(line.text.strip()) for line in lines if line.text.strip() and not line.in_table
    )
    if not lengths:
        return 0
    return lengths[int(len(lengths) * 0.75)]


def _joins(previous: Line, line: Line, typical: int, sentence_end: str, first: bool) -> bool:
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
    if _starts_block(before if first else None, after):
        return False
    finished = bool(before) and before[-1] in sentence_end + "。"
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


_NUMBERED_ROW = regex.compile(r"^\d{1,2}\s+\S")
# Characters a clause cannot end with: a line ending so goes on in the next one.
_DANGLING = frozenset("占为的和及与比较、，,")
# Characters a paragraph cannot start with, and a bare percentage.
_CANNOT_START = frozenset("的了%％，,。、；;：:）)")
_BARE_PERCENT = regex.compile(r"^\d+(?:\.\d+)?\s*[%％]")


def _starts_block(before: str | None, after: str) -> bool:
    """A heading or title on either side, or a numbered line or table row, never joins."""
    return (
        (before is not None and _is_heading_line(before))
        or bool(_HEADING_START.match(after))
        or _is_heading_line(after)
        or bool(_NUMBERED_ROW.match(after))
    )


@lru_cache(maxsize=4096)
def _is_heading_line(text: str) -> bool:
    from .headings import classify_heading

    return classify_heading(fold_text(text)) is not None


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
    indexes: list[int], lines: list[Line], line_starts: list[int], toc: set[int]
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
        folded, kept = _fold_line(text)
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


def _fold_line(text: str) -> tuple[str, list[int] | None]:
    """Fold a line; the offsets of the characters kept, or None if every one was kept."""
    table, dropped = _fold_table()
    if not dropped.search(text):
        return text.translate(table), None
    kept = [offset for offset, char in enumerate(text) if fold_char(char)]
    return "".join(fold_char(text[offset]) for offset in kept), kept


@cache
def _fold_table() -> tuple[dict[int, str], regex.Pattern[str]]:
    """str.translate table of every character fold_char changes (one for one), and a regex
    finding the characters it drops."""
    rules = _rules()
    candidates = [
        chr(c)
        for c in (
            *range(0xFF01, 0xFF5F),
            *range(0x2F00, 0x2FE0),
            *range(0xF900, 0xFB00),
            *range(0xFE50, 0xFE6C),
            *range(0x2000, 0x200B),
            0xA0,
            0x202F,
            0x205F,
            0x3000,
            9,
        )
    ]
    candidates += list(rules.radicals)
    table = {ord(c): fold_char(c) for c in candidates if fold_char(c) and fold_char(c) != c}
    dropped = regex.compile("[" + "".join(regex.escape(c) for c in rules.drop) + "]")
    return table, dropped


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
