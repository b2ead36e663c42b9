"""The rule set's regexes, compiled once and, where a cache folder can be used, kept between runs.

Compiling the rules' few hundred regexes with the ``regex`` module (its parser is written in
Python) and working out each pattern's required text take most of a second, in every process,
for results that depend only on the regex source and the library versions. A store keeps what
it compiled in one file of the user's cache folder, as the ``regex`` module pickles a pattern:
the compiled program, which loads without parsing again (about 50 times faster).

The file's name carries everything its content depends on (the ``regex`` version, Python's,
and the code of this module and of :mod:`.literals`), so a stale file is never read; it is
loaded with an unpickler that builds nothing but compiled regexes, so a file put there by
someone else can do no more than fail to load. Any fault reading or writing it is silent: the
store then compiles as if there were no cache. ``BUDGET_NOTES_CACHE`` names another folder,
or ``off`` for none.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import regex

from . import literals
from .literals import required_text

CACHE_VARIABLE = "BUDGET_NOTES_CACHE"
_FORMAT = 1
# A file that keeps growing while rules are edited is rewritten with what this process used.
_MAX_ENTRIES = 4000


def cache_folder() -> Path | None:
    """``$BUDGET_NOTES_CACHE``, else ``$XDG_CACHE_HOME/budget-notes`` or
    ``~/.cache/budget-notes``; None when switched off (``off``, ``0``, ``none``)."""
    setting = os.environ.get(CACHE_VARIABLE, "").strip()
    if setting.lower() in ("off", "0", "none", "false", "no"):
        return None
    if setting:
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(base) / "budget-notes"


def cache_file(folder: Path | None) -> Path | None:
    """The file of this combination of library versions and code in ``folder``."""
    if folder is None:
        return None
    key = hashlib.sha256()
    for part in (str(_FORMAT), regex.__version__, sys.version):
        key.update(part.encode() + b"\0")
    for module in (sys.modules[__name__], literals):
        key.update(Path(str(module.__file__)).read_bytes())
    return folder / f"regexes-{key.hexdigest()[:16]}.pickle"


Key = tuple[str, int]
K = TypeVar("K")
V = TypeVar("V")


class RegexStore:
    """Compiled regexes by (source, flags), and each pattern's required text by source."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._loaded = False
        self._patterns: dict[Key, regex.Pattern[str]] = {}
        self._required: dict[str, tuple[str, ...]] = {}
        self._used: set[Key] = set()
        self._used_required: set[str] = set()
        self.compiled = 0  # compiled here rather than loaded: what the next save adds
        self.loaded = 0

    def compile(self, source: str, flags: int = 0) -> regex.Pattern[str]:
        """``regex.compile(source, flags)``; raises regex.error like it."""
        return self._remembered(
            self._patterns, self._used, (source, int(flags)), lambda: regex.compile(source, flags)
        )

    def required_text(self, source: str) -> tuple[str, ...]:
        """:func:`.literals.required_text` of ``source``."""
        return self._remembered(
            self._required, self._used_required, source, lambda: required_text(source)
        )

    def _remembered(self, table: dict[K, V], used: set[K], key: K, make: Callable[[], V]) -> V:
        """``table[key]``, made (outside the lock: it may take milliseconds) when missing."""
        with self._lock:
            self._load()
            used.add(key)
            if key in table:
                return table[key]
        made = make()
        with self._lock:
            table[key] = made
            self.compiled += 1
        return made

    def save(self) -> None:
        """Write the file when something was compiled since it was read; atomic, so that
        processes saving at once leave one whole file."""
        with self._lock:
            if self.path is None or not self.compiled:
                return
            patterns, required = self._patterns, self._required
            if len(patterns) + len(required) > _MAX_ENTRIES:
                patterns = {key: patterns[key] for key in self._used if key in patterns}
                required = {key: required[key] for key in self._used_required if key in required}
            data = pickle.dumps((_FORMAT, patterns, required), protocol=pickle.HIGHEST_PROTOCOL)
            self.compiled = 0
        write_atomic(self.path, data)

    def _load(self) -> None:
        if self._loaded:
            return
        self._loaded = True
        if self.path is None:
            return
        try:
            data = self.path.read_bytes()
        except OSError:
            return
        content = _safe_loads(data)
        if content is None:
            return
        patterns, required = content
        self._patterns.update(patterns)
        self._required.update(required)
        self.loaded = len(patterns)


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` whole, or leave it as it was; a fault is silent."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)
            Path(temporary).replace(path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass  # a read-only or full disk: the next run compiles again


# The only callables a cache file may name: the regex module's constructor of a compiled
# pattern and its flags' enum.
_ALLOWED = frozenset({("regex._regex", "compile"), ("regex._regex_core", "RegexFlag")})


class _RegexOnlyUnpickler(pickle.Unpickler):
    """Builds containers of strings and numbers and compiled regexes: no other callable."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _ALLOWED:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not allowed in the regex cache")


def _safe_loads(
    data: bytes,
) -> tuple[dict[Key, regex.Pattern[str]], dict[str, tuple[str, ...]]] | None:
    """The file's content, or None when it is not one this code wrote."""
    try:
        content = _RegexOnlyUnpickler(io.BytesIO(data)).load()
    except Exception:  # truncated, tampered with, from another version: compile instead
        return None
    if not (isinstance(content, tuple) and len(content) == 3 and content[0] == _FORMAT):
        return None
    _, patterns, required = content
    if not (isinstance(patterns, dict) and isinstance(required, dict)):
        return None
    if not all(isinstance(p, regex.Pattern) for p in patterns.values()):
        return None
    return patterns, required
