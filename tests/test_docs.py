"""The README stays in step with the code: every field, every validation rule."""

from __future__ import annotations

import yaml

from extractor.checks import list_rules, load_check_data
from extractor.checks.registry import markdown_table

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_lists_every_field() -> None:
    fields = yaml.safe_load((ROOT / "patterns" / "fields.yaml").read_text(encoding="utf-8"))[
        "fields"
    ]
    missing = []
    for name in fields:
        tail = name.rpartition(".")[2]
        shorthand = (
            f"`.{tail}`" in README
            or f"/ `_{tail.split('_')[-1]}`" in README
            or f"`_{tail.split('_', 1)[-1]}`" in README
        )
        if f"`{name}`" not in README and not shorthand:
            missing.append(name)
    assert not missing, missing


def _checks_table() -> str:
    begin = README.index("<!-- checks table:")
    begin = README.index("\n", begin) + 1
    return README[begin : README.index("<!-- end of checks table -->", begin)].strip() + "\n"


def test_readme_lists_every_validation_rule() -> None:
    rules = {rule.id for rule in list_rules(load_check_data(ROOT / "patterns").checks)}
    missing = sorted(rule for rule in rules if f"`{rule}`" not in README)
    assert not missing, missing


def test_readme_table_of_checks_is_the_one_the_registry_prints() -> None:
    rules = list_rules(load_check_data(ROOT / "patterns").checks)
    assert _checks_table() == markdown_table(rules), (
        "regenerate it: python -m extractor.checks --markdown"
    )
