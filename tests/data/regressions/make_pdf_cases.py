"""Write the PDF reading-order and hidden-text cases of this folder (run from the project root):

    python tests/data/regressions/make_pdf_cases.py

Every case carries the same short budget note (``NOTE``), laid out or hidden the way real
offices and converters do it; ``pdf_clean_note.pdf`` is the note as plainly printed, and
tests/test_pdf_cases.py checks that each case gives the facts of the clean one, once, that
nothing planted is read, and that the reader says what it did. Figures planted in text no
one sees (9.9, 4.9, 999.99, 888.88, 777.77) appear nowhere in the note.

Needs reportlab (the dev extra); the page-tree loop is written byte by byte.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[2]))

from tests._badfiles import _pdf_file, _stream  # noqa: E402

NOTE = """\
遂宁市安居区统计局
2025年部门预算编制说明
一、收支预算情况说明
按照综合预算的原则，区统计局所有收入和支出均纳入部门预算管理。区统计局2025年收支总预算486.32万元，\
较2024年收支预算总数增加12.5万元，主要是人员经费增加。
（一）收入预算情况
区统计局2025年一般公共预算拨款收入486.32万元，政府性基金预算收入0万元，国有资本经营预算收入0万元。
（二）支出预算情况
区统计局2025年支出预算486.32万元，其中：基本支出402.18万元，占82.70%；项目支出84.14万元，占17.30%。
二、一般公共预算基本支出情况说明
区统计局2025年一般公共预算基本支出402.18万元，其中：人员经费371.06万元，主要包括基本工资、津贴补贴、\
绩效工资；公用经费31.12万元，主要包括办公费、印刷费、差旅费。
三、“三公”经费财政拨款预算安排情况说明
区统计局2025年“三公”经费财政拨款预算数6.1万元，其中：因公出国（境）经费0万元，公务接待费1.1万元，\
公务用车购置及运行维护费5万元。
2025年安排公务用车购置费0万元，安排公务用车运行维护费5万元。
四、“会议费”“培训费”“差旅费”财政拨款预算安排情况说明
区统计局2025年“会议费”“培训费”“差旅费”财政拨款预算数3.6万元，其中：会议费0.8万元，培训费1.2万元，\
差旅费1.6万元。
"""

# Sentences no reader of the page can see, with figures the note does not have.
PLANTED = [
    "区统计局2025年“三公”经费财政拨款预算数9.9万元，其中：公务接待费4.9万元。",
    "区统计局2025年收支总预算999.99万元。",
    "区统计局2025年支出预算888.88万元。",
    "区统计局2025年一般公共预算基本支出777.77万元。",
]

FONT = "STSong-Light"
SIZE = 11.0
LEADING = 18.0
PAGE = (595.0, 842.0)
MARGIN = 60.0


def _font() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))


def _width(text: str, size: float = SIZE) -> float:
    from reportlab.pdfbase import pdfmetrics

    _font()
    return float(pdfmetrics.stringWidth(text, FONT, size))


def wrap(paragraph: str, width: float, size: float = SIZE) -> list[str]:
    """A paragraph cut into lines that fill ``width``, as a word processor wraps Chinese:
    anywhere, also inside a figure."""
    lines: list[str] = []
    line = ""
    for char in paragraph:
        if line and _width(line + char, size) > width:
            lines.append(line)
            line = ""
        line += char
    return [*lines, line] if line else lines


def paragraphs(note: str = NOTE) -> list[str]:
    return [line for line in note.splitlines() if line.strip()]


def note_lines(width: float = PAGE[0] - 2 * MARGIN, size: float = SIZE) -> list[str]:
    return [line for paragraph in paragraphs() for line in wrap(paragraph, width, size)]


def _canvas(buffer: io.BytesIO, pagesize: tuple[float, float] = PAGE) -> Any:
    from reportlab.pdfgen.canvas import Canvas

    _font()
    canvas = Canvas(buffer, pagesize=pagesize, pageCompression=0, invariant=1)
    canvas.setFont(FONT, SIZE)
    return canvas


def _draw_lines(canvas: Any, lines: list[str], top: float = PAGE[1] - MARGIN) -> float:
    """Lines from ``top`` down; returns the baseline below the last one."""
    y = top
    for line in lines:
        canvas.drawString(MARGIN, y, line)
        y -= LEADING
    return y


def _invisible(canvas: Any, x: float, y: float, text: str, size: float = SIZE) -> None:
    """Text in render mode 3 (neither filled nor stroked), as OCR software writes it."""
    text_object = canvas.beginText(x, y)
    text_object.setFont(FONT, size)
    text_object.setTextRenderMode(3)
    text_object.textOut(text)
    canvas.drawText(text_object)


def _saved(canvas: Any, buffer: io.BytesIO) -> bytes:
    canvas.save()
    return buffer.getvalue()


# --- the cases ---------------------------------------------------------------------------------


def clean_note() -> bytes:
    """The note printed plainly on one page: the reference every other case must match."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    _draw_lines(canvas, note_lines())
    canvas.showPage()
    return _saved(canvas, buffer)


def white_text() -> bytes:
    """Planted sentences in white, near-white (250) and fully transparent text on the white
    page; the title in white on a dark banner, which everyone sees and must be read."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    lines = note_lines()
    top = PAGE[1] - MARGIN
    canvas.setFillColorRGB(0.1, 0.2, 0.45)
    canvas.rect(MARGIN - 4, top - 2 * LEADING + 12, PAGE[0] - 2 * MARGIN + 8, 2 * LEADING, 0, 1)
    canvas.setFillColorRGB(1, 1, 1)
    _draw_lines(canvas, lines[:2], top)
    canvas.setFillColorRGB(0, 0, 0)
    y = _draw_lines(canvas, lines[2:], top - 2 * LEADING)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.drawString(MARGIN, y - LEADING, PLANTED[0])
    canvas.setFillColorRGB(250 / 255, 250 / 255, 250 / 255)
    canvas.drawString(MARGIN, y - 2 * LEADING, PLANTED[1])
    canvas.setFillColorRGB(0, 0, 0)
    canvas.setFillAlpha(0)
    canvas.drawString(MARGIN, y - 3 * LEADING, PLANTED[2])
    canvas.setFillAlpha(1)
    canvas.showPage()
    return _saved(canvas, buffer)


def covered_text() -> bytes:
    """A figure corrected by painting a white box over it and writing the new one on top
    (公务接待费 9.9 → 1.1), and a planted sentence under a black redaction box."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    lines = note_lines()
    row = next(i for i, line in enumerate(lines) if "待费1.1万元" in line)
    old = lines[row].replace("待费1.1万元", "待费9.9万元")
    y = PAGE[1] - MARGIN
    for number, line in enumerate(lines):
        canvas.drawString(MARGIN, y, old if number == row else line)
        if number == row:
            x = MARGIN + _width(old[: old.index("9.9")])
            canvas.setFillColorRGB(1, 1, 1)
            canvas.rect(x - 0.5, y - 3, _width("9.9") + 1, SIZE + 3, 0, 1)
            canvas.setFillColorRGB(0, 0, 0)
            canvas.drawString(x, y, "1.1")
        y -= LEADING
    canvas.drawString(MARGIN, y - LEADING, PLANTED[1])
    canvas.rect(MARGIN - 2, y - LEADING - 4, _width(PLANTED[1]) + 4, SIZE + 6, 0, 1)
    canvas.showPage()
    return _saved(canvas, buffer)


def invisible_duplicate() -> bytes:
    """The visible note with an invisible copy over it, a little off and in pieces of five
    characters, as OCR software leaves on a page that had text already."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    lines = note_lines()
    _draw_lines(canvas, lines)
    y = PAGE[1] - MARGIN
    for line in lines:
        for start in range(0, len(line), 5):
            _invisible(
                canvas, MARGIN + _width(line[:start]) + 0.7, y - 0.4, line[start : start + 5]
            )
        y -= LEADING
    canvas.showPage()
    return _saved(canvas, buffer)


def invisible_contradicting() -> bytes:
    """The visible note, and invisible sentences with other figures in its blank space."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    y = _draw_lines(canvas, note_lines())
    for number, sentence in enumerate(PLANTED[:2]):
        _invisible(canvas, MARGIN, y - (number + 1) * LEADING, sentence)
    canvas.showPage()
    return _saved(canvas, buffer)


def hidden_on_a_busy_page() -> bytes:
    """The note written two characters per text object, as some converters write every
    word (hundreds of objects a page); a white sentence in the middle of the stream, an
    invisible one, and one under a black box drawn last."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    lines = note_lines()
    y = PAGE[1] - MARGIN
    for number, line in enumerate(lines):
        for start in range(0, len(line), 2):
            canvas.drawString(MARGIN + _width(line[:start]), y, line[start : start + 2])
        y -= LEADING
        if number == len(lines) // 2:
            canvas.setFillColorRGB(1, 1, 1)
            canvas.drawString(MARGIN, y, PLANTED[0])
            canvas.setFillColorRGB(0, 0, 0)
            y -= LEADING
    _invisible(canvas, MARGIN, y - LEADING, PLANTED[2])
    canvas.drawString(MARGIN, y - 2 * LEADING, PLANTED[1])
    canvas.rect(MARGIN - 2, y - 2 * LEADING - 4, _width(PLANTED[1]) + 4, SIZE + 6, 0, 1)
    canvas.showPage()
    return _saved(canvas, buffer)


def _scan_image(width: int, height: int) -> Any:
    """A grey page image with dark bars where lines of text would be."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    image = Image.new("L", (width, height), 235)
    draw = ImageDraw.Draw(image)
    for row in range(20, height - 20, 14):
        draw.rectangle((20, row, width - 20 - (row * 7) % 60, row + 6), fill=50)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


def scanned_with_ocr() -> bytes:
    """Page 1: a scan (one page image) with its OCR text layer, invisible, over it — the
    page's only text. Page 2: printed text, and a pasted scan of the last paragraph with OCR
    text over the picture only."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    lines = note_lines()
    middle = next(i for i, line in enumerate(lines) if line.startswith("三、"))
    cut = next(i for i, line in enumerate(lines) if line.startswith("四、"))
    first_page, second_page = lines[:middle], lines[middle:cut]
    canvas.drawImage(_scan_image(480, 680), 40, 60, width=515, height=740)
    y = PAGE[1] - MARGIN
    for line in first_page:
        _invisible(canvas, MARGIN, y, line)
        y -= LEADING
    canvas.showPage()
    canvas.setFont(FONT, SIZE)
    y = _draw_lines(canvas, second_page)
    picture_top = y - 4
    canvas.drawImage(_scan_image(480, 90), MARGIN - 6, picture_top - 80, width=490, height=84)
    y = picture_top - 14
    for line in lines[cut:]:
        _invisible(canvas, MARGIN, y, line)
        y -= LEADING
    canvas.showPage()
    return _saved(canvas, buffer)


def _parts(count: int) -> list[list[str]]:
    """The note's paragraphs (wrapped to the page) shared out over ``count`` pages."""
    chunks = paragraphs()
    size = -(-len(chunks) // count)
    width = PAGE[0] - 2 * MARGIN
    return [
        [line for paragraph in chunks[i : i + size] for line in wrap(paragraph, width)]
        for i in range(0, len(chunks), size)
    ]


def page_rotate() -> bytes:
    """Pages with /Rotate 90, 180 and 270 over text written upright on the page (a viewer
    shows it sideways or upside down), and a landscape page made as Word makes one: /Rotate
    90 over text turned a quarter, so that it shows upright."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    parts = _parts(4)
    for rotation, lines in zip((90, 180, 270), parts[:3], strict=True):
        canvas.setPageRotation(rotation)
        canvas.setFont(FONT, SIZE)
        _draw_lines(canvas, lines)
        canvas.showPage()
    canvas.setPageRotation(90)
    canvas.setFont(FONT, SIZE)
    # Shown turned 90° clockwise, the page is 842 wide and 595 high; draw in that space.
    canvas.translate(0, PAGE[1])
    canvas.rotate(-90)
    _draw_lines(canvas, parts[3], PAGE[0] - MARGIN)
    canvas.showPage()
    return _saved(canvas, buffer)


def rotated_text() -> bytes:
    """No /Rotate, but the text drawn turned 90°, 180° and 270° on three pages."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    width, height = PAGE
    # (angle, origin of the turned text space, its height)
    turns = [(90, (width, 0.0), width), (180, (width, height), height), (270, (0.0, height), width)]
    for (angle, (x, y), turned_height), lines in zip(turns, _parts(3), strict=True):
        canvas.setFont(FONT, SIZE)
        canvas.translate(x, y)
        canvas.rotate(angle)
        _draw_lines(canvas, lines, turned_height - MARGIN)
        canvas.showPage()
    return _saved(canvas, buffer)


def _two_columns(alternating: bool) -> bytes:
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    size, leading, gutter = 10.5, 16.0, 24.0
    column = (PAGE[0] - 2 * MARGIN - gutter) / 2
    top = PAGE[1] - MARGIN
    canvas.setFont(FONT, 14)
    for line in paragraphs()[:2]:
        canvas.drawCentredString(PAGE[0] / 2, top, line)
        top -= 24
    lines = [line for paragraph in paragraphs()[2:] for line in wrap(paragraph, column, size)]
    half = -(-len(lines) // 2)
    left, right = lines[:half], lines[half:]
    canvas.setFont(FONT, size)
    top -= 8
    if alternating:
        for row in range(half):
            canvas.drawString(MARGIN, top - row * leading, left[row])
            if row < len(right):
                canvas.drawString(MARGIN + column + gutter, top - row * leading, right[row])
    else:
        for row, line in enumerate(left):
            canvas.drawString(MARGIN, top - row * leading, line)
        for row, line in enumerate(right):
            canvas.drawString(MARGIN + column + gutter, top - row * leading, line)
    canvas.showPage()
    return _saved(canvas, buffer)


def two_columns_alternating() -> bytes:
    """The note in two columns under a title across both, the content stream going from a
    line of the left column to the line beside it in the right one, and back."""
    return _two_columns(alternating=True)


def two_columns_in_order() -> bytes:
    """The same two columns, the stream writing the left column first."""
    return _two_columns(alternating=False)


# (text, column, row, columns spanned, rows spanned): the 三公 table's header as the standard
# table draws it, and the note's figures under it.
SANGONG_CELLS = [
    ("合计", 0, 0, 1, 2),
    ("因公出国（境）费", 1, 0, 1, 2),
    ("公务接待费", 2, 0, 1, 2),
    ("公务用车购置及运行费", 3, 0, 3, 1),
    ("小计", 3, 1, 1, 1),
    ("购置费", 4, 1, 1, 1),
    ("运行费", 5, 1, 1, 1),
    *(
        (figure, column, 2, 1, 1)
        for column, figure in enumerate(["6.10", "0.00", "1.10", "5.00", "0.00", "5.00"])
    ),
]


def _sangong_table(canvas: Any, top: float) -> None:
    """The note's 三公 figures as a ruled table, with its title and unit, from ``top``."""
    widths = [70.0, 110.0, 80.0, 100.0, 90.0, 90.0]
    lefts = [MARGIN + sum(widths[:i]) for i in range(len(widths) + 1)]
    height = 22.0
    canvas.setFont(FONT, 14)
    canvas.drawString(MARGIN, top, "2025年“三公”经费财政拨款预算表")
    canvas.setFont(FONT, 10)
    canvas.drawString(MARGIN, top - 22, "单位：万元")
    grid_top = top - 30
    for text, column, row, across, down in SANGONG_CELLS:
        left, right = lefts[column], lefts[column + across]
        bottom = grid_top - (row + down) * height
        canvas.rect(left, bottom, right - left, down * height, 1, 0)
        canvas.drawCentredString((left + right) / 2, bottom + down * height / 2 - 3.5, text)


def _table_pages(turn: int | None) -> bytes:
    """Page 1: the note. Page 2: its 三公 table, on a landscape page: upright (None), made as
    Word makes one (/Rotate 90 over turned text, ``turn`` 90), or drawn turned with no
    /Rotate (``turn`` -90)."""
    buffer = io.BytesIO()
    canvas = _canvas(buffer)
    _draw_lines(canvas, note_lines())
    canvas.showPage()
    if turn is None:
        canvas.setPageSize((PAGE[1], PAGE[0]))
    elif turn == 90:
        canvas.setPageRotation(90)
        canvas.translate(0, PAGE[1])
        canvas.rotate(-90)
    else:
        canvas.translate(PAGE[0], 0)
        canvas.rotate(90)
    _sangong_table(canvas, PAGE[0] - MARGIN)
    canvas.showPage()
    return _saved(canvas, buffer)


def page_tree_loop(count: int = 1_000_000) -> bytes:
    """A page tree whose node lists itself among its kids and claims a million pages."""
    objects: list[bytes] = []

    def add(data: bytes) -> int:
        objects.append(data)
        return len(objects)

    content = add(_stream(b"BT /F1 10 Tf 50 800 Td (Page one) Tj ET"))
    font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    pages = len(objects) + 2
    page = add(
        b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 %d"
        b" 0 R >> >> /Contents %d 0 R >>" % (pages, font, content)
    )
    add(b"<< /Type /Pages /Kids [%d 0 R %d 0 R] /Count %d >>" % (page, pages, count))
    root = add(b"<< /Type /Catalog /Pages %d 0 R >>" % pages)
    return _pdf_file(objects, root)


CASES: dict[str, Callable[[], bytes]] = {
    "pdf_clean_note.pdf": clean_note,
    "pdf_white_text.pdf": white_text,
    "pdf_covered_text.pdf": covered_text,
    "pdf_invisible_duplicate.pdf": invisible_duplicate,
    "pdf_invisible_contradicting.pdf": invisible_contradicting,
    "pdf_hidden_on_a_busy_page.pdf": hidden_on_a_busy_page,
    "pdf_scanned_with_ocr.pdf": scanned_with_ocr,
    "pdf_page_rotate.pdf": page_rotate,
    "pdf_rotated_text.pdf": rotated_text,
    "pdf_two_columns_alternating.pdf": two_columns_alternating,
    "pdf_two_columns_in_order.pdf": two_columns_in_order,
    "pdf_page_tree_loop.pdf": page_tree_loop,
    "pdf_clean_table.pdf": lambda: _table_pages(None),
    "pdf_landscape_table.pdf": lambda: _table_pages(90),
    "pdf_turned_table.pdf": lambda: _table_pages(-90),
}

if __name__ == "__main__":
    for name, make in CASES.items():
        (HERE / name).write_bytes(make())
        print(name)
