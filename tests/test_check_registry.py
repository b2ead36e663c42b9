"""The registry of checks: every rule the code can emit is registered, with a description and a
severity, and each rule's function emits only its own id (or what it may be reported as)."""

from __future__ import annotations

import shutil
from functools import cache
from pathlib import Path
from typing import get_args

import pytest
import yaml

from extractor.checks import CheckInput, list_rules, load_check_data, validate
from extractor.checks.__main__ import main
from extractor.checks.data import CheckData
from extractor.checks.registry import RegistryError, markdown_table
from extractor.models import Document, Severity
from extractor.pipeline import extract
from extractor.rules import RuleError as PatternError

from .conftest import CORPUS, ROOT, SAMPLES, needs_shared

PATTERNS = ROOT / "patterns"


@cache
def _data() -> CheckData:
    return load_check_data(PATTERNS)


@cache
def _document(path: Path) -> Document:
    return extract(path)


def _samples() -> list[Path]:
    suffixes = {".txt", ".pdf", ".docx"}
    return sorted(
        p
        for p in [*SAMPLES.glob("*"), *SAMPLES.glob("variants/*")]
        if p.suffix in suffixes and not p.name.endswith(".README.md")
    )


def _corpus() -> list[Path]:
    return sorted(CORPUS.glob("files/*.pdf")) + sorted(CORPUS.glob("web/*.txt"))


def test_every_rule_has_an_id_of_its_family_a_severity_and_a_one_line_description() -> None:
    rules = list_rules(_data().checks)
    assert len({r.id for r in rules}) == len(rules)
    reported = {rule_id for r in rules for rule_id in r.reports}
    for rule in rules:
        assert rule.id.startswith(f"{rule.family}.") and rule.family, rule.id
        assert rule.severity in get_args(Severity), rule.id
        assert rule.description.strip() and "\n" not in rule.description, rule.id
        assert "|" not in rule.description + rule.when, rule.id  # a cell of the README's table
        # A rule either runs, or is what other rules report (unit.scale).
        assert rule.run is not None or rule.id in reported, rule.id
    assert reported <= {r.id for r in rules}


def test_the_sums_and_contradictions_of_checks_yaml_are_rules() -> None:
    raw = yaml.safe_load((PATTERNS / "checks.yaml").read_text(encoding="utf-8"))
    declared = [s["rule"] for key in ("sums", "count_sums", "contradictions") for s in raw[key]]
    ids = [r.id for r in list_rules(_data().checks)]
    assert set(declared) <= set(ids)


def _emitted_by_each_rule(document: Document) -> None:
    data = _data()
    given = CheckInput.of(document.facts, document.info, document.tables, data)
    rules = list_rules(data.checks)
    for rule in rules:
        if rule.run is not None:
            emitted = {c.rule for c in rule.run(given)}
            assert emitted <= rule.emits, (rule.id, sorted(emitted - rule.emits))
    registered = {r.id for r in rules}
    assert {c.rule for c in document.checks} <= registered


@pytest.mark.parametrize("path", _samples(), ids=lambda p: p.name)
def test_every_check_of_a_sample_is_of_a_registered_rule(path: Path) -> None:
    _emitted_by_each_rule(_document(path))


@needs_shared
@pytest.mark.corpus
def test_every_check_of_the_corpus_is_of_a_registered_rule() -> None:
    for path in _corpus():
        _emitted_by_each_rule(_document(path))


def test_validate_with_the_data_given_is_validate_with_the_default_data() -> None:
    document = _document(SAMPLES / "seed.txt")
    given = validate(document.facts, document.info, document.tables, _data())
    assert given == validate(document.facts, document.info, document.tables)
    assert given == document.checks


def _patterns_with(tmp_path: Path, old: str, new: str) -> Path:
    copy = tmp_path / "patterns"
    shutil.copytree(PATTERNS, copy)
    checks = copy / "checks.yaml"
    text = checks.read_text(encoding="utf-8")
    assert old in text
    checks.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def test_an_unknown_key_in_checks_yaml_fails_naming_the_file(tmp_path: Path) -> None:
    patterns = _patterns_with(tmp_path, "    shortfall: warning\n", "    shortfal: warning\n")
    with pytest.raises(PatternError, match=r"checks\.yaml: sums\.0\.shortfal"):
        load_check_data(patterns)


def test_a_reason_that_is_no_regex_fails_naming_the_file(tmp_path: Path) -> None:
    patterns = _patterns_with(tmp_path, "reason: '需(?:要)?", "reason: '需(?:要?")
    with pytest.raises(PatternError, match=r"checks\.yaml: contradictions\.0\.reason"):
        load_check_data(patterns)


def test_a_sum_of_checks_yaml_named_like_a_rule_of_the_code_is_refused(tmp_path: Path) -> None:
    patterns = _patterns_with(tmp_path, "rule: sum.procurement", "rule: sum.classes")
    with pytest.raises(RegistryError, match=r"sum\.classes"):
        list_rules(load_check_data(patterns).checks)


def test_a_sum_added_in_checks_yaml_runs_without_a_change_of_code(tmp_path: Path) -> None:
    patterns = _patterns_with(tmp_path, "rule: sum.procurement", "rule: sum.purchases")
    data = load_check_data(patterns)
    assert "sum.purchases" in {r.id for r in list_rules(data.checks)}
    assert "sum.purchases" in markdown_table(list_rules(data.checks))


def test_the_module_prints_the_table_and_the_list(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    assert capsys.readouterr().out == markdown_table(list_rules(_data().checks))
    assert main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == [r.id for r in list_rules(_data().checks)]
