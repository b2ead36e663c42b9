"""Outputs reach the disk once per run, not once per file: the flush at the end, and after a
run that did not end cleanly, the check of what it stored and the clean-up of its leftovers."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import cast

from .manifest import Content, record_path


def sync_to_disk(folder: Path, within: float) -> bool:
    """Flush the file system holding ``folder`` to disk: one journal commit for a result's
    eight files, where an fsync of each would cost eight (``syncfs`` on Linux). The flush also
    waits for every other program's writes to that file system (a scraper saving files beside
    the run can make it take minutes), so it is waited for ``within`` seconds at most: False
    when it had not finished by then (it goes on in the background)."""
    finished = threading.Event()

    def flush() -> None:
        with suppress(OSError):
            _flush(folder)
        finished.set()

    threading.Thread(target=flush, name="sync-to-disk", daemon=True).start()
    return finished.wait(within)


def _flush(folder: Path) -> None:
    global _syncfs
    if _syncfs is None:
        _syncfs = _find_syncfs()
    handle = os.open(folder, os.O_RDONLY)
    try:
        if _syncfs(handle) != 0:
            os.sync()
    finally:
        os.close(handle)


_syncfs: Callable[[int], int] | None = None


def _find_syncfs() -> Callable[[int], int]:
    try:
        import ctypes

        function = ctypes.CDLL(None, use_errno=True).syncfs
        function.argtypes = [ctypes.c_int]
        return cast(Callable[[int], int], function)
    except (OSError, AttributeError):  # not Linux
        return _sync_everything


def _sync_everything(handle: int) -> int:
    if hasattr(os, "sync"):
        os.sync()
    return 0


def outputs_present(out: Path, content: Content) -> bool:
    """Every file of a stored result is there and not empty (it reached the disk)."""
    for path in (
        out / f"{content.output_stem}.json",
        out / "parts" / f"{content.document_id}.documents.csv",
        record_path(out, content.document_id),
    ):
        try:
            if path.stat().st_size == 0:
                return False
        except OSError:
            return False
    return True


def remove_stale_temporaries(out: Path) -> None:
    """Temporary files of a run that was killed before it could rename them (the lock says
    no other run is writing them)."""
    for folder in (out, out / "parts"):
        if folder.is_dir():
            for path in folder.glob(".*.tmp"):
                path.unlink(missing_ok=True)
