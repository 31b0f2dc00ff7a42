"""Store commands: `db upgrade`, `import`, `export` and `demo`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from sqlalchemy.exc import SQLAlchemyError

from bot.cli import app
from bot.cli._common import (
    AsOfOption,
    DatabaseUrlOption,
    err_console,
    fail,
    open_store,
    out_console,
    parse_as_of,
    settings_for,
    stdin_is_terminal,
    upgraded_store,
)
from bot.core.config import Settings
from metrics.periods import parse_period
from storage.csv_export import export_csv
from storage.ownership import ColumnConflictError
from storage.rollups import rebuild_rollups

if TYPE_CHECKING:
    # pandas and numpy come with the importer and the demo data: imported by their commands.
    from rich.console import Console
    from sqlalchemy import Engine

    from storage.csv_import import (
        Finding,
        ImportProgress,
        ImportReport,
        ImportStage,
        ProgressCallback,
        UpsertCounts,
    )
    from storage.demo import DemoSummary, StoryHint

__all__ = [
    "db_rebuild_rollups",
    "db_upgrade",
    "demo_command",
    "export_command",
    "import_command",
]

NO_FILE = "{path} does not exist or is not a file"
DATABASE_FAILED = "the import failed in the database and nothing was written: {reason}"
REJECTED = "{path}: {count} error(s), nothing was written"
MORE = "… and {count} more"
VALID = (
    "{path} is valid: {rows} rows ({inserted} would be inserted, {replaced} replaced); "
    "nothing was written (dry run)"
)
IMPORTED = "imported {path}: {rows} rows ({inserted} inserted, {replaced} replaced)"
WARNINGS = "{count} warning(s), not errors (the rows import as they are; worth a look):"
EXPORTED = "exported {rows} rows to {path}"
CANNOT_WRITE = "cannot write {path}: {reason}"
DEMO_LOADED = "loaded the demo data: {rows} daily rows"
DEMO_KEPT = "the store already has data; the demo data was not loaded"
STORY = (
    "Something to discover: over the last six weeks, {channel}'s MQL→SQL rate went from "
    "{before:.0%} to {after:.0%} while its marketing spend changed {spend_change:+.0%}."
)
STORY_QUESTION = 'Try: funnelbot ask "mql to sql by channel last 6 weeks"'

ROLLUPS_REBUILT = "rebuilt the week, month, quarter and year rollups from the snapshots"

PROGRESS_MIN_BYTES = 1_000_000

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrlOption = None) -> None:
    """Apply migrations (idempotent)."""
    upgraded_store(settings_for(database_url))
    out_console().print("database is up to date")


@db_app.command("rebuild-rollups")
def db_rebuild_rollups(database_url: DatabaseUrlOption = None) -> None:
    """Recompute the week, month, quarter and year rollups from the snapshots. `import`
    keeps them current; run this after writing to the snapshots table by other means."""
    engine = open_store(settings_for(database_url))
    with engine.begin() as connection:
        rebuild_rollups(connection)
    out_console().print(ROLLUPS_REBUILT)


@app.command("import")
def import_command(
    path: Annotated[Path, typer.Argument(metavar="FILE.csv", help="Snapshots (see docs/data.md).")],
    *,
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Validate and count what would change; write nothing."),
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Validate a snapshot CSV and upsert it; on any error nothing is written (exit 1)."""
    from storage.csv_import import ImportFileError, import_csv

    settings = settings_for(database_url)
    if not path.is_file():
        fail(NO_FILE.format(path=path))
    engine = open_store(settings)
    try:
        with _progress_bar(path.stat().st_size) as progress:
            report = import_csv(engine, path, dry_run=dry_run, progress=progress)
    except (ImportFileError, ColumnConflictError) as error:
        fail(str(error))
    except SQLAlchemyError as error:
        fail(DATABASE_FAILED.format(reason=str(error).strip().splitlines()[0]))
    _print_import(report)
    if not report.ok:
        raise typer.Exit(1)


@contextmanager
def _progress_bar(file_size: int) -> Iterator[ProgressCallback | None]:
    """A progress bar on stderr for a big file when stderr is a terminal, else no callback."""
    if file_size < PROGRESS_MIN_BYTES or not err_console().is_terminal:
        yield None
        return
    from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), TimeRemainingColumn())
    with Progress(*columns, console=err_console(), transient=True) as bar:
        tasks: dict[ImportStage, TaskID] = {}

        def show(update: ImportProgress) -> None:
            if update.stage not in tasks:
                tasks[update.stage] = bar.add_task(update.stage.value, total=update.total)
            bar.update(tasks[update.stage], completed=update.done)

        yield show


def _print_import(report: ImportReport) -> None:
    if not report.ok:
        err_console().print(
            REJECTED.format(path=report.file_name, count=report.error_count), markup=False
        )
        _print_listing(err_console(), report.errors, report.errors_not_shown)
        return
    summary = IMPORTED if report.written else VALID
    out_console().print(
        summary.format(
            path=report.file_name,
            rows=report.rows,
            inserted=report.inserted,
            replaced=report.replaced,
        ),
        markup=False,
    )
    if report.warning_count:
        out_console().print(WARNINGS.format(count=report.warning_count))
        for group in report.warnings:
            out_console().print(f"  {group.summary}\n    {group.first[0]}", markup=False)


def _print_listing(console: Console, findings: tuple[Finding, ...], not_shown: int) -> None:
    for finding in findings:
        console.print(f"  {finding}", markup=False)
    if not_shown:
        console.print(f"  {MORE.format(count=not_shown)}", markup=False)


@app.command("export")
def export_command(
    *,
    period: Annotated[
        str | None,
        typer.Option(help="Rows whose period_start is in P: 2026-03, 2026-Q3, 2026, A..B…"),
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", help="Write to FILE instead of stdout.")
    ] = None,
    as_of: AsOfOption = None,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Snapshots back to CSV (the import format; re-importing it changes nothing)."""
    settings = settings_for(database_url)
    try:
        bounds = None if period is None else parse_period(period, parse_as_of(as_of, settings))
    except ValueError as error:
        fail(str(error))
    start, end = (None, None) if bounds is None else (bounds.start, bounds.end)
    engine = open_store(settings)
    if out is None:
        _export_to_stdout(engine, start, end)
        return
    try:
        with out.open("w", encoding="utf-8", newline="") as handle:
            rows = export_csv(engine, handle, start=start, end=end)
    except OSError as error:
        fail(CANNOT_WRITE.format(path=out, reason=error.strerror))
    err_console().print(EXPORTED.format(rows=rows, path=out), markup=False)


def _export_to_stdout(engine: Engine, start: date | None, end: date | None) -> None:
    try:
        export_csv(engine, sys.stdout, start=start, end=end)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (`| head`): no traceback, and none at exit either.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(1) from None


@app.command("demo")
def demo_command(database_url: DatabaseUrlOption = None, as_of: AsOfOption = None) -> None:
    """Create the store if needed, load realistic demo data into it when empty, summarise it."""
    from storage.demo import demo_summary, load_demo

    settings = settings_for(database_url)
    today = parse_as_of(as_of, settings)
    engine = open_store(settings)
    _print_loading(load_demo(engine, end=today - timedelta(days=1)))
    _print_summary(demo_summary(engine, today))
    _show_the_bot(engine, settings, today)


def _show_the_bot(engine: Engine, settings: Settings, today: date) -> None:
    # Imported here: the parser, renderers and digests are heavy and most commands need none.
    from bot.cli._ask import run_chat
    from bot.cli._showcase import digest_previews, sample_answers

    for renderable in (
        *sample_answers(engine, settings, today),
        *digest_previews(engine, settings, today),
    ):
        out_console().print()
        out_console().print(renderable)
    if stdin_is_terminal():
        out_console().print()
        run_chat(engine, settings, today, out_console())


def _print_loading(counts: UpsertCounts | None) -> None:
    if counts is None:
        out_console().print(DEMO_KEPT)
    else:
        out_console().print(DEMO_LOADED.format(rows=counts.inserted + counts.replaced))


def _print_summary(summary: DemoSummary) -> None:
    lines = [
        f"rows:      {summary.rows:,}",
        f"dates:     {summary.first_day} .. {summary.last_day}",
        f"channels:  {', '.join(summary.channels)}",
        f"segments:  {', '.join(summary.segments)}",
        f"new customers in {summary.last_month_start:%B %Y}: "
        f"{_or_unknown(summary.last_month_new_customers)}",
    ]
    for line in lines:
        out_console().print(line, markup=False)
    if summary.story is not None:
        out_console().print(_story_text(summary.story), markup=False)
        out_console().print(STORY_QUESTION, markup=False)


def _or_unknown(value: int | None) -> str:
    return "n/a" if value is None else f"{value:,}"


def _story_text(story: StoryHint) -> str:
    return STORY.format(
        channel=story.channel,
        before=story.sql_rate_before,
        after=story.sql_rate_after,
        spend_change=story.spend_after / story.spend_before - 1 if story.spend_before else 0.0,
    )
