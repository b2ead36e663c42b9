"""Render simple document blocks to PDF (reportlab) and DOCX (python-docx).

This is the sample factory used by ``scripts/make_samples.py``; it does not import the
``extractor`` package, so the samples do not depend on the code they are meant to test.

A document is a list of blocks, each a ``(kind, payload)`` tuple:

``("title", text)``
    A centred title line (large type).
``("heading", text)``
    A first-level heading such as ``一、部门主要职能``.
``("subheading", text)``
    A second-level heading such as ``（一）职能简介``.
``("para", text)``
    A body paragraph: justified, first line indented by two characters, wrapped by reportlab
    (so lines break mid-sentence, and now and then between a number and its unit).
``("table", spec)``
    A ruled table. ``spec`` is a dict with

    - ``title``: the caption above the table (``2025年部门支出预算总表``);
    - ``org`` (optional): the ``编制部门：…`` text shown at the left above the table;
    - ``unit`` (optional): the ``单位：元`` text shown at the right above the table;
    - ``header``: list of header rows; ``None`` marks a cell covered by a span;
    - ``rows``: list of body rows (strings; ``None`` for a cell covered by a span);
    - ``spans`` (optional): ``(col0, row0, col1, row1)`` rectangles, inclusive, counted over
      the whole table (header rows first);
    - ``widths`` (optional): relative column widths;
    - ``align`` (optional): one of ``"l"``/``"c"``/``"r"`` per column for body cells; by
      default cells that look like numbers are right-aligned and the rest left-aligned;
    - ``note`` (optional): a line printed under the table.

    In the PDF a table taller than the page continues on the next page with its header rows
    repeated; in the DOCX the header rows are marked to repeat.
``("pagebreak", None)``
    Start a new page.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

Block = tuple[str, Any]

FONT = "STSong-Light"
if FONT not in pdfmetrics.getRegisteredFontNames():
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

# Ordinary characters and the radical look-alikes WPS writes into the text layer instead.
# The Kangxi radicals (U+2F00..) fold back under NFKC; the two CJK Radicals Supplement forms
# (⻓ U+2ED3, ⻔ U+2ED4) do not, so a reader needs an explicit table for them.
KANGXI = {
    "支": "\u2f40",  # ⽀
    "行": "\u2f8f",  # ⾏
    "用": "\u2f64",  # ⽤
    "人": "\u2f08",  # ⼈
    "工": "\u2f2f",  # ⼯
    "高": "\u2fbc",  # ⾼
    "长": "\u2ed3",  # ⻓
    "门": "\u2ed4",  # ⻔
    "金": "\u2fa6",  # ⾦
    "生": "\u2f63",  # ⽣
    "方": "\u2f45",  # ⽅
    "一": "\u2f00",  # ⼀
}
_KANGXI_TABLE = str.maketrans(KANGXI)

# Overprint ("fake bold"): each glyph is drawn a second time this far to the right (as a
# fraction of the font size). pdfium silently drops a repeated glyph of the same font lying
# closer than 0.07 em to its twin (cpdf_textpage.cpp, kTextCharRatioGapDelta), so a 0.3 pt twin
# at 10.5 pt would vanish from pypdfium2's text; pdfplumber's dedupe_chars() merges twins up to
# 1 pt apart. 0.075 em satisfies both for every size used here (9–13 pt): 0.79 pt at 10.5 pt,
# 0.68 pt at 9 pt, 0.98 pt at 13 pt. Above 13.3 pt the twins would be over 1 pt apart.
OVERPRINT_EM = 0.075

_NUMBER_CELL = re.compile(r"^[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?%?$")


@dataclass(frozen=True)
class _Options:
    overprint: float  # 0 = off; otherwise the twin offset in em
    kangxi: bool


# --------------------------------------------------------------------------------------------
# PDF
# --------------------------------------------------------------------------------------------


class _GlyphText(PDFTextObject):
    """A text object that writes CID-font text glyph by glyph when overprint/kangxi is on."""

    def _formatText(self, text: str) -> str:  # noqa: N802 (reportlab's name)
        canv = self._canvas
        options: _Options | None = getattr(canv, "_bn_options", None)
        font = pdfmetrics.getFont(self._fontname)
        if options is None or not font._multiByte:
            return super()._formatText(text)
        if options.kangxi:
            text = text.translate(_KANGXI_TABLE)
        size = self._fontsize
        head = (
            f"{canv._doc.getInternalFontName(font.fontName)} {fp_str(size)} Tf"
            f" {fp_str(self._leading)} TL"
        )
        if not options.overprint or not text:
            return f"{head} ({font.formatForPdf(text)}) Tj"
        # [(g) back (g) forward ...] TJ: the twin sits `offset` to the right of its glyph and
        # the pen returns to where the single glyph would have left it (char spacing included).
        offset = options.overprint * size
        char_space = getattr(self, "_charSpace", 0) or 0
        parts: list[str] = []
        for char in text:
            width = font.stringWidth(char, size)
            glyph = f"({font.formatForPdf(char)})"
            back = (width + char_space - offset) * 1000 / size
            forward = offset * 1000 / size
            parts.append(f"{glyph} {fp_str(back)} {glyph} {fp_str(forward)}")
        return f"{head} [{' '.join(parts)}] TJ"


class _Canvas(Canvas):
    def __init__(self, *args: Any, bn_options: _Options | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._bn_options = bn_options

    def beginText(self, x: float = 0, y: float = 0, direction: Any = None) -> _GlyphText:  # noqa: N802
        return _GlyphText(self, x, y, direction=direction)


class _Para(Paragraph):
    """reportlab's CJK wrapping, drawn line by line so that justification uses char spacing.

    reportlab justifies by word spacing, which CJK lines (no spaces) never get. Here each
    line but the last is spread to the full measure with a uniform Tc, as word processors do.
    """

    def draw(self) -> None:
        lines = getattr(self.blPara, "lines", None) or []
        if not lines:
            return
        style = self.style
        canv = self.canv
        tx = canv.beginText()
        tx.setFont(style.fontName, style.fontSize, style.leading)
        first = lines[0]
        y = (
            self.height - getattr(first, "ascent", None)
            if not isinstance(first, (tuple, list))
            else self.height - getattr(self.blPara, "ascent", style.fontSize)
        )
        for number, line in enumerate(lines):
            if isinstance(line, (tuple, list)):  # single-fragment paragraphs: (space, [text])
                extra, words = line
                text = "".join(words)
                broken = False
            else:
                extra = line.extraSpace
                text = "".join(word.text for word in line.words)
                broken = bool(getattr(line, "lineBreak", False))
            last = number == len(lines) - 1 or broken
            x = style.leftIndent + (style.firstLineIndent if number == 0 else 0)
            char_space = 0.0
            if style.alignment == TA_CENTER:
                x += extra / 2
            elif style.alignment == TA_RIGHT:
                x += extra
            elif style.alignment == TA_JUSTIFY and not last and len(text) > 1:
                char_space = extra / (len(text) - 1)
            tx.setTextOrigin(x, y)
            tx.setCharSpace(char_space)
            tx.textOut(text)
            y -= style.leading
        tx.setCharSpace(0)
        canv.drawText(tx)


def _styles(font_size: float) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle(
        "body",
        fontName=FONT,
        fontSize=font_size,
        leading=round(font_size * 1.75, 2),
        alignment=TA_JUSTIFY,
        firstLineIndent=2 * font_size,
        wordWrap="CJK",
        spaceAfter=0,
    )
    return {
        "body": body,
        "title": ParagraphStyle(
            "title",
            parent=body,
            fontSize=font_size + 2.5,
            leading=(font_size + 2.5) * 1.7,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=font_size * 0.6,
        ),
        "heading": ParagraphStyle(
            "heading",
            parent=body,
            fontSize=font_size + 1.5,
            leading=(font_size + 1.5) * 1.7,
            alignment=TA_LEFT,
            firstLineIndent=0,
            spaceBefore=font_size * 0.6,
        ),
        "subheading": ParagraphStyle(
            "subheading",
            parent=body,
            alignment=TA_LEFT,
            firstLineIndent=2 * font_size,
        ),
        "table_title": ParagraphStyle(
            "table_title",
            parent=body,
            fontSize=font_size + 2.5,
            leading=(font_size + 2.5) * 1.6,
            alignment=TA_CENTER,
            firstLineIndent=0,
            spaceAfter=font_size * 0.4,
        ),
        "note": ParagraphStyle(
            "note",
            parent=body,
            fontSize=font_size - 1.5,
            leading=(font_size - 1.5) * 1.6,
            alignment=TA_LEFT,
            firstLineIndent=0,
            spaceBefore=font_size * 0.4,
        ),
    }


def _para(text: str, style: ParagraphStyle) -> _Para:
    return _Para(escape(text), style)


def _is_number(text: str | None) -> bool:
    return bool(text) and bool(_NUMBER_CELL.match(text.strip()))


def _pdf_table(spec: dict[str, Any], width: float, font_size: float) -> list[Any]:
    header: list[list[str | None]] = spec["header"]
    rows: list[list[str | None]] = spec["rows"]
    data = [[cell if cell is not None else "" for cell in row] for row in [*header, *rows]]
    columns = len(data[0])
    relative = spec.get("widths") or [1] * columns
    total = sum(relative)
    col_widths = [width * part / total for part in relative]
    size = font_size - 1.5
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), size),
        ("LEADING", (0, 0), (-1, -1), size * 1.2),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 6),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("ALIGN", (0, 0), (-1, len(header) - 1), "CENTER"),
    ]
    align = spec.get("align")
    names = {"l": "LEFT", "c": "CENTER", "r": "RIGHT"}
    for row_index, row in enumerate(rows, start=len(header)):
        for col_index, cell in enumerate(row):
            automatic = "RIGHT" if _is_number(cell) else "LEFT"
            value = names[align[col_index]] if align else automatic
            commands.append(("ALIGN", (col_index, row_index), (col_index, row_index), value))
    for col0, row0, col1, row1 in spec.get("spans", []):
        commands.append(("SPAN", (col0, row0), (col1, row1)))
        if row0 >= len(header):
            commands.append(("ALIGN", (col0, row0), (col1, row1), "CENTER"))
    table = Table(data, colWidths=col_widths, repeatRows=len(header), hAlign="CENTER")
    table.setStyle(TableStyle(commands))
    return [table]


def _caption(spec: dict[str, Any], width: float, font_size: float) -> Table | None:
    left, right = spec.get("org", ""), spec.get("unit", "")
    if not left and not right:
        return None
    caption = Table([[left, right]], colWidths=[width * 0.7, width * 0.3])
    caption.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("FONTSIZE", (0, 0), (-1, -1), font_size - 1.5),
                ("ALIGN", (0, 0), (0, 0), "LEFT"),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return caption


def _draw_page(
    canv: Canvas, doc: Any, *, header: str | None, numbers: bool, font_size: float
) -> None:
    canv.saveState()
    width, height = A4
    if header:
        canv.setFont(FONT, font_size - 1.5)
        canv.drawCentredString(width / 2, height - 14 * mm, header)
        canv.setLineWidth(0.5)
        canv.line(doc.leftMargin, height - 15.5 * mm, width - doc.rightMargin, height - 15.5 * mm)
    if numbers:
        canv.setFont(FONT, font_size - 1.5)
        canv.drawCentredString(width / 2, 12 * mm, f"- {doc.page} -")
    canv.restoreState()


def render_pdf(
    blocks: Iterable[Block],
    path: str | Path,
    *,
    title_header: str | None = None,
    page_numbers: bool = True,
    overprint: bool | float = False,
    kangxi: bool = False,
    font_size: float = 10.5,
    metadata: dict[str, str] | None = None,
) -> Path:
    """Write ``blocks`` as an A4 PDF in the non-embedded CID font STSong-Light.

    ``overprint``: draw every glyph twice (True: 0.075 em apart; a float: that offset in em),
    so the text layer holds each character twice at nearly the same spot.
    ``kangxi``: write Kangxi/CJK radical look-alikes (⽀⾏⽤…) into the text layer; STSong's
    UniGB-UCS2-H CMap maps them to the same glyphs, so the page looks unchanged.
    """
    path = Path(path)
    styles = _styles(font_size)
    meta = {"title": "", "author": "", "subject": "", "creator": "budget-notes samples"}
    meta.update(metadata or {})
    doc = SimpleDocTemplate(
        str(path),
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=22 * mm,
        invariant=1,
        pageCompression=1,
        title=meta["title"],
        author=meta["author"],
        subject=meta["subject"],
        creator=meta["creator"],
        producer="ReportLab",
    )
    width = doc.width
    story: list[Any] = []
    for kind, payload in blocks:
        if kind == "title":
            story.append(_para(payload, styles["title"]))
        elif kind == "heading":
            story.append(_para(payload, styles["heading"]))
        elif kind == "subheading":
            story.append(_para(payload, styles["subheading"]))
        elif kind == "para":
            story.append(_para(payload, styles["body"]))
        elif kind == "table":
            story.append(_para(payload["title"], styles["table_title"]))
            caption = _caption(payload, width, font_size)
            if caption is not None:
                story.append(caption)
            story.extend(_pdf_table(payload, width, font_size))
            if payload.get("note"):
                story.append(_para(payload["note"], styles["note"]))
            story.append(Spacer(1, font_size))
        elif kind == "pagebreak":
            story.append(PageBreak())
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    offset = OVERPRINT_EM if overprint is True else float(overprint or 0)
    options = _Options(overprint=offset, kangxi=kangxi)
    page = partial(_draw_page, header=title_header, numbers=page_numbers, font_size=font_size)
    doc.build(
        story, onFirstPage=page, onLaterPages=page, canvasmaker=partial(_Canvas, bn_options=options)
    )
    return path


# --------------------------------------------------------------------------------------------
# DOCX
# --------------------------------------------------------------------------------------------

_FIXED_TIME = datetime(2025, 1, 15, 9, 0, 0)
_ZIP_TIME = (2025, 1, 15, 9, 0, 0)


def _set_east_asian_font(style_or_run: Any, latin: str, east_asian: str) -> None:
    from docx.oxml.ns import qn

    style_or_run.font.name = latin
    element = style_or_run.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), latin)
    fonts.set(qn("w:eastAsia"), east_asian)
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attribute), None)


def _page_number_footer(section: Any) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.add_run("- ")
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
            run._r.append(element)
        elif kind == "text":
            run.text = text
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
            run._r.append(element)
    paragraph.add_run(" -")


def _repeat_header(row: Any) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _docx_table(document: Any, spec: dict[str, Any]) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.shared import Pt

    title = document.add_paragraph(spec["title"])
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for run in title.runs:
        run.font.size = Pt(14)
        run.bold = True
    if spec.get("org") or spec.get("unit"):
        caption = document.add_paragraph()
        section = document.sections[-1]
        text_width = section.page_width - section.left_margin - section.right_margin
        caption.paragraph_format.tab_stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)
        caption.add_run(f"{spec.get('org', '')}\t{spec.get('unit', '')}").font.size = Pt(9)

    header: list[list[str | None]] = spec["header"]
    rows: list[list[str | None]] = spec["rows"]
    all_rows = [*header, *rows]
    columns = len(all_rows[0])
    table = document.add_table(rows=len(all_rows), cols=columns)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    spans = spec.get("spans", [])
    covered: set[tuple[int, int]] = set()
    for col0, row0, col1, row1 in spans:
        table.cell(row0, col0).merge(table.cell(row1, col1))
        covered.update(
            (r, c)
            for r in range(row0, row1 + 1)
            for c in range(col0, col1 + 1)
            if (r, c) != (row0, col0)
        )
    align = spec.get("align")
    names = {
        "l": WD_ALIGN_PARAGRAPH.LEFT,
        "c": WD_ALIGN_PARAGRAPH.CENTER,
        "r": WD_ALIGN_PARAGRAPH.RIGHT,
    }
    span_starts = {(row0, col0) for col0, row0, _c, _r in spans}
    for row_index, values in enumerate(all_rows):
        for col_index, value in enumerate(values):
            if (row_index, col_index) in covered:
                continue
            cell = table.cell(row_index, col_index)
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(value or "")
            run.font.size = Pt(9)
            if row_index < len(header) or (row_index, col_index) in span_starts:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            elif align:
                paragraph.alignment = names[align[col_index]]
            elif _is_number(value):
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for row_index in range(len(header)):
        _repeat_header(table.rows[row_index])
    if spec.get("note"):
        note = document.add_paragraph(spec["note"])
        for run in note.runs:
            run.font.size = Pt(9)


def _normalise_zip(data: bytes) -> bytes:
    """Rewrite a DOCX package with fixed member dates, so that a re-run is byte-identical."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            target.writestr(info, source.read(item.filename))
    return buffer.getvalue()


def render_docx(
    blocks: Iterable[Block],
    path: str | Path,
    *,
    metadata: dict[str, str] | None = None,
    font_size: float = 10.5,
) -> Path:
    """Write ``blocks`` as a DOCX: Title/Heading 1/Heading 2 styles, real Word tables with
    merged header cells, explicit page breaks, a ``- N -`` page-number footer, and fixed core
    properties and zip dates (re-running gives the same bytes)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Mm, Pt

    path = Path(path)
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(22)

    styles = document.styles
    _set_east_asian_font(styles["Normal"], "Times New Roman", "宋体")
    styles["Normal"].font.size = Pt(font_size)
    for name, size in (("Title", 16), ("Heading 1", 12), ("Heading 2", font_size)):
        _set_east_asian_font(styles[name], "Times New Roman", "黑体")
        styles[name].font.size = Pt(size)

    for kind, payload in blocks:
        if kind == "title":
            paragraph = document.add_paragraph(payload, style="Title")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "heading":
            document.add_paragraph(payload, style="Heading 1")
        elif kind == "subheading":
            document.add_paragraph(payload, style="Heading 2")
        elif kind == "para":
            paragraph = document.add_paragraph(payload)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
            paragraph.paragraph_format.first_line_indent = Pt(2 * font_size)
        elif kind == "table":
            _docx_table(document, payload)
        elif kind == "pagebreak":
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        else:
            raise ValueError(f"unknown block kind {kind!r}")
    _page_number_footer(section)

    meta = {"title": "", "author": "", "subject": ""}
    meta.update(metadata or {})
    core = document.core_properties
    core.title = meta["title"]
    core.author = meta["author"]
    core.subject = meta["subject"]
    core.last_modified_by = meta["author"]
    core.comments = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = _FIXED_TIME
    core.modified = _FIXED_TIME
    core.last_printed = _FIXED_TIME

    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(_normalise_zip(buffer.getvalue()))
    return path


# --------------------------------------------------------------------------------------------
# Seed text → blocks
# --------------------------------------------------------------------------------------------

_NUMERAL = "一二三四五六七八九十"
_HEADING = re.compile(rf"^[{_NUMERAL}]{{1,3}}、")
_SUBHEADING = re.compile(rf"^[（(][{_NUMERAL}]{{1,3}}[）)]")


def _is_heading_text(line: str) -> bool:
    """A heading line: short and not a sentence (``（一）因公出国（境）经费…持平。`` is a
    numbered paragraph, not a heading)."""
    return len(line) <= 40 and not re.search(r"[。；]", line)


def read_seed_blocks(text: str) -> list[Block]:
    """Plain note text → blocks: the first two non-empty lines are titles, ``一、``…``十二、``
    lines are headings, short ``（一）`` lines are subheadings, everything else (including
    numbered items such as ``1. …``) is a paragraph."""
    blocks: list[Block] = []
    titles = 0
    for raw in text.splitlines():
        line = raw.strip().lstrip("\ufeff").strip()
        if not line:
            continue
        if titles < 2:
            blocks.append(("title", line))
            titles += 1
        elif _HEADING.match(line) and _is_heading_text(line):
            blocks.append(("heading", line))
        elif _SUBHEADING.match(line) and _is_heading_text(line):
            blocks.append(("subheading", line))
        else:
            blocks.append(("para", line))
    return blocks
