"""One suffix table, one reader (or refusal) per format."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.batch.discovery import DEFAULT_INCLUDE, Filters, Found, discover
from extractor.errors import InputError
from extractor.readers.base import ReadRequest
from extractor.readers.convert import soffice_path
from extractor.readers.formats import SUFFIXES, Format, format_from_suffix
from extractor.readers.limits import Limits
from extractor.readers.reading import read_document
from extractor.readers.registry import READERS, ConvertingReader, Refusal

ROOT = Path(__file__).resolve().parent.parent

# Formats that are recognised and never read, with the code of the refusal.
REFUSED = {
    Format.XLSX: "unsupported_format",
    Format.ZIP: "unsupported_format",
    Format.BINARY: "unsupported_format",
    Format.EMPTY: "empty",
    Format.DAMAGED_ZIP: "corrupt_docx",
}
CONVERTED = {Format.DOC, Format.WPS, Format.RTF, Format.XLS, Format.OLE}


def test_every_format_has_a_reader_or_a_deliberate_refusal() -> None:
    assert set(READERS) == set(Format)
    for found, reader in READERS.items():
        assert reader.format is found
        if found in REFUSED:
            assert isinstance(reader, Refusal)
        elif found in CONVERTED:
            assert isinstance(reader, ConvertingReader)
        else:
            assert found in {Format.PDF, Format.DOCX, Format.TXT, Format.HTML}


@pytest.mark.parametrize("found", sorted(REFUSED))
def test_a_refused_format_raises_its_own_code(found: Format, tmp_path: Path) -> None:
    request = ReadRequest(tmp_path / "x", Limits(), data=b"")
    with pytest.raises(InputError) as raised:
        READERS[found].read(request)
    assert raised.value.code == REFUSED[found]


@pytest.mark.parametrize("found", sorted(CONVERTED))
def test_a_legacy_format_needs_conversion(found: Format, tmp_path: Path) -> None:
    request = ReadRequest(tmp_path / "x", Limits(), data=b"x", convert=soffice_path() is None)
    with pytest.raises(InputError) as raised:
        READERS[found].read(request)
    assert raised.value.code == "needs_conversion"


def test_the_default_includes_come_from_the_suffix_table() -> None:
    # The include list once lacked .xhtml, which the suffix table (and the README) read as a
    # web page: a saved .xhtml page in a folder was never taken.
    patterns = {pattern.removeprefix("*") for pattern in DEFAULT_INCLUDE}
    assert patterns <= set(SUFFIXES)
    assert ".xhtml" in patterns
    # Spreadsheets hold no notes; a README.md beside the files is no note either.
    assert not patterns & {".xls", ".xlsx", ".et", ".md"}
    assert all(SUFFIXES[suffix].is_document for suffix in patterns)


def test_a_folder_gives_its_web_pages_of_every_suffix(tmp_path: Path) -> None:
    for name in ("a.xhtml", "b.shtml", "c.md", "d.xlsx", "e.PDF"):
        (tmp_path / name).write_bytes(b"x")
    found = [
        Path(f.path).name for f in discover([str(tmp_path)], Filters()) if isinstance(f, Found)
    ]
    assert found == ["a.xhtml", "b.shtml", "e.PDF"]


def test_a_named_markdown_file_is_read_as_text(tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text("一段自己写的文字。\n", encoding="utf-8")
    result, detected, claimed = read_document(note, Limits())
    assert (detected, claimed, result.format) == ("txt", "txt", "txt")
    assert format_from_suffix(Path("x.XHTML")) is Format.HTML


def test_the_readme_lists_the_default_includes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert " ".join(DEFAULT_INCLUDE) in readme
