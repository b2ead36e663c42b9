"""Each phrasing variant seen in the corpus, in a sentence written for this project (not taken
from a corpus file), so that support for it does not hang on one document."""

from __future__ import annotations

from decimal import Decimal

import pytest

from .rules import facts_from_text, matches

VARIANTS = [
    # units: 元 with thousands separators, 亿元, whole numbers, a bare 万
    (
        "本单位本年度公务接待费12,500.00元，与上年持平。",
        {"field": "sangong.reception", "amount": "1.25", "change": {"direction": "flat"}},
    ),
    (
        "某县农业农村局2025年收入预算1.36亿元，其中：财政拨款收入1.2亿元。",
        {"field": "total.income", "amount": "13600"},
    ),
    (
        "本部门支出预算300万元，其中：基本支出240万元，占80%。",
        {"field": "expenditure.basic", "amount": "240", "share": "80"},
    ),
    (
        "2026年度项目总预算88.50万，其中设备更新改造60.00万。",
        {"field": "project.component", "name": "设备更新改造", "amount": "60.00"},
        "project",
    ),
    # spaces inside numbers and years (text extraction damage)
    (
        "某街道 2025 年度收入支出总计 1,042.80 万元。",
        {"field": "total.income_expenditure", "amount": "1042.80"},
    ),
    # codes written with the names, before or inside the parentheses, or names only
    (
        "3. 教育支出205（类）普通教育02（款）小学03（项）：2025年预算数为64.20万元，主要用于小学运转。",
        {
            "field": "expenditure.item",
            "code": "205-02-03",
            "amount": "64.20",
            "purpose": "小学运转",
        },
    ),
    (
        "2、农林水支出（类）农业农村（款）事业运行（项）。主要用于：站所运转。年初预算为 12.00 万元，支出决算为 11.40 万元，完成年初预算的95.00%。",
        {
            "field": "expenditure.item",
            "code_names": ["农林水支出", "农业农村", "事业运行"],
            "amount": "11.40",
            "execution": {"initial_budget": "12.00", "completion_percent": "95.00"},
        },
    ),
    (
        "1. “城乡社区支出-城乡社区管理事务-城管执法”科目88.00万元，主要用于执法巡查。",
        {
            "field": "expenditure.item",
            "code_names": ["城乡社区支出", "城乡社区管理事务", "城管执法"],
            "amount": "88.00",
        },
    ),
    # comparisons: percentage only, flat without a figure, an increase of 0, "与上年下降"
    (
        "机关运行经费预算为36.70万元，比2024年预算执行数增加12.50%。",
        {
            "field": "operating_cost",
            "amount": "36.70",
            "change": {"direction": "increase", "percent": "12.50"},
        },
    ),
    (
        "（二）公务接待费与上年预算持平。",
        {"field": "sangong.reception", "change": {"basis": "上年预算", "direction": "flat"}},
    ),
    (
        "其中因公出国(境)费增加0万元，公务接待费减少0.3万元。",
        {"field": "sangong.overseas", "change": {"direction": "increase", "amount": "0"}},
    ),
    (
        "公务接待费决算6.4万元，与上年下降12.5%。",
        {
            "field": "sangong.reception",
            "amount": "6.4",
            "change": {"basis": "上年", "direction": "decrease", "percent": "12.5"},
        },
    ),
    # synonyms for one item
    (
        "公车购置费0万元，公车运行费3.2万元。",
        {"field": "sangong.vehicle_operation", "amount": "3.2"},
    ),
    ("公务用车购置及运行维护费4.60万元。", {"field": "sangong.vehicle", "amount": "4.60"}),
    ("因公出国（境）经费2万元。", {"field": "sangong.overseas", "amount": "2"}),
    ("因公出国（境）费用1.5万元。", {"field": "sangong.overseas", "amount": "1.5"}),
    ("“三公经费”预算数为7.80万元。", {"field": "sangong.total", "amount": "7.80"}),
    (
        "2025年“三公”经费预算总额9.1万元，比上年减少0.4万元。",
        {
            "field": "sangong.total",
            "amount": "9.1",
            "change": {"direction": "decrease", "amount": "0.4"},
        },
    ),
    # 决算: budget against final with the completion rate
    (
        "“三公”经费财政拨款支出年初预算为5.00万元，支出决算为4.10万元，完成预算的82.00%。",
        {
            "field": "sangong.total",
            "amount": "4.10",
            "execution": {"initial_budget": "5.00", "completion_percent": "82.00"},
        },
    ),
    # statements of nothing
    (
        "本部门2025年无政府性基金预算财政拨款收入和支出。",
        {"field": "expenditure.government_fund", "status": "none"},
    ),
    (
        "本单位为参公事业单位，不涉及机关运行经费。",
        {"field": "operating_cost", "status": "not_applicable"},
    ),
    # full-width digits and 康熙 radicals as WPS exports them
    (
        "基本⽀出１２３．４５万元，占６０．１２％。",
        {"field": "expenditure.basic", "amount": "123.45", "share": "60.12"},
    ),
]


@pytest.mark.parametrize("variant", VARIANTS, ids=[v[0][:18] for v in VARIANTS])
def test_variant(variant: tuple) -> None:  # type: ignore[type-arg]
    text, expected, *section = variant
    facts = facts_from_text(text, frozenset(section))
    assert any(matches(fact, expected) for fact in facts), [
        (f.field, f.amount.wan if f.amount else None, f.changes) for f in facts
    ]


def test_no_figure_is_invented_from_a_threshold_or_a_date() -> None:
    facts = facts_from_text("截至2025年8月31日，单价100万元（含）以上设备（不含车辆）0台（套）。")
    assert [(f.field, f.count) for f in facts] == [("assets.large_equipment", 0)]
    assert all(f.amount is None or f.amount.wan != Decimal(100) for f in facts)
