"""The PDF reader's first pass drops a twin printed on the spot of the character before it,
looking only where two equal characters meet; held here to a plain walk over every pair."""

from __future__ import annotations

import random

import pytest

from extractor.readers import pdf as pdf_reader
from extractor.readers import pdf_native

Box = tuple[float, float, float, float]


def _walk_every_pair(segment: str, boxes: list[Box]) -> str:
    """The rule as first written: each character against the one before it."""
    kept: list[str] = [segment[0]] if segment else []
    for offset in range(1, len(segment)):
        char = segment[offset]
        if char == segment[offset - 1] and not char.isspace():
            box_a, box_b = boxes[offset - 1], boxes[offset]
            near = max((box_a[2] - box_a[0]) * 0.5, 1.2)
            if abs(box_a[0] - box_b[0]) < near and abs(box_a[1] - box_b[1]) < near:
                continue
        kept.append(char)
    return "".join(kept)


@pytest.mark.parametrize("seed", range(80))
def test_twins_dropped_as_by_a_walk_over_every_pair(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    segment = "".join(rng.choice("00１1.. \x1c\x1c元") for _ in range(rng.randrange(0, 30)))
    boxes: list[Box] = []
    x = 0.0
    for _ in segment:
        step = rng.choice([0.0, 0.4, 1.0, 6.0])  # on the spot, nearly, or an advance on
        x += step
        boxes.append((x, 0.0, x + rng.choice([1.0, 5.0]), 8.0))
    start = rng.randrange(0, 5)
    monkeypatch.setattr(pdf_native, "glyph_box", lambda _page, index: boxes[index - start])
    assert pdf_reader._drop_overprinted(0, segment, start) == _walk_every_pair(segment, boxes)
