"""Review pages: rendered from templates, safe with hostile text, and — opened in a real
headless Chromium — every extracted figure of the seed is marked and laid out visibly."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, run_batch
from extractor.pipeline import Options

from .conftest import SAMPLES

BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    pytest.skip("no Chromium here (Debian: apt-get install chromium; .ci/run installs it)")


def _chromium(profile: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_browser(), *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )


class _Dom(HTMLParser):
    """The parts of a page the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.marks: list[dict[str, str]] = []
        self.links: list[str] = []
        self.body: dict[str, str] = {}
        self.check_items = 0
        self.grids = 0
        self.span_anchors: set[str] = set()
        self.cell_anchors: set[str] = set()
        self._in_checks = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "span" and attributes.get("class") == "anchor":
            self.span_anchors.add(attributes["id"])
        if tag == "a" and "id" in attributes:
            self.cell_anchors.add(attributes["id"])
        if tag == "figure" and attributes.get("class") == "grid":
            self.grids += 1
        if tag == "body":
            self.body = attributes
        elif tag == "mark" and ("data-f" in attributes or "data-u" in attributes):
            self.marks.append(attributes)
        elif tag == "a" and attributes.get("href", "").startswith("#"):
            self.links.append(attributes["href"])
        elif tag == "section":
            self._in_checks = attributes.get("id") == "checks"
        elif tag == "li" and self._in_checks:
            self.check_items += 1


def _dom(html: str) -> _Dom:
    parser = _Dom()
    parser.feed(html)
    return parser


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object]]:
    out = tmp_path_factory.mktemp("review") / "out"
    run_batch([str(SAMPLES / "seed.pdf")], BatchOptions(out=out, in_process=True, review=True))
    document = json.loads((out / "seed.json").read_text(encoding="utf-8"))
    return out, document


def _page(out: Path, document: dict[str, object]) -> Path:
    source = document["source"]
    assert isinstance(source, dict)
    return out / "review" / f"{source['sha256'][:16]}.html"


def test_the_seeds_page_in_a_browser_marks_every_figure(
    seed_run: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    out, document = seed_run
    page = _page(out, document)
    dom = _dom(_chromium(tmp_path / "profile", "--dump-dom", page.as_uri()).stdout)
    assert dom.body.get("data-ready") == "1", "the page's script did not run"
    facts = document["facts"]
    assert isinstance(facts, list)
    text = document["text"]
    assert isinstance(text, str)
    spanned = [
        i
        for i, fact in enumerate(facts)
        if fact["provenance"]["char_start"] is not None
        and text[fact["provenance"]["char_start"] : fact["provenance"]["char_end"]]
        == fact["provenance"]["quote"]
    ]
    assert len(spanned) == len(facts) == 82  # every fact of the seed has its place in the text
    marked = {int(i) for mark in dom.marks for i in mark.get("data-f", "").split()}
    assert marked == set(spanned)
    assert {f"f{i}" for i in spanned} <= dom.ids  # an anchor to link to
    assert all(mark.get("data-visible") == "1" for mark in dom.marks), "a mark is not laid out"
    assert dom.body.get("data-marks-visible") == str(len(dom.marks))
    failed = [c for c in document["checks"] if not c["passed"]]  # type: ignore[union-attr]
    assert dom.check_items == len(failed) == 4
    assert all(link[1:] in dom.ids for link in dom.links if link != "#"), "a link goes nowhere"
    sangong = next(i for i, f in enumerate(facts) if f["field"] == "sangong.total")
    titles = [m["title"] for m in dom.marks if m.get("data-f", "").split()[:1] == [str(sangong)]]
    assert titles and "sangong.total" in titles[0] and "6.1 万元" in titles[0]


def test_the_seeds_page_renders_to_a_screenshot(
    seed_run: tuple[Path, dict[str, object]], tmp_path: Path
) -> None:
    out, document = seed_run
    shot = tmp_path / "seed.png"
    _chromium(
        tmp_path / "profile",
        "--window-size=1200,900",
        "--hide-scrollbars",
        f"--screenshot={shot}",
        _page(out, document).as_uri(),
    )
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 20_000


def test_the_index_links_every_note_and_hostile_text_stays_text(tmp_path: Path) -> None:
    hostile = tmp_path / "in" / "hostile.txt"
    hostile.parent.mkdir()
    text = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
    hostile.write_text(
        text.replace(
            "一、基本职能及主要工作",
            '<script>alert("x")</script><img src=x onerror=alert(1)>一、基本职能及主要工作',
            1,
        ),
        encoding="utf-8",
    )
    out = tmp_path / "out"
    run_batch(
        [str(hostile), str(SAMPLES / "seed.txt")],
        BatchOptions(out=out, in_process=True, review=True),
    )
    pages = sorted(p.name for p in (out / "review").glob("*.html"))
    assert len(pages) == 3 and "index.html" in pages
    index = (out / "review" / "index.html").read_text(encoding="utf-8")
    for page in pages:
        if page != "index.html":
            assert f'href="{page}"' in index
    assert "hostile.txt" in index and "seed.txt" in index
    for page in pages:
        html = (out / "review" / page).read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html
    hostile_page = next(
        (out / "review" / p).read_text(encoding="utf-8")
        for p in pages
        if p != "index.html" and "hostile.txt" in (out / "review" / p).read_text(encoding="utf-8")
    )
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in hostile_page


@pytest.mark.parametrize("with_text", [True, False])
def test_table_facts_are_beside_their_table_and_every_link_lands(
    tmp_path: Path, with_text: bool
) -> None:
    out = tmp_path / "out"
    options = BatchOptions(
        out=out, in_process=True, review=True, pipeline=Options(include_text=with_text)
    )
    run_batch([str(SAMPLES / "tables_note.pdf")], options)
    document = json.loads((out / "tables_note.json").read_text(encoding="utf-8"))
    dom = _dom(_page(out, document).read_text(encoding="utf-8"))
    facts = document["facts"]
    tables = {f["provenance"]["section_id"] for f in facts if f["provenance"].get("table")}
    assert dom.grids == len(tables) == 3  # 财务收支总表, 支出总表, “三公”表 (README of the sample)
    in_table = {f"f{i}" for i, f in enumerate(facts) if f["provenance"].get("table")}
    narrative = {f"f{i}" for i in range(len(facts))} - in_table
    if with_text:  # marked in the text as read, the grid beside it
        assert in_table | narrative <= dom.span_anchors and not dom.cell_anchors
    else:  # --no-text: the grid's cell is a table fact's place; the others are listed
        assert dom.cell_anchors == in_table and narrative <= dom.span_anchors
    assert all(link[1:] in dom.ids for link in dom.links if link != "#"), "a link goes nowhere"


def test_review_pages_are_written_only_when_asked_for_and_made_alike_from_the_stored_json(
    tmp_path: Path,
) -> None:
    inputs = [str(SAMPLES / "seed.txt"), str(SAMPLES / "tables_note.pdf")]
    # Rendered in the worker, from the note as it was extracted.
    fresh = tmp_path / "fresh"
    run_batch(inputs, BatchOptions(out=fresh, in_process=True, review=True))
    rendered = {p.name: p.read_bytes() for p in (fresh / "review").iterdir()}
    assert len(rendered) == 3 and "index.html" in rendered

    # Not asked for: no pages at all.
    later = tmp_path / "later"
    first = run_batch(inputs, BatchOptions(out=later, in_process=True))
    assert first.ok == 2 and not (later / "review").exists()

    # Asked for on a run with nothing to process: made from each note's JSON, the same bytes.
    second = run_batch(inputs, BatchOptions(out=later, in_process=True, review=True))
    assert second.skipped == 2
    assert {p.name: p.read_bytes() for p in (later / "review").iterdir()} == rendered

    # Not asked for again: the pages go, so none is left stale beside fresh tables.
    run_batch(inputs, BatchOptions(out=later, in_process=True))
    assert not (later / "review").exists()


def test_a_note_processed_again_without_review_loses_its_stale_page(tmp_path: Path) -> None:
    note = tmp_path / "note.txt"
    note.write_bytes((SAMPLES / "seed.txt").read_bytes())
    out = tmp_path / "out"
    run_batch([str(note)], BatchOptions(out=out, in_process=True, review=True))
    (page,) = [p for p in (out / "review").glob("*.html") if p.name != "index.html"]
    note.write_text(note.read_text(encoding="utf-8") + "\n附：本说明另有补充。\n", encoding="utf-8")
    run_batch([str(note)], BatchOptions(out=out, in_process=True))
    assert not page.exists() and not (out / "review").exists()


def test_a_renamed_note_s_page_names_its_new_path(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    note = inputs / "before.txt"
    note.write_bytes((SAMPLES / "seed.txt").read_bytes())
    out = tmp_path / "out"
    run_batch([str(inputs)], BatchOptions(out=out, in_process=True, review=True))
    note.rename(inputs / "after.txt")
    again = run_batch([str(inputs)], BatchOptions(out=out, in_process=True, review=True))
    assert (again.ok, again.skipped) == (0, 1)  # relabelled, not processed again
    (page,) = [p for p in (out / "review").glob("*.html") if p.name != "index.html"]
    html = page.read_text(encoding="utf-8")
    assert "after.txt" in html and "before.txt" not in html


def test_turning_review_on_skips_a_note_whose_json_cannot_be_read(tmp_path: Path) -> None:
    inputs = [str(SAMPLES / "seed.txt"), str(SAMPLES / "tables_note.pdf")]
    out = tmp_path / "out"
    run_batch(inputs, BatchOptions(out=out, in_process=True))
    (out / "seed.json").write_text("{not json", encoding="utf-8")  # damaged since
    again = run_batch(inputs, BatchOptions(out=out, in_process=True, review=True))
    assert again.failed == 0
    pages = {p.name for p in (out / "review").glob("*.html")}
    table_note = json.loads((out / "tables_note.json").read_text(encoding="utf-8"))
    assert pages == {"index.html", f"{table_note['source']['sha256'][:16]}.html"}
