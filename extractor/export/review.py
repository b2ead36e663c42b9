"""Review pages: one static HTML page per note, and an index page for the run.

A note's page shows the text as read with every extracted figure marked (hover for field,
value, code and source; click for the whole fact), the figures no pattern took marked
apart, the failed checks with links to every statement involved, and each table's facts as
a grid beside the place the table is in the text. Pages are self-contained (no server, no
network) and rendered with Jinja2 templates from ``templates/``.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import jinja2
import regex

from ..models import Document, Fact, FactStatus
from .csvfile import cell_text
from .resolve import Resolution, fact_marks

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class Piece:
    """A run of text with the same marks: the facts covering it (innermost first), or an
    unparsed figure; ``anchors`` are the element ids that start here."""

    text: str
    facts: tuple[int, ...] = ()
    unparsed: int | None = None
    anchors: tuple[str, ...] = ()


@dataclass(frozen=True)
class CellView:
    fact: int
    text: str
    anchor: bool  # the cell is the fact's only place on the page (no span in the text)


@dataclass(frozen=True)
class TableView:
    anchor: str
    title: str
    kind: str
    pages: str
    columns: list[str]
    rows: list[tuple[str, list[CellView | None]]]


@dataclass
class Block:
    pieces: list[Piece] = field(default_factory=list)
    tables: list[TableView] = field(default_factory=list)


@dataclass(frozen=True)
class FactView:
    index: int
    id: str
    field: str
    label: str
    value: str
    code: str
    names: str
    source: str
    place: str  # page and table title (text: page only)
    row: int | None  # 1-based row and column of a table fact
    column: str
    pattern: str
    status: str
    resolved: str
    concept: str
    quote: str

    @property
    def where(self) -> str:
        return f"{self.place} row {self.row}, {self.column}" if self.row else self.place


# The facts' data in the page, in this order; the page's script (review.js) reads them back.
# Rarely set ones last: a fact's list ends at its last value.
DATA_KEYS = (
    "field",
    "label",
    "value",
    "source",
    "place",
    "column",
    "pattern",
    "status",
    "id",
    "quote",
    "code",
    "names",
    "concept",
    "resolved",
)


def facts_data(facts: list[FactView]) -> dict[str, Any]:
    """The facts for the page's script: each a list of numbers, one per key of ``DATA_KEYS``
    (an index into ``strings``, 0 the empty one) and the table row last. The same label,
    pattern, table title or column stands once in ``strings``, not once per fact: that
    halved the data, which was two thirds of a page."""
    strings: dict[str, int] = {"": 0}
    rows = []
    for fact in facts:
        row = [strings.setdefault(getattr(fact, key), len(strings)) for key in DATA_KEYS]
        row.append(fact.row or 0)
        while row and row[-1] == 0:
            row.pop()
        rows.append(row)
    return {"keys": [*DATA_KEYS, "row"], "strings": list(strings), "facts": rows}


@dataclass(frozen=True)
class CheckView:
    rule: str
    severity: str
    message: str
    links: list[tuple[str, str]]


@dataclass(frozen=True)
class UnparsedView:
    anchor: str
    sentence: str
    figures: str
    where: str
    marked: bool


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The facts' data as UTF-8 and without spaces: \uXXXX escapes of Chinese text and
    # ", " took two thirds of it. ``tojson`` still escapes < > & ' (the data stays data).
    env.policies["json.dumps_kwargs"] = {
        "sort_keys": True,
        "ensure_ascii": False,
        "separators": (",", ":"),
    }
    return env


def fact_views(document: Document, resolutions: list[Resolution]) -> list[FactView]:
    """Each fact as the page shows it, in the document's order."""
    marks = fact_marks(resolutions)
    return [_fact_view(i, fact, marks) for i, fact in enumerate(document.facts)]


def review_html(document: Document, resolutions: list[Resolution]) -> str:
    facts = fact_views(document, resolutions)
    spans = _fact_spans(document)
    unparsed, unparsed_spans = _unparsed(document)
    tables, anchors = _tables(document, spans)
    blocks = _blocks(document.text, spans, unparsed_spans, tables, anchors)
    failed = [c for c in document.checks if not c.passed]
    index = {fact.id: i for i, fact in enumerate(document.facts)}
    checks = [
        CheckView(
            rule=c.rule,
            severity=c.severity,
            message=c.message,
            links=[(f"#f{index[f]}", facts[index[f]].where) for f in c.facts if f in index],
        )
        for c in failed
    ]
    info = document.info
    return (
        environment()
        .get_template("review.html.j2")
        .render(
            document=document,
            info=info,
            title=" ".join(str(p) for p in (info.unit, info.year, info.kind) if p)
            or document.source.file_name,
            blocks=blocks,
            facts=facts,
            facts_data=facts_data(facts),
            spanned=len(spans),
            unplaced=[
                v
                for i, v in enumerate(facts)
                if i not in spans and not _in_table(document.facts[i])
            ],
            checks=checks,
            passed=sum(1 for c in document.checks if c.passed),
            unparsed=unparsed,
            differing=sum(1 for r in resolutions if r.differing),
            coverage=f"{document.coverage.score:.0%}" if document.coverage else "–",
        )
    )


def index_html(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The run's index page, streamed (one summary row per note, its cells as text)."""
    return environment().get_template("index.html.j2").generate(rows=rows, text=cell_text)


# --- the text with its marks -------------------------------------------------------------------


def _fact_spans(document: Document) -> dict[int, tuple[int, int]]:
    size = len(document.text)
    spans = {}
    for i, fact in enumerate(document.facts):
        start, end = fact.provenance.char_start, fact.provenance.char_end
        if start is not None and end is not None and 0 <= start < end <= size:
            spans[i] = (start, end)
    return spans


def _figure_pattern(figure: str) -> regex.Pattern[str]:
    return regex.compile(r"\s*".join(regex.escape(c) for c in figure if not c.isspace()))


def _unparsed(document: Document) -> tuple[list[UnparsedView], dict[int, list[tuple[int, int]]]]:
    """The unparsed sentences, and the spans of their figures in the text (the whole
    sentence when a figure cannot be found as written)."""
    views, spans = [], {}
    size = len(document.text)
    for number, item in enumerate(document.unparsed):
        start, end = item.char_start, item.char_end
        found: list[tuple[int, int]] = []
        if start is not None and end is not None and 0 <= start < end <= size:
            window = document.text[start:end]
            for figure in item.figures:
                match = _figure_pattern(figure).search(window) if figure.strip() else None
                if match and match.end() > match.start():
                    found.append((start + match.start(), start + match.end()))
            if not found:
                found = [(start, end)]
            spans[number] = found
        views.append(
            UnparsedView(
                anchor=f"u{number}",
                sentence=item.sentence,
                figures=" ".join(item.figures),
                where=_where(item.page, None),
                marked=number in spans,
            )
        )
    return views, spans


def _blocks(
    text: str,
    spans: dict[int, tuple[int, int]],
    unparsed: dict[int, list[tuple[int, int]]],
    tables: list[TableView],
    anchors: dict[str, int],
) -> list[Block]:
    """Split the text at the tables' places; mark every run of text in each part."""
    cuts = sorted({0, *anchors.values()})
    blocks = {cut: Block() for cut in cuts}
    trailing = Block()  # tables whose cells have no place in the text (DOCX)
    for table in tables:
        (blocks[anchors[table.anchor]] if table.anchor in anchors else trailing).tables.append(
            table
        )
    figures = [(start, end, n) for n, found in unparsed.items() for start, end in found]
    starts: dict[int, list[int]] = defaultdict(list)
    ends: dict[int, list[int]] = defaultdict(list)
    for i, (start, end) in spans.items():
        starts[start].append(i)
        ends[end].append(i)
    figure_starts: dict[int, list[int]] = defaultdict(list)
    figure_ends: dict[int, list[int]] = defaultdict(list)
    for k, (start, end, _) in enumerate(figures):
        figure_starts[start].append(k)
        figure_ends[end].append(k)
    points = sorted({0, len(text), *cuts, *starts, *ends, *figure_starts, *figure_ends})
    active: set[int] = set()
    active_figures: set[int] = set()
    anchored: set[int] = set()
    current = blocks[0]
    for a, b in itertools.pairwise(points):
        current = blocks.get(a, current)
        active.difference_update(ends.get(a, ()))
        active_figures.difference_update(figure_ends.get(a, ()))
        opening = starts.get(a, [])
        active.update(opening)
        active_figures.update(figure_starts.get(a, ()))
        here = [f"f{i}" for i in sorted(opening)]
        for k in sorted(figure_starts.get(a, ())):
            number = figures[k][2]
            if number not in anchored:
                anchored.add(number)
                here.append(f"u{number}")
        covering = tuple(sorted(active, key=lambda i: (spans[i][1] - spans[i][0], i)))
        figure = min((figures[k][2] for k in active_figures), default=None)
        current.pieces.append(
            Piece(
                text=text[a:b],
                facts=covering,
                unparsed=figure if not covering else None,
                anchors=tuple(here),
            )
        )
    return [blocks[cut] for cut in cuts] + ([trailing] if trailing.tables else [])


# --- tables beside their place -----------------------------------------------------------------


def _in_table(fact: Fact) -> bool:
    return fact.provenance.table is not None


def _tables(
    document: Document, spans: dict[int, tuple[int, int]]
) -> tuple[list[TableView], dict[str, int]]:
    """One grid per table (its facts by row and column), and where in the text each table
    starts (the start of the line of its first fact), for the tables found in the text."""
    by_table: dict[str, list[int]] = defaultdict(list)
    for i, fact in enumerate(document.facts):
        if fact.provenance.table is not None:
            by_table[fact.provenance.section_id].append(i)
    views, anchors = [], {}
    text = document.text
    for number, (section, members) in enumerate(sorted(by_table.items(), key=_table_order)):
        first = document.facts[members[0]]
        assert first.provenance.table is not None
        anchor = f"t{number}"
        placed = [spans[i][0] for i in members if i in spans]
        if placed:
            start = min(placed)
            anchors[anchor] = text.rfind("\n", 0, start) + 1
        views.append(_grid(document, anchor, section, members, first, spans))
    return views, anchors


def _table_order(item: tuple[str, list[int]]) -> tuple[int, str]:
    section = item[0].lstrip("t")
    return (int(section) if section.isdigit() else 1 << 20, item[0])


def _grid(
    document: Document,
    anchor: str,
    section: str,
    members: list[int],
    first: Fact,
    spans: dict[int, tuple[int, int]],
) -> TableView:
    columns: dict[str, None] = {}
    rows: dict[int, dict[str, CellView]] = defaultdict(dict)
    labels: dict[int, str] = {}
    for i in members:
        fact = document.facts[i]
        table = fact.provenance.table
        assert table is not None
        columns.setdefault(table.column)
        rows[table.row][table.column] = CellView(i, _cell(fact), i not in spans)
        labels.setdefault(table.row, " ".join(p for p in (fact.code, fact.name) if p) or fact.label)
    ref = first.provenance.table
    assert ref is not None
    summary = next((t for t in document.tables if t.title == ref.title), None)
    return TableView(
        anchor=anchor,
        title=ref.title or section,
        kind=ref.kind or "",
        pages=", ".join(str(p) for p in summary.pages) if summary else "",
        columns=list(columns),
        rows=[(labels[row], [rows[row].get(c) for c in columns]) for row in sorted(rows)],
    )


# --- facts ---------------------------------------------------------------------------------------


def _value(fact: Fact) -> str:
    if fact.status == FactStatus.NONE:
        return "none (无)"
    if fact.status == FactStatus.NOT_APPLICABLE:
        return "not applicable"
    parts = []
    if fact.amount is not None:
        parts.append(f"{_plain(fact.amount.wan)} 万元")
    if fact.count is not None:
        parts.append(str(fact.count))
    if fact.share is not None:
        parts.append(f"{_plain(fact.share)}%")
    if fact.value is not None:
        parts.append(_plain(fact.value))
    if not parts and fact.text:
        parts.append(fact.text[:40])
    return ", ".join(parts)


def _cell(fact: Fact) -> str:
    """A table cell as the grid shows it: the amount in 万元 without trailing zeros."""
    if fact.amount is None:
        return _value(fact)
    return _plain(fact.amount.wan.normalize())


def _plain(value: Decimal) -> str:
    return format(value, "f")


def _where(page: int | None, table: str | None) -> str:
    place = f"p.{page}" if page else ""
    return f"{place} table “{table}”".strip() if table else (f"{place} text".strip())


def _fact_view(index: int, fact: Fact, marks: dict[str, tuple[str, str]]) -> FactView:
    concept, resolved = marks.get(fact.id, ("", ""))
    table = fact.provenance.table
    return FactView(
        index=index,
        id=fact.id,
        field=fact.field,
        label=fact.label,
        value=_value(fact),
        code=fact.code or "",
        names=" / ".join(fact.code_names) or (fact.name or ""),
        source=fact.source,
        place=_where(fact.provenance.page, table.title if table else None),
        row=table.row + 1 if table else None,
        column=table.column if table else "",
        pattern=fact.pattern,
        status=fact.status,
        resolved=resolved,
        concept=concept,
        quote=fact.provenance.quote,
    )
