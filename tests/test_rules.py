"""The data contract of patterns/: every file is checked against its schema, a pattern may only
capture the groups the engine reads, and overlays layer a template's rules over the base."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from extractor.extraction.examples import check_example
from extractor.extraction.sentences import facts_from_text
from extractor.rules import CaptureGroup, RuleError, compile_all, load_rules, patterns_dir
from extractor.rules.literals import required_text
from extractor.rules.schemas import DATA_FILES

from .rules import RULES


@pytest.fixture()
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    shutil.copytree(patterns_dir(), target)
    return target


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_rule_file_is_read_and_checked() -> None:
    layer = sorted(p.name for p in patterns_dir().glob("*.yaml"))
    pattern_files = {name for name, _ in RULES.pattern_files}
    assert set(layer) == set(DATA_FILES) | pattern_files
    compile_all(RULES.with_overlays(tuple(RULES.overlays)))  # every regex of every layer


def test_a_misspelled_capture_group_fails_naming_file_pattern_and_group(copy: Path) -> None:
    _replace(copy / "glossary.yaml", "(?P<name>", "(?P<nmae>")
    with pytest.raises(
        RuleError, match=r"glossary\.yaml: pattern glossary\.\w+: unknown capture group nmae"
    ):
        compile_all(load_rules(copy))


def test_the_groups_a_pattern_may_capture_are_those_the_engine_reads() -> None:
    used = {name for p in RULES.patterns.patterns for name in p.regex.groupindex}
    allowed = {group.value for group in CaptureGroup}
    assert {name.removesuffix("__unit") for name in used} <= allowed


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_an_unknown_key_in_any_data_file_fails_naming_the_file(copy: Path, name: str) -> None:
    path = copy / name
    path.write_text(path.read_text(encoding="utf-8") + "\ncolour: blue\n", encoding="utf-8")
    with pytest.raises(RuleError, match=rf"{name.replace('.', '[.]')}: colour"):
        load_rules(copy)


def test_a_yaml_file_of_no_known_kind_fails(copy: Path) -> None:
    (copy / "notes.yaml").write_text("title: my own notes\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"notes\.yaml: family"):
        load_rules(copy)


def test_a_field_of_a_wrong_value_kind_fails(copy: Path) -> None:
    _replace(
        copy / "fields.yaml", "{label: 编制人数, value: count}", "{label: 编制人数, value: many}"
    )
    with pytest.raises(RuleError, match=r"fields\.yaml: fields\.staff\.authorized\.value"):
        load_rules(copy)


def test_an_example_whose_fact_lacks_its_fields_value_kind_is_reported(copy: Path) -> None:
    # staff.actual is a count; declared an amount, its example's fact carries no amount.
    _replace(
        copy / "fields.yaml", "{label: 实有人数, value: count}", "{label: 实有人数, value: amount}"
    )
    rules = compile_all(load_rules(copy))
    pattern = next(p for p in rules.patterns.patterns if p.spec.field == "staff.actual")
    problems = check_example(pattern, pattern.spec.examples[0], rules)
    assert any("carries no amount" in problem for problem in problems), problems


# --- overlays ------------------------------------------------------------------------------

TEMPLATE_LINES = "二、收入预算情况\n1．一般公共预算收入预算总计120万元。\n2．其他资金收入预算总计8.5万元，与上年数一致。"


def test_the_jiangsu_overlay_applies_to_notes_of_its_region() -> None:
    assert RULES.overlays_for(["江苏省", "南京市"]) == ("jiangsu",)
    assert RULES.overlays_for(["浙江省"]) == ()


def test_an_overlay_adds_its_templates_vocabulary_and_the_base_stays_as_it_is() -> None:
    layered = RULES.with_overlays(("jiangsu",))
    base = {f.field for f in facts_from_text(TEMPLATE_LINES, RULES, frozenset({"income"}))}
    with_overlay = facts_from_text(TEMPLATE_LINES, layered, frozenset({"income"}))
    assert "income.other_funds" not in base  # 其他资金 means nothing fixed elsewhere
    other = next(f for f in with_overlay if f.field == "income.other_funds")
    assert other.amount is not None and str(other.amount.wan) == "8.5"
    assert other.changes[0].direction == "flat"
    assert layered.applied == ("jiangsu",) and RULES.applied == ()
    assert RULES.with_overlays(("jiangsu",)) is layered  # built once per combination


def test_a_note_of_the_region_gets_the_overlay_and_says_so(tmp_path: Path) -> None:
    from extractor.pipeline import extract

    note = tmp_path / "note.txt"
    note.write_text("江苏省某某厅2024年部门预算\n" + TEMPLATE_LINES + "\n", encoding="utf-8")
    document = extract(note)
    assert document.info.overlays == ["jiangsu"]
    assert any(f.field == "income.other_funds" for f in document.facts)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("浙江省某某厅2024年部门预算\n" + TEMPLATE_LINES + "\n", encoding="utf-8")
    other = extract(elsewhere)
    assert other.info.overlays == [] and all(f.field != "income.other_funds" for f in other.facts)


def _overlay(copy: Path, files: dict[str, str]) -> None:
    folder = copy / "overlays" / "mine"
    folder.mkdir(parents=True)
    (folder / "overlay.yaml").write_text(
        "name: mine\ndescription: a test template\napplies_to: {regions: [某某市]}\n",
        encoding="utf-8",
    )
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def test_an_overlay_pattern_with_a_base_id_replaces_the_base_pattern(copy: Path) -> None:
    base = load_rules(copy)
    spec = next(p for _, specs in base.pattern_files for p in specs if p.id == "glossary.term")
    _overlay(
        copy,
        {
            "glossary.yaml": (
                "family: glossary\npatterns:\n  - id: glossary.term\n    field: glossary.term\n"
                "    sections: [glossary]\n    regex: '(?P<name>[\\p{Han}]{2,8})：是指(?P<text>[^。]+)'\n"
                "    examples:\n      - text: 专项经费：是指专门用途的经费。\n"
                "        section: glossary\n        expect: {field: glossary.term, name: 专项经费}\n"
            )
        },
    )
    layered = load_rules(copy).with_overlays(("mine",))
    replaced = [p for p in layered.patterns.patterns if p.id == "glossary.term"]
    assert len(replaced) == 1 and replaced[0].source == "overlays/mine/glossary.yaml"
    assert replaced[0].spec.regex != spec.regex


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (
            {"vocabulary.yaml": "vocabularies:\n  NO_SUCH: {income.other: [x]}\n"},
            "unknown vocabulary",
        ),
        ({"tables.yaml": "titles: {no_such_table: 'x表'}\n"}, "unknown table kinds"),
        ({"sections.yaml": "families: {no_such_family: 'x'}\n"}, "unknown section families"),
        ({"tables.yaml": "titles: {sangong: 'x'}\ncolour: blue\n"}, "tables.yaml: colour"),
    ],
)
def test_a_wrong_overlay_fails_naming_it(copy: Path, files: dict[str, str], message: str) -> None:
    _overlay(copy, files)
    with pytest.raises(RuleError, match=message):
        compile_all(load_rules(copy).with_overlays(("mine",)))


def test_an_overlay_title_is_tried_beside_the_base_title(copy: Path) -> None:
    _overlay(copy, {"tables.yaml": "titles: {sangong: '公务三项经费表'}\n"})
    layered = load_rules(copy).with_overlays(("mine",))
    kind = layered.tables.kind("sangong")
    assert (
        kind is not None
        and kind.title.search("公务三项经费表")
        and kind.title.search("“三公”经费表")
    )


# --- the required-text pre-check -----------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "required"),
    [
        (r"三公经费(?P<amount>\d+)万元", ("三公经费",)),
        (r"(?:会议费|培训费)\d+", ("会议费", "培训费")),
        (r"(?:会议费|\d+)元", ("元",)),  # a branch without text: the literal after it
        (r"(?:支出)?\d+", ()),  # optional text is never required
        (r"(?:基本支出)+(?=万元)", ("基本支出",)),
        (r"[\p{Han}]{2,4}局", ("局",)),  # a class is no text; \p{Han} is the regex module's
        (r"\P{Han}+预算", ("预算",)),
        (r"(?P<a>年度)|(?P<a>月份)", ("年度", "月份")),  # a group name used twice
        (r"(?<!本)年度", ("年度",)),
    ],
)
def test_the_text_a_regex_requires(pattern: str, required: tuple[str, ...]) -> None:
    assert required_text(pattern) == required


def test_no_pattern_is_skipped_where_it_would_match() -> None:
    # Every example and counterexample text of every pattern, against every pattern: where
    # the regex finds a match, the pre-check lets it run.
    texts = [
        RULES.text.fold(example.text if hasattr(example, "text") else str(example))
        for pattern in RULES.patterns.patterns
        for example in (*pattern.spec.examples, *pattern.spec.counterexamples)
    ]
    missed = [
        (pattern.id, text)
        for pattern in RULES.patterns.patterns
        for text in texts
        if pattern.regex.search(text) and not pattern.may_match(text)
    ]
    assert missed == []
    assert sum(1 for p in RULES.patterns.patterns if p.required) > 0.8 * len(
        RULES.patterns.patterns
    )
