"""Web pages: the article among the rest of the page.

Removed first is what a reader never sees as article text: scripts, styles, forms,
navigation, headers and footers, asides, frames, and elements hidden by ``hidden``,
``display:none`` or ``visibility:hidden``. Then each paragraph scores for the block that
holds it (and half for that block's parent) by its length and its punctuation, blocks lose
the share of their text that is link text, and the best block wins, with its siblings that
score nearly as well; the headings directly above it (the article title) come with it.
Nothing is keyed to a site.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .html_elements import BLOCKS, SPACES, element_text, own_text, tag_name

# Elements whose content is never article text.
_JUNK = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "head",
        "nav",
        "header",
        "footer",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
        "input",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "canvas",
        "svg",
        "map",
        "menu",
        "dialog",
    }
)
# Inside an <article> or <main>, a <header> holds the article's title: the article's, not the
# site's. (A <footer> there holds the byline and share links: still not article text.)
_ARTICLE_PARTS = frozenset({"header"})
_HEADINGS = frozenset({"h1", "h2", "h3"})
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_CENTRED = re.compile(r"text-align\s*:\s*center", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[，。、；：,;]")
_AMOUNT = re.compile(r"\d\s*(?:万元|亿元|元)")
# Paragraph-like blocks score for the block that holds them; other blocks with text of their
# own (a div of text lines split by <br>) score for themselves.
_PARAGRAPHS = frozenset(
    {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "pre", "blockquote", "td", "th"}
)


def _drop(element: Any) -> None:
    """Remove an element and its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    tail = element.tail or ""
    previous = element.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail
    parent.remove(element)


def _is_hidden(element: Any) -> bool:
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


def _title_like(element: Any, own: str) -> bool:
    """A title line set as a block rather than a heading: short, no colon (a date or source
    line has one), no links, and centred or all in bold."""
    if len(own) > 60 or any(mark in own for mark in "：:。") or _own_links(element).strip():
        return False
    if (element.get("align") or "").lower() == "center" or _CENTRED.search(
        element.get("style") or ""
    ):
        return True
    bold = "".join(
        own_text(child) for child in element if tag_name(child) in ("b", "strong", "font")
    )
    return SPACES.sub("", bold) == own


def _parent(element: Any | None) -> Any | None:
    return element.getparent() if element is not None else None


def _own_links(element: Any) -> str:
    """Link text among an element's own (inline) text."""
    parts: list[str] = []
    for child in element:
        if tag_name(child) in BLOCKS:
            continue
        parts.append(own_text(child) if tag_name(child) == "a" else _own_links(child))
    return "".join(parts)


@dataclass
class _Score:
    score: float = 0.0
    chars: int = 0
    link_chars: int = 0


class Page:
    """The page with junk removed, and the article found by scoring its blocks."""

    def __init__(self, root: Any) -> None:
        self.frames = len(root.xpath("//frame|//iframe"))
        self.scripts = len(root.xpath("//script"))
        body = root.find("body")
        self.body = body if body is not None else root
        # Hidden elements that hold amounts: a person does not see them, a reader that took
        # them would count them.
        self.hidden_figures: list[str] = []
        junk: list[Any] = []
        stack = [(self.body, False)]
        while stack:
            element, in_article = stack.pop()
            for child in element:
                if not isinstance(child.tag, str):
                    continue
                tag = tag_name(child)
                if tag in _JUNK and not (in_article and tag in _ARTICLE_PARTS):
                    junk.append(child)
                elif _is_hidden(child):
                    junk.append(child)
                    text = SPACES.sub(" ", element_text(child)).strip()
                    if _AMOUNT.search(text):
                        self.hidden_figures.append(text[:60])
                else:
                    stack.append((child, in_article or tag in ("article", "main")))
        for element in junk:
            _drop(element)

    def article(self) -> list[Any]:
        """The elements that make up the article, in document order."""
        scores: dict[Any, _Score] = {}
        for element in self.body.iter():
            if not isinstance(element.tag, str) or tag_name(element) not in BLOCKS:
                continue
            own = SPACES.sub("", own_text(element))
            if len(own) < 5:
                continue
            links = min(len(SPACES.sub("", _own_links(element))), len(own))
            value = 1 + len(_PUNCTUATION.findall(own)) + min(len(own) / 100, 3)
            parent = element.getparent()
            if tag_name(element) in _PARAGRAPHS:
                holders = [(parent, 1.0), (_parent(parent), 0.5)]
            else:
                holders = [(element, 1.0), (parent, 0.5)]
            for holder, share in holders:
                if holder is None:
                    continue
                entry = scores.setdefault(holder, _Score())
                entry.score += value * share
                entry.chars += len(own)
                entry.link_chars += links
        if not scores:
            return []

        def adjusted(element: Any) -> float:
            entry = scores[element]
            return entry.score * (1 - entry.link_chars / max(entry.chars, 1))

        best = max(scores, key=adjusted)
        top = adjusted(best)
        parent = best.getparent()
        chosen = [best]
        if parent is not None:
            chosen = [
                sibling
                for sibling in parent
                if sibling is best or (sibling in scores and adjusted(sibling) >= 0.25 * top)
            ]
        inside = {id(element) for chosen_element in chosen for element in chosen_element.iter()}
        title = [h for h in self.title_above(chosen[0]) if id(h) not in inside]
        return title + chosen

    def title_above(self, first: Any) -> list[Any]:
        """The headings directly above the article (its title), passing over a few short
        lines between them that are neither headings nor links (date, source)."""
        order = [element for element in self.body.iter() if isinstance(element.tag, str)]
        position = next(index for index, element in enumerate(order) if element is first)
        ancestors = {id(element) for element in first.iterancestors()}
        found: list[Any] = []
        skipped = 0
        for element in reversed(order[:position]):
            if id(element) in ancestors:
                continue
            if tag_name(element) in _HEADINGS:
                if SPACES.sub("", element_text(element)):
                    found.insert(0, element)
                continue
            if tag_name(element) not in BLOCKS:
                continue
            own = SPACES.sub("", own_text(element))
            if not own:
                continue
            if _title_like(element, own):
                found.insert(0, element)
                continue
            links = len(SPACES.sub("", _own_links(element)))
            if found or skipped >= 3 or len(own) > 60 or links > len(own) / 2:
                break
            skipped += 1
        # A heading inside another is read with it.
        ids = {id(heading) for heading in found}
        return [h for h in found if not any(id(a) in ids for a in h.iterancestors())]

    def why_no_article(self) -> str:
        if self.frames:
            return (
                f"the page holds no article text: it is a frame set ({self.frames} frame(s));"
                " save the framed page itself"
            )
        if self.scripts:
            return (
                "the page holds no article text (its content may be loaded by a script);"
                " save the page after it has loaded, or its PDF/DOCX attachment"
            )
        return "the page holds no article text"
