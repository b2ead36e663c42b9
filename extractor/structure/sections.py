"""The outline tree: headings (一、 / （一） / 1. / (1) / 第一部分 / unmarked titles) and the
paragraphs under each, with the section families that scope the patterns."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..rules import HeadingRules
from ..text.normalize import Paragraph


@dataclass
class SectionNode:
    id: str
    title: str
    path: list[str]
    families: frozenset[str]
    kind: str | None = None
    heading: Paragraph | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    children: list[SectionNode] = field(default_factory=list)

    @property
    def depth(self) -> int:
        return len(self.path)

    @property
    def page(self) -> int | None:
        if self.heading is not None:
            return self.heading.page
        return self.paragraphs[0].page if self.paragraphs else None

    def walk(self) -> list[SectionNode]:
        nodes = [self]
        for child in self.children:
            nodes.extend(child.walk())
        return nodes


def build_outline(paragraphs: list[Paragraph], rules: HeadingRules) -> SectionNode:
    root = SectionNode(id="0", title="", path=[], families=frozenset())
    stack: list[tuple[str | None, SectionNode]] = []
    for paragraph in paragraphs:
        if paragraph.toc:
            continue
        heading = rules.classify(paragraph.text)
        if heading is None:
            (stack[-1][1] if stack else root).paragraphs.append(paragraph)
            continue
        kind, title = heading
        if kind is None or kind == "part":
            stack.clear()
        else:
            kinds = [entry[0] for entry in stack]
            if kind in kinds:
                del stack[kinds.index(kind) :]
        parent = stack[-1][1] if stack else root
        node = SectionNode(
            id=f"{parent.id}.{len(parent.children) + 1}"
            if parent is not root
            else str(len(root.children) + 1),
            title=title,
            path=[*parent.path, title],
            families=parent.families | rules.families_of(title),
            kind=kind,
            heading=paragraph,
        )
        parent.children.append(node)
        # An unmarked title sits at the top, and marked headings below it nest under it.
        stack.append((kind if kind is not None else "__title__", node))
    _demote_lists(root)
    return root


_LIST_KINDS = {"arabic", "paren_arabic", "circled"}


def _demote_lists(node: SectionNode) -> None:
    """Short numbered lines with nothing under them ("1. 普陀区司法局本部", "2. …") are a
    list in their parent's text, not headings."""
    for child in node.children:
        _demote_lists(child)
    if node.children and all(
        child.kind in _LIST_KINDS and not child.children and not child.paragraphs and child.heading
        for child in node.children
    ):
        node.paragraphs.extend(child.heading for child in node.children if child.heading)
        node.children = []
