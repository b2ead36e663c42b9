"""budget-notes: Chinese government budget notes → validated, source-grounded records.

``import extractor`` loads nothing else: ``extractor.extract(path)`` imports the pipeline on
first call, so ``budget-notes --version`` and ``--help`` start without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .models import Document


def extract(path: str, **options: Any) -> Document:
    """Extract one budget note (PDF, DOCX, HTML or text) into a :class:`Document`."""
    from .pipeline import Options
    from .pipeline import extract as run

    return run(path, Options(**options))


__all__ = ["__version__", "extract"]
