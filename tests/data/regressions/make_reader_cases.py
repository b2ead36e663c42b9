"""Write the reader regression inputs of issue 10 (run from the project root):

    python tests/data/regressions/make_reader_cases.py

Each file is the seed note (samples/seed.txt) built the way an office program or a converter
builds real files, with one problem planted: text a person never sees (hidden text, the old
copy of a tracked change), text stored twice (a text box and its VML fallback), text in
places a naive reader skips (nested and layout tables, content controls), a package a naive
reader refuses (a renamed .docm, Strict OOXML), and, for plain text, invisible marks and NUL
bytes inside figures and a file half UTF-8, half GBK. Planted text carries figures that are
not in the seed (PLANTED below), so a test can tell they were not counted.
tests/test_reader_cases.py says what each file checks.

The DOCX packages are written by hand (zipfile and XML strings), not with python-docx: the
constructs planted here are the point, and python-docx has no API for most of them. Nothing
here imports the extractor.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
SEED = ROOT / "samples" / "seed.txt"

# Figures planted in text that must not be read; none of them occurs in the seed.
PLANTED = ("8.8万元", "3.3万元", "5.5万元", "66.6万元", "44.4万元", "7.7万元")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_W = "http://purl.oclc.org/ooxml/wordprocessingml/main"
STRICT_R = "http://purl.oclc.org/ooxml/officeDocument/relationships"
REL_TYPES = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
STRICT_REL_TYPES = "http://purl.oclc.org/ooxml/officeDocument/relationships"

NAMESPACES = (
    ' xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas"'
    ' xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    ' xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:r="{r}"'
    ' xmlns:v="urn:schemas-microsoft-com:vml"'
    ' xmlns:wp14="http://schemas.microsoft.com/office/word/2010/wordprocessingDrawing"'
    ' xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"'
    ' xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"'
    ' xmlns:w10="urn:schemas-microsoft-com:office:word"'
    ' xmlns:w="{w}"'
    ' xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'
    ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
    ' mc:Ignorable="w14 wp14"'
)

STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W}">
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:eastAsia="宋体"/><w:sz w:val="24"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DraftNote"><w:name w:val="Draft Note"/><w:basedOn w:val="Normal"/><w:rPr><w:vanish/><w:color w:val="808080"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="DraftNoteQuote"><w:name w:val="Draft Note Quote"/><w:basedOn w:val="DraftNote"/></w:style>
<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/></w:style>
<w:style w:type="character" w:styleId="Internal"><w:name w:val="Internal"/><w:rPr><w:vanish/></w:rPr></w:style>
<w:style w:type="character" w:styleId="InternalFigure"><w:name w:val="Internal Figure"/><w:basedOn w:val="Internal"/><w:rPr><w:color w:val="FF0000"/></w:rPr></w:style>
</w:styles>
"""


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


# --- WordprocessingML pieces ------------------------------------------------------------------


def run(text: str, props: str = "") -> str:
    properties = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{properties}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def para(*runs: str, style: str | None = None) -> str:
    properties = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p>{properties}{''.join(runs)}</w:p>"


def plain(lines: list[str]) -> str:
    return "".join(para(run(line)) if line.strip() else "<w:p/>" for line in lines)


def cell(content: str, width: int = 8300) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content or "<w:p/>"}</w:tc>'


def table(rows: list[list[str]]) -> str:
    """A table; each cell's content is block XML (a cell must end with a paragraph)."""
    columns = max(len(row) for row in rows)
    grid = "".join('<w:gridCol w:w="4150"/>' for _ in range(columns))
    body = "".join(
        "<w:tr>" + "".join(cell(content + "<w:p/>") for content in row) + "</w:tr>"
        for row in rows
    )
    return (
        '<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>"
    )


def content_control(content: str, tag: str, number: int) -> str:
    return (
        f'<w:sdt><w:sdtPr><w:alias w:val="{tag}"/><w:tag w:val="{tag}"/><w:id w:val="{number}"/>'
        f"</w:sdtPr><w:sdtContent>{content}</w:sdtContent></w:sdt>"
    )


def text_box_drawing(content: str, number: int) -> str:
    """A floating DrawingML text box (Word 2010+), as Word writes it inside mc:Choice."""
    return (
        '<w:drawing><wp:anchor distT="45720" distB="45720" distL="114300" distR="114300"'
        ' simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1"'
        ' allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="5274310" cy="1188720"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapTopAndBottom/><wp:docPr id="{number}" name="文本框 {number}"/>'
        "<wp:cNvGraphicFramePr/>"
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        '<a:ext cx="5274310" cy="1188720"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        "</wps:spPr>"
        f"<wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>"
        '<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="91440" tIns="45720" rIns="91440"'
        ' bIns="45720" anchor="t" anchorCtr="0"><a:spAutoFit/></wps:bodyPr></wps:wsp>'
        "</a:graphicData></a:graphic></wp:anchor></w:drawing>"
    )


def text_box_vml(content: str, number: int) -> str:
    """The same text box in VML, as Word writes it in mc:Fallback (and old Word alone)."""
    return (
        '<w:pict><v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202"'
        ' path="m,l,21600r21600,l21600,xe"><v:stroke joinstyle="miter"/>'
        '<v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
        f'<v:shape id="文本框 {number}" o:spid="_x0000_s10{number:02d}" type="#_x0000_t202"'
        ' style="position:absolute;margin-left:0;margin-top:0;width:415.3pt;height:93.6pt;'
        'z-index:251659264" stroked="f">'
        f'<v:textbox style="mso-fit-shape-to-text:t"><w:txbxContent>{content}</w:txbxContent>'
        "</v:textbox></v:shape></w:pict>"
    )


def text_box(content: str, number: int) -> str:
    """An anchor paragraph holding a text box the way Word 2010+ saves it: twice."""
    return (
        "<w:p><w:r><mc:AlternateContent>"
        f'<mc:Choice Requires="wps">{text_box_drawing(content, number)}</mc:Choice>'
        f"<mc:Fallback>{text_box_vml(content, number)}</mc:Fallback>"
        "</mc:AlternateContent></w:r></w:p>"
    )


# --- packages -------------------------------------------------------------------------------


def package(body: str, *, strict: bool = False, macro: bool = False) -> bytes:
    w, r, rel_types = (STRICT_W, STRICT_R, STRICT_REL_TYPES) if strict else (W, R, REL_TYPES)
    conformance = ' w:conformance="strict"' if strict else ""
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f"<w:document{NAMESPACES.format(w=w, r=r)}{conformance}><w:body>{body}"
        '<w:sectPr><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1440" w:right="1800" w:bottom="1440" w:left="1800" w:header="851"'
        ' w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>'
    )
    main_type = (
        "application/vnd.ms-word.document.macroEnabled.main+xml"
        if macro
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    )
    vba_default = (
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        if macro
        else ""
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{vba_default}'
        f'<Override PartName="/word/document.xml" ContentType="{main_type}"/>'
        '<Override PartName="/word/styles.xml"'
        ' ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
        "</Types>"
    )
    package_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel_types}/officeDocument" Target="word/document.xml"/>'
        "</Relationships>"
    )
    vba_rel = (
        '<Relationship Id="rId9" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject"'
        ' Target="vbaProject.bin"/>'
        if macro
        else ""
    )
    document_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{rel_types}/styles" Target="styles.xml"/>{vba_rel}'
        "</Relationships>"
    )
    parts = {
        "[Content_Types].xml": content_types,
        "_rels/.rels": package_rels,
        "word/document.xml": document,
        "word/_rels/document.xml.rels": document_rels,
        "word/styles.xml": STYLES.replace(W, w),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (2025, 1, 1, 0, 0, 0)), text.encode("utf-8"))
        if macro:
            # A stand-in for the VBA project: an OLE2 header and no macros.
            vba = bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504)
            archive.writestr(zipfile.ZipInfo("word/vbaProject.bin", (2025, 1, 1, 0, 0, 0)), vba)
    return buffer.getvalue()


# --- the cases ------------------------------------------------------------------------------
# Line numbers below are those of samples/seed.txt (1-based), as in tests/golden.

SANGONG = 67  # 区热线中心2024年“三公”经费财政拨款预算数6.1万元，其中：…
EXPENDITURE = 30  # 区热线中心2024年支出预算221.17万元，其中：基本支出191.17万元，…
MEETINGS = 80  # 区热线中心2024年“会议费”“培训费”“差旅费”财政拨款预算数0万元，…
VEHICLE_PURCHASE = 74  # 2024年安排公务用车购置费0万元。
VEHICLE_RUNNING = 76  # 2024年安排公务用车运行维护费5万元，…


def _body(lines: list[str], replace: dict[int, str]) -> str:
    """Paragraphs of the seed, with some lines (1-based) replaced by other block XML."""
    return "".join(
        replace[number] if number in replace else plain([line])
        for number, line in enumerate(lines, start=1)
    )


def _split(line: str, marker: str) -> tuple[str, str]:
    head, found, tail = line.partition(marker)
    assert found, (marker, line)
    return head, marker + tail


def clean() -> bytes:
    return package(plain(seed_lines()))


def hidden_text() -> bytes:
    """Hidden text, set directly on a run, by a character style (through basedOn) and by a
    paragraph style (through basedOn), each with figures that contradict the visible ones;
    and a run that switches hiding off again inside a hidden-style paragraph."""
    lines = seed_lines()
    head, tail = _split(lines[EXPENDITURE - 1], "项目支出30万元")
    meetings_head, meetings_tail = _split(lines[MEETINGS - 1], "培训费0万元")
    return package(
        _body(
            lines,
            {
                SANGONG: para(
                    run(
                        "区热线中心2024年“三公”经费财政拨款预算数8.8万元，其中：因公出国（境）经费0万元，"
                        "公务接待费3.3万元，公务用车购置及运行维护费5.5万元。"
                    ),
                    style="DraftNoteQuote",
                )
                + plain([lines[SANGONG - 1]]),
                EXPENDITURE: para(
                    run(head),
                    run("项目支出66.6万元，占30.11%；", '<w:rStyle w:val="InternalFigure"/>'),
                    run(tail),
                ),
                MEETINGS: para(
                    run(meetings_head),
                    run("会议费44.4万元，", "<w:vanish/>"),
                    run(meetings_tail),
                ),
                VEHICLE_PURCHASE: para(
                    run(lines[VEHICLE_PURCHASE - 1], '<w:vanish w:val="0"/>'), style="DraftNote"
                ),
            },
        )
    )


def tracked_changes() -> bytes:
    """A figure corrected with tracked changes (the old figure in w:del, the new one in
    w:ins), a paragraph moved with tracking on (its old copy in w:moveFrom, the new one in
    w:moveTo), and a deleted paragraph with a figure."""
    lines = seed_lines()
    head, tail = _split(lines[SANGONG - 1], "1.1万元")
    tail = tail.removeprefix("1.1")
    author = 'w:author="财务科" w:date="2024-01-20T09:30:00Z"'
    moved = lines[VEHICLE_RUNNING - 1]
    return package(
        _body(
            lines,
            {
                SANGONG: para(
                    run(head),
                    f'<w:del w:id="1" {author}><w:r><w:delText>3.3</w:delText></w:r></w:del>',
                    f'<w:ins w:id="2" {author}>{run("1.1")}</w:ins>',
                    run(tail),
                ),
                # The running-cost paragraph used to stand before the purchase paragraph.
                VEHICLE_PURCHASE - 1: plain([lines[VEHICLE_PURCHASE - 2]])
                + '<w:p><w:pPr><w:rPr><w:moveFrom w:id="3" '
                + author
                + "/></w:rPr></w:pPr>"
                + f'<w:moveFromRangeStart w:id="4" {author} w:name="move1"/>'
                + f'<w:moveFrom w:id="5" {author}>{run(moved)}</w:moveFrom>'
                + '<w:moveFromRangeEnd w:id="4"/></w:p>',
                VEHICLE_RUNNING: f'<w:p><w:moveToRangeStart w:id="6" {author} w:name="move1"/>'
                + f'<w:moveTo w:id="7" {author}>{run(moved)}</w:moveTo>'
                + '<w:moveToRangeEnd w:id="6"/></w:p>',
                MEETINGS + 1: plain([lines[MEETINGS]])
                + f'<w:p><w:pPr><w:rPr><w:del w:id="8" {author}/></w:rPr></w:pPr>'
                + f'<w:del w:id="9" {author}><w:r><w:delText>另安排培训费7.7万元。</w:delText></w:r>'
                + "</w:del></w:p>",
            },
        )
    )


def text_boxes() -> bytes:
    """The 三公 paragraph in a text box saved by Word 2010+ (DrawingML in mc:Choice and the
    same box in VML in mc:Fallback), and the meetings paragraph in a VML-only box (old
    Word): each must be read once."""
    lines = seed_lines()
    return package(
        _body(
            lines,
            {
                SANGONG: text_box(plain([lines[SANGONG - 1]]), 1),
                MEETINGS: f"<w:p><w:r>{text_box_vml(plain([lines[MEETINGS - 1]]), 2)}</w:r></w:p>",
            },
        )
    )


def layout_table() -> bytes:
    """The whole note inside a one-cell table, as pages converted from the web often are."""
    return package(table([[plain(seed_lines())]]))


def nested_tables() -> bytes:
    """A two-column layout table: sections 一–五 on the left, the rest on the right, where
    section 七 sits in a table nested in the cell and section 八 one level deeper still."""
    lines = seed_lines()
    left = plain(lines[:56])
    seven = plain(lines[64:77])  # 七、“三公”经费… to the vehicle running cost (lines 65–77)
    eight = plain(lines[77:86])  # 八、“会议费”… (lines 78–86)
    right = (
        plain(lines[56:64])
        + table([[seven + table([[eight]])]])
        + plain(lines[86:])
    )
    return package(table([[left, right]]))


def content_controls() -> bytes:
    """Sections 三–五 inside a body-level content control (w:sdt), section 七 in a control
    nested in another, and one figure of the 三公 paragraph in an inline control."""
    lines = seed_lines()
    head, tail = _split(lines[SANGONG - 1], "公务接待费1.1万元")
    figure, rest = tail[: len("公务接待费1.1万元")], tail[len("公务接待费1.1万元") :]
    inline = content_control(run(figure), "接待费", 3)
    seven = plain(lines[64:66]) + para(run(head), inline, run(rest)) + plain(lines[67:77])
    body = (
        plain(lines[:20])
        + content_control(plain(lines[20:56]), "收支预算", 1)
        + plain(lines[56:64])
        + content_control(content_control(seven, "三公经费", 2), "三公经费（外层）", 4)
        + plain(lines[77:])
    )
    return package(body)


def docm_renamed() -> bytes:
    """A macro-enabled document (.docm) saved under a .docx name."""
    return package(plain(seed_lines()), macro=True)


def strict_ooxml() -> bytes:
    """Word's 'Strict Open XML Document': the same XML under ISO/IEC 29500 strict names."""
    return package(plain(seed_lines()), strict=True)


# --- plain text -----------------------------------------------------------------------------


def _with(lines: list[str], number: int, old: str, new: str) -> None:
    assert old in lines[number - 1], (number, old)
    lines[number - 1] = lines[number - 1].replace(old, new, 1)


def marks_in_figures() -> bytes:
    """Zero-width and direction marks inside figures, as text pasted from web pages, PDF
    viewers and right-to-left aware editors carries them."""
    lines = seed_lines()
    _with(lines, 23, "221.17", "221.\u200b17")  # zero-width space
    _with(lines, EXPENDITURE, "191.17", "191\u200e.17")  # left-to-right mark
    _with(lines, EXPENDITURE, "13.56", "13.5\u200f6")  # right-to-left mark
    _with(lines, 35, "15.65", "\u202a15.65\u202c")  # embedding around the figure
    _with(lines, 43, "184.41", "184\ufeff.41")  # a BOM inside the text
    _with(lines, 43, "8.73", "8.7\u202e3\u202c")  # an override around one digit: no visible change
    _with(lines, SANGONG, "6.1", "6\u2060.1")  # word joiner
    _with(lines, SANGONG, "1.1万元", "1.\u20661\u2069万元")  # isolate
    _with(lines, 111, "171.43", "171.4\u200d3")  # zero-width joiner
    return "\n".join(lines).encode("utf-8")


def nul_bytes() -> bytes:
    """NUL bytes inside figures of a UTF-8 file (a damaged export)."""
    data = "\n".join(seed_lines()).encode("utf-8")
    for figure in ("221.17万元，较", "191.17", "6.1万元", "171.43"):
        encoded = figure.encode("utf-8")
        assert encoded in data, figure
        data = data.replace(encoded, encoded[:2] + b"\x00" + encoded[2:], 1)
    return data


def mixed_encoding() -> bytes:
    """A file whose first part is UTF-8 and whose rest is GBK (two files concatenated, or a
    note edited in two editors), with the 三公 line itself half one, half the other."""
    lines = seed_lines()
    split = SANGONG - 1
    head, tail = _split(lines[split], "其中：")
    return (
        "\n".join(lines[:split]).encode("utf-8")
        + b"\n"
        + head.encode("utf-8")
        + tail.encode("gbk")
        + b"\n"
        + "\n".join(lines[split + 1 :]).encode("gbk")
    )


# --- saved web pages --------------------------------------------------------------------------
# Built at test time (tests/test_reader_cases.py), not committed: the corpus texts stay in
# ../shared. A page is what a government site's CMS serves: a site header with navigation,
# a breadcrumb, the article title and its date line, the article, a share bar, related
# links, a footer, a search form, styles and scripts (one holding figures), and a hidden
# block with figures that contradict the article.

_SITE_STYLE = """body{font:14px/1.8 SimSun,serif;margin:0}.nav li{display:inline;margin:0 8px}
.article-title h1{font-size:22px;text-align:center}.info{color:#888;text-align:center}
.TRS_Editor p{text-indent:2em;margin:0.5em 0}.footer{background:#eee;font-size:12px}
.print-only{display:none}"""


def html_page(title: str, heading: list[str], article: str, *, charset: str, site: str) -> bytes:
    """A whole page around the article's HTML, encoded in ``charset`` (declared in a meta
    element the way the CMS writes it)."""
    nav = "".join(
        f'<li><a href="/{slug}/">{name}</a></li>'
        for slug, name in (
            ("index", "首页"),
            ("zwgk", "政务公开"),
            ("czyjs", "财政预决算"),
            ("bmys", "部门预算"),
            ("hdjl", "互动交流"),
            ("bsfw", "办事服务"),
        )
    )
    related = "".join(
        f'<li><a href="/czyjs/{number}.html">{name}</a><span>2024-02-{number:02d}</span></li>'
        for number, name in (
            (18, "关于2024年区级部门预算公开的说明"),
            (19, "区财政局2024年部门预算"),
            (20, "区教育局2024年部门预算"),
        )
    )
    declared = "gb2312" if charset.lower() in ("gbk", "gb2312", "gb18030") else charset
    headings = "".join(
        f"<h{level}>{escape(text)}</h{level}>" for level, text in enumerate(heading, start=1)
    )
    page = f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset={declared}" />
<meta name="SiteName" content="{site}" />
<meta name="ArticleTitle" content="{escape(title)}" />
<title>{escape(title)}_{site}</title>
<link rel="stylesheet" type="text/css" href="/css/style.css" />
<style type="text/css">{_SITE_STYLE}</style>
<script type="text/javascript">
var _stat = {{"visits": 1024, "budget": "999.99万元", "title": "预算总额999.99万元"}};
document.write("<p>访问统计：" + _stat.visits + "</p>");
</script>
</head>
<body>
<div class="top"><div class="logo"><a href="/"><img src="/images/logo.png" alt="{site}" /></a></div>
<form class="search" action="/search" method="get"><input type="text" name="q" value="请输入关键字" /><button type="submit">搜索</button></form></div>
<div class="nav"><ul>{nav}</ul></div>
<div class="main">
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/czyjs/">财政预决算</a></div>
<div class="article">
<div class="article-title">{headings}</div>
<div class="info">发布时间：2024-02-20 09:30&nbsp;&nbsp;来源：本站&nbsp;&nbsp;浏览次数：<span id="count">1024</span>&nbsp;&nbsp;【字体：<a href="javascript:void(0)">大</a> <a href="javascript:void(0)">中</a> <a href="javascript:void(0)">小</a>】</div>
<div class="TRS_Editor">
{article}
</div>
<div class="print-only" style="display:none"><p>（内部核对稿）“三公”经费财政拨款预算数8.8万元，公务接待费3.3万元。</p></div>
<div class="share">分享到：<a href="#">微信</a> <a href="#">微博</a> <a href="#">QQ空间</a> <a href="javascript:window.print()">【打印本页】</a> <a href="javascript:window.close()">【关闭窗口】</a></div>
</div>
<div class="related"><h3>相关文章</h3><ul>{related}</ul></div>
</div>
<div class="footer"><p>主办单位：{site}办公室&nbsp;&nbsp;承办单位：{site}大数据中心</p>
<p>地址：某某路88号&nbsp;&nbsp;电话：0825-0000000&nbsp;&nbsp;网站标识码：5109000001&nbsp;&nbsp;蜀ICP备00000000号</p></div>
<script type="text/javascript">var _hmt = _hmt || []; (function() {{ var hm = document.createElement("script"); }})();</script>
</body>
</html>
"""
    return page.encode(charset)


_HEADING_LINE = ("一、", "二、", "三、", "四、", "五、", "六、", "七、", "八、", "九、", "十、", "十一、", "十二、")


def _article_html(lines: list[str]) -> str:
    """Paragraphs the way a CMS editor stores them: headings bold, body text indented with
    non-breaking spaces and figures in styled spans now and then; the glossary (十二) one
    paragraph of lines split by <br />."""
    parts: list[str] = []
    glossary: list[str] = []
    for line in lines:
        text = line.strip()
        if not text:
            continue
        if glossary or text.startswith("十二、"):
            glossary.append(escape(text))
            continue
        if text.startswith(_HEADING_LINE):
            parts.append(f"<p><strong>{escape(text)}</strong></p>")
        elif text.startswith("（") and len(text) < 30:
            parts.append(f'<p><b><span style="font-family:黑体">{escape(text)}</span></b></p>')
        else:
            html = escape(text).replace(
                "221.17万元", '<span style="font-family:Times New Roman">221.17</span>万元'
            )
            parts.append(f"<p>&nbsp;&nbsp;&nbsp;&nbsp;{html}</p>")
    if glossary:
        parts.append("<p>" + "<br />\n".join(glossary) + "</p>")
    return "\n".join(parts)


def seed_page() -> bytes:
    """The seed as its unit's site would publish it: GBK, declared gb2312, the two title
    lines in the article's title block above the text."""
    lines = seed_lines()
    titles = [lines[0].strip(), lines[2].strip()]
    return html_page(
        "".join(titles),
        titles,
        _article_html(lines[3:]),
        charset="gbk",
        site="遂宁市安居区人民政府",
    )


def corpus_web_page(text: str) -> bytes:
    """A corpus web text (as stored: two '#' lines, the article, then the site's link list)
    back as a page: UTF-8, the article in the content block, the link list in the footer."""
    lines = [line for line in text.split("\n") if not line.startswith("#")]
    article = [line for line in lines if len(line.strip()) > 20]
    links = [line.strip() for line in lines if line.strip() and len(line.strip()) <= 20]
    page = html_page(
        "2024年一般公共预算“三公”经费预算情况",
        [],
        "\n".join(f"<p>{escape(line.strip())}</p>" for line in article),
        charset="utf-8",
        site="重庆市涪陵区人民政府",
    ).decode("utf-8")
    link_list = "".join(f'<li><a href="#">{escape(link)}</a></li>' for link in links)
    return page.replace(
        '<div class="footer">', f'<div class="links"><ul>{link_list}</ul></div><div class="footer">'
    ).encode("utf-8")


def tables_note_page() -> bytes:
    """samples/tables_note (narrative and three standard tables) as a page: tables with
    colspan/rowspan headers, each under its title and 单位 line, as the DOCX has them."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from make_samples import NOTE_META, note_blocks

    parts: list[str] = []
    titles: list[str] = []
    for kind, payload in note_blocks():
        if kind == "title":
            titles.append(payload)
        elif kind in ("heading", "subheading"):
            parts.append(f"<p><strong>{escape(payload)}</strong></p>")
        elif kind == "para":
            parts.append(f"<p>&nbsp;&nbsp;{escape(payload)}</p>")
        elif kind == "table":
            parts.append(_html_table(payload))
    return html_page(
        NOTE_META["title"], titles, "\n".join(parts), charset="utf-8", site="示例市东湖区人民政府"
    )


def _html_table(spec: dict) -> str:  # type: ignore[type-arg]
    rows = [*spec["header"], *spec["rows"]]
    starts: dict[tuple[int, int], tuple[int, int]] = {}
    covered: set[tuple[int, int]] = set()
    for col0, row0, col1, row1 in spec.get("spans", []):
        starts[(row0, col0)] = (col1 - col0 + 1, row1 - row0 + 1)
        covered.update(
            (r, c)
            for r in range(row0, row1 + 1)
            for c in range(col0, col1 + 1)
            if (r, c) != (row0, col0)
        )
    body: list[str] = []
    for r, row in enumerate(rows):
        cells: list[str] = []
        for c, value in enumerate(row):
            if (r, c) in covered:
                continue
            tag = "th" if r < len(spec["header"]) else "td"
            span = starts.get((r, c))
            attributes = ""
            if span and span[0] > 1:
                attributes += f' colspan="{span[0]}"'
            if span and span[1] > 1:
                attributes += f' rowspan="{span[1]}"'
            cells.append(f"<{tag}{attributes}>{escape(value or '')}</{tag}>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    header = f'<p style="text-align:center"><strong>{escape(spec["title"])}</strong></p>'
    if spec.get("org") or spec.get("unit"):
        header += f"<p>{escape(spec.get('org', ''))}&nbsp;&nbsp;&nbsp;&nbsp;{escape(spec.get('unit', ''))}</p>"
    note = f"<p>{escape(spec['note'])}</p>" if spec.get("note") else ""
    return (
        f'{header}<table border="1" cellspacing="0" cellpadding="2" style="border-collapse:collapse">'
        f"<tbody>{''.join(body)}</tbody></table>{note}"
    )


FILES: dict[str, Callable[[], bytes]] = {
    "docx_clean.docx": clean,
    "docx_hidden_text.docx": hidden_text,
    "docx_tracked_changes.docx": tracked_changes,
    "docx_text_box_twice.docx": text_boxes,
    "docx_layout_table.docx": layout_table,
    "docx_nested_tables.docx": nested_tables,
    "docx_content_controls.docx": content_controls,
    "docx_docm_renamed.docx": docm_renamed,
    "docx_strict_ooxml.docx": strict_ooxml,
    "txt_marks_in_figures.txt": marks_in_figures,
    "txt_nul_bytes.txt": nul_bytes,
    "txt_mixed_utf8_gbk.txt": mixed_encoding,
}

if __name__ == "__main__":
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
        print(name)
