"""Running `funnelbot` as a user would: a subprocess against a test store."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

__all__ = ["MAIN", "run_funnelbot"]

MAIN = "from bot.cli import main; main()"


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
