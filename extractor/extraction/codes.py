"""Classification codes: their written forms read, and name-only 类-款-项 facts given theirs."""

from __future__ import annotations

import regex

from ..fields import FieldName
from ..models import Fact
from ..rules import Codebook, RuleSet, resolve_code

_CODED_FIELDS = (FieldName.EXPENDITURE_ITEM, FieldName.EXPENDITURE_CLASS)
_CODE_SEPARATORS = regex.compile(r"[\s\-—]")


def normalise_code(text: str) -> str | None:
    """'2080505' / '208 05 05' / '208-05-05' → '208-05-05'."""
    digits = _CODE_SEPARATORS.sub("", text)
    if not digits.isdigit() or len(digits) not in (3, 5, 7):
        return None
    return "-".join([digits[:3], *(digits[i : i + 2] for i in range(3, len(digits), 2))])


def resolve_codes(
    facts: list[Fact], document_book: Codebook | None, year: int | None, rules: RuleSet
) -> list[Fact]:
    """The facts, those that state names only given their ``code`` (and ``code_source``).

    The note's own tables are asked first (their code/name pairs are what the note means),
    then the year-aware code table. Facts stay without a code when the names are unknown or
    ambiguous; validation reports them.
    """
    books: list[tuple[str, Codebook]] = []
    if document_book is not None and document_book.entries:
        books.append(("document_table", document_book))
    books.append(("classification", rules.codes.function))
    return [_with_code(fact, books, year, rules) for fact in facts]


def _with_code(
    fact: Fact, books: list[tuple[str, Codebook]], year: int | None, rules: RuleSet
) -> Fact:
    if fact.field not in _CODED_FIELDS:
        return fact
    if fact.code is not None:
        if fact.code_source is None:
            return fact.model_copy(update={"code_source": "stated"})
        return fact
    names = fact.code_names or ([fact.name] if fact.name else [])
    if not names:
        return fact
    code, source = resolve_code(names, year, books)
    # A 类-款-项 line is 功能分类: an economic code (302 商品和服务支出) never names one.
    if code is not None and rules.tables.code_scheme(code) == "function":
        return fact.model_copy(update={"code": code, "code_source": source})
    return fact
