"""FieldName and patterns/fields.yaml name the same fields."""

from __future__ import annotations

import yaml

from extractor.fields import FieldName
from extractor.rules import default_rules

from .conftest import ROOT


def _yaml_fields() -> list[str]:
    data = yaml.safe_load((ROOT / "patterns" / "fields.yaml").read_text(encoding="utf-8"))
    return list(data["fields"])


def test_every_field_of_the_data_file_is_a_member() -> None:
    assert [name for name in _yaml_fields() if name not in set(FieldName)] == []


def test_every_member_is_a_field_of_the_data_file() -> None:
    assert [member for member in FieldName if member not in set(_yaml_fields())] == []


def test_members_follow_the_data_file() -> None:
    assert [member.value for member in FieldName] == _yaml_fields()
    assert list(default_rules().fields) == list(FieldName)


def test_member_names_spell_the_field() -> None:
    assert [m for m in FieldName if m.name != m.value.upper().replace(".", "_")] == []
