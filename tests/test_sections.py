from __future__ import annotations

from extractor.readers.base import Line, ReadResult

from .rules import build_outline, classify_heading, normalise


def _outline(texts: list[str]):  # type: ignore[no-untyped-def]
    normalised = normalise(
        ReadResult(format="docx", lines=[Line(t, continues=False) for t in texts])
    )
    return build_outline(normalised.paragraphs)


def test_marker_kinds_nest_in_the_order_they_appear() -> None:
    root = _outline(
        [
            "2024年部门预算编制说明",
            "一、收支预算情况说明",
            "正文。",
            "（一）收入预算情况",
            "收入正文。",
            "（二）支出预算情况",
            "支出正文。",
            "二、“三公”经费预算情况说明",
            "三公正文。",
        ]
    )
    paths = [n.path for n in root.walk() if n.path]
    assert paths == [
        ["2024年部门预算编制说明"],
        ["2024年部门预算编制说明", "一、收支预算情况说明"],
        ["2024年部门预算编制说明", "一、收支预算情况说明", "(一)收入预算情况"],
        ["2024年部门预算编制说明", "一、收支预算情况说明", "(二)支出预算情况"],
        ["2024年部门预算编制说明", "二、“三公”经费预算情况说明"],
    ]
    sangong = next(n for n in root.walk() if n.title.startswith("二、"))
    assert "sangong" in sangong.families and "totals" in sangong.families


def test_parts_and_titles_start_afresh() -> None:
    root = _outline(
        [
            "第一部分 部门概况",
            "一、主要职能",
            "正文。",
            "第二部分 情况说明",
            "一、收入支出决算总体情况说明",
            "正文。",
        ]
    )
    top = [n.title for n in root.children]
    assert top == ["第一部分部门概况", "第二部分情况说明"]


def test_a_numbered_sentence_is_a_list_item_not_a_heading() -> None:
    assert classify_heading("1.强化效能驱动。严格全面落实工作规则。") is None
    assert classify_heading("(一)因公出国(境)费0万元,与2025年预算持平") is None
    assert (
        classify_heading("5、社会保障和就业支出(类)行政事业单位养老支出(款)行政单位离退休") is None
    )
    assert classify_heading("(三)国有资产占有使用情况") == (
        "paren_chinese",
        "(三)国有资产占有使用情况",
    )


def test_a_list_of_short_numbered_lines_stays_in_its_section() -> None:
    root = _outline(
        [
            "上海市普陀区司法局机构设置",
            "具体包括：1. 普陀区司法局本部",
            "2. 普陀区法律援助中心",
            "名词解释",
            "（一）财政拨款收入：是……。",
        ]
    )
    setting = root.children[0]
    assert not setting.children
    assert [p.text for p in setting.paragraphs][-1] == "2.普陀区法律援助中心"
