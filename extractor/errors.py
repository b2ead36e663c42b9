"""Input problems, kept apart from internal defects.

A broken or unsuitable input raises :class:`InputError`; the pipeline turns it into an
error record on the document (status ``failed``) and the batch goes on. Anything else that
raises is a bug in this package and is reported as such.
"""

from __future__ import annotations

from .models import Problem
from .problems import ProblemCode


class InputError(Exception):
    """The input cannot be processed; ``code`` is a stable, documented reason."""

    def __init__(
        self,
        code: ProblemCode,
        message: str,
        *,
        pages: list[int] | None = None,
        detail: str | None = None,
    ) -> None:
        super().__init__(message)
        # A code not in the registry is a bug here, not a problem of the input: it raises.
        self.code = ProblemCode(code)
        self.message = message
        self.pages = pages or []
        self.detail = detail

    def to_problem(self) -> Problem:
        return Problem(code=self.code, message=self.message, pages=self.pages, detail=self.detail)
