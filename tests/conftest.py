"""Shared paths and markers.

Tests that read the real documents in ../shared skip with a reason where that folder is
absent, so a fresh clone anywhere still passes on the project's own samples.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
GOLDEN = Path(__file__).resolve().parent / "golden"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"

# The cache of compiled regexes goes to a folder of this test run (the CLI's subprocesses
# inherit it), never to the user's own cache.
_REGEX_CACHE = tempfile.mkdtemp(prefix="budget-notes-test-cache-")
os.environ["BUDGET_NOTES_CACHE"] = _REGEX_CACHE
atexit.register(shutil.rmtree, _REGEX_CACHE, ignore_errors=True)

needs_shared = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the shared corpus is not here ({CORPUS}); it lives beside the project root",
)


@pytest.fixture(scope="session")
def seed_txt() -> Path:
    return SAMPLES / "seed.txt"
