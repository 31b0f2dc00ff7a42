"""Where a command's settings come from: its flags, over the environment, over the TOML file
(docs/reference.md, *Configuration*), run as an operator runs `funnelbot`."""

from __future__ import annotations

from pathlib import Path

from tests.cli import run_funnelbot

__all__: list[str] = []


# SQLite files in the working directory of each run (a test's own tmp_path)
FLAG_URL = "sqlite:///flag.db"
ENVIRONMENT_URL = "sqlite:///environment.db"


def test_the_database_url_flag_wins_over_the_environment(tmp_path: Path) -> None:
    extra_env = {"DATABASE_URL": ENVIRONMENT_URL}
    done = run_funnelbot(FLAG_URL, tmp_path, "db", "upgrade", extra_env=extra_env)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "flag.db").exists()
    assert not (tmp_path / "environment.db").exists()
    shown = run_funnelbot(FLAG_URL, tmp_path, "config", "check", extra_env=extra_env)
    assert shown.returncode == 0, shown.stderr
    assert FLAG_URL in shown.stdout
    assert ENVIRONMENT_URL not in shown.stdout


def test_the_environment_wins_over_the_file_and_the_file_over_the_defaults(
    tmp_path: Path,
) -> None:
    config = tmp_path / "funnelbot.toml"
    config.write_text('timezone = "Asia/Bangkok"\ncurrency = "THB"\n')
    extra_env = {"FUNNELBOT_CONFIG": str(config), "FUNNELBOT_TIMEZONE": "Asia/Ho_Chi_Minh"}
    done = run_funnelbot(FLAG_URL, tmp_path, "config", "check", extra_env=extra_env)
    assert done.returncode == 0, done.stderr
    assert "Asia/Ho_Chi_Minh" in done.stdout
    assert "Asia/Bangkok" not in done.stdout
    assert "THB" in done.stdout
    assert "/funnel" in done.stdout
