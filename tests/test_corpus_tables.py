"""Table facts of the Jiangsu provincial template against cells read off the pages.

For each table kind a few cells (value, code or row name, column, page) were read from the
rendered pages of the two Jiangsu notes that carry their tables; each must be a fact of the
table kind with that field, code and measure, and nothing the page does not say may be."""

from __future__ import annotations

from decimal import Decimal
from functools import cache

import pytest

from extractor.models import Document, Fact
from extractor.pipeline import extract

from .conftest import CORPUS, needs_shared

pytestmark = [needs_shared, pytest.mark.corpus]

GY = "js_gy_2019_dept_budget.pdf"  # 江苏省高级人民法院 2019, tables on pp. 8–17, 万元
JCY = "js_jcy_2018_dept_budget.pdf"  # 江苏省人民检察院 2018, tables on pp. 13–22, 万元


@cache
def document(name: str) -> Document:
    return extract(CORPUS / "files" / name)


def _facts(name: str, kind: str, field: str, key: str | None = None) -> list[Fact]:
    return [
        f
        for f in document(name).facts
        if f.source == "table"
        and f.provenance.table is not None
        and f.provenance.table.kind == kind
        and f.field == field
        and (key is None or f.code == key or f.name == key)
    ]


# (document, table kind, field, code or row name, measure, amount as printed, page)
# fmt: off
CELLS = [
    # 收支预算总表: both sides, function classes by name, 当年 and 合计 rows
    (GY, "income_expenditure_summary", "income.fiscal_appropriation", "财政拨款", "total", "37,188.34", 8),
    (GY, "income_expenditure_summary", "expenditure.class", "204", "total", "27,488.23", 8),
    (GY, "income_expenditure_summary", "expenditure.reserve", "单位预留机动经费", "total", "5,011.40", 8),
    (GY, "income_expenditure_summary", "total.expenditure", "支出合计", "total", "37,188.34", 8),
    (JCY, "income_expenditure_summary", "expenditure.class", "204", "total", "16,458.75", 13),
    (JCY, "income_expenditure_summary", "expenditure.class", "221", "total", "3,660.38", 14),
    (JCY, "income_expenditure_summary", "total.income", "当年收入小计", "total", "21,955.35", 14),
    # 收入预算总表: 小计 rows are their group's total
    (GY, "income_summary", "total.income", "收入总计", "income", "37,188.34", 9),
    (GY, "income_summary", "income.general_budget", "一般公共预算资金", "income", "37,188.34", 9),
    (JCY, "income_summary", "income.other", "其他收入", "income", "14.39", 14),
    # 支出预算总表: one row of figures under the column heads
    (GY, "expenditure_summary", "total.expenditure", "合计", "total", "37,188.34", 9),
    (GY, "expenditure_summary", "expenditure.basic", "合计", "basic", "21,968.00", 9),
    (GY, "expenditure_summary", "expenditure.project", "合计", "project", "10,208.94", 9),
    (JCY, "expenditure_summary", "expenditure.reserve", "合计", "reserve", "2,388.04", 15),
    # 财政拨款收支预算总表
    (GY, "fiscal_summary", "income.general_budget", "一般公共预算", "total", "37,188.34", 10),
    (JCY, "fiscal_summary", "expenditure.basic", "基本支出", "total", "13,979.92", 15),
    (JCY, "fiscal_summary", "total.expenditure", "支出合计", "total", "21,940.96", 15),
    # 财政拨款支出预算表 (功能科目): 3-, 5- and 7-digit codes
    (GY, "fiscal_expenditure", "expenditure.fiscal_appropriation", "合计", "total", "37,188.34", 10),
    (GY, "fiscal_expenditure", "expenditure.class", "208", "total", "2,355.65", 10),
    (GY, "fiscal_expenditure", "expenditure.item", "204-05", "total", "27,488.23", 10),
    (GY, "fiscal_expenditure", "expenditure.item", "204-05-01", "total", "17,279.29", 10),
    (JCY, "fiscal_expenditure", "expenditure.item", "204-04-05", "total", "1895.00", 16),
    # 财政拨款基本支出预算表 (经济科目)
    (GY, "fiscal_basic", "expenditure.basic", "合计", "total", "21,968.00", 11),
    (GY, "fiscal_basic", "expenditure.economic", "301-13", "total", "1,879.36", 11),
    (GY, "fiscal_basic", "expenditure.economic", "302", "total", "3,580.05", 11),
    (JCY, "fiscal_basic", "expenditure.economic", "302-11", "total", "45.00", 17),
    # 一般公共预算支出预算表
    (GY, "general_budget_expenditure", "expenditure.general_budget", "合计", "total", "37,188.34", 12),
    (GY, "general_budget_expenditure", "expenditure.item", "221-02-02", "total", "5,465.10", 12),
    (JCY, "general_budget_expenditure", "expenditure.item", "221-02-01", "total", "1,073.77", 18),
    # 一般公共预算基本支出预算表: the column is headed 基本支出 (gy) or 金额 (jcy)
    (GY, "general_budget_basic", "expenditure.economic", "302-15", "basic", "111.30", 13),
    (GY, "general_budget_basic", "expenditure.economic", "303", "basic", "2,063.88", 13),
    (JCY, "general_budget_basic", "expenditure.basic", "合计", "total", "13,979.92", 18),
    (JCY, "general_budget_basic", "expenditure.economic", "303-09", "total", "1.04", 19),
    # “三公”经费、会议费、培训费支出预算表: the 三公 total is the 三公 小计
    (GY, "sangong", "sangong.total", None, "value", "513.75", 14),
    (GY, "sangong", "sangong.overseas", None, "value", "160.00", 14),
    (GY, "sangong", "sangong.vehicle", None, "value", "266.80", 14),
    (GY, "sangong", "sangong.vehicle_operation", None, "value", "266.80", 14),
    (GY, "sangong", "sangong.reception", None, "value", "86.95", 14),
    (GY, "sangong", "meetings.meeting", None, "value", "271.02", 14),
    (GY, "sangong", "meetings.training", None, "value", "1,597.25", 14),
    (JCY, "sangong", "sangong.total", None, "value", "484.30", 19),
    (JCY, "sangong", "meetings.meeting", None, "value", "200.44", 19),
    (JCY, "sangong", "meetings.training", None, "value", "700.00", 19),
    # 政府性基金预算支出表: gy prints 合计 0, jcy says 此表为空
    (GY, "government_fund", "expenditure.government_fund", "合计", "total", "0", 14),
    # 一般公共预算机关运行经费支出预算表
    (GY, "operating_cost", "operating_cost", "合计", "operating_cost", "3,580.05", 15),
    (GY, "operating_cost", "expenditure.economic", "302-31", "operating_cost", "266.80", 15),
    (JCY, "operating_cost", "operating_cost", "合计", "operating_cost", "2,722.57", 20),
    # 政府采购支出预算表: the total and the 货物/工程/服务 rows, not the items under them
    (GY, "procurement", "procurement.total", "合计", "total", "5,227.59", 16),
    (GY, "procurement", "procurement.goods", "货物A", "total", "1,637.72", 16),
    (GY, "procurement", "procurement.works", "工程B", "total", "530.00", 16),
    (GY, "procurement", "procurement.services", "服务C", "total", "3,059.87", 16),
    (JCY, "procurement", "procurement.services", "服务C", "total", "2,828.24", 21),
]
# fmt: on


@pytest.mark.parametrize(
    ("name", "kind", "field", "key", "measure", "printed", "page"),
    CELLS,
    ids=[f"{c[0][3:6]}-{c[1]}-{c[2]}-{c[3]}" for c in CELLS],
)
def test_a_cell_read_off_the_page_is_a_fact(
    name: str, kind: str, field: str, key: str | None, measure: str, printed: str, page: int
) -> None:
    facts = _facts(name, kind, field, key)
    assert len(facts) == 1, [(f.code, f.name, f.measure, f.amount) for f in facts]
    fact = facts[0]
    assert fact.amount is not None and fact.amount.wan == Decimal(printed.replace(",", ""))
    assert fact.measure == measure and fact.provenance.page == page
    assert fact.provenance.quote == printed and fact.amount.unit == "万元"


@pytest.mark.parametrize("name", [GY, JCY])
def test_economic_codes_are_never_function_facts(name: str) -> None:
    for fact in document(name).facts:
        if fact.source != "table" or not fact.code:
            continue
        if fact.field == "expenditure.economic":
            assert fact.code[0] in "35", fact.id
        else:
            assert fact.field in ("expenditure.class", "expenditure.item")
            assert fact.code[0] == "2", fact.id
    resolved = [f for f in document(name).facts if f.source == "text" and f.code]
    assert all(f.code and f.code[0] == "2" for f in resolved if f.field.startswith("expenditure."))


@pytest.mark.parametrize(("name", "grand_total"), [(GY, "2382.02"), (JCY, "1384.74")])
def test_the_sangong_total_is_not_the_row_total_with_meetings_and_training(
    name: str, grand_total: str
) -> None:
    # The table's 合计 column is 三公 + 会议费 + 培训费 (2,382.02 = 513.75 + 271.02 + 1,597.25).
    amounts = {f.amount.wan for f in _facts(name, "sangong", "sangong.total") if f.amount}
    assert Decimal(grand_total) not in amounts


def test_rows_that_carry_no_field_give_no_fact() -> None:
    # jcy: the 政府性基金 table is empty; the procurement items (PC服务器 40.00 …) are not
    # totals. 三、其他资金 14.39 and 其他资金/小计 14.39 are no income source of the national
    # vocabulary; the 江苏 template's own 其他资金 is (the jiangsu overlay: income.other_funds).
    names = {f.name for f in document(JCY).facts if f.source == "table"}
    assert not {"PC服务器"} & names
    other_funds = [
        f for f in document(JCY).facts if f.source == "table" and f.field == "income.other_funds"
    ]
    assert other_funds and {str(f.amount.wan) for f in other_funds if f.amount} == {"14.39"}
    assert not _facts(JCY, "government_fund", "expenditure.government_fund")
    procurement = [f for f in document(JCY).facts if f.pattern == "table.procurement"]
    assert sorted(f.field for f in procurement) == [
        "procurement.goods",
        "procurement.services",
        "procurement.total",
    ]


@pytest.mark.parametrize("name", [GY, JCY])
def test_table_checks_raise_no_false_errors(name: str) -> None:
    # Rows against their 类/款 and 合计, 合计 = 基本 + 项目 + 单位预留机动经费, the 三公 parts,
    # and the same code in tables of different scope (all funds ⊇ 财政拨款 ⊇ 一般公共预算) all
    # hold on these pages.
    checks = [c for c in document(name).checks if c.rule.startswith("table.")]
    assert [c.message for c in checks if not c.passed] == []
    rules = {c.rule for c in checks if c.passed}
    assert {"table.rows", "table.sangong", "table.columns"} <= rules
