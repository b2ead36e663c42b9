"""One value per figure per note: agreement within rounding, majority, the tie rules, nil and
not applicable, 决算 measures, table columns that are not a measure of their line."""

from __future__ import annotations

from decimal import Decimal

from extractor.export.resolve import fact_marks, resolve
from extractor.models import (
    Check,
    Document,
    DocumentInfo,
    Execution,
    Fact,
    Provenance,
    SourceInfo,
    TableRef,
)
from extractor.text.amounts import make_amount


def _text(
    field: str, figure: str | None, offset: int, *, unit: str = "万元", **extra: object
) -> Fact:
    return Fact(
        id=f"{field}@{offset}",
        field=field,
        label=field,
        amount=make_amount(figure, unit) if figure is not None else None,
        source="text",
        pattern="test",
        provenance=Provenance(
            section_path=["一"],
            section_id="1",
            sentence="…",
            char_start=offset,
            char_end=offset + 5,
            quote="…",
        ),
        **extra,  # type: ignore[arg-type]
    )


def _cell(
    field: str, figure: str, table: int, row: int, measure: str = "total", **extra: object
) -> Fact:
    return Fact(
        id=f"{field}@t{table}r{row}c{measure}",
        field=field,
        label=field,
        amount=make_amount(figure, "元"),
        measure=measure,
        source="table",
        pattern="table.test",
        provenance=Provenance(
            section_path=["表"],
            section_id=f"t{table}",
            sentence="…",
            quote=figure,
            table=TableRef(title=f"表{table}", kind="expenditure_summary", row=row, column=measure),
        ),
        **extra,  # type: ignore[arg-type]
    )


def _document(facts: list[Fact], kind: str = "预算", checks: list[Check] | None = None) -> Document:
    return Document(
        tool_version="test",
        patterns_version="test",
        status="ok",
        source=SourceInfo(path="x.txt", file_name="x.txt", sha256="0" * 64, size_bytes=1),
        info=DocumentInfo(unit="某单位", year=2024, kind=kind, scope="部门"),
        facts=facts,
        checks=checks or [],
    )


def _by_concept(document: Document) -> dict[str, object]:
    return {r.concept: r for r in resolve(document)}


def test_text_and_table_cell_in_yuan_agree_within_rounding_and_the_text_figure_is_reported() -> (
    None
):
    # 108,123.45 元 = 10.812345 万元, which the narrative writes as 10.81.
    text = _text("sangong.total", "10.81", 100)
    cell = _cell("sangong.total", "108,123.45", 0, 3, measure="value")
    (resolution,) = resolve(_document([cell, text]))
    assert resolution.concept == "sangong.total"
    assert resolution.value == Decimal("10.81") and resolution.chosen is text
    assert resolution.decided_by == "unanimous" and not resolution.differing
    assert {f.id for f in resolution.agreeing} == {text.id, cell.id}


def test_the_value_most_statements_agree_on_wins_over_a_slip_in_the_narrative() -> None:
    # 住房公积金: the narrative states 208.8 and then 201.50; both tables say 2,087,959.00 元.
    first = _text("expenditure.item", "208.8", 10, code="221-02-01")
    slip = _text("expenditure.item", "201.50", 80, code="221-02-01")
    summary = _cell("expenditure.item", "2,087,959.00", 0, 20, code="221-02-01")
    general = _cell("expenditure.item", "2,087,959.00", 1, 20, code="221-02-01")
    (resolution,) = resolve(_document([first, slip, summary, general]))
    assert resolution.concept == "expenditure.item[221-02-01]"
    assert resolution.value == Decimal("208.8") and resolution.chosen is first
    assert resolution.decided_by == "majority"
    assert resolution.differing == (slip,) and resolution.differing_values == (Decimal("201.50"),)


def test_a_tie_between_text_and_table_goes_to_the_table() -> None:
    text = _text("total.fiscal", "0.3", 10)
    cell = _cell("total.fiscal", "29,616,800.00", 0, 31)
    (resolution,) = resolve(_document([text, cell]))
    assert resolution.value == Decimal("2961.68") and resolution.chosen is cell
    assert resolution.decided_by == "tables_first"


def test_a_tie_between_two_narrative_statements_goes_to_the_first() -> None:
    early = _text("expenditure.project", "0.00", 10)
    late = _text("expenditure.project", "46.95", 90)
    (resolution,) = resolve(_document([late, early]))
    assert resolution.value == Decimal("0.00") and resolution.decided_by == "first_stated"


def test_stated_as_nil_is_zero_and_not_applicable_has_no_value() -> None:
    nil = _text("sangong.total", None, 10, status="none")
    not_applicable = _text("operating_cost", None, 20, status="not_applicable")
    found = _by_concept(_document([nil, not_applicable]))
    sangong, operating = found["sangong.total"], found["operating_cost"]
    assert (sangong.value, sangong.status) == (Decimal(0), "none")  # type: ignore[attr-defined]
    assert (operating.value, operating.status) == (None, "not_applicable")  # type: ignore[attr-defined]


def test_final_accounts_give_the_final_figure_and_the_budget_it_is_measured_against() -> None:
    # 决算: “三公”经费年初预算为0.95万元，支出决算为0.00万元，完成预算的0%; the 三公 table has
    # a 预算数 column (9,500.00 元) and a 决算数 column (0.00 元).
    text = _text(
        "sangong.total",
        "0.00",
        10,
        execution=Execution(
            initial_budget=make_amount("0.95", "万元"), completion_percent=Decimal(0)
        ),
    )
    budget = _cell("sangong.total", "9,500.00", 0, 0, measure="budget")
    final = _cell("sangong.total", "0.00", 0, 0, measure="final")
    found = _by_concept(_document([text, budget, final], kind="决算"))
    assert found["sangong.total"].value == Decimal("0.00")  # type: ignore[attr-defined]
    budgeted = found["sangong.total/budget"]
    assert budgeted.value == Decimal("0.95") and budgeted.decided_by == "unanimous"  # type: ignore[attr-defined]
    assert found["sangong.total/completion_percent"].value == Decimal(0)  # type: ignore[attr-defined]


def test_a_budget_column_in_a_budget_note_is_the_figure_itself() -> None:
    cell = _cell("total.income", "23,341,556.44", 0, 7, measure="budget")
    (resolution,) = resolve(_document([cell]))
    assert resolution.concept == "total.income" and resolution.value == Decimal("2334.155644")


def test_a_coded_line_gets_its_parts_and_the_income_columns_are_not_its_measures() -> None:
    total = _cell("expenditure.item", "1,000.00", 0, 1, code="201-01-01")
    basic = _cell("expenditure.item", "600.00", 0, 1, measure="basic", code="201-01-01")
    project = _cell("expenditure.item", "400.00", 0, 1, measure="project", code="201-01-01")
    income = _cell("expenditure.item", "1,000.00", 1, 1, measure="fiscal", code="201-01-01")
    found = _by_concept(_document([total, basic, project, income]))
    assert set(found) == {
        "expenditure.item[201-01-01]",
        "expenditure.item[201-01-01]/basic",
        "expenditure.item[201-01-01]/project",
    }
    assert found["expenditure.item[201-01-01]/basic"].value == Decimal("0.06")  # type: ignore[attr-defined]


def test_the_row_label_of_a_total_row_is_not_a_key_and_fund_columns_are_not_the_total() -> None:
    text = _text("total.expenditure", "221.17", 10)
    cell = _cell("total.expenditure", "2,211,700.00", 0, 9, name="支出总计")
    fund = _cell(
        "total.expenditure", "2,000,000.00", 0, 9, measure="general_budget", name="支出总计"
    )
    (resolution,) = resolve(_document([text, cell, fund]))
    assert resolution.key == "" and resolution.decided_by == "unanimous"
    assert len(resolution.agreeing) == 2 and fund not in resolution.facts


def test_items_are_told_apart_by_name_when_the_field_is_keyed_by_name() -> None:
    cars = _text("assets.vehicle_kind", None, 10, name="其他用车", count=1)
    duty = _text("assets.vehicle_kind", None, 30, name="执法执勤用车", count=0)
    found = _by_concept(_document([cars, duty]))
    assert found["assets.vehicle_kind[其他用车]/count"].value == 1  # type: ignore[attr-defined]
    assert found["assets.vehicle_kind[执法执勤用车]/count"].value == 0  # type: ignore[attr-defined]


def test_a_resolution_names_the_failed_checks_of_its_statements_and_facts_are_marked() -> None:
    first = _text("expenditure.basic", "191.17", 10)
    second = _text("expenditure.basic", "191.71", 50)
    check = Check(
        id="repeat.agree:x",
        rule="repeat.agree",
        severity="error",
        passed=False,
        message="…",
        facts=[first.id, second.id],
    )
    passed = Check(
        id="ok", rule="sum.x", severity="info", passed=True, message="…", facts=[first.id]
    )
    resolutions = resolve(_document([first, second], checks=[check, passed]))
    (resolution,) = resolutions
    assert resolution.checks == ("repeat.agree:x",)
    assert fact_marks(resolutions) == {
        first.id: ("expenditure.basic", "chosen"),
        second.id: ("expenditure.basic", "differs"),
    }
