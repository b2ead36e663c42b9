"""The output folder: made ready, held by one run at a time, proven writable."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
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
    try:
        release = _lock(out / LOCK_NAME)
    except _HeldError as exc:
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
        release()


class _HeldError(Exception):
    """Another process holds the lock."""


def _lock(path: Path) -> Callable[[], None]:
    """Take the lock on ``path`` without waiting and return what releases it. On a Unix this
    is flock(2) itself, as filelock takes it there (and compatible with it), without the 0.06 s
    that importing filelock costs every run; elsewhere filelock's portable lock."""
    try:
        import fcntl
    except ImportError:
        return _portable_lock(path)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(handle)
        raise _HeldError from None
    except OSError:
        os.close(handle)
        raise

    def release() -> None:
        fcntl.flock(handle, fcntl.LOCK_UN)
        os.close(handle)

    return release


def _portable_lock(path: Path) -> Callable[[], None]:
    from filelock import FileLock, Timeout

    lock = FileLock(path, timeout=0)
    try:
        lock.acquire()
    except Timeout as exc:
        raise _HeldError from exc
    return lock.release
