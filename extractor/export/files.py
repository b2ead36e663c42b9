"""Files written whole or not at all, and output names that stay inside the output folder."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import regex

_UNSAFE = regex.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")
# Output names the batch itself writes beside the documents' JSON.
_RESERVED_STEMS = {"datapackage"}


def write_atomic(path: Path, data: str | bytes, *, sync: bool = True) -> None:
    """Write to a temporary file next to ``path``, flush it to disk, then rename over it.
    ``sync=False``: no flush to disk of its own (the caller syncs a whole batch of files at
    once before it records them as done)."""
    with atomic_file(path, sync=sync) as stream:
        stream.write(data.encode("utf-8") if isinstance(data, str) else data)


@contextmanager
def atomic_file(path: Path, *, sync: bool = True) -> Iterator[IO[bytes]]:
    """A binary stream that replaces ``path`` only once it is complete (and, with ``sync``,
    on disk); removed if the block raises."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def safe_stem(name: str) -> str:
    """A file name stem that stays inside the output folder whatever the input was called
    (and is not the name of a file the batch writes itself)."""
    stem = Path(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem.lstrip(".") else stem
    stem = _UNSAFE.sub("_", stem).strip(" .")
    stem = stem[:120] or "document"
    return f"{stem}_" if stem.lower() in _RESERVED_STEMS else stem


def inside(root: Path, path: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True
