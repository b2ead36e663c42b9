"""budget-notes: Chinese government budget notes → validated, source-grounded records."""

from __future__ import annotations

__version__ = "0.1.0"

from . import extract as _extract_module  # noqa: F401  (bind the submodule before the function)
from .models import Document


def extract(path: str, **options: object) -> Document:
    """Extract one budget note (PDF, DOCX or text) into a :class:`Document`."""
    from .pipeline import Options
    from .pipeline import extract as run

    return run(path, Options(**options))  # type: ignore[arg-type]


__all__ = ["Document", "__version__", "extract"]
