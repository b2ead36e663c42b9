"""Fragments expanded, patterns compiled and checked against the engine's capture groups."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cached_property

import regex

from .patternspec import Part, PatternSpec, allowed_groups
from .regexes import RegexStore
from .schemas import FieldSpec
from .source import RuleError

_TOKEN = regex.compile(r"\{([A-Z][A-Z0-9_]*)(?::([a-z][a-z0-9_]*))?\}")
# Regex features that invite catastrophic backtracking and are never needed here.
_FORBIDDEN = regex.compile(r"\((?:[^()]|\([^()]*\))*[+*]\)[+*]")


class CompiledPart:
    def __init__(self, spec: Part, compiled: regex.Pattern[str]) -> None:
        self.spec = spec
        self.regex = compiled


class CompiledPattern:
    def __init__(
        self,
        spec: PatternSpec,
        source: str,
        compiled: regex.Pattern[str],
        parts: list[CompiledPart],
        context: regex.Pattern[str] | None,
        required: tuple[str, ...],
    ) -> None:
        self.spec = spec
        self.source = source  # the file it came from
        self.regex = compiled
        self.parts = parts
        self.context = context
        self.sections = frozenset(spec.sections)
        self.exclude = frozenset(spec.exclude)
        # Text every match contains (one of these strings): a section without any is skipped.
        self.required = required

    @property
    def id(self) -> str:
        return self.spec.id

    def may_match(self, text: str) -> bool:
        """False only when no match can exist in ``text`` (it lacks the required text)."""
        return not self.required or any(part in text for part in self.required)

    def applies(self, families: frozenset[str]) -> bool:
        """Does the pattern search a section of these families?"""
        if families & self.exclude:
            return False
        return not self.sections or bool(families & self.sections)


class Vocabulary:
    """Term lists: field (or canonical name) → regex alternatives naming it."""

    def __init__(self, name: str, entries: dict[str, list[str]], regexes: RegexStore) -> None:
        self.name = name
        self._regexes = regexes
        self.entries = entries
        alternatives = [alt for alts in entries.values() for alt in alts]
        # Longest first, so 公务用车购置及运行费 wins over 公务用车购置费.
        alternatives.sort(key=len, reverse=True)
        self.alternation = "(?:" + "|".join(alternatives) + ")"
        self._matchers = [
            (key, regexes.compile("(?:" + "|".join(alts) + ")")) for key, alts in entries.items()
        ]

    @cached_property
    def finder(self) -> regex.Pattern[str]:
        return self._regexes.compile(self.alternation)

    def lookup(self, text: str) -> str | None:
        for key, matcher in self._matchers:
            if matcher.fullmatch(text):
                return key
        return None


class PatternSet:
    """The compiled sentence patterns with what they refer to: fields, vocabularies, fragments."""

    def __init__(
        self,
        patterns: list[CompiledPattern],
        vocabularies: dict[str, Vocabulary],
        fields: Mapping[str, FieldSpec],
        fragments: dict[str, str],
        regexes: RegexStore,
    ) -> None:
        self.patterns = patterns
        self._regexes = regexes
        self.vocabularies = vocabularies
        self.fields = fields
        self.fragments = fragments

    @cached_property
    def more_change(self) -> regex.Pattern[str]:
        """A further comparison right after a statement's first one."""
        return self._regexes.compile(self.expand(self.fragments.get("MORE_CHANGE", "(?!)")))

    @cached_property
    def level_lines(self) -> dict[str, regex.Pattern[str]]:
        """A 类 (一般公共服务支出（类）) or a 款 (检察（款）：…) opening its own line, which the
        lines below it share."""
        return {
            level: self._regexes.compile(self.expand(self.fragments.get(name, "(?!)")))
            for level, name in (("class", "CLASS_LINE"), ("kuan", "KUAN_LINE"))
        }

    def label(self, field: str) -> str:
        return self.fields[field].label

    def expand(self, template: str, where: str = "<code>") -> str:
        return expand(template, self.fragments, where)


def expand(template: str, fragments: Mapping[str, str], where: str, depth: int = 0) -> str:
    """``{NAME}`` and ``{NAME:group}`` replaced by their fragments, recursively."""
    if depth > 8:
        raise RuleError(f"{where}: fragments nest too deeply (a cycle?)")

    def substitute(match: regex.Match[str]) -> str:
        name, parameter = match.group(1), match.group(2)
        if name not in fragments:
            raise RuleError(f"{where}: unknown fragment {{{name}}}")
        body = fragments[name]
        if "{0}" in body:
            if parameter is None:
                raise RuleError(
                    f"{where}: fragment {{{name}}} needs a group name, e.g. {{{name}:amount}}"
                )
            body = body.replace("{0}", parameter)
        elif parameter is not None:
            raise RuleError(f"{where}: fragment {{{name}}} takes no group name")
        return expand(body, fragments, where, depth + 1)

    return _TOKEN.sub(substitute, template)


def compile_regex(source: str, where: str, regexes: RegexStore) -> regex.Pattern[str]:
    if _FORBIDDEN.search(source):
        raise RuleError(f"{where}: nested quantifier (X+)+ invites catastrophic backtracking")
    try:
        return regexes.compile(source, regex.VERSION1 | regex.UNICODE)
    except regex.error as exc:
        raise RuleError(f"{where}: regex does not compile: {exc}") from exc


def check_groups(compiled: regex.Pattern[str], allowed: frozenset[str], where: str) -> None:
    """A group the engine does not read would lose what it captured: refuse it."""
    unknown = sorted(set(compiled.groupindex) - allowed)
    if unknown:
        raise RuleError(
            f"{where}: unknown capture group {', '.join(unknown)} "
            "(the groups a pattern may use are extractor.rules.patternspec.CaptureGroup)"
        )


def compile_patterns(
    files: Iterable[tuple[str, list[PatternSpec]]],
    fields: Mapping[str, FieldSpec],
    fragments: dict[str, str],
    vocabularies: dict[str, Vocabulary],
    regexes: RegexStore,
) -> PatternSet:
    """Check and compile the patterns of every file; raise RuleError on any fault."""
    compiled: list[CompiledPattern] = []
    seen: set[str] = set()
    for file_name, specs in files:
        for spec in specs:
            where = f"{file_name}: pattern {spec.id}"
            if spec.id in seen:
                raise RuleError(f"{where}: duplicate pattern id")
            seen.add(spec.id)
            _check_references(spec, fields, vocabularies, where)
            allowed = allowed_groups(
                frozenset([spec.field_by.group]) if spec.field_by else frozenset()
            )
            main = compile_regex(expand(spec.regex, fragments, where), where, regexes)
            check_groups(main, allowed, where)
            parts = []
            for part in spec.parts:
                part_regex = compile_regex(
                    expand(part.regex, fragments, where), f"{where} part", regexes
                )
                check_groups(part_regex, allowed, f"{where} part")
                parts.append(CompiledPart(part, part_regex))
            context = (
                compile_regex(spec.context_name.regex, where, regexes)
                if spec.context_name
                else None
            )
            required = regexes.required_text(main.pattern)
            compiled.append(CompiledPattern(spec, file_name, main, parts, context, required))
    compiled.sort(key=lambda pattern: -pattern.spec.priority)
    return PatternSet(compiled, vocabularies, fields, fragments, regexes)


def _check_references(
    spec: PatternSpec,
    fields: Mapping[str, FieldSpec],
    vocabularies: dict[str, Vocabulary],
    where: str,
) -> None:
    if spec.field and spec.field not in fields:
        raise RuleError(f"{where}: unknown field {spec.field!r} (see fields.yaml)")
    if spec.field_from_heading and spec.field_from_heading not in vocabularies:
        raise RuleError(f"{where}: unknown vocabulary {spec.field_from_heading!r}")
    if spec.field_by:
        chosen = vocabularies.get(spec.field_by.vocabulary)
        if chosen is None:
            raise RuleError(f"{where}: unknown vocabulary {spec.field_by.vocabulary!r}")
        unknown = [key for key in chosen.entries if key not in fields]
        if unknown:
            raise RuleError(f"{where}: vocabulary maps to unknown fields {unknown}")
