"""DOCX visibility: whether a run's text is hidden (Word's hidden font setting, ``w:vanish``),
set directly on the run, by its character style, by its paragraph's style (through the
``basedOn`` chains) or by the document defaults.
"""

from __future__ import annotations

from typing import Any

from .docx_names import W, on_off


class Styles:
    """Which paragraph and character styles hide their text (``w:vanish``), through their
    ``basedOn`` chains, and whether the document defaults do."""

    def __init__(self, root: Any | None) -> None:
        self._vanish: dict[str, bool | None] = {}
        self._based_on: dict[str, str] = {}
        self._resolved: dict[str | None, bool | None] = {}
        self.default_paragraph: str | None = None
        self.default_hidden = False
        if root is None:
            return
        default = root.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}vanish")
        self.default_hidden = bool(on_off(default))
        for style in root.iterchildren(f"{W}style"):
            style_id = style.get(f"{W}styleId")
            if not style_id:
                continue
            self._vanish[style_id] = on_off(style.find(f"{W}rPr/{W}vanish"))
            based_on = style.find(f"{W}basedOn")
            if based_on is not None and based_on.get(f"{W}val"):
                self._based_on[style_id] = based_on.get(f"{W}val")
            default_flag = (style.get(f"{W}default") or "").lower() in ("1", "true", "on")
            if style.get(f"{W}type") == "paragraph" and default_flag:
                self.default_paragraph = style_id

    def hidden(self, style_id: str | None) -> bool | None:
        """The style's own or inherited w:vanish, None if no style in the chain sets it."""
        if style_id not in self._resolved:
            value: bool | None = None
            seen: set[str] = set()
            current = style_id
            while current and current not in seen:  # a basedOn loop ends the chain
                seen.add(current)
                value = self._vanish.get(current)
                if value is not None:
                    break
                current = self._based_on.get(current)
            self._resolved[style_id] = value
        return self._resolved[style_id]

    def paragraph_hidden(self, paragraph: Any) -> bool:
        style = paragraph.find(f"{W}pPr/{W}pStyle")
        style_id = style.get(f"{W}val") if style is not None else self.default_paragraph
        value = self.hidden(style_id)
        return self.default_hidden if value is None else value

    def run_hidden(self, properties: Any | None, paragraph_hidden: bool) -> bool:
        """Direct formatting first, then the run's character style, then the paragraph's."""
        if properties is None:
            return paragraph_hidden
        direct = on_off(properties.find(f"{W}vanish"))
        if direct is not None:
            return direct
        style = properties.find(f"{W}rStyle")
        if style is not None:
            value = self.hidden(style.get(f"{W}val"))
            if value is not None:
                return value
        return paragraph_hidden
