"""Which files a run takes: files, folders (walked lazily, in name order) and glob patterns,
filtered by ``--include`` / ``--exclude``.

Folders are walked one directory at a time, so a run over a million files never holds their
list. Inside folders a file is taken when its name (or, for a pattern with a ``/``, its path
relative to the folder given) matches an include pattern and no exclude pattern; matching
ignores case and ``*`` also crosses ``/``. The defaults take the document formats and leave
out what a scraper or an office program puts beside them. Files named on the command line, or
matched by a glob given there, are taken as given.
"""

# Paths are strings here, not pathlib objects: building a Path per file costs more than the
# stat of a walk over a million files.
# ruff: noqa: PTH110, PTH112, PTH113, PTH116, PTH118

from __future__ import annotations

import fnmatch
import glob
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from stat import S_ISREG

from ..readers.detect import sniff_format
from ..readers.formats import DEFAULT_EXCLUDE, DEFAULT_INCLUDE, Format

HIDDEN_FOLDERS = ".*"


class UsageError(ValueError):
    """A problem with the command line, not with an input file (exit status 2)."""


@dataclass(frozen=True)
class Filters:
    include: tuple[str, ...] = DEFAULT_INCLUDE
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE

    @classmethod
    def of(cls, include: list[str] | None, exclude: list[str] | None) -> Filters:
        """``--include`` replaces the default formats; ``--exclude`` adds to the defaults."""
        return cls(
            include=tuple(include) if include else DEFAULT_INCLUDE,
            exclude=DEFAULT_EXCLUDE + tuple(exclude or ()),
        )

    def takes(self, relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        return _matches(self.include, name, relative) and not _matches(self.exclude, name, relative)

    def enters(self, relative_folder: str) -> bool:
        """Hidden folders, and folders excluded by a name pattern, are not walked."""
        names, _ = _compiled((HIDDEN_FOLDERS, *self.exclude))
        return names is None or not names.match(relative_folder.rsplit("/", 1)[-1])


def _matches(patterns: tuple[str, ...], name: str, relative: str) -> bool:
    names, paths = _compiled(patterns)
    return bool(
        (names is not None and names.match(name)) or (paths is not None and paths.match(relative))
    )


@lru_cache(maxsize=16)
def _compiled(patterns: tuple[str, ...]) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    """One regex for the name patterns and one for the path patterns (a pattern with a
    ``/``), ignoring case: a file costs two matches, not one per pattern."""

    def join(group: list[str]) -> re.Pattern[str] | None:
        if not group:
            return None
        return re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in group), re.IGNORECASE)

    return (
        join([p for p in patterns if "/" not in p]),
        join([p for p in patterns if "/" in p]),
    )


@dataclass(frozen=True)
class Found:
    """A file to consider, with the size and modification time seen when it was found."""

    path: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Unreadable:
    path: str
    message: str
    folder: bool = False


def _is_glob(item: str) -> bool:
    return any(char in item for char in "*?[")


def check_inputs(inputs: list[str]) -> None:
    """Raise UsageError for an input that names nothing (before anything is touched)."""
    if not inputs:
        raise UsageError("no input files or folders given")
    for item in inputs:
        if Path(item).exists():
            continue
        if _is_glob(item):
            # glob.iglob, not Path.glob: the pattern may be absolute or hold "**".
            if next(glob.iglob(item, recursive=True), None) is None:  # noqa: PTH207
                raise UsageError(f"no file matches {item!r}")
            continue
        raise UsageError(f"no such file or folder: {item}")


def discover(
    inputs: list[str], filters: Filters, skip: Path | None = None
) -> Iterator[Found | Unreadable]:
    """Each input file once, in the order given (folders in name order). ``skip``: a folder
    never to enter (the output folder, when it lies inside an input folder)."""
    skipped = os.path.realpath(skip) if skip else None
    seen: set[str] | None = set() if len(inputs) > 1 else None  # overlapping inputs
    for item in inputs:
        if os.path.isdir(item):
            found: Iterator[Found | Unreadable] = _walk(item, "", filters, skipped)
        elif os.path.exists(item):
            found = iter([_stat(item)])
        else:
            matches = sorted(glob.glob(item, recursive=True))  # noqa: PTH207
            found = (_stat(m) for m in matches if os.path.isfile(m))
        for entry in found:
            if seen is not None:
                key = os.path.realpath(entry.path)
                if key in seen:
                    continue
                seen.add(key)
            yield entry


# Beyond this many files named one by one, their formats are not looked at before a run.
_FORMATS_LOOKED_AT = 64


def input_formats(inputs: list[str]) -> frozenset[Format] | None:
    """The formats of the files a run is given, when it is given a few files by name (their
    first bytes decide, as the readers' do); None for a folder, a pattern, a file that cannot
    be read or a long list: then the run must be ready for any format."""
    if len(inputs) > _FORMATS_LOOKED_AT:
        return None
    formats = set()
    for item in inputs:
        if not os.path.isfile(item):
            return None
        try:
            formats.add(sniff_format(Path(item)))
        except OSError:
            return None
    return frozenset(formats)


def _walk(
    folder: str, relative: str, filters: Filters, skipped: str | None
) -> Iterator[Found | Unreadable]:
    if skipped and os.path.realpath(folder) == skipped:
        return
    try:
        # Names and kinds only (not DirEntry objects): a flat folder of a million files.
        with os.scandir(folder) as scan:
            entries = sorted((e.name, _is_folder(e)) for e in scan)
    except OSError as exc:
        yield Unreadable(folder, f"the folder cannot be read: {exc.strerror or exc}", True)
        return
    for name, is_folder in entries:
        inner = f"{relative}/{name}" if relative else name
        path = os.path.join(folder, name)
        if is_folder:
            if filters.enters(inner):
                yield from _walk(path, inner, filters, skipped)
        elif filters.takes(inner):
            try:
                stat = os.stat(path)
            except OSError as exc:
                yield Unreadable(path, f"the file cannot be read: {exc.strerror or exc}")
                continue
            if S_ISREG(stat.st_mode):
                yield Found(path, stat.st_size, stat.st_mtime_ns)


def _is_folder(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)  # a linked folder could loop
    except OSError:
        return False


def _stat(path: str) -> Found | Unreadable:
    try:
        stat = os.stat(path)
    except OSError as exc:
        return Unreadable(path, f"the file cannot be read: {exc.strerror or exc}")
    return Found(path, stat.st_size, stat.st_mtime_ns)
