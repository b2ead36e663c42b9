"""Broken and hostile inputs: each ends in a clear, specific error record (or, where the file
can be read after all, a warning), never a traceback, a hang or made-up figures.

The bad files are generated here from the samples (see tests/_badfiles.py).
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
import zipfile
from functools import cache
from pathlib import Path

import pytest
from click.testing import CliRunner

from extractor.cli import app
from extractor.models import Document
from extractor.pipeline import Options, extract
from extractor.readers.convert import soffice_path
from extractor.readers.limits import Limits

from . import _badfiles as bad


def codes(problems: list) -> list[str]:  # type: ignore[type-arg]
    return [problem.code for problem in problems]


def failed_with(document: Document, code: str) -> str:
    """Assert the document failed for ``code`` alone, with no figures; return the message."""
    assert document.status == "failed", document.model_dump_json(include={"status", "warnings"})
    assert codes(document.errors) == [code], document.errors
    assert document.facts == []
    message = document.errors[0].message
    assert len(message) > 20  # a sentence, not a bare code
    return message


def fact_keys(document: Document) -> list[tuple[str, str, str, str]]:
    """What each fact says, without where it was found (offsets differ between formats)."""
    return sorted(
        (fact.field, fact.name or "", str(fact.amount.wan) if fact.amount else "", fact.text or "")
        for fact in document.facts
    )


@pytest.fixture(scope="module")
def seed_pdf_facts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:  # type: ignore[type-arg]
    document = extract(bad.seed_pdf(tmp_path_factory.mktemp("seed")))
    assert document.status == "ok"
    return fact_keys(document)


# --- empty, truncated, random --------------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".pdf", ".docx", ".txt", ".doc"])
def test_empty_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    assert "empty" in failed_with(extract(path), "empty")


def test_text_file_of_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n\t\n" * 50, encoding="utf-8")
    failed_with(extract(path), "empty")


@pytest.mark.parametrize("keep", [0.5, 0.9, 100])
def test_truncated_pdf(tmp_path: Path, keep: float) -> None:
    data = bad.seed_pdf(tmp_path).read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: int(len(data) * keep)] if keep < 1 else data[: int(keep)])
    message = failed_with(extract(path), "corrupt_pdf")
    assert "damaged or truncated" in message


def test_truncated_docx(tmp_path: Path) -> None:
    path = tmp_path / "truncated.docx"
    path.write_bytes(bad.SEED_DOCX.read_bytes()[:20_000])
    assert "truncated" in failed_with(extract(path), "corrupt_docx")


def test_random_bytes_named_pdf(tmp_path: Path) -> None:
    path = tmp_path / "random.pdf"
    path.write_bytes(random.Random(7).randbytes(20_000))
    message = failed_with(extract(path), "unsupported_format")
    assert "binary data" in message


def test_pdf_named_docx_is_read_as_pdf(tmp_path: Path, seed_pdf_facts: list[tuple]) -> None:  # type: ignore[type-arg]
    path = tmp_path / "note.docx"
    shutil.copyfile(bad.seed_pdf(tmp_path), path)
    document = extract(path)
    assert document.status == "ok"
    assert codes(document.warnings) == ["mislabelled"]
    assert "says docx but the content is pdf" in document.warnings[0].message
    assert (document.source.format, document.source.suffix_format) == ("pdf", "docx")
    assert fact_keys(document) == seed_pdf_facts


def test_docx_named_pdf_is_read_as_docx(tmp_path: Path) -> None:
    path = tmp_path / "note.pdf"
    shutil.copyfile(bad.SEED_DOCX, path)
    document = extract(path)
    assert document.status == "ok"
    assert codes(document.warnings) == ["mislabelled"]
    assert fact_keys(document) == fact_keys(extract(bad.SEED_DOCX))


# --- encrypted PDFs ------------------------------------------------------------------------------


def _encrypt(source: Path, target: Path, user_password: str, algorithm: str) -> Path:
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter(clone_from=str(source))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    with target.open("wb") as handle:
        writer.write(handle)
    return target


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-256"])
def test_pdf_encrypted_with_empty_user_password_is_read(
    tmp_path: Path,
    algorithm: str,
    seed_pdf_facts: list[tuple],  # type: ignore[type-arg]
) -> None:
    path = _encrypt(bad.seed_pdf(tmp_path), tmp_path / "restricted.pdf", "", algorithm)
    document = extract(path)
    assert document.status == "ok", document.errors
    assert fact_keys(document) == seed_pdf_facts


def test_pdf_encrypted_with_empty_user_password_keeps_its_tables(tmp_path: Path) -> None:
    source = bad.SAMPLES / "tables_note.pdf"
    if not source.exists():
        pytest.skip("samples/tables_note.pdf is missing")
    path = _encrypt(source, tmp_path / "restricted.pdf", "", "AES-128")
    plain, restricted = extract(source), extract(path)
    assert restricted.status == "ok"
    assert len(restricted.tables) == len(plain.tables) > 0
    assert fact_keys(restricted) == fact_keys(plain)


@pytest.mark.parametrize("algorithm", ["RC4-40", "AES-256"])
def test_pdf_encrypted_with_a_password(tmp_path: Path, algorithm: str) -> None:
    path = _encrypt(bad.seed_pdf(tmp_path), tmp_path / "secret.pdf", "secret", algorithm)
    message = failed_with(extract(path), "encrypted")
    assert "password" in message


# --- text layer ----------------------------------------------------------------------------------


def test_scanned_pdf_without_text_layer(tmp_path: Path) -> None:
    path = bad.render_pdf(tmp_path / "scan.pdf", [None, None, None])
    document = extract(path)
    message = failed_with(document, "no_text_layer")
    assert "OCR" in message
    assert document.errors[0].pages == [1, 2, 3]


def test_pdf_with_some_image_only_pages(tmp_path: Path) -> None:
    text_pages = bad.note_pages(3, lines_per_page=40)
    pages = [text_pages[0], None, text_pages[1], None, text_pages[2]]
    document = extract(bad.render_pdf(tmp_path / "part-scanned.pdf", pages))
    assert document.status == "ok"
    warning = next(w for w in document.warnings if w.code == "pages_without_text")
    assert warning.pages == [2, 4]
    assert "2 page(s)" in warning.message


def test_pdf_with_blank_pages_has_no_scan_warning(tmp_path: Path) -> None:
    text_pages = bad.note_pages(2, lines_per_page=40)
    document = extract(
        bad.render_pdf(tmp_path / "blank-page.pdf", [text_pages[0], [], text_pages[1]])
    )
    assert document.status == "ok"
    assert "pages_without_text" not in codes(document.warnings)


def test_pdf_with_no_text_and_no_images(tmp_path: Path) -> None:
    document = extract(bad.render_pdf(tmp_path / "blank.pdf", [[], []]))
    failed_with(document, "no_text")
    assert document.errors[0].pages == [1, 2]


def test_pdf_of_unmapped_glyphs(tmp_path: Path) -> None:
    """A Type3 font without ToUnicode: pdfium returns raw glyph codes (control characters).
    Not a monkeypatch: the file is real and any reader would have the same problem."""
    path = tmp_path / "glyphs.pdf"
    path.write_bytes(bad.type3_pdf([bytes(range(1, 9)) * 5, bytes(range(14, 21)) * 6] * 4))
    document = extract(path)
    message = failed_with(document, "unreadable_text")
    assert message.startswith("100% of the PDF's characters are unmapped glyphs")
    assert document.errors[0].pages == [1]
    assert "characters unreadable" in (document.errors[0].detail or "")


# --- legacy Office files -------------------------------------------------------------------------

LEGACY = [
    ("note.doc", "WordDocument", "legacy Word .doc", "--convert-to docx"),
    ("note.wps", "WordDocument", "WPS Writer .wps", "--convert-to docx"),
    ("table.xls", "Workbook", "legacy Excel .xls", "--convert-to pdf"),
]


@pytest.mark.parametrize(("name", "stream", "named", "conversion"), LEGACY)
def test_legacy_office_file_needs_conversion(
    tmp_path: Path, name: str, stream: str, named: str, conversion: str
) -> None:
    path = tmp_path / name
    path.write_bytes(bad.ole2(stream, b"\x00" * 1024))
    message = failed_with(extract(path), "needs_conversion")
    assert named in message
    assert f"soffice --headless {conversion} FILE" in message
    assert "--convert" in message


def test_ole2_maker_is_a_valid_compound_file() -> None:
    olefile = pytest.importorskip("olefile")
    import io

    with olefile.OleFileIO(io.BytesIO(bad.ole2("WordDocument", b"x" * 5000))) as ole:
        assert ole.listdir() == [["WordDocument"]]
        assert ole.openstream("WordDocument").read()[:5000] == b"x" * 5000


def test_convert_without_libreoffice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs-here"))
    assert soffice_path() is None
    path = tmp_path / "note.doc"
    path.write_bytes(bad.ole2("WordDocument"))
    message = failed_with(extract(path, Options(convert=True)), "needs_conversion")
    assert "LibreOffice (soffice)" in message
    assert "not installed" in message


def test_convert_is_offered_on_the_command_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["extract", "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert "--convert" in result.output


@pytest.mark.skipif(soffice_path() is None, reason="LibreOffice (soffice) is not installed")
def test_convert_with_libreoffice(tmp_path: Path) -> None:
    soffice = soffice_path()
    assert soffice
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--convert-to",
            "doc",
            "--outdir",
            str(tmp_path),
            str(bad.SEED_DOCX),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    document = extract(tmp_path / "seed.doc", Options(convert=True))
    assert document.status == "ok", document.errors
    assert "converted" in codes(document.warnings)
    assert fact_keys(document) == fact_keys(extract(bad.SEED_DOCX))


# --- hostile DOCX --------------------------------------------------------------------------------


def timed_extract(path: Path, options: Options | None = None) -> tuple[Document, float]:
    started = time.perf_counter()
    document = extract(path, options)
    return document, time.perf_counter() - started


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _hostile_document(doctype: bytes, entity: bytes, **padding: bytes) -> bytes:
    document = bad.with_doctype(bad.seed_document_xml(), doctype, **padding)
    return bad.docx_with({"word/document.xml": bad.with_entity_reference(document, entity)})


def _utf16_doctype() -> bytes:
    document = bad.with_doctype(bad.seed_document_xml(), bad.XXE_DOCTYPE)
    document = document.replace(b"encoding='UTF-8'", b"encoding='UTF-16'")
    return bad.docx_with({"word/document.xml": document.decode("utf-8").encode("utf-16")})


HOSTILE_DOCX = {
    "zip_bomb": lambda: bad.docx_with(add={"word/media/zeros.bin": b"\0" * (40 * 1024 * 1024)}),
    "lying_sizes": bad.lying_zip_bomb,
    "xxe": lambda: _hostile_document(bad.XXE_DOCTYPE, b"xxe"),
    "billion_laughs": lambda: _hostile_document(bad.LAUGHS_DOCTYPE, b"lol9"),
    # A DTD behind a comment longer than the part of the prolog the check reads.
    "doctype_after_long_comment": lambda: _hostile_document(
        bad.XXE_DOCTYPE, b"xxe", padding=b"<!--" + b"x" * 200_000 + b"-->"
    ),
    "doctype_in_utf16": _utf16_doctype,
    "doctype_in_rels": lambda: bad.docx_with(
        {"_rels/.rels": bad.with_doctype(bad.docx_part("_rels/.rels"), bad.XXE_DOCTYPE)}
    ),
    "utf7_declared": lambda: bad.docx_with(
        {
            "word/document.xml": bad.seed_document_xml().replace(
                b"encoding='UTF-8'", b"encoding='UTF-7'"
            )
        }
    ),
}


@cache
def hostile_docx(case: str) -> bytes:
    return HOSTILE_DOCX[case]()


@pytest.mark.parametrize(
    ("case", "code", "gist"),
    [
        ("zip_bomb", "unsafe_docx", "zip bomb"),
        ("lying_sizes", "corrupt_docx", "damaged"),
        ("xxe", "unsafe_docx", "DTD or entities"),
        ("billion_laughs", "unsafe_docx", "DTD or entities"),
        ("doctype_after_long_comment", "unsafe_docx", "before its root element"),
        ("doctype_in_utf16", "unsafe_docx", "DTD or entities"),
        ("doctype_in_rels", "unsafe_docx", "_rels/.rels declares a DTD"),
        ("utf7_declared", "unsafe_docx", "unexpected encoding"),
    ],
)
def test_hostile_docx_is_refused_quickly(tmp_path: Path, case: str, code: str, gist: str) -> None:
    path = _write(tmp_path, f"{case}.docx", hostile_docx(case))
    document, seconds = timed_extract(path)
    assert gist in failed_with(document, code)
    assert seconds < 3
    assert "root:" not in document.model_dump_json()  # no /etc/passwd content anywhere


def test_hostile_docx_in_bounded_memory(tmp_path: Path) -> None:
    """All hostile DOCX in one fresh process: the peak RSS hardly rises above the baseline
    of the imported libraries (a bomb that inflated would add 40 MB to 50 MB at least)."""
    paths = [_write(tmp_path, f"{case}.docx", hostile_docx(case)) for case in HOSTILE_DOCX]
    script = (
        "import json, resource, sys\n"
        "from extractor.pipeline import extract\n"
        "extract(sys.argv[1])\n"  # warm up: imports, the rule set
        "base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "codes = [extract(p).errors[0].code for p in sys.argv[2:]]\n"
        "peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "print(json.dumps({'codes': codes, 'base_kb': base, 'peak_kb': peak}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(bad.SEED_DOCX), *map(str, paths)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(result["codes"]) <= {"unsafe_docx", "corrupt_docx"}
    assert result["peak_kb"] - result["base_kb"] < 30 * 1024, result


def test_docx_with_an_svg_picture_that_has_a_doctype_is_read(tmp_path: Path) -> None:
    """SVG pictures often carry a DOCTYPE; python-docx keeps them as bytes, so they are fine."""
    svg = (
        b'<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"'
        b' "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg/>'
    )
    path = _write(tmp_path, "svg.docx", bad.docx_with(add={"word/media/image2.svg": svg}))
    assert extract(path).status == "ok"


def test_docx_with_too_many_parts(tmp_path: Path) -> None:
    parts = {f"customXml/item{number}.xml": b"<a/>" for number in range(2, 60)}
    path = _write(tmp_path, "parts.docx", bad.docx_with(add=parts))
    document = extract(path, Options(limits=Limits(max_docx_members=50)))
    assert "over the limit of 50" in failed_with(document, "unsafe_docx")


def test_docx_with_absurd_grid_span_is_read(tmp_path: Path) -> None:
    """A damaged table cell claiming to span a billion columns must not allocate them."""
    base = bad.SAMPLES / "tables_note.docx"
    if not base.exists():
        pytest.skip("samples/tables_note.docx is missing")
    with zipfile.ZipFile(base) as archive:
        xml = archive.read("word/document.xml")
    assert b"<w:tcPr>" in xml
    damaged = xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="999999999"/>', 1)
    damaged = damaged.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="x2"/>', 1)
    path = _write(tmp_path, "span.docx", bad.docx_with({"word/document.xml": damaged}, base=base))
    document, seconds = timed_extract(path)
    assert document.status == "ok"
    assert seconds < 10


# --- text encodings ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def utf8_facts(tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:  # type: ignore[type-arg]
    path = tmp_path_factory.mktemp("utf8") / "note.txt"
    path.write_bytes(bad.seed_text().encode("utf-8"))
    document = extract(path)
    assert document.status == "ok"
    return fact_keys(document)


@pytest.mark.parametrize(
    ("encoding", "bom", "recorded"),
    [
        ("gb18030", b"", "gb18030"),
        ("gbk", b"", "gb18030"),  # GBK is a subset of GB18030
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
        ("utf-16-le", b"", "utf-16-le"),
    ],
)
def test_text_encodings(
    tmp_path: Path,
    utf8_facts: list[tuple],
    encoding: str,
    bom: bytes,
    recorded: str,  # type: ignore[type-arg]
) -> None:
    path = tmp_path / "note.txt"
    path.write_bytes(bom + bad.seed_text().replace("\n", "\r\n").encode(encoding))
    document = extract(path)
    assert document.status == "ok", document.errors
    assert document.source.encoding == recorded
    assert codes(document.warnings) == []
    assert fact_keys(document) == utf8_facts


# --- not a budget note, wrong kind ---------------------------------------------------------------


@pytest.mark.parametrize("text", [bad.NEWS_ARTICLE, bad.ENGLISH_DOCUMENT], ids=["news", "english"])
def test_text_that_is_not_a_budget_note(tmp_path: Path, text: str) -> None:
    path = tmp_path / "other.txt"
    path.write_text(text, encoding="utf-8")
    document = extract(path)
    assert "does not read as a budget note" in failed_with(document, "not_a_budget_note")
    assert document.checks == [] and document.unparsed == []


def test_final_accounts_when_budget_expected(tmp_path: Path) -> None:
    path = tmp_path / "final.txt"
    path.write_text(bad.final_accounts_text(), encoding="utf-8")
    assert extract(path).status == "ok"
    document = extract(path, Options(expect_kind="预算"))
    message = failed_with(document, "kind_mismatch")
    assert "决算" in message and "预算" in message
    assert document.info.kind == "决算"


# --- through the command line: names, folders, report --------------------------------------------


def run_cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["extract", "--quiet", *args])
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def report(out: Path) -> list[dict]:  # type: ignore[type-arg]
    return [
        json.loads(line) for line in (out / "report.jsonl").read_text(encoding="utf-8").splitlines()
    ]


def all_inside(out: Path) -> list[Path]:
    files = [path for path in out.rglob("*") if path.is_file()]
    for path in files:
        assert path.resolve().is_relative_to(out.resolve()), path
    return files


ESCAPING_NAMES = [
    "with spaces in it.txt",
    "遂宁市安居区 部门预算说明.txt",
    "..\\..\\escaped.txt",
    "C:\\Windows\\Temp\\escaped.txt",
    "\\\\server\\share\\escaped.txt",
    "..txt",
    "...txt",
    "%2e%2e%2fescaped.txt",
    "..%5c..%5cescaped.txt",
    "-rf.txt",
    "new\nline.txt",
    "／etc／passwd.txt",
]


def test_file_names_never_escape_the_output_folder(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    text = bad.seed_text()
    for number, name in enumerate(ESCAPING_NAMES):
        # Different content per file, so none is skipped as a duplicate of another.
        (inputs / name).write_text(text + f"\n附{number}\n", encoding="utf-8")
    out = tmp_path / "out"
    status, output = run_cli(str(inputs), "--out", str(out), "--no-text")
    assert status == 0, output
    lines = report(out)
    assert len(lines) == len(ESCAPING_NAMES)
    assert {line["status"] for line in lines} == {"ok"}
    written = all_inside(out)
    json_outputs = {path.name for path in written if path.parent == out and path.suffix == ".json"}
    json_outputs.discard("datapackage.json")  # the tables' descriptor, not a note's output
    assert {line["output"] for line in lines} <= json_outputs
    assert len(json_outputs) == len(ESCAPING_NAMES)  # one output each, none overwritten
    assert "with spaces in it.json" in json_outputs
    assert "遂宁市安居区 部门预算说明.json" in json_outputs
    # Nothing was written beside the inputs or above the output folder.
    assert sorted(p.name for p in inputs.iterdir()) == sorted(ESCAPING_NAMES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in", "out"]


def test_long_chinese_file_name(tmp_path: Path) -> None:
    """80 CJK characters: 240 bytes, near the 255-byte limit of a file name."""
    name = ("遂宁市安居区政务服务便民热线中心" * 6)[:80] + ".txt"
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_text(bad.seed_text(), encoding="utf-8")
    out = tmp_path / "out"
    status, output = run_cli(str(source), "--out", str(out), "--no-text")
    assert status == 0, output
    (line,) = report(out)
    assert line["status"] == "ok"
    assert (out / line["output"]).exists()
    assert len(line["output"].encode("utf-8")) <= 255
    all_inside(out)


def test_one_bad_file_in_a_folder_of_good_ones(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copyfile(bad.SEED_TXT, inputs / "a_note.txt")
    shutil.copyfile(bad.SEED_DOCX, inputs / "b_note.docx")
    shutil.copyfile(bad.seed_pdf(tmp_path), inputs / "c_note.pdf")
    (inputs / "d_broken.pdf").write_bytes(bad.seed_pdf(tmp_path).read_bytes()[:3000])
    out = tmp_path / "out"
    status, output = run_cli(str(inputs), "--out", str(out))
    assert status == 1, output
    lines = {Path(line["path"]).name: line for line in report(out)}
    assert sorted(lines) == ["a_note.txt", "b_note.docx", "c_note.pdf", "d_broken.pdf"]
    assert {name: line["status"] for name, line in lines.items()} == {
        "a_note.txt": "ok",
        "b_note.docx": "ok",
        "c_note.pdf": "ok",
        "d_broken.pdf": "failed",
    }
    assert lines["d_broken.pdf"]["reason"].startswith("corrupt_pdf: ")
    for name in ("a_note", "b_note", "c_note"):
        written = json.loads((out / f"{name}.json").read_text(encoding="utf-8"))
        assert written["status"] == "ok" and written["facts"]
    broken = json.loads((out / "d_broken.json").read_text(encoding="utf-8"))
    assert broken["status"] == "failed"
    assert broken["errors"][0]["code"] == "corrupt_pdf"
    assert (out / "facts.csv").exists() and (out / "documents.csv").exists()


def test_limits_on_the_command_line(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copyfile(bad.seed_pdf(tmp_path), inputs / "note.pdf")
    shutil.copyfile(bad.SEED_DOCX, inputs / "note.docx")
    shutil.copyfile(bad.SEED_TXT, inputs / "small.txt")
    (inputs / "big.txt").write_bytes(bad.SEED_TXT.read_bytes() * 6)
    sizes = [path.stat().st_size for path in inputs.iterdir() if path.name != "big.txt"]
    out = tmp_path / "out"
    status, output = run_cli(
        str(inputs),
        "--out",
        str(out),
        "--max-pages",
        "2",
        "--max-docx-unpacked",
        "100000",
        "--max-bytes",
        str(max(sizes) + 10),
    )
    assert status == 1, output
    reasons = {Path(line["path"]).name: line["reason"] for line in report(out)}
    assert reasons["small.txt"] is None
    assert reasons["note.pdf"].startswith("too_large: ") and "(--max-pages)" in reasons["note.pdf"]
    assert (
        reasons["note.docx"].startswith("too_large: ")
        and "(--max-docx-unpacked)" in reasons["note.docx"]
    )
    assert reasons["big.txt"].startswith("too_large: ") and "(--max-bytes)" in reasons["big.txt"]


# --- the batch goes on: a worker that hangs, dies or runs out of memory --------------------------


def _misbehaving_extract(
    path: str | Path, options: Options | None = None, **kwargs: bytes | None
) -> Document:
    """Stands in for the pipeline in the pool's (forked) workers: some files kill it."""
    import faulthandler
    import os
    import signal

    name = Path(path).name
    if name.startswith("hang"):
        time.sleep(600)
    if name.startswith("segfault"):
        faulthandler.disable()  # pytest's handler would print a (harmless) stack dump
        os.kill(os.getpid(), signal.SIGSEGV)  # as a crash in native code (pdfium) would
    if name.startswith("hog"):
        hoard = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB, over the cap
        del hoard
    return extract(path, options, **kwargs)


def test_batch_survives_hang_crash_and_memory_hog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from extractor import batch
    from extractor.batch import worker

    # Workers are forked from this process, so they inherit the stand-in.
    monkeypatch.setattr(worker, "extract", _misbehaving_extract)
    inputs = tmp_path / "in"
    inputs.mkdir()
    for number, name in enumerate(["good.txt", "hang.txt", "segfault.txt", "hog.txt"]):
        (inputs / name).write_text(bad.seed_text() + f"\n附{number}\n", encoding="utf-8")
    # The cap comes on top of the address space a worker starts with (limit_memory): 1 GB
    # more is plenty for a note and well under the hog's 4 GB, however large this process is.
    options = batch.BatchOptions(out=tmp_path / "out", jobs=2, timeout=8, max_memory_mb=1024)
    started = time.perf_counter()
    summary = batch.run_batch([str(inputs)], options)
    seconds = time.perf_counter() - started
    assert seconds < 60, [line.as_json() for line in summary.lines]
    assert summary.exit_code == 1
    reasons = {
        Path(line.path).name: (line.status, (line.reason or "").split(":")[0])
        for line in summary.lines
    }
    assert reasons == {
        "good.txt": ("ok", ""),
        "hang.txt": ("failed", "timeout"),
        "segfault.txt": ("failed", "worker_crashed"),
        "hog.txt": ("failed", "memory_limit"),
    }
    assert len(report(tmp_path / "out")) == 4
    assert json.loads((tmp_path / "out" / "good.json").read_text(encoding="utf-8"))["facts"]
