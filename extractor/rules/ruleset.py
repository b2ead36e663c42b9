"""One rule set: every data file of ``patterns/`` checked against its schema, compiled on first
use, and passed to the stages that need it; overlays layered on top when a note calls for them.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from .checks_schema import ChecksFile
from .codebook import Codebooks
from .compiler import PatternSet, Vocabulary, compile_patterns
from .folding import TextRules
from .headings import HeadingRules
from .overlays import Overlay, describe, load_overlays
from .parsed import ParsedStore, store_file
from .patternspec import PatternFile, PatternSpec
from .recognition import RecognitionRules, compile_recognition
from .regexes import RegexStore, cache_file, cache_folder
from .schemas import (
    DATA_FILES,
    ClassificationFile,
    FieldsFile,
    FieldSpec,
    FiguresFile,
    FragmentsFile,
    NormalizeFile,
    RecognitionFile,
    SectionsFile,
    TableKindSpec,
    TablesFile,
    VocabularyFile,
)
from .source import RuleError, digest, patterns_dir, read_yaml, yaml_files
from .tables import TableRules

T = TypeVar("T", bound=BaseModel)


class FigureRules:
    """What counts as a figure when measuring coverage, and which amounts are not the note's
    own figure of their concept (``patterns/figures.yaml``)."""

    def __init__(self, data: FiguresFile, regexes: RegexStore) -> None:
        self.figure = regexes.compile(data.figure)
        self.not_narrative = frozenset(data.not_narrative)
        self.prior_year = regexes.compile(data.prior_year)
        self.subordinate_subject = regexes.compile(data.subordinate_subject)
        self.change_before_subject = regexes.compile(data.change_before_subject)


class RuleSet:
    """The rules of one layer stack: the national base and the overlays applied to it."""

    def __init__(
        self,
        directory: Path,
        data: dict[str, BaseModel],
        pattern_files: list[tuple[str, list[PatternSpec]]],
        overlays: dict[str, Overlay],
        applied: tuple[str, ...] = (),
        version: str | None = None,
        regexes: RegexStore | None = None,
    ) -> None:
        self.directory = directory
        # Shared by the layered rule sets: an overlay reuses what the base compiled.
        self.regexes = regexes or RegexStore(None)
        self._data = data
        self.pattern_files = pattern_files
        self.overlays = overlays
        self.applied = applied
        self.version = version or digest(directory)
        self._layered: dict[tuple[str, ...], RuleSet] = {}

    # --- the data files, typed ------------------------------------------------------------

    def _file(self, name: str, model: type[T]) -> T:
        value = self._data[name]
        assert isinstance(value, model)
        return value

    @property
    def fields(self) -> dict[str, FieldSpec]:
        return self._file("fields.yaml", FieldsFile).fields

    @property
    def checks_file(self) -> ChecksFile:
        return self._file("checks.yaml", ChecksFile)

    # --- compiled on first use ------------------------------------------------------------

    @cached_property
    def text(self) -> TextRules:
        return TextRules(self._file("normalize.yaml", NormalizeFile), self.regexes)

    @cached_property
    def headings(self) -> HeadingRules:
        return HeadingRules(self._file("sections.yaml", SectionsFile), self.regexes)

    @cached_property
    def codes(self) -> Codebooks:
        return Codebooks(self._file("classification.yaml", ClassificationFile), self.text)

    @cached_property
    def tables(self) -> TableRules:
        return TableRules(self._file("tables.yaml", TablesFile), self.regexes)

    @cached_property
    def figures(self) -> FigureRules:
        return FigureRules(self._file("figures.yaml", FiguresFile), self.regexes)

    @cached_property
    def recognition(self) -> RecognitionRules:
        shared = self._file("fragments.yaml", FragmentsFile).fragments
        return compile_recognition(
            self._file("recognition.yaml", RecognitionFile), shared, self.regexes
        )

    @cached_property
    def patterns(self) -> PatternSet:
        fragments = dict(self._file("fragments.yaml", FragmentsFile).fragments)
        vocabularies = {
            name: Vocabulary(name, entries, self.regexes)
            for name, entries in self._file("vocabulary.yaml", VocabularyFile).vocabularies.items()
        }
        for name, vocabulary in vocabularies.items():
            fragments[name] = f"(?P<{{0}}>{vocabulary.alternation})"
        fragments["CLASS_NAME"] = f"(?P<{{0}}>{self.codes.function_class_names})"
        fragments["ECONOMIC_CLASS_NAME"] = f"(?P<{{0}}>{self.codes.economic_class_names})"
        return compile_patterns(
            self.pattern_files, self.fields, fragments, vocabularies, self.regexes
        )

    # --- overlays -------------------------------------------------------------------------

    def overlays_for(self, regions: list[str]) -> tuple[str, ...]:
        """The overlays whose regions the note's unit lies in."""
        return tuple(name for name, overlay in self.overlays.items() if overlay.applies_to(regions))

    def with_overlays(self, names: tuple[str, ...]) -> RuleSet:
        """This rule set with the named overlays on top (built once per combination)."""
        names = tuple(name for name in names if name not in self.applied)
        if not names:
            return self
        unknown = [name for name in names if name not in self.overlays]
        if unknown:
            raise RuleError(f"unknown overlay {', '.join(unknown)} (have: {sorted(self.overlays)})")
        if names not in self._layered:
            layered = self
            for name in names:
                layered = layered._apply(self.overlays[name])
            self._layered[names] = layered
        return self._layered[names]

    def _apply(self, overlay: Overlay) -> RuleSet:
        data = dict(self._data)
        if overlay.vocabulary is not None:
            base = self._file("vocabulary.yaml", VocabularyFile).vocabularies
            merged = {
                name: {key: list(terms) for key, terms in v.items()} for name, v in base.items()
            }
            for name, entries in overlay.vocabulary.vocabularies.items():
                if name not in merged:
                    raise RuleError(f"overlay {overlay.name}: unknown vocabulary {name!r}")
                for key, terms in entries.items():
                    merged[name][key] = [*merged[name].get(key, []), *terms]
            data["vocabulary.yaml"] = VocabularyFile(vocabularies=merged)
        if overlay.tables is not None:
            tables = self._file("tables.yaml", TablesFile)
            known = {kind.id for kind in tables.tables}
            unknown = sorted(set(overlay.tables.titles) - known)
            if unknown:
                raise RuleError(f"overlay {overlay.name}: unknown table kinds {unknown}")
            kinds = [
                _with_title(kind, overlay.tables.titles.get(kind.id)) for kind in tables.tables
            ]
            data["tables.yaml"] = tables.model_copy(update={"tables": kinds})
        if overlay.sections is not None:
            sections = self._file("sections.yaml", SectionsFile)
            unknown = sorted(set(overlay.sections.families) - set(sections.families))
            if unknown:
                raise RuleError(f"overlay {overlay.name}: unknown section families {unknown}")
            families = {
                name: _either(rx, overlay.sections.families.get(name))
                for name, rx in sections.families.items()
            }
            data["sections.yaml"] = sections.model_copy(update={"families": families})
        replaced = {spec.id for _, specs in overlay.patterns for spec in specs}
        pattern_files = [
            (name, [spec for spec in specs if spec.id not in replaced])
            for name, specs in self.pattern_files
        ] + overlay.patterns
        return RuleSet(
            self.directory,
            data,
            pattern_files,
            self.overlays,
            (*self.applied, overlay.name),
            self.version,
            self.regexes,
        )


def _either(base: str, extra: str | None) -> str:
    return base if extra is None else f"(?:{base})|(?:{extra})"


def _with_title(kind: TableKindSpec, extra: str | None) -> TableKindSpec:
    return kind if extra is None else kind.model_copy(update={"title": _either(kind.title, extra)})


def load_rules(
    directory: Path | None = None, overlays: tuple[str, ...] = (), *, cache: bool = True
) -> RuleSet:
    """Read and check every rule file of ``directory`` (default: ``patterns/``) and its
    overlays; raise RuleError naming the file (and pattern) on any fault. The files' parsed data
    comes from the cache folder where it holds them, and regexes compile on first use, from
    the cache of compiled regexes where there is one (``cache=False``: never read or write
    either); ``compile_all`` compiles them all at once."""
    directory = directory or patterns_dir()
    folder = cache_folder() if cache else None
    parsed = ParsedStore(store_file(folder))
    data: dict[str, BaseModel] = {}
    pattern_files: list[tuple[str, list[PatternSpec]]] = []
    for path in yaml_files(directory):
        raw = read_yaml(path, parsed)
        model = DATA_FILES.get(path.name)
        try:
            if model is not None:
                data[path.name] = model.model_validate(raw)
            else:
                pattern_files.append((path.name, PatternFile.model_validate(raw).patterns))
        except ValidationError as exc:
            raise RuleError(f"{path.name}: {describe(exc, raw)}") from exc
    missing = sorted(set(DATA_FILES) - set(data))
    if missing:
        raise RuleError(f"{directory}: missing rule files {missing}")
    overlays_found = load_overlays(directory, parsed)
    parsed.save()
    store = RegexStore(cache_file(folder))
    rules = RuleSet(directory, data, pattern_files, overlays_found, regexes=store)
    return rules.with_overlays(overlays)


def compile_all(rules: RuleSet) -> RuleSet:
    """Compile every part now (a worker about to fork, a test of the whole data contract)."""
    for part in ("text", "headings", "codes", "tables", "figures", "recognition", "patterns"):
        getattr(rules, part)
    rules.regexes.save()
    return rules
