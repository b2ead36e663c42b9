"""What a run holds, for ``budget-notes inspect OUT``: notes by status, failed checks by
rule, the notes with the lowest coverage and the most disagreeing figures, and warnings.

Read from the run's CSV tables, one row at a time (a national run's checks.csv does not
fit in memory).
"""

from __future__ import annotations

import csv
import heapq
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from rich.console import Console
from rich.table import Table

from ..models import DocumentStatus


class NotARunError(ValueError):
    """The folder holds no run's tables."""


@dataclass(frozen=True)
class NoteLine:
    file_name: str
    unit: str
    year: str
    kind: str
    coverage: float
    unparsed: str
    differing: int


@dataclass
class Overview:
    out: Path
    notes: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)  # error code → notes
    failed_checks: dict[tuple[str, str], tuple[int, set[str]]] = field(default_factory=dict)
    warnings: Counter[str] = field(default_factory=Counter)  # code → notes
    warning_example: dict[str, str] = field(default_factory=dict)
    lowest_coverage: list[NoteLine] = field(default_factory=list)
    most_differing: list[NoteLine] = field(default_factory=list)
    last_run: Counter[str] = field(default_factory=Counter)


def _rows(path: Path) -> Iterator[dict[str, str]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8-sig", newline="") as handle:
        yield from csv.DictReader(handle)


def _codes(problems: str) -> list[tuple[str, str]]:
    """'code: message; code: message' → [(code, message)]."""
    found = []
    for problem in problems.split("; ") if problems else []:
        code, _, message = problem.partition(": ")
        found.append((code.lstrip("'"), message))
    return found


def overview(out: Path, limit: int = 10) -> Overview:
    if not (out / "documents.csv").exists():
        raise NotARunError(f"{out} holds no documents.csv: not the output folder of a run")
    result = Overview(out=out)
    differing = {
        row["document_id"]: int(row["figures_differing"] or 0) for row in _rows(out / "summary.csv")
    }
    notes: list[NoteLine] = []
    for row in _rows(out / "documents.csv"):
        result.notes += 1
        result.by_status[row["status"]] += 1
        for code, _ in _codes(row["errors"]):
            result.failures[code] += 1
        for code, message in {c: m for c, m in _codes(row["warnings"])}.items():
            result.warnings[code] += 1
            result.warning_example.setdefault(code, f"{row['file_name']}: {message}")
        if row["status"] == DocumentStatus.OK and row["coverage"]:
            notes.append(
                NoteLine(
                    file_name=row["file_name"],
                    unit=row["unit"],
                    year=row["year"],
                    kind=row["kind"],
                    coverage=float(row["coverage"]),
                    unparsed=row["unparsed_figures"],
                    differing=differing.get(row["document_id"], 0),
                )
            )
    result.lowest_coverage = heapq.nsmallest(limit, notes, key=lambda n: (n.coverage, n.file_name))
    result.most_differing = [
        n
        for n in heapq.nlargest(limit, notes, key=lambda n: (n.differing, n.file_name))
        if n.differing
    ]
    for row in _rows(out / "checks.csv"):
        if row["passed"] == "false":
            key = (row["rule"], row["severity"])
            count, documents = result.failed_checks.get(key, (0, set()))
            documents.add(row["document_id"])
            result.failed_checks[key] = (count + 1, documents)
    report = out / "report.jsonl"
    if report.exists():
        with report.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    result.last_run[json.loads(line).get("status", "?")] += 1
    return result


def render(view: Overview, console: Console) -> None:
    run = ", ".join(f"{n} {s}" for s, n in sorted(view.last_run.items())) or "no report.jsonl"
    console.print(f"[bold]{view.out}[/bold]: {view.notes} notes; last run: {run}")

    status = Table(title="Notes by status")
    status.add_column("status")
    status.add_column("notes", justify="right")
    status.add_column("reasons (failed)")
    for name, count in sorted(view.by_status.items()):
        reasons = (
            ", ".join(f"{c} {n}" for c, n in view.failures.most_common())
            if name == DocumentStatus.FAILED
            else ""
        )
        status.add_row(name, str(count), reasons)
    console.print(status)

    checks = Table(title="Failed checks by rule")
    for column, justify in (
        ("rule", "left"),
        ("severity", "left"),
        ("checks", "right"),
        ("notes", "right"),
    ):
        checks.add_column(column, justify=justify)  # type: ignore[arg-type]
    order = {"error": 0, "warning": 1, "info": 2}
    for (rule, severity), (count, documents) in sorted(
        view.failed_checks.items(),
        key=lambda item: (order.get(item[0][1], 3), -item[1][0], item[0][0]),
    ):
        checks.add_row(rule, severity, str(count), str(len(documents)))
    console.print(checks if view.failed_checks else "No failed checks.")

    coverage = Table(title="Lowest coverage (narrative sentences with figures fully parsed)")
    for column in (
        "note",
        "unit",
        "year",
        "kind",
        "coverage",
        "unparsed figures",
        "figures that differ",
    ):
        coverage.add_column(column)
    for note in view.lowest_coverage:
        coverage.add_row(
            note.file_name,
            note.unit,
            note.year,
            note.kind,
            f"{note.coverage:.0%}",
            note.unparsed,
            str(note.differing),
        )
    console.print(coverage)

    if view.most_differing:
        differing = Table(title="Most figures whose statements disagree (values.csv)")
        for column in ("note", "unit", "year", "figures that differ"):
            differing.add_column(column)
        for note in view.most_differing:
            differing.add_row(note.file_name, note.unit, note.year, str(note.differing))
        console.print(differing)

    warnings = Table(title="Warnings")
    for column in ("code", "notes", "example"):
        warnings.add_column(column)
    for code, count in view.warnings.most_common():
        warnings.add_row(code, str(count), view.warning_example[code])
    console.print(warnings if view.warnings else "No warnings.")
