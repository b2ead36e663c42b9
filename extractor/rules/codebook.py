"""The year-aware table of 政府收支分类科目 (``patterns/classification.yaml``).

Used to resolve a name-only 类-款-项 line to its code, and to check that a stated code and
name belong together in the note's year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import regex

from .folding import TextRules
from .schemas import ClassificationFile

_SPACES = regex.compile(r"\s+")
_QUOTES = regex.compile(r"[“”\"'‘’]")


def name_key(name: str, text: TextRules) -> str:
    """Compare names loosely: folded, no spaces or quotes, without a trailing 支出."""
    key = _QUOTES.sub("", _SPACES.sub("", text.fold(name)))
    return key[:-2] if key.endswith("支出") and len(key) > 3 else key


@dataclass(frozen=True)
class Entry:
    scheme: str
    code: str
    level: str
    parent: str | None
    name: str
    aliases: tuple[str, ...]
    year_from: int | None
    year_to: int | None

    def valid_in(self, year: int | None) -> bool:
        if year is None:
            return True
        if self.year_from is not None and year < self.year_from:
            return False
        return not (self.year_to is not None and year > self.year_to)

    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@dataclass
class Codebook:
    """Code ↔ name lookups for one scheme; documents add their own tables' pairs on top."""

    text: TextRules
    entries: list[Entry] = field(default_factory=list)
    _index: dict[tuple[str, str], list[Entry]] = field(default_factory=dict, repr=False)
    _indexed: int = field(default=0, repr=False)

    def add(self, entry: Entry) -> None:
        self.entries.append(entry)

    def key(self, name: str) -> str:
        return name_key(name, self.text)

    def by_code(self, code: str, year: int | None = None) -> list[Entry]:
        return [e for e in self.entries if e.code == code and e.valid_in(year)]

    def any_by_code(self, code: str) -> list[Entry]:
        return [e for e in self.entries if e.code == code]

    def find(self, name: str, level: str, parent: str | None, year: int | None) -> list[Entry]:
        for entry in self.entries[self._indexed :]:  # entries added since the last lookup
            for entry_name in entry.names():
                self._index.setdefault((entry.level, self.key(entry_name)), []).append(entry)
        self._indexed = len(self.entries)
        found = [
            e
            for e in dict.fromkeys(self._index.get((level, self.key(name)), []))
            if parent is None or e.parent == parent
        ]
        in_year = [e for e in found if e.valid_in(year)]
        return in_year or found


class Codebooks:
    """The national code tables, one per scheme, and what patterns need of them."""

    def __init__(self, data: ClassificationFile, text: TextRules) -> None:
        self.text = text
        self.function = self._load(data, "function")
        self.economic = self._load(data, "economic")

    def key(self, name: str) -> str:
        return name_key(name, self.text)

    def new_book(self) -> Codebook:
        """An empty book with the same name keys (a note's own tables fill it)."""
        return Codebook(self.text)

    def _load(self, data: ClassificationFile, scheme: str) -> Codebook:
        book = Codebook(self.text)
        for raw in data.entries:
            if raw.scheme != scheme:
                continue
            book.add(
                Entry(
                    scheme=scheme,
                    code=raw.code,
                    level=raw.level,
                    parent=raw.parent,
                    name=raw.name,
                    aliases=tuple(raw.aliases),
                    year_from=raw.years.from_ if raw.years else None,
                    year_to=raw.years.to if raw.years else None,
                )
            )
        return book

    @cached_property
    def function_class_names(self) -> str:
        return self._class_name_alternation(self.function)

    @cached_property
    def economic_class_names(self) -> str:
        return self._class_name_alternation(self.economic)

    def _class_name_alternation(self, book: Codebook) -> str:
        """Regex alternation of every 类 name of a scheme, with and without 支出."""
        names: set[str] = set()
        for entry in book.entries:
            if entry.level != "类":
                continue
            for name in entry.names():
                folded = self.text.fold(name)
                names.add(folded)
                if folded.endswith("支出") and len(folded) > 4:
                    names.add(folded[:-2])
        names.discard("其他")
        # Longest first, so that a name is not taken for its prefix; then by the name, so that
        # the source is the same in every process (a set's order is not) and its compiled
        # regex is found in the cache (:mod:`.regexes`).
        ordered = sorted(names, key=lambda name: (-len(name), name))
        return "(?:" + "|".join(regex.escape(name) for name in ordered) + ")"


def resolve_code(
    names: list[str], year: int | None, books: list[tuple[str, Codebook]]
) -> tuple[str | None, str | None]:
    """Code for 类/款/项 names, and the label of the book that gave it.

    Each level is looked up under the parent found for the level above, so 行政运行 resolves
    to the right 款. Returns (None, None) when any level is unknown or ambiguous.
    """
    levels = ["类", "款", "项"][: len(names)]
    for label, book in books:
        parent: str | None = None
        code: str | None = None
        for level, name in zip(levels, names, strict=True):
            found = book.find(name, level, parent, year)
            codes = {entry.code for entry in found}
            if len(codes) != 1:
                code = None
                break
            code = parent = codes.pop()
        if code is not None:
            return code, label
    return None, None
