"""The ``budget-notes`` command: thin, it parses arguments, calls the library and maps the
outcome to an exit status: 0 all files ok, 1 some files failed, 2 usage error, 3 could not
run (output folder, disk, lock, manifest, scheduler), 130/143 stopped by SIGINT/SIGTERM.
Anything but a file's own failure is one line on stderr, never a traceback."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from . import __version__
from .readers.formats import DEFAULT_EXCLUDE, DEFAULT_INCLUDE
from .readers.limits import Limits

if TYPE_CHECKING:
    from .batch import BatchOptions, Summary

# The library is imported by the command that needs it, not here: `--version`, `--help` and a
# usage error answer without loading the readers, the rules or pydantic. The command line is
# click's: typer (over the same click) cost 0.2 s a run, importing itself and pydantic and
# building a pydantic adapter for every option before a command started.

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_CANNOT_RUN = 0, 1, 2, 3
F = TypeVar("F", bound=Callable[..., Any])


def _version(context: click.Context, _: click.Parameter, value: bool) -> None:
    if value and not context.resilient_parsing:
        click.echo(f"budget-notes {__version__}")
        context.exit()


@click.group(
    no_args_is_help=True,
    context_settings={"show_default": True, "max_content_width": 100},
    help="Turn Chinese government budget notes (PDF, DOCX, TXT) into validated, source-grounded "
    "JSON and CSV. Exit status: 0 all files ok, 1 some files failed (the rest were written), "
    "2 usage error, 3 could not run (output folder, disk, lock, scheduler), 130/143 stopped "
    "by SIGINT/SIGTERM (finished files kept).",
)
@click.option(
    "--version",
    is_flag=True,
    is_eager=True,
    expose_value=False,
    callback=_version,
    help="Show the version and exit.",
)
def app() -> None:
    """budget-notes."""


def _switch(name: str, default: bool, help: str) -> Callable[[F], F]:
    """``--name/--no-name``, on or off by default."""
    return click.option(f"--{name}/--no-{name}", default=default, help=help)


@app.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path),
    required=True,
    help="Output folder (created if missing).",
)
@click.option("--jobs", "-j", type=int, default=0, help="Worker processes (0: one per core).")
@click.option("--timeout", type=float, default=300.0, help="Per-file time limit in seconds.")
@click.option(
    "--max-memory",
    type=int,
    default=2048,
    help="Per-file memory cap in MB, on top of what a worker starts with (0: none).",
)
@click.option(
    "--max-pages", type=int, default=Limits.max_pages, help="Refuse PDFs with more pages."
)
@click.option(
    "--max-bytes",
    type=int,
    default=Limits.max_bytes,
    help="Refuse files larger than this many bytes.",
)
@click.option(
    "--max-docx-unpacked",
    type=int,
    default=Limits.max_docx_uncompressed,
    help="Refuse DOCX that unpack to more bytes.",
)
@click.option("--kind", help="Expect 预算 or 决算 notes; others fail with kind_mismatch.")
@_switch("convert", False, "Convert .doc/.wps with LibreOffice (soffice) when installed.")
@_switch("tables", True, "Read the standard tables; --no-tables reads the text only (faster).")
@_switch("text", True, "Include the document text in each JSON (provenance offsets point into it).")
@_switch("force", False, "Process files even if the manifest says they are done.")
@click.option(
    "--include",
    multiple=True,
    help="Take only files in folders that match this glob (repeatable; replaces the"
    f" default {' '.join(DEFAULT_INCLUDE)}).",
)
@click.option(
    "--exclude",
    multiple=True,
    help="Leave out files (and folders) in folders that match this glob (repeatable;"
    f" added to the default {' '.join(DEFAULT_EXCLUDE)}).",
)
@_switch("prune", False, "Mirror the inputs: outputs and rows of inputs that are gone are removed.")
@_switch("bom", True, "Write CSV as UTF-8 with BOM (opens correctly in Excel).")
@_switch("parquet", False, "Also write the combined tables as Parquet (needs pyarrow).")
@_switch(
    "jsonl",
    False,
    "Also write facts.jsonl: every fact as JSON, one a line (a third copy of the"
    " facts, beside the notes' JSON and facts.csv); turned on for a folder already run,"
    " it is made from the notes' JSON.",
)
@_switch(
    "review",
    False,
    "Also write review pages (review/): each note's text with every figure marked;"
    " turned on for a folder already run, they are made from the notes' JSON.",
)
@click.option(
    "--excel-safe/--raw-csv",
    default=True,
    help="Start CSV text cells that a spreadsheet would run as a formula (= + - @) "
    "with an apostrophe; --raw-csv writes every cell as it is.",
)
@click.option("--scheduler", help="Run on Dask: 'local' for a local cluster, or tcp://HOST:8786.")
@click.option(
    "--scheduler-timeout",
    type=float,
    default=30.0,
    help="Seconds to wait for the Dask scheduler and its first worker.",
)
@click.option(
    "--overlay",
    multiple=True,
    help="Apply this rule overlay (patterns/overlays/NAME) to every note (repeatable);"
    " those of a note's region apply anyway.",
)
@_switch(
    "region-overlays",
    True,
    "Apply the overlays of each note's region (--no-region-overlays: only --overlay).",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress output and no summary.")
def extract(
    paths: tuple[str, ...],
    out: Path,
    jobs: int,
    timeout: float,
    max_memory: int,
    max_pages: int,
    max_bytes: int,
    max_docx_unpacked: int,
    kind: str | None,
    convert: bool,
    tables: bool,
    text: bool,
    force: bool,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
    prune: bool,
    bom: bool,
    parquet: bool,
    jsonl: bool,
    review: bool,
    excel_safe: bool,
    scheduler: str | None,
    scheduler_timeout: float,
    overlay: tuple[str, ...],
    region_overlays: bool,
    quiet: bool,
) -> None:
    """Extract every figure of each budget note into OUT/<name>.json and combined CSV tables."""
    from .batch import BatchOptions, CannotRunError, Filters, Interrupted, UsageError
    from .models import NoteKind
    from .pipeline import Options
    from .rules import RuleError, default_rules

    if kind is not None and kind not in set(NoteKind):
        raise click.BadParameter("must be 预算 or 决算", param_hint="--kind")
    if jobs < 0 or timeout <= 0 or scheduler_timeout <= 0:
        raise click.BadParameter("--jobs must be >= 0, --timeout and --scheduler-timeout > 0")
    try:
        known = default_rules().overlays
    except RuleError as problem:
        click.echo(f"budget-notes: could not run: {problem}", err=True)
        raise click.exceptions.Exit(EXIT_CANNOT_RUN) from None
    unknown = [name for name in overlay or () if name not in known]
    if unknown:
        raise click.BadParameter(
            f"no overlay {', '.join(unknown)} (have: {', '.join(sorted(known)) or 'none'})",
            param_hint="--overlay",
        )
    options = BatchOptions(
        out=out,
        jobs=jobs,
        timeout=timeout,
        max_memory_mb=max_memory,
        force=force,
        bom=bom,
        parquet=parquet,
        jsonl=jsonl,
        review=review,
        excel_safe=excel_safe,
        scheduler=scheduler,
        scheduler_timeout=scheduler_timeout,
        prune=prune,
        filters=Filters.of(list(include), list(exclude)),
        pipeline=Options(
            limits=Limits(
                max_bytes=max_bytes, max_pages=max_pages, max_docx_uncompressed=max_docx_unpacked
            ),
            convert=convert,
            tables=tables,
            expect_kind=kind,
            include_text=text,
            overlays=overlay,
            automatic_overlays=region_overlays,
        ),
    )
    try:
        summary = _run(list(paths), options, quiet)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(EXIT_USAGE) from exc
    except CannotRunError as exc:
        click.echo(f"budget-notes: could not run: {exc}", err=True)
        raise click.exceptions.Exit(EXIT_CANNOT_RUN) from exc
    except Interrupted as exc:
        click.echo(
            f"budget-notes: stopped by {exc.name}; finished files are kept, run again for the rest",
            err=True,
        )
        raise click.exceptions.Exit(exc.exit_code) from None
    if not quiet:
        click.echo(summary.text(), err=True)
    raise click.exceptions.Exit(summary.exit_code)


def _run(paths: list[str], options: BatchOptions, quiet: bool) -> Summary:
    from .batch import ReportLine, progress_line, run_batch
    from .batch.report import ReportStatus

    def warn(message: str) -> None:
        click.echo(message, err=True)

    if quiet:
        return run_batch(paths, options, warn=warn)
    if not sys.stderr.isatty():
        return run_batch(
            paths,
            options,
            lambda line, done, total: click.echo(progress_line(line, done, total), err=True),
            warn,
        )
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    failures = 0
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} files/s"),
        TimeRemainingColumn(),
        TextColumn("[red]{task.fields[failures]} failed"),
        transient=False,
    ) as bar:
        task = bar.add_task("extracting", total=None, rate=0.0, failures=0)

        def update(line: ReportLine, done: int, total: int | None) -> None:
            nonlocal failures
            failures += line.status == ReportStatus.FAILED
            elapsed = bar.tasks[task].elapsed or 0.0
            bar.update(
                task,
                completed=done,
                total=total,
                rate=done / elapsed if elapsed else 0.0,
                failures=failures,
            )
            if line.status == ReportStatus.FAILED:
                bar.console.print(f"[red]failed[/red] {line.path}: {line.reason}")

        return run_batch(paths, options, update, lambda message: bar.console.print(message))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the output document."""
    from .models import Document

    click.echo(json.dumps(Document.model_json_schema(), ensure_ascii=False, indent=2))


@app.command("check-patterns")
def check_patterns() -> None:
    """Load every pattern file and run every pattern's examples; report what fails."""
    from .extraction.examples import run_all
    from .rules import RuleError, compile_all, load_rules

    try:
        rules = compile_all(load_rules())
    except RuleError as problem:
        click.echo(f"budget-notes: {problem}", err=True)
        raise click.exceptions.Exit(EXIT_FAILED) from None
    failures = run_all(rules)
    for failure in failures:
        click.echo(failure, err=True)
    click.echo(f"{'ok' if not failures else f'{len(failures)} failing examples'}")
    raise click.exceptions.Exit(EXIT_FAILED if failures else EXIT_OK)


@app.command("inspect")
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--limit", type=int, default=10, help="Rows in the per-note lists.")
def inspect_run(out: Path, limit: int) -> None:
    """Show what the output folder OUT of a run (its --out) holds: notes by status, failed
    checks by rule, lowest coverage, disagreeing figures, warnings."""
    from rich.console import Console

    from .export.overview import NotARunError, overview, render

    try:
        view = overview(out, limit)
    except NotARunError as exc:
        click.echo(f"error: {exc}", err=True)
        raise click.exceptions.Exit(EXIT_USAGE) from exc
    render(view, Console())


def main() -> None:
    """Entry point; click's own usage errors already exit with status 2."""
    try:
        app()
    except SystemExit as done:
        leave(done.code)
    leave(EXIT_OK)


def leave(status: object) -> NoReturn:
    """End the process with ``status`` (as ``sys.exit`` takes it) without Python's teardown:
    freeing one by one every object a run built (the rules' regexes and models, the readers'
    libraries) took 0.3 s after each extract. What a command writes is closed before it
    returns (atomic files, the manifest, the report, the workers and any Dask cluster); the
    standard streams and logging are flushed here. An exception other than an exit is not
    caught: it ends the process as Python does."""
    if status is None:
        code = EXIT_OK
    elif isinstance(status, int):
        code = status
    else:  # sys.exit("message")
        print(status, file=sys.stderr)
        code = EXIT_FAILED
    if "logging" in sys.modules:  # a library logged: flush its handlers (else nothing to do)
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        with suppress(OSError, ValueError):  # a closed pipe (| head): nothing more to say
            stream.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
