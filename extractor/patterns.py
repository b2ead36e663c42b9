"""Load, check and compile the pattern data in ``patterns/`` once per process.

A pattern file holds named patterns, each with the section families it applies to, its
regex (written with shared fragments such as ``{AMOUNT:amount}``), and examples that the test
suite runs. A file that does not parse, a pattern with an unknown key, an unknown field or
fragment, a regex that does not compile, or a pattern without examples fails loudly, naming
the file and the pattern id.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache, cached_property
from pathlib import Path
from typing import Any, Literal

import regex
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

PATTERN_FILES_GLOB = "*.yaml"
_NON_PATTERN_FILES = {
    "fields.yaml",
    "fragments.yaml",
    "vocabulary.yaml",
    "normalize.yaml",
    "sections.yaml",
    "classification.yaml",
    "tables.yaml",
    "figures.yaml",
    "recognition.yaml",
    "regions.yaml",
    "checks.yaml",
}
_TOKEN = regex.compile(r"\{([A-Z][A-Z0-9_]*)(?::([a-z][a-z0-9_]*))?\}")
# Regex features that invite catastrophic backtracking and are never needed here.
_FORBIDDEN = regex.compile(r"\((?:[^()]|\([^()]*\))*[+*]\)[+*]")


# libyaml's loader where PyYAML was built with it: several times faster than pure Python.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class PatternError(ValueError):
    """A pattern file is wrong; the message names the file and the pattern."""


def patterns_dir() -> Path:
    """``patterns/`` next to the package in a checkout, or the copy inside a wheel; the
    environment variable BUDGET_NOTES_PATTERNS points elsewhere (to try new patterns)."""
    override = os.environ.get("BUDGET_NOTES_PATTERNS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "patterns", here / "_patterns"):
        if (candidate / "fields.yaml").exists():
            return candidate
    raise PatternError(f"no patterns directory found near {here}")


def load_yaml(name: str, directory: Path | None = None) -> Any:
    path = (directory or patterns_dir()) / name
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LOADER)  # a safe loader (C or Python)
    except yaml.YAMLError as exc:
        raise PatternError(f"{path.name}: not valid YAML: {exc}") from exc


@cache
def patterns_version() -> str:
    """A digest of every data file: a new pattern version re-processes affected files."""
    digest = hashlib.sha256()
    for path in sorted(patterns_dir().glob("*.yaml")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# --- the pattern schema -------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldBy(_Strict):
    """Choose the field from the text a group captured, through a vocabulary."""

    group: str
    vocabulary: str


class ContextName(_Strict):
    """Take a name from the title of the enclosing section (e.g. a project statement)."""

    regex: str
    into: Literal["name", "parent_name"] = "name"


class Part(_Strict):
    """A sub-pattern of an item record, searched in the item's text after its header."""

    regex: str
    to: Literal["header", "new", "last"] = "header"
    repeat: bool = False


class Example(_Strict):
    text: str
    expect: list[dict[str, Any]] | dict[str, Any]
    section: str | None = Field(None, description="Section family to run the example in.")
    heading: str | None = Field(None, description="Heading of the section the text is under.")

    def expected_facts(self) -> list[dict[str, Any]]:
        return self.expect if isinstance(self.expect, list) else [self.expect]


class Counterexample(_Strict):
    text: str
    section: str | None = None
    heading: str | None = None


class PatternSpec(_Strict):
    id: str
    description: str = ""
    kind: Literal["sentence", "item", "continuation"] = "sentence"
    field: str | None = None
    field_by: FieldBy | None = None
    # The subject is the section's heading (三、公务接待费 / 2016年预算安排8万元): the field of
    # the first term of this vocabulary found in the headings, innermost first.
    field_from_heading: str | None = None
    sections: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=lambda: ["toc", "glossary", "tables"])
    regex: str
    parts: list[Part] = Field(default_factory=list)
    status: Literal["stated", "none", "not_applicable"] = "stated"
    priority: int = 0
    set: dict[str, str] = Field(default_factory=dict)
    context_name: ContextName | None = None
    # A 款/项 line without its 类 (or a 项 line without its 类 and 款): take the missing
    # levels from the nearest "X（类）" / "Y（款）" line before it in the section.
    levels_from_context: list[Literal["class", "kuan"]] = Field(default_factory=list)
    # continuation: which fact of the previous sentence takes what this pattern captured.
    attach: Literal["subject", "last_change"] = "subject"
    examples: list[Example]
    counterexamples: list[Counterexample | str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _field_given(self) -> PatternSpec:
        given = [x for x in (self.field, self.field_by, self.field_from_heading) if x is not None]
        if self.kind != "continuation" and len(given) != 1:
            raise ValueError("give exactly one of 'field', 'field_by' and 'field_from_heading'")
        if not self.examples:
            raise ValueError("a pattern needs at least one example")
        if self.parts and self.kind != "item":
            raise ValueError("'parts' only apply to kind: item")
        return self


class PatternFile(_Strict):
    family: str
    description: str = ""
    patterns: list[PatternSpec]


# --- compiled form ------------------------------------------------------------------------


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
    ) -> None:
        self.spec = spec
        self.source = source
        self.regex = compiled
        self.parts = parts
        self.context = context

    @property
    def id(self) -> str:
        return self.spec.id


class Vocabulary:
    """Term lists: field (or canonical name) → regex alternatives naming it."""

    def __init__(self, name: str, entries: dict[str, list[str]]) -> None:
        self.name = name
        self.entries = entries
        alternatives = [alt for alts in entries.values() for alt in alts]
        # Longest first, so 公务用车购置及运行费 wins over 公务用车购置费.
        alternatives.sort(key=len, reverse=True)
        self.alternation = "(?:" + "|".join(alternatives) + ")"
        self._matchers = [
            (key, regex.compile("(?:" + "|".join(alts) + ")")) for key, alts in entries.items()
        ]

    @cached_property
    def finder(self) -> regex.Pattern[str]:
        return regex.compile(self.alternation)

    def lookup(self, text: str) -> str | None:
        for key, matcher in self._matchers:
            if matcher.fullmatch(text):
                return key
        return None


class PatternSet:
    def __init__(
        self,
        patterns: list[CompiledPattern],
        vocabularies: dict[str, Vocabulary],
        fields: dict[str, dict[str, Any]],
        fragments: dict[str, str],
    ) -> None:
        self.patterns = patterns
        self.vocabularies = vocabularies
        self.fields = fields
        self.fragments = fragments

    @cached_property
    def more_change(self) -> regex.Pattern[str]:
        """A further comparison right after a statement's first one."""
        return regex.compile(self.expand(self.fragments.get("MORE_CHANGE", "(?!)")))

    @cached_property
    def level_lines(self) -> dict[str, regex.Pattern[str]]:
        """A 类 (一般公共服务支出（类）) or a 款 (检察（款）：…) opening its own line, which the
        lines below it share."""
        return {
            level: regex.compile(self.expand(self.fragments.get(name, "(?!)")))
            for level, name in (("class", "CLASS_LINE"), ("kuan", "KUAN_LINE"))
        }

    def label(self, field: str) -> str:
        return str(self.fields[field]["label"])

    def expand(self, template: str, where: str = "<code>") -> str:
        return _expand(template, self.fragments, where)


def _expand(template: str, fragments: dict[str, str], where: str, depth: int = 0) -> str:
    if depth > 8:
        raise PatternError(f"{where}: fragments nest too deeply (a cycle?)")

    def substitute(match: regex.Match[str]) -> str:
        name, parameter = match.group(1), match.group(2)
        if name not in fragments:
            raise PatternError(f"{where}: unknown fragment {{{name}}}")
        body = fragments[name]
        if "{0}" in body:
            if parameter is None:
                raise PatternError(
                    f"{where}: fragment {{{name}}} needs a group name, e.g. {{{name}:amount}}"
                )
            body = body.replace("{0}", parameter)
        elif parameter is not None:
            raise PatternError(f"{where}: fragment {{{name}}} takes no group name")
        return _expand(body, fragments, where, depth + 1)

    return _TOKEN.sub(substitute, template)


def _compile(source: str, where: str) -> regex.Pattern[str]:
    if _FORBIDDEN.search(source):
        raise PatternError(f"{where}: nested quantifier (X+)+ invites catastrophic backtracking")
    try:
        return regex.compile(source, regex.VERSION1 | regex.UNICODE)
    except regex.error as exc:
        raise PatternError(f"{where}: regex does not compile: {exc}") from exc


def warm_up() -> None:
    """Load everything a first document would (patterns, code table, jieba's dictionary), so
    that worker processes forked afterwards start warm."""
    from .classification import economic_codebook, function_codebook
    from .info import split_unit_name

    load_patterns()
    function_codebook()
    economic_codebook()
    split_unit_name("上海市普陀区司法局")


@cache
def load_patterns() -> PatternSet:
    """The compiled patterns of ``patterns_dir()``, loaded once per process."""
    return compile_patterns(patterns_dir())


def compile_patterns(directory: Path) -> PatternSet:
    """Load and check every pattern file of ``directory``; raise PatternError on any fault."""
    fields = load_yaml("fields.yaml", directory)["fields"]
    fragments: dict[str, str] = dict(load_yaml("fragments.yaml", directory)["fragments"])
    vocabularies = {
        name: Vocabulary(name, entries)
        for name, entries in load_yaml("vocabulary.yaml", directory)["vocabularies"].items()
    }
    for name, vocabulary in vocabularies.items():
        fragments[name] = f"(?P<{{0}}>{vocabulary.alternation})"
    from .classification import class_name_alternation

    fragments["CLASS_NAME"] = f"(?P<{{0}}>{class_name_alternation()})"
    fragments["ECONOMIC_CLASS_NAME"] = f"(?P<{{0}}>{class_name_alternation('economic')})"
    for name, body in list(fragments.items()):
        fragments[name] = str(body)

    compiled: list[CompiledPattern] = []
    seen: set[str] = set()
    for path in sorted(directory.glob(PATTERN_FILES_GLOB)):
        if path.name in _NON_PATTERN_FILES:
            continue
        data = load_yaml(path.name, directory)
        try:
            pattern_file = PatternFile.model_validate(data)
        except ValidationError as exc:
            raise PatternError(f"{path.name}: {_describe(exc, data)}") from exc
        for spec in pattern_file.patterns:
            where = f"{path.name}: pattern {spec.id}"
            if spec.id in seen:
                raise PatternError(f"{where}: duplicate pattern id")
            seen.add(spec.id)
            if spec.field and spec.field not in fields:
                raise PatternError(f"{where}: unknown field {spec.field!r} (see fields.yaml)")
            if spec.field_from_heading and spec.field_from_heading not in vocabularies:
                raise PatternError(f"{where}: unknown vocabulary {spec.field_from_heading!r}")
            if spec.field_by:
                chosen = vocabularies.get(spec.field_by.vocabulary)
                if chosen is None:
                    raise PatternError(f"{where}: unknown vocabulary {spec.field_by.vocabulary!r}")
                unknown = [key for key in chosen.entries if key not in fields]
                if unknown:
                    raise PatternError(f"{where}: vocabulary maps to unknown fields {unknown}")
            source = _expand(spec.regex, fragments, where)
            parts = [
                CompiledPart(part, _compile(_expand(part.regex, fragments, where), f"{where} part"))
                for part in spec.parts
            ]
            context = _compile(spec.context_name.regex, where) if spec.context_name else None
            compiled.append(
                CompiledPattern(spec, path.name, _compile(source, where), parts, context)
            )
    compiled.sort(key=lambda pattern: -pattern.spec.priority)
    return PatternSet(compiled, vocabularies, fields, fragments)


def _describe(exc: ValidationError, data: Any) -> str:
    messages = []
    for error in exc.errors():
        location = list(error["loc"])
        pattern_id = ""
        if len(location) >= 2 and location[0] == "patterns" and isinstance(location[1], int):
            try:
                pattern_id = f"pattern {data['patterns'][location[1]].get('id', '?')}: "
            except (KeyError, IndexError, TypeError, AttributeError):
                pattern_id = ""
        messages.append(f"{pattern_id}{'.'.join(str(part) for part in location)}: {error['msg']}")
    return "; ".join(messages)
