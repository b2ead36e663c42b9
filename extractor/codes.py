"""Give name-only 类-款-项 facts their code, and note where each code came from."""

from __future__ import annotations

from .classification import Codebook, function_codebook, resolve_code
from .models import Fact
from .tables import code_scheme

_CODED_FIELDS = ("expenditure.item", "expenditure.class")


def resolve_codes(facts: list[Fact], document_book: Codebook | None, year: int | None) -> None:
    """Fill ``code`` (and ``code_source``) of facts that state names only.

    The note's own tables are asked first (their code/name pairs are what the note means),
    then the year-aware code table. Facts stay without a code when the names are unknown or
    ambiguous; validation reports them.
    """
    books: list[tuple[str, Codebook]] = []
    if document_book is not None and document_book.entries:
        books.append(("document_table", document_book))
    books.append(("classification", function_codebook()))
    for fact in facts:
        if fact.field not in _CODED_FIELDS:
            continue
        if fact.code is not None:
            if fact.code_source is None:
                fact.code_source = "stated"
            continue
        names = fact.code_names or ([fact.name] if fact.name else [])
        if not names:
            continue
        code, source = resolve_code(names, year, books)
        # A 类-款-项 line is 功能分类: an economic code (302 商品和服务支出) never names one.
        if code is not None and code_scheme(code) == "function":
            fact.code = code
            fact.code_source = source  # type: ignore[assignment]
