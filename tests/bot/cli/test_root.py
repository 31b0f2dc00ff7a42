"""The root of `funnelbot`: which command modules a run really imports, help, typos."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMAND_MODULES

__all__: list[str] = []

FUNNELBOT = str(Path(sys.executable).with_name("funnelbot"))
# Runs `funnelbot ARGV…` as the console script does, then prints the command modules
# (bot.cli._ask, …) that are in sys.modules, whatever the command's outcome.
_RUN_AND_LIST = """
import sys
from bot.cli import COMMAND_MODULES, main
sys.argv = ["funnelbot", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
finally:
    names = sorted({n for n in COMMAND_MODULES.values() if "bot.cli." + n in sys.modules})
    print("LOADED", *names)
"""
_UNSET = ("DATABASE_URL", "FUNNELBOT_CONFIG", "SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET")


def loaded_command_modules(argv: list[str], where: Path) -> list[str]:
    env = {key: value for key, value in os.environ.items() if key not in _UNSET}
    done = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST, *argv],
        capture_output=True,
        text=True,
        check=False,
        cwd=where,
        env=env,
    )
    listed = [line for line in done.stdout.splitlines() if line.startswith("LOADED")]
    assert listed, done.stderr
    return listed[-1].split()[1:]


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["ask", "cac", "--database-url", "sqlite://"], ["_ask"]),
        (["query", "cac", "--database-url", "sqlite://"], ["_query"]),
        (["db", "upgrade", "--database-url", "sqlite://"], ["_data"]),
        (["serve", "--port", "1", "--database-url", "sqlite://"], ["_slack"]),
    ],
)
def test_only_the_invoked_commands_module_is_loaded(
    argv: list[str], modules: list[str], tmp_path: Path
) -> None:
    assert loaded_command_modules(argv, tmp_path) == modules


@pytest.mark.parametrize("argv", [[], ["--help"], ["asc", "cac"]])
def test_help_and_typos_load_every_command(argv: list[str], tmp_path: Path) -> None:
    assert set(loaded_command_modules(argv, tmp_path)) == set(COMMAND_MODULES.values())


def test_help_lists_every_command_of_the_interface() -> None:
    done = subprocess.run([FUNNELBOT, "--help"], capture_output=True, text=True, check=True)
    for command in COMMAND_MODULES:
        assert f" {command} " in done.stdout


def test_a_mistyped_command_is_a_usage_error() -> None:
    done = subprocess.run([FUNNELBOT, "asc", "cac"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
