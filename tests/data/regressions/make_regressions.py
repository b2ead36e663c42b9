"""Write the minimal regression inputs of this folder (run from the project root):

    python tests/data/regressions/make_regressions.py

Each file is the smallest input that shows a crash the fuzzer (scripts/fuzz_readers.py)
found in a real-sized mutated sample; tests/test_fuzz_regressions.py says what each checks.
"""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests._badfiles import _pdf_file, _stream  # noqa: E402


def table_pdf(mediabox: bytes, kids_extra: bytes = b"") -> bytes:
    """One page of six rows of figures in Helvetica: pdfium reads it and finds it tabular,
    so pdfplumber is asked for its tables."""
    rows = [
        b"BT /F1 10 Tf 50 %d Td (Row %d  1,234.56  2,345.67  3,456.78) Tj ET" % (800 - 14 * i, i)
        for i in range(6)
    ]
    objects: list[bytes] = []

    def add(data: bytes) -> int:
        objects.append(data)
        return len(objects)

    content = add(_stream(b"\n".join(rows)))
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    pages = len(objects) + 2
    page = add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox %s /Resources << /Font << /F1 %d 0 R >> >>"
        b" /Contents %d 0 R >>" % (pages, mediabox, font, content)
    )
    add(b"<< /Type /Pages /Kids [%d 0 R%s] /Count 1 >>" % (page, kids_extra))
    root = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    return _pdf_file(objects, root)


def broken_deflate_docx() -> bytes:
    """A zip with word/document.xml whose deflate data starts with an invalid block type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        member = zipfile.ZipInfo("word/document.xml", date_time=(2025, 1, 1, 0, 0, 0))
        archive.writestr(member, b"<w:document/>" * 20, compress_type=zipfile.ZIP_DEFLATED)
    data = bytearray(buffer.getvalue())
    start = 30 + len("word/document.xml")  # local header, then the name, then the data
    data[start : start + 4] = b"\xff\xff\xff\xff"
    return bytes(data)


FILES = {
    "pdf_mediabox_not_numbers.pdf": lambda: table_pdf(b"[0 0 595 842 /x]"),
    "pdf_mediabox_missing_object.pdf": lambda: table_pdf(b"99 0 R"),
    "pdf_page_tree_keyword.pdf": lambda: table_pdf(b"[0 0 595 842]", b" foo"),
    "docx_broken_deflate.docx": broken_deflate_docx,
}

if __name__ == "__main__":
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
        print(name)
