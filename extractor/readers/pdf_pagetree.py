"""A second opinion on a PDF's page count, asked only when PDFium's is over the limit.

PDFium takes the page count from the page tree's ``/Count``, so a tree that lists itself
among its kids with ``/Count 1000000`` reads as a million-page document. Before refusing a
file as too large, the tree is walked here (with pdfminer, which pdfplumber brings): a loop,
or a count the tree does not hold, is a damaged file, not a big one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PageTree:
    leaves: int  # pages found (up to the walk's budget)
    loop: bool  # a node is its own ancestor
    shared: bool  # a node is reached twice by different paths
    complete: bool  # the walk saw the whole tree within its budget


def walk_page_tree(path: Path, budget: int) -> PageTree | None:
    """Count the page tree's leaves, visiting at most ``budget`` nodes; None if the file
    cannot be parsed this way."""
    try:
        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfparser import PDFParser

        with path.open("rb") as handle:
            document = PDFDocument(PDFParser(handle))
            return _walk(document.catalog.get("Pages"), budget)
    except Exception:  # pdfminer raises many kinds on damaged files; PDFium's count stands
        return None


def _walk(root: Any, budget: int) -> PageTree:
    from pdfminer.pdftypes import PDFObjRef, resolve1

    leaves = 0
    visited = 0
    loop = shared = False
    seen: set[int] = set()
    # (node, ids of its ancestors)
    stack: list[tuple[Any, frozenset[int]]] = [(root, frozenset())]
    while stack:
        node, ancestors = stack.pop()
        visited += 1
        if visited > budget:
            return PageTree(leaves, loop, shared, complete=False)
        ident = node.objid if isinstance(node, PDFObjRef) else None
        if ident is not None:
            if ident in ancestors:
                loop = True
                continue
            if ident in seen:
                shared = True
                continue
            seen.add(ident)
        value = resolve1(node)
        if not isinstance(value, dict):
            continue
        kids = resolve1(value.get("Kids"))
        if not isinstance(kids, list):
            leaves += 1
            continue
        inner = ancestors | {ident} if ident is not None else ancestors
        stack.extend((kid, inner) for kid in reversed(kids))
    return PageTree(leaves, loop, shared, complete=True)
