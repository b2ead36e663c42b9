"""Shared paths and markers.

Tests that read the real documents in ../shared skip with a reason where that folder is
absent, so a fresh clone anywhere still passes on the project's own samples.
"""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the shared corpus is not here ({CORPUS}); it lives beside the project root",
)


@pytest.fixture(scope="session")
def seed_txt() -> Path:
    return SAMPLES / "seed.txt"
