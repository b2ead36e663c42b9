"""The README's researcher section stays true: every column is documented, both pandas
recipes run and give the seed's stated figures, the picture is there."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.batch import BatchOptions, run_batch
from extractor.export.columns import TABLES

from .conftest import ROOT, SAMPLES

README = (ROOT / "README.md").read_text(encoding="utf-8")
SEED_UNIT = "遂宁市安居区政务服务便民热线中心"


@pytest.mark.parametrize("table", ["summary", "values", "items"])
def test_readme_documents_every_column_of_the_researchers_tables(table: str) -> None:
    missing = [c.name for c in TABLES[table].columns if f"`{c.name}`" not in README]
    assert not missing, f"README does not document {table}.csv columns {missing}"


def test_readme_names_every_table_of_the_run() -> None:
    outputs = README[README.index("`--out DIR` receives:") : README.index("### The document")]
    assert all(f"`{name}.csv`" in outputs for name in TABLES)
    assert "`datapackage.json`" in outputs and "`review/`" in outputs


def _recipes() -> list[str]:
    blocks = re.findall(r"```python\n(.*?)```", README, flags=re.DOTALL)
    return [b for b in blocks if 'pd.read_csv("out/' in b or "pd.read_csv('out/" in b]


def test_both_pandas_recipes_give_the_seeds_stated_figures(tmp_path: Path) -> None:
    pytest.importorskip("pandas")
    recipes = _recipes()
    assert len(recipes) == 2, "the 三公 recipe and the 类-款-项 recipe"
    inputs = [str(SAMPLES / "seed.txt"), str(SAMPLES / "tables_note.pdf")]
    run_batch(inputs, BatchOptions(out=tmp_path / "out", in_process=True))
    tables_note = "示例市东湖区示例局"
    # The recipes run as a researcher runs them, in a Python of their own (which also keeps
    # pandas' address space out of this test process and the workers it forks).
    script = (
        "\n".join(recipes)
        + f"""
import json
print(json.dumps([
    sangong.loc[({SEED_UNIT!r}, "部门"), 2024],
    sangong.loc[({tables_note!r}, "部门"), 2025],
    by_code.loc["201-03-50", ({SEED_UNIT!r}, "部门", 2024)],
    by_code.loc["221-02-01", ({SEED_UNIT!r}, "部门", 2024)],
    by_code.loc["201-06-07", ({tables_note!r}, "部门", 2025)],
]))
"""
    )
    found = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, check=True
    )
    seed_sangong, note_sangong, seed_operation, seed_housing, note_it = json.loads(found.stdout)
    # 区热线中心2024年“三公”经费财政拨款预算数6.1万元; tables_note: 2025年“三公”经费财政拨款预算数为27.95万元
    assert (seed_sangong, note_sangong) == (pytest.approx(6.1), pytest.approx(27.95))
    # 一般公共服务（201类）…事业运行（50项）2024年预算数为154.41万元; 住房公积金（01项）…12.38万元
    assert (seed_operation, seed_housing) == (pytest.approx(154.41), pytest.approx(12.38))
    # tables_note (README): 信息化建设 stated as 313.56 in the text, 312.56 in the table.
    assert note_it == pytest.approx(312.56)


def test_the_readme_picture_is_a_small_png_of_the_review_page() -> None:
    assert "![The seed's review page" in README and "(docs/review-seed.png)" in README
    picture = ROOT / "docs" / "review-seed.png"
    data = picture.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and picture.stat().st_size < 300_000
