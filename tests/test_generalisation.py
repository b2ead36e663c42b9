"""Issue 9's failure classes, each with sentences written for this project (none is taken from
a corpus document). Each states what the clause names, and nothing else may come out of it."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from extractor.models import Fact

from .rules import facts_from_text, matches

# (text, the facts it states, the fields that must not come out of it)
CASES: list[tuple[str, list[dict[str, Any]], set[str]]] = [
    # 3. headline figures in any phrasing; 万 without 元; 元 and 亿元 as plain decimals
    (
        "本局2023年部门预算总额为2.5亿元。",
        [{"field": "total.income_expenditure", "amount": "25000"}],
        set(),
    ),
    (
        "本年收入合计为860万，本年支出合计为860万。",
        [
            {"field": "total.income", "amount": "860"},
            {"field": "total.expenditure", "amount": "860"},
        ],
        set(),
    ),
    (
        "2021年度收、支总计均为312.4万元。",
        [{"field": "total.income_expenditure", "amount": "312.4"}],
        set(),
    ),
    ("本单位收入预算总计45,210,000元。", [{"field": "total.income", "amount": "4521.0000"}], set()),
    (
        "一般公共预算收入预算150万元，与上年相比增加10万元，增长7.14%。",
        [
            {
                "field": "income.general_budget",
                "amount": "150",
                "change": {"direction": "increase", "amount": "10", "percent": "7.14"},
            }
        ],
        set(),
    ),
    # 4. several comparisons of one figure, each with its basis and basis amount
    (
        "因公出国（境）费为18万元，较上年24万元减少6万元，下降25%，较预算数20万元减少2万元。",
        [
            {
                "field": "sangong.overseas",
                "amount": "18",
                "change": [
                    {
                        "basis": "上年",
                        "basis_amount": "24",
                        "direction": "decrease",
                        "amount": "6",
                        "percent": "25",
                    },
                    {
                        "basis": "预算数",
                        "basis_amount": "20",
                        "direction": "decrease",
                        "amount": "2",
                    },
                ],
            }
        ],
        set(),
    ),
    # 5. 预算 and 决算 in one statement: the fact is the 决算 figure, the 预算数 its budget
    (
        "公务接待费支出预算为6万元，支出决算为4.5万元，完成预算的75%。",
        [
            {
                "field": "sangong.reception",
                "amount": "4.5",
                "execution": {"budget": "6", "completion_percent": "75"},
            }
        ],
        set(),
    ),
    # 6. counts are facts, with the thing counted
    (
        "全年因公出国（境）团组3个，共11人次；国内公务接待42批次，共计318人次。",
        [
            {"field": "sangong.overseas_groups", "count": 3},
            {"field": "sangong.overseas_people", "count": 11},
            {"field": "sangong.reception_batches", "count": 42},
            {"field": "sangong.reception_people", "count": 318},
        ],
        set(),
    ),
    ("年末单位公务用车保有量为7辆。", [{"field": "sangong.vehicles_held", "count": 7}], set()),
    (
        "局机关核定编制25人，年末实有人数23人。",
        [{"field": "staff.authorized", "count": 25}, {"field": "staff.actual", "count": 23}],
        set(),
    ),
    ("本局内设8个科室。", [{"field": "unit.internal_departments", "count": 8}], set()),
    # 7. shares of a part in its whole
    (
        "公务用车运行维护费支出12万元，占“三公”经费的40%。",
        [{"field": "sangong.vehicle_operation", "amount": "12", "share": "40"}],
        set(),
    ),
    # 8. enumerations with short or unusual labels
    (
        "“三公”经费合计为9.5万元，其中公务接待2.5万元，公务用车运行费用7万元，公车购置费0万元。",
        [
            {"field": "sangong.total", "amount": "9.5"},
            {"field": "sangong.reception", "amount": "2.5"},
            {"field": "sangong.vehicle_operation", "amount": "7"},
            {"field": "sangong.vehicle_purchase", "amount": "0"},
        ],
        set(),
    ),
    # 9. the Jiangsu kind of narrative
    (
        "2020年本部门一般公共预算机关运行经费预算支出210.4万元，与上年相比增加12.4万元，增长6.26%。",
        [
            {
                "field": "operating_cost",
                "amount": "210.4",
                "change": {"direction": "increase", "amount": "12.4"},
            }
        ],
        set(),
    ),
    (
        "本部门一般公共预算拨款安排的会议费预算支出15万元，比上年预算减少1万元。",
        [
            {
                "field": "meetings.meeting",
                "amount": "15",
                "change": {"direction": "decrease", "amount": "1"},
            }
        ],
        set(),
    ),
    (
        "单位预留机动经费预算数为300万元。与上年相比增加20万元。",
        [{"field": "expenditure.reserve", "amount": "300"}],
        set(),
    ),
    (
        "2020年度政府采购支出预算总额120万元，其中：拟采购货物支出20万元、拟采购工程支出0万元、拟购买服务支出100万元。",
        [
            {"field": "procurement.total", "amount": "120"},
            {"field": "procurement.goods", "amount": "20"},
            {"field": "procurement.works", "amount": "0"},
            {"field": "procurement.services", "amount": "100"},
        ],
        {"total.expenditure", "sangong.total"},
    ),
]


def _describe(facts: list[Fact]) -> list[tuple[str, Decimal | int | None]]:
    return [(f.field, f.amount.wan if f.amount else f.count) for f in facts]


@pytest.mark.parametrize("text, expected, forbidden", CASES, ids=[c[0][:14] for c in CASES])
def test_failure_class(text: str, expected: list[dict[str, Any]], forbidden: set[str]) -> None:
    facts = facts_from_text(text)
    for want in expected:
        assert any(matches(fact, want) for fact in facts), (want, _describe(facts))
    assert not [f for f in facts if f.field in forbidden], _describe(facts)


def test_a_completion_rate_is_not_a_share() -> None:
    facts = facts_from_text("一般公共服务支出3600万元，占调整预算101.2%，下降0.5%。")
    assert all(f.share is None for f in facts), [(f.field, f.share) for f in facts]


def test_parts_changes_inside_a_reason_are_facts_of_the_parts() -> None:
    facts = facts_from_text(
        "支出预算比上年增加80万元，主要原因是基本支出增加人员经费等50万元、项目支出增加30万元。"
    )
    got = {
        (f.field, f.changes[0].amount.wan if f.changes and f.changes[0].amount else None)
        for f in facts
    }
    assert ("expenditure.basic", Decimal("50")) in got and (
        "expenditure.project",
        Decimal("30"),
    ) in got


@pytest.mark.parametrize(
    "follow_up",
    [
        "2020年预算数10万元，比2019年预算增长5%。",  # the figure is this year's, not the basis's
        "2020年预算数10万元，2020年预算比2019年预算增长5%。",  # the year is not the one compared
        "上年预算数10万元，本年预算比2019年预算增长5%。",  # 上年 against a named year
    ],
)
def test_a_figure_of_another_year_is_not_the_basis_of_the_next_comparison(follow_up: str) -> None:
    facts = facts_from_text("（三）公务接待费预算8万元，主要用于接待。" + follow_up)
    assert all(c.basis_amount is None for f in facts for c in f.changes), _describe(facts)


@pytest.mark.parametrize(
    "tail", ["今年新增设备购置等支出。", "今年新增支出20万元。", "主要用于今年新增项目。"]
)
def test_new_this_year_is_a_change_only_when_the_clause_says_no_more(tail: str) -> None:
    facts = facts_from_text(
        "（二）卫生健康支出（类）\n1.行政事业单位医疗（款）公务员医疗补助（项）36.4万元，" + tail
    )
    item = next(f for f in facts if f.field == "expenditure.item")
    assert all(c.direction is None for c in item.changes), item.changes


def test_a_paired_comparison_with_one_figure_gives_neither_total_an_amount() -> None:
    facts = facts_from_text(
        "2021年度收、支总计各是320.5、318.2万元，与上年相比，收、支总计各减少4.5万元。"
    )
    totals = [f for f in facts if f.field == "total.income_expenditure"]
    assert len(totals) == 2
    assert all(c.amount is None for f in totals for c in f.changes), _describe(facts)


_EARLIER_YEARS_NOTE = """某某县某某中心2024年部门预算说明

一、收入支出预算总体情况
2024年收入预算总额600万元，比上年增加50万元。其中：一般公共预算拨款收入560万元；上年结转结余40万元。

二、支出预算情况
上年项目支出预算为30万元，本年项目支出预算为45万元。
2024年基本支出预算555万元，去年基本支出500万元。

三、“三公”经费预算情况
2023年公务接待费预算为3万元，2024年公务接待费预算为2万元，比2023年预算减少1万元。截至2023年底，单位公务用车保有量2辆。
"""


def test_an_earlier_years_amount_is_no_fact_of_the_note(tmp_path: Path) -> None:
    from extractor.pipeline import extract

    note = tmp_path / "note.txt"
    note.write_text(_EARLIER_YEARS_NOTE, encoding="utf-8")
    document = extract(note)
    assert document.info.year == 2024
    stated = {(f.field, f.amount.wan if f.amount else f.count) for f in document.facts}
    # This year's figures, a comparison with last year, money brought forward, a count.
    for expected in [
        ("total.income", Decimal("600")),
        ("income.general_budget", Decimal("560")),
        ("income.carryover", Decimal("40")),
        ("expenditure.project", Decimal("45")),
        ("expenditure.basic", Decimal("555")),
        ("sangong.reception", Decimal("2")),
        ("sangong.vehicles_held", 2),
    ]:
        assert expected in stated, expected
    # Last year's and 2023's own amounts are not the note's: no fact, an unparsed figure each.
    for earlier in [
        ("expenditure.project", Decimal("30")),
        ("expenditure.basic", Decimal("500")),
        ("sangong.reception", Decimal("3")),
    ]:
        assert earlier not in stated, earlier
    unparsed = sorted(figure for line in document.unparsed for figure in line.figures)
    assert unparsed == ["30万元", "3万元", "500万元"]
    reception = next(f for f in document.facts if f.field == "sangong.reception")
    assert [(c.direction, c.amount.wan if c.amount else None) for c in reception.changes] == [
        ("decrease", Decimal("1"))
    ]


def test_an_amount_of_the_subordinate_units_is_no_figure_of_the_note() -> None:
    facts = facts_from_text(
        "本部门2024年支出预算1500万元，其中：下属事业单位支出预算500万元。下属单位公务接待费3万元。"
    )
    stated = [(f.field, f.amount.wan if f.amount else None) for f in facts]
    assert ("total.expenditure", Decimal("1500")) in stated
    assert ("total.expenditure", Decimal("500")) not in stated
    assert not any(f.field == "sangong.reception" for f in facts), _describe(facts)
    # A count of them is still read, and a clause of the note's own after one is the note's.
    counted = facts_from_text(
        "本部门下属单位3个。本单位无下属单位，2024年公务接待费预算2万元。"
        "2024年本局及所属单位收入预算总额1000万元。"  # the whole department's
    )
    assert ("total.income", Decimal("1000")) in [
        (f.field, f.amount.wan if f.amount else None) for f in counted
    ]
    assert ("unit.subordinate_count", 3) in [(f.field, f.count) for f in counted]
    assert ("sangong.reception", Decimal("2")) in [
        (f.field, f.amount.wan if f.amount else None) for f in counted
    ]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("本年度预计压减公务接待费1万元。", []),
        ("比上年增加安排项目支出20万元。", []),
        ("本着厉行节约原则安排公务接待费2万元。", [("sangong.reception", Decimal("2"))]),
        ("2024年公务接待费预算2万元，比上年压减1万元。", [("sangong.reception", Decimal("2"))]),
        ("人均公务接待费0.2万元。", []),  # a rate, not the total
        ("单位公务接待费2万元。", [("sangong.reception", Decimal("2"))]),
    ],
)
def test_an_amount_right_after_a_verb_of_change_or_a_word_of_rate_is_no_figure(
    text: str, kept: list[tuple[str, Decimal]]
) -> None:
    facts = facts_from_text(text)
    assert [(f.field, f.amount.wan if f.amount else None) for f in facts] == kept


@pytest.mark.parametrize(
    ("clause", "names_an_earlier_year"),
    [
        ("上年项目支出", True),
        ("上年度项目支出", True),
        ("去年", True),
        ("2023年公务接待费", True),  # a year: earlier than the note's or not, the code decides
        ("上年结余", False),  # money brought forward is this year's
        ("上年度结转", False),
        ("上年末结转", False),
        ("上一年度结转", False),
        ("2023年度结转", False),
        ("2023年末结余", False),
        ("比上年", False),  # a comparison, not a subject
        ("较2023年", False),
    ],
)
def test_what_names_an_earlier_year_as_a_subject(clause: str, names_an_earlier_year: bool) -> None:
    from .rules import RULES

    assert (RULES.figures.prior_year.search(clause) is not None) is names_an_earlier_year


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a project's own spending, its name glued to 项目支出: not the note's total
        ("本年安排网络安全改造项目支出36万元。", []),
        ("其中重点项目支出12万元。", []),
        ("专项业务费项目经费支出8万元。", []),
        # a scope, a year or a joining word before it: the total
        ("其中：项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        ("其中项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        ("2025年项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        ("本年度项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        ("财政拨款项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        ("一般公共预算项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        ("本级项目支出120万元。", [("expenditure.project", Decimal("120"))]),
        (
            "基本支出300万元，项目支出120万元。",
            [
                ("expenditure.basic", Decimal("300")),
                ("expenditure.project", Decimal("120")),
            ],
        ),
    ],
)
def test_a_named_projects_spending_is_not_the_project_total(
    text: str, kept: list[tuple[str, Decimal]]
) -> None:
    facts = facts_from_text(text)
    assert [(f.field, f.amount.wan if f.amount else None) for f in facts] == kept, _describe(facts)


@pytest.mark.parametrize(
    ("text", "unit_type"),
    [
        ("本局下属事业单位2个，内设机构5个。", None),  # its subordinates' kind, not its own
        ("主要用于所属事业单位运行费和人员经费。", None),
        ("附属事业单位的收入不在本表。", None),
        ("本中心属区农业农村局下属事业单位。", "事业单位"),  # what the unit itself is
        ("本单位为行政单位，无下属单位。", "行政单位"),
    ],
)
def test_a_unit_type_is_the_notes_own_only_where_the_unit_is_said_to_be_one(
    text: str, unit_type: str | None
) -> None:
    found = [f.text for f in facts_from_text(text) if f.field == "unit.type"]
    assert found == ([unit_type] if unit_type else [])


def test_the_funds_of_projects_under_performance_targets_may_be_named() -> None:
    facts = facts_from_text("实行绩效目标管理的项目7个，涉及政府性基金预算资金66.5万元。")
    targets = [(f.count, f.amount.wan if f.amount else None) for f in facts]
    assert targets == [(7, Decimal("66.5"))], _describe(facts)


def test_an_items_comparison_right_after_its_amount_is_read() -> None:
    facts = facts_from_text(
        "1.教育支出（类）普通教育（款）小学教育（项）：2025年预算数为420.8万元，"
        "比上年减少12万元，下降2.77%，主要原因是学生人数减少。"
    )
    items = [f for f in facts if f.field == "expenditure.item"]
    assert [(f.amount.wan if f.amount else None) for f in items] == [Decimal("420.8")]
    (change,) = items[0].changes
    assert (change.basis, change.direction, change.percent, change.reason) == (
        "上年",
        "decrease",
        Decimal("2.77"),
        "学生人数减少",
    )
    assert change.amount is not None and change.amount.wan == Decimal("12")


def test_a_vehicle_kind_after_qizhong_without_punctuation_is_named_without_it() -> None:
    facts = facts_from_text("本单位共有车辆4辆，其中执法执勤用车3辆，其他用车1辆。")
    kinds = [(f.name, f.count) for f in facts if f.field == "assets.vehicle_kind"]
    assert kinds == [("执法执勤用车", 3), ("其他用车", 1)]


def test_total_expenditure_in_a_second_clause_after_total_income() -> None:
    facts = facts_from_text("本所2024年收入合计77.5万元，支出合计76.9万元。")
    stated = [(f.field, f.amount.wan if f.amount else None) for f in facts]
    assert stated == [("total.income", Decimal("77.5")), ("total.expenditure", Decimal("76.9"))]
    carried = facts_from_text("本所2024年财政拨款收入合计70万元，支出合计70万元。")
    assert not any(f.field == "total.expenditure" for f in carried), _describe(carried)


def test_a_final_accounts_sangong_total_keeps_its_comparison_after_its_completion() -> None:
    facts = facts_from_text(
        "2022年度三公经费支出决算数为4.8万元，完成预算的80%，比上年增加0.3万元。"
    )
    (total,) = [f for f in facts if f.field == "sangong.total"]
    assert total.execution is not None and total.execution.completion_percent == Decimal("80")
    assert [(c.direction, c.amount.wan if c.amount else None) for c in total.changes] == [
        ("increase", Decimal("0.3"))
    ]


@pytest.mark.parametrize(
    ("text", "field", "count", "amount"),
    [
        ("本局对3个项目进行了绩效自评，涉及资金40万元。", "performance.self_evaluation", 3, "40"),
        ("评价结果为优秀的项目5个。", "performance.rating", 5, None),
        ("公用经费（机关运行经费）支出9.9万元。", "operating_cost", None, "9.9"),
    ],
)
def test_other_wordings_of_performance_and_operating_cost(
    text: str, field: str, count: int | None, amount: str | None
) -> None:
    found = [
        (f.count, f.amount.wan if f.amount else None)
        for f in facts_from_text(text)
        if f.field == field
    ]
    assert found == [(count, Decimal(amount) if amount else None)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "本中心无政府性基金预算拨款收入和支出。",
            {"income.government_fund", "expenditure.government_fund"},
        ),
        (
            "本中心无国有资本经营预算拨款收支。",
            {"income.state_capital", "expenditure.state_capital"},
        ),
        ("本年度未发生因公出国（境）费用。", {"sangong.overseas"}),
        ("2025年本单位“三公”经费预算为0，与上年一致。", {"sangong.total"}),
        ("本单位机关运行经费预算为0，本单位为事业单位。", {"operating_cost"}),
    ],
)
def test_what_a_note_states_as_nil_is_a_fact_of_status_none(text: str, expected: set[str]) -> None:
    facts = facts_from_text(text)
    assert {f.field for f in facts if f.status == "none"} >= expected, _describe(facts)
    assert not any(f.field in expected and f.amount is not None for f in facts)


def test_subordinate_units_set_up_under_the_department_are_counted() -> None:
    facts = facts_from_text("本部门下设二级预算单位4个，内设科室6个。")
    assert ("unit.subordinate_count", 4) in [(f.field, f.count) for f in facts]


def test_a_budgets_paired_totals_in_two_clauses_and_a_scale_of_appropriation() -> None:
    paired = facts_from_text("本站2025年收入预算88万元，支出预算88万元。")
    assert [(f.field, f.amount.wan if f.amount else None) for f in paired] == [
        ("total.income", Decimal("88")),
        ("total.expenditure", Decimal("88")),
    ]
    scale = facts_from_text("2025年一般公共预算当年拨款规模为80万元。")
    assert [(f.field, f.amount.wan if f.amount else None) for f in scale] == [
        ("expenditure.general_budget", Decimal("80"))
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("本中心2025年预算收入312万元。", [("total.income", "312")]),
        (
            "本中心部门预算收入总额312万元，支出总额312万元。",
            [("total.income", "312"), ("total.expenditure", "312")],
        ),
        ("一般公共预算收入312万元。", []),  # a funds' name: a source, which the note states
    ],
)
def test_budget_income_named_before_the_word_income_is_the_total(
    text: str, expected: list[tuple[str, str]]
) -> None:
    totals = [
        (f.field, str(f.amount.wan))
        for f in facts_from_text(text)
        if f.field.startswith("total.") and f.amount
    ]
    assert totals == expected


def test_second_level_budget_units_are_the_subordinates_unless_there_are_none() -> None:
    counted = facts_from_text("纳入本部门部门预算编制范围的二级预算单位共5个。")
    assert [(f.field, f.count) for f in counted if f.field == "unit.subordinate_count"] == [
        ("unit.subordinate_count", 5)
    ]
    none = facts_from_text("本部门无二级预算单位。")
    assert [(f.field, f.status) for f in none] == [("unit.subordinate_count", "none")]


def test_a_year_in_chinese_numerals_is_read_and_quoted_as_written(tmp_path: Path) -> None:
    from extractor.pipeline import extract

    note = tmp_path / "note.txt"
    note.write_text(
        "某县档案馆二〇二五年部门预算说明\n一、收支预算总体情况\n"
        "本馆2025年收入预算90万元，较二零二四年增加5万元。\n",
        encoding="utf-8",
    )
    document = extract(note)
    assert (document.info.unit, document.info.year) == ("某县档案馆", 2025)
    (income,) = [f for f in document.facts if f.field == "total.income"]
    assert [(c.basis, c.direction) for c in income.changes] == [("二零二四年", "increase")]
    start, end = income.provenance.char_start, income.provenance.char_end
    assert start is not None and end is not None
    assert document.text[start:end] == income.provenance.quote  # the original characters
    assert "二零二四年" in income.provenance.quote


@pytest.mark.parametrize(
    ("tail", "change"),
    [
        ("比上年增加0.4万元，增幅为25%。", ("increase", "0.4", "25")),
        ("较上年少0.4万元。", ("decrease", "0.4", None)),
        ("较上年多0.4万元。", ("increase", "0.4", None)),
        ("多渠道压减支出。", None),  # 多 before no figure is no direction
    ],
)
def test_more_words_of_change(tail: str, change: tuple[str, str, str | None] | None) -> None:
    facts = facts_from_text("公务接待费2万元，" + tail)
    (reception,) = [f for f in facts if f.field == "sangong.reception"]
    found = [
        (
            c.direction,
            str(c.amount.wan) if c.amount else None,
            str(c.percent) if c.percent else None,
        )
        for c in reception.changes
    ]
    assert found == ([change] if change else [])
