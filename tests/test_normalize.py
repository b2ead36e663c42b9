"""Clean-up for matching keeps every character's origin."""

from __future__ import annotations

from pathlib import Path

from extractor.readers.base import Line, ReadResult

from .rules import fold_text, normalise


def _paragraphs(lines: list[Line]) -> list[str]:
    return [p.text for p in normalise(ReadResult(format="pdf", lines=lines)).paragraphs]


def test_full_width_digits_letters_and_punctuation_fold_to_ascii() -> None:
    assert fold_text("２２１．１７万元，占８６．４４％（表１）") == "221.17万元,占86.44%(表1)"


def test_kangxi_and_supplement_radicals_fold_to_ordinary_characters() -> None:
    assert fold_text("⽀出") == "支出"
    assert fold_text("运⾏") == "运行"
    assert fold_text("⻓期") == "长期"


def test_circled_and_superscript_digits_are_left_alone() -> None:
    # Folding ① to 1 would invent figures ("①100万元" → "1100万元").
    assert fold_text("①100万元") == "①100万元"
    assert fold_text("m²") == "m²"


def test_line_broken_inside_a_number_and_its_unit_is_joined() -> None:
    lines = [
        Line("区热线中心2024年收支总预算221.17万", page=1, continues=True),
        Line("元，较2023年收支预算总数增加2.4万元。", page=1, continues=False),
    ]
    assert _paragraphs(lines) == [
        "区热线中心2024年收支总预算221.17万元,较2023年收支预算总数增加2.4万元。"
    ]


def test_year_split_from_its_character_and_spaces_inside_numbers() -> None:
    lines = [
        Line("中共上海市普陀区委社会工作部 2024", page=1, continues=True),
        Line(" 年度收入支出总计307.82 万元。", page=1),
    ]
    assert _paragraphs(lines) == ["中共上海市普陀区委社会工作部2024年度收入支出总计307.82万元。"]


def test_page_numbers_and_running_headers_are_dropped_and_paragraphs_join_across_pages() -> None:
    lines = []
    for page in range(1, 5):
        lines += [
            Line("某某局2024年部门预算", page=page),
            Line(f"正文第{page}页的内容，", page=page, continues=True),
            Line(f"- {page} -", page=page),
        ]
    paragraphs = _paragraphs(lines)
    assert all("部门预算" not in p for p in paragraphs)
    assert all("- " not in p for p in paragraphs)
    assert paragraphs == ["正文第1页的内容,正文第2页的内容,正文第3页的内容,正文第4页的内容,"]


def test_headings_never_join_the_text_around_them() -> None:
    lines = [
        Line("一、收支预算情况说明", page=1, continues=True),
        Line("区热线中心所有收入和支出均纳入部门预算管理。", page=1, continues=True),
        Line("（一）收入预算情况", page=1, continues=False),
    ]
    assert _paragraphs(lines) == [
        "一、收支预算情况说明",
        "区热线中心所有收入和支出均纳入部门预算管理。",
        "(一)收入预算情况",
    ]


def test_every_normalised_character_points_to_its_original() -> None:
    raw_lines = [Line("公务接待费１.１ 万", page=1, continues=True), Line("元。", page=1)]
    normalised = normalise(ReadResult(format="pdf", lines=raw_lines))
    paragraph = normalised.paragraphs[0]
    assert paragraph.text == "公务接待费1.1万元。"
    start = paragraph.text.index("1.1")
    raw_start, raw_end = paragraph.raw_span(start, start + len("1.1万元"))
    assert normalised.raw[raw_start:raw_end] == "１.１ 万\n元"


def test_txt_lines_that_look_wrapped_are_joined_and_short_lines_are_not() -> None:
    long = "这是一行被网页导出工具在固定宽度处折断的很长的正文文字内容需要重新接起来"
    lines = [Line(long), Line("继续的内容。"), Line("短标题"), Line("另一段。")]
    text = [
        p.text
        for p in normalise(
            ReadResult(format="txt", lines=[Line(x.text) for x in lines * 3])
        ).paragraphs
    ]
    assert text[0] == long + "继续的内容。"


def test_a_line_cut_before_its_share_goes_on() -> None:
    # Lines of our own, as a web page wraps them (TXT, no layout): a clause cannot end with 占,
    # and a paragraph cannot start with 的 or a bare percentage.
    for first, second in (
        ("基本支出预算120万元，占", "一般公共预算支出的60%。"),
        ("项目支出预算80万元，占一般公共预算支出", "的40%，同比增加2万元。"),
        ("其他支出预算13万元，占基本支出预算", "0.5%，同比减少1万元。"),
    ):
        assert len(_paragraphs([Line(text=first), Line(text=second)])) == 1, (first, second)
    # A finished sentence still ends its paragraph.
    assert len(_paragraphs([Line(text="支出合计10万元。"), Line(text="0.5%的项目未执行。")])) == 2


def test_a_numbered_line_with_a_spaced_figure_is_no_heading_and_goes_on() -> None:
    # PDF text often keeps a space between a figure and its unit; the first line of a
    # numbered statement is then still a sentence, not a heading, and the next line joins it.
    lines = [
        Line("（2）某某专项收入预算 3,210.50 万元，比上", page=1, continues=True),
        Line("年预算增加 120.00 万元，增长 3.9%。", page=1, continues=False),
        Line("2．某某支出 46 万元，主要用于设备", page=1, continues=True),
        Line("维护。", page=1, continues=False),
    ]
    assert _paragraphs(lines) == [
        "(2)某某专项收入预算3,210.50万元,比上年预算增加120.00万元,增长3.9%。",
        "2.某某支出46万元,主要用于设备维护。",
    ]


def test_a_line_that_starts_with_a_spaced_figure_goes_on_the_sentence_before() -> None:
    lines = [
        Line("某某支出预算 640 万元，比上年增长", page=1, continues=True),
        Line("12 %。主要原因是新增项目。", page=1, continues=False),
        Line("某某费预算 18 万元，比上年预算减少", page=1, continues=True),
        Line("25 万元，主要原因是压缩开支。", page=1, continues=False),
    ]
    assert _paragraphs(lines) == [
        "某某支出预算640万元,比上年增长12%。主要原因是新增项目。",
        "某某费预算18万元,比上年预算减少25万元,主要原因是压缩开支。",
    ]
    # A numbered row of a list still starts a paragraph of its own.
    rows = [Line("序号 项目", page=1, continues=True), Line("3 办公设备购置", page=1)]
    assert _paragraphs(rows) == ["序号项目", "3办公设备购置"]


def test_a_line_that_runs_sections_together_is_broken_at_its_headings_in_place() -> None:
    from extractor.readers.base import TableBlock
    from extractor.text.normalize import split_inline_headings

    from .rules import RULES

    text = (
        "一、单位概况 本站内设机构3个。 二、收支预算情况 2025年收入预算60万元。"
        " （一）收入预算总计 60.00 万元，全部为财政拨款。"
    )
    lines, tables = split_inline_headings(
        [Line("标题"), Line(text), Line("表格行", in_table=True)],
        [TableBlock(rows=[["a"]], first_line=2)],
        RULES.text,
    )
    assert [line.text for line in lines] == [
        "标题",
        "一、单位概况",
        "本站内设机构3个。",
        "二、收支预算情况",
        # a heading followed by a spaced amount is a sentence, not a heading
        "2025年收入预算60万元。 （一）收入预算总计 60.00 万元，全部为财政拨款。",
        "表格行",
    ]
    # each break takes the place of one space: every character keeps its offset
    assert "\n".join(line.text for line in lines[1:5]) == text.replace(" ", "\n", 3)
    assert tables[0].first_line == 5  # the table's first line, renumbered


def test_a_note_saved_as_one_paragraph_keeps_its_sections(tmp_path: Path) -> None:
    from extractor.pipeline import extract

    note = tmp_path / "note.txt"
    note.write_text(
        "某县气象局2025年部门预算说明\n"
        "一、收支预算总体情况 本局2025年收入预算300万元。 二、一般公共预算支出情况 "
        "2025年一般公共预算支出300万元，按功能分类：农林水支出250万元，占83.33%；"
        "社会保障和就业支出50万元，占16.67%。\n",
        encoding="utf-8",
    )
    document = extract(note)
    assert [s.title for s in document.sections][1:] == [
        "一、收支预算总体情况",
        "二、一般公共预算支出情况",
    ]
    classes = [
        (f.code, str(f.amount.wan))
        for f in document.facts
        if f.field == "expenditure.class" and f.amount
    ]
    assert classes == [("213", "250"), ("208", "50")]
    for fact in document.facts:
        start, end = fact.provenance.char_start, fact.provenance.char_end
        assert start is not None and end is not None
        assert document.text[start:end] == fact.provenance.quote
