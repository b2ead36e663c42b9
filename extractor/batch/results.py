"""What passes between the main process and the workers: a task (one file to process) and
its result, rendered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..export import document_id, document_json, render_parts
from ..models import Document, DocumentStatus, Problem
from ..problems import ProblemCode
from .retries import failure_class


@dataclass(frozen=True)
class Hashed:
    """A file's digest as the main process computed it, and the file as it was then."""

    sha256: str
    size: int
    mtime_ns: int  # -1: modified too recently to be trusted as unchanged later
    inode: int


@dataclass(frozen=True)
class Task:
    path: str
    stem: str  # the output name reserved for it, decided in input order
    hashed: Hashed | None = None  # hashed while planning: the worker need not hash it again


@dataclass
class WorkResult:
    """One file's outcome, rendered: the JSON and the combined tables' rows as text, and the
    counts the report needs (the worker does the rendering; the main process only writes)."""

    path: str
    sha256: str  # "" when the file could not be read at all
    size: int
    mtime_ns: int  # as seen when the bytes were read; -1: not to be trusted next run
    milliseconds: int
    document_id: str
    status: str
    errors: list[Problem]
    pages: int | None
    facts: int
    warnings: int
    checks_failed: int
    errors_found: int
    json_text: str
    parts: dict[str, str]

    @classmethod
    def of(
        cls,
        path: str,
        document: Document,
        milliseconds: int,
        mtime_ns: int,
        optional: Sequence[str] = (),
    ) -> WorkResult:
        failed = [c for c in document.checks if not c.passed]
        return cls(
            path=path,
            sha256=document.source.sha256,
            size=document.source.size_bytes,
            mtime_ns=mtime_ns,
            milliseconds=milliseconds,
            document_id=document_id(document),
            status=document.status,
            errors=document.errors,
            pages=document.source.pages,
            facts=len(document.facts),
            warnings=len(document.warnings),
            checks_failed=len(failed),
            errors_found=sum(1 for c in failed if c.severity == "error"),
            json_text=document_json(document),
            parts=render_parts(document, optional),
        )

    @classmethod
    def unreadable(cls, path: str, message: str, milliseconds: int) -> WorkResult:
        problem = Problem(code=ProblemCode.UNREADABLE_FILE, message=message)
        status = DocumentStatus.FAILED
        return cls(path, "", 0, -1, milliseconds, "", status, [problem], None, 0, 0, 0, 0, "", {})

    @property
    def reason(self) -> str | None:
        return "; ".join(f"{p.code}: {p.message}" for p in self.errors) or None

    @property
    def failure(self) -> str | None:
        return (
            failure_class([p.code for p in self.errors])
            if self.status != DocumentStatus.OK
            else None
        )
