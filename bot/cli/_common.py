"""What every command shares: options, settings, the store, and failing cleanly."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from bot.core.config import ConfigError, Settings, load_settings
from storage.engine import make_engine
from storage.migrate import ensure_current, upgrade

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

__all__ = [
    "AsOfOption",
    "DatabaseUrlOption",
    "err_console",
    "fail",
    "open_store",
    "out_console",
    "parse_as_of",
    "settings_for",
    "stdin_is_terminal",
    "upgraded_store",
]


@cache
def out_console() -> Console:
    """Standard output through rich, made on first use: `--json` output never imports rich."""
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


@cache
def err_console() -> Console:
    """Standard error through rich, made on first use."""
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


DatabaseUrlOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        help="SQLAlchemy URL of the store (default: $DATABASE_URL, else ./funnelbot.db).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Fix 'today' (YYYY-MM-DD) so answers are reproducible."),
]


def fail(message: str) -> NoReturn:
    """One line on stderr, exit status 1 (bad input or an unanswerable question)."""
    err_console().print(f"error: {message}", markup=False)
    raise typer.Exit(1)


def settings_for(database_url: str | None = None) -> Settings:
    try:
        return load_settings(database_url=database_url)
    except ConfigError as error:
        fail(str(error))


def open_store(settings: Settings) -> Engine:
    """The configured store, migrated to the newest schema (one query when it is there)."""
    return _migrated(settings, ensure_current)


def upgraded_store(settings: Settings) -> Engine:
    """The configured store after Alembic's upgrade to the newest schema (`db upgrade`)."""
    return _migrated(settings, upgrade)


def _migrated(settings: Settings, migrate: Callable[[Engine], None]) -> Engine:
    engine = make_engine(settings.database_url)
    try:
        migrate(engine)
    except Exception as error:  # noqa: BLE001 - any driver error becomes one clean line
        fail(f"cannot open the database: {_first_line(error)}")
    return engine


def parse_as_of(raw: str | None, settings: Settings) -> date:
    """`--as-of` or today in the configured timezone."""
    if raw is None:
        return datetime.now(settings.zone).date()
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        fail(f"--as-of must be a date like 2026-11-25, not {raw!r}")


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()
