"""Rule files as parsed before, kept between runs in the cache folder of compiled regexes.

PyYAML builds every node of a file in Python, even with libyaml's parser: the rule files take
about a tenth of a second to read in every process that loads the rules. What a file parses to
depends only on its bytes (and on PyYAML), so a store keeps each file's data, pickled, under the
SHA-256 of those bytes: an edited file is simply parsed again, and one file holds the data of
every version in use.

The data of a rule file is plain (mappings, lists, strings, numbers, booleans, null). Each
entry is loaded with an unpickler that may name no class or function at all, so a file put
there by someone else can do no more than fail to load; a file whose data is not plain (a
YAML date, say) is not kept. Any fault reading or writing the store is silent: the files are
then parsed as if there were none. ``BUDGET_NOTES_CACHE=off`` turns it off with the rest.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import pickle
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .regexes import write_atomic

_FORMAT = 1
# Entries kept when the file is rewritten: those this process read, and no more than this many
# others (older versions of files being edited).
_MAX_OTHERS = 200


def store_file(folder: Path | None) -> Path | None:
    """The store's file in ``folder`` for this PyYAML, Python and code. PyYAML is named by its
    package's source (which holds its version), found without importing it."""
    if folder is None:
        return None
    key = hashlib.sha256()
    for part in (str(_FORMAT), sys.version):
        key.update(part.encode() + b"\0")
    key.update(_yaml_source())
    key.update(Path(__file__).read_bytes())
    return folder / f"rules-{key.hexdigest()[:16]}.pickle"


def _yaml_source() -> bytes:
    spec = importlib.util.find_spec("yaml")
    if spec is None or spec.origin is None:
        return b"no yaml"
    try:
        return Path(spec.origin).read_bytes()
    except OSError:
        return b"unreadable yaml"


class ParsedStore:
    """Each rule file's parsed data by the SHA-256 of its bytes."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._entries: dict[str, bytes] | None = None  # read on first use
        self._used: set[str] = set()
        self.added = 0  # parsed here rather than loaded: what the next save writes

    def parse(self, content: bytes, parse: Callable[[bytes], Any]) -> Any:
        """The data ``parse(content)`` gives, from the store when it holds it; fresh objects
        every call, so a caller may change what it gets."""
        if self.path is None:
            return parse(content)
        digest = hashlib.sha256(content).hexdigest()
        with self._lock:
            entries = self._load()
            self._used.add(digest)
            kept = entries.get(digest)
        if kept is not None:
            data = _plain_loads(kept)
            if data is not _NOT_PLAIN:
                return data
        data = parse(content)
        pickled = pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL)
        if _plain_loads(pickled) is not _NOT_PLAIN:
            with self._lock:
                entries[digest] = pickled
                self.added += 1
        return data

    def save(self) -> None:
        """Write the file when a file was parsed since it was read; atomic, so that
        processes saving at once leave one whole file."""
        with self._lock:
            if self.path is None or not self.added or self._entries is None:
                return
            used = {key: value for key, value in self._entries.items() if key in self._used}
            others = [key for key in self._entries if key not in self._used][-_MAX_OTHERS:]
            kept = {**{key: self._entries[key] for key in others}, **used}
            data = pickle.dumps((_FORMAT, kept), protocol=pickle.HIGHEST_PROTOCOL)
            self.added = 0
        write_atomic(self.path, data)

    def _load(self) -> dict[str, bytes]:
        if self._entries is None:
            self._entries = _read_store(self.path) if self.path is not None else {}
        return self._entries


def _read_store(path: Path) -> dict[str, bytes]:
    try:
        content = _plain_loads(path.read_bytes())
    except OSError:
        return {}
    if not (isinstance(content, tuple) and len(content) == 2 and content[0] == _FORMAT):
        return {}
    entries = content[1]
    if not isinstance(entries, dict):
        return {}
    return {
        key: value
        for key, value in entries.items()
        if isinstance(key, str) and isinstance(value, bytes)
    }


class _PlainUnpickler(pickle.Unpickler):
    """Builds containers, strings, bytes and numbers: no class or function of any kind."""

    def find_class(self, module: str, name: str) -> Any:
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


_NOT_PLAIN = object()


def _plain_loads(data: bytes) -> Any:
    """What ``data`` unpickles to, or ``_NOT_PLAIN`` when it is damaged or not plain data."""
    try:
        return _PlainUnpickler(io.BytesIO(data)).load()
    except Exception:  # truncated, tampered with, from another version: parse instead
        return _NOT_PLAIN
