"""report.jsonl: one line per input, written as the run goes; the run's summary and the
progress line printed for each input."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..models import SCHEMA_VERSION


class ReportStatus(StrEnum):
    """What this run did with an input (``report.jsonl``'s ``status``)."""

    OK = "ok"  # processed now
    FAILED = "failed"  # processed now
    SKIPPED = "skipped"  # stored earlier: ``outcome`` says how it went then
    REMOVED = "removed"  # --prune: the input is gone
    CANCELLED = "cancelled"  # the run stopped first


@dataclass
class ReportLine:
    """One line of report.jsonl: what this run did with an input, and where it stands."""

    path: str
    sha256: str
    status: str  # a ReportStatus (str: lines read back from report.jsonl hold plain text)
    outcome: str | None = None  # ok | failed: the input's result, stored earlier if skipped
    failure: str | None = None  # a FailureClass: transient (retried next run) | permanent
    reason: str | None = None
    output: str | None = None
    pages: int | None = None
    facts: int = 0
    warnings: int = 0
    checks_failed: int = 0
    milliseconds: int = 0

    def as_json(self) -> str:
        return json.dumps({"schema_version": SCHEMA_VERSION, **self.__dict__}, ensure_ascii=False)


@dataclass
class Summary:
    files: int = 0
    ok: int = 0
    skipped: int = 0
    failed: int = 0
    removed: int = 0
    known_failures: int = 0  # skipped inputs whose stored result is a permanent failure
    facts: int = 0
    checks_failed: int = 0
    errors_found: int = 0
    seconds: float = 0.0
    report: Path | None = None

    @property
    def exit_code(self) -> int:
        """1 when a file failed in this run; earlier permanent failures, skipped, do not."""
        return 1 if self.failed else 0

    @property
    def lines(self) -> list[ReportLine]:
        """The run's report, read back from report.jsonl (the run keeps no list of it)."""
        if self.report is None or not self.report.exists():
            return []
        known = set(ReportLine.__dataclass_fields__)
        with self.report.open(encoding="utf-8") as handle:
            return [
                ReportLine(**{k: v for k, v in json.loads(line).items() if k in known})
                for line in handle
            ]

    def text(self) -> str:
        processed = self.ok + self.failed
        rate = processed / self.seconds if self.seconds else 0.0
        known = f" ({self.known_failures} failed earlier)" if self.known_failures else ""
        removed = f", {self.removed} removed" if self.removed else ""
        return (
            f"{self.files} files: {self.ok} ok, {self.skipped} skipped{known}, {self.failed}"
            f" failed{removed}; {self.facts} facts, {self.checks_failed} checks failed"
            f" ({self.errors_found} errors); {self.seconds:.1f}s, {rate:.2f} files/s"
        )


Progress = Callable[[ReportLine, int, int | None], None]


class ReportFile:
    """report.jsonl, written as the run goes (to a partial file renamed at the end)."""

    def __init__(self, out: Path) -> None:
        self.final = out / "report.jsonl"
        self.partial = out / "report.jsonl.partial"
        self.handle = self.partial.open("w", encoding="utf-8")
        self.lines = 0
        self.flushed = time.monotonic()

    def write(self, line: ReportLine) -> None:
        self.handle.write(line.as_json() + "\n")
        self.lines += 1
        now = time.monotonic()
        if now - self.flushed > 0.5:  # readable as it goes, without a write per line
            self.handle.flush()
            self.flushed = now

    def finish(self) -> None:
        self.handle.close()
        self.partial.replace(self.final)


def progress_line(line: ReportLine, done: int, total: int | None) -> str:
    detail = (
        f"pages={line.pages} facts={line.facts} ms={line.milliseconds}"
        if line.status in (ReportStatus.OK, ReportStatus.FAILED)
        else ""
    )
    reason = f" reason={line.reason}" if line.reason else ""
    of = total if total is not None else "?"
    return f"{datetime.now(UTC).isoformat(timespec='seconds')} {line.status:<7} [{done}/{of}] {line.path} {detail}{reason}".rstrip()


def as_dict(summary: Summary) -> dict[str, Any]:
    return {key: value for key, value in summary.__dict__.items() if key != "report"}
