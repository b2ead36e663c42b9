"""The note's identity: is it a budget note at all, its unit, year, kind and scope; and the
unit name split into region levels and organisation (jieba)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

import regex

from .models import DocumentInfo
from .normalize import NormalisedText, Paragraph
from .patterns import load_yaml


@dataclass(frozen=True)
class _Rules:
    title: regex.Pattern[str]
    body_year_kind: regex.Pattern[str]
    head: int
    title_max: int
    unit: list[regex.Pattern[str]]
    keywords: list[str]
    min_keywords: int
    region_suffix: regex.Pattern[str]
    user_words: list[str]


@cache
def _rules() -> _Rules:
    data = load_yaml("recognition.yaml")
    return _Rules(
        title=regex.compile(data["title"]),
        body_year_kind=regex.compile(data["body_year_kind"]),
        head=int(data["head_paragraphs"]),
        title_max=int(data["title_max_chars"]),
        unit=[regex.compile(rx) for rx in data["unit"]],
        keywords=list(data["keywords"]),
        min_keywords=int(data["min_keywords"]),
        region_suffix=regex.compile(data["region_suffix"]),
        user_words=list(data["user_words"]),
    )


@dataclass
class Found:
    """A value read from a paragraph, with where it was."""

    value: str
    paragraph: Paragraph
    start: int
    end: int


@dataclass
class Identity:
    info: DocumentInfo
    year: Found | None
    kind: Found | None
    unit: Found | None


def identify(normalised: NormalisedText) -> Identity:
    rules = _rules()
    head = [p for p in normalised.paragraphs if not p.toc][: rules.head]
    year = kind = unit = None
    scope: str | None = None
    for paragraph in head:
        if len(paragraph.text) > rules.title_max:
            continue
        match = rules.title.search(paragraph.text)
        if match and year is None:
            year = Found(match.group("year"), paragraph, *match.span("year"))
            kind = Found(match.group("kind"), paragraph, *match.span("kind"))
            scope = match.group("scope")
    from_body = False
    if year is None:
        for paragraph in head:
            match = rules.body_year_kind.search(paragraph.text)
            if match:
                year = Found(match.group("year"), paragraph, *match.span("year"))
                kind = Found(match.group("kind"), paragraph, *match.span("kind"))
                from_body = True
                break
    for pattern in rules.unit:
        for paragraph in head:
            if len(paragraph.text) > rules.title_max and "以下简称" not in paragraph.text:
                continue
            match = pattern.search(paragraph.text)
            if match:
                unit = Found(match.group("unit").strip(), paragraph, *match.span("unit"))
                break
        if unit:
            break
    text = "".join(p.text for p in normalised.paragraphs)
    present = [word for word in rules.keywords if word in text]
    is_note = len(present) >= rules.min_keywords
    regions, organisation = split_unit_name(unit.value) if unit else ([], None)
    info = DocumentInfo(
        unit=unit.value if unit else None,
        year=int(year.value) if year else None,
        kind=kind.value if kind else None,
        scope=scope,
        region=regions,
        organisation=organisation,
        is_budget_note=is_note,
        recognition=(
            f"{len(present)} of {len(rules.keywords)} budget-note keywords present"
            + (
                "; no title: year and kind read from the first sentence that states them"
                if from_body
                else ""
            )
            + ("" if year else "; no title with a year and 预算/决算 found")
        ),
    )
    return Identity(info=info, year=year, kind=kind, unit=unit)


@cache
def _jieba() -> object:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    for word in _rules().user_words:
        jieba.add_word(word, freq=200000)
    return jieba


def split_unit_name(name: str) -> tuple[list[str], str | None]:
    """'遂宁市安居区政务服务便民热线中心' → (['遂宁市', '安居区'], '政务服务便民热线中心')."""
    jieba = _jieba()
    tokens: list[str] = list(jieba.lcut(name, HMM=True))  # type: ignore[attr-defined]
    suffix = _rules().region_suffix
    regions: list[str] = []
    index = 0
    if tokens and tokens[0] in ("中共", "中国共产党"):
        index = 1
    consumed = "".join(tokens[:index])
    while index < len(tokens):
        token = tokens[index]
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if len(token) >= 2 and suffix.search(token):
            regions.append(token)
        elif following[:1] in ("区", "县", "市") and following.endswith("委") and len(token) >= 2:
            # 普陀 + 区委: the party committee of 普陀区.
            regions.append(token + following[0])
            consumed += token
            break
        else:
            break
        consumed += token
        index += 1
    organisation = name[len(consumed) :] if name.startswith(consumed) else name
    if organisation.startswith("委") and regions and regions[-1][-1] in "区县市":
        organisation = regions[-1][-1] + organisation  # 普陀区 + 委… → 区委…
    return regions, organisation or None
