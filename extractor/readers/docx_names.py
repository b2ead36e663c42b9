"""WordprocessingML vocabulary for the DOCX reader: the namespaced names of the elements it
reads, Word's on/off properties, and the text under an element.

The DOCX modules compare ``element.tag`` with these names (lxml gives ``{namespace}name``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

P, R, T, TBL, TR, TC = (f"{W}{name}" for name in ("p", "r", "t", "tbl", "tr", "tc"))
SDT, SDT_CONTENT, CUSTOM_XML = f"{W}sdt", f"{W}sdtContent", f"{W}customXml"
DEL, MOVE_FROM, DEL_TEXT = f"{W}del", f"{W}moveFrom", f"{W}delText"
TXBX_CONTENT = f"{W}txbxContent"
ALTERNATE, CHOICE, FALLBACK = (
    f"{_MC}AlternateContent",
    f"{_MC}Choice",
    f"{_MC}Fallback",
)
_OFF = frozenset({"0", "false", "off"})


def on_off(node: Any | None) -> bool | None:
    """A WordprocessingML on/off property: None when absent; present without a value is on."""
    if node is None:
        return None
    value = node.get(f"{W}val")
    return value is None or value.strip().lower() not in _OFF


def has_text(node: Any) -> bool:
    """Whether any run text under ``node`` is more than white space."""
    return any((t.text or "").strip() for t in node.iter(T))


def all_text(node: Any) -> str:
    """All run text under ``node``, deleted text included (for the reports of what was left
    out)."""
    return "".join(t.text or "" for t in node.iter(T, DEL_TEXT))


def children(node: Any, tag: str) -> Iterator[Any]:
    """The children of ``node`` named ``tag``, also those wrapped in content controls or
    custom XML (a table's rows and a row's cells may be)."""
    for child in node.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from children(content, tag)
        elif child.tag == CUSTOM_XML:
            yield from children(child, tag)
