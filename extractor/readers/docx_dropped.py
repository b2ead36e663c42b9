"""DOCX: what the reader left out or read once instead of twice (hidden text, text tracked
changes deleted, text boxes stored twice, layout tables), counted as it reads, and the
warnings that say so.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..models import Problem
from ..problems import ProblemCode


@dataclass
class Dropped:
    """Text the reader left out for one reason: how much, where, and a sample."""

    chars: int = 0
    count: int = 0
    paragraphs: list[int] = field(default_factory=list)
    pages: set[int] = field(default_factory=set)
    samples: list[str] = field(default_factory=list)

    def add(self, text: str, paragraph: int, page: int | None) -> None:
        if not text.strip():
            return
        self.chars += len(text)
        self.count += 1
        if paragraph not in self.paragraphs:
            self.paragraphs.append(paragraph)
        if page is not None:
            self.pages.add(page)
        if len(self.samples) < 5:
            self.samples.append(text.strip()[:60])

    def where(self) -> str:
        shown = ", ".join(str(number) for number in self.paragraphs[:10])
        more = f" and {len(self.paragraphs) - 10} more" if len(self.paragraphs) > 10 else ""
        return f"paragraph{'s' if len(self.paragraphs) > 1 else ''} {shown}{more}"

    def detail(self) -> str:
        return "; ".join(self.samples)


@dataclass
class LeftOut:
    """Everything the reader left out, by reason."""

    hidden: Dropped = field(default_factory=Dropped)
    tracked: Dropped = field(default_factory=Dropped)
    duplicate_boxes: Dropped = field(default_factory=Dropped)
    layout_tables: Dropped = field(default_factory=Dropped)

    def warnings(self, macro_enabled: bool) -> list[Problem]:
        found: list[Problem] = []

        def add(code: ProblemCode, dropped: Dropped, message: str) -> None:
            if dropped.chars:
                found.append(
                    Problem(
                        code=code,
                        message=message,
                        pages=sorted(dropped.pages),
                        detail=dropped.detail() or None,
                    )
                )

        hidden, tracked, boxes, layout = (
            self.hidden,
            self.tracked,
            self.duplicate_boxes,
            self.layout_tables,
        )
        add(
            ProblemCode.HIDDEN_TEXT,
            hidden,
            f"{hidden.chars:,} characters of hidden text (Word's hidden font setting, set"
            f" directly or by a style) were not read, in {hidden.where()}",
        )
        add(
            ProblemCode.TRACKED_CHANGES_OLD_TEXT,
            tracked,
            f"{tracked.chars:,} characters that tracked changes mark as deleted or moved away"
            f" were not read (the text is read with its changes accepted), at {tracked.where()}",
        )
        add(
            ProblemCode.DUPLICATE_TEXT_BOX,
            boxes,
            f"{boxes.count} text box(es) stored twice (a drawing and its VML"
            f" fallback copy) were read once, at {boxes.where()}",
        )
        add(
            ProblemCode.LAYOUT_TABLE,
            layout,
            f"{layout.count} table(s) used for"
            f" layout (one cell, one column, or holding other tables) were read as paragraphs,"
            f" at {layout.where()}",
        )
        if macro_enabled:
            found.append(
                Problem(
                    code=ProblemCode.MACRO_ENABLED,
                    message="the package is a macro-enabled Word document (.docm); its text"
                    " was read, its macros were not run",
                )
            )
        return found
