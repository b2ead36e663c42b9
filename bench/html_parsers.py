"""Compare HTML parsers for the web-page reader: speed and robustness on saved pages.

    python bench/html_parsers.py            # a Markdown table (README: "Libraries, and why")

Candidates: lxml.html (libxml2), selectolax (Lexbor), BeautifulSoup over html5lib and over
Python's html.parser, html5-parser (Gumbo into an lxml tree). Those not installed are
reported as such (`pip install selectolax beautifulsoup4 html5lib html5-parser`; none is
needed by budget-notes itself, which uses lxml).

Pages: the seed note and the tables note as their sites would serve them
(tests/data/regressions/make_reader_cases.py), the seed page with its markup broken the way
old CMS templates break it (unclosed <p> and <td>, misnested <b><p>, stray end tags, a
<table> inside a <p>, an unclosed comment at the end), and a 5 MB page (the seed article
repeated). Time is parse + a walk over the text, best of 5 (one round for BeautifulSoup on the
5 MB page); "ok" means every figure of the article came out, in order (a parser that loses or
reorders text on broken markup would lose figures or move them).
"""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "data" / "regressions"))

import make_reader_cases as cases  # noqa: E402

_FIGURE = re.compile(r"\d+(?:\.\d+)?万元")


def broken(page: str) -> str:
    """Markup damage seen in saved government pages."""
    page = page.replace("</p>", "", 40)  # unclosed paragraphs
    page = page.replace("<p><strong>", "<b><p><strong>", 5)  # misnested inline/block
    page = page.replace('<div class="TRS_Editor">', '<div class="TRS_Editor"></span></td>')
    page = page.replace("<p>&nbsp;", "<p><table><tr><td>&nbsp;", 1)  # a table in a paragraph
    return page + "<!-- unclosed comment"


def _article(page: str) -> str:
    return page.split('<div class="TRS_Editor">', 1)[1].split('<div class="print-only"', 1)[0]


def pages() -> dict[str, str]:
    seed = cases.seed_page().decode("gbk")
    tables = cases.tables_note_page().decode("utf-8")
    article = _article(seed)
    big = seed.replace(article, article * (5_000_000 // len(article.encode("utf-8")) + 1))
    return {
        "seed page": seed,
        "tables page": tables,
        "broken seed page": broken(seed),
        "5 MB page": big,
    }


def _in_order(expected: list[str], found: list[str]) -> bool:
    """Is ``expected`` a subsequence of ``found``?"""
    remaining = iter(found)
    return all(any(figure == other for other in remaining) for figure in expected)


def _lxml(page: str) -> str:
    import lxml.html

    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True)
    root = lxml.html.document_fromstring(page.encode("utf-8"), parser=parser)
    return "\n".join(root.itertext())


def _selectolax(page: str) -> str:
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(page)
    return tree.body.text(separator="\n") if tree.body is not None else ""


def _bs4(builder: str) -> Callable[[str], str]:
    def parse(page: str) -> str:
        from bs4 import BeautifulSoup

        return BeautifulSoup(page, builder).get_text("\n")

    return parse


def _html5_parser(page: str) -> str:
    from html5_parser import parse

    return "\n".join(parse(page).itertext())


PARSERS: dict[str, tuple[str, Callable[[str], str]]] = {
    "lxml.html (libxml2)": ("lxml", _lxml),
    "selectolax (Lexbor)": ("selectolax", _selectolax),
    "BeautifulSoup + html5lib": ("html5lib", _bs4("html5lib")),
    "BeautifulSoup + html.parser": ("bs4", _bs4("html.parser")),
    "html5-parser (Gumbo)": ("html5_parser", _html5_parser),
}


def main() -> int:
    samples = pages()
    expected = {name: _FIGURE.findall(_article(page)) for name, page in samples.items()}
    print("| parser | " + " | ".join(f"{name}: ms" for name in samples) + " |")
    print("|---|" + "--:|" * len(samples))
    for label, (module, parse) in PARSERS.items():
        try:
            __import__(module)
        except Exception as exc:  # not installed, or (html5-parser) built against another libxml2
            print(f"| {label} | " + " | ".join("–" for _ in samples) + f" | ({str(exc)[:80]})")
            continue
        cells: list[str] = []
        for name, page in samples.items():
            rounds = 1 if name == "5 MB page" and "BeautifulSoup" in label else 5
            best = float("inf")
            text = ""
            for _ in range(rounds):
                started = time.perf_counter()
                text = parse(page)
                best = min(best, time.perf_counter() - started)
            ok = _in_order(expected[name], _FIGURE.findall(text))
            cells.append(f"{best * 1000:.1f}" + (" ok" if ok else " figures lost"))
        print(f"| {label} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
