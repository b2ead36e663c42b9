"""Readers read what a person sees, exactly once, in order (issue 10).

Each input in tests/data/regressions/ (built by make_reader_cases.py, which says how) is the
seed note with one problem planted the way office programs, converters and web sites plant
it. Each must give the same facts as the clean seed (ignoring offsets), every figure exactly
once and right (tests/golden/seed.expected.yaml), none of the planted figures, its text in
the seed's order, and the warning that says what the reader left out or de-duplicated.
Saved web pages of the seed, of the tables note and of a corpus web text give the same facts
as their text (or DOCX) versions.
"""

from __future__ import annotations

import sys
import time
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from extractor.evaluation import score_document
from extractor.extraction.coverage import _SpanCover
from extractor.extraction.sentences import _AcceptedIndex
from extractor.models import Document
from extractor.pipeline import extract
from extractor.readers.limits import Limits
from extractor.readers.marks import INVISIBLE
from extractor.readers.reading import read_document
from extractor.readers.text import decode_text

from .conftest import CORPUS, SAMPLES, needs_shared
from .rules import fold_text, load_yaml
from .test_seed import EXPECTED, _projection

REGRESSIONS = Path(__file__).resolve().parent / "data" / "regressions"
sys.path.insert(0, str(REGRESSIONS))
import make_reader_cases as cases  # noqa: E402

SEED_TEXT = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
SEED_LINES = [line.strip() for line in SEED_TEXT.split("\n") if line.strip()]


@cache
def read(name: str) -> Document:
    return extract(REGRESSIONS / name)


@cache
def seed_txt() -> Document:
    return extract(SAMPLES / "seed.txt")


def _codes(document: Document) -> list[str]:
    return [warning.code for warning in document.warnings]


def _warning(document: Document, code: str) -> str:
    messages = [w.message for w in document.warnings if w.code == code]
    assert messages, (code, _codes(document))
    return messages[0]


def _visible_lines(document: Document) -> list[str]:
    return [line.strip() for line in document.text.split("\n") if line.strip()]


READER_CASES = [
    # (file, the warning it must carry)
    ("docx_clean.docx", None),
    ("docx_hidden_text.docx", "hidden_text"),
    ("docx_tracked_changes.docx", "tracked_changes_old_text"),
    ("docx_text_box_twice.docx", "duplicate_text_box"),
    ("docx_layout_table.docx", "layout_table"),
    ("docx_nested_tables.docx", "layout_table"),
    ("docx_content_controls.docx", None),
    ("docx_docm_renamed.docx", "macro_enabled"),
    ("docx_strict_ooxml.docx", None),
    ("txt_marks_in_figures.txt", "marks_in_figures"),
    ("txt_nul_bytes.txt", "nul_bytes"),
    ("txt_mixed_utf8_gbk.txt", "mixed_encoding"),
]


@pytest.mark.parametrize(("name", "code"), READER_CASES)
def test_reader_case_gives_the_clean_facts(name: str, code: str | None) -> None:
    document = read(name)
    assert document.status == "ok", document.errors
    assert _projection(document) == _projection(seed_txt())
    score = score_document(document, EXPECTED)
    assert score.missed == [] and score.wrong == [], (score.missed, score.wrong)
    assert score.attribute_errors == 0, score.attribute_notes
    assert _codes(document) == ([code] if code else [])


@pytest.mark.parametrize(("name", "code"), READER_CASES)
def test_reader_case_reads_the_seed_once_in_order_and_nothing_planted(
    name: str, code: str | None
) -> None:
    document = read(name)
    lines = _visible_lines(document)
    if name.startswith("txt_"):
        lines = [fold_text(line) for line in lines]  # the marks stay in the text as read
        assert lines == [fold_text(line) for line in SEED_LINES]
    else:
        assert lines == SEED_LINES
    for planted in cases.PLANTED:
        assert planted not in document.text, planted
    assert not any(f.amount and f.amount.wan == Decimal("999.99") for f in document.facts)
    for fact in document.facts:
        prov = fact.provenance
        assert document.text[prov.char_start : prov.char_end] == prov.quote


def test_the_regression_files_are_what_the_script_builds() -> None:
    for name, make in cases.FILES.items():
        assert (REGRESSIONS / name).read_bytes() == make(), f"rebuild {name}: make_reader_cases.py"


# --- DOCX: what each warning says -------------------------------------------------------------


def test_hidden_text_names_where_it_was_and_what() -> None:
    document = read("docx_hidden_text.docx")
    message = _warning(document, "hidden_text")
    assert "paragraphs 30, 67, 81" in message  # a paragraph style, a character style, a run
    warning = document.warnings[0]
    assert "8.8万元" in (warning.detail or "") and "66.6万元" in (warning.detail or "")
    # A run that switches hiding off inside a hidden-style paragraph is read.
    assert "2024年安排公务用车购置费0万元。" in document.text


def test_tracked_changes_are_read_accepted() -> None:
    document = read("docx_tracked_changes.docx")
    message = _warning(document, "tracked_changes_old_text")
    assert "deleted or moved away" in message
    moved = "2024年安排公务用车运行维护费5万元，用于1辆公务用车燃油"
    assert document.text.count(moved) == 1  # the moved paragraph, once, at its new place
    running = next(line for line in SEED_LINES if line.startswith(moved))
    lines = _visible_lines(document)
    assert lines.index(running) > lines.index("2024年安排公务用车购置费0万元。")


def test_a_text_box_and_its_fallback_are_read_once() -> None:
    document = read("docx_text_box_twice.docx")
    assert "1 text box(es) stored twice" in _warning(document, "duplicate_text_box")
    sangong = next(line for line in SEED_LINES if "预算数6.1万元" in line)
    assert document.text.count(sangong) == 1
    meetings = next(line for line in SEED_LINES if "财政拨款预算数0万元，其中：会议费" in line)
    assert document.text.count(meetings) == 1  # a VML-only box (old Word): read, not a duplicate


def test_layout_tables_are_read_as_text() -> None:
    assert "3 table(s) used for layout" in _warning(read("docx_nested_tables.docx"), "layout_table")
    assert read("docx_nested_tables.docx").tables == []


def test_docm_and_strict_packages_are_docx() -> None:
    for name in ("docx_docm_renamed.docx", "docx_strict_ooxml.docx"):
        document = read(name)
        assert (document.source.format, document.source.suffix_format) == ("docx", "docx")


# --- text: marks, NUL bytes, two encodings --------------------------------------------------


def test_invisible_marks_stay_in_the_evidence_and_are_named() -> None:
    document = read("txt_marks_in_figures.txt")
    message = _warning(document, "marks_in_figures")
    assert "in lines 23, 30, 35, 43, 67, 111" in message
    total = next(f for f in document.facts if f.field == "total.income_expenditure")
    assert "221.\u200b17" in total.provenance.quote and total.amount
    assert total.amount.wan == Decimal("221.17")


def test_normalisation_drops_every_mark_the_reader_warns_about() -> None:
    assert set(INVISIBLE) <= set(load_yaml("normalize.yaml")["drop"])
    assert fold_text("1\u202e2\u202c.\u20663\u2069\u200e4") == "12.34"


def test_nul_bytes_are_removed_and_utf16_still_detected() -> None:
    document = read("txt_nul_bytes.txt")
    assert "\x00" not in document.text and document.source.format == "txt"
    assert "4 NUL bytes" in _warning(document, "nul_bytes")
    for encoding in ("utf-16-le", "utf-16-be"):  # no BOM: every other byte is zero
        text, detected, warnings = decode_text(SEED_TEXT.encode(encoding))
        assert (text, detected, warnings) == (SEED_TEXT, encoding, [])


def test_mixed_utf8_and_gbk_is_decoded_line_by_line() -> None:
    document = read("txt_mixed_utf8_gbk.txt")
    assert document.text == SEED_TEXT
    assert document.source.encoding == "utf-8+gb18030"
    assert _warning(document, "mixed_encoding").endswith(
        "UTF-8 in lines 1–66, GB18030/GBK in lines 68–143, both within line 67"
    )
    # A file in one encoding is still that encoding, without a warning.
    for encoding, name in (("gbk", "gb18030"), ("utf-8", "utf-8")):
        assert decode_text(SEED_TEXT.encode(encoding))[1:] == (name, [])


# --- a very long line ------------------------------------------------------------------------


def test_span_indexes_agree_with_a_scan() -> None:
    spans = [(0, 10), (2, 4), (5, 30), (31, 33), (40, 41), (40, 50)]
    cover = _SpanCover(spans)
    for start in range(0, 55):
        for end in range(start + 1, 56):
            assert cover.covers(start, end) == any(s <= start and end <= e for s, e in spans)

    class Draft:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    drafts = [Draft(s, e) for s, e in sorted(spans)]
    index = _AcceptedIndex(drafts)  # type: ignore[arg-type]
    for position in range(0, 55):
        assert index.covers(position) == any(d.start <= position < d.end for d in drafts)
        assert index.starting_in(position, position + 7) == [
            d for d in drafts if position <= d.start < position + 7
        ]


@pytest.mark.slow
def test_a_long_line_of_figures_costs_linear_time(tmp_path: Path) -> None:
    """One line of 200,000 characters, a fact every 12: the checks of each figure against
    every fact of its section made this quadratic (about 80 s; now a few)."""
    lines = SEED_TEXT.split("\n")
    line = "公务接待费1.1万元。" * (200_000 // 12)
    path = tmp_path / "long_line.txt"
    path.write_text("\n".join([*lines[:67], line, *lines[67:]]), encoding="utf-8")
    started = time.perf_counter()
    document = extract(path)
    elapsed = time.perf_counter() - started
    assert document.status == "ok"
    assert sum(f.field == "sangong.reception" for f in document.facts) > 16_000
    assert elapsed < 40, elapsed


# --- web pages --------------------------------------------------------------------------------


def _page(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@cache
def _seed_page_document(directory: str) -> Document:
    return extract(_page(Path(directory), "seed.html", cases.seed_page()))


def test_the_seed_as_a_gbk_web_page_gives_the_seed_facts(tmp_path: Path) -> None:
    document = _seed_page_document(str(tmp_path))
    assert document.status == "ok", document.errors
    assert (document.source.format, document.source.encoding) == ("html", "gb18030")
    assert _projection(document) == _projection(seed_txt())
    score = score_document(document, EXPECTED)
    assert score.missed == [] and score.wrong == [] and score.attribute_errors == 0
    # Navigation, scripts, styles, forms, the share bar, related links, the footer and a
    # hidden block (with figures) are not read; the title block is, the date line is not.
    assert _visible_lines(document) == SEED_LINES
    assert "hidden element(s)" in _warning(document, "hidden_text")
    for fact in document.facts:
        prov = fact.provenance
        assert document.text[prov.char_start : prov.char_end] == prov.quote
        assert prov.paragraph is not None and prov.page is None


@pytest.mark.parametrize("suffix", [".htm", ".shtml", ".jsp", ".asp", ".txt"])
def test_saved_pages_are_recognised_by_content(tmp_path: Path, suffix: str) -> None:
    result, detected, _claimed = read_document(
        _page(tmp_path, f"note{suffix}", cases.seed_page()), Limits()
    )
    assert detected == "html"
    assert [w.code for w in result.warnings if w.code == "mislabelled"] == (
        ["mislabelled"] if suffix == ".txt" else []
    )


def test_tables_on_a_web_page_are_standard_tables(tmp_path: Path) -> None:
    page = extract(_page(tmp_path, "tables_note.html", cases.tables_note_page()))
    docx = extract(SAMPLES / "tables_note.docx")

    def records(document: Document) -> list[tuple]:  # type: ignore[type-arg]
        return sorted(
            (
                f.field,
                f.code or "",
                fold_text(f.name or ""),
                str(f.amount.wan if f.amount else ""),
                f.source,
                f.measure or "",
                f.provenance.table.kind if f.provenance.table else "",
                f.provenance.table.row if f.provenance.table else -1,
                f.provenance.table.column if f.provenance.table else -1,
            )
            for f in document.facts
        )

    assert [t.kind for t in page.tables] == [
        "income_expenditure_summary",
        "expenditure_summary",
        "sangong",
    ]
    assert records(page) == records(docx)
    assert page.missing_tables == docx.missing_tables


@needs_shared
def test_a_corpus_web_text_as_a_page_gives_the_same_facts(tmp_path: Path) -> None:
    source = CORPUS / "web" / "13_cq_fuling_town_2024_sangong_budget.txt"
    text_version = extract(source)
    page = extract(_page(tmp_path, "13.html", cases.corpus_web_page(source.read_text("utf-8"))))
    assert page.status == "ok" and page.source.encoding == "utf-8"

    def facts(document: Document) -> list[tuple[str, str, str, str]]:
        return sorted(
            (f.field, str(f.amount.wan if f.amount else ""), f.code or "", f.name or "")
            for f in document.facts
        )

    assert facts(page) == facts(text_version)
    assert len(page.facts) == len(text_version.facts) == 9
    assert "国务院部门网站" not in page.text  # the site's link list is not the article


@pytest.mark.parametrize(
    ("page", "gist"),
    [
        (
            b"<html><head><title>x</title><script>load()</script></head><body></body></html>",
            "loaded by a script",
        ),
        (b'<html><frameset><frame src="a.html"></frameset></html>', "frame set"),
        (
            "<html><body><ul><li><a href='/'>首页</a></li></ul></body></html>".encode(),
            "no article text",
        ),
    ],
)
def test_a_page_without_article_text_is_an_error(tmp_path: Path, page: bytes, gist: str) -> None:
    document = extract(_page(tmp_path, "empty.html", page))
    assert document.status == "failed"
    assert [e.code for e in document.errors] == ["no_article_text"]
    assert gist in document.errors[0].message


def _html5_article(lines: list[str]) -> bytes:
    body = "".join(f"<p>{line}</p>" for line in lines[2:])
    return (
        "<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>预算公开</title>"
        "</head><body><header><h1>遂宁市安居区人民政府</h1><nav><a href='/'>首页</a>"
        "<a href='/zwgk'>政务公开</a></nav></header><main><article><header>"
        f"<h1>{lines[0]}</h1><h2>{lines[1]}</h2><p class='meta'>2024-02-20</p></header>"
        f"{body}<footer>责任编辑：办公室</footer></article><aside><h3>热点</h3><ul>"
        "<li><a href='/1'>区财政局2024年部门预算公开</a></li></ul></aside></main>"
        "<footer>版权所有 遂宁市安居区人民政府</footer></body></html>"
    ).encode()


def _table_layout_with_br(lines: list[str]) -> bytes:
    """An old table-layout site: a menu cell beside the content cell, whose text is one run
    of lines split by <br>, declared gb2312 but saved as UTF-8 by a newer CMS."""
    menu = "".join(f"<a href='/{n}'>栏目{n}</a><br>" for n in range(8))
    content = "<br>\n".join(lines[2:])
    return (
        "<html><head><meta http-equiv='Content-Type' content='text/html; charset=gb2312'>"
        "</head><body><table width='100%'><tr><td width='20%'>" + menu + "</td><td>"
        f"<div align='center'><b>{lines[0]}</b></div><h2>{lines[1]}</h2>"
        f"<div class='zw'>{content}</div></td></tr></table></body></html>"
    ).encode("utf-8")


@pytest.mark.parametrize(
    ("layout", "warnings", "extra"),
    [
        # The article's own <header> is read (its date line too); the site's is not.
        (_html5_article, [], ["2024-02-20"]),
        (_table_layout_with_br, ["charset_mismatch"], []),
    ],
)
def test_other_page_layouts_give_the_seed_facts(tmp_path: Path, layout, warnings, extra) -> None:  # type: ignore[no-untyped-def]
    document = extract(_page(tmp_path, "page.html", layout(SEED_LINES)))
    assert document.status == "ok", document.errors
    assert [w.code for w in document.warnings] == warnings
    assert _projection(document) == _projection(seed_txt())
    assert _visible_lines(document) == SEED_LINES[:2] + extra + SEED_LINES[2:]


NEW_PROBLEM_CODES = [
    "hidden_text",
    "tracked_changes_old_text",
    "duplicate_text_box",
    "layout_table",
    "macro_enabled",
    "marks_in_figures",
    "nul_bytes",
    "mixed_encoding",
    "charset_mismatch",
    "no_article_text",
]


def test_the_readme_lists_the_reader_problems() -> None:
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Input problems", 1)[1].split("\n## ", 1)[0]
    assert [code for code in NEW_PROBLEM_CODES if f"`{code}`" not in table] == []


def test_a_zip_needing_an_unknown_version_is_a_damaged_package(tmp_path: Path) -> None:
    """Found by fuzzing the new readers: zipfile raises NotImplementedError (not BadZipFile)
    for a central directory entry that needs zip version 8.9."""
    data = bytearray((REGRESSIONS / "docx_clean.docx").read_bytes())
    entry = data.index(b"PK\x01\x02")
    data[entry + 6 : entry + 8] = (89).to_bytes(2, "little")
    document = extract(_page(tmp_path, "version.docx", bytes(data)))
    assert [e.code for e in document.errors] == ["corrupt_docx"]


def test_control_characters_in_a_page_are_dropped(tmp_path: Path) -> None:
    """Found by fuzzing: lxml refuses NUL and other control characters in a tree's text."""
    page = cases.seed_page().replace("6.1".encode("gbk"), b"6.\x001\x07")
    document = extract(_page(tmp_path, "controls.html", page))
    assert _projection(document) == _projection(seed_txt())
