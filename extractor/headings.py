"""Which paragraphs are headings (一、 / （一） / 1. / 第一部分 / unmarked titles), and which
section families a heading's title belongs to (rules in ``patterns/sections.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import regex

from .patterns import load_yaml


@dataclass(frozen=True)
class _Rules:
    markers: list[tuple[str, regex.Pattern[str]]]
    heading_max: int
    heading_forbidden: regex.Pattern[str]
    title_max: int
    title: regex.Pattern[str]
    title_forbidden: regex.Pattern[str]
    families: list[tuple[str, regex.Pattern[str]]]


@cache
def _rules() -> _Rules:
    data = load_yaml("sections.yaml")
    return _Rules(
        markers=[(name, regex.compile(rx)) for name, rx in data["markers"].items()],
        heading_max=int(data["heading_max_chars"]),
        heading_forbidden=regex.compile(data["heading_forbidden"]),
        title_max=int(data["title_max_chars"]),
        title=regex.compile(data["title_regex"]),
        title_forbidden=regex.compile(data["title_forbidden"]),
        families=[(name, regex.compile(rx)) for name, rx in data["families"].items()],
    )


def families_of(title: str) -> frozenset[str]:
    return frozenset(name for name, rx in _rules().families if rx.search(title))


def classify_heading(text: str) -> tuple[str | None, str] | None:
    """(marker kind or None for an unmarked title, title text) — or None for body text."""
    rules = _rules()
    stripped = text.strip()
    for kind, marker in rules.markers:
        match = marker.match(stripped)
        if match:
            rest = stripped[match.end() :].strip()
            if kind == "part" and not rest:
                return kind, stripped
            if not rest or len(rest) > rules.heading_max or rules.heading_forbidden.search(rest):
                return None
            return kind, stripped
    if (
        len(stripped) <= rules.title_max
        and rules.title.search(stripped)
        and not rules.title_forbidden.search(stripped)
    ):
        return None, stripped
    return None
