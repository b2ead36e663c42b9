"""The note's identity: is it a budget note at all, its unit, year, kind and scope; which parts
of a full note it covers; and the unit name split into region levels and organisation.

The rules are data (``patterns/recognition.yaml``); this module applies them in order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from ..models import DocumentInfo, Fact, Part, TableSummary
from ..rules import RuleSet
from ..rules.recognition import RecognitionRules, UnitRule, Where
from ..text.normalize import NormalisedText, Paragraph
from .sections import SectionNode

# Kept in place of a masked phrase, so that offsets in the masked text stay those of the text.
_MASK = "\u3000"


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


def identify(normalised: NormalisedText, ruleset: RuleSet) -> Identity:
    rules = ruleset.recognition
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
    regions, organisation = split_unit_name(unit.value, rules) if unit else ([], None)
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


def _budget_clauses(paragraphs: Iterable[Paragraph], rules: RecognitionRules) -> int:
    """How many clauses state an amount together with a budget concept."""
    count = 0
    for paragraph in paragraphs:
        for clause in rules.clause_end.split(paragraph.text):
            if rules.amount.search(clause) and rules.concept.search(clause):
                count += 1
    return count


# --- title, year, kind, scope ------------------------------------------------------------------


def _title_shaped(text: str, rules: RecognitionRules) -> bool:
    return (
        0 < len(text) <= rules.title_max
        and not rules.title_forbidden.search(text)
        and not rules.metadata.search(text)
    )


def _title_line(paragraph: Paragraph, rules: RecognitionRules) -> _Line | None:
    text = paragraph.text
    if not _title_shaped(text.strip(), rules):
        return None
    prefix = rules.title_prefix.match(text)
    offset = prefix.end() if prefix else 0
    return _Line(paragraph, offset, text[offset:])


def _title_year(line: _Line, rules: RecognitionRules) -> Found | None:
    match = rules.title_year.search(line.text)
    return line.found(match.group("year"), *match.span("year")) if match else None


def _masked(text: str, rules: RecognitionRules) -> str:
    """The text with fund and law names (一般公共预算, 预算法 …) blanked out."""
    return rules.kind_neutral.sub(lambda m: _MASK * len(m.group(0)), text)


def _kind_in(line: _Line, rules: RecognitionRules) -> Found | None:
    return _first_kind([line], rules)


def _body_kind(body: list[Paragraph], rules: RecognitionRules) -> Found | None:
    return _first_kind([_Line(p, 0, p.text) for p in body], rules)


def _first_kind(lines: list[_Line], rules: RecognitionRules) -> Found | None:
    """The kind of the first marker (in the rule file's order) that any line holds."""
    masked = [_masked(line.text, rules) for line in lines]
    for kind, pattern in rules.kind_markers:
        for line, text in zip(lines, masked, strict=True):
            match = pattern.search(text)
            if match:
                return line.found(kind, *match.span())
    return None


def _title_scope(line: _Line, rules: RecognitionRules) -> str | None:
    match = rules.title_scope.search(_masked(line.text, rules))
    return match.group("scope") if match else None


def _body_scope(body: list[Paragraph], rules: RecognitionRules) -> str | None:
    counts = Counter[str]()
    for scope, pattern in rules.body_scope:
        counts[scope] = sum(len(pattern.findall(p.text)) for p in body)
    best = max(counts.values(), default=0)
    winners = [scope for scope, count in counts.items() if count == best]
    return winners[0] if best and len(winners) == 1 else None


def year_candidates(text: str, rules: RecognitionRules) -> list[tuple[str, int, int]]:
    """The years of a text that may be the note's own: (year, start, end), in order."""
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


def _body_year(body: list[Paragraph], rules: RecognitionRules) -> Found | None:
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
    paragraphs: list[Paragraph], head: list[Paragraph], titles: list[_Line], rules: RecognitionRules
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


def unit_from(rule: UnitRule, text: str, rules: RecognitionRules) -> tuple[str, int, int] | None:
    """The unit name a rule reads in a text, if it passes as a name: (name, start, end)."""
    if rule.where in ("title_block", "signature") and rules.addressee.search(text):
        return None
    for match in rule.regex.finditer(text):
        start, end = match.span("unit")
        name = text[start:end].strip()
        if _passes_as_name(name, rules):
            return name, start, start + len(name)
    return None


def _passes_as_name(name: str, rules: RecognitionRules) -> bool:
    return (
        len(name) >= 2
        and rules.unit_end.search(name) is not None
        and rules.unit_forbidden.search(name) is None
    )


def _title_block(head: list[Paragraph], rules: RecognitionRules) -> list[Paragraph]:
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


def _signatures(paragraphs: list[Paragraph], rules: RecognitionRules) -> list[Paragraph]:
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
    recognition: RecognitionRules,
) -> list[Part]:
    """Which parts of a full note the document covers (rules in recognition.yaml `parts`)."""
    rules = recognition.parts
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


def split_unit_name(name: str, rules: RecognitionRules) -> tuple[list[str], str | None]:
    """'遂宁市安居区政务服务便民热线中心' → (['遂宁市', '安居区'], '政务服务便民热线中心').

    Regions are read from the start, one level after another: each the shortest run that ends
    in a region suffix (extended by a suffix right after it: 随州 + 市), is short enough for a
    place name, holds no character of an organisation and is not a common word (城市 …)."""
    position = 0
    for prefix in ("中国共产党", "中共"):
        if name.startswith(prefix):
            position = len(prefix)
            break
    regions: list[str] = []
    while (region := _region_at(name, position, rules)) is not None:
        regions.append(region)
        position += len(region)
    organisation = name[position:]
    if organisation.startswith("委") and regions and regions[-1][-1] in "省区县市":
        organisation = regions[-1][-1] + organisation  # 普陀区 + 委… → 区委…
    return regions, organisation or None


def _region_at(name: str, start: int, rules: RecognitionRules) -> str | None:
    """The region name that begins at ``start``, if one does."""
    for end in range(start + 2, min(len(name), start + _AUTONOMOUS_MAX) + 1):
        run = name[start:end]
        if rules.region_forbidden.search(run):
            return None
        if not rules.region_suffix.search(run):
            continue
        if run.endswith("州") and not run.endswith("自治州") and name[end : end + 1] in _AFTER_ZHOU:
            run += name[end]  # 随州 + 市, 宣州 + 区: the 州 is part of the place's name
        limit = _AUTONOMOUS_MAX if "自治" in run else rules.region_max
        if len(run) > limit or run in rules.region_not_words:
            return None
        return run
    return None


# 新疆维吾尔自治区, 恩施土家族苗族自治州: autonomous regions' names run longer.
_AUTONOMOUS_MAX = 14
_AFTER_ZHOU = ("市", "区", "县")
