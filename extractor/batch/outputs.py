"""The stored outputs of a run and the manifest kept in step with them: each content's JSON,
its rows (parts) and its record, under an output name (stem) no other content holds.

A path that moves to other content, content that two paths hold, a file renamed: the
outputs follow (relabelled, not processed again), and none is left that no path holds.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..export import document_json, remove_parts, render_parts, safe_stem, write_atomic, write_parts
from ..models import Document
from .manifest import Change, Content, Manifest, PathRecord, record_path, record_text
from .results import WorkResult

_STEM_BYTES = 180


@dataclass
class Outputs:
    out: Path
    manifest: Manifest
    run: int  # the run's number, stamped on what it stores
    optional: tuple[str, ...] = ()  # the notes' optional parts this run writes
    reserved: dict[str, str] = field(default_factory=dict)  # stem → path, of running tasks

    def reserve(self, path: str) -> str:
        """The output name for a file about to be processed, held until it is stored."""
        stem = self._own_stem(path) or self.free_stem(path, None)
        self.reserved[stem] = path
        return stem

    def release(self, stem: str, path: str) -> None:
        if self.reserved.get(stem) == path:
            del self.reserved[stem]

    def _own_stem(self, path: str) -> str | None:
        """The name this path's outputs already have: it keeps it when processed again."""
        record = self.manifest.path(path)
        content = self.manifest.content(record.sha256) if record else None
        if content is None or content.label_path != path:
            return None
        return content.output_stem if self.reserved.get(content.output_stem, path) == path else None

    def store(
        self, result: WorkResult, reserved: str | None, existing: Content | None, settings: str
    ) -> str:
        """Write a result's outputs and its manifest rows; return the stem it was stored as."""
        stem = self._stem_to_store(result, reserved)
        content = Content(
            sha256=result.sha256,
            size=result.size,
            document_id=result.document_id,
            output_stem=stem,
            label_path=result.path,
            status=result.status,
            failure=result.failure,
            reason=result.reason,
            settings=settings,
            pages=result.pages,
            facts=result.facts,
            warnings=result.warnings,
            checks_failed=result.checks_failed,
            stored_run=self.run,
        )
        write_atomic(self.out / f"{stem}.json", result.json_text, sync=False)
        write_parts(self.out, result.document_id, result.parts, sync=False)
        write_atomic(record_path(self.out, result.document_id), record_text(content), sync=False)
        change = self.manifest.store(content, result.path, result.size, result.mtime_ns, self.run)
        if existing and existing.output_stem != stem:
            self.remove_json(existing.output_stem)
        self.apply(change)
        return stem

    def _stem_to_store(self, result: WorkResult, reserved: str | None) -> str:
        """The reserved stem, unless another content owns it by now. The content that last
        held this path (and owns the stem) gives it up: if no path holds it any more it goes
        with this store; if copies of it remain elsewhere, it moves to one of them first."""
        stem = reserved or self.free_stem(result.path, result.sha256)
        owner = self.manifest.stem_owner(stem)
        if owner is None or owner.sha256 == result.sha256:
            return stem
        if owner.label_path == result.path:
            others = self.manifest.other_paths(owner.sha256, result.path)
            if others:
                self.relabel(owner, others[0], avoid=stem)
            return stem
        return self.free_stem(result.path, result.sha256)

    def free_stem(self, path: str, sha256: str | None, avoid: str | None = None) -> str:
        """The output name for ``path``: its file name, unless another input's content owns
        that name (then the name and a hash of the path)."""
        base = _base_stem(path)
        digest = hashlib.sha1(path.encode("utf-8", "surrogateescape")).hexdigest()
        for stem in (base, f"{base}-{digest[:8]}", f"{base}-{digest}"):
            if stem == avoid or self.reserved.get(stem, path) != path:
                continue
            owner = self.manifest.stem_owner(stem)
            if owner is None or owner.label_path == path or owner.sha256 == sha256:
                return stem
        return f"document-{digest}"

    def link(
        self, path: str, content: Content, size: int, mtime_ns: int, record: PathRecord | None
    ) -> tuple[Content, str]:
        """``path`` holds stored content: record it; return the content and why the path is
        skipped. When the path the content's outputs name is gone, this was a rename: the
        outputs are relabelled with the new path."""
        previous_label = content.label_path
        renamed = previous_label != path and not os.path.lexists(previous_label)
        change = self.manifest.link(path, content.sha256, size, mtime_ns, self.run)
        self.apply(change)
        if renamed:
            content = self.relabel(content, path) or content
            self.apply(self.manifest.remove_path(previous_label))
            reason = f"same content as {previous_label}, which is gone: renamed"
        elif previous_label == path or (record is not None and record.sha256 == content.sha256):
            reason = "unchanged since the last run"
        else:
            reason = f"same content as {previous_label}"
        return content, reason

    def apply(self, change: Change) -> None:
        for orphan in change.orphans:
            self.remove_json(orphan.output_stem)
            if self.manifest.content(orphan.sha256) is None:
                self.remove_parts(orphan.document_id)
        for content in change.unlabelled:
            others = self.manifest.other_paths(content.sha256, content.label_path)
            if others:
                self.relabel(content, others[0])

    def remove_json(self, stem: str) -> None:
        if self.manifest.stem_owner(stem) is None:
            (self.out / f"{stem}.json").unlink(missing_ok=True)

    def remove_parts(self, document_id: str) -> None:
        remove_parts(self.out, document_id)
        record_path(self.out, document_id).unlink(missing_ok=True)

    def relabel(self, content: Content, path: str, avoid: str | None = None) -> Content | None:
        """Name ``path`` in the content's outputs (JSON, rows), without processing it again:
        the stored JSON is the document, re-rendered with the new path."""
        json_path = self.out / f"{content.output_stem}.json"
        try:
            document = Document.model_validate_json(json_path.read_bytes())
        except (OSError, ValueError):
            self.manifest.expire(content.sha256)  # no document to relabel: process it again
            return None
        source = document.source.model_copy(update={"path": path, "file_name": Path(path).name})
        document = document.model_copy(update={"source": source})
        stem = self.free_stem(path, content.sha256, avoid)
        updated = replace(content, label_path=path, output_stem=stem, stored_run=self.run)
        write_atomic(self.out / f"{stem}.json", document_json(document), sync=False)
        write_parts(
            self.out, content.document_id, render_parts(document, self.optional), sync=False
        )
        write_atomic(record_path(self.out, content.document_id), record_text(updated), sync=False)
        self.manifest.relabel(content.sha256, path, stem, self.run)
        if stem != content.output_stem:
            self.remove_json(content.output_stem)
        return updated


def _base_stem(path: str) -> str:
    stem = safe_stem(Path(path).name)
    # File names are limited to 255 bytes, not characters: a long Chinese name (3 bytes a
    # character) plus "-<hash>.json" and write_atomic's ".<name>.<random>.tmp" would not fit.
    while len(stem.encode("utf-8")) > _STEM_BYTES:
        stem = stem[:-1]
    return stem
