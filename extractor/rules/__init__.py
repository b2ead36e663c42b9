"""The rule set: every file of ``patterns/`` loaded once, checked against its schema, compiled
on first use, and passed explicitly to the stages that use it.

``load_rules(directory, overlays)`` builds one; ``default_rules()`` is the process's rule set
of ``patterns/`` for callers that do not pass their own (the CLI, ``extractor.extract``) — the
one place a rule set is kept between calls.
"""

from __future__ import annotations

import threading

from .codebook import Codebook, Codebooks, Entry, name_key, resolve_code
from .compiler import CompiledPart, CompiledPattern, PatternSet, Vocabulary
from .folding import TextRules
from .headings import HeadingRules
from .patternspec import CaptureGroup, Counterexample, Example, PatternSpec
from .ruleset import FigureRules, RuleSet, compile_all, load_rules
from .schemas import FieldSpec, KeyedBy, ValueKind
from .source import RuleError, patterns_dir
from .tables import TableKind, TableRules

_default: RuleSet | None = None
_lock = threading.Lock()


def default_rules() -> RuleSet:
    """The rule set of ``patterns_dir()``, loaded on first use and kept for the process."""
    global _default
    with _lock:
        if _default is None or _default.directory != patterns_dir():
            _default = load_rules(patterns_dir())
        return _default


__all__ = [
    "CaptureGroup",
    "Codebook",
    "Codebooks",
    "CompiledPart",
    "CompiledPattern",
    "Counterexample",
    "Entry",
    "Example",
    "FieldSpec",
    "FigureRules",
    "HeadingRules",
    "KeyedBy",
    "PatternSet",
    "PatternSpec",
    "RuleError",
    "RuleSet",
    "TableKind",
    "TableRules",
    "TextRules",
    "ValueKind",
    "Vocabulary",
    "compile_all",
    "default_rules",
    "load_rules",
    "name_key",
    "patterns_dir",
    "resolve_code",
]
