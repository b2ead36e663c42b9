"""The cache of compiled regexes: a warm cache reads every example as a fresh compile does,
and a cache that is stale, damaged, hostile, unwritable or switched off never changes a
result or raises."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
import regex

from extractor.extraction.examples import cases, families
from extractor.extraction.sentences import facts_from_text
from extractor.rules import RuleSet, compile_all, load_rules
from extractor.rules.regexes import CACHE_VARIABLE, RegexStore, cache_file, cache_folder


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    return folder


def _readings(rules: RuleSet) -> list[list[dict[str, object]]]:
    """The facts of every pattern example and counterexample, as plain data."""
    return [
        [
            fact.model_dump(mode="json")
            for fact in facts_from_text(
                example if isinstance(example, str) else example.text,
                rules,
                families(None if isinstance(example, str) else example.section),
                None if isinstance(example, str) else example.heading,
            )
        ]
        for _, example, _ in cases(rules)
    ]


def test_warm_cache_reads_every_example_as_a_fresh_compile(cache_dir: Path) -> None:
    fresh = compile_all(load_rules(cache=False))
    assert not cache_dir.exists()  # cache=False neither reads nor writes

    cold = compile_all(load_rules())
    assert cold.regexes.loaded == 0
    path = cache_file(cache_folder())
    assert path is not None and path.is_file()

    warm = compile_all(load_rules())
    assert warm.regexes.loaded > 200  # every rule regex came from the file ...
    assert warm.regexes.compiled == 0  # ... and none had to be compiled again
    assert _readings(warm) == _readings(fresh)


def test_loaded_regex_is_the_compiled_one(cache_dir: Path) -> None:
    source, flags = r"(?P<amount>\d+(?:\.\d+)?)万元", regex.VERSION1 | regex.UNICODE
    writer = RegexStore(cache_file(cache_folder()))
    writer.compile(source, flags)
    writer.required_text(source)
    writer.save()

    reader = RegexStore(cache_file(cache_folder()))
    pattern = reader.compile(source, flags)
    assert (reader.loaded, reader.compiled) == (1, 0)
    assert pattern.flags == regex.compile(source, flags).flags
    match = pattern.search("合计12.5万元")
    assert match is not None and match.group("amount") == "12.5"
    assert reader.required_text(source) == writer.required_text(source)


class RunsACommand:
    """What a hostile file would hold: unpickling it calls os.system."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, (f"touch {self.marker}",))


def test_hostile_cache_file_is_refused_and_runs_nothing(cache_dir: Path, tmp_path: Path) -> None:
    path = cache_file(cache_folder())
    assert path is not None
    marker = tmp_path / "ran"
    path.parent.mkdir(parents=True)
    path.write_bytes(pickle.dumps((1, {("x", 0): RunsACommand(marker)}, {})))

    store = RegexStore(path)
    assert store.compile("a+b").fullmatch("aab")
    assert not marker.exists()
    assert (store.loaded, store.compiled) == (0, 1)


@pytest.mark.parametrize(
    "content",
    [b"", b"not a pickle", pickle.dumps("a string")[:-3], pickle.dumps((99, {}, {}))],
    ids=["empty", "garbage", "truncated", "other-format"],
)
def test_damaged_cache_file_means_compiling_again(cache_dir: Path, content: bytes) -> None:
    path = cache_file(cache_folder())
    assert path is not None
    path.parent.mkdir(parents=True)
    path.write_bytes(content)

    store = RegexStore(path)
    assert store.compile(r"\d+").fullmatch("2024")
    assert store.loaded == 0
    store.save()  # the damaged file is replaced by a good one
    again = RegexStore(path)
    again.compile(r"\d+")
    assert again.loaded == 1


def test_unwritable_cache_folder_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A file where the folder should be: no user (not even root) can create the cache there.
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv(CACHE_VARIABLE, str(blocker / "cache"))

    rules = compile_all(load_rules())  # saves, and must not raise
    assert rules.regexes.loaded == 0  # nothing could be read either
    assert rules.patterns.patterns  # the rules work all the same
    assert blocker.read_text(encoding="utf-8") == "a file, not a folder"
    assert not (blocker.parent / "cache").exists()


@pytest.mark.parametrize("setting", ["off", "0", "none", "OFF"])
def test_switched_off_writes_nothing(
    setting: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CACHE_VARIABLE, setting)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() is None

    rules = compile_all(load_rules())
    assert rules.regexes.path is None
    assert rules.regexes.loaded == 0
    assert not any(tmp_path.iterdir())


def test_default_folder_follows_xdg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(CACHE_VARIABLE, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_folder() == tmp_path / "budget-notes"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert cache_folder() == tmp_path / "home" / ".cache" / "budget-notes"


def test_file_name_changes_with_the_regex_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = cache_file(tmp_path)
    monkeypatch.setattr(regex, "__version__", regex.__version__ + ".other")
    after = cache_file(tmp_path)
    assert before is not None and after is not None
    assert before != after and before.parent == after.parent == tmp_path


def python_output(code: str, **environment: str) -> str:
    """What a fresh ``python -c code`` prints, with these environment variables added."""
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, **environment},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return done.stdout


_COUNT_COMPILED = """
from extractor.rules import load_rules
rules = load_rules()
for part in ("text", "headings", "codes", "tables", "figures", "recognition", "patterns"):
    getattr(rules, part)
print(rules.regexes.loaded, rules.regexes.compiled)
rules.regexes.save()
"""


def test_a_process_with_another_hash_seed_finds_every_regex_in_the_cache(cache_dir: Path) -> None:
    # Rule regexes built from sets (alternations, character classes) must not depend on the
    # set's order, which changes with the hash seed of each process.
    counts = []
    for seed in ("1", "2"):
        printed = python_output(_COUNT_COMPILED, PYTHONHASHSEED=seed)
        counts.append(tuple(int(n) for n in printed.split()))
    (first_loaded, first_compiled), (second_loaded, second_compiled) = counts
    assert first_loaded == 0 and first_compiled > 200
    assert second_compiled == 0 and second_loaded > 200
