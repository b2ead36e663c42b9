"""Character folding for matching (``patterns/normalize.yaml``): full-width forms to ASCII,
radical look-alikes to ordinary characters, invisible marks dropped; and the line rules of
normalisation (page numbers, tables of contents, sentence ends)."""

from __future__ import annotations

import unicodedata
from functools import cached_property

import regex

from .regexes import RegexStore
from .schemas import NormalizeFile

_SPACES_TO_ONE = (
    "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t"
)
# Blocks whose characters fold by NFKC when that gives one character.
_NFKC_FOLDED = (
    (0xFF01, 0xFF5E),
    (0x2F00, 0x2FDF),
    (0xF900, 0xFAFF),
    (0x2F800, 0x2FA1F),
    (0xFE50, 0xFE6B),
)
# Blocks a clean (readable) form folds: radicals and compatibility ideographs, not widths.
_NFKC_CLEANED = ((0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F))


# The digits of a year written in Chinese numerals (numeral_year in patterns/normalize.yaml).
_NUMERALS = str.maketrans("〇零一二三四五六七八九", "00123456789")


def _in(code: int, blocks: tuple[tuple[int, int], ...]) -> bool:
    return any(low <= code <= high for low, high in blocks)


class TextRules:
    def __init__(self, data: NormalizeFile, regexes: RegexStore) -> None:
        self.radicals = dict(data.radicals)
        self.drop = frozenset(data.drop)
        self.page_number_line = regexes.compile(data.page_number_line)
        self.toc_line = regexes.compile(data.toc_line)
        self.toc_title = regexes.compile(data.toc_title)
        self.numeral_year = regexes.compile(data.numeral_year)
        self.inline_heading_break = regexes.compile(data.inline_heading_break)
        self.sentence_end = data.sentence_end
        # Sorted: the same source in every process, so the compiled class is found in the cache.
        dropped = "".join(regex.escape(c) for c in sorted(self.drop))
        self._dropped = regexes.compile("[" + dropped + "]")

    def fold_char(self, char: str) -> str:
        """The matching form of one character ('' to drop it)."""
        if char in self.drop:
            return ""
        if char in self.radicals:
            return self.radicals[char]
        if char in _SPACES_TO_ONE:
            return " "
        if _in(ord(char), _NFKC_FOLDED):
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1:
                return folded
        return char

    def clean_char(self, char: str) -> str:
        """The readable form of one original character: look-alike radicals and compatibility
        ideographs become the ordinary character; punctuation and widths stay as printed."""
        if char in self.radicals:
            return self.radicals[char]
        if _in(ord(char), _NFKC_CLEANED):
            folded = unicodedata.normalize("NFKC", char)
            if len(folded) == 1:
                return folded
        return char

    @cached_property
    def _fold_table(self) -> dict[int, str]:
        """str.translate table of every character fold_char changes one for one."""
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
        candidates += list(self.radicals)
        folds = {c: self.fold_char(c) for c in candidates}
        return {ord(c): f for c, f in folds.items() if f and f != c}

    @cached_property
    def _clean_table(self) -> dict[int, str]:
        candidates = [chr(c) for c in (*range(0x2F00, 0x2FE0), *range(0xF900, 0xFB00))]
        candidates += list(self.radicals)
        return {ord(c): self.clean_char(c) for c in candidates if self.clean_char(c) != c}

    def fold_line(self, text: str) -> tuple[str, list[int] | None]:
        """Fold a line; the offsets of the characters kept, or None if every one was kept."""
        if not self._dropped.search(text):
            return self._numeral_years(text.translate(self._fold_table)), None
        kept = [offset for offset, char in enumerate(text) if self.fold_char(char)]
        folded = "".join(self.fold_char(text[offset]) for offset in kept)
        return self._numeral_years(folded), kept

    def _numeral_years(self, text: str) -> str:
        """Years in Chinese numerals as digits, character for character (offsets hold)."""
        if "〇" not in text and "零" not in text and "九" not in text:
            return text
        return self.numeral_year.sub(lambda found: found.group().translate(_NUMERALS), text)

    def fold(self, text: str) -> str:
        """Fold a string (a pattern example, a name, a line) the way paragraphs are folded."""
        return self.fold_line(text)[0]

    def clean(self, text: str) -> str:
        """``clean_char`` over a string."""
        return text.translate(self._clean_table)
