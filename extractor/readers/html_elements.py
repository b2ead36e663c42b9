"""Web pages: the HTML vocabulary the page reader and the article finder share: which
elements are blocks (start and end a line), and the text of an element.
"""

from __future__ import annotations

import re
from typing import Any

# Elements that start and end a line of text.
BLOCKS = frozenset(
    {
        "address",
        "article",
        "blockquote",
        "body",
        "caption",
        "center",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "li",
        "main",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
SPACES = re.compile(r"[ \t\n\r\f\v]+")


def tag_name(element: Any) -> str:
    """The element's tag in lower case; "" for a comment or processing instruction."""
    tag = element.tag
    return tag.lower() if isinstance(tag, str) else ""


def element_text(element: Any) -> str:
    """All text under the element."""
    return "".join(element.itertext())


def own_text(element: Any) -> str:
    """Text of an element and its inline descendants, not of nested blocks."""
    parts = [element.text or ""]
    for child in element:
        if tag_name(child) not in BLOCKS:
            parts.append(own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)
