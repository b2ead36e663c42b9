"""Inputs that once crashed a reader (found by scripts/fuzz_readers.py), cut down to the
smallest file that shows the problem (tests/data/regressions/). Each must now end in an
InputError or in a result with a warning, never in another exception.

Any file the fuzzer saves in tests/data/fuzz_crashes/ is replayed here too, so a new crash
fails the suite until the reader is fixed and the input moved to regressions/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import InputError
from extractor.pipeline import extract
from extractor.readers.limits import Limits
from extractor.readers.reading import read_document

DATA = Path(__file__).resolve().parent / "data"
REGRESSIONS = DATA / "regressions"
SUFFIXES = {".pdf", ".docx", ".txt", ".doc"}


def _read(name: str):  # type: ignore[no-untyped-def]
    result, detected, _claimed = read_document(REGRESSIONS / name, Limits())
    return result, detected


@pytest.mark.parametrize(
    "name",
    [
        # pdfplumber (pdfminer) cannot build a page that pdfium reads well: MediaBox with a
        # name in it (MalformedPDFException), MediaBox pointing at a missing object
        # (TypeError), a bare keyword among the page tree's kids (AttributeError). The tables
        # pass raised; now pdfium's text stands and the table pages are named in a warning.
        "pdf_mediabox_not_numbers.pdf",
        "pdf_mediabox_missing_object.pdf",
        "pdf_page_tree_keyword.pdf",
    ],
)
def test_pdf_pdfplumber_cannot_build_the_page(name: str) -> None:
    result, detected = _read(name)
    assert detected == "pdf"
    assert [line.text.split()[0] for line in result.lines] == ["Row"] * 6
    # The table pass may read the page in another way; if it cannot, it says so.
    for warning in result.warnings:
        assert (warning.code, warning.pages) == ("tables_unreadable", [1])


def test_docx_broken_deflate_stream() -> None:
    """zlib.error from a member's compressed data (not a BadZipFile) escaped the package
    check."""
    with pytest.raises(InputError) as raised:
        _read("docx_broken_deflate.docx")
    assert raised.value.code == "corrupt_docx"
    assert "word/document.xml is damaged" in raised.value.message


def _saved_inputs() -> list[Path]:
    return sorted(
        path
        for folder in (REGRESSIONS, DATA / "fuzz_crashes")
        if folder.is_dir()
        for path in folder.iterdir()
        if path.suffix in SUFFIXES
    )


@pytest.mark.parametrize("path", _saved_inputs(), ids=lambda path: path.name)
def test_saved_input_does_not_crash_the_pipeline(path: Path) -> None:
    document = extract(path)  # anything but an InputError would raise here
    assert document.status in ("ok", "failed")
    if document.status == "failed":
        assert document.errors and all(problem.message for problem in document.errors)
