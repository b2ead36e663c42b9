"""The note's identity: is it a budget note at all, its unit, year, kind and scope; which parts
of a full note it covers; and the unit name split into region levels and organisation (jieba).

The rules are data (``patterns/recognition.yaml``); this module applies them in order.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any, Literal, cast, get_args

import regex

from .models import DocumentInfo, Fact, Part, TableSummary
from .normalize import NormalisedText, Paragraph
from .patterns import load_yaml
from .sections import SectionNode

Where = Literal["head", "titles", "title_block", "signature"]
_FRAGMENT = regex.compile(r"\{([A-Z][A-Z0-9_]*)\}")
# Kept in place of a masked phrase, so that offsets in the masked text stay those of the text.
_MASK = "\u3000"


@dataclass(frozen=True)
class UnitRule:
    id: str
    where: Where
    regex: regex.Pattern[str]
    examples: list[dict[str, str]]
    counterexamples: list[str]


@dataclass(frozen=True)
class _PartRules:
    order: list[Part]
    fields: dict[str, Part]
    tables: dict[str, Part]
    headings: list[tuple[Part, regex.Pattern[str]]]
    definition: regex.Pattern[str]


@dataclass(frozen=True)
class _Rules:
    concept: regex.Pattern[str]
    amount: regex.Pattern[str]
    clause_end: regex.Pattern[str]
    head: int
    title_max: int
    title_forbidden: regex.Pattern[str]
    metadata: regex.Pattern[str]
    title_prefix: regex.Pattern[str]
    title_year: regex.Pattern[str]
    title_scope: regex.Pattern[str]
    kind_neutral: regex.Pattern[str]
    kind_markers: list[tuple[str, regex.Pattern[str]]]
    body: int
    year_header_cell: regex.Pattern[str]
    year_candidate: regex.Pattern[str]
    year_skip_before: regex.Pattern[str]
    year_skip_after: regex.Pattern[str]
    year_clause: regex.Pattern[str]
    body_scope: list[tuple[str, regex.Pattern[str]]]
    unit_end: regex.Pattern[str]
    unit_forbidden: regex.Pattern[str]
    addressee: regex.Pattern[str]
    date_line: regex.Pattern[str]
    unit: list[UnitRule]
    parts: _PartRules
    region_suffix: regex.Pattern[str]
    user_words: list[str]


def _expander(fragments: dict[str, str]) -> Any:
    def expand(template: str) -> str:
        for _ in range(8):
            expanded = _FRAGMENT.sub(lambda m: fragments[m.group(1)], template)
            if expanded == template:
                return expanded
            template = expanded
        raise ValueError(f"recognition.yaml: fragments nest too deeply in {template!r}")

    return expand


@cache
def _rules() -> _Rules:
    data = load_yaml("recognition.yaml")
    shared = load_yaml("fragments.yaml")["fragments"]
    expand = _expander({**shared, **data["fragments"]})

    def rx(source: str) -> regex.Pattern[str]:
        return regex.compile(expand(source))

    parts = data["parts"]
    known = set(get_args(Part))
    named = set(parts["order"]) | set(parts["fields"].values()) | set(parts["tables"].values())
    if not named <= known:
        raise ValueError(f"recognition.yaml: unknown parts {sorted(named - known)}")
    return _Rules(
        concept=rx(data["content"]["concept"]),
        amount=rx(data["content"]["amount"]),
        clause_end=rx(data["content"]["clause_end"]),
        head=int(data["head_paragraphs"]),
        title_max=int(data["title_max_chars"]),
        title_forbidden=rx(data["title_forbidden"]),
        metadata=rx(data["metadata"]),
        title_prefix=rx(data["title_prefix"]),
        title_year=rx(data["title_year"]),
        title_scope=rx(data["title_scope"]),
        kind_neutral=rx(data["kind"]["neutral"]),
        kind_markers=[(entry["kind"], rx(entry["regex"])) for entry in data["kind"]["markers"]],
        body=int(data["body_paragraphs"]),
        year_header_cell=rx(data["year"]["header_cell"]),
        year_candidate=rx(data["year"]["candidate"]),
        year_skip_before=rx(data["year"]["skip_before"]),
        year_skip_after=rx(data["year"]["skip_after"]),
        year_clause=rx(data["year"]["clause"]),
        body_scope=[(scope, rx(source)) for scope, source in data["body_scope"].items()],
        unit_end=rx(data["unit_end"]),
        unit_forbidden=rx(data["unit_forbidden"]),
        addressee=rx(data["addressee"]),
        date_line=rx(data["date_line"]),
        unit=[
            UnitRule(
                id=entry["id"],
                where=entry["where"],
                regex=rx(entry["regex"]),
                examples=list(entry.get("examples", [])),
                counterexamples=list(entry.get("counterexamples", [])),
            )
            for entry in data["unit"]
        ],
        parts=_PartRules(
            order=list(parts["order"]),
            fields=dict(parts["fields"]),
            tables=dict(parts["tables"]),
            headings=[(part, rx(source)) for part, source in parts["headings"].items()],
            definition=rx(parts["definition"]),
        ),
        region_suffix=rx(data["region_suffix"]),
        user_words=list(data["user_words"]),
    )


def recognition_data() -> dict[str, Any]:
    """The raw rule file, for the tests that walk its examples."""
    return cast(dict[str, Any], load_yaml("recognition.yaml"))


def unit_rules() -> list[UnitRule]:
    return _rules().unit


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


@dataclass(frozen=True)
class _Line:
    """A piece of a paragraph: a title without its heading marker, or a whole paragraph."""

    paragraph: Paragraph
    offset: int
    text: str

    def found(self, value: str, start: int, end: int) -> Found:
        return Found(value, self.paragraph, self.offset + start, self.offset + end)


def identify(normalised: NormalisedText) -> Identity:
    rules = _rules()
    # Contents lines and metadata lines (a URL, `key: value`) are not part of the note's text.
    paragraphs = [
        p for p in normalised.paragraphs if not p.toc and not rules.metadata.search(p.text)
    ]
    head = paragraphs[: rules.head]
    body = paragraphs[: rules.body]
    titles = [line for line in (_title_line(p, rules) for p in head) if line is not None]
    title = next(
        (line for line in titles if _title_year(line, rules) and _kind_in(line, rules)), None
    )
    year = _title_year(title, rules) if title else _body_year(body, rules)
    kind = _kind_in(title, rules) if title else _body_kind(body, rules)
    scope = (_title_scope(title, rules) if title else None) or _body_scope(body, rules)
    unit = _unit(paragraphs, head, titles, rules)
    clauses = _budget_clauses(normalised.paragraphs, rules)
    regions, organisation = split_unit_name(unit.value) if unit else ([], None)
    info = DocumentInfo(
        unit=unit.value if unit else None,
        year=int(year.value) if year else None,
        kind=kind.value if kind else None,
        scope=scope,
        region=regions,
        organisation=organisation,
        is_budget_note=title is not None or clauses > 0,
        recognition=_recognition(title, clauses, year, kind),
    )
    return Identity(info=info, year=year, kind=kind, unit=unit)


def _recognition(title: _Line | None, clauses: int, year: Found | None, kind: Found | None) -> str:
    said = [f"title: {title.text}" if title else "no title naming a 预算/决算 of a year"]
    said.append(f"{clauses} clauses state an amount with a budget concept")
    if title is None and (year or kind):
        said.append("year and kind read from the body")
    return "; ".join(said)


# --- budget content ----------------------------------------------------------------------------


def _budget_clauses(paragraphs: Iterable[Paragraph], rules: _Rules) -> int:
    """How many clauses state an amount together with a budget concept."""
    count = 0
    for paragraph in paragraphs:
        for clause in rules.clause_end.split(paragraph.text):
            if rules.amount.search(clause) and rules.concept.search(clause):
                count += 1
    return count


# --- title, year, kind, scope ------------------------------------------------------------------


def _title_shaped(text: str, rules: _Rules) -> bool:
    return (
        0 < len(text) <= rules.title_max
        and not rules.title_forbidden.search(text)
        and not rules.metadata.search(text)
    )


def _title_line(paragraph: Paragraph, rules: _Rules) -> _Line | None:
    text = paragraph.text
    if not _title_shaped(text.strip(), rules):
        return None
    prefix = rules.title_prefix.match(text)
    offset = prefix.end() if prefix else 0
    return _Line(paragraph, offset, text[offset:])


def _title_year(line: _Line, rules: _Rules) -> Found | None:
    match = rules.title_year.search(line.text)
    return line.found(match.group("year"), *match.span("year")) if match else None


def _masked(text: str, rules: _Rules) -> str:
    """The text with fund and law names (一般公共预算, 预算法 …) blanked out."""
    return rules.kind_neutral.sub(lambda m: _MASK * len(m.group(0)), text)


def _kind_in(line: _Line, rules: _Rules) -> Found | None:
    return _first_kind([line], rules)


def _body_kind(body: list[Paragraph], rules: _Rules) -> Found | None:
    return _first_kind([_Line(p, 0, p.text) for p in body], rules)


def _first_kind(lines: list[_Line], rules: _Rules) -> Found | None:
    """The kind of the first marker (in the rule file's order) that any line holds."""
    masked = [_masked(line.text, rules) for line in lines]
    for kind, pattern in rules.kind_markers:
        for line, text in zip(lines, masked, strict=True):
            match = pattern.search(text)
            if match:
                return line.found(kind, *match.span())
    return None


def _title_scope(line: _Line, rules: _Rules) -> str | None:
    match = rules.title_scope.search(_masked(line.text, rules))
    return match.group("scope") if match else None


def _body_scope(body: list[Paragraph], rules: _Rules) -> str | None:
    counts = Counter[str]()
    for scope, pattern in rules.body_scope:
        counts[scope] = sum(len(pattern.findall(p.text)) for p in body)
    best = max(counts.values(), default=0)
    winners = [scope for scope, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


def year_candidates(text: str, rules: _Rules | None = None) -> list[tuple[str, int, int]]:
    """The years of a text that may be the note's own: (year, start, end), in order."""
    rules = rules or _rules()
    found: list[tuple[str, int, int]] = []
    if rules.year_header_cell.match(text):
        return found
    for match in rules.year_candidate.finditer(text):
        before, after = text[: match.start()], text[match.end() :]
        if rules.year_skip_before.search(before[-8:]) or rules.year_skip_after.match(after):
            continue
        if before.count("《") > before.count("》"):  # inside a cited title
            continue
        if not rules.year_clause.match(after):
            continue
        found.append((match.group("year"), *match.span("year")))
    return found


def _body_year(body: list[Paragraph], rules: _Rules) -> Found | None:
    """The year the body states most often in clauses about money (ties: the earliest)."""
    seen: list[Found] = []
    for paragraph in body:
        seen.extend(Found(y, paragraph, s, e) for y, s, e in year_candidates(paragraph.text, rules))
    if not seen:
        return None
    counts = Counter(found.value for found in seen)
    best = max(counts.values())
    return next(found for found in seen if counts[found.value] == best)


# --- the unit ----------------------------------------------------------------------------------


def _unit(
    paragraphs: list[Paragraph], head: list[Paragraph], titles: list[_Line], rules: _Rules
) -> Found | None:
    sources: dict[Where, list[_Line]] = {
        "head": [_Line(p, 0, p.text) for p in head],
        "titles": titles,
        "title_block": [_Line(p, 0, p.text) for p in _title_block(head, rules)],
        "signature": [_Line(p, 0, p.text) for p in _signatures(paragraphs, rules)],
    }
    for rule in rules.unit:
        for line in sources[rule.where]:
            found = unit_from(rule, line.text, rules)
            if found is not None:
                return line.found(*found)
    return None


def unit_from(
    rule: UnitRule, text: str, rules: _Rules | None = None
) -> tuple[str, int, int] | None:
    """The unit name a rule reads in a text, if it passes as a name: (name, start, end)."""
    rules = rules or _rules()
    if rule.where in ("title_block", "signature") and rules.addressee.search(text):
        return None
    for match in rule.regex.finditer(text):
        start, end = match.span("unit")
        name = text[start:end].strip()
        if _passes_as_name(name, rules):
            return name, start, start + len(name)
    return None


def _passes_as_name(name: str, rules: _Rules) -> bool:
    return (
        len(name) >= 2
        and rules.unit_end.search(name) is not None
        and rules.unit_forbidden.search(name) is None
    )


def _title_block(head: list[Paragraph], rules: _Rules) -> list[Paragraph]:
    """The short lines before the first sentence (a cover: the unit, the title); metadata
    lines (a URL, `key: value`) are passed over."""
    block = []
    for paragraph in head:
        text = paragraph.text.strip()
        if rules.metadata.search(text):
            continue
        if not _title_shaped(text, rules):
            break
        block.append(paragraph)
    return block


def _signatures(paragraphs: list[Paragraph], rules: _Rules) -> list[Paragraph]:
    """Lines followed by a date line (a sign-off), the last first."""
    signed = [
        paragraph
        for paragraph, following in pairwise(paragraphs)
        if rules.date_line.match(following.text)
    ]
    return signed[::-1]


# --- parts -------------------------------------------------------------------------------------


def covered_parts(
    facts: list[Fact],
    tables: list[TableSummary],
    outline: SectionNode,
    paragraphs: Iterable[Paragraph],
) -> list[Part]:
    """Which parts of a full note the document covers (rules in recognition.yaml `parts`)."""
    rules = _rules().parts
    covered: set[Part] = set()
    for fact in facts:
        if fact.source != "text":
            continue
        part = rules.fields.get(fact.field) or rules.fields.get(fact.field.split(".")[0])
        if part:
            covered.add(part)
    covered.update(rules.tables[t.kind] for t in tables if t.kind in rules.tables and t.rows)
    for node in outline.walk():
        if node.path and any(n.paragraphs for n in node.walk()):
            covered.update(part for part, rx in rules.headings if rx.search(node.title))
    if any(rules.definition.search(p.text) for p in paragraphs if not p.toc):
        covered.add("glossary")
    return [part for part in rules.order if part in covered]


# --- the unit name split -----------------------------------------------------------------------


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
