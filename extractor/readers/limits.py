"""Size limits that keep one file from sinking a batch (every one a CLI option); no imports
beyond the standard library, so the command line can show them without loading a reader."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Size limits that keep one file from sinking a batch (all configurable on the CLI)."""

    max_bytes: int = 200 * 1024 * 1024
    max_pages: int = 2000
    max_docx_uncompressed: int = 300 * 1024 * 1024
    max_docx_ratio: int = 200
    max_docx_members: int = 5000
    max_text_chars: int = 20_000_000
