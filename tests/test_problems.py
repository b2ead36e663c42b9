"""The problem-code registry is complete, used, and what the README shows."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from enum import StrEnum
from pathlib import Path
from typing import get_args

import pytest

from extractor.errors import InputError
from extractor.models import DocumentStatus, DocumentStatusValue, FactStatus, FactStatusValue
from extractor.problems import (
    PROBLEMS,
    ProblemCode,
    ProblemKind,
    main,
    markdown_table,
    transient_codes,
)

from .conftest import ROOT

PACKAGE = ROOT / "extractor"
# Where a problem code is passed: the callable and the position of its code argument (every
# one of them also takes it as ``code=``).
_CODE_ARGUMENT = {
    "InputError": 0,
    "Problem": None,
    "failed_document": 1,
    "failed_in_main": 1,
    "fail": 1,
    "Refusal": 1,
    "add": 0,
}
# Names too common to look for everywhere: the one module where each passes a code.
_ONLY_IN = {"add": "docx_dropped.py"}  # the warnings of what the DOCX reader left out
# Raising these fails the file: their codes must be errors.
_FAILING = {"InputError", "failed_document", "failed_in_main", "fail", "Refusal"}
# Another change converts readers/pdf*.py; until then they may spell their codes as text.


def _called(node: ast.Call) -> str | None:
    if isinstance(node.func, ast.Name):
        return node.func.id
    if isinstance(node.func, ast.Attribute):
        return node.func.attr
    return None


def _code_arguments(path: Path) -> Iterator[tuple[str, ast.expr]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name = _called(node)
        if name not in _CODE_ARGUMENT or _ONLY_IN.get(name, path.name) != path.name:
            continue
        position = _CODE_ARGUMENT[name]
        if position is not None and len(node.args) > position:
            yield name, node.args[position]
        yield from ((name, kw.value) for kw in node.keywords if kw.arg == "code")


def _member(node: ast.expr) -> ProblemCode | str | None:
    """The code an argument names: a ProblemCode member, a string, or None (a variable)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "ProblemCode"
    ):
        return ProblemCode[node.attr]
    return None


def _emitted() -> list[tuple[Path, int, str, ProblemCode | str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for name, argument in _code_arguments(path):
            code = _member(argument)
            if code is not None:
                found.append((path.relative_to(ROOT), argument.lineno, name, code))
    return found


def test_every_code_the_package_emits_is_in_the_registry() -> None:
    emitted = _emitted()
    assert len(emitted) > 40  # the walk finds the calls
    unknown = [(str(p), line, code) for p, line, _, code in emitted if code not in set(PROBLEMS)]
    assert unknown == []


def test_every_code_in_the_registry_is_emitted_somewhere() -> None:
    emitted = {code for *_, code in _emitted()}
    # The runner writes this one into report.jsonl itself, with no record behind it.
    reported = {ProblemCode.CANCELLED}
    runner = (PACKAGE / "batch" / "runner.py").read_text(encoding="utf-8")
    assert "ProblemCode.CANCELLED" in runner
    assert sorted(set(ProblemCode) - emitted - reported) == []


def test_every_code_is_named_by_the_enum() -> None:
    literal = [(str(p), line, code) for p, line, _, code in _emitted() if type(code) is str]
    assert literal == []


def test_a_failure_is_raised_with_an_error_code() -> None:
    warnings = [
        (str(p), line, code)
        for p, line, name, code in _emitted()
        if name in _FAILING and PROBLEMS[ProblemCode(code)].kind is not ProblemKind.ERROR
    ]
    assert warnings == []


def test_every_code_has_one_entry_and_errors_alone_have_a_failure_class() -> None:
    assert list(PROBLEMS) == list(ProblemCode)
    for code, spec in PROBLEMS.items():
        assert (spec.failure is None) == (spec.kind is ProblemKind.WARNING), code
        assert spec.description and "\n" not in spec.description and "|" not in spec.description


def test_the_transient_failures_are_those_the_batch_retries() -> None:
    assert transient_codes() == {
        ProblemCode.TIMEOUT,
        ProblemCode.WORKER_CRASHED,
        ProblemCode.MEMORY_LIMIT,
        ProblemCode.CHANGED_WHILE_READING,
        ProblemCode.UNREADABLE_FILE,
        ProblemCode.CANCELLED,
    }


def test_an_unregistered_code_is_a_bug() -> None:
    with pytest.raises(ValueError):
        InputError("no_such_code", "a message")
    assert InputError("empty", "the file is empty").code is ProblemCode.EMPTY


def test_codes_are_written_as_their_text() -> None:
    problem = InputError(ProblemCode.TOO_LARGE, "too big").to_problem()
    assert problem.model_dump_json(include={"code"}) == '{"code":"too_large"}'
    assert type(problem.code) is str


def _readme_table() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    begin = readme.index("<!-- problem codes:")
    begin = readme.index("\n", begin) + 1
    return readme[begin : readme.index("<!-- end of problem codes -->", begin)]


def test_readme_table_of_problem_codes_is_the_one_the_registry_prints() -> None:
    assert _readme_table() == markdown_table(), (
        "regenerate it: python -m extractor.problems --markdown"
    )


def test_the_module_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    assert capsys.readouterr().out == markdown_table()
    assert main([]) == 0
    assert len(capsys.readouterr().out.splitlines()) == len(ProblemCode)


@pytest.mark.parametrize(
    ("literal", "enum"), [(DocumentStatusValue, DocumentStatus), (FactStatusValue, FactStatus)]
)
def test_status_fields_take_every_member(literal: object, enum: type[StrEnum]) -> None:
    assert list(get_args(literal)) == list(enum)
