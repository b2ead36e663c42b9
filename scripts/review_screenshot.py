"""Re-take the README's picture: the seed's review page in headless Chromium.

    python scripts/review_screenshot.py            # writes docs/review-seed.png

The page is rendered tall (one screenshot, no scrolling), then the header and the part with
the 类-款-项 lines and the “三公” sentence are cut out, with the fact panel that a click on
the 三公 total opens (``?f<n>`` opens it on load), and reduced to 64 colours.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.batch import BatchOptions, run_batch  # noqa: E402

WIDTH, HEIGHT = 1100, 4000


def main() -> None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        sys.exit("needs Chromium (Debian: apt-get install chromium fonts-wqy-microhei)")
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        run_batch(
            [str(ROOT / "samples" / "seed.pdf")],
            BatchOptions(out=out, in_process=True, review=True),
        )
        document = json.loads((out / "seed.json").read_text(encoding="utf-8"))
        sangong = next(i for i, f in enumerate(document["facts"]) if f["field"] == "sangong.total")
        page = out / "review" / f"{document['source']['sha256'][:16]}.html"
        shot = Path(folder) / "tall.png"
        subprocess.run(
            [
                browser,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                f"--user-data-dir={Path(folder) / 'profile'}",
                "--hide-scrollbars",
                f"--window-size={WIDTH},{HEIGHT}",
                f"--screenshot={shot}",
                f"{page.as_uri()}?f{sangong}",
            ],
            check=True,
            capture_output=True,
        )
        tall = Image.open(shot).convert("RGB")
    left = _panel_left(tall)
    top_edge, bottom_edge = _border_run(tall, left, HEIGHT - 150)
    panel = tall.crop((left - 1, top_edge - 6, WIDTH - 8, bottom_edge + 8))
    top, middle = tall.crop((0, 0, WIDTH, 170)), tall.crop((0, 1480, WIDTH, 2240))
    picture = Image.new("RGB", (WIDTH, 170 + 12 + middle.height), "white")
    picture.paste(top, (0, 0))
    ImageDraw.Draw(picture).line((0, 176, WIDTH, 176), fill=(180, 180, 180), width=1)
    picture.paste(middle, (0, 182))
    picture.paste(panel, (WIDTH - panel.width - 4, 182 + middle.height - panel.height - 40))
    target = ROOT / "docs" / "review-seed.png"
    target.parent.mkdir(exist_ok=True)
    picture.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(target, optimize=True)
    print(f"{target} ({target.stat().st_size // 1024} KB)")


def _panel_left(tall: Image.Image) -> int:
    """The fact panel's left border (it sits at the bottom right): the first grey column
    from the middle of the page, 150 pixels above the bottom."""
    y = HEIGHT - 150
    for x in range(WIDTH // 2, WIDTH):
        if _grey(tall, x, y):
            return x
    raise SystemExit("the fact panel is not on the page")


def _grey(tall: Image.Image, x: int, y: int) -> bool:
    r, g, b = tall.getpixel((x, y))  # type: ignore[misc]
    return bool(r < 235 and abs(r - g) < 8 and abs(g - b) < 8)


def _border_run(tall: Image.Image, x: int, y: int) -> tuple[int, int]:
    """Top and bottom of the vertical border line through (x, y)."""
    top, bottom = y, y
    while top > 0 and _grey(tall, x, top - 1):
        top -= 1
    while bottom < tall.height - 1 and _grey(tall, x, bottom + 1):
        bottom += 1
    return top, bottom


if __name__ == "__main__":
    main()
