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
from functools import cache, cached_property
from typing import Any

import regex

from .amounts import make_amount, parse_count, parse_number
from .models import Amount, Change, Coverage, Direction, Execution, Fact, Provenance, UnparsedFigure
from .normalize import NormalisedText, Paragraph, clean_text
from .patterns import CompiledPattern, PatternSet, Vocabulary, load_patterns, load_yaml
from .sections import SectionNode

NUMERIC_GROUPS = (
    "amount",
    "share",
    "count",
    "value",
    "chg_amount",
    "chg_pct",
    "chg_basis_amount",
    "exec_initial",
    "exec_adjusted",
    "exec_budget",
    "exec_pct",
)
_SENTENCE_END = regex.compile(r"[。！？!?\n]")
_DIRECTIONS: dict[str, Direction] = {
    "增加": "increase",
    "增长": "increase",
    "上升": "increase",
    "提高": "increase",
    "减少": "decrease",
    "下降": "decrease",
    "降低": "decrease",
    "降幅": "decrease",
    "增幅": "increase",
    "持平": "flat",
    "基本持平": "flat",
    "相同": "flat",
    "一致": "flat",
    "无变化": "flat",
    "没有变化": "flat",
    "不变": "flat",
}
_INCLUDES_SPLIT = regex.compile(r"[、,，]|和|及(?!运行|相关)")


@dataclass
class TextView:
    """A section's body paragraphs as one string; '\n' between paragraphs maps to -1."""

    text: str
    offsets: list[int]
    paragraphs: list[Paragraph]
    raw: str

    @classmethod
    def of(cls, paragraphs: list[Paragraph], raw: str) -> TextView:
        chars: list[str] = []
        offsets: list[int] = []
        for number, paragraph in enumerate(paragraphs):
            if number:
                chars.append("\n")
                offsets.append(-1)
            chars.append(paragraph.text)
            offsets.extend(paragraph.offsets)
        return cls("".join(chars), offsets, paragraphs, raw)

    def original(self, start: int, end: int) -> str:
        """The original characters of text[start:end] (line breaks, page furniture gone)."""
        raw = self.raw
        return clean_text(
            "".join([raw[o] if o >= 0 else " " for o in self.offsets[start:end]])
        ).strip()

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        first = next((self.offsets[i] for i in range(start, end) if self.offsets[i] >= 0), -1)
        last = next(
            (self.offsets[i] for i in range(end - 1, start - 1, -1) if self.offsets[i] >= 0), -1
        )
        return first, last + 1

    @cached_property
    def _sentence_ends(self) -> list[int]:
        return [match.start() for match in _SENTENCE_END.finditer(self.text)]

    def sentence_bounds(self, start: int, end: int) -> tuple[int, int]:
        """[start, end) of the sentence(s) holding text[start:end] (ends found once, then
        bisected, so a long run of figures costs no more than a short one)."""
        ends = self._sentence_ends
        first_end = bisect.bisect_left(ends, start)
        before = ends[first_end - 1] if first_end else -1
        closing = bisect.bisect_left(ends, max(end - 1, start))
        if closing < len(ends):
            after = ends[closing] + (0 if self.text[ends[closing]] == "\n" else 1)
        else:
            after = len(self.text)
        return before + 1, after


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


@cache
def _figure_rules() -> tuple[regex.Pattern[str], frozenset[str]]:
    data = load_yaml("figures.yaml")
    return regex.compile(data["figure"]), frozenset(data["not_narrative"])


def applies(pattern: CompiledPattern, families: frozenset[str]) -> bool:
    spec = pattern.spec
    if families & set(spec.exclude):
        return False
    return not spec.sections or bool(families & set(spec.sections))


def extract_facts(normalised: NormalisedText, outline: SectionNode) -> Extraction:
    patterns = load_patterns()
    locator = Locator(normalised)
    results: list[SectionResult] = []
    for node in outline.walk():
        if not node.paragraphs:
            continue
        view = TextView.of(node.paragraphs, normalised.raw)
        result = SectionResult(node=node, view=view)
        result.drafts = match_section(view, node, patterns)
        results.append(result)
    facts = _finalise(results, locator, patterns)
    unparsed, coverage = _coverage(results, locator)
    return Extraction(facts=facts, unparsed=unparsed, coverage=coverage, sections=results)


def match_section(view: TextView, node: SectionNode, patterns: PatternSet) -> list[Draft]:
    """All accepted drafts of one section, in text order."""
    candidates: list[tuple[int, Draft]] = []
    continuations: list[tuple[CompiledPattern, regex.Match[str]]] = []
    for pattern in patterns.patterns:
        if not applies(pattern, node.families):
            continue
        if pattern.spec.kind == "continuation":
            continuations.extend((pattern, m) for m in pattern.regex.finditer(view.text))
            continue
        drafts = (
            _item_drafts(pattern, view, node, patterns)
            if pattern.spec.kind == "item"
            else _sentence_drafts(pattern, view, node, patterns)
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
        _apply_continuation(pattern, match, index, claimed, view, patterns)
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
    pattern: CompiledPattern, view: TextView, node: SectionNode, patterns: PatternSet
) -> Iterator[Draft]:
    for match in pattern.regex.finditer(view.text):
        draft = _draft_from_match(pattern, match, view, node, patterns)
        if draft is not None:
            yield draft


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
    if spec.status != "stated":
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
        change = _change_from(*_groups(found, view))
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
        names.append(_tidy(last.group(f"name_{level}")))
        start = last.end()
    return names


def figure_spans(match: regex.Match[str]) -> list[tuple[int, int]]:
    spans = []
    names = match.re.groupindex
    for group in NUMERIC_GROUPS:
        if group in names and match.group(group) is not None:
            start, end = match.span(group)
            unit = f"{group}__unit"
            if unit in names and match.group(unit) is not None:
                end = match.end(unit)
            spans.append((start, end))
    return spans


def _groups(match: regex.Match[str], view: TextView) -> tuple[dict[str, str], dict[str, str]]:
    """The groups a match captured, as normalised text and in the original characters."""
    groups = {name: value for name, value in match.groupdict().items() if value is not None}
    return groups, {name: view.original(*match.span(name)) for name in groups}


def attributes_from(match: regex.Match[str], view: TextView) -> dict[str, Any]:
    """Fact attributes from the named groups of a match (absent groups are skipped).

    Numbers are read from the normalised text; text values (names, purposes, reasons) and
    the figures' written form are given in the original characters.
    """
    groups, original = _groups(match, view)
    attributes: dict[str, Any] = {}
    if "amount" in groups:
        attributes["amount"] = _amount(groups, "amount", original)
    if "share" in groups:
        attributes["share"] = parse_number(groups["share"])
    if "count" in groups:
        attributes["count"] = parse_count(groups["count"])
    if "value" in groups:
        attributes["value"] = parse_number(groups["value"])
    for key in ("name", "text", "purpose", "parent_name"):
        if key in groups and groups[key].strip():
            attributes[key] = _tidy(original[key])
    if "includes" in groups:
        attributes["includes"] = [
            part.strip()
            for part in _INCLUDES_SPLIT.split(original["includes"].rstrip("等。"))
            if part.strip()
        ]
    code, names = _code_from(groups, original)
    if names:
        attributes["code_names"] = names
    if code:
        attributes["code"] = code
        attributes["code_source"] = "stated"
    change = _change_from(groups, original)
    if change is not None:
        attributes["change"] = change
    if "reason" in groups and groups["reason"].strip():
        attributes["reason"] = _tidy(original["reason"])
    execution = _execution_from(groups, original)
    if execution is not None:
        attributes["execution"] = execution
    return attributes


def _tidy(text: str) -> str:
    """Trim separators, and quotation marks that lost their partner to the match edge."""
    text = text.strip().strip(":：,，、").strip()
    if text.startswith("“") and "”" not in text:
        text = text[1:]
    if text.endswith("”") and "“" not in text:
        text = text[:-1]
    return text.strip('"').strip()


def _amount(groups: dict[str, str], name: str, original: dict[str, str]) -> Amount:
    amount = make_amount(groups[name], groups.get(f"{name}__unit", "万元"))
    written = original.get(name, "") + original.get(f"{name}__unit", "")
    return amount.model_copy(update={"text": written}) if written else amount


def _code_from(groups: dict[str, str], original: dict[str, str]) -> tuple[str | None, list[str]]:
    names = [
        _tidy(original[key]) for key in ("name_class", "name_kuan", "name_xiang") if key in groups
    ]
    parts = [groups.get(key) for key in ("code_class", "code_kuan", "code_xiang")]
    if "code" in groups:
        return normalise_code(groups["code"]), names
    if parts[0] is None:
        return None, names
    code = parts[0]
    for part in parts[1:]:
        if part is None:
            break
        code += "-" + part.zfill(2)
    return code, names


def normalise_code(text: str) -> str | None:
    """'2080505' / '208 05 05' / '208-05-05' → '208-05-05'."""
    digits = regex.sub(r"[\s\-—]", "", text)
    if not digits.isdigit() or len(digits) not in (3, 5, 7):
        return None
    return "-".join([digits[:3], *(digits[i : i + 2] for i in range(3, len(digits), 2))])


def _change_from(groups: dict[str, str], original: dict[str, str]) -> Change | None:
    if "chg_dir" not in groups and "chg_basis_amount" not in groups:
        return None
    return Change(
        basis=original.get("chg_basis"),
        basis_amount=_amount(groups, "chg_basis_amount", original)
        if "chg_basis_amount" in groups
        else None,
        direction=_DIRECTIONS.get(groups.get("chg_dir", "")),
        amount=_amount(groups, "chg_amount", original) if "chg_amount" in groups else None,
        percent=parse_number(groups["chg_pct"]) if "chg_pct" in groups else None,
    )


def _execution_from(groups: dict[str, str], original: dict[str, str]) -> Execution | None:
    if not any(
        key in groups for key in ("exec_initial", "exec_adjusted", "exec_budget", "exec_pct")
    ):
        return None
    return Execution(
        initial_budget=_amount(groups, "exec_initial", original)
        if "exec_initial" in groups
        else None,
        adjusted_budget=_amount(groups, "exec_adjusted", original)
        if "exec_adjusted" in groups
        else None,
        budget=_amount(groups, "exec_budget", original) if "exec_budget" in groups else None,
        completion_percent=parse_number(groups["exec_pct"]) if "exec_pct" in groups else None,
        completion_basis=groups.get("exec_basis"),
    )


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
        "stated",
    )


# --- continuations -----------------------------------------------------------------------------


def _apply_continuation(
    pattern: CompiledPattern,
    match: regex.Match[str],
    accepted: _AcceptedIndex,
    claimed: set[tuple[int, int]],
    view: TextView,
    patterns: PatternSet,
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
        if _figures_between(view, previous_start, target.start):
            return
    else:
        holders = [d for d in in_previous if "change" in d.attributes]
        if not holders:
            return
        target = holders[-1]
    _merge(target, attributes, match, spans)
    accepted.merged(target)
    claimed.update(spans)


def _figures_between(view: TextView, start: int, end: int) -> bool:
    figure, _ = _figure_rules()
    return figure.search(view.text, start, end) is not None


# --- facts, provenance, coverage -----------------------------------------------------------------


class Locator:
    """Raw offsets → page, paragraph and line."""

    def __init__(self, normalised: NormalisedText) -> None:
        self.normalised = normalised
        self.starts = normalised.line_starts

    def line_of(self, offset: int) -> int:
        return max(bisect.bisect_right(self.starts, offset) - 1, 0)

    def page_of(self, offset: int) -> int | None:
        if not self.normalised.lines:
            return None
        return self.normalised.lines[self.line_of(offset)].page

    def paragraph_of(self, offset: int) -> int | None:
        if not self.normalised.lines:
            return None
        return self.normalised.lines[self.line_of(offset)].paragraph


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


def _coverage(
    results: list[SectionResult], locator: Locator
) -> tuple[list[UnparsedFigure], Coverage]:
    figure, not_narrative = _figure_rules()
    unparsed: list[UnparsedFigure] = []
    sentences = covered = figures = parsed = 0
    for result in results:
        if result.node.families & not_narrative:
            continue
        view = result.view
        covers = _SpanCover([(draft.start, draft.end) for draft in result.drafts])
        by_sentence: dict[tuple[int, int], list[regex.Match[str]]] = {}
        for match in figure.finditer(view.text):
            bounds = view.sentence_bounds(match.start(), match.end())
            by_sentence.setdefault(bounds, []).append(match)
        for (start, end), matches in by_sentence.items():
            missing = [m for m in matches if not covers.covers(m.start(), m.end())]
            sentences += 1
            figures += len(matches)
            parsed += len(matches) - len(missing)
            if not missing:
                covered += 1
                continue
            char_start, char_end = view.raw_span(start, end)
            unparsed.append(
                UnparsedFigure(
                    sentence=view.original(start, end),
                    figures=[m.group() for m in missing],
                    section_path=result.node.path,
                    page=locator.page_of(char_start),
                    paragraph=locator.paragraph_of(char_start),
                    char_start=char_start,
                    char_end=char_end,
                )
            )
    score = covered / sentences if sentences else 1.0
    return unparsed, Coverage(
        figure_sentences=sentences,
        covered_sentences=covered,
        figures=figures,
        parsed_figures=parsed,
        score=round(score, 4),
    )


class _SpanCover:
    """Is [start, end) inside one of a set of spans? Bisected over the spans sorted by start,
    with the furthest end reached so far, so a section with thousands of facts costs no more
    per figure than one with ten (a linear scan made a long section quadratic)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [start for start, _ in spans]
        self.reach: list[int] = []
        furthest = -1
        for _, end in spans:
            furthest = max(furthest, end)
            self.reach.append(furthest)

    def covers(self, start: int, end: int) -> bool:
        index = bisect.bisect_right(self.starts, start) - 1
        return index >= 0 and self.reach[index] >= end


def facts_from_text(
    text: str, families: frozenset[str] = frozenset(), heading: str | None = None
) -> list[Fact]:
    """Run every pattern over one snippet as if it were a section of the given families,
    under the given heading (used by the pattern examples and by property tests)."""
    from .normalize import normalise
    from .readers.base import Line, ReadResult

    normalised = normalise(
        ReadResult(format="txt", lines=[Line(text=line) for line in text.split("\n")])
    )
    node = SectionNode(
        id="1",
        title=heading or "",
        path=[heading] if heading else [],
        families=families,
        paragraphs=normalised.paragraphs,
    )
    root = SectionNode(id="0", title="", path=[], families=frozenset(), children=[node])
    return extract_facts(normalised, root).facts
