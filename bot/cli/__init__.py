"""`funnelbot`: a thin typer shell over the storage, metrics and bot packages."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

import typer

__all__ = ["app", "main"]

app = typer.Typer(
    name="funnelbot",
    help="Answer SaaS funnel questions and post weekly alignment digests.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Which module registers which command. Only the invoked command's module is imported, so
# `funnelbot ask` does not pay for Bolt, and `funnelbot serve` not for pandas.
COMMAND_MODULES: dict[str, str] = {
    "db": "_data",
    "import": "_data",
    "export": "_data",
    "demo": "_data",
    "query": "_query",
    "ask": "_ask",
    "chat": "_ask",
    "serve": "_slack",
    "socket": "_slack",
    "manifest": "_slack",
    "digest": "_digest",
    "worker": "_digest",
    "config": "_config",
    "sync": "_sources",
    "sources": "_sources",
    "alerts": "_alerts",
}


@app.callback()
def _root() -> None:
    """Answer SaaS funnel questions and post weekly alignment digests."""


def modules_for(argv: Sequence[str]) -> list[str]:
    """The command modules needed to run `argv` (all of them for help or a typo)."""
    command = next((word for word in argv if not word.startswith("-")), None)
    if command in COMMAND_MODULES:
        return [COMMAND_MODULES[command]]
    return list(dict.fromkeys(COMMAND_MODULES.values()))


def main() -> None:
    for name in modules_for(sys.argv[1:]):
        importlib.import_module(f"bot.cli.{name}")
    app()
