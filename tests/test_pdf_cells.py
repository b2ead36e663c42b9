"""The PDF reader's own table steps give what pdfplumber's functions give on the same objects.

``pdf_cells`` (de-duplication, cell text, characters in cells) and ``pdf_grid`` (crossings,
cells, tables) replace pdfplumber steps that are quadratic. Each is held here to the
pdfplumber function it replaces: on made-up characters and lines built to hit the edge cases
(twins, chains of near values, ties, a ligature, blanks), and on every page of the corpus
PDFs that the reader opens as a table page, where the reference is computed from
pdfplumber's own ``dedupe_chars``, ``TableFinder`` and ``Table.extract``.
"""

from __future__ import annotations

import random
from functools import cache
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from pdfplumber.table import (
    Table,
    TableFinder,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
)
from pdfplumber.utils.text import (
    DEFAULT_X_TOLERANCE,
    DEFAULT_Y_TOLERANCE,
    LIGATURES,
    extract_text,
)
from pdfplumber.utils.text import dedupe_chars as plumber_dedupe

from extractor.readers import pdf as pdf_reader
from extractor.readers import pdf_cells, pdf_grid
from extractor.readers.pdf_tables import (
    _FIRST_SETTINGS,
    _SHORTEST_LINE,
    _TEXT_SETTINGS,
    FoundTable,
    PageObjects,
    find_tables,
    may_hold_tables,
    page_objects,
)

from .conftest import CORPUS, needs_shared

Char = dict[str, Any]


def _char(text: str, x0: float, top: float, width: float = 5.0, height: float = 6.0) -> Char:
    return {
        "object_type": "char",
        "text": text,
        "x0": x0,
        "x1": x0 + width,
        "top": top,
        "bottom": top + height,
        "doctop": top,
        "width": width,
        "height": height,
        "upright": True,
    }


def _random_chars(rng: random.Random, count: int) -> list[Char]:
    """Characters on a coarse grid of positions, so that twins, ties and chains of values
    less than a tolerance apart are common."""
    alphabet = "0123456789.,元万" + "\ufb01"  # a ligature pdfplumber expands
    chars = []
    for _ in range(count):
        text = rng.choice(alphabet)
        x0 = rng.randrange(0, 120) * 0.5
        top = rng.randrange(0, 40) * 0.75
        chars.append(_char(text, x0, top, width=rng.choice([0.5, 2.0, 5.0])))
        if rng.random() < 0.2:  # printed again on (nearly) the same spot
            twin = _char(text, x0 + rng.choice([0, 0.3, 1.0]), top + rng.choice([0, 0.5, 1.0]))
            chars.append(twin)
    return chars


@pytest.mark.parametrize("seed", range(60))
def test_dedupe_keeps_what_pdfplumber_keeps(seed: int) -> None:
    rng = random.Random(seed)
    chars = _random_chars(rng, rng.choice([1, 5, 40, 200]))
    for tolerance in (1, 0, 2.5):
        ours = pdf_cells.dedupe_chars(chars, tolerance)
        theirs = plumber_dedupe(chars, tolerance=tolerance, extra_attrs=())
        assert [id(c) for c in ours] == [id(c) for c in theirs]


def test_dedupe_returns_the_list_when_nothing_is_twice() -> None:
    chars = [_char("1", 0, 0), _char("1", 10, 0), _char("2", 0, 0.2)]
    assert pdf_cells.dedupe_chars(chars) is chars


def test_dedupe_follows_a_chain_of_heights() -> None:
    """Heights 0, 0.9 and 1.8 are one cluster by chaining (pdfplumber's), though the first
    and last are more than the tolerance apart: the last is dropped as a twin of the first."""
    chars = [_char("8", 10, 0), _char("8", 40, 0.9), _char("8", 10.5, 1.8)]
    ours = pdf_cells.dedupe_chars(chars)
    assert [id(c) for c in ours] == [id(c) for c in plumber_dedupe(chars, extra_attrs=())]
    assert len(ours) == 2


@pytest.mark.parametrize("seed", range(60))
def test_cell_text_is_pdfplumbers_extract_text(seed: int) -> None:
    rng = random.Random(1000 + seed)
    chars = _random_chars(rng, rng.choice([1, 2, 6, 30]))
    for text in (" ", ""):  # a blank, and a character without text
        if rng.random() < 0.3:
            chars.append(_char(text, rng.randrange(0, 60), rng.randrange(0, 30)))
    settings = pdf_cells.TextSettings()
    assert pdf_cells.cell_text(chars, settings) == extract_text(chars)


def test_cell_text_of_text_not_upright_is_pdfplumbers() -> None:
    chars = [_char("3", 0, 0), {**_char("4", 0, 8), "upright": False}]
    settings = pdf_cells.TextSettings()
    assert pdf_cells.cell_text(chars, settings) == extract_text(chars)


def _random_edges(rng: random.Random) -> list[Char]:
    """Ruling lines of a grid with some lines missing, cut short or a little off."""
    xs = sorted({rng.randrange(0, 60) * 5.0 for _ in range(rng.randrange(2, 9))})
    ys = sorted({rng.randrange(0, 60) * 5.0 for _ in range(rng.randrange(2, 12))})
    edges: list[Char] = []
    for x in xs:
        if rng.random() < 0.85:
            top, bottom = ys[0] + rng.choice([0, 0, 5]), ys[-1] - rng.choice([0, 0, 5])
            x_at = x + rng.choice([0, 0, 0.5, 2])
            edges.append(_line("v", x_at, x_at, min(top, bottom), max(top, bottom)))
    for y in ys:
        if rng.random() < 0.85:
            left, right = xs[0] - rng.choice([0, 0, 4]), xs[-1] + rng.choice([0, 0, 4])
            y_at = y + rng.choice([0, 0, 0.5, 2])
            edges.append(_line("h", left, right, y_at, y_at))
    return edges


def _line(orientation: str, x0: float, x1: float, top: float, bottom: float) -> Char:
    return {
        "object_type": "line",
        "orientation": orientation,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top,
        "width": x1 - x0,
        "height": bottom - top,
    }


@pytest.mark.parametrize("seed", range(60))
def test_grid_is_pdfplumbers(seed: int) -> None:
    rng = random.Random(2000 + seed)
    edges = _random_edges(rng)
    for tolerance in (1, 3):
        ours = pdf_grid.edges_to_intersections(edges, tolerance, tolerance)
        theirs = edges_to_intersections(edges, tolerance, tolerance)
        assert ours == theirs
        assert list(ours) == list(theirs)
        assert pdf_grid.intersections_to_cells(ours) == intersections_to_cells(theirs)
        cells = intersections_to_cells(theirs)
        ours_tables = pdf_grid.cells_to_tables(cells)
        assert [sorted(t) for t in ours_tables] == [sorted(t) for t in cells_to_tables(cells)]
    page = PageObjects(width=400.0, height=400.0, chars=[], edges=edges)
    for settings in ({}, {"snap_tolerance": 0, "join_tolerance": 1}, {"edge_min_length": 20}):
        finder = TableFinder(page, settings)  # type: ignore[arg-type]
        assert pdf_grid.ruled_edges(edges, finder.settings) == finder.get_edges()
    _same_tables(pdf_grid.find_grid_tables(page, {}), TableFinder(page, {}).tables)  # type: ignore[arg-type]


def _same_tables(ours: list[pdf_grid.GridTable], theirs: list[Table]) -> None:
    assert [sorted(t.cells) for t in ours] == [sorted(t.cells) for t in theirs]
    assert [t.bbox for t in ours] == [t.bbox for t in theirs]
    for mine, table in zip(ours, theirs, strict=True):
        assert [row.cells for row in mine.rows] == [row.cells for row in table.rows]
        assert [row.bbox for row in mine.rows] == [row.bbox for row in table.rows]


def test_settings_are_pdfplumbers_defaults() -> None:
    """The reader keeps pdfplumber's default settings so as not to import it for them."""
    defaults = TableSettings.resolve({})
    assert (defaults.vertical_strategy, defaults.horizontal_strategy) == ("lines", "lines")
    assert not defaults.explicit_vertical_lines and not defaults.explicit_horizontal_lines
    for name in pdf_grid.RuledSettings.__dataclass_fields__:
        assert getattr(pdf_grid.RULED, name) == getattr(defaults, name), name
    text = pdf_cells.TextSettings()
    assert (text.x_tolerance, text.y_tolerance) == (DEFAULT_X_TOLERANCE, DEFAULT_Y_TOLERANCE)
    assert text.ligatures == LIGATURES


# The corpus: every page the reader takes for a table page.


@cache
def _table_pages() -> list[tuple[Path, int]]:
    pages: list[tuple[Path, int]] = []
    for path in sorted((CORPUS / "files").glob("*.pdf")):
        document = pdfium.PdfDocument(str(path))
        try:
            previous = None
            for index in range(len(document)):
                page_text, _ = pdf_reader._read_page(document, index, previous, with_tables=False)
                if page_text.looks_tabular and not page_text.failed:
                    pages.append((path, index))
                previous = page_text
        finally:
            document.close()
    return pages


def _corpus_pages() -> list[Any]:
    if not (CORPUS / "files").is_dir():
        return [pytest.param(None, marks=needs_shared, id="no-corpus")]
    return [
        pytest.param((path, index), id=f"{path.stem}-p{index + 1}")
        for path, index in _table_pages()
    ]


def _reference_tables(objects: PageObjects) -> list[FoundTable]:
    """``find_tables`` done with pdfplumber's own finder and cell extraction."""
    tables = TableFinder(objects, TableSettings.resolve(_FIRST_SETTINGS)).tables  # type: ignore[arg-type]
    if not tables:
        tables = TableFinder(objects, TableSettings.resolve(_TEXT_SETTINGS)).tables  # type: ignore[arg-type]
    return [FoundTable(bbox=tuple(t.bbox), rows=t.extract()) for t in tables]  # type: ignore[arg-type]


@needs_shared
@pytest.mark.corpus
@pytest.mark.parametrize("where", _corpus_pages())
def test_corpus_table_page_cells_are_pdfplumbers(where: tuple[Path, int]) -> None:
    path, index = where
    document = pdfium.PdfDocument(str(path))
    try:
        page = document[index]
        textpage = page.get_textpage()
        page_text, text = pdf_reader._read_loaded_page(page, textpage, index)
        reading = page_text.reading
        frame, dropped = (
            (None, frozenset[int]()) if reading is None else (reading.frame, reading.dropped)
        )

        def theirs_dedupe(chars: list[Char]) -> list[Char]:
            deduped: list[Char] = plumber_dedupe(chars, tolerance=1, extra_attrs=())
            return deduped

        ours = page_objects(page, textpage, frame, dropped, text)
        reference = page_objects(
            page, textpage, frame, dropped, text, dedupe=theirs_dedupe, every_char=True
        )
        textpage.close()
        page.close()
    finally:
        document.close()
    # A page without horizontal rules is left without characters: no table can be found.
    assert ours.chars == (reference.chars if may_hold_tables(ours.edges) else [])
    for settings in (_FIRST_SETTINGS, _TEXT_SETTINGS):
        assert TableSettings.resolve(settings).edge_min_length_prefilter == _SHORTEST_LINE
        _same_tables(
            pdf_grid.find_grid_tables(ours, settings),
            TableFinder(reference, TableSettings.resolve(settings)).tables,  # type: ignore[arg-type]
        )
    assert find_tables(ours) == _reference_tables(reference)


@pytest.mark.parametrize("seed", range(20))
def test_tables_of_several_grids_are_pdfplumbers(seed: int) -> None:
    """Grids apart, beside and touching at a corner: pdfplumber's tables, in its order."""
    rng = random.Random(3000 + seed)
    edges: list[Char] = []
    for _ in range(rng.randrange(2, 5)):
        dx, dy = rng.choice([0, 150, 300]), rng.choice([0, 150, 300])
        edges += [
            {**e, "x0": e["x0"] + dx, "x1": e["x1"] + dx, "top": e["top"] + dy}
            | {"bottom": e["bottom"] + dy, "doctop": e["top"] + dy}
            for e in _random_edges(rng)
        ]
    cells = intersections_to_cells(edges_to_intersections(edges, 3, 3))
    ours = pdf_grid.cells_to_tables(cells)
    assert [sorted(t) for t in ours] == [sorted(t) for t in cells_to_tables(cells)]
