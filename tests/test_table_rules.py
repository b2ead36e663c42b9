"""Table rules on notes written for this project (no corpus file): the Jiangsu kind of tables
(7-digit codes, 经济分类 tables, a 三公 table beside 会议费/培训费, one-row 支出总表), tables
flattened into text as stored web pages give them, and PDF cell backgrounds."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from extractor.extraction.codes import resolve_codes
from extractor.models import Document, Fact, Provenance
from extractor.pipeline import extract
from extractor.readers.limits import Limits
from extractor.readers.pdf import read_pdf
from extractor.rules import Entry

from .rules import RULES

NOTE = """某省某某厅2025年度部门预算

第一部分 部门概况
一、主要职能
负责本省某某工作。

第二部分 2025年度部门预算表
公开03表：支出预算总表
部门：某省某某厅 单位：万元
合计 | 基本支出 | 项目支出 | 单位预留机动经费 | 结转下年资金 |
1,250.00 | 800.00 | 350.00 | 100.00 | |

公开05表：财政拨款支出预算表（功能科目）
部门：某省某某厅 单位：万元
功能科目编码 | 功能科目名称 | 金额 |
 | 合计 | 1,250.00 |
201 | 一般公共服务支出 | 1,050.00 |
20103 | 政府办公厅（室）及相关机构事务 | 1,050.00 |
2010301 | 行政运行 | 700.00 |
2010350 | 事业运行 | 350.00 |
221 | 住房保障支出 | 200.00 |
22102 | 住房改革支出 | 200.00 |
2210201 | 住房公积金 | 200.00 |

公开06表：财政拨款基本支出预算表（经济科目）
部门：某省某某厅 单位：万元
科目编码 | 科目名称 | 金额 |
合计 | | 800.00 |
301 | 工资福利支出 | 600.00 |
30101 | 基本工资 | 250.00 |
30102 | 津贴补贴 | 350.00 |
302 | 商品和服务支出 | 200.00 |
30201 | 办公费 | 200.00 |

公开09表：一般公共预算“三公”经费、会议费、培训费支出预算表
部门：某省某某厅 单位：万元
合计 | “三公”经费 | | | | | | 会议费 | 培训费 |
 | 小计 | 因公出国（境）费 | 公务用车购置及运行维护费 | | | 公务接待费 | | |
 | | | 小计 | 公务用车购置费 | 公务用车运行维护费 | | | |
95.00 | 45.00 | 10.00 | 25.00 | | 25.00 | 10.00 | 20.00 | 30.00 |

第三部分 2025年度部门预算情况说明
一、收支预算总体情况说明
某省某某厅2025年度收入、支出预算总计1250万元。
"""


@pytest.fixture(scope="module")
def note(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("tables") / "note.txt"
    path.write_text(NOTE, encoding="utf-8")
    return extract(path)


def _table(document: Document, kind: str) -> dict[tuple[str, str, str], Decimal]:
    return {
        (f.field, f.code or f.name or "", f.measure or ""): f.amount.wan
        for f in document.facts
        if f.source == "table"
        and f.provenance.table
        and f.provenance.table.kind == kind
        and f.amount
    }


def test_flattened_tables_are_recognised_by_their_titles(note: Document) -> None:
    assert [t.kind for t in note.tables] == [
        "expenditure_summary",
        "fiscal_expenditure",
        "fiscal_basic",
        "sangong",
    ]
    assert all(t.unit == "万元" for t in note.tables)


def test_seven_five_and_three_digit_codes(note: Document) -> None:
    facts = _table(note, "fiscal_expenditure")
    assert facts[("expenditure.item", "201-03-01", "total")] == Decimal("700.00")
    assert facts[("expenditure.item", "201-03", "total")] == Decimal("1050.00")
    assert facts[("expenditure.class", "221", "total")] == Decimal("200.00")
    assert facts[("expenditure.fiscal_appropriation", "合计", "total")] == Decimal("1250.00")


def test_economic_codes_are_economic_facts_only(note: Document) -> None:
    facts = _table(note, "fiscal_basic")
    assert facts[("expenditure.economic", "301-02", "total")] == Decimal("350.00")
    assert facts[("expenditure.economic", "302", "total")] == Decimal("200.00")
    assert facts[("expenditure.basic", "合计", "total")] == Decimal("800.00")
    assert not [k for k in facts if k[0] in ("expenditure.class", "expenditure.item")]


def test_a_single_row_under_the_column_heads_is_the_total(note: Document) -> None:
    assert _table(note, "expenditure_summary") == {
        ("total.expenditure", "合计", "total"): Decimal("1250.00"),
        ("expenditure.basic", "合计", "basic"): Decimal("800.00"),
        ("expenditure.project", "合计", "project"): Decimal("350.00"),
        ("expenditure.reserve", "合计", "reserve"): Decimal("100.00"),
    }


def test_sangong_beside_meetings_and_training(note: Document) -> None:
    facts = {field: amount for (field, _, _), amount in _table(note, "sangong").items()}
    assert facts == {
        "sangong.total": Decimal("45.00"),  # the three parts, not the 合计 of 95.00
        "sangong.overseas": Decimal("10.00"),
        "sangong.vehicle": Decimal("25.00"),
        "sangong.vehicle_operation": Decimal("25.00"),
        "sangong.reception": Decimal("10.00"),
        "meetings.meeting": Decimal("20.00"),
        "meetings.training": Decimal("30.00"),
    }


def test_the_table_checks_hold(note: Document) -> None:
    checks = [c for c in note.checks if c.rule.startswith("table.")]
    assert [c.message for c in checks if not c.passed] == []
    # 基本 + 项目 + 单位预留机动经费 = 合计; rows under 201, 201-03, 301 and 合计; 三公 parts
    assert {"table.columns", "table.rows", "table.sangong"} <= {c.rule for c in checks}


def test_the_document_codebook_holds_no_economic_codes(note: Document) -> None:
    economic = {f.code for f in note.facts if f.field == "expenditure.economic"}
    assert economic and not any(
        f.code in economic
        for f in note.facts
        if f.field.startswith("expenditure.") and f.source == "text"
    )


def test_an_economic_code_never_names_a_narrative_line() -> None:
    book = RULES.codes.new_book()
    book.add(Entry("function", "302", "类", None, "商品和服务支出", (), None, None))
    book.add(Entry("function", "201", "类", None, "一般公共服务支出", (), None, None))
    facts = [
        Fact(
            id=f"f{n}",
            field="expenditure.class",
            label="",
            code_names=[name],
            source="text",
            pattern="test",
            provenance=Provenance(section_path=[], section_id="", sentence="", quote=""),
        )
        for n, name in enumerate(["商品和服务支出", "一般公共服务支出"])
    ]
    facts = resolve_codes(facts, book, 2025, RULES)
    assert [f.code for f in facts] == [None, "201"]


CELL_A_LINE = """某某中心2024年度部门决算说明
第一部分 部门概况
一、部门基本情况
负责某某工作。
第二部分 2024年度部门决算情况说明
一、收入支出决算总体情况说明
2024年度收入、支出决算总计125万元，其中：财政拨款收入125万元；基本支出105万元，项目支出20万元。
第三部分 2024年度部门决算表
1、收入支出决算总表
部门:某某中心 单位:元
收入 |
支出 |
||||
项目 |
行次 |
决算数 |
项目(按功能分类) |
行次 |
决算数 |
栏次 |
1 |
栏次 |
2 |
||
一、财政拨款收入 |
1 |
1,250,000.00 |
一、一般公共服务支出 |
32 |
1,050,000.00 |
二、上级补助收入 |
2 |
|
二、住房保障支出 |
33 |
200,000.00 |
"""


def _write(tmp_path: Path, text: str) -> Document:
    path = tmp_path / "page.txt"
    path.write_text(text, encoding="utf-8")
    return extract(path)


def test_one_cell_a_line_tables_are_rebuilt_from_their_row_names(tmp_path: Path) -> None:
    document = _write(tmp_path, CELL_A_LINE)
    facts = _table(document, "income_expenditure_summary")
    assert facts == {
        ("income.fiscal_appropriation", "财政拨款收入", "final"): Decimal("125"),
        ("expenditure.class", "201", "final"): Decimal("105"),
        ("expenditure.class", "221", "final"): Decimal("20"),
    }
    fact = next(f for f in document.facts if f.source == "table" and f.code == "221")
    assert fact.provenance.quote == "200,000.00"


def test_a_cell_a_line_table_with_a_row_of_the_wrong_width_is_left_alone(tmp_path: Path) -> None:
    # 二、上级补助收入 loses its 行次 cell: its amount could be the next row's
    broken = CELL_A_LINE.replace("二、上级补助收入 |\n2 |\n", "二、上级补助收入 |\n")
    document = _write(tmp_path, broken)
    assert not [f for f in document.facts if f.source == "table"]


def test_a_page_header_with_pipes_is_no_table(tmp_path: Path) -> None:
    document = _write(
        tmp_path,
        "索引号: | 0001/2024-00001 | 文号: | |\n---|---|---|---|\n发布机构: | 某某局 | 日期: | 2024-01-02 |\n"
        + CELL_A_LINE.split("1、收入支出决算总表")[0],
    )
    assert document.tables == []


def test_pdf_cell_backgrounds_do_not_split_the_columns(tmp_path: Path) -> None:
    from reportlab.lib.colors import black, white
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "backgrounds.pdf"
    page = canvas.Canvas(str(path), pagesize=(400, 300))
    page.setFont("STSong-Light", 10)
    page.drawString(40, 270, "财政拨款支出预算表")
    page.drawString(40, 255, "单位：万元")
    rows = [
        ["科目编码", "科目名称", "金额"],
        ["201", "一般公共服务支出", "1,050.00"],
        ["221", "住房保障支出", "200.00"],
        ["", "合计", "1,250.00"],
    ]
    edges, top, height = [40, 120, 260, 360], 240, 20
    for r, row in enumerate(rows):
        y = top - (r + 1) * height
        for c, text in enumerate(row):
            # each cell painted white a few points inside its ruled box, as Excel exports do
            page.setFillColor(white)
            page.rect(
                edges[c] + 4, y + 2, edges[c + 1] - edges[c] - 8, height - 4, stroke=0, fill=1
            )
            page.setFillColor(black)
            page.drawString(edges[c] + 6, y + 6, text)
    page.setFillColor(black)
    for x in edges:  # ruling lines drawn as thin black rectangles
        page.rect(x, top - len(rows) * height, 0.5, len(rows) * height, stroke=0, fill=1)
    for r in range(len(rows) + 1):
        page.rect(edges[0], top - r * height, edges[-1] - edges[0], 0.5, stroke=0, fill=1)
    page.save()
    result = read_pdf(path, Limits())
    assert len(result.tables) == 1
    assert result.tables[0].rows == [[cell or "" for cell in row] for row in rows]
