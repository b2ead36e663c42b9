"""The seed note, from TXT, PDF and DOCX: every figure right, with provenance, and the
inconsistencies reported. Expectations are hand-checked (tests/golden/seed.expected.yaml);
the snapshot (tests/golden/seed.snapshot.json) guards against silent changes and is rewritten
only on purpose: UPDATE_GOLDEN=1 pytest tests/test_seed.py (make golden), then review the diff."""

from __future__ import annotations

import json
import os
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from extractor.evaluation import score_document
from extractor.models import Document
from extractor.pipeline import extract

from .conftest import GOLDEN, SAMPLES
from .rules import fold_text

SEED_FILES = [
    "seed.txt",
    "seed.pdf",
    "seed.docx",
    "variants/seed_gb18030.txt",
    "variants/seed_utf16.txt",
    "variants/seed_utf8_bom.txt",
    "variants/seed_kangxi.pdf",
    "variants/seed_overprint.pdf",
]
EXPECTED = yaml.safe_load((GOLDEN / "seed.expected.yaml").read_text(encoding="utf-8"))
SNAPSHOT = GOLDEN / "seed.snapshot.json"


@cache
def seed(name: str) -> Document:
    return extract(SAMPLES / name)


@pytest.mark.parametrize("name", SEED_FILES)
def test_every_figure_of_the_seed_is_extracted(name: str) -> None:
    score = score_document(seed(name), EXPECTED)
    assert score.missed == [], score.missed
    assert score.wrong == [], [f.provenance.quote for f in score.wrong]
    assert score.attribute_errors == 0, score.attribute_notes
    assert (
        score.expected
        == score.predicted
        == score.matched
        == len([f for f in EXPECTED["facts"] if f["field"] not in ("unit.parent", "unit.type")])
    )


@pytest.mark.parametrize("name", SEED_FILES)
def test_identity_and_text_facts(name: str) -> None:
    document = seed(name)
    info = document.info
    assert (info.unit, info.year, info.kind, info.scope) == (
        "遂宁市安居区政务服务便民热线中心",
        2024,
        "预算",
        "部门",
    )
    assert info.region == ["遂宁市", "安居区"] and info.organisation == "政务服务便民热线中心"
    assert info.parent == "遂宁市安居区人民政府办公室" and info.unit_type == "事业单位"
    purposes = {
        f.code: fold_text(f.purpose or "") for f in document.facts if f.field == "expenditure.item"
    }
    for entry in EXPECTED["facts"]:
        if entry["field"] == "expenditure.item":
            assert purposes[entry["code"]] == fold_text(entry["purpose"])


def _projection(document: Document) -> list[tuple]:  # type: ignore[type-arg]
    return sorted(
        (
            f.field,
            f.code or "",
            fold_text(f.name or ""),
            str(f.amount.wan if f.amount else ""),
            str(f.share or ""),
            f.count,
            f.status,
            f.changes[0].direction if f.changes else None,
            fold_text(f.purpose or ""),
        )
        for f in document.facts
    )


@pytest.mark.parametrize("name", SEED_FILES[1:])
def test_every_format_gives_the_same_facts(name: str) -> None:
    assert _projection(seed(name)) == _projection(seed("seed.txt"))


@pytest.mark.parametrize("name", ["seed.txt", "seed.pdf", "seed.docx"])
def test_provenance_points_at_the_original_text(name: str) -> None:
    document = seed(name)
    for fact in document.facts:
        prov = fact.provenance
        assert prov.char_start is not None and prov.char_end is not None
        assert document.text[prov.char_start : prov.char_end] == prov.quote
        assert prov.sentence and prov.section_id
        for digit_run in _figures(fact):
            assert digit_run in _squash(prov.quote), (fact.id, digit_run, prov.quote)


def _figures(fact) -> list[str]:  # type: ignore[no-untyped-def]
    return [fact.amount.text.replace(",", "")[:-2].rstrip("万")] if fact.amount else []


def _squash(text: str) -> str:
    return fold_text(text).replace("\n", "").replace(" ", "").replace(",", "")


def test_pdf_facts_carry_the_page_they_are_printed_on() -> None:
    document = seed("seed.pdf")
    for fact in document.facts:
        assert fact.provenance.page is not None and 1 <= fact.provenance.page <= (
            document.source.pages or 0
        )
    # The page of a fact is the page of the line its quote starts on.
    lines_with_pages = _page_of_offsets(document)
    for fact in document.facts:
        assert lines_with_pages(fact.provenance.char_start) == fact.provenance.page


def _page_of_offsets(document: Document):  # type: ignore[no-untyped-def]
    from extractor.readers.limits import Limits
    from extractor.readers.reading import read_document

    result, _, _ = read_document(SAMPLES / "seed.pdf", Limits())
    starts, position = [], 0
    for line in result.lines:
        starts.append((position, line.page))
        position += len(line.text) + 1

    def page_of(offset: int | None) -> int | None:
        page = None
        for start, line_page in starts:
            if offset is not None and start <= offset:
                page = line_page
        return page

    return page_of


def test_the_seeds_inconsistencies_are_reported() -> None:
    checks = seed("seed.txt").checks
    failed = {c.rule for c in checks if not c.passed}
    for inconsistency in EXPECTED["inconsistencies"]:
        rule = inconsistency["rule"]
        if rule == "share.sum_100":
            classes = next(c for c in checks if c.rule == rule and "功能分类" in c.message)
            assert classes.passed and "adjusted to sum to 100" in classes.message
        else:
            assert rule in failed, rule
    travel = next(c for c in checks if c.rule == "text.zero_but_budgeted")
    assert travel.severity == "warning" and "需预算此项经费" in travel.message
    # Nothing else fails: the sums, shares and repeats of the seed add up.
    assert {c.rule for c in checks if not c.passed and c.severity != "info"} == {
        "text.zero_but_budgeted"
    }


def _snapshot(document: Document) -> dict:  # type: ignore[type-arg]
    data = json.loads(document.model_dump_json(exclude={"text": True, "source": {"path"}}))
    return {
        "facts": data["facts"],
        "checks": data["checks"],
        "unparsed": data["unparsed"],
        "sections": data["sections"],
        "info": data["info"],
        "coverage": data["coverage"],
    }


def test_snapshot_is_unchanged() -> None:
    current = _snapshot(seed("seed.txt"))
    if os.environ.get("UPDATE_GOLDEN"):
        if os.environ.get("CI"):
            pytest.fail("golden files are never regenerated in CI")
        SNAPSHOT.write_text(
            json.dumps(current, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
    stored = json.loads(SNAPSHOT.read_text(encoding="utf-8"))
    assert current == stored, "the seed's output changed: review, then `make golden` on purpose"


def _mutated(tmp_path: Path, old: str, new: str) -> Document:
    text = (SAMPLES / "seed.txt").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "mutated.txt"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return extract(path)


def test_validation_catches_a_mutated_item(tmp_path: Path) -> None:
    document = _mutated(tmp_path, "2024年预算数为154.41万元", "2024年预算数为164.41万元")
    failed = [c for c in document.checks if not c.passed and c.severity == "error"]
    assert any(c.rule == "sum.items_class" and "201" in c.message for c in failed) or any(
        c.rule == "sum.items_class" for c in document.checks if not c.passed
    )
    item = next(f for f in document.facts if f.code == "201-03-50")
    assert item.amount is not None and item.amount.wan == Decimal("164.41")  # never altered


def test_validation_catches_a_mutated_share(tmp_path: Path) -> None:
    document = _mutated(tmp_path, "基本支出191.17万元，占86.44%", "基本支出191.17万元，占88.44%")
    rules = {c.rule for c in document.checks if not c.passed and c.severity == "error"}
    assert "share.stated" in rules


def test_validation_catches_a_figure_that_disagrees_with_its_repetition(tmp_path: Path) -> None:
    document = _mutated(
        tmp_path,
        "收入包括：本年一般公共预算拨款收入221.17万元",
        "收入包括：本年一般公共预算拨款收入212.17万元",
    )
    assert any(c.rule == "repeat.agree" and not c.passed for c in document.checks)


def test_validation_catches_parts_that_do_not_add_up(tmp_path: Path) -> None:
    document = _mutated(tmp_path, "公务接待费1.1万元", "公务接待费2.1万元")
    failed = {c.rule for c in document.checks if not c.passed}
    assert "sum.sangong" in failed


@pytest.mark.parametrize("name", ["seed.txt", "tables_note.pdf"])
def test_validation_never_changes_or_drops_a_fact(name: str) -> None:
    from extractor.checks import validate

    document = extract(SAMPLES / name)
    before = [fact.model_dump() for fact in document.facts]
    checks = validate(document.facts, document.info, document.tables)
    assert [fact.model_dump() for fact in document.facts] == before
    assert checks == document.checks
    assert {fact_id for check in checks for fact_id in check.facts} <= {
        f.id for f in document.facts
    }
