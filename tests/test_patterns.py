"""Every pattern's examples and counterexamples, each its own test case; and the loader
fails loudly, naming the file and the pattern, on every kind of broken pattern file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.extraction.examples import cases
from extractor.rules import RuleError as PatternError
from extractor.rules import patterns_dir

from .rules import RULES, check_counterexample, check_example, compile_patterns, load_patterns

CASES = cases(RULES)


def _case_id(case: tuple) -> str:  # type: ignore[type-arg]
    pattern, example, counter = case
    examples = pattern.spec.counterexamples if counter else pattern.spec.examples
    return f"{pattern.id}-{'counter' if counter else 'example'}{examples.index(example) + 1}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_pattern_example(case: tuple) -> None:  # type: ignore[type-arg]
    pattern, example, counter = case
    problems = (
        check_counterexample(pattern, example) if counter else check_example(pattern, example)
    )
    assert not problems, "\n".join(problems)


def test_every_pattern_has_examples() -> None:
    patterns = load_patterns().patterns
    assert len(patterns) > 50
    assert all(p.spec.examples for p in patterns)


def test_every_field_is_emitted_by_some_pattern_or_table() -> None:
    # Some fields are a template's own (income.other_funds): the base and every overlay.
    patterns = RULES.with_overlays(tuple(RULES.overlays)).patterns
    emitted = {p.spec.field for p in patterns.patterns if p.spec.field}
    for p in patterns.patterns:
        if p.spec.field_by:
            emitted |= set(patterns.vocabularies[p.spec.field_by.vocabulary].entries)
    identity = {"unit.name", "document.year", "document.kind", "expenditure.economic"}
    assert set(patterns.fields) - emitted - identity == set()


@pytest.fixture()
def pattern_copy(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), target)
    return target


def _break(directory: Path, old: str, new: str, file: str = "sangong.yaml") -> None:
    path = directory / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "  - id: sangong.amount\n",
            "  - id: sangong.amount\n    colour: blue\n",
            "pattern sangong.amount: patterns.2.colour",
        ),
        (
            "{SANGONG:term}(?:财政拨款)?(?:支出)?{EXEC}",
            "{NOSUCH:term}{EXEC}",
            "unknown fragment {NOSUCH}",
        ),
        (
            "{SANGONG:term}(?:财政拨款)?(?:支出)?{EXEC}",
            "{SANGONG:term}((",
            "regex does not compile",
        ),
        (
            "    field: sangong.total\n    regex: '(?:[(（]",
            "    field: sangong.nothing\n    regex: '(?:[(（]",
            "unknown field 'sangong.nothing'",
        ),
        ("family: sangong", "family: [sangong", "not valid YAML"),
    ],
)
def test_broken_pattern_files_fail_loudly(
    pattern_copy: Path, old: str, new: str, message: str
) -> None:
    _break(pattern_copy, old, new)
    with pytest.raises(PatternError) as raised:
        compile_patterns(pattern_copy)
    assert "sangong.yaml" in str(raised.value)
    assert message in str(raised.value)


def test_pattern_without_examples_is_refused(pattern_copy: Path) -> None:
    path = pattern_copy / "glossary.yaml"
    text = path.read_text(encoding="utf-8")
    head = text.split("    examples:")[0]
    path.write_text(head + "    examples: []\n", encoding="utf-8")
    with pytest.raises(
        PatternError, match=r"glossary\.yaml: pattern glossary\.term: .*at least one example"
    ):
        compile_patterns(pattern_copy)


def test_nested_quantifiers_are_refused(pattern_copy: Path) -> None:
    _break(
        pattern_copy,
        "regex: '平均(?:得分|分值|分数)",
        "regex: '(?:(?:\\d+)+x)?平均(?:得分|分值|分数)",
        "performance.yaml",
    )
    with pytest.raises(PatternError, match="catastrophic backtracking"):
        compile_patterns(pattern_copy)
