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


def _register_commands() -> None:
    # Each module adds its commands to `app`; imported here to keep start-up in one place.
    from bot.cli import _data  # noqa: F401


def main() -> None:
    _register_commands()
    app()
