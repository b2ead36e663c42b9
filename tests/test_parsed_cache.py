"""The cache of parsed rule files: a warm cache gives the rules that parsing gives, an edited
file is parsed again, and a cache that is damaged, hostile, unwritable or switched off never
changes a result or raises."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest

from extractor.rules import RuleError, load_rules
from extractor.rules.parsed import ParsedStore, store_file
from extractor.rules.regexes import CACHE_VARIABLE, cache_folder
from extractor.rules.source import patterns_dir, read_yaml

from .test_regex_cache import RunsACommand, python_output


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    return folder


def _rule_files() -> list[Path]:
    base = patterns_dir()
    return sorted(base.glob("*.yaml")) + sorted(base.glob("overlays/*/*.yaml"))


def _store() -> ParsedStore:
    return ParsedStore(store_file(cache_folder()))


def test_warm_cache_gives_every_rule_file_as_parsing_does(cache_dir: Path) -> None:
    files = _rule_files()
    assert len(files) > 20
    cold = _store()
    parsed = [read_yaml(path, cold) for path in files]
    assert cold.added == len(files)
    cold.save()

    warm = _store()
    assert [read_yaml(path, warm) for path in files] == parsed == [read_yaml(p) for p in files]
    assert warm.added == 0  # every file came from the cache


def test_rules_loaded_warm_are_the_rules_loaded_without_the_cache(cache_dir: Path) -> None:
    fresh = load_rules(cache=False)
    assert not cache_dir.exists()  # cache=False neither reads nor writes
    load_rules()  # fills the cache
    path = store_file(cache_folder())
    assert path is not None and path.is_file()
    warm = load_rules()
    assert warm.fields == fresh.fields
    assert warm.checks_file == fresh.checks_file
    assert warm.pattern_files == fresh.pattern_files
    assert warm.overlays == fresh.overlays
    assert warm.version == fresh.version


def test_each_read_gives_fresh_objects(cache_dir: Path, tmp_path: Path) -> None:
    rule_file = tmp_path / "rule.yaml"
    rule_file.write_text("names: [一般公共预算, 政府性基金]\n", encoding="utf-8")
    store = _store()
    first = read_yaml(rule_file, store)
    first["names"].append("changed by a caller")
    assert read_yaml(rule_file, store) == {"names": ["一般公共预算", "政府性基金"]}


def test_an_edited_file_is_parsed_again(cache_dir: Path, tmp_path: Path) -> None:
    rule_file = tmp_path / "rule.yaml"
    rule_file.write_text("limit: 1\n", encoding="utf-8")
    store = _store()
    assert read_yaml(rule_file, store) == {"limit": 1}
    store.save()

    rule_file.write_text("limit: 2\n", encoding="utf-8")
    again = _store()
    assert read_yaml(rule_file, again) == {"limit": 2}
    assert again.added == 1


def test_data_that_is_not_plain_is_not_kept(cache_dir: Path, tmp_path: Path) -> None:
    rule_file = tmp_path / "dated.yaml"
    rule_file.write_text("published: 2024-01-31\n", encoding="utf-8")  # YAML makes a date
    store = _store()
    data = read_yaml(rule_file, store)
    assert str(data["published"]) == "2024-01-31"
    assert store.added == 0
    store.save()
    assert not cache_dir.exists()  # nothing was worth writing


def test_hostile_cache_file_is_refused_and_runs_nothing(cache_dir: Path, tmp_path: Path) -> None:
    rule_file = tmp_path / "rule.yaml"
    rule_file.write_text("limit: 3\n", encoding="utf-8")
    marker = tmp_path / "ran"
    path = store_file(cache_folder())
    assert path is not None
    path.parent.mkdir(parents=True)
    key = hashlib.sha256(rule_file.read_bytes()).hexdigest()
    # Hostile as the whole file, and as the entry of the very file being read.
    for content in (
        pickle.dumps(RunsACommand(marker)),
        pickle.dumps((1, {key: pickle.dumps(RunsACommand(marker))})),
    ):
        path.write_bytes(content)
        store = ParsedStore(path)
        assert read_yaml(rule_file, store) == {"limit": 3}
        assert store.added == 1
        assert not marker.exists()


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps("a string")[:-3], pickle.dumps((99, {}))],
    ids=["empty", "garbage", "truncated", "other-format"],
)
def test_damaged_cache_file_means_parsing_again(
    cache_dir: Path, tmp_path: Path, content: bytes
) -> None:
    rule_file = tmp_path / "rule.yaml"
    rule_file.write_text("limit: 4\n", encoding="utf-8")
    path = store_file(cache_folder())
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    store = ParsedStore(path)
    assert read_yaml(rule_file, store) == {"limit": 4}
    store.save()  # the damaged file is replaced by a good one
    again = ParsedStore(path)
    assert read_yaml(rule_file, again) == {"limit": 4}
    assert again.added == 0


def test_unwritable_cache_folder_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))
    rules = load_rules()  # saves, and must not raise
    assert rules.fields and rules.pattern_files  # the rules load all the same
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"


def test_switched_off_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    load_rules()
    assert not any(tmp_path.rglob("*.pickle"))


def test_a_broken_file_is_still_named_when_the_cache_is_warm(
    cache_dir: Path, tmp_path: Path
) -> None:
    rule_file = tmp_path / "broken.yaml"
    rule_file.write_text("key: [unclosed\n", encoding="utf-8")
    with pytest.raises(RuleError, match=r"broken\.yaml: not valid YAML"):
        read_yaml(rule_file, _store())
    rule_file.write_bytes("名称: 预算\n".encode("gbk"))
    with pytest.raises(RuleError, match=r"broken\.yaml: not UTF-8 text"):
        read_yaml(rule_file, _store())


def test_the_store_file_lives_in_the_cache_folder(tmp_path: Path) -> None:
    assert store_file(None) is None
    path = store_file(tmp_path)
    assert path is not None and path.parent == tmp_path and path.name.startswith("rules-")


_LOAD_AND_REPORT_YAML = (
    "import sys\n"
    "from extractor.rules import compile_all, load_rules\n"
    "compile_all(load_rules())\n"
    "print('yaml' in sys.modules)\n"
)


def _loads_yaml(cache: Path) -> bool:
    return python_output(_LOAD_AND_REPORT_YAML, **{CACHE_VARIABLE: str(cache)}).strip() == "True"


def test_a_process_whose_rule_files_are_all_in_the_store_never_imports_pyyaml(
    tmp_path: Path,
) -> None:
    cache = tmp_path / "cache"
    assert _loads_yaml(cache)  # the first process parses every file, with PyYAML
    assert not _loads_yaml(cache)  # the next finds them all in the store


def test_the_store_is_named_by_the_pyyaml_it_was_parsed_with(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extractor.rules.parsed as parsed

    here = store_file(tmp_path)
    monkeypatch.setattr(parsed, "_yaml_source", lambda: b"__version__ = '99.0'\n")
    assert store_file(tmp_path) != here
