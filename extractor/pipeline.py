"""read → normalise → identify → outline → extract → tables → resolve codes → validate, each
stage a function of what the stages before it returned; the Document is built once, at the end.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .checks import validate
from .errors import InputError
from .extraction.codes import resolve_codes
from .extraction.sentences import extract_facts
from .extraction.tables import extract_tables
from .extraction.textview import Locator, TextView
from .fields import FieldName
from .models import Document, DocumentInfo, DocumentStatus, Fact, Provenance, Section, SourceInfo
from .problems import ProblemCode
from .readers.formats import format_from_suffix
from .readers.limits import Limits
from .readers.reading import read_document
from .rules import RuleSet, default_rules
from .structure.identity import Found, Identity, covered_parts, identify
from .structure.sections import SectionNode, build_outline
from .text.normalize import normalise


@dataclass(frozen=True)
class Options:
    limits: Limits = field(default_factory=Limits)
    convert: bool = False
    tables: bool = True
    expect_kind: str | None = None  # 预算 or 决算: a document of the other kind is refused
    include_text: bool = True
    # Overlays to apply whatever the note's region; those whose regions hold the note's unit
    # apply anyway (automatic=False: only the named ones).
    overlays: tuple[str, ...] = ()
    automatic_overlays: bool = True


def extract(
    path: str | Path,
    options: Options | None = None,
    *,
    data: bytes | None = None,
    sha256: str | None = None,
    rules: RuleSet | None = None,
) -> Document:
    """Extract one budget note. Input problems give a failed Document; bugs raise.

    ``data``: the file's bytes, already read by the caller; they are parsed, and the file is
    not opened again (so the hash is always that of the content parsed); ``sha256``: their
    digest, if the caller has it. ``rules``: the rule set (default: ``patterns/``)."""
    options = options or Options()
    rules = rules or default_rules()
    path = Path(path)
    source = _source_info(path, data, sha256)
    try:
        result, detected, claimed = read_document(
            path, options.limits, convert=options.convert, with_tables=options.tables, data=data
        )
    except InputError as problem:
        return _failed(source, problem, rules)
    source = source.model_copy(
        update={
            "format": detected,
            "suffix_format": claimed,
            "pages": result.pages,
            "encoding": result.encoding,
        }
    )
    normalised = normalise(result, rules)
    identity = identify(normalised, rules)
    base = {
        "tool_version": __version__,
        "patterns_version": rules.version,
        "source": source,
        "warnings": list(result.warnings),
        "text": normalised.raw if options.include_text else "",
    }
    refusal = _refusal(identity, options)
    if refusal is not None:
        return Document(
            **base, status=DocumentStatus.FAILED, info=identity.info, errors=[refusal.to_problem()]
        )

    rules = _layered(rules, identity.info, options)
    locator = Locator(normalised)
    outline = build_outline(normalised.paragraphs, rules.headings)
    extraction = extract_facts(normalised, outline, locator, rules, identity.info.year)
    tables = extract_tables(normalised, locator, identity.info.year, rules)
    facts = resolve_codes(
        _identity_facts(identity, outline, locator, rules) + extraction.facts + tables.facts,
        tables.codebook,
        identity.info.year,
        rules,
    )
    parts = covered_parts(
        facts, tables.summaries, outline, normalised.paragraphs, rules.recognition
    )
    info = _info_from_facts(identity.info, facts).model_copy(
        update={"parts": parts, "overlays": list(rules.applied)}
    )
    rules.regexes.save()  # what an overlay compiled, for the next process (when new)
    return Document(
        **base,
        status=DocumentStatus.OK,
        info=info,
        sections=[_section(node) for node in outline.walk() if node.path],
        tables=tables.summaries,
        missing_tables=tables.missing,
        facts=facts,
        checks=validate(facts, info, tables.summaries, rules),
        unparsed=extraction.unparsed,
        coverage=extraction.coverage,
    )


def _layered(rules: RuleSet, info: DocumentInfo, options: Options) -> RuleSet:
    """The rule set with the overlays asked for and those the note's region calls for."""
    automatic = rules.overlays_for(info.region) if options.automatic_overlays else ()
    return rules.with_overlays((*options.overlays, *automatic))


def _refusal(identity: Identity, options: Options) -> InputError | None:
    """Readable, but not what was asked for: not a budget note, or the other kind.

    Any budget content makes a budget note — a title naming a 预算/决算, or one amount stated
    with a budget concept — so that a single statement (三公, 收支, 政府采购 …) is extracted;
    only a text with none is refused."""
    info = identity.info
    if not info.is_budget_note:
        return InputError(
            ProblemCode.NOT_A_BUDGET_NOTE,
            "the text does not read as a budget note (部门预算/决算说明, or a part of one): "
            + (info.recognition or ""),
        )
    if options.expect_kind and info.kind and info.kind != options.expect_kind:
        return InputError(
            ProblemCode.KIND_MISMATCH,
            f"this is a {info.kind} note, but {options.expect_kind} was expected (--kind)",
        )
    return None


def _source_info(path: Path, data: bytes | None = None, sha256: str | None = None) -> SourceInfo:
    digest = hashlib.sha256()
    size = 0
    if data is not None:
        size = len(data)
        if sha256 is None:
            digest.update(data)
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
        sha256=sha256 if sha256 is not None and data is not None else digest.hexdigest(),
        size_bytes=size,
        suffix_format=format_from_suffix(path),
    )


def _failed(source: SourceInfo, problem: InputError, rules: RuleSet | None = None) -> Document:
    return Document(
        tool_version=__version__,
        patterns_version=(rules or default_rules()).version,
        status=DocumentStatus.FAILED,
        source=source,
        errors=[problem.to_problem()],
    )


def failed_document(
    path: Path,
    code: ProblemCode,
    message: str,
    detail: str | None = None,
    *,
    data: bytes | None = None,
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


def _identity_facts(
    identity: Identity, outline: SectionNode, locator: Locator, rules: RuleSet
) -> list[Fact]:
    patterns = rules.patterns
    facts: list[Fact] = []
    for field_name, found in (
        (FieldName.UNIT_NAME, identity.unit),
        (FieldName.DOCUMENT_YEAR, identity.year),
        (FieldName.DOCUMENT_KIND, identity.kind),
    ):
        if found is None:
            continue
        facts.append(
            _fact_from_found(field_name, patterns.label(field_name), found, outline, locator, rules)
        )
    return facts


def _fact_from_found(
    field_name: str,
    label: str,
    found: Found,
    outline: SectionNode,
    locator: Locator,
    rules: RuleSet,
) -> Fact:
    view = TextView.of([found.paragraph], locator.normalised.raw, rules.text)
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


def _info_from_facts(info: DocumentInfo, facts: list[Fact]) -> DocumentInfo:
    """Parent body and unit type come from facts; the info block repeats them for convenience."""
    parent = next((f.text for f in facts if f.field == FieldName.UNIT_PARENT and f.text), None)
    unit_type = next((f.text for f in facts if f.field == FieldName.UNIT_TYPE and f.text), None)
    return info.model_copy(
        update={"parent": info.parent or parent, "unit_type": info.unit_type or unit_type}
    )


__all__ = ["Document", "Options", "extract", "failed_document"]
