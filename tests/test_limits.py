"""Large inputs: read within bounded memory and time, or refused up front with ``too_large``
by the documented limits (--max-pages, --max-bytes, --max-docx-unpacked).

Memory is measured as the peak RSS of a fresh process that reads the seed note (loading the
libraries, patterns and dictionaries) and then the large file, less the peak of one that
reads the seed note twice. Time is that of the second read.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from functools import cache
from pathlib import Path

import pytest

from extractor.pipeline import Options, extract
from extractor.readers.limits import Limits

from . import _badfiles as bad

MB = 1024 * 1024

_MEASURE = """
import json, resource, sys, time
from extractor.pipeline import extract
extract(sys.argv[1])
started = time.perf_counter()
document = extract(sys.argv[2])
print(json.dumps({
    "status": document.status, "errors": [e.code for e in document.errors],
    "pages": document.source.pages, "facts": len(document.facts),
    "seconds": time.perf_counter() - started,
    "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
}))
"""


def _run(path: Path) -> dict:  # type: ignore[type-arg]
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(bad.SEED_TXT), str(path)],
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@cache
def _baseline_kb() -> int:
    return int(_run(bad.SEED_TXT)["peak_kb"])


def measure(path: Path) -> dict:  # type: ignore[type-arg]
    result = _run(path)
    result["extra_kb"] = result["peak_kb"] - _baseline_kb()
    print(  # shown with pytest -s: the figures quoted in the README
        f"{path.name}: {result['seconds']:.2f}s, peak RSS"
        f" {result['peak_kb'] // 1024} MB, {result['extra_kb'] // 1024} MB over the seed note's"
    )
    return result


@pytest.fixture(scope="module")
def thousand_pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "thousand.pdf"
    return bad.render_pdf(path, bad.note_pages(1000, lines_per_page=6))


@pytest.fixture(scope="module")
def fifty_mb_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("large") / "fifty.docx"
    path.write_bytes(bad.docx_with_picture(50 * MB))
    return path


@pytest.mark.slow
def test_thousand_page_pdf_is_read_in_bounded_memory(thousand_pages: Path) -> None:
    result = measure(thousand_pages)
    assert result["status"] == "ok", result
    assert result["pages"] == 1000
    assert result["facts"] > 1000
    assert result["seconds"] < 20
    assert result["extra_kb"] < 400 * 1024, result


def test_thousand_page_pdf_over_max_pages(thousand_pages: Path) -> None:
    started = time.perf_counter()
    document = extract(thousand_pages, Options(limits=Limits(max_pages=500)))
    assert time.perf_counter() - started < 2  # refused before any page is read
    assert document.status == "failed"
    (error,) = document.errors
    assert error.code == "too_large"
    assert "1,000 pages" in error.message and "(--max-pages)" in error.message


@pytest.mark.slow
def test_fifty_mb_docx_is_read_in_bounded_memory(fifty_mb_docx: Path) -> None:
    assert fifty_mb_docx.stat().st_size > 50 * MB
    result = measure(fifty_mb_docx)
    assert result["status"] == "ok", result
    assert result["facts"] > 50
    assert result["seconds"] < 20
    # The picture is held once by python-docx; nothing should copy it many times over.
    assert result["extra_kb"] < 200 * 1024, result


def test_fifty_mb_docx_over_max_bytes(fifty_mb_docx: Path) -> None:
    document = extract(fifty_mb_docx, Options(limits=Limits(max_bytes=10 * MB)))
    (error,) = document.errors
    assert (document.status, error.code) == ("failed", "too_large")
    assert "(--max-bytes)" in error.message


def test_fifty_mb_docx_over_max_docx_unpacked(fifty_mb_docx: Path) -> None:
    document = extract(fifty_mb_docx, Options(limits=Limits(max_docx_uncompressed=20 * MB)))
    (error,) = document.errors
    assert (document.status, error.code) == ("failed", "too_large")
    assert "(--max-docx-unpacked)" in error.message


def test_text_over_the_character_limit_is_refused_before_decoding(tmp_path: Path) -> None:
    path = tmp_path / "long.txt"
    path.write_bytes(bad.SEED_TXT.read_bytes() * 10)  # about 120 KB, 40,000 characters
    for limit in (1_000, 20_000):  # refused by size alone / after decoding
        document = extract(path, Options(limits=Limits(max_text_chars=limit)))
        (error,) = document.errors
        assert (document.status, error.code) == ("failed", "too_large")
        assert f"{limit:,}" in error.message
