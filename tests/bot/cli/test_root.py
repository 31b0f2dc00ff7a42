from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import COMMAND_MODULES, modules_for

FUNNELBOT = str(Path(sys.executable).with_name("funnelbot"))


@pytest.mark.parametrize(
    ("argv", "modules"),
    [
        (["ask", "cac"], ["_ask"]),
        (["query", "cac", "--database-url", "sqlite://"], ["_query"]),
        (["db", "upgrade"], ["_data"]),
        (["serve", "--port", "1"], ["_slack"]),
    ],
)
def test_only_the_invoked_commands_module_is_loaded(argv: list[str], modules: list[str]) -> None:
    assert modules_for(argv) == modules


@pytest.mark.parametrize("argv", [[], ["--help"], ["asc", "cac"]])
def test_help_and_typos_load_every_command(argv: list[str]) -> None:
    assert set(modules_for(argv)) == set(COMMAND_MODULES.values())


def test_help_lists_every_command_of_the_interface() -> None:
    done = subprocess.run([FUNNELBOT, "--help"], capture_output=True, text=True, check=True)
    for command in COMMAND_MODULES:
        assert f" {command} " in done.stdout


def test_a_mistyped_command_is_a_usage_error() -> None:
    done = subprocess.run([FUNNELBOT, "asc", "cac"], capture_output=True, text=True, check=False)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
