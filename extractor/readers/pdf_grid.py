"""pdfplumber's table finder, with its two slow steps done the same way at less cost.

``TableFinder`` meets every vertical ruling line with every horizontal one, sorting the
horizontal ones again for each vertical one; and looks for each crossing's cell among all
crossings after it, comparing sets of edges it builds again for each pair of crossings.
Here the horizontal lines are sorted once and searched by height, and each crossing's
lines and neighbours are known up front; the crossings, cells and tables found are
pdfplumber's (``tests/test_pdf_cells.py`` holds them to it on every corpus table page).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

from .pdf_cells import clusters

Point = tuple[float, float]
Bbox = tuple[float, float, float, float]
Edge = dict[str, Any]
# A margin around the band of heights searched: the exact test runs on every candidate,
# so the band only has to hold every line that can pass it, rounding included.
_SLACK = 1e-6


@dataclass(frozen=True)
class RuledSettings:
    """pdfplumber's ``TableSettings()`` (both strategies "lines"), the values ruled tables
    are found with; here so that finding them does not import pdfplumber (about 0.1 s)."""

    snap_x_tolerance: float = 3
    snap_y_tolerance: float = 3
    join_x_tolerance: float = 3
    join_y_tolerance: float = 3
    edge_min_length: float = 3
    edge_min_length_prefilter: float = 1
    intersection_x_tolerance: float = 3
    intersection_y_tolerance: float = 3


RULED = RuledSettings()


@dataclass(frozen=True)
class CellRow:
    """A row of a table's grid, as pdfplumber's ``Row``: a cell (or None) for each column."""

    cells: list[Bbox | None]

    @property
    def bbox(self) -> Bbox:
        present = [cell for cell in self.cells if cell is not None]
        return (
            min(cell[0] for cell in present),
            min(cell[1] for cell in present),
            max(cell[2] for cell in present),
            max(cell[3] for cell in present),
        )


@dataclass(frozen=True)
class GridTable:
    """A table found, as pdfplumber's ``Table``: its cells, box and rows."""

    cells: list[Bbox]

    @property
    def bbox(self) -> Bbox:
        cells = self.cells
        return (
            min(cell[0] for cell in cells),
            min(cell[1] for cell in cells),
            max(cell[2] for cell in cells),
            max(cell[3] for cell in cells),
        )

    @property
    def rows(self) -> list[CellRow]:
        """pdfplumber's ``Table.rows``: cells by top, then by x0; a row holds a place for
        every x0 of the table, None where it has no cell starting there."""
        ordered = sorted(self.cells, key=itemgetter(1, 0))
        columns = sorted({cell[0] for cell in self.cells})
        rows: list[CellRow] = []
        for _top, row_cells in groupby(ordered, itemgetter(1)):
            by_x = {cell[0]: cell for cell in row_cells}
            rows.append(CellRow([by_x.get(x) for x in columns]))
        return rows


def find_grid_tables(page: Any, settings: dict[str, Any]) -> list[GridTable]:
    """pdfplumber's ``TableFinder(page, settings).tables``; pdfplumber is asked for the edges
    only for settings other than ruled tables' (no settings)."""
    resolved: Any
    if not settings:
        resolved = RULED
        edges = ruled_edges(page.edges, resolved)
    else:
        from pdfplumber.table import TableFinder, TableSettings

        resolved = TableSettings.resolve(settings)
        # get_edges reads only the finder's page and settings.
        finder = SimpleNamespace(page=page, settings=resolved)
        edges = TableFinder.get_edges(finder)  # type: ignore[arg-type]
    crossings = edges_to_intersections(
        edges, resolved.intersection_x_tolerance, resolved.intersection_y_tolerance
    )
    cells = intersections_to_cells(crossings)
    return [GridTable(group) for group in cells_to_tables(cells)]


def ruled_edges(page_edges: list[Edge], settings: Any) -> list[Edge]:
    """pdfplumber's ``TableFinder.get_edges`` for ruled tables (both strategies "lines"): the
    page's lines of at least the prefilter length, snapped to the average of their cluster
    (x of vertical lines, top of horizontal ones), joined where they meet or overlap on one
    line, and kept if at least ``edge_min_length`` long."""
    shortest = settings.edge_min_length_prefilter
    vertical = [e for e in page_edges if e["orientation"] == "v" and e["height"] >= shortest]
    horizontal = [e for e in page_edges if e["orientation"] == "h" and e["width"] >= shortest]
    edges = vertical + horizontal
    snap_x, snap_y = settings.snap_x_tolerance, settings.snap_y_tolerance
    if snap_x > 0 or snap_y > 0:
        edges = _snapped(vertical, "x0", snap_x) + _snapped(horizontal, "top", snap_y)
    joined: list[Edge] = []
    lines: dict[tuple[str, Any], list[Edge]] = {}
    for edge in edges:
        key = ("h", edge["top"]) if edge["orientation"] == "h" else ("v", edge["x0"])
        lines.setdefault(key, []).append(edge)
    for key in sorted(lines):
        if key[0] == "h":
            joined += _joined(lines[key], "x0", "x1", "width", settings.join_x_tolerance)
        else:
            joined += _joined(lines[key], "top", "bottom", "height", settings.join_y_tolerance)
    longest = settings.edge_min_length
    return [e for e in joined if e["height" if e["orientation"] == "v" else "width"] >= longest]


def _snapped(edges: list[Edge], attr: str, tolerance: float) -> list[Edge]:
    """pdfplumber's ``snap_objects``: each cluster moved to its average, by the same sums."""
    moved: list[Edge] = []
    for cluster in clusters(edges, [e[attr] for e in edges], tolerance) if edges else []:
        average = sum(e[attr] for e in cluster) / len(cluster)
        for edge in cluster:
            shift = average - edge[attr]
            if attr == "x0":
                moved.append({**edge, "x0": edge["x0"] + shift, "x1": edge["x1"] + shift})
                continue
            change = {"top": edge["top"] + shift, "bottom": edge["bottom"] + shift}
            if "doctop" in edge:
                change["doctop"] = edge["doctop"] + shift
            if "y0" in edge:
                change |= {"y0": edge["y0"] - shift, "y1": edge["y1"] - shift}
            moved.append({**edge, **change})
    return moved


def _joined(edges: list[Edge], start: str, end: str, size: str, tolerance: float) -> list[Edge]:
    """pdfplumber's ``join_edge_group``: lines on one line joined where the next starts
    within ``tolerance`` of the end of the last."""
    ordered = sorted(edges, key=itemgetter(start))
    joined = [ordered[0]]
    for edge in ordered[1:]:
        last = joined[-1]
        if edge[start] <= last[end] + tolerance:
            if edge[end] > last[end]:
                joined[-1] = _resized(last, end, edge[end], start, size)
        else:
            joined.append(edge)
    return joined


def _resized(edge: Edge, end: str, value: float, start: str, size: str) -> Edge:
    """pdfplumber's ``resize_object`` of an edge's far end (x1 or bottom)."""
    if value < edge[start]:
        raise ValueError(f"an edge cannot end ({value}) before it starts ({edge[start]})")
    if end == "x1":
        return {**edge, "x1": value, "width": value - edge["x0"]}
    diff = value - edge["bottom"]
    change = {"bottom": value, "height": edge["height"] + diff}
    if "y0" in edge:
        change["y0"] = edge["y0"] - diff
    return {**edge, **change}


def edges_to_intersections(
    edges: list[Edge], x_tolerance: float = 1, y_tolerance: float = 1
) -> dict[Point, dict[str, list[Edge]]]:
    """pdfplumber's ``edges_to_intersections``: the same points, with the same edges in the
    same order."""
    intersections: dict[Point, dict[str, list[Edge]]] = {}
    verticals = sorted((e for e in edges if e["orientation"] == "v"), key=itemgetter("x0", "top"))
    horizontals = sorted((e for e in edges if e["orientation"] == "h"), key=itemgetter("top", "x0"))
    tops = [h["top"] for h in horizontals]
    for v in verticals:
        v_top, v_bottom, v_x = v["top"], v["bottom"], v["x0"]
        first = bisect_left(tops, v_top - y_tolerance - _SLACK)
        last = bisect_right(tops, v_bottom + y_tolerance + _SLACK)
        for h in horizontals[first:last]:
            if (
                (v_top <= (h["top"] + y_tolerance))
                and (v_bottom >= (h["top"] - y_tolerance))
                and (v_x >= (h["x0"] - x_tolerance))
                and (v_x <= (h["x1"] + x_tolerance))
            ):
                vertex = (v_x, h["top"])
                if vertex not in intersections:
                    intersections[vertex] = {"v": [], "h": []}
                intersections[vertex]["v"].append(v)
                intersections[vertex]["h"].append(h)
    return intersections


def intersections_to_cells(intersections: dict[Point, dict[str, list[Edge]]]) -> list[Bbox]:
    """pdfplumber's ``intersections_to_cells``: for each crossing in sorted order, the first
    crossing below it and then the first to its right, joined to it by a line, whose corner
    is a crossing joined to both."""
    box = itemgetter("x0", "top", "x1", "bottom")
    verticals = {p: frozenset(map(box, lines["v"])) for p, lines in intersections.items()}
    horizontals = {p: frozenset(map(box, lines["h"])) for p, lines in intersections.items()}

    def connects(p1: Point, p2: Point) -> bool:
        if p1[0] == p2[0] and not verticals[p1].isdisjoint(verticals[p2]):
            return True
        return p1[1] == p2[1] and not horizontals[p1].isdisjoint(horizontals[p2])

    points = sorted(intersections)
    # Crossings after each one in sorted order: those below it (same x) and to its right
    # (same top), each in sorted order.
    below: dict[Point, list[Point]] = {}
    right: dict[Point, list[Point]] = {}
    by_x: dict[float, list[Point]] = {}
    by_top: dict[float, list[Point]] = {}
    for point in reversed(points):
        column = by_x.setdefault(point[0], [])
        row = by_top.setdefault(point[1], [])
        below[point] = column[::-1]
        right[point] = row[::-1]
        column.append(point)
        row.append(point)
    cells: list[Bbox] = []
    for point in points[:-1]:
        cell = _smallest_cell(point, below[point], right[point], intersections, connects)
        if cell is not None:
            cells.append(cell)
    return cells


def _smallest_cell(
    point: Point,
    below: list[Point],
    right: list[Point],
    intersections: dict[Point, Any],
    connects: Any,
) -> Bbox | None:
    for below_point in below:
        if not connects(point, below_point):
            continue
        for right_point in right:
            if not connects(point, right_point):
                continue
            corner = (right_point[0], below_point[1])
            if (
                corner in intersections
                and connects(corner, right_point)
                and connects(corner, below_point)
            ):
                return (point[0], point[1], corner[0], corner[1])
    return None


def cells_to_tables(cells: list[Bbox]) -> list[list[Bbox]]:
    """pdfplumber's ``cells_to_tables``: cells that share a corner, directly or through
    others, make one table; tables of more than one cell, top-most (then left-most) first.
    pdfplumber grows each table by passes over the cells left; the same tables come from
    joining cells by their corners once (a cell's order within its table differs, which
    nothing reads: a table's rows are its cells sorted)."""
    parent = list(range(len(cells)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Point, int] = {}
    for number, (x0, top, x1, bottom) in enumerate(cells):
        for corner in ((x0, top), (x0, bottom), (x1, top), (x1, bottom)):
            other = owner.setdefault(corner, number)
            if other != number:
                parent[root(number)] = root(other)
    groups: dict[int, list[Bbox]] = {}
    for number, cell in enumerate(cells):
        groups.setdefault(root(number), []).append(cell)
    tables = sorted(groups.values(), key=lambda table: min((c[1], c[0]) for c in table))
    return [table for table in tables if len(table) > 1]
