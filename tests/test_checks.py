"""Validation: an error means the note is wrong.

Each false alarm the checks used to raise on consistent notes has a test here, beside a test
that the real inconsistency of the same kind is still caught. The facts are built directly
(with sentences and figures written for these tests), so the expectations are the arithmetic
in the comments, not the extractor's output.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest
import yaml

from extractor.checks import CheckInput, load_check_data, validate
from extractor.checks.compare import compare
from extractor.checks.precision import half_ulp, judge, margin_of, same_margin, stated_half_ulp
from extractor.models import (
    Change,
    Check,
    DocumentInfo,
    Execution,
    Fact,
    Provenance,
    TableRef,
)
from extractor.text.amounts import make_amount

from .conftest import ROOT

_ids = itertools.count()


def amount(text: str, unit: str = "万元") -> Any:
    return make_amount(text, unit)


def fact(
    field: str,
    value: str | None = None,
    sentence: str | None = None,
    *,
    unit: str = "万元",
    section: tuple[str, ...] = ("一、收支预算总体情况",),
    **attributes: Any,
) -> Fact:
    """A narrative fact; its sentence holds its amount as written."""
    money = amount(value, unit) if value is not None else None
    sentence = sentence or f"{field}{money.text if money else ''}。"
    assert money is None or money.text in sentence, (money.text, sentence)
    return Fact(
        id=f"{field}@{next(_ids)}",
        field=field,
        label=field,
        amount=money,
        pattern="test",
        provenance=Provenance(
            section_path=list(section), section_id=section[-1], sentence=sentence, quote=sentence
        ),
        **attributes,
    )


def cell(
    field: str,
    value: str,
    *,
    unit: str = "元",
    title: str = "部门支出预算总表",
    kind: str | None = "expenditure_summary",
    table: str = "t1",
    row: int = 0,
    column: str = "合计",
    measure: str = "total",
    **attributes: Any,
) -> Fact:
    """A table cell."""
    return Fact(
        id=f"{field}@{table}r{row}c{next(_ids)}",
        field=field,
        label=field,
        amount=amount(value, unit),
        measure=measure,
        source="table",
        pattern="table.test",
        provenance=Provenance(
            section_path=[title],
            section_id=table,
            sentence=f"{value}",
            quote=f"{value}",
            table=TableRef(title=title, kind=kind, row=row, column=column),
        ),
        **attributes,
    )


def change(
    basis: str | None = "上年",
    direction: str | None = None,
    by: str | None = None,
    percent: str | None = None,
    basis_amount: str | None = None,
    unit: str = "万元",
    reason: str | None = None,
) -> Change:
    return Change(
        basis=basis,
        basis_amount=amount(basis_amount, unit) if basis_amount else None,
        direction=direction,  # type: ignore[arg-type]
        amount=amount(by, unit) if by is not None else None,
        percent=Decimal(percent) if percent is not None else None,
        reason=reason,
    )


def checks(facts: Iterable[Fact], kind: str = "预算", year: int = 2024) -> list[Check]:
    return validate(list(facts), DocumentInfo(kind=kind, year=year), [])


def of(result: list[Check], rule: str) -> list[Check]:
    return [c for c in result if c.rule == rule]


def errors(result: list[Check]) -> list[Check]:
    return [c for c in result if not c.passed and c.severity == "error"]


# --- precision -------------------------------------------------------------------------------


def test_half_units_nominal_and_as_stated() -> None:
    # 30万元 counts as 30.00 nominally (± 0.005) and as written ± 0.5.
    assert half_ulp(amount("30")) == Decimal("0.005")
    assert stated_half_ulp(amount("30")) == Decimal("0.5")
    # A table in 元 is as precise as it is printed: 34,608,512元 ± 0.5元 = ± 0.00005万元.
    assert half_ulp(amount("34608512", "元")) == stated_half_ulp(amount("34608512", "元"))
    assert half_ulp(amount("34608512", "元")) == Decimal("0.00005")
    # 1.2亿元 ± 0.05亿元 as written.
    assert stated_half_ulp(amount("1.2", "亿元")) == Decimal("500")


def test_one_figure_stated_twice_agrees_when_the_finer_rounds_to_the_coarser() -> None:
    # 3461 (whole 万元) against 3460.8512: the finer, rounded to the 万元, is 3461.
    assert judge(Decimal("0.1488"), same_margin(amount("3461"), amount("34608512", "元"))).passed
    # 326.72 against 326.71: the same precision, so they must be equal.
    assert not judge(Decimal("0.01"), same_margin(amount("326.72"), amount("326.71"))).passed
    # 75 against 74: two whole figures of one value are never a unit apart.
    assert not judge(Decimal("1"), same_margin(amount("75"), amount("74"))).passed


def test_a_sum_of_whole_figures_that_agrees_only_if_several_are_rounded_is_in_between() -> None:
    # 15 + 50 + 8 = 73 against 74: each whole figure ± 0.5, the sum ± 2: only if several
    # of them are rounded.
    margin = margin_of([amount("74"), amount("15"), amount("50"), amount("8")])
    verdict = judge(Decimal("1"), margin)
    assert not verdict.passed and verdict.rounded_only
    # against 75 the difference (2) reaches the sum of the half units: no reading fits.
    verdict = judge(Decimal("2"), margin)
    assert not verdict.passed and not verdict.rounded_only


# --- 1. a figure rounded to whole 万元 against its table in 元 ---------------------------------


def test_a_headline_rounded_to_whole_wan_agrees_with_its_table_in_yuan() -> None:
    text = fact("total.expenditure", "3461", "本局2024年部门支出预算3461万元，较上年略有增加。")
    table = cell("total.expenditure", "34608512")
    reconciled = of(checks([text, table]), "reconcile.text_table")
    assert [c.passed for c in reconciled] == [True]
    assert "precision stated" in reconciled[0].message


def test_a_headline_that_its_table_does_not_round_to_is_still_an_error() -> None:
    # 3459 against 3460.8512: 1.85 apart, more than half a 万元.
    text = fact("total.expenditure", "3459", "本局2024年部门支出预算3459万元。")
    table = cell("total.expenditure", "34608512")
    assert [c.rule for c in errors(checks([text, table]))] == ["reconcile.text_table"]


def test_a_rounded_restatement_of_a_figure_is_no_repeat_error() -> None:
    first = fact("expenditure.basic", "2716.38", "基本支出2716.38万元，占78.49%。")
    again = fact("expenditure.basic", "2716", "基本支出约2716万元，主要用于人员工资。")
    repeat = of(checks([first, again]), "repeat.agree")
    assert [c.passed for c in repeat] == [True]


def test_two_statements_of_one_figure_a_cent_apart_are_an_error() -> None:
    first = fact("expenditure.basic", "2716.38", "基本支出2716.38万元。")
    again = fact("expenditure.basic", "2716.39", "基本支出2716.39万元。")
    assert [c.rule for c in errors(checks([first, again]))] == ["repeat.agree"]


def _sangong_twelve(same_sentence: bool) -> list[Check]:
    # 5.36 + 3.20 + 3.61 = 12.17 against a total of 12万元.
    parts = "其中：因公出国（境）费5.36万元，公务接待费3.20万元，公务用车运行维护费3.61万元。"
    headline = "2024年“三公”经费预算12万元，比上年有所减少。"
    sentence = headline[:-1] + "，" + parts if same_sentence else parts
    return checks(
        [
            fact("sangong.total", "12", sentence if same_sentence else headline),
            fact("sangong.overseas", "5.36", sentence),
            fact("sangong.reception", "3.20", sentence),
            fact("sangong.vehicle", "3.61", sentence),
        ]
    )


def test_a_total_rounded_to_whole_wan_agrees_with_its_exact_parts() -> None:
    # Only the headline is in whole 万元: read as rounded, 12.17 is 12.
    result = of(_sangong_twelve(same_sentence=False), "sum.sangong")
    assert [c.passed for c in result] == [True]
    assert "12万元 rounded" in result[0].message


def test_a_whole_figure_beside_figures_to_the_cent_is_read_as_exact() -> None:
    # The same total in the sentence that writes its parts to the cent is 12.00: an error.
    assert [c.rule for c in errors(_sangong_twelve(same_sentence=True))] == ["sum.sangong"]


def test_whole_figures_that_add_up_only_if_several_are_rounded_are_a_warning() -> None:
    # 15 + 50 + 8 = 73 against a total of 74.
    sentence = "“三公”经费预算74万元，其中：因公出国（境）费15万元，公务接待费50万元，公务用车购置及运行费8万元。"
    facts = [
        fact("sangong.total", "74", sentence),
        fact("sangong.overseas", "15", sentence),
        fact("sangong.reception", "50", sentence),
        fact("sangong.vehicle", "8", sentence),
    ]
    result = of(checks(facts), "sum.sangong")
    assert [(c.passed, c.severity) for c in result] == [(False, "warning")]


def test_whole_figures_that_do_not_add_up_at_any_reading_are_an_error() -> None:
    # 15 + 50 + 8 = 73 against 76: 3 apart, more than four half 万元.
    sentence = "“三公”经费预算76万元，其中：因公出国（境）费15万元，公务接待费50万元，公务用车购置及运行费8万元。"
    facts = [
        fact("sangong.total", "76", sentence),
        fact("sangong.overseas", "15", sentence),
        fact("sangong.reception", "50", sentence),
        fact("sangong.vehicle", "8", sentence),
    ]
    assert [c.rule for c in errors(checks(facts))] == ["sum.sangong"]


# --- percentages at the precision stated ------------------------------------------------------------


def _basic_share(share: str) -> list[Check]:
    sentence = f"本年支出预算221.17万元，其中：基本支出191.17万元，占{share}%。"
    return checks(
        [
            fact("total.expenditure", "221.17", sentence),
            fact("expenditure.basic", "191.17", sentence, share=Decimal(share)),
        ]
    )


@pytest.mark.parametrize("share", ["86.44", "86.4", "86"])
def test_a_share_agrees_at_half_a_unit_of_its_last_digit(share: str) -> None:
    # 191.17 / 221.17 = 86.4358%: 86.44 (± 0.005), 86.4 (± 0.05) and 86 (± 0.5) all fit.
    assert [c.passed for c in of(_basic_share(share), "share.stated")] == [True]


def test_a_share_off_by_one_in_its_last_place_is_a_warning_and_further_an_error() -> None:
    # 86.42: 0.0158 off, within one unit of the last place (shares adjusted to make 100).
    assert [c.severity for c in of(_basic_share("86.42"), "share.stated")] == ["warning"]
    # 86.40: 0.0358 off.
    assert [c.severity for c in of(_basic_share("86.40"), "share.stated")] == ["error"]


def test_a_change_percentage_from_whole_wan_figures_propagates_their_rounding() -> None:
    # 226万元, 增加139万元 → 上年 87; 139 / 87 = 159.77%, stated 160.1%. With 226 and 139
    # rounded to the 万元 (139.2 / 86.8 = 160.4%) the stated figure is reachable.
    sangong = fact(
        "sangong.overseas",
        "226",
        "因公出国（境）费226万元，比上年增加139万元，增长160.1%。",
        changes=[change("上年", "increase", "139", "160.1")],
    )
    result = of(checks([sangong]), "change.percent")
    assert [c.passed for c in result] == [True]
    assert "precision stated" in result[0].message
    assert errors(checks([sangong])) == []


def test_a_change_percentage_with_a_slipped_decimal_point_is_an_error() -> None:
    # 3666, 增加21.8 → 3644.2; 21.8 / 3644.2 = 0.60%, stated 0.06%.
    item = fact(
        "expenditure.item",
        "3666",
        "一般行政管理事务3,666万元，与上年相比增加21.8万元，增长0.06%。".replace("3,666", "3666"),
        code="204-04-02",
        code_source="stated",
        changes=[change("上年", "increase", "21.8", "0.06")],
    )
    assert [c.rule for c in errors(checks([item]))] == ["change.percent"]


def test_a_change_percentage_one_unit_off_in_the_last_place_is_an_error() -> None:
    # 1115.85, 减少2233.13 → 3348.98; 2233.13 / 3348.98 = 66.681%, stated 66.69%.
    running = fact(
        "operating_cost",
        "1115.85",
        "机关运行经费1115.85万元，比上年减少2233.13万元，下降66.69%。",
        changes=[change("上年", "decrease", "2233.13", "66.69")],
    )
    assert [c.rule for c in errors(checks([running]))] == ["change.percent"]


# --- 2. a figure in 元 read as 万元 ---------------------------------------------------------------


def test_a_table_figure_read_in_the_wrong_unit_is_a_unit_warning() -> None:
    # The narrative says 2.36万元; the cell reads 2.36 under a 单位：元 header: 0.000236万元.
    text = fact("sangong.reception", "2.36", "公务接待费2.36万元，比上年减少0.4万元。")
    table = cell("sangong.reception", "2.36", title="“三公”经费支出预算表", kind="sangong")
    result = checks([text, table])
    assert errors(result) == []
    assert [(c.rule, c.severity) for c in result if not c.passed] == [("unit.scale", "warning")]


def test_two_statements_a_factor_of_ten_thousand_apart_are_a_unit_warning() -> None:
    first = fact("sangong.reception", "2.36", "公务接待费2.36万元。")
    again = fact("sangong.reception", "2.36", "其中公务接待费2.36元。", unit="元")
    result = checks([first, again])
    assert errors(result) == []
    assert [c.rule for c in result if not c.passed] == ["unit.scale"]


def test_a_coincidence_of_one_significant_digit_is_no_unit_slip() -> None:
    # 0.3 against 2961.68: 0.3亿 ≈ 2961.68万 at one digit, which may be chance: an error.
    text = fact("total.fiscal", "0.3", "财政拨款收入支出总计0.3万元。")
    table = cell(
        "total.fiscal", "2961.68", unit="万元", title="财政拨款收支总表", kind="fiscal_summary"
    )
    assert [c.rule for c in errors(checks([text, table]))] == ["reconcile.text_table"]


def test_a_completion_rate_against_a_budget_printed_in_the_wrong_unit_is_a_unit_warning() -> None:
    # 115,749.56元 of a budget printed as 494,400.00万元: 0.0023%; read as 494,400.00元 it is
    # 23.41%, stated 23.42%.
    sentence = "“三公”经费支出预算为494,400.00万元，支出决算为115,749.56元，完成预算的23.42%。"
    total = fact(
        "sangong.total",
        "115749.56",
        sentence.replace("115,749.56", "115749.56"),
        unit="元",
        execution=Execution(
            budget=amount("494400.00"), completion_percent=Decimal("23.42"), completion_basis="预算"
        ),
    )
    result = checks([total], kind="决算", year=2018)
    assert errors(result) == []
    assert [(c.rule, c.severity) for c in result if not c.passed] == [("unit.scale", "warning")]


# --- 3. a stated change of 0 -------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["decrease", "increase"])
def test_a_stated_change_of_zero_agrees_with_equal_figures_whatever_the_word(word: str) -> None:
    verb = "减少" if word == "decrease" else "增加"
    meeting = fact(
        "meetings.meeting",
        "12.5",
        f"会议费预算12.5万元，比上年{verb}0万元。",
        changes=[change("上年", word, "0")],
    )
    direction = of(checks([meeting]), "change.direction")
    assert [c.passed for c in direction] == [True]


def test_zero_to_zero_called_a_decrease_of_zero_is_not_an_error() -> None:
    # 0 → 0: 减少0万元 is consistent; a percentage on a zero basis stays a warning.
    training = fact(
        "meetings.training",
        "0",
        "培训费预算0万元，比上年减少0万元，下降0%。",
        changes=[change("上年", "decrease", "0", "0")],
    )
    result = checks([training])
    assert errors(result) == []
    assert [(c.rule, c.severity) for c in result if not c.passed] == [
        ("change.zero_basis", "warning")
    ]


def test_a_change_of_zero_against_a_different_stated_basis_is_an_error() -> None:
    # 3万元, 较上年5万元减少0万元: the figures differ by 2.
    meeting = fact(
        "meetings.meeting",
        "3",
        "会议费3万元，较上年5万元减少0万元。",
        changes=[change("上年", "decrease", "0", basis_amount="5")],
    )
    assert [c.rule for c in errors(checks([meeting]))] == ["change.amount"]


# --- 4. a part never summed with its whole ----------------------------------------------------------


def test_no_sum_counts_basic_expenditure_together_with_its_own_parts() -> None:
    sentence = "本年支出预算300万元，其中：基本支出200万元（人员经费150万元，公用经费50万元），项目支出100万元。"
    total = fact("total.expenditure", "300", sentence)
    basic = fact("expenditure.basic", "200", sentence)
    personnel = fact("basic.personnel", "150", sentence)
    public = fact("basic.public", "50", sentence)
    project = fact("expenditure.project", "100", sentence)
    context = CheckInput.of(
        [total, basic, personnel, public, project],
        DocumentInfo(kind="预算"),
        [],
        load_check_data(ROOT / "patterns"),
    )
    found = compare(
        context, "sum.basic_project", total, [basic, personnel, public, project], "test"
    )
    assert found == []
    # The narrative's own sums: 200 + 100 = 300 and 150 + 50 = 200, both pass.
    result = checks([total, basic, personnel, public, project])
    assert errors(result) == []
    assert {c.rule for c in result if c.passed} >= {"sum.basic_project", "sum.personnel_public"}


def test_a_table_row_whose_columns_both_read_as_basic_builds_no_sum_from_them() -> None:
    # 合计 | 基本支出/人员经费 | 基本支出/公用经费 | 项目支出 — both sub-columns read as 基本支出.
    row = {
        "total": cell("expenditure.class", "3000000", code="201", column="合计"),
        "basic1": cell(
            "expenditure.class", "1500000", code="201", column="基本支出/人员经费", measure="basic"
        ),
        "basic2": cell(
            "expenditure.class", "500000", code="201", column="基本支出/公用经费", measure="basic"
        ),
        "project": cell(
            "expenditure.class", "1000000", code="201", column="项目支出", measure="project"
        ),
    }
    assert of(checks(row.values()), "table.columns") == []


def test_a_table_row_whose_columns_do_not_add_up_is_still_an_error() -> None:
    row = [
        cell("expenditure.class", "3000000", code="201", column="合计"),
        cell("expenditure.class", "1900000", code="201", column="基本支出", measure="basic"),
        cell("expenditure.class", "1000000", code="201", column="项目支出", measure="project"),
    ]
    assert [c.rule for c in errors(checks(row))] == ["table.columns"]


def test_a_reserve_is_a_part_of_total_expenditure_beside_basic_and_project() -> None:
    # 21,968.00 + 10,208.94 + 5,011.40 = 37,188.34 (单位预留机动经费 in some templates).
    sentence = "本年支出预算37,188.34万元，其中：基本支出21,968万元，项目支出10,208.94万元，单位预留机动经费5,011.40万元。"
    sentence = sentence.replace(",", "")
    facts = [
        fact("total.expenditure", "37188.34", sentence),
        fact("expenditure.basic", "21968", sentence),
        fact("expenditure.project", "10208.94", sentence),
        fact("expenditure.reserve", "5011.40", sentence),
    ]
    assert [c.passed for c in of(checks(facts), "sum.basic_project")] == [True]


# --- 5. a fact whose reading is uncertain -------------------------------------------------------------


def _class_against_table(code_source: str) -> list[Check]:
    text = fact(
        "expenditure.class",
        "512.4",
        "一般公共服务（类）支出512.4万元。",
        code="201",
        code_source=code_source,
    )
    table = cell("expenditure.class", "4800000", code="201")
    return checks([text, table])


def test_a_failure_from_a_code_looked_up_by_name_is_info() -> None:
    result = _class_against_table("classification")
    failed = [c for c in result if not c.passed]
    assert [(c.rule, c.severity) for c in failed] == [("reconcile.text_table", "info")]
    assert "looked up by name" in failed[0].message


def test_the_same_failure_with_a_stated_code_is_an_error() -> None:
    assert [c.rule for c in errors(_class_against_table("stated"))] == ["reconcile.text_table"]


def test_a_failure_in_a_table_the_tool_did_not_recognise_is_info() -> None:
    rows = [
        cell("expenditure.class", "1000000", code="201", kind=None, title="附表3", row=0),
        cell("expenditure.item", "700000", code="201-01", kind=None, title="附表3", row=1),
    ]
    failed = [c for c in checks(rows) if not c.passed]
    assert [(c.rule, c.severity) for c in failed] == [("table.rows", "info")]
    assert "did not recognise" in failed[0].message


def test_a_failure_from_an_amount_not_in_its_own_sentence_is_info() -> None:
    sentence = "“三公”经费预算20万元，其中：因公出国（境）费5万元，公务接待费6万元。"
    vehicle = fact("sangong.vehicle", None, "公务用车购置及运行费与上年持平。")
    # 5 + 6 + 12 = 23 against 20; the 12 was inferred, not written in its sentence.
    vehicle = vehicle.model_copy(update={"amount": amount("12")})
    facts = [
        fact("sangong.total", "20", sentence),
        fact("sangong.overseas", "5", sentence),
        fact("sangong.reception", "6", sentence),
        vehicle,
    ]
    failed = [c for c in checks(facts) if not c.passed]
    assert [(c.rule, c.severity) for c in failed] == [("sum.sangong", "info")]
    assert "inferred" in failed[0].message


# --- every comparison against its own basis -----------------------------------------------------------


def _reception(by_budget: str) -> Fact:
    return fact(
        "sangong.reception",
        "56",
        f"公务接待费为56万元，较上年71万元减少15万元，下降21.1%，较预算数90万元减少{by_budget}万元。",
        changes=[
            change("上年", "decrease", "15", "21.1", basis_amount="71"),
            change("预算数", "decrease", by_budget, basis_amount="90"),
        ],
    )


def test_every_comparison_is_checked_against_its_own_basis() -> None:
    # 71 − 56 = 15, 15 / 71 = 21.13%; 90 − 56 = 34.
    result = checks([_reception("34")], kind="决算")
    assert errors(result) == []
    amounts = of(result, "change.amount")
    assert len(amounts) == 2 and all(c.passed for c in amounts)


def test_a_wrong_difference_from_the_budget_is_caught_against_the_budget() -> None:
    # 90 − 56 = 34, stated 30.
    failed = errors(checks([_reception("30")], kind="决算"))
    assert [c.rule for c in failed] == ["change.amount"]
    assert "30" in failed[0].message and "90" in failed[0].message


def _final(by: str, completion: str) -> Fact:
    return fact(
        "sangong.total",
        "31.2",
        f"“三公”经费支出预算为40.5万元，支出决算为31.2万元，完成预算的{completion}%，较预算数减少{by}万元。",
        execution=Execution(budget=amount("40.5"), completion_percent=Decimal(completion)),
        changes=[change("预算数", "decrease", by)],
    )


def test_a_comparison_with_the_budget_uses_the_budget_stated_beside_it() -> None:
    # 40.5 − 31.2 = 9.3; 31.2 / 40.5 = 77.04%.
    result = checks([_final("9.3", "77.04")], kind="决算")
    assert errors(result) == []
    assert [c.passed for c in of(result, "change.amount")] == [True]
    assert [c.passed for c in of(result, "execution.completion")] == [True]


def test_a_wrong_completion_rate_or_difference_from_the_budget_is_an_error() -> None:
    assert [c.rule for c in errors(checks([_final("9.0", "77.04")], kind="决算"))] == [
        "change.amount"
    ]
    assert [c.rule for c in errors(checks([_final("9.3", "77.40")], kind="决算"))] == [
        "execution.completion"
    ]


# --- counts ----------------------------------------------------------------------------------------------


def _vehicles(kinds: tuple[int, int], same_sentence: bool = True) -> list[Check]:
    sentence = f"单位公务用车保有量6辆，其中执法执勤用车{kinds[0]}辆，其他用车{kinds[1]}辆。"
    other = "按用途分：执法执勤用车、其他用车。" if not same_sentence else sentence
    return checks(
        [
            fact("sangong.vehicles_held", None, sentence, count=6),
            fact("assets.vehicle_kind", None, other, count=kinds[0], name="执法执勤用车"),
            fact("assets.vehicle_kind", None, other, count=kinds[1], name="其他用车"),
        ]
    )


def test_vehicle_kinds_add_up_to_the_vehicles_held() -> None:
    assert [c.passed for c in of(_vehicles((4, 2)), "sum.vehicles")] == [True]


def test_vehicle_kinds_that_do_not_add_up_are_an_error_in_one_sentence_else_a_warning() -> None:
    assert [c.severity for c in of(_vehicles((4, 1)), "sum.vehicles")] == ["error"]
    assert [c.severity for c in of(_vehicles((4, 1), same_sentence=False), "sum.vehicles")] == [
        "warning"
    ]


# --- shares of the 三公 parts -------------------------------------------------------------------------


def _sangong_shares(shares: tuple[str, str, str], total: str | None = None) -> list[Check]:
    sentence = (
        f"“三公”经费预算中，因公出国（境）费160万元，占{shares[0]}%；公务用车购置及运行费266.8万元，"
        f"占{shares[1]}%；公务接待费86.95万元，占{shares[2]}%。"
    )
    facts = [
        fact("sangong.overseas", "160", sentence, share=Decimal(shares[0])),
        fact("sangong.vehicle", "266.8", sentence, share=Decimal(shares[1])),
        fact("sangong.reception", "86.95", sentence, share=Decimal(shares[2])),
    ]
    if total:
        facts.append(fact("sangong.total", total, f"“三公”经费预算{total}万元。"))
    return checks(facts)


def test_shares_of_the_sangong_parts_fit_the_sum_of_the_three_when_no_total_is_stated() -> None:
    # 160 + 266.8 + 86.95 = 513.75: 31.14%, 51.93%, 16.92%.
    result = _sangong_shares(("31.14", "51.93", "16.92"))
    assert [c.passed for c in of(result, "share.stated")] == [True, True, True]


def test_a_sangong_share_forced_to_make_100_is_a_warning() -> None:
    # 70 + 411.20 + 27 = 508.20 (no total stated): 13.77%, 5.31% right; 411.20 / 508.20 =
    # 80.913%, stated 80.92% so that the three add to 100.00 — beyond the operands' rounding
    # (± 0.0068 points), one unit in the last place: a warning.
    sentence = (
        "因公出国（境）费70万元，占13.77%；公务用车购置及运行费411.20万元，占80.92%；"
        "公务接待费27万元，占5.31%。"
    )
    result = checks(
        [
            fact("sangong.overseas", "70", sentence, share=Decimal("13.77")),
            fact("sangong.vehicle", "411.20", sentence, share=Decimal("80.92")),
            fact("sangong.reception", "27", sentence, share=Decimal("5.31")),
        ]
    )
    assert errors(result) == []
    assert [c.severity for c in of(result, "share.stated") if not c.passed] == ["warning"]


def test_a_share_within_the_rounding_of_its_operands_passes() -> None:
    # 86.95 / 513.75 = 16.9246%, but 86.955 / 513.745 = 16.9257% rounds to the stated 16.93.
    result = _sangong_shares(("31.14", "51.93", "16.93"), total="513.75")
    assert [c.passed for c in of(result, "share.stated")] == [True, True, True]


def _larger_whole(reception_share: str) -> list[Check]:
    # 三公 100 (20 + 30 + 50), 会议费 60, 培训费 40: shares of the 200 of all five.
    sentence = (
        f"“三公”经费、会议费和培训费预算中，因公出国（境）费20万元，占10%；公务接待费30万元，占{reception_share}%；"
        "公务用车购置及运行费50万元，占25%。"
    )
    return checks(
        [
            fact("sangong.total", "100", "“三公”经费预算100万元。"),
            fact("sangong.overseas", "20", sentence, share=Decimal("10")),
            fact("sangong.reception", "30", sentence, share=Decimal(reception_share)),
            fact("sangong.vehicle", "50", sentence, share=Decimal("25")),
            fact("meetings.meeting", "60", "会议费60万元。"),
            fact("meetings.training", "40", "培训费40万元。"),
        ]
    )


def test_shares_stated_against_sangong_plus_meetings_and_training_fit_that_whole() -> None:
    result = _larger_whole("15")
    assert [c.passed for c in of(result, "share.stated")] == [True, True, True]
    assert all("meetings.meeting" in c.message for c in of(result, "share.stated"))


def test_a_share_that_fits_no_whole_is_an_error() -> None:
    # 30 is 30% of 100 (三公), 15% of 200 (with 会议费, 培训费); 12% fits neither.
    failed = errors(_larger_whole("12"))
    assert [c.rule for c in failed] == ["share.stated"]
    assert "no other whole fits" in failed[0].message


def test_a_vehicle_sub_part_may_be_stated_as_a_share_of_the_whole_sangong() -> None:
    # 公务用车购置 is 0, so 公务用车运行维护费 266.8 is 51.93% of 160 + 266.8 + 86.95.
    sentence = "因公出国（境）费160万元，公务用车运行维护费266.8万元，占“三公”经费的51.93%，公务接待费86.95万元。"
    facts = [
        fact("sangong.overseas", "160", sentence),
        fact("sangong.vehicle_operation", "266.8", sentence, share=Decimal("51.93")),
        fact("sangong.reception", "86.95", sentence),
    ]
    assert [c.passed for c in of(checks(facts), "share.stated")] == [True]


# --- statements of different funds ----------------------------------------------------------------


def test_basic_expenditure_of_all_funds_and_of_fiscal_appropriations_is_not_a_repeat() -> None:
    all_funds = fact("expenditure.basic", "13994.31", "此外，基本支出预算数为13994.31万元。")
    fiscal = fact(
        "expenditure.basic",
        "13979.92",
        "本院2018年度财政拨款基本支出预算13979.92万元。",
        section=("六、财政拨款基本支出预算情况说明",),
    )
    result = checks([all_funds, fiscal])
    assert errors(result) == []
    assert [(c.rule, c.severity) for c in result if not c.passed] == [("repeat.agree", "info")]


def test_an_economic_class_of_basic_and_of_project_expenditure_is_not_a_repeat() -> None:
    basic = fact("expenditure.economic", "201.69", "工资福利支出201.69万元，占基本支出的81.45%。")
    project = fact("expenditure.economic", "1.20", "工资福利支出1.20万元，占项目支出的2.56%。")
    basic = basic.model_copy(update={"name": "工资福利支出"})
    project = project.model_copy(update={"name": "工资福利支出"})
    assert errors(checks([basic, project])) == []


def test_tables_of_all_funds_and_of_fiscal_appropriations_may_differ_but_not_the_wrong_way() -> (
    None
):
    def row(value: str, title: str, table: str) -> Fact:
        return cell("expenditure.class", value, unit="万元", code="204", title=title, table=table)

    # All funds 16458.75 ≥ 财政拨款 16444.36 = 一般公共预算 16444.36: consistent.
    consistent = [
        row("16458.75", "收支预算总表", "t1"),
        row("16444.36", "财政拨款支出预算表", "t2"),
        row("16444.36", "一般公共预算支出预算表", "t3"),
    ]
    assert of(checks(consistent), "table.agreement") == []
    # 一般公共预算 326.72 > 财政拨款 326.71, which includes it: an error.
    wrong = [
        row("326.72", "支出决算表", "t1"),
        row("326.71", "财政拨款收入支出决算总表", "t2"),
        row("326.72", "一般公共预算财政拨款支出决算表", "t3"),
    ]
    failed = errors(checks(wrong))
    assert [c.rule for c in failed] == ["table.agreement"]
    assert "326.71" in failed[0].message


# --- income and balance -------------------------------------------------------------------------------


def _income(total: str) -> list[Check]:
    sentence = f"本年收入{total}万元，其中一般公共预算财政拨款收入382.17万元，上级补助收入8.38万元；上年结转和结余190.89万元。"
    return checks(
        [
            fact("total.income", total, sentence),
            fact("income.general_budget", "382.17", sentence),
            fact("income.superior_subsidy", "8.38", sentence),
            fact("income.carryover", "190.89", sentence),
        ],
        kind="决算",
    )


def test_income_sources_add_up_with_or_without_the_carry_over() -> None:
    # 382.17 + 8.38 = 390.55 (本年收入, without the carry-over); + 190.89 = 581.44.
    assert [c.passed for c in of(_income("390.55"), "sum.income_sources")] == [True]
    assert [c.passed for c in of(_income("581.44"), "sum.income_sources")] == [True]


def test_income_sources_short_of_the_total_are_a_warning_and_beyond_it_an_error() -> None:
    assert [c.severity for c in of(_income("600"), "sum.income_sources")] == ["warning"]
    assert [c.severity for c in of(_income("380"), "sum.income_sources")] == ["error"]


def test_a_budget_compared_across_funds_does_not_fail_as_an_error() -> None:
    # 一般公共预算拨款收入 beside total expenditure: the rest may be other funds.
    sentence = "本年一般公共预算拨款收入21940.96万元；本年支出预算21955.35万元。"
    income = fact("income.general_budget", "21940.96", sentence)
    spending = fact("total.expenditure", "21955.35", sentence)
    balance = of(checks([income, spending]), "balance.income_expenditure")
    assert [(c.passed, c.severity) for c in balance] == [(False, "info")]
    # The same figures as total income and total expenditure do not balance: an error.
    total_income = fact(
        "total.income", "21940.96", sentence.replace("一般公共预算拨款收入", "收入")
    )
    balance = of(checks([total_income, spending]), "balance.income_expenditure")
    assert [c.severity for c in balance] == ["error"]


# --- the data ----------------------------------------------------------------------------------------------


def _field_names(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield from value.split("+")
    elif isinstance(value, list):
        for item in value:
            yield from _field_names(item)


def test_checks_yaml_names_only_known_fields_and_keys() -> None:
    data = yaml.safe_load((ROOT / "patterns" / "checks.yaml").read_text(encoding="utf-8"))
    fields = set(
        yaml.safe_load((ROOT / "patterns" / "fields.yaml").read_text(encoding="utf-8"))["fields"]
    )
    assert set(data) == {
        "sums",
        "part_of",
        "measure_part_of",
        "count_sums",
        "share_bases",
        "share_groups",
        "scopes",
        "funds_within",
        "sangong_table_extras",
        "contradictions",
    }
    named: list[str] = []
    for spec in data["sums"]:
        assert set(spec) <= {"rule", "total", "parts", "optional", "optional_parts", "shortfall"}
        named += [*spec["total"], *spec["parts"], *spec.get("optional", [])]
    for spec in data["count_sums"]:
        named += [*spec["total"], spec["parts"]]
    for key, wholes in data["share_bases"].items():
        named += [key, *_field_names(wholes)]
    named += [*data["part_of"], *data["part_of"].values()]
    named += [name for group in data["share_groups"] for name in group]
    assert sorted(set(named) - fields) == []


def test_income_shares_by_fund_sum_to_100_without_counting_a_part_with_its_whole() -> None:
    # 3859.16 (一般公共预算, 93.54%) + 266.33 (其他收入, 6.46%) = 4125.49: 100.00%.
    sentence = "本年收入合计4125.49万元，其中：一般公共预算财政拨款收入3859.16万元，占93.54%；其他收入266.33万元，占6.46%。"
    facts = [
        fact("total.income", "4125.49", sentence),
        fact("income.general_budget", "3859.16", sentence, share=Decimal("93.54")),
        fact("income.other", "266.33", sentence, share=Decimal("6.46")),
    ]
    assert [c.passed for c in of(checks(facts, kind="决算"), "share.sum_100")] == [True]
    # With 财政拨款收入 stated as well (its share the same 93.54%), the fund is its part.
    facts.append(fact("income.fiscal_appropriation", "3859.16", sentence, share=Decimal("93.54")))
    groups = of(checks(facts, kind="决算"), "share.sum_100")
    assert [c.passed for c in groups] == [True]
    assert not any(i.startswith("income.general_budget") for i in groups[0].facts)


def _class_and_items(item_section: str) -> list[Check]:
    # 类 201 of all funds 7827.46; its items under 财政拨款 add up to 7747.46 (80 of other funds).
    klass = fact(
        "expenditure.class",
        "7827.46",
        "一般公共服务（类）支出7827.46万元，主要用于机关运行。",
        code="201",
        code_source="stated",
        section=("一、收支预算总体情况说明",),
    )
    items = [
        fact(
            "expenditure.item",
            value,
            f"{name}（项）{value}万元。",
            code=code,
            code_source="stated",
            section=(item_section,),
        )
        for code, name, value in (
            ("201-02-01", "行政运行", "5747.46"),
            ("201-02-02", "一般行政管理事务", "2000"),
        )
    ]
    return [c for c in checks([klass, *items]) if c.rule == "sum.items_class"]


def test_items_under_another_funds_heading_need_not_add_up_to_their_class() -> None:
    result = _class_and_items("五、财政拨款支出预算情况说明")
    assert [(c.passed, c.severity) for c in result] == [(False, "info")]
    assert "财政拨款" in result[0].message


def test_items_under_the_same_heading_that_do_not_add_up_are_reported() -> None:
    result = _class_and_items("一、收支预算总体情况说明")
    assert [(c.passed, c.severity) for c in result] == [(False, "warning")]


def _kinds(project_share: str) -> list[Check]:
    # No total stated: 2476260.58 + 469500 = 2945760.58元; 基本支出 84.06%, 项目支出 15.94%.
    return checks(
        [
            fact(
                "expenditure.basic",
                "2476260.58",
                "基本支出预算2476260.58元，占一般公共预算支出的84.06%。",
                unit="元",
                share=Decimal("84.06"),
            ),
            fact(
                "expenditure.project",
                "469500",
                f"项目支出469500元，占一般公共预算支出的{project_share}%。",
                unit="元",
                share=Decimal(project_share),
            ),
        ]
    )


def test_shares_of_basic_and_project_fit_their_sum_when_no_total_is_stated() -> None:
    assert [c.passed for c in of(_kinds("15.94"), "share.stated")] == [True, True]


def test_a_project_share_that_fits_no_whole_is_an_error() -> None:
    # 469500 / 2945760.58 = 15.94%, stated 19.62% (and 84.06 + 19.62 = 103.68).
    failed = errors(_kinds("19.62"))
    assert [c.rule for c in failed] == ["share.stated"]
    assert "19.62" in failed[0].message
