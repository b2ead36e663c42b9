"""Write the committed sample inputs under samples/ (deterministically), or check them.

    python scripts/make_samples.py            # (re)write every sample
    python scripts/make_samples.py --check    # read the samples back and print a summary

Sources: the seed note (copied from ../shared once; samples/seed.txt is the committed copy and
is used when ../shared is absent) and a short synthetic 部门预算 note written here
(tables_note.*), whose every figure — and two planted mistakes — is listed in
samples/tables_note.README.md.
"""

from __future__ import annotations

import argparse
import hashlib
import itertools
import json
import re
import shutil
import sys
import tempfile
import unicodedata
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from render import (
    KANGXI,
    Block,
    read_seed_blocks,
    render_docx,
    render_pdf,
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
VARIANTS = SAMPLES / "variants"
SEED_SOURCE = ROOT.parent / "shared" / "seed" / "suining-anju-hotline-2024-budget-notes.txt"

SEED_META = {
    "title": "遂宁市安居区政务服务便民热线中心2024年部门预算编制说明",
    "author": "遂宁市安居区政务服务便民热线中心",
    "subject": "部门预算编制说明（样例渲染）",
}
NOTE_META = {
    "title": "示例市东湖区示例局2025年部门预算（虚构样例）",
    "author": "示例市东湖区示例局",
    "subject": "部门预算编制说明（虚构样例，含两处有意错误）",
}

# --------------------------------------------------------------------------------------------
# The synthetic note: 示例市东湖区示例局 2025年部门预算 (fictional)
# --------------------------------------------------------------------------------------------

UNIT = "示例市东湖区示例局"
SHORT = "区示例局"
YEAR = 2025

# 类 / 款 / 项: (code, name); 项 rows: (类, 款, 项, name, 基本支出 元, 项目支出 元)
CLASSES = {
    "201": "一般公共服务支出",
    "208": "社会保障和就业支出",
    "210": "卫生健康支出",
    "221": "住房保障支出",
}
KUAN = {
    ("201", "06"): "财政事务",
    ("201", "99"): "其他一般公共服务支出",
    ("208", "05"): "行政事业单位养老支出",
    ("208", "08"): "抚恤",
    ("208", "99"): "其他社会保障和就业支出",
    ("210", "11"): "行政事业单位医疗",
    ("221", "02"): "住房改革支出",
}
D = Decimal
XIANG: list[tuple[str, str, str, str, Decimal, Decimal]] = [
    ("201", "06", "01", "行政运行", D("8123456.44"), D("0")),
    ("201", "06", "02", "一般行政管理事务", D("0"), D("1560000.00")),
    ("201", "06", "05", "财政国库业务", D("0"), D("2380000.00")),
    ("201", "06", "07", "信息化建设", D("0"), D("3125600.00")),
    ("201", "06", "50", "事业运行", D("2046800.00"), D("0")),
    ("201", "06", "99", "其他财政事务支出", D("0"), D("985000.00")),
    ("201", "99", "99", "其他一般公共服务支出", D("0"), D("420000.00")),
    ("208", "05", "01", "行政单位离退休", D("612300.00"), D("0")),
    ("208", "05", "02", "事业单位离退休", D("158900.00"), D("0")),
    ("208", "05", "05", "机关事业单位基本养老保险缴费支出", D("1106400.00"), D("0")),
    ("208", "05", "06", "机关事业单位职业年金缴费支出", D("553200.00"), D("0")),
    ("208", "05", "99", "其他行政事业单位养老支出", D("12600.00"), D("0")),
    ("208", "08", "01", "死亡抚恤", D("86000.00"), D("0")),
    ("208", "99", "99", "其他社会保障和就业支出", D("23500.00"), D("0")),
    ("210", "11", "01", "行政单位医疗", D("498700.00"), D("0")),
    ("210", "11", "02", "事业单位医疗", D("127300.00"), D("0")),
    ("210", "11", "03", "公务员医疗补助", D("96500.00"), D("0")),
    ("221", "02", "01", "住房公积金", D("842100.00"), D("0")),
    ("221", "02", "02", "提租补贴", D("215400.00"), D("0")),
    ("221", "02", "03", "购房补贴", D("367800.00"), D("0")),
]
# 类-款-项 lines of the narrative: (类, 款, 项, use)
NARRATED = [
    ("201", "06", "01", "行政单位的基本支出"),
    ("201", "06", "07", "预算管理一体化系统运行维护和网络安全等方面的支出"),
    ("201", "06", "50", "所属事业单位的基本支出"),
    ("208", "05", "05", "单位按规定为职工缴纳的基本养老保险费"),
    ("210", "11", "01", "行政单位职工基本医疗保险缴费"),
    ("221", "02", "01", "单位按规定为职工缴存的住房公积金"),
]
# Planted mistake (a): the narrative states this 项 1.00万元 higher than its table row.
PLANTED_ITEM = ("201", "06", "07")
PLANTED_ITEM_DELTA_WAN = D("1.00")
# Planted mistake (b): the 合计 row of this column of 2025年部门支出预算总表 is 100.00元 higher
# than the sum of its rows.
PLANTED_COLUMN = "项目支出"
PLANTED_COLUMN_DELTA_YUAN = D("100.00")

PREVIOUS_YEAR_CHANGE_WAN = D("156.78")  # 财政拨款收入比上年增加
SANGONG = {  # 万元
    "因公出国(境)费": D("2.40"),
    "公务接待费": D("1.20"),
    "公务用车购置费": D("18.00"),
    "公务用车运行费": D("6.35"),
}
SANGONG_CHANGE_WAN = D("0.85")  # 比上年减少
JIGUAN_YUNXING_WAN = D("186.42")

TITLE_BALANCE = f"{YEAR}年部门财务收支预算总表"
TITLE_EXPENDITURE = f"{YEAR}年部门支出预算总表"
TITLE_SANGONG = f"{YEAR}年部门“三公”经费和机关运行经费预算表"


def yuan(value: Decimal) -> str:
    return f"{value:,.2f}"


def wan(value_yuan: Decimal) -> Decimal:
    return (value_yuan / 10000).quantize(D("0.01"), rounding=ROUND_HALF_UP)


def wan_text(value: Decimal) -> str:
    return f"{value:.2f}"


def _note_figures() -> dict[str, Any]:
    """Every amount of the synthetic note, computed once for the renderer and the README."""
    basic = sum((row[4] for row in XIANG), D(0))
    project = sum((row[5] for row in XIANG), D(0))
    total = basic + project
    classes = {}
    for code in CLASSES:
        rows = [row for row in XIANG if row[0] == code]
        classes[code] = (sum((r[4] for r in rows), D(0)), sum((r[5] for r in rows), D(0)))
    kuan = {}
    for key in KUAN:
        rows = [row for row in XIANG if (row[0], row[1]) == key]
        kuan[key] = (sum((r[4] for r in rows), D(0)), sum((r[5] for r in rows), D(0)))
    total_wan = wan(total)
    basic_share = (basic / total * 100).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    project_share = D(100) - basic_share
    car = SANGONG["公务用车购置费"] + SANGONG["公务用车运行费"]
    sangong_total = SANGONG["因公出国(境)费"] + SANGONG["公务接待费"] + car
    return {
        "basic": basic,
        "project": project,
        "total": total,
        "total_wan": total_wan,
        "classes": classes,
        "kuan": kuan,
        "basic_share": basic_share,
        "project_share": project_share,
        "car": car,
        "sangong_total": sangong_total,
    }


def _xiang(code: tuple[str, str, str]) -> tuple[str, str, str, str, Decimal, Decimal]:
    return next(row for row in XIANG if row[:3] == code)


def _narrated_wan(code: tuple[str, str, str]) -> Decimal:
    row = _xiang(code)
    amount = wan(row[4] + row[5])
    return amount + PLANTED_ITEM_DELTA_WAN if code == PLANTED_ITEM else amount


def note_narrative() -> list[Block]:
    f = _note_figures()
    t = wan_text(f["total_wan"])
    c = {code: wan_text(wan(sum(v))) for code, v in f["classes"].items()}
    blocks: list[Block] = [
        ("title", f"示例市东湖区{YEAR}年区级部门预算"),
        ("title", f"预算主管部门：{UNIT}"),
        ("heading", "一、部门主要职能"),
        (
            "para",
            f"{UNIT}（以下简称{SHORT}）是区政府工作部门（本样例为虚构单位），主要负责全区"
            "财政收支管理、国库集中支付、政府采购监督管理和财政信息化建设等工作。",
        ),
        ("heading", "二、部门机构设置"),
        ("para", f"{SHORT}部门预算包括局本部及下属1家事业单位（区示例服务中心）的收支计划。"),
        ("heading", f"三、{YEAR}年部门预算编制说明"),
        (
            "para",
            f"{YEAR}年，{UNIT}收入预算{t}万元，其中：财政拨款收入{t}万元，比{YEAR - 1}年预算"
            f"增加{wan_text(PREVIOUS_YEAR_CHANGE_WAN)}万元；事业收入0万元；事业单位经营收入"
            "0万元；其他收入0万元。",
        ),
        (
            "para",
            f"支出预算{t}万元，其中：基本支出{wan_text(wan(f['basic']))}万元，占"
            f"{f['basic_share']}%；项目支出{wan_text(wan(f['project']))}万元，占"
            f"{f['project_share']}%。财政拨款支出预算中，一般公共预算拨款支出预算{t}万元；"
            "政府性基金拨款支出预算0万元；国有资本经营预算拨款支出预算0万元。",
        ),
        (
            "para",
            f"按支出功能分类，一般公共服务支出{c['201']}万元，社会保障和就业支出"
            f"{c['208']}万元，卫生健康支出{c['210']}万元，住房保障支出{c['221']}万元。",
        ),
        ("para", "财政拨款支出主要内容如下："),
    ]
    for number, (lei, kuan, xiang, use) in enumerate(NARRATED, start=1):
        name = _xiang((lei, kuan, xiang))[3]
        amount = wan_text(_narrated_wan((lei, kuan, xiang)))
        blocks.append(
            (
                "para",
                f"{number}、{CLASSES[lei]}（{lei}类）{KUAN[(lei, kuan)]}（{kuan}款）{name}（{xiang}项）"
                f"{amount}万元。主要用于：{use}。",
            )
        )
    s = SANGONG
    blocks += [
        ("heading", "四、其他相关情况说明"),
        ("subheading", "（一）“三公”经费预算情况"),
        (
            "para",
            f"{YEAR}年“三公”经费财政拨款预算数为{wan_text(f['sangong_total'])}万元，"
            f"比{YEAR - 1}年预算减少{wan_text(SANGONG_CHANGE_WAN)}万元。其中：因公出国（境）费"
            f"{wan_text(s['因公出国(境)费'])}万元；公务接待费{wan_text(s['公务接待费'])}万元；"
            f"公务用车购置及运行费{wan_text(f['car'])}万元，其中：公务用车购置费"
            f"{wan_text(s['公务用车购置费'])}万元，公务用车运行费{wan_text(s['公务用车运行费'])}"
            "万元。",
        ),
        ("subheading", "（二）机关运行经费预算"),
        ("para", f"{YEAR}年{SHORT}机关运行经费财政拨款预算为{wan_text(JIGUAN_YUNXING_WAN)}万元。"),
        ("heading", "五、部门预算表"),
        (
            "para",
            f"{SHORT}{YEAR}年部门预算表包括：1. {TITLE_BALANCE}；2. {TITLE_EXPENDITURE}；"
            f"3. {TITLE_SANGONG}。",
        ),
    ]
    return blocks


def table_balance() -> dict[str, Any]:
    f = _note_figures()
    total = yuan(f["total"])
    zero = yuan(D(0))
    right = [
        (f"{n}、{CLASSES[code]}", yuan(sum(f["classes"][code])))
        for n, code in zip("一二三四", CLASSES, strict=True)
    ]
    left = [
        ("一、财政拨款收入", total),
        ("1. 一般公共预算", total),
        ("2. 政府性基金预算", zero),
        ("3. 国有资本经营预算", zero),
        ("二、事业收入", zero),
        ("三、事业单位经营收入", zero),
        ("四、其他收入", zero),
    ]
    rows = []
    for index, (name, value) in enumerate(left):
        other = right[index] if index < len(right) else ("", "")
        rows.append([name, value, other[0], other[1]])
    rows.append(["收入总计", total, "支出总计", total])
    return {
        "title": TITLE_BALANCE,
        "org": f"编制部门：{UNIT}",
        "unit": "单位：元",
        "header": [["本年收入", None, "本年支出", None], ["项目", "预算数", "项目", "预算数"]],
        "spans": [(0, 0, 1, 0), (2, 0, 3, 0)],
        "rows": rows,
        "widths": [30, 20, 30, 20],
        "align": ["l", "r", "l", "r"],
    }


def table_expenditure() -> dict[str, Any]:
    f = _note_figures()
    rows: list[list[str | None]] = []

    def amounts(basic: Decimal, project: Decimal) -> list[str | None]:
        return [yuan(basic + project), yuan(basic), yuan(project)]

    for code, name in CLASSES.items():
        rows.append([code, "", "", name, *amounts(*f["classes"][code])])
        for (lei, kuan), kuan_name in KUAN.items():
            if lei != code:
                continue
            rows.append([lei, kuan, "", kuan_name, *amounts(*f["kuan"][(lei, kuan)])])
            for row in XIANG:
                if row[:2] == (lei, kuan):
                    rows.append([lei, kuan, row[2], row[3], *amounts(row[4], row[5])])
    project_total = f["project"] + PLANTED_COLUMN_DELTA_YUAN
    rows.append(["合计", None, None, None, yuan(f["total"]), yuan(f["basic"]), yuan(project_total)])
    header_rows = 3
    last = header_rows + len(rows) - 1
    return {
        "title": TITLE_EXPENDITURE,
        "org": f"编制部门：{UNIT}",
        "unit": "单位：元",
        "header": [
            ["项目", None, None, None, "支出预算", None, None],
            ["功能分类科目编码", None, None, "功能分类科目名称", "合计", "基本支出", "项目支出"],
            ["类", "款", "项", None, None, None, None],
        ],
        "spans": [
            (0, 0, 3, 0),
            (4, 0, 6, 0),
            (0, 1, 2, 1),
            (3, 1, 3, 2),
            (4, 1, 4, 2),
            (5, 1, 5, 2),
            (6, 1, 6, 2),
            (0, last, 3, last),
        ],
        "rows": rows,
        "widths": [6.5, 6, 6, 35, 16.5, 16.5, 16.5],
        "align": ["c", "c", "c", "l", "r", "r", "r"],
    }


def table_sangong() -> dict[str, Any]:
    f = _note_figures()
    s = SANGONG
    values = [
        f["sangong_total"],
        s["因公出国(境)费"],
        s["公务接待费"],
        f["car"],
        s["公务用车购置费"],
        s["公务用车运行费"],
        JIGUAN_YUNXING_WAN,
    ]
    return {
        "title": TITLE_SANGONG,
        "org": f"编制部门：{UNIT}",
        "unit": "单位：万元",
        "header": [
            ["“三公”经费预算数", None, None, None, None, None, "机关运行经费预算数"],
            ["合计", "因公出国(境)费", "公务接待费", "公务用车购置及运行费", None, None, None],
            [None, None, None, "小计", "购置费", "运行费", None],
        ],
        "spans": [
            (0, 0, 5, 0),
            (6, 0, 6, 2),
            (0, 1, 0, 2),
            (1, 1, 1, 2),
            (2, 1, 2, 2),
            (3, 1, 5, 1),
        ],
        "rows": [[wan_text(v) for v in values]],
        "widths": [13, 16, 13, 13, 13, 13, 19],
        "align": ["r"] * 7,
    }


def note_blocks() -> list[Block]:
    return [
        *note_narrative(),
        ("pagebreak", None),
        ("table", table_balance()),
        ("pagebreak", None),
        ("table", table_expenditure()),
        ("pagebreak", None),
        ("table", table_sangong()),
    ]


# --------------------------------------------------------------------------------------------
# README of the synthetic note (generated from the same data)
# --------------------------------------------------------------------------------------------


def note_readme() -> str:
    f = _note_figures()
    total_wan = f["total_wan"]
    narrative: list[dict[str, Any]] = [
        {"field": "收入预算", "value": wan_text(total_wan), "unit": "万元"},
        {"field": "财政拨款收入", "value": wan_text(total_wan), "unit": "万元"},
        {
            "field": "财政拨款收入比上年增加",
            "value": wan_text(PREVIOUS_YEAR_CHANGE_WAN),
            "unit": "万元",
        },
        {"field": "事业收入", "value": "0", "unit": "万元"},
        {"field": "事业单位经营收入", "value": "0", "unit": "万元"},
        {"field": "其他收入", "value": "0", "unit": "万元"},
        {"field": "支出预算", "value": wan_text(total_wan), "unit": "万元"},
        {"field": "基本支出", "value": wan_text(wan(f["basic"])), "unit": "万元"},
        {"field": "基本支出占比", "value": str(f["basic_share"]), "unit": "%"},
        {"field": "项目支出", "value": wan_text(wan(f["project"])), "unit": "万元"},
        {"field": "项目支出占比", "value": str(f["project_share"]), "unit": "%"},
        {"field": "一般公共预算拨款支出预算", "value": wan_text(total_wan), "unit": "万元"},
        {"field": "政府性基金拨款支出预算", "value": "0", "unit": "万元"},
        {"field": "国有资本经营预算拨款支出预算", "value": "0", "unit": "万元"},
    ]
    for code, name in CLASSES.items():
        narrative.append(
            {
                "field": f"{name}（{code}类）",
                "value": wan_text(wan(sum(f["classes"][code]))),
                "unit": "万元",
            }
        )
    for lei, kuan, xiang, _use in NARRATED:
        row = _xiang((lei, kuan, xiang))
        label = f"{CLASSES[lei]}（{lei}类）{KUAN[(lei, kuan)]}（{kuan}款）{row[3]}（{xiang}项）"
        entry = {
            "field": label,
            "code": f"{lei}{kuan}{xiang}",
            "value": wan_text(_narrated_wan((lei, kuan, xiang))),
            "unit": "万元",
            "table_value_yuan": yuan(row[4] + row[5]),
        }
        if (lei, kuan, xiang) == PLANTED_ITEM:
            entry["planted_mistake"] = "a"
        narrative.append(entry)
    s = SANGONG
    narrative += [
        {"field": "“三公”经费", "value": wan_text(f["sangong_total"]), "unit": "万元"},
        {"field": "“三公”经费比上年减少", "value": wan_text(SANGONG_CHANGE_WAN), "unit": "万元"},
        {"field": "因公出国（境）费", "value": wan_text(s["因公出国(境)费"]), "unit": "万元"},
        {"field": "公务接待费", "value": wan_text(s["公务接待费"]), "unit": "万元"},
        {"field": "公务用车购置及运行费", "value": wan_text(f["car"]), "unit": "万元"},
        {"field": "公务用车购置费", "value": wan_text(s["公务用车购置费"]), "unit": "万元"},
        {"field": "公务用车运行费", "value": wan_text(s["公务用车运行费"]), "unit": "万元"},
        {"field": "机关运行经费", "value": wan_text(JIGUAN_YUNXING_WAN), "unit": "万元"},
    ]
    tables = []
    for spec in (table_balance(), table_expenditure(), table_sangong()):
        tables.append(
            {
                "title": spec["title"],
                "unit": spec["unit"].removeprefix("单位："),
                "header": spec["header"],
                "spans": [list(x) for x in spec["spans"]],
                "rows": spec["rows"],
            }
        )
    expenditure_rows = len(table_expenditure()["rows"])
    planted = [
        {
            "id": "a",
            "kind": "narrative_vs_table",
            "where": "三、编制说明 第2条 类-款-项 与 2025年部门支出预算总表",
            "item": "一般公共服务支出（201类）财政事务（06款）信息化建设（07项）",
            "code": "2010607",
            "narrative_wan": wan_text(_narrated_wan(PLANTED_ITEM)),
            "table_yuan": yuan(sum(_xiang(PLANTED_ITEM)[4:])),
            "table_wan": wan_text(wan(sum(_xiang(PLANTED_ITEM)[4:]))),
            "difference_wan": wan_text(PLANTED_ITEM_DELTA_WAN),
        },
        {
            "id": "b",
            "kind": "column_total",
            "where": f"{TITLE_EXPENDITURE} 合计 row, column {PLANTED_COLUMN}",
            "column": PLANTED_COLUMN,
            "printed_total_yuan": yuan(f["project"] + PLANTED_COLUMN_DELTA_YUAN),
            "sum_of_rows_yuan": yuan(f["project"]),
            "difference_yuan": yuan(PLANTED_COLUMN_DELTA_YUAN),
            "side_effect": "the 合计 row's 合计 (" + yuan(f["total"]) + ") no longer equals its "
            "基本支出 + 项目支出 ("
            + yuan(f["total"] + PLANTED_COLUMN_DELTA_YUAN)
            + ") either; every 类/款/项 row and every other total is consistent",
        },
    ]
    data = {
        "unit": UNIT,
        "year": YEAR,
        "narrative": narrative,
        "tables": tables,
        "planted_mistakes": planted,
    }

    lines = [
        "# tables_note — a synthetic 部门预算 note (fictional unit)",
        "",
        "`tables_note.pdf` and `tables_note.docx` render the same content: the",
        f"{YEAR} budget note of a fictional unit, {UNIT} ({SHORT}), modelled on",
        "the layout of the Shanghai Putuo 部门预算 documents: a narrative 编制说明",
        "(totals, 基本支出/项目支出, six 类-款-项 lines, “三公”经费, 机关运行经费),",
        "then three standard tables, each starting on its own page.",
        "Narrative amounts are in 万元; the first two tables are in 元 with thousands separators,",
        "the “三公” table is in 万元. Generated by `scripts/make_samples.py` — edit that script,",
        "not the files.",
        "",
        "All figures agree (元 ↔ 万元 rounded half-up to 2 decimals; every 类 and 款",
        "row is the sum of its 项 rows; every total is the sum of its rows;",
        "合计 = 基本支出 + 项目支出) **except the two planted mistakes below**.",
        "",
        f"The narrative's 类-款-项 list is a selection ({len(NARRATED)} of the {len(XIANG)} 项 in",
        "the tables), as in notes that describe only their main items: its lines do not add up",
        "to the 类 totals stated just before it, and that is not a mistake.",
        "",
        "PDF layout notes: a running header line (`示例市东湖区示例局2025年部门预算`) and a footer",
        "`- N -` on every page; narrative on pages 1–2; tables on pages 3 (财务收支预算总表),",
        f"4–5 ({TITLE_EXPENDITURE}, which runs over a page break: its three header rows are",
        "repeated on page 5) and 6 (“三公” table).",
        "",
        "## Planted mistakes",
        "",
        "(a) **Narrative vs table, 1.00万元.** Item 2 of the 编制说明 says",
        f"“一般公共服务支出（201类）财政事务（06款）信息化建设（07项）{planted[0]['narrative_wan']}万元”,",
        f"but the 项 row 2010607 of {TITLE_EXPENDITURE} is {planted[0]['table_yuan']} 元 =",
        f"{planted[0]['table_wan']}万元 (difference 1.00万元). The 201 class total, in the",
        "narrative and in the tables, is computed from the table rows and is consistent.",
        "",
        f"(b) **Column total vs rows, 100.00元.** In {TITLE_EXPENDITURE} the 合计 row shows",
        f"项目支出 {planted[1]['printed_total_yuan']}, while the 项目支出 column of the",
        f"four 类 rows (and of the 项 rows) sums to {planted[1]['sum_of_rows_yuan']}",
        f"(difference 100.00元). As a consequence that 合计 row's 合计 {yuan(f['total'])}",
        "also differs from 基本支出 + 项目支出 as printed",
        f"({yuan(f['total'] + PLANTED_COLUMN_DELTA_YUAN)}). The narrative's 项目支出",
        f"{wan_text(wan(f['project']))}万元 matches the sum of the rows.",
        "",
        "## Narrative figures (in reading order)",
        "",
        "| field | value | unit |",
        "|---|---|---|",
    ]
    for entry in narrative:
        mark = " (planted mistake a)" if entry.get("planted_mistake") else ""
        lines.append(f"| {entry['field']}{mark} | {entry['value']} | {entry['unit']} |")
    for spec in tables:
        lines += ["", f"## {spec['title']} (单位：{spec['unit']})", ""]
        header = spec["header"]
        width = len(header[0])
        lines.append("| " + " | ".join(f"h{i}" for i in range(width)) + " |")
        lines.append("|" + "---|" * width)
        for row in header:
            lines.append("| " + " | ".join("(merged)" if c is None else c for c in row) + " |")
        for row in spec["rows"]:
            cells = ("(merged)" if c is None else (c or "·") for c in row)
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
        lines.append(
            f"Header rows: {len(header)}; body rows: {len(spec['rows'])}; merged cells"
            f" (col0,row0,col1,row1 over the whole table): {spec['spans']}."
        )
    lines += [
        "",
        "(`(merged)` marks a cell covered by the merged cell to its left or above; `·` an empty",
        "cell.)",
        "",
        "Other numbers in the narrative (not amounts): the years 2025 and 2024, “1家事业单位”, the",
        "item numbers 1、–6、 of the 类-款-项 list and 1.–3. of the table list, and the 类/款/项",
        "codes inside the item lines.",
        "",
        f"{TITLE_EXPENDITURE} has {expenditure_rows} body rows: 4 类, 7 款, 20 项 rows and 合计.",
        "",
        "## Machine-readable copy",
        "",
        "The same figures as JSON (amount strings exactly as printed):",
        "",
        "```json",
        _compact_json(data),
        "```",
        "",
    ]
    return "\n".join(lines)


_SCALAR_LIST = re.compile(r"\[\n\s*((?:[^\[\]{}\n]*,\n\s*)*[^\[\]{}\n]*)\n\s*\]")
_SCALAR_DICT = re.compile(r"\{\n\s*((?:[^\[\]{}\n]*,\n\s*)*[^\[\]{}\n]*)\n\s*\}")


def _compact_json(data: Any) -> str:
    """Indented JSON with every list or object of scalars (a row, a figure) on one line."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = _SCALAR_LIST.sub(lambda m: "[" + ", ".join(re.split(r",\n\s*", m.group(1))) + "]", text)
    return _SCALAR_DICT.sub(lambda m: "{" + ", ".join(re.split(r",\n\s*", m.group(1))) + "}", text)


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def seed_text() -> str:
    committed = SAMPLES / "seed.txt"
    source = SEED_SOURCE if SEED_SOURCE.exists() else committed
    return source.read_bytes().decode("utf-8")


def write_all(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    (out / "variants").mkdir(exist_ok=True)
    written: list[Path] = []
    seed_target = out / "seed.txt"
    if SEED_SOURCE.exists():
        shutil.copyfile(SEED_SOURCE, seed_target)
    elif seed_target.resolve() != (SAMPLES / "seed.txt").resolve():
        shutil.copyfile(SAMPLES / "seed.txt", seed_target)
    written.append(seed_target)
    text = seed_target.read_bytes().decode("utf-8")
    blocks = read_seed_blocks(text)

    written.append(render_pdf(blocks, out / "seed.pdf", metadata=SEED_META))
    written.append(render_docx(blocks, out / "seed.docx", metadata=SEED_META))

    note = note_blocks()
    header = f"{UNIT}{YEAR}年部门预算"
    written.append(
        render_pdf(note, out / "tables_note.pdf", title_header=header, metadata=NOTE_META)
    )
    written.append(render_docx(note, out / "tables_note.docx", metadata=NOTE_META))
    readme = out / "tables_note.README.md"
    readme.write_text(note_readme(), encoding="utf-8")
    written.append(readme)

    variants = out / "variants"
    encodings = {
        "seed_gb18030.txt": text.encode("gb18030"),
        "seed_utf16.txt": b"\xff\xfe" + text.encode("utf-16-le"),
        "seed_utf8_bom.txt": b"\xef\xbb\xbf" + text.encode("utf-8"),
    }
    for name, data in encodings.items():
        (variants / name).write_bytes(data)
        written.append(variants / name)
    written.append(
        render_pdf(blocks, variants / "seed_overprint.pdf", overprint=True, metadata=SEED_META)
    )
    written.append(
        render_pdf(blocks, variants / "seed_kangxi.pdf", kangxi=True, metadata=SEED_META)
    )
    return written


# --------------------------------------------------------------------------------------------
# Checking
# --------------------------------------------------------------------------------------------

_FOOTER = re.compile(r"^\s*-\s*\d+\s*-\s*$")
_FIGURE = re.compile(r"\d+(?:\.\d+)?%?")
_RADICALS_BACK = {v: k for k, v in KANGXI.items()}


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdfium_pages(path: Path) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        pages = []
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return pages
    finally:
        document.close()


def _body_lines(pages: list[str], header: str | None = None) -> list[str]:
    lines = []
    for page in pages:
        for line in re.split(r"\r\n|\n|\r", page):
            if _FOOTER.match(line) or (header and line.strip() == header):
                continue
            lines.append(line)
    return lines


def _undouble(line: str) -> tuple[str, bool]:
    """Collapse adjacent twins; True if the whole line was doubled (spaces aside)."""
    kept: list[str] = []
    doubled = True
    index = 0
    while index < len(line):
        char = line[index]
        if char.isspace():
            kept.append(char)
            index += 1
            continue
        if index + 1 < len(line) and line[index + 1] == char:
            kept.append(char)
            index += 2
        else:
            doubled = False
            kept.append(char)
            index += 1
    return "".join(kept), doubled


def _figures(text: str) -> Counter[str]:
    return Counter(_FIGURE.findall(text))


def _compare(label: str, expected: str, got: str) -> bool:
    a, b = _squash(expected), _squash(got)
    want, have = _figures(a), _figures(b)
    missing = want - have
    if a == b:
        print(
            f"  {label}: text identical to its source once whitespace/line breaks are removed;"
            f" all {sum(want.values())} figures ({len(want)} distinct) present verbatim"
        )
        return True
    import difflib

    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    diffs = [
        (tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    ]
    print(f"  {label}: text differs in {len(diffs)} place(s): {diffs[:8]}")
    print(f"  {label}: figures missing: {dict(missing) or 'none'}")
    return not missing


def _check_seed_pdfs(samples: Path, seed: str) -> bool:
    ok = True
    pages = _pdfium_pages(samples / "seed.pdf")
    lines = _body_lines(pages)
    ok &= _compare("seed.pdf (pypdfium2)", seed, "".join(lines))
    breaks = _number_unit_breaks(lines)
    print(
        f"  seed.pdf: {len(pages)} pages, {len(lines)} text lines; lines ending in a number"
        f" whose unit/continuation starts the next line: {breaks}"
    )

    pages = _pdfium_pages(samples / "variants" / "seed_overprint.pdf")
    raw = [line for page in pages for line in re.split(r"\r\n|\n|\r", page)]
    undoubled = [_undouble(line) for line in raw]
    fully = sum(1 for _t, d in undoubled if d)
    print(
        f"  seed_overprint.pdf (pypdfium2): {fully}/{len(raw)} lines (footers included) have"
        f" every non-space character doubled, e.g. {raw[0]!r}, {raw[8][:24]!r}"
    )
    undoubled = [(t, d) for t, d in undoubled if not _FOOTER.match(t)]
    ok &= fully == len(raw)
    ok &= _compare(
        "seed_overprint.pdf after collapsing twins", seed, "".join(t for t, _d in undoubled)
    )
    import pdfplumber

    with (
        pdfplumber.open(str(samples / "variants" / "seed_overprint.pdf")) as pdf,
        pdfplumber.open(str(samples / "seed.pdf")) as plain,
    ):
        doubled = sum(len(p.chars) for p in pdf.pages)
        single = sum(len(p.chars) for p in plain.pages)
        deduped = sum(len(p.dedupe_chars().chars) for p in pdf.pages)
        first = pdf.pages[0].chars
        pair = [(c["text"], round(c["x0"], 2)) for c in first[:4]]
    print(
        f"  seed_overprint.pdf (pdfplumber): {doubled} chars vs {single} in seed.pdf;"
        f" dedupe_chars() leaves {deduped}; first chars {pair}"
    )
    ok &= doubled == 2 * single and deduped == single

    pages = _pdfium_pages(samples / "variants" / "seed_kangxi.pdf")
    text = "".join(_body_lines(pages))
    radicals = Counter(ch for ch in text if ch in _RADICALS_BACK)
    folded = "".join(_RADICALS_BACK.get(ch, ch) for ch in text)
    nfkc = unicodedata.normalize("NFKC", text)
    print(
        f"  seed_kangxi.pdf (pypdfium2): {sum(radicals.values())} radical look-alikes in the text"
        f" layer: {dict(radicals)}"
    )
    leftover = sorted({ch for ch in nfkc if ch in _RADICALS_BACK})
    print(f"  seed_kangxi.pdf: NFKC alone leaves {leftover} unfolded")
    expected_radicals = {KANGXI[ch] for ch in set(seed) if ch in KANGXI}
    ok &= set(radicals) == expected_radicals
    ok &= _compare("seed_kangxi.pdf after mapping radicals back", seed, folded)
    with pdfplumber.open(str(samples / "variants" / "seed_kangxi.pdf")) as pdf:
        plumber = "".join(c["text"] for p in pdf.pages for c in p.chars)
    plumber_radicals = Counter(ch for ch in plumber if ch in _RADICALS_BACK)
    print(f"  seed_kangxi.pdf (pdfplumber, CID→Unicode): radicals seen {dict(plumber_radicals)}")
    return ok


def _number_unit_breaks(lines: list[str]) -> int:
    count = 0
    for line, following in itertools.pairwise(lines):
        if re.search(r"\d$", line.rstrip()) and re.match(r"\s*(万元|%|万|元|年|个)", following):
            count += 1
    return count


def _check_tables(samples: Path) -> bool:
    import pdfplumber

    ok = True
    expected = {
        TITLE_BALANCE: table_balance(),
        TITLE_EXPENDITURE: table_expenditure(),
        TITLE_SANGONG: table_sangong(),
    }
    found: dict[str, list[list[list[str | None]]]] = {}
    with pdfplumber.open(str(samples / "tables_note.pdf")) as pdf:
        print(f"  tables_note.pdf: {len(pdf.pages)} pages")
        current = None
        for page in pdf.pages:
            text = page.extract_text() or ""
            for title in expected:
                if title in text:
                    current = title
            for table in page.find_tables():
                rows = table.extract()
                shape = f"{len(rows)}x{len(rows[0]) if rows else 0}"
                print(
                    f"    page {page.page_number}: table {shape} ({current}); header"
                    f" {rows[:3] if current != TITLE_BALANCE else rows[:2]}"
                )
                if current:
                    found.setdefault(current, []).append(rows)
    for title, spec in expected.items():
        parts = found.get(title, [])
        header = len(spec["header"])
        columns = len(spec["header"][0])
        body = [row for part in parts for row in part[header:]]
        repeated = all(part[:header] == parts[0][:header] for part in parts)
        shapes_ok = all(len(row) == columns for part in parts for row in part)
        rows_ok = len(body) == len(spec["rows"])
        cells_ok = [[c or "" for c in row] for row in body] == [
            [c or "" for c in row] for row in spec["rows"]
        ]
        print(
            f"  {title}: {len(parts)} part(s), header rows repeated: {repeated}, "
            f"{len(body)} body rows (expected {len(spec['rows'])}), {columns} columns: "
            f"{'ok' if shapes_ok and rows_ok and cells_ok else 'MISMATCH'}"
        )
        ok &= bool(parts) and repeated and shapes_ok and rows_ok and cells_ok
    # The planted mistakes are visible in the extracted cells.
    body = [row for part in found.get(TITLE_EXPENDITURE, []) for row in part[3:]]
    classes = [row for row in body if row[0] in CLASSES and not row[1]]
    total_row = next((row for row in body if row[0] == "合计"), None)
    if total_row:
        for column, name in ((4, "合计"), (5, "基本支出"), (6, "项目支出")):
            summed = sum(D(row[column].replace(",", "")) for row in classes)
            printed = D(total_row[column].replace(",", ""))
            if summed != printed:
                print(
                    f"  planted (b) seen: {name} 合计 {yuan(printed)} vs rows {yuan(summed)}"
                    f" (Δ {yuan(printed - summed)})"
                )
    code_row = next((row for row in body if row[:3] == list(PLANTED_ITEM)), None)
    if code_row:
        print(
            f"  planted (a) seen: table 2010607 = {code_row[4]} 元 vs narrative"
            f" {wan_text(_narrated_wan(PLANTED_ITEM))}万元"
        )
    return ok


def _check_docx(samples: Path) -> bool:
    from docx import Document

    ok = True
    for name in ("seed.docx", "tables_note.docx"):
        document = Document(str(samples / name))
        styles = Counter(p.style.name for p in document.paragraphs if p.text.strip())
        breaks = sum(1 for p in document.paragraphs for r in p.runs if 'w:type="page"' in r._r.xml)
        tables = []
        for table in document.tables:
            xml = table._tbl.xml
            tables.append(
                f"{len(table.rows)}x{len(table.columns)}"
                f" (gridSpan {xml.count('<w:gridSpan')},"
                f" vMerge {xml.count('<w:vMerge')},"
                f" repeated header rows {xml.count('<w:tblHeader')})"
            )
        print(f"  {name}: styles {dict(styles)}; page breaks {breaks}; tables {tables}")
    seed = Document(str(samples / "seed.docx"))
    text = "".join(p.text for p in seed.paragraphs)
    ok &= _compare("seed.docx (python-docx)", seed_text(), text)
    return ok


def _check_text_variants(samples: Path, seed: str) -> bool:
    ok = True
    for name, encoding in (
        ("seed_gb18030.txt", "gb18030"),
        ("seed_utf16.txt", "utf-16"),
        ("seed_utf8_bom.txt", "utf-8-sig"),
    ):
        data = (samples / "variants" / name).read_bytes()
        same = data.decode(encoding) == seed
        print(
            f"  variants/{name}: {len(data)} bytes, starts {data[:4].hex()}, decodes to the"
            f" seed: {same}"
        )
        ok &= same
    return ok


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def check() -> bool:
    seed = (SAMPLES / "seed.txt").read_bytes().decode("utf-8")
    ok = True
    print("files:")
    files = sorted(p for p in SAMPLES.rglob("*") if p.is_file())
    for path in files:
        print(f"  {path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
        if path.suffix == ".pdf":
            ok &= path.stat().st_size < 200_000
    if SEED_SOURCE.exists():
        same = SEED_SOURCE.read_bytes() == (SAMPLES / "seed.txt").read_bytes()
        print(f"  seed.txt identical to ../shared seed: {same}")
        ok &= same
    print("determinism (re-render into a temporary directory):")
    with tempfile.TemporaryDirectory() as tmp:
        again = write_all(Path(tmp))
        for path in again:
            relative = path.relative_to(tmp)
            same = _digest(path) == _digest(SAMPLES / relative)
            if not same:
                print(f"  {relative}: DIFFERS from the committed file")
            ok &= same
        print(f"  {len(again)} files re-rendered; byte-identical: {ok}")
    print("seed PDFs:")
    ok &= _check_seed_pdfs(SAMPLES, seed)
    print("text variants:")
    ok &= _check_text_variants(SAMPLES, seed)
    print("tables_note.pdf (pdfplumber find_tables):")
    ok &= _check_tables(SAMPLES)
    pages = _pdfium_pages(SAMPLES / "tables_note.pdf")
    narrative = "".join(_body_lines(pages[:2], f"{UNIT}{YEAR}年部门预算"))
    expected = "".join(str(p) for k, p in note_narrative() if k != "table")
    ok &= _compare("tables_note.pdf narrative (pypdfium2)", expected, narrative)
    print("docx:")
    ok &= _check_docx(SAMPLES)
    print("RESULT:", "ok" if ok else "PROBLEMS (see above)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify the samples, write nothing")
    args = parser.parse_args()
    if args.check:
        return 0 if check() else 1
    for path in write_all(SAMPLES):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
