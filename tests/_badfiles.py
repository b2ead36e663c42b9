"""Makers of broken, hostile and unusual input files for the robustness tests.

Everything is generated from the samples (or from scratch) at test time, so the repository
holds no large or dangerous files.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_TXT = SAMPLES / "seed.txt"
SEED_PDF = SAMPLES / "seed.pdf"
SEED_DOCX = SAMPLES / "seed.docx"

_FONT = "STSong-Light"


def seed_text() -> str:
    return SEED_TXT.read_text(encoding="utf-8")


# --- PDF -----------------------------------------------------------------------------------------


def render_pdf(
    path: Path, pages: Sequence[Sequence[str] | None], *, encrypt: object = None
) -> Path:
    """One PDF page per item: lines of text in the STSong-Light CID font, or (None) a page
    holding only an image, as a scanner makes."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen.canvas import Canvas

    if _FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(_FONT))
    canvas = Canvas(str(path), pageCompression=1, encrypt=encrypt)
    scan = None
    for lines in pages:
        if lines is None:
            scan = scan or _scan_image()
            canvas.drawImage(scan, 40, 60, width=515, height=720)
        else:
            canvas.setFont(_FONT, 11)
            y = 800
            for line in lines:
                canvas.drawString(50, y, line)
                y -= 16
        canvas.showPage()
    canvas.save()
    return path


def _scan_image() -> object:
    """A grey page image with dark bars where lines of text would be."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (400, 560), 235)
    draw = ImageDraw.Draw(image)
    for row in range(30, 540, 18):
        draw.rectangle((30, row, 370 - (row * 7) % 90, row + 8), fill=40)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def note_pages(count: int, lines_per_page: int = 4) -> list[list[str]]:
    """``count`` pages of short lines taken in turn from the seed note."""
    lines = [line.strip() for line in seed_text().splitlines() if line.strip()]
    # Short lines: a page is a few lines of the note, cut to fit the page width.
    pieces = [line[start : start + 40] for line in lines for start in range(0, len(line), 40)]
    return [
        [pieces[(page * lines_per_page + i) % len(pieces)] for i in range(lines_per_page)]
        for page in range(count)
    ]


def seed_pdf(tmp_path: Path) -> Path:
    """samples/seed.pdf, or a rendering of the seed text if the sample is missing."""
    if SEED_PDF.exists():
        return SEED_PDF
    lines = [
        line[start : start + 40]
        for line in seed_text().splitlines()
        for start in range(0, max(len(line), 1), 40)
    ]
    return render_pdf(tmp_path / "seed.pdf", [lines[i : i + 45] for i in range(0, len(lines), 45)])


def type3_pdf(codes: Sequence[bytes]) -> bytes:
    """A one-page PDF whose text uses a Type3 font with made-up glyph names and no
    ToUnicode map: the glyphs draw, but no reader can tell which characters they are
    (pdfium returns their raw codes, here control characters)."""
    names = [f"g{code}" for code in range(1, 21)]
    objects: list[bytes] = []

    def add(data: bytes) -> int:
        objects.append(data)
        return len(objects)

    procs = {name: add(_stream(b"500 0 0 0 400 600 d1 0 0 400 600 re f")) for name in names}
    lines = []
    for number, line in enumerate(codes):
        escaped = line.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
        lines.append(b"BT /T1 12 Tf 50 %d Td (%s) Tj ET" % (800 - 20 * number, escaped))
    content = add(_stream(b"\n".join(lines)))
    char_procs = b" ".join(b"/%s %d 0 R" % (name.encode(), ref) for name, ref in procs.items())
    font = add(
        b"<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 700] /FontMatrix [0.001 0 0 0.001 0 0]"
        b" /CharProcs << "
        + char_procs
        + b" >> /Encoding << /Type /Encoding /Differences [1 "
        + b" ".join(b"/" + name.encode() for name in names)
        + b"] >> /FirstChar 1 /LastChar 20 /Widths ["
        + b" 500" * 20
        + b"] /Resources << >> >>"
    )
    pages = len(objects) + 2
    page = add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /T1 %d 0 R"
        b" >> >> /Contents %d 0 R >>" % (pages, font, content)
    )
    add(b"<< /Type /Pages /Kids [%d 0 R] /Count 1 >>" % page)
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    return _pdf_file(objects, catalog)


def _stream(data: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


def _pdf_file(objects: list[bytes], root: int) -> bytes:
    chunks = [b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"]
    offsets = []
    position = len(chunks[0])
    for number, body in enumerate(objects, start=1):
        offsets.append(position)
        piece = b"%d 0 obj\n" % number + body + b"\nendobj\n"
        chunks.append(piece)
        position += len(piece)
    xref = b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    xref += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    trailer = b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        root,
        position,
    )
    return b"".join(chunks) + xref + trailer


# --- DOCX ----------------------------------------------------------------------------------------


def docx_with(
    replace: dict[str, bytes] | None = None,
    *,
    add: dict[str, bytes] | None = None,
    stored: Sequence[str] = (),
    base: Path = SEED_DOCX,
) -> bytes:
    """The seed DOCX with some parts replaced or added (``stored``: parts not compressed)."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(base) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for name, data in (add or {}).items():
            method = zipfile.ZIP_STORED if name in stored else zipfile.ZIP_DEFLATED
            target.writestr(zipfile.ZipInfo(name), data, compress_type=method)
    return out.getvalue()


def docx_with_picture(size: int, seed: int = 0) -> bytes:
    """The seed DOCX with a picture of ``size`` incompressible bytes, linked from the main
    part as Word links an inline image (so python-docx loads it with the package)."""
    import random

    rels = docx_part("word/_rels/document.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Id="rIdBig" Type="http://schemas.openxmlformats.org/officeDocument/'
        b'2006/relationships/image" Target="media/image1.png"/></Relationships>',
    )
    types = docx_part("[Content_Types].xml")
    if b'Extension="png"' not in types:
        types = types.replace(
            b"<Default ", b'<Default Extension="png" ContentType="image/png"/><Default ', 1
        )
    picture = b"\x89PNG\r\n\x1a\n" + random.Random(seed).randbytes(size - 8)
    return docx_with(
        {"word/_rels/document.xml.rels": rels, "[Content_Types].xml": types},
        add={"word/media/image1.png": picture},
        stored=["word/media/image1.png"],
    )


def docx_part(name: str, base: Path = SEED_DOCX) -> bytes:
    with zipfile.ZipFile(base) as archive:
        return archive.read(name)


def seed_document_xml() -> bytes:
    return docx_part("word/document.xml")


def with_doctype(document_xml: bytes, doctype: bytes, *, padding: bytes = b"") -> bytes:
    """Insert a DOCTYPE (after ``padding``, e.g. a long comment) before the root element."""
    declaration_end = document_xml.index(b"?>") + 2
    return document_xml[:declaration_end] + padding + doctype + document_xml[declaration_end:]


XXE_DOCTYPE = b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
LAUGHS_DOCTYPE = (
    b'<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        b'<!ENTITY lol%d "%s">'
        % (level, (b"&lol%d;" % (level - 1) if level > 1 else b"&lol;") * 10)
        for level in range(1, 10)
    )
    + b"]>"
)


def with_entity_reference(document_xml: bytes, entity: bytes) -> bytes:
    """Use an entity in the first text run, so a parser that expands entities would."""
    return document_xml.replace(b"<w:t>", b"<w:t>&" + entity + b";", 1)


def lying_zip_bomb() -> bytes:
    """A DOCX whose main part declares its real 20 KB size but inflates to 50 MB more: the
    size and ratio checks see nothing wrong; only reading the part can tell."""
    document = seed_document_xml()
    bomb = document.replace(
        b"</w:body>",
        b"<w:p><w:r><w:t>" + b" " * (50 * 1024 * 1024) + b"</w:t></w:r></w:p></w:body>",
    )
    data = bytearray(docx_with({"word/document.xml": bomb}))
    name = b"word/document.xml"
    # Patch the uncompressed size in the local header and in the central directory.
    for signature, size_offset, name_offset in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) >= 0:
            if data[start + name_offset : start + name_offset + len(name)] == name:
                assert struct.unpack_from("<I", data, start + size_offset)[0] == len(bomb)
                struct.pack_into("<I", data, start + size_offset, len(document))
            start += 4
    return bytes(data)


# --- legacy Office (OLE2 compound files) ---------------------------------------------------------

_FREE, _END, _FAT_SECTOR, _NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def ole2(stream_name: str, data: bytes = b"") -> bytes:
    """A minimal valid OLE2 compound file (version 3, 512-byte sectors) with one stream.

    Layout: header, sector 0 = FAT, sector 1 = directory, sectors 2… = the stream (padded
    to 4096 bytes so it lives in ordinary sectors and needs no mini stream).
    """
    data = data.ljust(4096, b"\0")
    data += b"\0" * (-len(data) % 512)
    stream_sectors = len(data) // 512
    assert stream_sectors + 2 <= 128, "one FAT sector addresses 128 sectors"
    fat = [_FAT_SECTOR, _END] + [3 + i for i in range(stream_sectors - 1)] + [_END]
    fat += [_FREE] * (128 - len(fat))
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
    header += struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
    header += struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
    header += struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108
    assert len(header) == 512
    directory = (
        _dir_entry("Root Entry", 5, child=1, start=_END, size=0)
        + _dir_entry(stream_name, 2, child=_NO_STREAM, start=2, size=len(data))
        + _dir_entry("", 0, child=_NO_STREAM, start=0, size=0) * 2
    )
    return header + struct.pack("<128I", *fat) + directory + data


def _dir_entry(name: str, kind: int, *, child: int, start: int, size: int) -> bytes:
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    entry = encoded.ljust(64, b"\0")
    entry += struct.pack("<HBB", len(encoded), kind, 1 if kind else 0)
    entry += struct.pack("<III", _NO_STREAM, _NO_STREAM, child)
    entry += b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16
    entry += struct.pack("<IQ", start, size)
    assert len(entry) == 128
    return entry


# --- texts that are not budget notes -------------------------------------------------------------

NEWS_ARTICLE = """本市今年秋粮收购工作全面展开

本报讯（记者 王晓）10月以来，全市各收储企业陆续开秤收购新粮。据市粮食和物资储备局介绍，
截至10月25日，全市已收购中晚稻12.6万吨，同比增加1.8万吨，收购价格每斤1.35元左右，
总体保持平稳。

在城南一家粮库，运粮车辆排起长队。种粮大户李师傅告诉记者，今年他种了320亩水稻，
亩产达到1200斤，“价格稳，心里就踏实”。据了解，今年全市共设置收购网点46个，
新增烘干设备15台套，方便农民就近售粮。

市气象台预计，未来一周以晴好天气为主，最高气温24摄氏度，适宜秋收秋种。有关部门提醒，
农民朋友要抓住晴好天气及时晾晒，防止粮食霉变。
"""

ENGLISH_DOCUMENT = """Quarterly Report of the Riverside Community Library

Introduction
The library served 12,450 visitors in the third quarter, an increase of 8.5% on the same
quarter last year. Spending on new books was $23,100.00, within the annual allowance of
$95,000.00.

Programmes
Story time ran 36 sessions with an average attendance of 22 children. The summer reading
challenge had 410 participants, of whom 268 completed it.

Outlook
Opening hours will be extended by 4 hours a week from January.
"""


def final_accounts_text() -> str:
    """The seed note made into a 决算 (final accounts) note."""
    text = seed_text().replace("2024年部门预算编制说明", "2024年部门决算说明", 1)
    assert text != seed_text()
    return text
