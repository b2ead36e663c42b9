"""What a text is: a budget note or not, its unit, year, kind and scope, and the parts of a
note it covers. Every failure class has sentences of our own here (none copied from the
corpus); the rule file's examples each run as a case; and the corpus identities are checked
against the hand-checked expectations (tests/corpus/expected/*.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, get_args

import pytest
import yaml

from extractor.models import Document, DocumentInfo, Fact, Part, Provenance, TableSummary
from extractor.pipeline import extract
from extractor.readers.base import Line, ReadResult
from extractor.readers.limits import Limits
from extractor.readers.reading import read_document
from extractor.structure.identity import split_unit_name
from extractor.text.normalize import NormalisedText

from .conftest import CORPUS, needs_shared
from .rules import (
    RULES as RULE_SET,
)
from .rules import (
    build_outline,
    covered_parts,
    identify,
    normalise,
    recognition_data,
    unit_from,
    unit_rules,
)


def _normalised(text: str) -> NormalisedText:
    lines = [Line(text=t, paragraph=n) for n, t in enumerate(text.split("\n"), start=1)]
    return normalise(ReadResult(format="txt", lines=lines))


def info_of(text: str) -> DocumentInfo:
    return identify(_normalised(text)).info


def extracted(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "note.txt"
    path.write_text(text, encoding="utf-8")
    return extract(path)


# --- the rule file's own examples ----------------------------------------------------------------

RULES = recognition_data()
UNIT_CASES = [(rule, example, False) for rule in unit_rules() for example in rule.examples] + [
    (rule, counter, True) for rule in unit_rules() for counter in rule.counterexamples
]


def _unit_case_id(case: tuple[Any, Any, bool]) -> str:
    rule, example, counter = case
    examples = rule.counterexamples if counter else rule.examples
    return f"{rule.id}-{'counter' if counter else 'example'}{examples.index(example) + 1}"


@pytest.mark.parametrize("case", UNIT_CASES, ids=[_unit_case_id(c) for c in UNIT_CASES])
def test_unit_rule_example(case: tuple[Any, Any, bool]) -> None:
    rule, example, counter = case
    if counter:
        assert unit_from(rule, example) is None, example
    else:
        found = unit_from(rule, example["text"])
        assert found is not None and found[0] == example["unit"], (example, found)


def test_every_unit_rule_has_examples_and_counterexamples() -> None:
    assert all(rule.examples and rule.counterexamples for rule in unit_rules())


@pytest.mark.parametrize("text", RULES["content"]["examples"])
def test_budget_content_example(text: str) -> None:
    assert info_of(text).is_budget_note


@pytest.mark.parametrize("text", RULES["content"]["counterexamples"])
def test_budget_content_counterexample(text: str) -> None:
    assert not info_of(text).is_budget_note


@pytest.mark.parametrize("example", RULES["kind"]["examples"], ids=lambda e: e["text"][:16])
def test_body_kind_example(example: dict[str, Any]) -> None:
    assert info_of(example["text"]).kind == example["kind"]


@pytest.mark.parametrize("example", RULES["year"]["examples"], ids=lambda e: e["text"][:16])
def test_body_year_example(example: dict[str, Any]) -> None:
    assert info_of(example["text"]).year == example["year"]


# --- 1. recognition: a part of a note is a note; only text without budget content is refused -----

SANGONG_STATEMENT = """青川县林业局2023年“三公”经费预算情况说明
2023年“三公”经费预算为8.6万元，其中：公务接待费2.1万元，公务用车运行维护费6.5万元，因公出国（境）费0万元。
"""
PROCUREMENT_PAGE = """政府采购情况说明
本部门2022年度政府采购预算总额45.3万元，其中：货物类30.1万元，服务类15.2万元。
"""
INCOME_SUMMARY = """一、收入支出决算总体情况
本单位2021年度收入总计312.4万元，支出总计305.9万元。
"""
ASSETS_PAGE = """国有资产占用情况
截至2022年底，本部门共有车辆3辆；单位价值50万元以上的通用设备1台。
"""
NO_FIGURES = """关于进一步做好信息公开工作的通知
各科室：请认真做好预算公开和政务公开工作，按时报送有关材料。
"""


@pytest.mark.parametrize(
    "text",
    [SANGONG_STATEMENT, PROCUREMENT_PAGE, INCOME_SUMMARY, ASSETS_PAGE],
    ids=["sangong", "procurement", "income_summary", "assets"],
)
def test_a_statement_that_is_one_part_of_a_note_is_extracted(tmp_path: Path, text: str) -> None:
    document = extracted(tmp_path, text)
    assert document.status == "ok", document.errors
    assert document.info.is_budget_note


def test_a_sangong_statement_says_it_covers_the_sangong_part(tmp_path: Path) -> None:
    document = extracted(tmp_path, SANGONG_STATEMENT)
    assert document.info.parts == ["sangong"]
    assert any(f.field.startswith("sangong.") for f in document.facts)


def test_a_title_alone_is_budget_content() -> None:
    assert info_of("梅岭镇人民政府\n2024年部门预算\n目录").is_budget_note


def test_budget_words_without_any_figure_are_refused(tmp_path: Path) -> None:
    document = extracted(tmp_path, NO_FIGURES)
    assert document.status == "failed"
    assert [e.code for e in document.errors] == ["not_a_budget_note"]
    assert "0 clauses" in (document.errors[0].message or "")


# --- 2. identity: the unit ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("青川县司法局2022年“三公”经费预算情况说明\n2022年“三公”经费预算为5万元。", "青川县司法局"),
        ("关于临江市统计局2021年度部门决算的说明\n2021年度收入总计80万元。", "临江市统计局"),
        ("松溪县林业局\n2023年部门预算\n我局2023年收入预算120.5万元。", "松溪县林业局"),
        ("第一部分 沙河县水务局概况\n一、主要职能\n负责全县水资源管理。", "沙河县水务局"),
        ("长岭县2020年度政府决算公开目录\n一般公共预算收入5000万元。", "长岭县"),
        ("白沙县气象局2019年度部门预算编制说明\n收入预算60万元。", "白沙县气象局"),
    ],
    ids=["unit_year_sangong", "about_unit_final", "cover_line", "part_heading", "area", "plain"],
)
def test_the_unit_from_titles_of_every_form(text: str, unit: str) -> None:
    assert info_of(text).unit == unit


def test_a_heading_is_never_the_unit() -> None:
    info = info_of("第二部分 2020年度部门决算情况说明\n一、收入决算情况\n2020年度收入合计66万元。")
    assert info.unit is None
    assert (info.year, info.kind, info.scope) == (2020, "决算", "部门")


@pytest.mark.parametrize("addressee", ["县人大常委会:", "县人大常委会"])
def test_an_addressee_is_never_the_unit(addressee: str) -> None:
    text = (
        f"关于2021年决算草案的报告\n{addressee}\n"
        "受县人民政府委托，现将我县2021年决算草案报告如下。一般公共预算收入5000万元。"
    )
    assert info_of(text).unit is None


def test_a_phrase_is_never_the_unit() -> None:
    text = "纳入本部门2022年预算编制范围的单位包括\n1.机关本级\n2022年收入预算80万元。"
    assert info_of(text).unit is None


def test_a_self_reference_names_no_unit() -> None:
    info = info_of("2021年度单位决算情况说明\n本单位2021年度收入合计300万元，支出合计280万元。")
    assert info.unit is None and info.scope == "单位"


def test_the_unit_from_the_sentence_that_states_its_figures() -> None:
    text = (
        "二、“三公”经费支出决算情况\n市农机站2020年度“三公”经费支出决算为2.6万元，完成预算的86.7%。"
    )
    info = info_of(text)
    assert (info.unit, info.year, info.kind) == ("市农机站", 2020, "决算")


def test_the_unit_from_the_signature_of_a_statement() -> None:
    text = (
        "现将我局2017年“三公”经费预算说明如下：\n"
        "一、公务接待费\n2017年预算安排4万元。\n"
        "青山县审计局\n2017年3月1日"
    )
    info = info_of(text)
    assert (info.unit, info.year, info.kind) == ("青山县审计局", 2017, "预算")


def test_metadata_lines_are_never_a_title() -> None:
    text = (
        "# source: https://example.org/open/2020/item.html (copy)\n"
        "# kind: 决算, 2019, 某某局\n"
        "丰乐县档案馆2020年部门预算\n本部门2020年收入预算72万元。"
    )
    info = info_of(text)
    assert (info.unit, info.year, info.kind) == ("丰乐县档案馆", 2020, "预算")


# --- 2. identity: the year ---------------------------------------------------------------------


def test_the_year_of_the_note_not_the_comparison_year() -> None:
    text = "本中心2019年度支出总计86.1万元，较2018年度决算数增加3.2万元，比2018年增长3.9%。"
    assert info_of(text).year == 2019


def test_the_year_of_the_note_not_a_table_header() -> None:
    text = (
        "“三公”经费支出预算表\n项目\n2022年预算数\n合计\n"
        "2023年“三公”经费预算为3.1万元，比2022年预算数减少0.5万元。"
    )
    assert info_of(text).year == 2023


def test_the_year_of_the_note_not_a_citation() -> None:
    text = (
        "依据《中华人民共和国预算法实施条例》（2020年修订）的规定，"
        "现将2021年“三公”经费预算情况说明如下：2021年“三公”经费预算6万元。"
    )
    assert info_of(text).year == 2021


def test_the_year_of_the_note_not_the_date_it_was_signed() -> None:
    text = "2021年度“三公”经费决算支出5万元，比上年减少1万元。\n河口区档案馆\n2022年8月30日"
    info = info_of(text)
    assert (info.year, info.unit) == (2021, "河口区档案馆")


# --- 2. identity: the kind from the body when the title is silent --------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "2020年“三公”经费支出决算为4.2万元。",
        "2020年“三公”经费决算数4.2万元，比上年减少0.8万元。",
        "2020年“三公”经费实际支出4.2万元，比年初预算减少0.8万元。",
        "2020年度一般公共预算财政拨款“三公”经费支出4.2万元，完成预算的84%。",
    ],
    ids=["支出决算", "决算数", "实际支出", "完成预算"],
)
def test_the_kind_from_the_body_when_the_title_is_silent(sentence: str) -> None:
    info = info_of(f"2020年“三公”经费情况说明\n{sentence}")
    assert (info.year, info.kind) == (2020, "决算")


def test_a_fund_name_does_not_make_a_budget() -> None:
    info = info_of("2019年度一般公共预算财政拨款“三公”经费支出决算为3万元。")
    assert (info.year, info.kind) == (2019, "决算")


def test_a_budget_statement_stays_a_budget() -> None:
    info = info_of("经汇总，2024年一般公共预算“三公”经费支出预算为12万元，比上年预算减少1万元。")
    assert (info.year, info.kind, info.unit) == (2024, "预算", None)


# --- 2. identity: whole-area aggregates --------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("经汇总，2022年县级部门一般公共预算“三公”经费支出预算为500万元。", "县级部门"),
        ("经汇总，2022年区级部门(单位)“三公”经费支出预算为350万元。", "区级部门(单位)"),
        ("区本级2021年“三公”经费支出决算为120万元，比上年下降5%。", "区本级"),
        ("经汇总，2023年桃源县县级部门“三公”经费支出预算为260万元。", "桃源县县级部门"),
        ("全县县级部门汇总“三公”经费预算80万元。", "全县县级部门"),
        ("梅川区财政局\n经汇总，2022年区级部门“三公”经费预算为350万元。", "区级部门"),
    ],
    ids=[
        "county_level",
        "district_level_units",
        "district_itself",
        "area_and_level",
        "whole_county",
        "publisher",
    ],
)
def test_whole_area_aggregates_the_area_and_level_as_stated(text: str, unit: str) -> None:
    info = info_of(text)
    assert info.unit == unit and info.scope is None


def test_an_aggregate_without_a_level_names_no_unit() -> None:
    text = "经县财政局汇总，2018年全县各部门“三公”经费决算总额900万元。"
    assert info_of(text).unit is None


# --- 2. identity: the scope --------------------------------------------------------------------


def test_the_scope_from_the_body() -> None:
    assert (
        info_of("某市直工委2019年“三公”经费决算6万元。本次公布的决算为部门汇总数。").scope == "部门"
    )
    assert info_of("为做好部门预算公开工作，现将2019年“三公”经费预算8万元说明如下。").scope is None


# --- parts -------------------------------------------------------------------------------------


def _fact(field: str) -> Fact:
    provenance = Provenance(section_path=[], section_id="0", sentence="", quote="")
    return Fact(id=f"{field}@0", field=field, label="", pattern="test", provenance=provenance)


def _parts(text: str, fields: list[str], tables: list[TableSummary] | None = None) -> list[str]:
    normalised = _normalised(text)
    outline = build_outline(normalised.paragraphs)
    return list(
        covered_parts([_fact(f) for f in fields], tables or [], outline, normalised.paragraphs)
    )


def test_parts_from_the_figures_read() -> None:
    fields = ["total.income_expenditure", "total.income", "income.other", "expenditure.basic"]
    assert _parts("", fields) == ["totals", "income", "expenditure"]
    assert _parts("", ["sangong.total", "basic.personnel", "expenditure.item"]) == [
        "items",
        "basic",
        "sangong",
    ]


def test_unit_staff_and_project_facts_cover_no_part() -> None:
    fields = ["unit.subordinate_count", "staff.actual", "unit.name", "project.component"]
    assert _parts("", [*fields, "sangong.reception"]) == ["sangong"]


def test_parts_from_the_standard_tables_found() -> None:
    table = TableSummary(
        id="t0",
        title="收入支出决算总表",
        kind="income_expenditure_summary",
        pages=[],
        rows=3,
        facts=3,
    )
    assert _parts("", [], [table]) == ["totals"]


def test_parts_said_in_words_need_a_heading_with_text_under_it() -> None:
    with_text = "一、部门主要职责\n负责全县的档案管理工作。\n二、名词解释\n1.财政拨款收入：指本级财政当年拨付的资金。"
    assert _parts(with_text, []) == ["overview", "glossary"]
    headings_only = "一、部门主要职责\n二、政府性基金预算支出情况"
    assert _parts(headings_only, []) == []


def test_a_definition_of_a_budget_term_covers_the_glossary() -> None:
    assert _parts("注：“三公”经费指因公出国（境）费、公务用车购置及运行费和公务接待费。", []) == [
        "glossary"
    ]
    assert _parts("按照上级指导意见，压减一般性支出。", []) == []


# --- the corpus: identities as hand-checked ----------------------------------------------------

EXPECTED_DIR = Path(__file__).resolve().parent / "corpus" / "expected"
EXPECTATIONS = sorted(EXPECTED_DIR.glob("*.yaml"))
WITH_PARTS = [
    p for p in EXPECTATIONS if "parts" in yaml.safe_load(p.read_text(encoding="utf-8"))["document"]
]


def _source(name: str) -> Path:
    return next(CORPUS / d / name for d in ("files", "web") if (CORPUS / d / name).exists())


@cache
def _document(name: str) -> Document:
    return extract(_source(name))


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@needs_shared
@pytest.mark.corpus
@pytest.mark.parametrize(
    "expected_path", EXPECTATIONS, ids=[p.name.split(".")[0] for p in EXPECTATIONS]
)
def test_corpus_identity(expected_path: Path) -> None:
    expected = _expected(expected_path)
    info = _document(expected["source"]).info
    wanted = expected["document"]
    assert (info.unit, info.year, info.kind) == (wanted["unit"], wanted["year"], wanted["kind"])
    if "scope" in wanted:
        assert info.scope == wanted["scope"]


@needs_shared
@pytest.mark.corpus
@pytest.mark.parametrize(
    "expected_path", WITH_PARTS, ids=[p.name.split(".")[0] for p in WITH_PARTS]
)
def test_corpus_parts_rule_on_the_hand_checked_figures(expected_path: Path) -> None:
    """The parts rule applied to the figures a reader found (not to the tool's own facts)."""
    expected = _expected(expected_path)
    source = _source(expected["source"])
    result, _, _ = read_document(source, Limits())
    normalised = normalise(result)
    facts = [_fact(entry["field"]) for entry in expected.get("facts", [])]
    tables = _document(expected["source"]).tables
    parts = covered_parts(
        facts, tables, build_outline(normalised.paragraphs), normalised.paragraphs
    )
    table_unread = expected.get("table_figures") and not any(t.kind for t in tables)
    if parts != expected["document"]["parts"] and table_unread:
        pytest.skip("the part comes from a table that is not read as one yet")
    assert parts == expected["document"]["parts"]


@needs_shared
@pytest.mark.corpus
@pytest.mark.parametrize(
    "expected_path", WITH_PARTS, ids=[p.name.split(".")[0] for p in WITH_PARTS]
)
def test_corpus_parts_are_never_a_part_the_note_lacks(expected_path: Path) -> None:
    expected = _expected(expected_path)
    parts = _document(expected["source"]).info.parts
    assert set(parts) <= set(expected["document"]["parts"]), parts


# --- the data contract -------------------------------------------------------------------------


def test_the_parts_rules_name_known_fields_tables_and_parts() -> None:
    root = Path(__file__).resolve().parent.parent / "patterns"
    fields = yaml.safe_load((root / "fields.yaml").read_text(encoding="utf-8"))["fields"]
    tables = yaml.safe_load((root / "tables.yaml").read_text(encoding="utf-8"))["tables"]
    prefixes = {name.split(".")[0] for name in fields}
    rules = RULES["parts"]
    assert all(key in fields or key in prefixes for key in rules["fields"]), rules["fields"]
    assert set(rules["tables"]) <= {table["id"] for table in tables}
    assert rules["order"] == list(get_args(Part))
    assert set(rules["headings"]) <= set(rules["order"])


def test_the_readme_lists_every_part() -> None:
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Identity and parts", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{part}`" in section for part in get_args(Part))


@pytest.mark.parametrize(
    ("name", "regions", "organisation"),
    [
        ("某某市某某区城市管理局", ["某某市", "某某区"], "城市管理局"),  # 城市 is no place
        ("某某市市场监督管理局", ["某某市"], "市场监督管理局"),
        ("某州市公安局某某区分局", ["某州市"], "公安局某某区分局"),  # 州 + 市: one place
        ("某某维吾尔自治区财政厅", ["某某维吾尔自治区"], "财政厅"),
        ("某某土家族苗族自治州民政局", ["某某土家族苗族自治州"], "民政局"),
        ("中共某某省委宣传部", ["某某省"], "省委宣传部"),  # the committee keeps its level
        ("某某县某某镇人民政府", ["某某县", "某某镇"], "人民政府"),
        ("某某区", ["某某区"], None),
        ("市本级", [], "市本级"),
    ],
)
def test_a_unit_name_splits_into_regions_and_organisation(
    name: str, regions: list[str], organisation: str | None
) -> None:
    assert split_unit_name(name, RULE_SET.recognition) == (regions, organisation)
