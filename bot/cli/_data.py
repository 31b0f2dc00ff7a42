"""Store commands: `db upgrade` (import, export and demo are added here too)."""

from __future__ import annotations

import typer

from bot.cli import app
from bot.cli._common import DatabaseUrlOption, open_store, out_console, settings_for

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseUrlOption = None) -> None:
    """Apply migrations (idempotent)."""
    open_store(settings_for(database_url))
    out_console.print("database is up to date")
