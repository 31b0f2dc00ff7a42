"""`funnelbot`: a thin typer shell over the storage, metrics and bot packages."""

from __future__ import annotations

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="funnelbot",
    help="Answer SaaS funnel questions and post weekly alignment digests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


COMMAND_MODULES = ("_data", "_query", "_ask", "_slack", "_digest", "_config")


def _register_commands() -> None:
    # Each module adds its commands to `app` when imported.
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(f"bot.cli.{name}")


def main() -> None:
    _register_commands()
    app()
