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
from operator import itemgetter
from types import SimpleNamespace
from typing import Any

Point = tuple[float, float]
Bbox = tuple[float, float, float, float]
Edge = dict[str, Any]
# A margin around the band of heights searched: the exact test runs on every candidate,
# so the band only has to hold every line that can pass it, rounding included.
_SLACK = 1e-6


def find_grid_tables(page: Any, settings: dict[str, Any]) -> list[Any]:
    """pdfplumber's ``TableFinder(page, settings).tables``."""
    from pdfplumber.table import Table, TableFinder, TableSettings, cells_to_tables

    resolved = TableSettings.resolve(settings)
    # get_edges reads only the finder's page and settings.
    edges: list[Edge] = TableFinder.get_edges(SimpleNamespace(page=page, settings=resolved))  # type: ignore[arg-type]
    crossings = edges_to_intersections(
        edges, resolved.intersection_x_tolerance, resolved.intersection_y_tolerance
    )
    cells = intersections_to_cells(crossings)
    return [Table(page, group) for group in cells_to_tables(cells)]


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
