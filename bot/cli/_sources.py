"""`funnelbot sync NAME|all [--dry-run] [--full]` and `funnelbot sources`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from bot.cli import app
from bot.cli._common import DatabaseUrlOption, fail, open_store, settings_for
from bot.core.clock import utc_now
from bot.core.config import Settings
from bot.syncing.registry import build_source, configured_sources, known_sources
from sources.errors import SyncError
from sources.runs import Outcome, RunLedger, RunRecord
from sources.sync import SyncReport, run_source
from sources.texts import Errors, Labels

__all__ = ["sources_command", "sync_command"]

ALL = "all"


@app.command("sync")
def sync_command(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME", help="A source (stripe, hubspot, a [sources.NAME] of kind sql), or all."
        ),
    ],
    *,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Read and compute everything; write nothing.")
    ] = False,
    full: Annotated[
        bool, typer.Option("--full", help="Rebuild the whole history, not only what changed.")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Read a source and write its columns; on any failure nothing is written (exit 1)."""
    settings = settings_for(database_url)
    names = _names(settings, name)
    engine = open_store(settings)
    ledger = RunLedger(engine, utc_now)
    today = utc_now().astimezone(settings.zone).date()
    failures = []
    for source_name in names:
        try:
            source = build_source(settings, source_name)
            report = run_source(engine, source, ledger, today=today, full=full, dry_run=dry_run)
        except SyncError as error:
            failures.append(Errors.FAILED.format(source=source_name, reason=error))
            continue
        _print_report(report)
    if len(failures) == 1 and len(names) == 1:
        fail(failures[0])
    if failures:
        fail(Errors.SOME_FAILED.format(count=len(failures), sources=" | ".join(failures)))


def _names(settings: Settings, name: str) -> list[str]:
    if name == ALL:
        configured = configured_sources(settings)
        if not configured:
            fail(Errors.NOTHING_CONFIGURED)
        return configured
    known = known_sources(settings)
    if name not in known:
        fail(Errors.UNKNOWN_SOURCE.format(name=name, known=", ".join((*known, ALL))))
    return [name]


def _print_report(report: SyncReport) -> None:
    for line in (report.read, *report.wrote):
        typer.echo(f"{report.source}: {line}")
    if report.dry_run:
        typer.echo(f"{report.source}: {Labels.DRY_RUN}")


@app.command("sources")
def sources_command(database_url: DatabaseUrlOption = None) -> None:
    """Each source with its last run, its outcome and the rows it wrote."""
    settings = settings_for(database_url)
    engine = open_store(settings)
    ledger = RunLedger(engine, utc_now)
    names = configured_sources(settings)
    known = known_sources(settings)
    recorded = {name: ledger.latest(name) for name in known}
    shown = [name for name in known if name in names or recorded[name] is not None]
    if not shown:
        typer.echo(Labels.NO_SOURCES)
        return
    table = Table(*Labels.SOURCES_COLUMNS, title=Labels.SOURCES_TITLE, title_justify="left")
    for name in shown:
        table.add_row(*_row(name, recorded[name], settings))
    Console(highlight=False, soft_wrap=True).print(table)


def _row(name: str, run: RunRecord | None, settings: Settings) -> tuple[str | Text, ...]:
    if run is None:
        return (name, Labels.NEVER, "", "", "")
    started = run.started_at.astimezone(settings.zone).strftime("%Y-%m-%d %H:%M %Z")
    failed = run.outcome is Outcome.FAILED
    why = Text(run.detail if failed else "")
    return (name, started, run.outcome.value, str(run.rows_written), why)
