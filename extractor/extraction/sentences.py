"""Section-aware matching: the patterns of ``patterns/`` run over each section's text and
become facts with provenance; figures no pattern covered become unparsed figures.

Three kinds of pattern:
- sentence: one regex, one fact per match;
- item: a header (a 类-款-项 line) opens a record that runs to the next header; its parts
  (purpose, amounts, comparison, reason …) fill the header's fact or start new facts;
- continuation: a sentence without a subject of its own ("与2023年预算持平。", "主要原因是…")
  adds its comparison or reason to the subject of the sentence before it.

When two matches claim the same figure, the higher-priority pattern (then the earlier, then
the longer match) wins; a match that would reuse a claimed figure is dropped.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import regex

from ..models import Change, Coverage, Fact, FactStatus, Provenance, UnparsedFigure
from ..readers.base import Line, ReadResult
from ..rules import CompiledPattern, FigureRules, PatternSet, RuleSet, Vocabulary
from ..structure.sections import SectionNode
from ..text.normalize import NormalisedText, normalise
from .attributes import attributes_from, change_from, figure_spans, groups_of, tidy
from .coverage import measure_coverage
from .textview import Locator, TextView


@dataclass
class Draft:
    """A fact under construction: attributes plus its span in the view."""

    pattern: CompiledPattern
    field: str
    start: int
    end: int
    attributes: dict[str, Any]
    figures: list[tuple[int, int]]
    node: SectionNode
    view: TextView
    fact: Fact | None = None


@dataclass
class SectionResult:
    node: SectionNode
    view: TextView
    drafts: list[Draft] = field(default_factory=list)


@dataclass
class Extraction:
    facts: list[Fact]
    unparsed: list[UnparsedFigure]
    coverage: Coverage
    sections: list[SectionResult]


def extract_facts(
    normalised: NormalisedText,
    outline: SectionNode,
    locator: Locator,
    rules: RuleSet,
    year: int | None = None,
) -> Extraction:
    patterns = rules.patterns
    results: list[SectionResult] = []
    for node in outline.walk():
        if not node.paragraphs:
            continue
        view = TextView.of(node.paragraphs, normalised.raw, rules.text)
        result = SectionResult(node=node, view=view)
        result.drafts = match_section(view, node, rules, year)
        results.append(result)
    facts = _finalise(results, locator, patterns)
    unparsed, coverage = measure_coverage(results, locator, rules.figures)
    return Extraction(facts=facts, unparsed=unparsed, coverage=coverage, sections=results)


def match_section(
    view: TextView, node: SectionNode, rules: RuleSet, year: int | None = None
) -> list[Draft]:
    """All accepted drafts of one section, in text order; ``year``: the note's, when known
    (an amount of an earlier year's is not one of its facts)."""
    patterns = rules.patterns
    candidates: list[tuple[int, Draft]] = []
    continuations: list[tuple[CompiledPattern, regex.Match[str]]] = []
    for pattern in patterns.patterns:
        if not pattern.applies(node.families) or not pattern.may_match(view.text):
            continue
        if pattern.spec.kind == "continuation":
            continuations.extend((pattern, m) for m in pattern.regex.finditer(view.text))
            continue
        drafts = (
            _item_drafts(pattern, view, node, patterns)
            if pattern.spec.kind == "item"
            else _sentence_drafts(pattern, view, node, patterns, rules.figures, year)
        )
        candidates.extend((pattern.spec.priority, draft) for draft in drafts)
    candidates.sort(key=lambda pair: (-pair[0], pair[1].start, -(pair[1].end - pair[1].start)))
    accepted: list[Draft] = []
    by_field: dict[str, list[Draft]] = {}
    # A figure's span is the same whichever pattern takes it (numbers never start mid-number),
    # so claimed figures are a set of spans.
    claimed: set[tuple[int, int]] = set()
    for _, draft in candidates:
        if any(span in claimed for span in draft.figures):
            continue
        same_field = by_field.setdefault(draft.field, [])
        if not draft.figures and any(
            other.start <= draft.start and draft.end <= other.end for other in same_field
        ):
            continue
        accepted.append(draft)
        same_field.append(draft)
        claimed.update(draft.figures)
    accepted.sort(key=lambda draft: (draft.start, draft.end))
    index = _AcceptedIndex(accepted)
    for pattern, match in sorted(continuations, key=lambda pair: pair[1].start()):
        _apply_continuation(pattern, match, index, claimed, view, rules)
    return accepted


class _AcceptedIndex:
    """The accepted drafts of a section, sorted by start, for continuations taken in text
    order: which drafts start in a range (bisected), and whether one covers a position (the
    furthest end reached by the drafts started so far). A merge never moves a draft's start
    (its continuation comes after it), only its end, which ``merged`` takes into account;
    scanning every draft for each continuation made long sections quadratic."""

    def __init__(self, accepted: list[Draft]) -> None:
        self.drafts = accepted
        self.starts = [draft.start for draft in accepted]
        self.passed = 0
        self.reach = -1

    def covers(self, position: int) -> bool:
        """Does an accepted draft span ``position`` (positions asked in increasing order)?"""
        while self.passed < len(self.drafts) and self.drafts[self.passed].start <= position:
            self.reach = max(self.reach, self.drafts[self.passed].end)
            self.passed += 1
        return self.reach > position

    def starting_in(self, start: int, end: int) -> list[Draft]:
        low = bisect.bisect_left(self.starts, start)
        high = bisect.bisect_left(self.starts, end)
        return self.drafts[low:high]

    def merged(self, draft: Draft) -> None:
        # The target starts before the continuation, so ``covers`` has passed it already.
        self.reach = max(self.reach, draft.end)


# --- building drafts -------------------------------------------------------------------------


def _sentence_drafts(
    pattern: CompiledPattern,
    view: TextView,
    node: SectionNode,
    patterns: PatternSet,
    figures: FigureRules,
    year: int | None,
) -> Iterator[Draft]:
    for match in pattern.regex.finditer(view.text):
        if _not_the_notes_amount(match, view.text, figures, year):
            continue
        draft = _draft_from_match(pattern, match, view, node, patterns)
        if draft is not None:
            yield draft


_CLAUSE_BREAKS = "，,。；;：:\n"
_SUBJECT_REACH = 40  # characters before a statement in which its clause's start is looked for


def _not_the_notes_amount(
    match: regex.Match[str], text: str, figures: FigureRules, year: int | None
) -> bool:
    """Whether the statement's amount is not the note's own figure: the text from its
    clause's start to the amount names as its subject last year or a year before the note's
    (``year``), or the clause starts with the note's subordinate units; or a verb of change
    or a word of rate stands right before the statement (压减公务接待费1万元: the amount is
    the change; 人均…: a figure per person)."""
    if "amount" not in match.re.groupindex or match.start("amount") < 0:
        return False
    start, amount = match.start(), match.start("amount")
    floor = max(0, start - _SUBJECT_REACH)
    clause = max(text.rfind(mark, floor, start) for mark in _CLAUSE_BREAKS)
    begin = clause + 1 if clause >= 0 else floor
    if figures.subordinate_subject.match(text, begin, amount) is not None:
        return True
    if figures.change_before_subject.search(text, begin, start) is not None:
        return True
    for found in figures.prior_year.finditer(text, begin, amount):
        named = found.group("year")
        if named is None or (year is not None and int(named) < year):
            return True
    return False


def _draft_from_match(
    pattern: CompiledPattern,
    match: regex.Match[str],
    view: TextView,
    node: SectionNode,
    patterns: PatternSet,
) -> Draft | None:
    spec = pattern.spec
    field_name = spec.field
    if spec.field_by is not None:
        captured = match.group(spec.field_by.group)
        field_name = (
            patterns.vocabularies[spec.field_by.vocabulary].lookup(captured) if captured else None
        )
    if spec.field_from_heading is not None:
        field_name = _field_from_headings(node, patterns.vocabularies[spec.field_from_heading])
    if field_name is None:
        return None
    attributes = attributes_from(match, view)
    attributes.update(spec.set)
    if spec.status != FactStatus.STATED:
        attributes["status"] = spec.status
    if spec.levels_from_context and "code_names" in attributes:
        heads = _context_levels(spec.levels_from_context, view, match.start(), patterns)
        if not heads:
            return None  # a 款/项 line whose 类 (and 款) cannot be found: not read as one
        attributes["code_names"] = [*heads, *attributes["code_names"]]
    if pattern.context is not None and spec.context_name is not None:
        context = next(
            (found for title in reversed(node.path) if (found := pattern.context.search(title))),
            None,
        )
        if context is not None:
            attributes[spec.context_name.into] = context.group("name")
    figures = figure_spans(match)
    end = match.end()
    if "change" in attributes:
        later, end, spans = _later_changes(view, end, patterns)
        if later:
            attributes["later_changes"] = later
            figures.extend(spans)
    return Draft(
        pattern=pattern,
        field=field_name,
        start=match.start(),
        end=end,
        attributes=attributes,
        figures=figures,
        node=node,
        view=view,
    )


def _later_changes(
    view: TextView, position: int, patterns: PatternSet
) -> tuple[list[Change], int, list[tuple[int, int]]]:
    """Comparisons that follow a statement's first one (较上年…减少15万元，较预算数…减少34万元):
    each with its own basis, read until the clause run stops comparing."""
    changes: list[Change] = []
    spans: list[tuple[int, int]] = []
    while (found := patterns.more_change.match(view.text, position)) is not None:
        change = change_from(*groups_of(found, view))
        if change is None:
            break
        changes.append(change)
        spans.extend(figure_spans(found))
        position = found.end()
    return changes, position, spans


def _field_from_headings(node: SectionNode, vocabulary: Vocabulary) -> str | None:
    """The field a section's heading names (innermost heading first), if any does."""
    for title in reversed(node.path):
        found = vocabulary.finder.search(title)
        if found is not None:
            return vocabulary.lookup(found.group())
    return None


def _context_levels(
    levels: Sequence[str], view: TextView, before: int, patterns: PatternSet
) -> list[str]:
    """The 类 (and 款) names of the lines that head a 款/项 line: for each level, the last
    such line before it in the section, each after the one above; none when one is missing."""
    names: list[str] = []
    start = 0
    for level in levels:
        last = next(
            reversed(list(patterns.level_lines[level].finditer(view.text, start, before))), None
        )
        if last is None:
            return []
        names.append(tidy(last.group(f"name_{level}")))
        start = last.end()
    return names


# --- item records ------------------------------------------------------------------------------


def _item_drafts(
    pattern: CompiledPattern, view: TextView, node: SectionNode, patterns: PatternSet
) -> list[Draft]:
    headers = list(pattern.regex.finditer(view.text))
    drafts: list[Draft] = []
    for number, header in enumerate(headers):
        end = (
            # A record runs to the next header, or to the end of its section.
            headers[number + 1].start() if number + 1 < len(headers) else len(view.text)
        )
        head = _draft_from_match(pattern, header, view, node, patterns)
        if head is None:
            continue
        record = [head]
        found: list[tuple[int, Any, regex.Match[str]]] = []
        for order, part in enumerate(pattern.parts):
            matches = part.regex.finditer(view.text, header.end(), end)
            for match in matches:
                found.append((match.start(), (order, part), match))
                if not part.spec.repeat:
                    break
        found.sort(key=lambda entry: (entry[0], entry[1][0]))
        claimed = set(head.figures)
        for _, (_, part), match in found:
            spans = figure_spans(match)
            if any(span in claimed for span in spans):
                continue
            claimed.update(spans)
            attributes = attributes_from(match, view)
            if part.spec.to == "new":
                record.append(
                    Draft(
                        pattern=pattern,
                        field=head.field,
                        start=match.start(),
                        end=match.end(),
                        attributes={**_identity(head.attributes), **attributes},
                        figures=spans,
                        node=node,
                        view=view,
                    )
                )
                continue
            target = head if part.spec.to == "header" else record[-1]
            _merge(target, attributes, match, spans)
        drafts.extend(draft for draft in record if _has_substance(draft))
    return drafts


def _identity(attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        key: attributes[key]
        for key in ("code", "code_names", "code_source", "name")
        if key in attributes
    }


def _merge(
    target: Draft, attributes: dict[str, Any], match: regex.Match[str], spans: list[tuple[int, int]]
) -> None:
    for key, value in attributes.items():
        if key == "change" and "change" in target.attributes:
            target.attributes["change"] = _merge_change(target.attributes["change"], value)
        elif key == "reason":
            change = target.attributes.get("change") or Change()
            if change.reason is None:
                target.attributes["change"] = change.model_copy(update={"reason": value})
        elif key not in target.attributes:
            target.attributes[key] = value
    target.figures.extend(spans)
    target.start = min(target.start, match.start())
    target.end = max(target.end, match.end())


def _merge_change(old: Change, new: Change) -> Change:
    update = {
        key: value
        for key, value in new.model_dump().items()
        if value is not None and getattr(old, key) is None
    }
    return old.model_copy(update=update)


def _has_substance(draft: Draft) -> bool:
    keys = ("amount", "count", "share", "value", "execution", "change")
    return any(key in draft.attributes for key in keys) or draft.attributes.get("status") not in (
        None,
        FactStatus.STATED,
    )


# --- continuations -----------------------------------------------------------------------------


def _apply_continuation(
    pattern: CompiledPattern,
    match: regex.Match[str],
    accepted: _AcceptedIndex,
    claimed: set[tuple[int, int]],
    view: TextView,
    rules: RuleSet,
) -> None:
    spans = figure_spans(match)
    if any(span in claimed for span in spans):
        return
    if accepted.covers(match.start()):
        return
    previous_start, previous_end = view.sentence_bounds(
        max(match.start() - 1, 0), max(match.start() - 1, 0)
    )
    if previous_end > match.start() or match.start() - previous_end > 2:
        return
    in_previous = accepted.starting_in(previous_start, previous_end)
    if not in_previous:
        return
    attributes = attributes_from(match, view)
    if pattern.spec.attach == "subject":
        target = in_previous[0]
        if (
            "change" in attributes
            and "change" in target.attributes
            and target.attributes["change"].direction
        ):
            return
        if rules.figures.figure.search(view.text, previous_start, target.start) is not None:
            return
    else:
        holders = [d for d in in_previous if "change" in d.attributes]
        if not holders:
            return
        target = holders[-1]
    _merge(target, attributes, match, spans)
    accepted.merged(target)
    claimed.update(spans)


# --- facts, provenance, coverage -----------------------------------------------------------------


def _finalise(results: list[SectionResult], locator: Locator, patterns: PatternSet) -> list[Fact]:
    raw = locator.normalised.raw
    facts: list[Fact] = []
    used_ids: set[str] = set()
    for result in results:
        for draft in result.drafts:
            char_start, char_end = draft.view.raw_span(draft.start, draft.end)
            sentence_start, _ = draft.view.sentence_bounds(draft.start, draft.start + 1)
            _, sentence_end = draft.view.sentence_bounds(max(draft.end - 1, draft.start), draft.end)
            fact_id = _unique_id(f"{draft.field}@{char_start}", used_ids)
            attributes = dict(draft.attributes)
            reason = attributes.pop("reason", None)
            if reason is not None:
                change = attributes.get("change") or Change()
                attributes["change"] = change.model_copy(update={"reason": change.reason or reason})
            first = attributes.pop("change", None)
            later = attributes.pop("later_changes", [])
            attributes["changes"] = ([first] if first is not None else []) + later
            fact = Fact(
                id=fact_id,
                field=draft.field,
                label=patterns.label(draft.field),
                pattern=draft.pattern.id,
                provenance=Provenance(
                    section_path=draft.node.path,
                    section_id=draft.node.id,
                    sentence=draft.view.original(sentence_start, sentence_end),
                    page=locator.page_of(char_start),
                    paragraph=locator.paragraph_of(char_start),
                    char_start=char_start,
                    char_end=char_end,
                    quote=raw[char_start:char_end],
                ),
                **attributes,
            )
            draft.fact = fact
            facts.append(fact)
    return facts


def _unique_id(candidate: str, used: set[str]) -> str:
    fact_id, suffix = candidate, 1
    while fact_id in used:
        suffix += 1
        fact_id = f"{candidate}.{suffix}"
    used.add(fact_id)
    return fact_id


def facts_from_text(
    text: str,
    rules: RuleSet,
    families: frozenset[str] = frozenset(),
    heading: str | None = None,
) -> list[Fact]:
    """Run every pattern over one snippet as if it were a section of the given families,
    under the given heading (used by the pattern examples and by property tests)."""
    normalised = normalise(
        ReadResult(format="txt", lines=[Line(text=line) for line in text.split("\n")]), rules
    )
    node = SectionNode(
        id="1",
        title=heading or "",
        path=[heading] if heading else [],
        families=families,
        paragraphs=normalised.paragraphs,
    )
    root = SectionNode(id="0", title="", path=[], families=frozenset(), children=[node])
    return extract_facts(normalised, root, Locator(normalised), rules).facts
