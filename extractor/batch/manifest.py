"""The output folder's memory: which inputs were seen, what content they held, what came of it.

A SQLite database (``manifest.sqlite`` in the output folder) with two tables, both looked up
by index only, so that a run's cost does not grow with what earlier runs stored:

* ``contents``, one row per file content (sha256): its outputs (stem, document id), the path
  its outputs are labelled with, its outcome and failure class, and the *settings* key — the
  tool, pattern and schema versions and every option that changes a result. A row is done
  when its settings are the current ones and it did not fail for a passing reason.
* ``paths``, one row per input path: the content it held when last read, with the size and
  modification time it had then (an unchanged size and time means unchanged content, so a
  nothing-to-do run reads no file), and the number of the last run that saw it (``--prune``).

Each stored result is one transaction. The schema has a version (``PRAGMA user_version``)
and is migrated forward. A copy of each content row is written next to its part files
(``parts/<document>.manifest.json``), so that a corrupt database is set aside and rebuilt
from the outputs present.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..problems import FailureClass

SCHEMA = 2  # 1: the single ``documents`` table of the first releases (no user_version)
NAME = "manifest.sqlite"

_TABLES = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE contents (
    sha256 TEXT PRIMARY KEY,
    size INTEGER NOT NULL,
    document_id TEXT NOT NULL,
    output_stem TEXT NOT NULL,
    label_path TEXT NOT NULL,
    status TEXT NOT NULL,
    failure TEXT,
    reason TEXT,
    settings TEXT NOT NULL,
    pages INTEGER,
    facts INTEGER NOT NULL DEFAULT 0,
    warnings INTEGER NOT NULL DEFAULT 0,
    checks_failed INTEGER NOT NULL DEFAULT 0,
    processed_at TEXT NOT NULL,
    stored_run INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX contents_stored_run ON contents (stored_run);
CREATE INDEX contents_size ON contents (size);
CREATE UNIQUE INDEX contents_stem ON contents (output_stem);
CREATE TABLE paths (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    seen INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX paths_sha256 ON paths (sha256);
CREATE INDEX paths_seen ON paths (seen);
"""

_CONTENT_COLUMNS = (
    "sha256, size, document_id, output_stem, label_path, status, failure, reason, settings,"
    " pages, facts, warnings, checks_failed, processed_at, stored_run"
)
_PLACES = ",".join("?" * 15)
_LOOKUP = (
    "SELECT p.path, p.sha256, p.size, p.mtime_ns, p.seen, "
    + ", ".join(f"c.{column.strip()}" for column in _CONTENT_COLUMNS.split(","))
    + " FROM paths p LEFT JOIN contents c ON c.sha256 = p.sha256 WHERE p.path = ?"
)


class ManifestError(Exception):
    """The manifest cannot be read: damaged, or not a database at all."""


class ManifestTooNewError(ManifestError):
    """Written by a newer version of budget-notes, with a schema this one does not know."""


@dataclass(frozen=True)
class Content:
    sha256: str
    size: int
    document_id: str
    output_stem: str
    label_path: str  # the input path its outputs name (source.path, documents.csv)
    status: str  # ok | failed
    failure: str | None  # None (ok), "transient" (retried next run) or "permanent"
    reason: str | None
    settings: str
    pages: int | None = None
    facts: int = 0
    warnings: int = 0
    checks_failed: int = 0
    processed_at: str = field(default_factory=lambda: _now())
    stored_run: int = 0  # the run that stored it (see ``Manifest.suspects``)

    def done(self, settings: str) -> bool:
        """Nothing to do for this content under ``settings``."""
        return self.settings == settings and self.failure != FailureClass.TRANSIENT


@dataclass(frozen=True)
class PathRecord:
    path: str
    sha256: str
    size: int
    mtime_ns: int
    seen: int


@dataclass
class Change:
    """What a change of paths left behind: contents no path refers to any more (their
    outputs go), and contents whose labelled path is gone but which other paths still hold
    (their outputs are relabelled)."""

    orphans: list[Content] = field(default_factory=list)
    unlabelled: list[Content] = field(default_factory=list)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class Manifest:
    def __init__(self, path: Path) -> None:
        self.file = path
        try:
            self.db = sqlite3.connect(path, isolation_level=None, timeout=10)
        except sqlite3.Error as exc:
            raise ManifestError(f"cannot open {path.name}: {exc}") from exc
        try:
            self._check_and_migrate()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            raise ManifestError(f"{path.name} is damaged ({exc})") from exc
        except ManifestError:
            self.db.close()
            raise

    @classmethod
    def open(cls, out: Path, warn: Callable[[str], None]) -> Manifest:
        """The output folder's manifest; a damaged one is set aside (with a warning) and a new
        one rebuilt from the content records beside the part files."""
        path = out / NAME
        try:
            return cls(path)
        except ManifestTooNewError:
            raise
        except ManifestError as problem:
            aside = set_aside(path)
            manifest = cls(path)
            count = manifest.rebuild(read_records(out))
            warn(
                f"warning: {problem}; set aside as {aside.name} and rebuilt from the outputs"
                f" present ({count} documents)"
            )
            return manifest

    # --- opening ------------------------------------------------------------------------------

    def _check_and_migrate(self) -> None:
        rows = self.db.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            raise sqlite3.DatabaseError("; ".join(str(r[0]) for r in rows[:3]))
        self.db.execute("PRAGMA journal_mode=WAL")
        # WAL with NORMAL cannot corrupt; a power cut may lose the last results, which are
        # then processed again (their outputs are written before their rows).
        self.db.execute("PRAGMA synchronous=NORMAL")
        version = _schema_version(self.db)
        if version == 0:  # a new database
            with self.transaction():
                _create(self.db)
                self.db.execute(f"PRAGMA user_version = {SCHEMA}")
            return
        if version > SCHEMA:
            raise ManifestTooNewError(
                f"{self.file.name} was written by a newer budget-notes (manifest schema"
                f" {version}, this version knows {SCHEMA}); upgrade budget-notes"
            )
        while version < SCHEMA:
            with self.transaction():
                _MIGRATIONS[version](self.db)
                version += 1
                self.db.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        self.db.close()

    def transaction(self) -> sqlite3.Connection:
        """``with manifest.transaction():`` — BEGIN … COMMIT, or ROLLBACK on an error."""
        return _Transaction(self.db)  # type: ignore[return-value]

    # --- runs and combined tables -------------------------------------------------------------

    def begin_run(self) -> tuple[int, int]:
        """This run's number, and that of the last run that ended with its outputs flushed
        to disk (results stored by later runs may have lost files in a power cut)."""
        with self.transaction():
            run = int(self._meta("run") or 0) + 1
            self._set_meta("run", str(run))
        return run, int(self._meta("clean_run") or 0)

    def end_run(self, run: int) -> None:
        """Every output of the run is on disk (the caller synced the file system)."""
        with self.transaction():
            self._set_meta("clean_run", str(run))

    def suspects(self, clean_run: int) -> Iterator[Content]:
        """Contents stored by runs that did not end cleanly."""
        rows = self.db.execute(
            f"SELECT {_CONTENT_COLUMNS} FROM contents WHERE stored_run > ?", (clean_run,)
        ).fetchall()
        return (Content(*row) for row in rows)

    def needs_combine(self, settings: str) -> bool:
        return self._meta("combined") != settings

    def mark_combined(self, settings: str) -> None:
        with self.transaction():
            self._set_meta("combined", settings)

    def _meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def _set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def _changed(self) -> None:
        """Inside a transaction: the combined tables are out of date."""
        self.db.execute("DELETE FROM meta WHERE key = 'combined'")

    # --- lookups (each by index) ---------------------------------------------------------------

    def path(self, path: str) -> PathRecord | None:
        row = self.db.execute(
            "SELECT path, sha256, size, mtime_ns, seen FROM paths WHERE path = ?", (path,)
        ).fetchone()
        return PathRecord(*row) if row else None

    def lookup(self, path: str) -> tuple[PathRecord | None, Content | None]:
        """A path's record and the content it held, in one query."""
        row = self.db.execute(_LOOKUP, (path,)).fetchone()
        if row is None:
            return None, None
        return PathRecord(*row[:5]), Content(*row[5:]) if row[5] is not None else None

    def content(self, sha256: str) -> Content | None:
        row = self.db.execute(
            f"SELECT {_CONTENT_COLUMNS} FROM contents WHERE sha256 = ?", (sha256,)
        ).fetchone()
        return Content(*row) if row else None

    def has_size(self, size: int) -> bool:
        """Whether some stored content has this size: only then can a file at a new path be
        a copy or a rename of it, and is worth hashing before it is processed."""
        return (
            self.db.execute("SELECT 1 FROM contents WHERE size = ?", (size,)).fetchone() is not None
        )

    def stem_owner(self, stem: str) -> Content | None:
        row = self.db.execute(
            f"SELECT {_CONTENT_COLUMNS} FROM contents WHERE output_stem = ?", (stem,)
        ).fetchone()
        return Content(*row) if row else None

    def other_paths(self, sha256: str, path: str, limit: int = 1) -> list[str]:
        rows = self.db.execute(
            "SELECT path FROM paths WHERE sha256 = ? AND path != ? ORDER BY path LIMIT ?",
            (sha256, path, limit),
        ).fetchall()
        return [str(row[0]) for row in rows]

    def document_ids(self) -> Iterator[str]:
        for (document_id,) in self.db.execute(
            "SELECT document_id FROM contents ORDER BY document_id"
        ):
            yield str(document_id)

    def stored_outputs(self) -> Iterator[tuple[str, str]]:
        """(document id, output stem) of every stored result, by document id."""
        for doc, stem in self.db.execute(
            "SELECT document_id, output_stem FROM contents ORDER BY document_id"
        ):
            yield str(doc), str(stem)

    def counts(self) -> tuple[int, int]:
        """(contents, paths)."""
        contents = self.db.execute("SELECT count(*) FROM contents").fetchone()[0]
        paths = self.db.execute("SELECT count(*) FROM paths").fetchone()[0]
        return int(contents), int(paths)

    def unseen_paths(self, run: int, chunk: int = 500) -> Iterator[str]:
        """Paths no input of run ``run`` had, in order; safe to remove while iterating."""
        last = ""
        while True:
            rows = self.db.execute(
                "SELECT path FROM paths WHERE seen != ? AND path > ? ORDER BY path LIMIT ?",
                (run, last, chunk),
            ).fetchall()
            if not rows:
                return
            for (path,) in rows:
                last = str(path)
                yield last

    # --- changes (one transaction each) --------------------------------------------------------

    def mark_seen(self, paths: list[str], run: int) -> None:
        if paths:
            with self.transaction():
                self.db.executemany(
                    "UPDATE paths SET seen = ? WHERE path = ?", [(run, p) for p in paths]
                )

    def store(self, content: Content, path: str, size: int, mtime_ns: int, run: int) -> Change:
        """A processed result: ``path`` now holds ``content`` (replacing any earlier row of
        that content). A content that still owned the stem goes (the caller has moved any
        copies of it elsewhere first)."""
        with self.transaction():
            displaced = self.stem_owner(content.output_stem)
            orphans = []
            if displaced is not None and displaced.sha256 != content.sha256:
                self.db.execute("DELETE FROM contents WHERE sha256 = ?", (displaced.sha256,))
                self.db.execute("DELETE FROM paths WHERE sha256 = ?", (displaced.sha256,))
                orphans.append(displaced)
            self.db.execute(
                f"INSERT OR REPLACE INTO contents ({_CONTENT_COLUMNS}) VALUES ({_PLACES})",
                tuple(asdict(content).values()),
            )
            change = self._point(path, content.sha256, size, mtime_ns, run)
            change.orphans[:0] = orphans
            self._changed()
        return change

    def link(self, path: str, sha256: str, size: int, mtime_ns: int, run: int) -> Change:
        """``path`` holds content that is already stored (a copy, a rename, a touched file)."""
        with self.transaction():
            change = self._point(path, sha256, size, mtime_ns, run)
            self._changed()
        return change

    def relabel(self, sha256: str, label_path: str, output_stem: str, run: int) -> None:
        with self.transaction():
            self.db.execute(
                "UPDATE contents SET label_path = ?, output_stem = ?, stored_run = ?"
                " WHERE sha256 = ?",
                (label_path, output_stem, run, sha256),
            )
            self._changed()

    def expire(self, sha256: str) -> None:
        """Make a content be processed again (its outputs could not be relabelled)."""
        with self.transaction():
            self.db.execute("UPDATE contents SET settings = '' WHERE sha256 = ?", (sha256,))

    def remove_path(self, path: str) -> Change:
        with self.transaction():
            record = self.path(path)
            self.db.execute("DELETE FROM paths WHERE path = ?", (path,))
            change = self._left(record.sha256, path) if record else Change()
            self._changed()
        return change

    def remove_pathless(self) -> list[Content]:
        """Contents no path refers to (after a rebuild, their inputs were never seen again)."""
        with self.transaction():
            rows = self.db.execute(
                f"SELECT {_CONTENT_COLUMNS} FROM contents"
                " WHERE NOT EXISTS (SELECT 1 FROM paths WHERE paths.sha256 = contents.sha256)"
            ).fetchall()
            for row in rows:
                self.db.execute("DELETE FROM contents WHERE sha256 = ?", (row[0],))
            if rows:
                self._changed()
        return [Content(*row) for row in rows]

    def _point(self, path: str, sha256: str, size: int, mtime_ns: int, run: int) -> Change:
        previous = self.path(path)
        self.db.execute(
            "INSERT OR REPLACE INTO paths VALUES (?,?,?,?,?)", (path, sha256, size, mtime_ns, run)
        )
        if previous is None or previous.sha256 == sha256:
            return Change()
        return self._left(previous.sha256, path)

    def _left(self, sha256: str, path: str) -> Change:
        """``path`` no longer holds content ``sha256``: delete the content if no path does."""
        content = self.content(sha256)
        if content is None:
            return Change()
        if not self.other_paths(sha256, path):
            self.db.execute("DELETE FROM contents WHERE sha256 = ?", (sha256,))
            return Change(orphans=[content])
        if content.label_path == path:
            return Change(unlabelled=[content])
        return Change()

    # --- rebuilding from the outputs ----------------------------------------------------------

    def rebuild(self, records: Iterator[Content]) -> int:
        count = 0
        with self.transaction():
            for content in records:
                try:
                    self.db.execute(
                        f"INSERT INTO contents ({_CONTENT_COLUMNS}) VALUES ({_PLACES})",
                        tuple(asdict(content).values()),
                    )
                    count += 1
                except sqlite3.IntegrityError:  # two records claim one stem or content
                    continue
        return count


class _Transaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind: object, value: object, traceback: object) -> None:
        if kind is None:
            self.db.execute("COMMIT")
        else:
            self.db.execute("ROLLBACK")


# --- schema versions --------------------------------------------------------------------------


def _schema_version(db: sqlite3.Connection) -> int:
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version:
        return version
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if "documents" in tables:
        return 1
    return 0


def _create(db: sqlite3.Connection) -> None:
    for statement in _TABLES.split(";"):
        if statement.strip():
            db.execute(statement)


def _from_legacy(db: sqlite3.Connection) -> None:
    """Schema 1 keyed contents by hash and versions only, not by options: its contents keep
    their output names and paths, but are all processed once more (settings unknown)."""
    rows = db.execute(
        "SELECT sha256, document_id, output_stem, status, reason, paths, processed_at"
        " FROM documents"
    ).fetchall()
    db.execute("ALTER TABLE documents RENAME TO documents_schema1")
    _create(db)
    for sha, document_id, stem, status, reason, paths_json, processed_at in rows:
        paths = sorted(json.loads(paths_json)) or [""]
        try:
            db.execute(
                f"INSERT INTO contents ({_CONTENT_COLUMNS}) VALUES ({_PLACES})",
                (
                    sha,
                    -1,
                    document_id,
                    stem,
                    paths[0],
                    status,
                    None,
                    reason,
                    "",
                    None,
                    0,
                    0,
                    0,
                    processed_at,
                    0,
                ),
            )
        except sqlite3.IntegrityError:
            continue
        for path in filter(None, paths):
            db.execute("INSERT OR IGNORE INTO paths VALUES (?,?,?,?,?)", (path, sha, -1, -1, 0))
    db.execute("DROP TABLE documents_schema1")


# Each migration takes the database from version N to N + 1, inside one transaction.
_MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _from_legacy}


# --- the copy of each content row beside its parts ------------------------------------------


def record_path(out: Path, document_id: str) -> Path:
    return out / "parts" / f"{document_id}.manifest.json"


def record_text(content: Content) -> str:
    return json.dumps(asdict(content), ensure_ascii=False, sort_keys=True) + "\n"


def read_records(out: Path) -> Iterator[Content]:
    parts = out / "parts"
    if not parts.is_dir():
        return
    known = set(Content.__dataclass_fields__)
    for path in sorted(parts.glob("*.manifest.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            yield Content(**{k: v for k, v in data.items() if k in known})
        except (OSError, ValueError, TypeError):
            continue


def set_aside(path: Path) -> Path:
    """Rename a damaged database (and its WAL files) out of the way; return the new name."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        source = path.with_name(path.name + suffix)
        if source.exists():
            source.replace(target.with_name(target.name + suffix))
    return target
