"""Classification codes (政府收支分类科目): a line without a code, and a stated code whose name
is not the code table's in the note's year (``code.*``).

The code table is the rule set's (``CheckData.codes``).
"""

from __future__ import annotations

from collections.abc import Iterator

from ..fields import FieldName
from ..models import Check
from .inputs import CheckInput, check
from .rule import rule

_CODED = (FieldName.EXPENDITURE_ITEM, FieldName.EXPENDITURE_CLASS)


@rule(
    "code.unresolved",
    "warning",
    "a 类/款/项 line has a classification code (stated, from the note's tables or from the code"
    " table)",
)
def unresolved(given: CheckInput) -> list[Check]:
    found: list[Check] = []
    for fact in given.text:
        if fact.field not in _CODED or fact.code is not None:
            continue
        names = "/".join(fact.code_names) or fact.name or ""
        found.append(
            check(
                "code.unresolved",
                "warning",
                False,
                f"no classification code found for “{names}” (not in the note's tables or the"
                " code table)",
                [fact],
                "a code",
                None,
            )
        )
    return found


def _stated_names(given: CheckInput) -> Iterator[Check]:
    """For each level of each stated code: its name against the code table's names.

    One pass gives the three rules below; each keeps its own."""
    book = given.data.codes.function
    name_key = given.data.codes.key
    year = given.info.year
    for fact in given.text:
        if fact.field not in _CODED or fact.code is None or fact.code_source != "stated":
            continue
        stated_names = fact.code_names or ([fact.name] if fact.name else [])
        codes = [fact.code[: 3 + 3 * i] for i in range(len(stated_names))]
        for code, name in zip(codes, stated_names, strict=False):
            entries = book.any_by_code(code)
            if not entries:
                continue
            matching = [e for e in entries if any(name_key(n) == name_key(name) for n in e.names())]
            in_year = [e for e in matching if e.valid_in(year)]
            if in_year:
                official = in_year[0].name
                if name_key(official) != name_key(name):
                    yield check(
                        "code.alias",
                        "info",
                        False,
                        f"{code} is named “{name}”; the code table's name is “{official}”",
                        [fact],
                        official,
                        name,
                    )
                continue
            if matching:
                valid = [e.name for e in entries if e.valid_in(year)]
                yield check(
                    "code.name_year",
                    "warning",
                    False,
                    f"{code} is named “{name}”, a name not valid in {year}"
                    + (f" (then: {', '.join(valid)})" if valid else ""),
                    [fact],
                    ", ".join(valid) or None,
                    name,
                )
            else:
                known = sorted({e.name for e in entries})
                yield check(
                    "code.name",
                    "info",
                    False,
                    f"{code} is named “{name}”; the code table knows it as {', '.join(known)}",
                    [fact],
                    ", ".join(known),
                    name,
                )


@rule(
    "code.name_year",
    "warning",
    "the name of a stated code is valid in the note's year",
)
def name_year(given: CheckInput) -> list[Check]:
    return [c for c in _stated_names(given) if c.rule == "code.name_year"]


@rule(
    "code.alias",
    "info",
    "the name of a stated code is the code table's (not one of its aliases)",
)
def alias(given: CheckInput) -> list[Check]:
    return [c for c in _stated_names(given) if c.rule == "code.alias"]


@rule(
    "code.name",
    "info",
    "the name of a stated code is one the code table knows for it",
)
def other_name(given: CheckInput) -> list[Check]:
    return [c for c in _stated_names(given) if c.rule == "code.name"]


RULES = (unresolved, name_year, alias, other_name)
