"""Overlays: a template's or a province's rules, holding only what differs from the base.

``patterns/overlays/<name>/`` has an ``overlay.yaml`` (what it is, when it applies) and any of:
``vocabulary.yaml`` (terms added to a vocabulary), ``tables.yaml`` (another title a standard
table goes by), ``sections.yaml`` (another heading a section family goes by), and pattern files
(new patterns; one with a base pattern's id replaces it). An overlay applies when the note's
unit lies in one of its regions, or when asked for by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pydantic import Field, ValidationError

from .parsed import ParsedStore
from .patternspec import PatternFile, PatternSpec
from .schemas import OVERLAY_FILE, OverlayFile, Strict
from .source import OVERLAYS, RuleError, read_yaml, yaml_files


class VocabularyOverlay(Strict):
    vocabularies: dict[str, dict[str, list[str]]]


class TablesOverlay(Strict):
    titles: dict[str, str] = Field(description="table kind id → another title regex")


class SectionsOverlay(Strict):
    families: dict[str, str] = Field(description="section family → another heading regex")


T = TypeVar("T", bound=Strict)

_DATA_FILES: dict[str, type[Strict]] = {
    "vocabulary.yaml": VocabularyOverlay,
    "tables.yaml": TablesOverlay,
    "sections.yaml": SectionsOverlay,
}


@dataclass(frozen=True)
class Overlay:
    name: str
    spec: OverlayFile
    vocabulary: VocabularyOverlay | None
    tables: TablesOverlay | None
    sections: SectionsOverlay | None
    patterns: list[tuple[str, list[PatternSpec]]]

    def applies_to(self, regions: list[str]) -> bool:
        return any(region in self.spec.applies_to.regions for region in regions)


def load_overlays(base: Path, store: ParsedStore | None = None) -> dict[str, Overlay]:
    folder = base / OVERLAYS
    if not folder.is_dir():
        return {}
    return {
        path.name: load_overlay(path, store) for path in sorted(folder.iterdir()) if path.is_dir()
    }


def load_overlay(folder: Path, store: ParsedStore | None = None) -> Overlay:
    where = f"{OVERLAYS}/{folder.name}"
    if not (folder / OVERLAY_FILE).exists():
        raise RuleError(f"{where}: no {OVERLAY_FILE} (what the overlay is, when it applies)")
    spec = _validated(OverlayFile, folder / OVERLAY_FILE, where, store)
    if spec.name != folder.name:
        raise RuleError(f"{where}/{OVERLAY_FILE}: name {spec.name!r} is not the folder's")
    data: dict[str, Strict] = {}
    patterns: list[tuple[str, list[PatternSpec]]] = []
    for path in yaml_files(folder):
        if path.name == OVERLAY_FILE:
            continue
        model = _DATA_FILES.get(path.name)
        if model is not None:
            data[path.name] = _validated(model, path, where, store)
        else:
            pattern_file = _validated(PatternFile, path, where, store)
            patterns.append((f"{where}/{path.name}", pattern_file.patterns))
    return Overlay(
        name=folder.name,
        spec=spec,
        vocabulary=_typed(data.get("vocabulary.yaml"), VocabularyOverlay),
        tables=_typed(data.get("tables.yaml"), TablesOverlay),
        sections=_typed(data.get("sections.yaml"), SectionsOverlay),
        patterns=patterns,
    )


def _typed(value: Strict | None, model: type[T]) -> T | None:
    return value if isinstance(value, model) else None


def _validated(model: type[T], path: Path, where: str, store: ParsedStore | None) -> T:
    raw = read_yaml(path, store)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        raise RuleError(f"{where}/{path.name}: {describe(exc, raw)}") from exc


def describe(exc: ValidationError, data: object) -> str:
    """Pydantic's errors as one line each, naming the pattern id where there is one."""
    messages = []
    for error in exc.errors():
        location = list(error["loc"])
        pattern_id = ""
        if len(location) >= 2 and location[0] == "patterns" and isinstance(location[1], int):
            try:
                pattern_id = f"pattern {data['patterns'][location[1]].get('id', '?')}: "  # type: ignore[index]
            except (KeyError, IndexError, TypeError, AttributeError):
                pattern_id = ""
        messages.append(f"{pattern_id}{'.'.join(str(part) for part in location)}: {error['msg']}")
    more = f" (and {len(messages) - 5} more)" if len(messages) > 5 else ""
    return "; ".join(messages[:5]) + more
