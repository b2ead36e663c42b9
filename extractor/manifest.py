"""The output folder's memory: which file contents were processed, by which versions.

A SQLite database (``manifest.sqlite`` in the output folder) keyed by the content hash: a
renamed file is recognised as done, a changed one is processed again, and a new tool or
pattern version re-processes everything. SQLite's transactions keep it whole if the process
is killed at any moment.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    sha256 TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    output_stem TEXT NOT NULL,
    status TEXT NOT NULL,
    reason TEXT,
    tool_version TEXT NOT NULL,
    patterns_version TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    paths TEXT NOT NULL,
    processed_at TEXT NOT NULL
)
"""


@dataclass
class Entry:
    sha256: str
    document_id: str
    output_stem: str
    status: str
    reason: str | None
    tool_version: str
    patterns_version: str
    schema_version: str
    paths: list[str]
    processed_at: str


class Manifest:
    def __init__(self, out: Path) -> None:
        out.mkdir(parents=True, exist_ok=True)
        self.path = out / "manifest.sqlite"
        self.db = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def get(self, sha256: str) -> Entry | None:
        row = self.db.execute("SELECT * FROM documents WHERE sha256 = ?", (sha256,)).fetchone()
        return _entry(row) if row else None

    def by_path(self, path: str) -> list[Entry]:
        rows = self.db.execute("SELECT * FROM documents").fetchall()
        return [entry for entry in map(_entry, rows) if path in entry.paths]

    def stems(self) -> dict[str, str]:
        """output stem → sha256 of the content that owns it."""
        return {
            row[0]: row[1] for row in self.db.execute("SELECT output_stem, sha256 FROM documents")
        }

    def all(self) -> list[Entry]:
        return [_entry(row) for row in self.db.execute("SELECT * FROM documents ORDER BY sha256")]

    def put(self, entry: Entry) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                entry.sha256,
                entry.document_id,
                entry.output_stem,
                entry.status,
                entry.reason,
                entry.tool_version,
                entry.patterns_version,
                entry.schema_version,
                json.dumps(sorted(set(entry.paths)), ensure_ascii=False),
                entry.processed_at,
            ),
        )

    def add_path(self, sha256: str, path: str) -> None:
        entry = self.get(sha256)
        if entry and path not in entry.paths:
            entry.paths.append(path)
            self.put(entry)

    def forget_path(self, path: str, keep: str) -> list[Entry]:
        """The file at ``path`` now has other content (``keep``): drop it from older entries;
        return the entries no path refers to any more."""
        orphans = []
        for entry in self.by_path(path):
            if entry.sha256 == keep:
                continue
            entry.paths = [p for p in entry.paths if p != path]
            if entry.paths:
                self.put(entry)
            else:
                self.db.execute("DELETE FROM documents WHERE sha256 = ?", (entry.sha256,))
                orphans.append(entry)
        return orphans


def _entry(row: tuple[str, ...]) -> Entry:
    return Entry(
        sha256=row[0],
        document_id=row[1],
        output_stem=row[2],
        status=row[3],
        reason=row[4],
        tool_version=row[5],
        patterns_version=row[6],
        schema_version=row[7],
        paths=json.loads(row[8]),
        processed_at=row[9],
    )
