"""The README stays in step with the code: every field, every validation rule."""

from __future__ import annotations

import re

import yaml

from extractor.validate import validate  # noqa: F401  (the rules live there)

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


def test_readme_lists_every_validation_rule() -> None:
    source = (ROOT / "extractor" / "validate.py").read_text(encoding="utf-8")
    checks = yaml.safe_load((ROOT / "patterns" / "checks.yaml").read_text(encoding="utf-8"))
    rules = set(
        re.findall(
            r'"((?:sum|share|repeat|change|execution|code|reconcile|table|balance|text|unit)\.[a-z_0-9]+)"',
            source,
        )
    )
    rules |= {
        spec["rule"] for key in ("sums", "count_sums", "contradictions") for spec in checks[key]
    }
    missing = sorted(rule for rule in rules if f"`{rule}`" not in README)
    assert not missing, missing
