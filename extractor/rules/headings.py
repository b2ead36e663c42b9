"""Which paragraphs are headings (一、 / （一） / 1. / 第一部分 / unmarked titles), and which
section families a heading's title belongs to (``patterns/sections.yaml``)."""

from __future__ import annotations

from .regexes import RegexStore
from .schemas import SectionsFile

_MEMO_LIMIT = 8192


class HeadingRules:
    def __init__(self, data: SectionsFile, regexes: RegexStore) -> None:
        self.markers = [(name, regexes.compile(rx)) for name, rx in data.markers.items()]
        self.heading_max = data.heading_max_chars
        self.heading_forbidden = regexes.compile(data.heading_forbidden)
        self.title_max = data.title_max_chars
        self.title = regexes.compile(data.title_regex)
        self.title_forbidden = regexes.compile(data.title_forbidden)
        self.families = [(name, regexes.compile(rx)) for name, rx in data.families.items()]
        self.family_names = frozenset(data.families)
        # Normalisation asks about the same lines again and again (every line break).
        self._memo: dict[str, tuple[str | None, str] | None] = {}

    def families_of(self, title: str) -> frozenset[str]:
        return frozenset(name for name, rx in self.families if rx.search(title))

    def classify(self, text: str) -> tuple[str | None, str] | None:
        """(marker kind or None for an unmarked title, title text) — or None for body text."""
        if text in self._memo:
            return self._memo[text]
        found = self._classify(text)
        if len(self._memo) < _MEMO_LIMIT:
            self._memo[text] = found
        return found

    def _classify(self, text: str) -> tuple[str | None, str] | None:
        stripped = text.strip()
        for kind, marker in self.markers:
            match = marker.match(stripped)
            if match:
                rest = stripped[match.end() :].strip()
                if kind == "part" and not rest:
                    return kind, stripped
                if not rest or len(rest) > self.heading_max or self.heading_forbidden.search(rest):
                    return None
                return kind, stripped
        if (
            len(stripped) <= self.title_max
            and self.title.search(stripped)
            and not self.title_forbidden.search(stripped)
        ):
            return None, stripped
        return None
