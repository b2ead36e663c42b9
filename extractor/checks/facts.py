"""What the rules ask of a fact: its key and label, how its figure is read, how certain the
reading is, what it covers, and which facts are parts of which."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from decimal import Decimal

import regex

from ..models import Amount, Fact
from ..rules import Codebooks
from ..rules.checks_schema import ChecksFile
from .precision import is_rounded


def key(fact: Fact, codes: Codebooks) -> str:
    """What a fact is a figure of, within its field: its code, else its name (under its
    parent's), else its 类/款/项 names."""
    name_key = codes.key
    if fact.code:
        return fact.code
    if fact.name:
        return name_key(fact.name) + (f"@{name_key(fact.parent_name)}" if fact.parent_name else "")
    if fact.code_names:
        return "/".join(name_key(n) for n in fact.code_names)
    return ""


def where(fact: Fact) -> str:
    page = f"p.{fact.provenance.page}" if fact.provenance.page else ""
    if fact.provenance.table:
        return f"table “{fact.provenance.table.title}” {page} row {fact.provenance.table.row + 1}".strip()
    return f"text {page}".strip()


def label(fact: Fact) -> str:
    named = fact.code or fact.name or ""
    return f"{fact.label}{'(' + named + ')' if named else ''}"


def wan(fact: Fact) -> Decimal:
    assert fact.amount is not None
    return fact.amount.wan


def table_title(fact: Fact) -> str:
    return fact.provenance.table.title if fact.provenance.table else ""


def column(fact: Fact) -> str:
    return fact.provenance.table.column if fact.provenance.table else ""


# A figure to the cent in 万元: a sentence that writes one writes whole 万元 as exact.
_CENTS = regex.compile(r"\d\.\d{2,}\s*万")


def as_read(fact: Fact, amount: Amount | None = None) -> Amount:
    """The fact's amount (or another figure of its sentence) as the margins read it: a figure
    in whole 万元 may be rounded, unless its sentence writes other figures to the cent (项目支出
    30万元 beside 基本支出191.17万元 is 30.00)."""
    figure = amount or fact.amount
    assert figure is not None
    if (
        fact.source == "text"
        and figure.unit in ("万元", "万")
        and is_rounded(figure)
        and _CENTS.search(fact.provenance.sentence)
    ):
        return figure.model_copy(update={"value": figure.value.quantize(Decimal("0.01"))})
    return figure


def amounts(facts: Iterable[Fact]) -> list[Amount]:
    """The facts' amounts as the margins read them."""
    return [as_read(f) for f in facts if f.amount is not None]


def uncertain(fact: Fact) -> str | None:
    """Why the reading of a fact is uncertain (a failure it is part of may be the tool's), or
    None when the fact was read as stated."""
    if fact.code_source == "classification":
        return f"the code of {label(fact)} was looked up by name in the code table"
    if fact.source == "table":
        table = fact.provenance.table
        if table is not None and table.kind is None:
            return f"{where(fact)} is in a table the tool did not recognise"
        return None
    if fact.amount is not None and (
        not fact.amount.text or fact.amount.text not in fact.provenance.sentence
    ):
        return f"the amount of {label(fact)} is not written in its own sentence (inferred)"
    return None


# --- what a figure covers -------------------------------------------------------------------


def scope(fact: Fact, data: ChecksFile) -> frozenset[str]:
    """What a narrative figure covers, as its section headings and its own clause name it:
    funds (一般公共预算, 财政拨款 …) and kinds of spending (基本支出, 项目支出; 占基本支出的 …)."""
    if fact.source != "text":
        return frozenset()
    sentence = fact.provenance.sentence
    start = max(sentence.find(fact.provenance.quote), 0)
    at = sentence.find(fact.amount.text, start) if fact.amount is not None else -1
    at = at if at >= 0 else start
    before = regex.split(r"[。；;]", sentence[:at])[-1]
    after = regex.split(r"[。；;]", sentence[at:])[0]
    context = " ".join(fact.provenance.section_path) + " " + before + after
    words = {**data.scopes.funds, **data.scopes.kinds}
    return frozenset(name for name, word in words.items() if word in context)


def scope_label(names: Iterable[str], data: ChecksFile) -> str:
    words = {**data.scopes.funds, **data.scopes.kinds}
    return "、".join(words[name] for name in sorted(names)) or "none named"


def table_funds(fact: Fact, data: ChecksFile) -> str:
    """The funds a table covers, from its title: the narrowest it names, else all funds."""
    title = table_title(fact)
    named = [name for name, word in data.scopes.funds.items() if word in title]
    narrow = [name for name in named if name != "fiscal"]
    return narrow[0] if narrow else named[0] if named else "all"


def funds_label(name: str, data: ChecksFile) -> str:
    return str(data.scopes.funds.get(name, "all funds"))


def within(narrow: str, wide: str, data: ChecksFile) -> bool:
    """Whether funds ``narrow`` are part of funds ``wide`` (一般公共预算 of 财政拨款)."""
    return wide in ancestors(narrow, data.funds_within)


def ancestors(name: str, parents: dict[str, str]) -> set[str]:
    found: set[str] = set()
    while name in parents and parents[name] not in found:
        name = parents[name]
        found.add(name)
    return found


# --- part and whole ----------------------------------------------------------------------------


def contains(whole: Fact, part: Fact, data: ChecksFile, codes: Codebooks) -> bool:
    """Whether ``part`` is (a part of) ``whole``: a field under its whole, a column under its
    column, a code under its code, or the same figure twice."""
    same_row = (
        whole.provenance.table is not None
        and part.provenance.table is not None
        and whole.provenance.section_id == part.provenance.section_id
        and whole.provenance.table.row == part.provenance.table.row
    )
    if (whole.field, key(whole, codes), whole.measure) == (
        part.field,
        key(part, codes),
        part.measure,
    ):
        return True
    if whole.field in ancestors(part.field, data.part_of):
        return True
    if same_row and whole.field == part.field and whole.measure and part.measure:
        return whole.measure in ancestors(part.measure, data.measure_part_of)
    return bool(
        whole.code
        and part.code
        and whole.field.partition(".")[0] == part.field.partition(".")[0]
        and part.code.startswith(whole.code + "-")
    )


def overlap(parts: Sequence[Fact], data: ChecksFile, codes: Codebooks) -> bool:
    """A sum of these would count a part together with its whole."""
    return any(
        contains(a, b, data, codes) or contains(b, a, data, codes)
        for a, b in itertools.combinations(parts, 2)
    )
