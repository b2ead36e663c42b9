"""PDFs built the way offices and converters build them must give the facts of the plainly
printed note, each once: nothing a reader of the page cannot see is counted, rotated and
two-column pages are read in reading order, and the reader says what it did.

The inputs are tests/data/regressions/pdf_*.pdf, written by make_pdf_cases.py from one short
note; the expected facts below are that note's figures, read off its text.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
import regex

from extractor.models import Document
from extractor.pipeline import Options, extract
from extractor.readers.limits import Limits
from extractor.readers.pdf import read_pdf
from extractor.readers.pdf_layout import Frame, Glyph, build_lines, find_gutter, lay_out

from .conftest import CORPUS, SAMPLES, needs_shared

CASES = Path(__file__).resolve().parent / "data" / "regressions"
CLEAN = CASES / "pdf_clean_note.pdf"

# The note's figures (make_pdf_cases.NOTE), in 万元.
STATED: Counter[tuple[str, Decimal]] = Counter(
    {
        ("total.income_expenditure", Decimal("486.32")): 1,
        ("income.general_budget", Decimal("486.32")): 1,
        ("income.government_fund", Decimal("0")): 1,
        ("income.state_capital", Decimal("0")): 1,
        ("total.expenditure", Decimal("486.32")): 1,
        # once as a part of 支出预算, once as the subject of section 二
        ("expenditure.basic", Decimal("402.18")): 2,
        ("expenditure.project", Decimal("84.14")): 1,
        ("basic.personnel", Decimal("371.06")): 1,
        ("basic.public", Decimal("31.12")): 1,
        ("sangong.total", Decimal("6.1")): 1,
        ("sangong.overseas", Decimal("0")): 1,
        ("sangong.reception", Decimal("1.1")): 1,
        ("sangong.vehicle", Decimal("5")): 1,
        ("sangong.vehicle_purchase", Decimal("0")): 1,
        ("sangong.vehicle_operation", Decimal("5")): 1,
        ("meetings.total", Decimal("3.6")): 1,
        ("meetings.meeting", Decimal("0.8")): 1,
        ("meetings.training", Decimal("1.2")): 1,
        ("meetings.travel", Decimal("1.6")): 1,
    }
)
# Figures only the planted, unseen sentences have.
PLANTED_FIGURES = ["9.9", "4.9", "999.99", "888.88", "777.77"]
READING_WARNINGS = {
    "hidden_text",
    "duplicate_text_layer",
    "ocr_text_layer",
    "rotated_pages",
    "columns_detected",
}

# case → the warning it must carry and its pages
EXPECTED_WARNING = {
    "pdf_white_text.pdf": ("hidden_text", [1]),
    "pdf_covered_text.pdf": ("hidden_text", [1]),
    "pdf_invisible_duplicate.pdf": ("duplicate_text_layer", [1]),
    "pdf_invisible_contradicting.pdf": ("hidden_text", [1]),
    "pdf_hidden_on_a_busy_page.pdf": ("hidden_text", [1]),
    "pdf_scanned_with_ocr.pdf": ("ocr_text_layer", [1, 2]),
    "pdf_page_rotate.pdf": ("rotated_pages", [1, 2, 3, 4]),
    "pdf_rotated_text.pdf": ("rotated_pages", [1, 2, 3]),
    "pdf_two_columns_alternating.pdf": ("columns_detected", [1]),
    "pdf_two_columns_in_order.pdf": ("columns_detected", [1]),
}


def _amounts(document: Document) -> Counter[tuple[str, Decimal]]:
    return Counter(
        (fact.field, fact.amount.wan) for fact in document.facts if fact.amount is not None
    )


def _facts(document: Document) -> Counter[tuple[str, str, str, str]]:
    """Every fact by what it states (not where: the pages differ between the cases)."""
    return Counter(
        (
            fact.field,
            fact.code or "",
            fact.name or "",
            str(fact.amount.wan) if fact.amount else (fact.text or ""),
        )
        for fact in document.facts
    )


@pytest.fixture(scope="module")
def clean() -> Document:
    return extract(CLEAN)


def test_the_clean_note_states_its_figures(clean: Document) -> None:
    assert clean.status == "ok"
    assert _amounts(clean) == STATED
    assert (clean.info.unit, clean.info.year, clean.info.kind) == ("遂宁市安居区统计局", 2025, "预算")
    assert not [warning.code for warning in clean.warnings]


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNING))
def test_case_gives_the_facts_of_the_clean_note_once(name: str, clean: Document) -> None:
    document = extract(CASES / name)
    assert document.status == "ok", document.errors
    assert _facts(document) == _facts(clean)
    assert _amounts(document) == STATED


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNING))
def test_nothing_planted_is_read(name: str) -> None:
    document = extract(CASES / name)
    text = document.text or ""
    assert not [figure for figure in PLANTED_FIGURES if figure in text]
    assert not [
        fact.amount.text
        for fact in document.facts
        if fact.amount and any(figure in fact.amount.text for figure in PLANTED_FIGURES)
    ]


@pytest.mark.parametrize("name", sorted(EXPECTED_WARNING))
def test_case_says_what_the_reader_did(name: str) -> None:
    code, pages = EXPECTED_WARNING[name]
    document = extract(CASES / name)
    found = {warning.code: warning for warning in document.warnings}
    assert code in found, [warning.code for warning in document.warnings]
    assert found[code].pages == pages
    assert found[code].message
    # and nothing else about reading: each case shows one problem
    assert set(found) & READING_WARNINGS == {code}


def test_hidden_text_warning_shows_what_was_left_out() -> None:
    document = extract(CASES / "pdf_white_text.pdf")
    warning = next(w for w in document.warnings if w.code == "hidden_text")
    assert "9.9万元" in (warning.detail or "")


def test_white_title_on_a_dark_banner_is_read() -> None:
    """White text over a dark box is seen: the white-on-white rule must not drop it."""
    document = extract(CASES / "pdf_white_text.pdf")
    assert (document.info.unit, document.info.year) == ("遂宁市安居区统计局", 2025)


def _squashed(text: str) -> str:
    return regex.sub(r"\s+", "", text)


@pytest.mark.parametrize(
    "name",
    [
        "pdf_page_rotate.pdf",
        "pdf_rotated_text.pdf",
        "pdf_two_columns_alternating.pdf",
        "pdf_two_columns_in_order.pdf",
        "pdf_covered_text.pdf",
        "pdf_white_text.pdf",
        "pdf_invisible_duplicate.pdf",
        "pdf_invisible_contradicting.pdf",
        "pdf_hidden_on_a_busy_page.pdf",
    ],
)
def test_text_reads_in_the_order_of_the_note(name: str) -> None:
    """Not only the facts: every line, in order, as the clean note has them."""
    clean = read_pdf(CLEAN, Limits())
    case = read_pdf(CASES / name, Limits())
    assert _squashed("".join(line.text for line in case.lines)) == _squashed(
        "".join(line.text for line in clean.lines)
    )


def test_scanned_page_is_read_through_its_ocr_layer() -> None:
    result = read_pdf(CASES / "pdf_scanned_with_ocr.pdf", Limits())
    first_page = _squashed("".join(line.text for line in result.lines if line.page == 1))
    assert "区统计局2025年支出预算486.32万元" in first_page
    assert "pages_without_text" not in {warning.code for warning in result.warnings}


# The 三公 table of make_pdf_cases.SANGONG_CELLS.
TABLE_STATED: Counter[tuple[str, Decimal]] = Counter(
    {
        ("sangong.total", Decimal("6.10")): 1,
        ("sangong.overseas", Decimal("0")): 1,
        ("sangong.reception", Decimal("1.10")): 1,
        ("sangong.vehicle", Decimal("5.00")): 1,
        ("sangong.vehicle_purchase", Decimal("0")): 1,
        ("sangong.vehicle_operation", Decimal("5.00")): 1,
    }
)


@pytest.mark.parametrize(
    "name", ["pdf_clean_table.pdf", "pdf_landscape_table.pdf", "pdf_turned_table.pdf"]
)
def test_a_table_on_a_turned_page_is_read_as_on_an_upright_one(name: str) -> None:
    document = extract(CASES / name)
    table_facts = Counter(
        (fact.field, fact.amount.wan)
        for fact in document.facts
        if fact.source == "table" and fact.amount is not None
    )
    assert table_facts == TABLE_STATED
    assert [table.title for table in document.tables] == ["2025年“三公”经费财政拨款预算表"]
    rotated = [w.pages for w in document.warnings if w.code == "rotated_pages"]
    assert rotated == ([] if name == "pdf_clean_table.pdf" else [[2]])


def test_page_tree_loop_is_a_damaged_file_not_a_large_one() -> None:
    document = extract(CASES / "pdf_page_tree_loop.pdf")
    assert document.status == "failed"
    (error,) = document.errors
    assert error.code == "corrupt_pdf"
    assert "page tree loop" in (error.detail or "")
    assert "1,000,000" in error.message


def test_a_real_page_count_over_the_limit_is_still_too_large() -> None:
    document = extract(CASES / "pdf_clean_note.pdf", Options(limits=Limits(max_pages=0)))
    assert [error.code for error in document.errors] == ["too_large"]


@pytest.mark.parametrize("name", ["seed.pdf", "tables_note.pdf"])
def test_plain_pages_and_tables_are_read_as_pdfium_orders_them(name: str) -> None:
    result = read_pdf(SAMPLES / name, Limits())
    assert not {warning.code for warning in result.warnings} & READING_WARNINGS


@needs_shared
def test_corpus_pdfs_need_no_reading_repairs() -> None:
    """The real notes are one column, upright, with nothing hidden: none is re-read."""
    flagged = {}
    for path in sorted((CORPUS / "files").glob("*.pdf")):
        codes = {w.code for w in read_pdf(path, Limits(), with_tables=False).warnings}
        if codes & READING_WARNINGS:
            flagged[path.name] = sorted(codes & READING_WARNINGS)
    assert not flagged


# --- the layout geometry on its own -------------------------------------------------------------


def _row(text: str, left: float, base: float, size: float = 10.0) -> list[Glyph]:
    return [
        Glyph(int(base * 100 + left) + i, char, left + i * size, left + (i + 1) * size, base, size)
        for i, char in enumerate(text)
    ]


def test_two_columns_are_read_one_after_the_other() -> None:
    left = [f"左栏第{n}行的正文内容写到这里" for n in range(8)]
    right = [f"右栏第{n}行的正文内容写到这里" for n in range(8)]
    glyphs = [g for n in range(8) for g in _row(left[n], 50, 100 + 16 * n)]
    glyphs += [g for n in range(8) for g in _row(right[n], 330, 100 + 16 * n)]
    lines = build_lines(glyphs)
    gutter = find_gutter(lines)
    # the left lines end at 50 + 14 glyphs of 10 = 190, the right ones start at 330
    assert gutter is not None and 190 <= gutter.left < gutter.right <= 330
    assert [line.text for line in lay_out(lines, gutter)] == left + right


def test_a_table_of_names_and_figures_has_no_gutter() -> None:
    rows = [("一般公共服务支出", "184.41"), ("社会保障和就业支出", "15.65")] * 5
    glyphs = [
        g
        for n, (name, figure) in enumerate(rows)
        for g in _row(name, 50, 100 + 16 * n) + _row(figure, 400, 100 + 16 * n)
    ]
    assert find_gutter(build_lines(glyphs)) is None


def test_one_column_has_no_gutter() -> None:
    glyphs = [g for n in range(10) for g in _row("正文" * 20, 50, 100 + 16 * n)]
    assert find_gutter(build_lines(glyphs)) is None


@pytest.mark.parametrize(
    ("angle", "start", "along"),
    [(0, (10, 800), (20, 800)), (90, (10, 10), (10, 20)), (270, (10, 800), (10, 790))],
)
def test_frame_turns_text_to_run_left_to_right(
    angle: float, start: tuple[float, float], along: tuple[float, float]
) -> None:
    frame = Frame.turned(angle, 595, 842)
    (u0, v0), (u1, v1) = frame.point(*start), frame.point(*along)
    assert u1 > u0 and abs(v1 - v0) < 1e-9
    # the frame holds the whole page
    corners = [frame.point(x, y) for x in (0, 595) for y in (0, 842)]
    assert min(u for u, _ in corners) == pytest.approx(0)
    assert min(v for _, v in corners) == pytest.approx(0)
