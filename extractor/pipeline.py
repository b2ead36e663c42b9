"""reader → normalise → sections → extract → tables → validate: one file in, one Document out."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .codes import resolve_codes
from .errors import InputError
from .extract import Locator, TextView, extract_facts
from .info import Found, Identity, covered_parts, identify
from .models import Document, Fact, Problem, Provenance, Section, SourceInfo
from .normalize import NormalisedText, normalise
from .patterns import load_patterns, patterns_version
from .readers import Limits, read_document
from .readers.formats import format_from_suffix
from .sections import SectionNode, build_outline
from .tables import extract_tables
from .validate import validate


@dataclass(frozen=True)
class Options:
    limits: Limits = field(default_factory=Limits)
    convert: bool = False
    tables: bool = True
    expect_kind: str | None = None  # 预算 or 决算: a document of the other kind is refused
    include_text: bool = True


def extract(
    path: str | Path,
    options: Options | None = None,
    *,
    data: bytes | None = None,
    sha256: str | None = None,
) -> Document:
    """Extract one budget note. Input problems give a failed Document; bugs raise.

    ``data``: the file's bytes, already read by the caller; they are hashed and parsed, and
    the file is not opened again (so the hash is always that of the content parsed).
    ``sha256``: the digest of ``data``, when the caller has it (not hashed again)."""
    options = options or Options()
    path = Path(path)
    source = _source_info(path, data, sha256 if data is not None else None)
    try:
        result, detected, claimed = read_document(
            path, options.limits, convert=options.convert, with_tables=options.tables, data=data
        )
    except InputError as problem:
        return _failed(source, problem)
    source.format, source.suffix_format = detected, claimed
    source.pages, source.encoding = result.pages, result.encoding
    normalised = normalise(result)
    identity = identify(normalised)
    document = Document(
        tool_version=__version__,
        patterns_version=patterns_version(),
        status="ok",
        source=source,
        info=identity.info,
        warnings=list(result.warnings),
        text=normalised.raw if options.include_text else "",
    )
    refusal = _refusal(identity, options)
    if refusal is not None:
        return document.model_copy(update={"status": "failed", "errors": [refusal.to_problem()]})

    outline = build_outline(normalised.paragraphs)
    extraction = extract_facts(normalised, outline)
    locator = Locator(normalised)
    tables = extract_tables(normalised, locator, identity.info.year)
    facts = _identity_facts(identity, outline, locator) + extraction.facts + tables.facts
    resolve_codes(facts, tables.codebook, identity.info.year)
    facts = _fill_info(facts, identity)
    parts = covered_parts(facts, tables.summaries, outline, normalised.paragraphs)
    return document.model_copy(
        update={
            "info": document.info.model_copy(update={"parts": parts}),
            "sections": [_section(node) for node in outline.walk() if node.path],
            "tables": tables.summaries,
            "missing_tables": tables.missing,
            "facts": facts,
            "checks": validate(facts, identity.info, tables.summaries),
            "unparsed": extraction.unparsed,
            "coverage": extraction.coverage,
        }
    )


def _refusal(identity: Identity, options: Options) -> InputError | None:
    """Readable, but not what was asked for: not a budget note, or the other kind.

    Any budget content makes a budget note — a title naming a 预算/决算, or one amount stated
    with a budget concept — so that a single statement (三公, 收支, 政府采购 …) is extracted;
    only a text with none is refused."""
    info = identity.info
    if not info.is_budget_note:
        return InputError(
            "not_a_budget_note",
            "the text does not read as a budget note (部门预算/决算说明, or a part of one): "
            + (info.recognition or ""),
        )
    if options.expect_kind and info.kind and info.kind != options.expect_kind:
        return InputError(
            "kind_mismatch",
            f"this is a {info.kind} note, but {options.expect_kind} was expected (--kind)",
        )
    return None


def _source_info(path: Path, data: bytes | None = None, known: str | None = None) -> SourceInfo:
    digest = hashlib.sha256()
    size = 0
    if data is not None:
        if known is None:
            digest.update(data)
        size = len(data)
    else:
        try:
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
                    size += len(chunk)
        except OSError:
            pass
    return SourceInfo(
        path=str(path),
        file_name=path.name,
        sha256=known or digest.hexdigest(),
        size_bytes=size,
        suffix_format=format_from_suffix(path),
    )


def _failed(source: SourceInfo, problem: InputError) -> Document:
    return Document(
        tool_version=__version__,
        patterns_version=patterns_version(),
        status="failed",
        source=source,
        errors=[problem.to_problem()],
    )


def failed_document(
    path: Path, code: str, message: str, detail: str | None = None, *, data: bytes | None = None
) -> Document:
    """An error record for a file the pipeline could not finish (time limit, crash …);
    ``data``: its bytes, if already read."""
    return _failed(_source_info(path, data), InputError(code, message, detail=detail))


def _section(node: SectionNode) -> Section:
    return Section(
        id=node.id,
        title=node.title,
        path=node.path,
        level=node.depth,
        families=sorted(node.families),
        page=node.page,
    )


def _identity_facts(identity: Identity, outline: SectionNode, locator: Locator) -> list[Fact]:
    patterns = load_patterns()
    facts: list[Fact] = []
    for field_name, found in (
        ("unit.name", identity.unit),
        ("document.year", identity.year),
        ("document.kind", identity.kind),
    ):
        if found is None:
            continue
        facts.append(
            _fact_from_found(field_name, patterns.label(field_name), found, outline, locator)
        )
    return facts


def _fact_from_found(
    field_name: str, label: str, found: Found, outline: SectionNode, locator: Locator
) -> Fact:
    view = TextView.of([found.paragraph], locator.normalised.raw)
    char_start, char_end = view.raw_span(found.start, found.end)
    raw = locator.normalised.raw
    node = _node_of(outline, found.paragraph) or outline
    return Fact(
        id=f"{field_name}@{char_start}",
        field=field_name,
        label=label,
        text=found.value,
        pattern=f"recognition.{field_name}",
        provenance=Provenance(
            section_path=node.path,
            section_id=node.id,
            sentence=view.original(0, len(view.text)),
            page=locator.page_of(char_start),
            paragraph=locator.paragraph_of(char_start),
            char_start=char_start,
            char_end=char_end,
            quote=raw[char_start:char_end],
        ),
    )


def _node_of(outline: SectionNode, paragraph: object) -> SectionNode | None:
    for node in outline.walk():
        if node.heading is paragraph or any(p is paragraph for p in node.paragraphs):
            return node
    return None


def _fill_info(facts: list[Fact], identity: Identity) -> list[Fact]:
    """Parent body and unit type come from facts; the info block repeats them for convenience."""
    info = identity.info
    for fact in facts:
        if fact.field == "unit.parent" and info.parent is None:
            info.parent = fact.text
        if fact.field == "unit.type" and info.unit_type is None:
            info.unit_type = fact.text
    return facts


__all__ = ["Document", "NormalisedText", "Options", "Problem", "extract", "failed_document"]
