"""Where the rule data lives and how a file of it is read.

``patterns/`` holds the national base (one YAML file per kind of rule, next to the package in
a checkout, or its copy inside a wheel) and ``patterns/overlays/<name>/`` a template's or a
province's differences. BUDGET_NOTES_PATTERNS points elsewhere, to try new rules.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from .parsed import ParsedStore

OVERLAYS = "overlays"


class RuleError(ValueError):
    """A rule file is wrong; the message names the file (and the pattern or entry)."""


def patterns_dir() -> Path:
    """The base rule folder: ``patterns/`` beside the package, or the wheel's copy."""
    override = os.environ.get("BUDGET_NOTES_PATTERNS")
    if override:
        return Path(override)
    here = Path(__file__).resolve().parent.parent
    for candidate in (here.parent / "patterns", here / "_patterns"):
        if (candidate / "fields.yaml").exists():
            return candidate
    raise RuleError(f"no patterns directory found near {here}")


def read_yaml(path: Path, store: ParsedStore | None = None) -> Any:
    """One rule file, parsed with a safe loader (or taken from ``store``, which keeps what
    files parsed to before); a file that does not parse is a RuleError."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise RuleError(f"{path}: cannot be read: {exc.strerror}") from exc

    def parse(content: bytes) -> Any:
        return _parse(content, path.name)

    try:
        if store is None:
            return parse(content)
        return store.parse(content, parse)
    except UnicodeDecodeError as exc:
        raise RuleError(f"{path.name}: not UTF-8 text: {exc}") from exc


def _parse(content: bytes, name: str) -> Any:
    """A safe loader's reading: libyaml's where PyYAML was built with it (several times faster
    than pure Python). PyYAML is imported here, not with the module: a process whose rule
    files all come from the store of parsed files (every run after the first) never needs it,
    and importing it costs a few hundredths of a second of every start."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(content.decode("utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise RuleError(f"{name}: not valid YAML: {exc}") from exc


def yaml_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.yaml"))


def digest(directory: Path) -> str:
    """A digest of every rule file of the base and its overlays: when it changes, notes the
    manifest holds are processed again."""
    hashed = hashlib.sha256()
    overlays = directory / OVERLAYS
    files = yaml_files(directory) + (sorted(overlays.glob("*/*.yaml")) if overlays.is_dir() else [])
    for path in files:
        hashed.update(path.relative_to(directory).as_posix().encode())
        hashed.update(path.read_bytes())
    return hashed.hexdigest()[:16]
