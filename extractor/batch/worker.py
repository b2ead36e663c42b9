"""One file → one result, in a worker: read the file once, hash and parse those bytes.

A file that changes while it is read is a passing failure, read again next run. The main
process uses the same reading here when it hashes a file to plan, and when it records a file
that killed or outlived its worker.
"""

from __future__ import annotations

import hashlib
import os
import time
import traceback
from collections.abc import Sequence
from pathlib import Path

from ..models import Document
from ..pipeline import Options, extract, failed_document
from ..problems import ProblemCode
from .results import Hashed, WorkResult

# A file modified this close to the moment it was read may be written again within the same
# tick of the file system's clock: its modification time is not trusted as a sign of
# unchanged content, and the next run hashes it.
RACY_NS = 2_000_000_000


def process_file(
    path: str, options: Options, hashed: Hashed | None = None, optional: Sequence[str] = ()
) -> WorkResult:
    """Read the file once, hash and parse those bytes; a file that changed while it was read
    (or parsed) is a passing failure, not a result. ``hashed``: the digest the main process
    computed when it planned the file, used when the file is provably the one it hashed;
    ``optional``: the optional parts to render (``extractor.export.OPTIONAL_PARTS``)."""
    started = time.perf_counter()
    file = Path(path)

    def elapsed() -> int:
        return int((time.perf_counter() - started) * 1000)

    try:
        before = file.stat()
        # A file over the size limit is not read: the pipeline refuses it by its size.
        data = file.read_bytes() if before.st_size <= options.limits.max_bytes else None
        after = file.stat()
    except OSError as exc:
        return WorkResult.unreadable(
            path, f"the file cannot be read: {exc.strerror or exc}", elapsed()
        )
    read_at = time.time_ns()
    if moved(before, after) or (data is not None and len(data) != after.st_size):
        document = _changed_while_reading(file, data)
    else:
        document = _extract(file, options, data, _known_digest(hashed, after, data))
        try:
            if moved(after, file.stat()):
                document = _changed_while_reading(file, data)
        except OSError:
            document = _changed_while_reading(file, data)
    mtime = after.st_mtime_ns if read_at - after.st_mtime_ns > RACY_NS else -1
    return WorkResult.of(path, document, elapsed(), mtime, optional)


def _known_digest(hashed: Hashed | None, seen: os.stat_result, data: bytes | None) -> str | None:
    """The planner's digest, when the bytes read are those it hashed: the same file (inode),
    size and modification time, which was old enough then to be trusted — the trust the
    manifest puts in an unchanged size and time when it skips a file unread."""
    if hashed is None or data is None or hashed.mtime_ns == -1:
        return None
    if (hashed.size, hashed.mtime_ns, hashed.inode) != (len(data), seen.st_mtime_ns, seen.st_ino):
        return None
    return hashed.sha256


def moved(before: os.stat_result, after: os.stat_result) -> bool:
    return (before.st_size, before.st_mtime_ns, before.st_ino) != (
        after.st_size,
        after.st_mtime_ns,
        after.st_ino,
    )


def _changed_while_reading(file: Path, data: bytes | None) -> Document:
    return failed_document(
        file,
        ProblemCode.CHANGED_WHILE_READING,
        "the file changed while it was read (still being written?); it is read again next run",
        data=data,
    )


def _extract(file: Path, options: Options, data: bytes | None, sha256: str | None) -> Document:
    try:
        return extract(str(file), options, data=data, sha256=sha256)
    except MemoryError:
        return failed_document(
            file,
            ProblemCode.MEMORY_LIMIT,
            "the file needed more memory than the per-file cap (--max-memory)",
            data=data,
        )
    except RecursionError:
        return failed_document(
            file, ProblemCode.INTERNAL_ERROR, "the file's structure is nested too deeply", data=data
        )
    except Exception as exc:  # a bug: keep the batch going, record it in full
        return failed_document(
            file,
            ProblemCode.INTERNAL_ERROR,
            f"internal error ({type(exc).__name__}): {exc}",
            detail=traceback.format_exc(limit=8),
            data=data,
        )


def failed_in_main(
    path: str, code: ProblemCode, message: str, optional: Sequence[str] = ()
) -> WorkResult:
    """A failure the main process saw (time limit, dead worker); hashed here, streaming."""
    document = failed_document(Path(path), code, message)
    result = WorkResult.of(path, document, 0, -1, optional)
    if document.source.size_bytes == 0 and not Path(path).exists():
        result.sha256 = ""  # gone: nothing to store
    return result


def hash_file(path: Path) -> Hashed | None:
    """The file's digest and how it was, or None if it cannot be read or changed meanwhile."""
    digest = hashlib.sha256()
    try:
        before = path.stat()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        after = path.stat()
    except OSError:
        return None
    if moved(before, after):
        return None
    mtime = after.st_mtime_ns if time.time_ns() - after.st_mtime_ns > RACY_NS else -1
    return Hashed(digest.hexdigest(), after.st_size, mtime, after.st_ino)
