"""The output folder: made ready, held by one run at a time, proven writable."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .options import CannotRunError

LOCK_NAME = ".budget-notes.lock"


def prepare_out(out: Path) -> Path:
    if out.exists() and not out.is_dir():
        raise CannotRunError(f"--out {out} exists and is not a folder")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CannotRunError(f"cannot create --out {out}: {exc.strerror or exc}") from exc
    return out


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """One run per output folder. The lock is the kernel's (flock): it goes with the process,
    even one killed with SIGKILL."""
    from filelock import FileLock, Timeout

    lock = FileLock(out / LOCK_NAME, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise CannotRunError(
            f"another budget-notes run is using {out} (lock {out / LOCK_NAME}); nothing done"
        ) from exc
    except OSError as exc:
        raise CannotRunError(f"cannot write to --out {out}: {exc.strerror or exc}") from exc
    try:
        try:  # a read-only folder or file system shows here, before anything is written
            handle, probe = tempfile.mkstemp(prefix=".probe.", suffix=".tmp", dir=out)
            os.close(handle)
            Path(probe).unlink()
        except OSError as exc:
            raise CannotRunError(f"cannot write to --out {out}: {exc.strerror or exc}") from exc
        yield
    finally:
        lock.release()
