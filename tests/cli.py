"""Running `funnelbot` as a user would: a subprocess against a test store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["FUNNELBOT", "MAIN", "operator_environment", "run_funnelbot", "start_funnelbot"]

MAIN = "from bot.cli import main; main()"
FUNNELBOT = [sys.executable, "-c", MAIN]


def operator_environment(
    url: str, config: Path, slack: tuple[str, str] | None = None
) -> dict[str, str]:
    """This environment as an operator's: the store's URL, `config` as funnelbot.toml, and
    the (bot token, Web API URL) of a Slack, none of the caller's FUNNELBOT_* or SLACK_*."""
    values = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("FUNNELBOT_", "SLACK_")) and key != "DATABASE_URL"
    }
    values.update({"FUNNELBOT_CONFIG": str(config), "DATABASE_URL": url})
    if slack is not None:
        values.update({"SLACK_BOT_TOKEN": slack[0], "SLACK_API_URL": slack[1]})
    return values


def start_funnelbot(env: Mapping[str, str], cwd: Path, *arguments: str) -> subprocess.Popen[str]:
    """`funnelbot ARGUMENTS` started in the background, its output captured."""
    return subprocess.Popen(
        [*FUNNELBOT, *arguments],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def run_funnelbot(
    url: str,
    cwd: Path,
    *arguments: str,
    stdin: str | None = None,
    extra_env: Mapping[str, str] | None = None,
    program: str = MAIN,
) -> subprocess.CompletedProcess[str]:
    """`funnelbot ARGUMENTS --database-url URL`, with no FUNNELBOT_* settings inherited;
    `program` is the Python code that runs the CLI (the entry point's by default)."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("FUNNELBOT_") and key != "DATABASE_URL"
    }
    environment.update(extra_env or {})
    command = [sys.executable, "-c", program, *arguments]
    return subprocess.run(
        [*command, "--database-url", url],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        input=stdin,
        timeout=60,
        check=False,
    )
