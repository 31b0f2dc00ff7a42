"""`funnelbot config check`."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli import app
from bot.cli._common import DatabaseUrlOption, fail, out_console, settings_for
from bot.cli._config_check import check_settings
from bot.core.config import ConfigError

config_app = typer.Typer(help="Configuration.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("check")
def config_check(database_url: DatabaseUrlOption = None) -> None:
    """Validate the configuration and print it with secrets masked."""
    try:
        report = check_settings(settings_for(database_url))
    except ConfigError as error:
        fail(str(error))
    table = Table("setting", "value", title="Effective configuration", title_justify="left")
    for name, value in report.values.items():
        table.add_row(name, value)
    out_console().print(table)
    for warning in report.warnings:
        out_console().print(f"[yellow]warning:[/yellow] {escape(warning)}", markup=True)
    out_console().print("configuration is valid")
