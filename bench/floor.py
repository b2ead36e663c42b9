"""The floor every benchmark compares against: pypdfium2 alone, the text of every page."""

from __future__ import annotations

from pathlib import Path

import pypdfium2 as pdfium


def floor_text(path: str | Path) -> int:
    """Open the PDF, read each page's text, close; the number of characters read."""
    document = pdfium.PdfDocument(str(path))
    chars = 0
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            textpage.close()
            page.close()
    finally:
        document.close()
    return chars
