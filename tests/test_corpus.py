"""The real notes in ../shared/corpus against hand-checked expectations (skipped without them)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from extractor.evaluation import score_document
from extractor.models import Document
from extractor.pipeline import extract
from scripts.fingerprint import fingerprint

from .conftest import CORPUS, needs_shared

EXPECTED_DIR = Path(__file__).resolve().parent / "corpus" / "expected"
EXPECTATIONS = sorted(EXPECTED_DIR.glob("*.yaml"))
pytestmark = [needs_shared, pytest.mark.corpus]


def _source(name: str) -> Path:
    for folder in ("files", "web"):
        if (CORPUS / folder / name).exists():
            return CORPUS / folder / name
    raise FileNotFoundError(name)


@cache
def document(name: str) -> Document:
    return extract(_source(name))


# The corpus the extractor was first built on (the Shanghai PDFs and the first two web
# statements) keeps its per-document targets. The documents added for generalisation (issue 9:
# Jiangsu PDFs, web statements 21–33 from twelve other provinces) are held to the issue's
# targets summed over the set — precision 99%, recall 95% — since several are fragments of a
# few figures each, where one figure moves a document's score by a third (see the README's
# generalisation table, per document and per province).
EARLIER = [p for p in EXPECTATIONS if p.name.startswith(("shpt_", "13_", "15_"))]
ADDED = [p for p in EXPECTATIONS if p not in EARLIER]
ADDED_PRECISION_FLOOR = 0.99
ADDED_RECALL_FLOOR = 0.95


def _expected(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


@pytest.mark.parametrize("expected_path", EARLIER, ids=[p.name.split(".")[0] for p in EARLIER])
def test_precision_recall_and_coverage_meet_the_targets(expected_path: Path) -> None:
    expected = _expected(expected_path)
    result = document(expected["source"])
    score = score_document(result, expected)
    assert score.precision >= 0.99, [f.provenance.quote for f in score.wrong]
    assert score.recall >= 0.95, score.missed
    assert score.coverage >= 0.95, [u.sentence for u in result.unparsed]
    assert score.attribute_errors == 0, score.attribute_notes
    info = expected["document"]
    assert result.info.year == info["year"] and result.info.kind == info["kind"]
    if info.get("unit"):
        assert result.info.unit == info["unit"]


def test_the_added_documents_keep_their_level() -> None:
    scores = [score_document(document(e["source"]), e) for e in map(_expected, ADDED)]
    predicted = sum(s.predicted for s in scores)
    matched = sum(s.matched for s in scores)
    expected = sum(s.expected for s in scores)
    wrong = {s.document: [f.provenance.quote for f in s.wrong] for s in scores if s.wrong}
    assert matched / predicted >= ADDED_PRECISION_FLOOR, wrong
    assert matched / expected >= ADDED_RECALL_FLOOR, {s.document: s.recall for s in scores}


@pytest.mark.parametrize("expected_path", ADDED, ids=[p.name.split(".")[0] for p in ADDED])
def test_added_documents_have_the_identity_read_by_hand(expected_path: Path) -> None:
    expected = _expected(expected_path)
    result = document(expected["source"])
    info = expected["document"]
    assert result.status == "ok", result.errors
    assert (result.info.year, result.info.kind) == (info["year"], info["kind"])
    assert result.info.unit == info.get("unit")


# The standard tables each corpus PDF carries, read off its pages. The national nine; the
# Jiangsu template adds 财政拨款支出表, 财政拨款基本支出表, 机关运行经费表 and 政府采购表 and has no
# 国有资本经营预算 table; three Jiangsu notes published their tables as a separate file.
NINE = {
    "income_expenditure_summary",
    "income_summary",
    "expenditure_summary",
    "fiscal_summary",
    "general_budget_expenditure",
    "general_budget_basic",
    "sangong",
    "government_fund",
    "state_capital",
}
JIANGSU = (NINE - {"state_capital"}) | {
    "fiscal_expenditure",
    "fiscal_basic",
    "operating_cost",
    "procurement",
}
TABLE_KINDS: dict[str, set[str]] = {
    "shpt_czj_2024_final_accounts.pdf": NINE,
    "shpt_shgzb_2024_final_accounts.pdf": NINE,
    "shpt_sifaju_2026_dept_budget.pdf": NINE,
    "shpt_sifaju_2026_unit_budget.pdf": NINE,
    "shpt_sww_2025_dept_budget.pdf": NINE,
    "shpt_wanli_2024_dept_budget.pdf": NINE,
    "shpt_zfb_2025_dept_budget.pdf": NINE,
    "js_gy_2019_dept_budget.pdf": JIANGSU,
    "js_jcy_2018_dept_budget.pdf": JIANGSU,
    "js_rdbgt_2019_dept_budget.pdf": set(),
    "js_swbgt_2018_dept_budget.pdf": set(),
    "js_zxbgt_2018_dept_budget.pdf": set(),
}
NAMED = sorted(n for n in TABLE_KINDS if (CORPUS / "files" / n).exists()) if CORPUS.is_dir() else []


@pytest.mark.parametrize("name", NAMED)
def test_the_standard_tables_each_document_has_are_found(name: str) -> None:
    result = document(name)
    expected = TABLE_KINDS[name]
    found = [t.kind for t in result.tables if t.kind]
    assert set(found) == expected
    assert len(found) == len(expected)  # each once (a table over pages is one table)
    if expected:
        assert set(result.missing_tables) == NINE - expected
        assert sum(1 for f in result.facts if f.source == "table") > 100
    else:
        assert result.missing_tables == [] and not result.tables


def _failed(name: str, rule: str) -> list[str]:
    return [c.message for c in document(name).checks if c.rule == rule and not c.passed]


def test_known_inconsistencies_of_the_corpus_are_reported() -> None:
    # 财政局: 财政拨款收入支出总计 stated as 0.3万元; the table says 2961.68.
    assert any(
        "0.3" in m and "2961.68" in m
        for m in _failed("shpt_czj_2024_final_accounts.pdf", "reconcile.text_table")
    )
    # 财政局: 一般公共服务支出 2106.66 / 2940.05 is 71.65%, not the stated 71.73%.
    assert any("71.73" in m for m in _failed("shpt_czj_2024_final_accounts.pdf", "share.stated"))
    # 财政局: 社会保障和就业支出 is 326.72 in three tables and 326.71 in one.
    assert any(
        "326.71" in m for m in _failed("shpt_czj_2024_final_accounts.pdf", "table.agreement")
    )
    # 社会工作部: 完成年初预算的95.89% against a 年初预算 of 0 (it is of 全年预算).
    assert any(
        "95.89" in m for m in _failed("shpt_shgzb_2024_final_accounts.pdf", "execution.completion")
    )
    # 社会工作部: 增长100% from a zero base, four times.
    assert len(_failed("shpt_shgzb_2024_final_accounts.pdf", "change.zero_basis")) == 4
    # 司法局: 住房公积金 208.8 and 201.50 in one paragraph; the base 43269.3 that fits no percentage.
    assert any(
        "208.8" in m and "201.50" in m
        for m in _failed("shpt_sifaju_2026_dept_budget.pdf", "repeat.agree")
    )
    assert any(
        "43269.3" in m for m in _failed("shpt_sifaju_2026_dept_budget.pdf", "change.percent")
    )
    # 司法局: compared with “2026年预算” in the 2026 note.
    assert _failed("shpt_sifaju_2026_dept_budget.pdf", "change.basis_year")
    # 司法局 unit note: the 行政运行 row carries 项目支出 64,840,547 in two tables.
    assert len(_failed("shpt_sifaju_2026_unit_budget.pdf", "table.columns")) >= 2
    # 万里街道: 宣传事务 decreased, but the reason says the money increased.
    assert _failed("shpt_wanli_2024_dept_budget.pdf", "text.decrease_but_reason_increase")
    # 司法局: 210 named 医疗卫生与计划生育支出 in a 2026 note.
    assert _failed("shpt_sifaju_2026_dept_budget.pdf", "code.name_year")


@pytest.mark.parametrize(
    "name",
    ["16_sx_zhashui_audit_2020_final_partial.txt", "20_hb_zengdu_dike_2021_final_partial.txt"],
)
def test_outlines_of_web_notes_degrade_gracefully(name: str) -> None:
    result = document(name)
    assert result.status == "ok" and result.info.kind == "决算"
    assert result.coverage is not None and result.coverage.score == 1.0


# Everything a corpus document produces, as a digest per document (scripts/fingerprint.py).
# A restructuring or a speed-up must leave every one identical; a deliberate change of results
# rewrites them with `python scripts/fingerprint.py --write` and says why in its commit.
FINGERPRINTS = Path(__file__).resolve().parent / "corpus" / "fingerprints.json"
STORED_PRINTS: dict[str, str] = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))


CORPUS_PRINTS = sorted(n for n in STORED_PRINTS if not n.startswith("suining"))  # seed: golden


@pytest.mark.parametrize("name", CORPUS_PRINTS)
def test_what_each_document_produces_is_unchanged(name: str) -> None:
    assert fingerprint(document(name)) == STORED_PRINTS[name], (
        "run `python scripts/fingerprint.py --dump DIR` before and after to see what changed"
    )
