"""The rule set the tests run with, and the stage functions bound to it, so that a test reads
as before: ``fold_text(x)``, ``normalise(result)``, ``facts_from_text(text, families)``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extractor.extraction.examples import check_counterexample as _check_counterexample
from extractor.extraction.examples import check_example as _check_example
from extractor.extraction.examples import matches as _matches
from extractor.extraction.sentences import facts_from_text as _facts_from_text
from extractor.models import Fact, Part, TableSummary
from extractor.readers.base import ReadResult
from extractor.rules import (
    CompiledPattern,
    Counterexample,
    Example,
    RuleSet,
    compile_all,
    load_rules,
    patterns_dir,
)
from extractor.rules.recognition import UnitRule
from extractor.rules.source import read_yaml
from extractor.structure.identity import Identity
from extractor.structure.identity import covered_parts as _covered_parts
from extractor.structure.identity import identify as _identify
from extractor.structure.identity import unit_from as _unit_from
from extractor.structure.sections import SectionNode
from extractor.structure.sections import build_outline as _build_outline
from extractor.text.normalize import NormalisedText, Paragraph
from extractor.text.normalize import normalise as _normalise

RULES = compile_all(load_rules())
fold_text = RULES.text.fold
classify_heading = RULES.headings.classify


def load_patterns() -> Any:
    return RULES.patterns


def normalise(result: ReadResult) -> NormalisedText:
    return _normalise(result, RULES)


def build_outline(paragraphs: list[Paragraph]) -> SectionNode:
    return _build_outline(paragraphs, RULES.headings)


def facts_from_text(
    text: str, families: frozenset[str] = frozenset(), heading: str | None = None
) -> list[Fact]:
    return _facts_from_text(text, RULES, families, heading)


def matches(fact: Any, expected: dict[str, Any]) -> bool:
    return _matches(fact, expected, RULES)


def identify(normalised: NormalisedText) -> Identity:
    return _identify(normalised, RULES)


def covered_parts(
    facts: list[Fact], tables: list[TableSummary], outline: SectionNode, paragraphs: Any
) -> list[Part]:
    return _covered_parts(facts, tables, outline, paragraphs, RULES.recognition)


def unit_rules() -> list[UnitRule]:
    return RULES.recognition.unit


def unit_from(rule: UnitRule, text: str) -> tuple[str, int, int] | None:
    return _unit_from(rule, text, RULES.recognition)


def recognition_data() -> dict[str, Any]:
    data: dict[str, Any] = read_yaml(patterns_dir() / "recognition.yaml")
    return data


def load_yaml(name: str) -> Any:
    return read_yaml(patterns_dir() / name)


def compile_patterns(directory: Path) -> RuleSet:
    """Load and compile every rule file of a folder (RuleError on any fault)."""
    return compile_all(load_rules(directory))


def check_example(pattern: CompiledPattern, example: Example) -> list[str]:
    return _check_example(pattern, example, RULES)


def check_counterexample(pattern: CompiledPattern, counter: Counterexample | str) -> list[str]:
    return _check_counterexample(pattern, counter, RULES)
