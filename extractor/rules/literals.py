"""The text a pattern cannot match without: worked out from the regex itself, so that a section
holding none of it is never searched with that pattern (a substring test costs a fraction of a
regex scan, and most patterns find nothing in most sections).

The analysis is exact, never a guess: a string is *required* only if every match of the regex
contains it (in the text searched, lookarounds included), and anything the analysis does not
understand requires nothing. The regex is read with Python's own parser (``re._parser``), after
the few constructs of the ``regex`` module it lacks are rewritten to ones of the same shape.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

# sre's node names; read through the module so that a Python upgrade that renames one makes
# the analysis give up (require nothing) rather than misread.
with warnings.catch_warnings():
    warnings.simplefilter("ignore", DeprecationWarning)
    import sre_constants as _c
    import sre_parse as _parser

Required = frozenset[str]  # any one of these strings is in every match; empty: none known

_NAMED_GROUP = re.compile(r"\(\?P<\w+>")
_MIN_LENGTH = 1


def required_text(pattern: str) -> tuple[str, ...]:
    """Strings one of which every match of ``pattern`` contains (none: no pre-check)."""
    source = _without_properties(_NAMED_GROUP.sub("(?:", pattern))  # names may repeat
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = _parser.parse(source)
    except (re.error, RecursionError, ValueError, TypeError):
        return ()
    found = _sequence(list(parsed.data))
    return tuple(sorted(found)) if found and min(map(len, found)) >= _MIN_LENGTH else ()


def _without_properties(pattern: str) -> str:
    """``\\p{Han}`` and ``\\P{…}`` (regex module only) as character ranges sre reads: a range
    inside a class, a class of two or more characters outside one (never a literal)."""
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\" and pattern[index + 1 : index + 3] in ("p{", "P{"):
            end = pattern.index("}", index) + 1
            negated = pattern[index + 1] == "P"
            if in_class:
                out.append("\\x01-\\x7f" if negated else "\\u4e00-\\u9fff")
            else:
                out.append("[^\\u4e00-\\u9fff]" if negated else "[\\u4e00-\\u9fff]")
            index = end
            continue
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            # A ']' or '^]' right after the opening bracket is a member, not the end.
            if pattern[index + 1 : index + 2] == "^":
                out.append("^")
                index += 1
            if pattern[index + 1 : index + 2] == "]":
                out.append("]")
                index += 1
        elif char == "]" and in_class:
            in_class = False
            out.append(char)
        else:
            out.append(char)
        index += 1
    return "".join(out)


def _sequence(items: list[tuple[Any, Any]]) -> Required:
    """The most selective requirement of a sequence: a run of literal characters, or the
    requirement of one of its mandatory parts."""
    candidates: list[Required] = []
    run: list[str] = []
    for op, value in items:
        if op is _c.LITERAL:
            run.append(chr(value))
            continue
        if run:
            candidates.append(frozenset(["".join(run)]))
            run = []
        inner = _item(op, value)
        if inner:
            candidates.append(inner)
    if run:
        candidates.append(frozenset(["".join(run)]))
    if not candidates:
        return frozenset()
    # The longest shortest string is the rarest in text; then the fewest alternatives.
    return max(candidates, key=lambda found: (min(map(len, found)), -len(found)))


def _item(op: Any, value: Any) -> Required:
    if op is _c.SUBPATTERN:
        return _sequence(list(value[-1]))
    if op is _c.BRANCH:
        branches = [_sequence(list(branch)) for branch in value[1]]
        if not branches or any(not branch for branch in branches):
            return frozenset()
        return frozenset().union(*branches)
    if op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)):
        low, _, inner = value
        return _sequence(list(inner)) if low >= 1 else frozenset()
    if op is getattr(_c, "ATOMIC_GROUP", None):
        return _sequence(list(value))
    return frozenset()  # classes, anchors, lookarounds, back references: nothing known
