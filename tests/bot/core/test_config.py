from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli._config_check import WARN_NO_ACCESS, check_settings
from bot.core.config import ConfigError, load_settings

FUNNELBOT = str(Path(sys.executable).with_name("funnelbot"))

TOML = """
timezone = "Europe/Berlin"
currency = "EUR"

[targets]
cac = { max = 500 }
customer_churn_annualized = { max = 0.08, segment = "smb" }

[digests.sales]
channels = ["#sales"]

[digests.empty]
channels = []
metrics = ["cac"]

[access]
restricted_metrics = ["mrr"]
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "funnelbot.toml"
    path.write_text(TOML)
    return path


def test_toml_values_are_read(config_file: Path) -> None:
    settings = load_settings(config_file)
    assert (settings.timezone, settings.currency) == ("Europe/Berlin", "EUR")
    assert settings.targets["cac"].max == 500
    assert settings.targets["customer_churn_annualized"].segment == "smb"
    assert settings.digests["sales"].channels == ["#sales"]


def test_environment_wins_over_the_file(config_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FUNNELBOT_TIMEZONE", "Asia/Bangkok")
    monkeypatch.setenv("FUNNELBOT_GROSS_MARGIN", "0.8")
    settings = load_settings(config_file)
    assert (settings.timezone, settings.gross_margin) == ("Asia/Bangkok", 0.8)


def test_answer_processes_default_to_two_and_refuse_negatives(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert load_settings().answer_processes == 2
    monkeypatch.setenv("FUNNELBOT_ANSWER_PROCESSES", "0")
    assert load_settings().answer_processes == 0
    monkeypatch.setenv("FUNNELBOT_ANSWER_PROCESSES", "-1")
    with pytest.raises(ConfigError, match="FUNNELBOT_ANSWER_PROCESSES"):
        load_settings()


def test_every_bad_key_is_named_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "bad.toml"
    path.write_text('currency = "dollars"\nbogus = 1\n[targets]\ncac = { maximum = 5 }\n')
    monkeypatch.setenv("FUNNELBOT_TIMEZONE", "Mars/Base")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    message = str(raised.value)
    for key in ("currency", "bogus", "targets.cac.maximum", "FUNNELBOT_TIMEZONE"):
        assert key in message


def test_unreadable_toml_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "broken.toml"
    path.write_text("timezone = ")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)


def test_check_warns_about_risky_setups(config_file: Path) -> None:
    settings = load_settings(config_file, database_url="sqlite:///x.db")
    report = check_settings(settings, {"DYNO": "web.1"})
    text = "\n".join(report.warnings)
    assert "ephemeral disk" in text
    assert "digests.empty has no channels" in text
    assert WARN_NO_ACCESS not in report.warnings


def test_check_says_when_there_is_no_access_section() -> None:
    assert WARN_NO_ACCESS in check_settings(load_settings("/dev/null")).warnings


def test_cli_masks_secrets(config_file: Path, tmp_path: Path) -> None:
    env = {
        "FUNNELBOT_CONFIG": str(config_file),
        "SLACK_BOT_TOKEN": "xoxb-top-secret-1",
        "SLACK_SIGNING_SECRET": "sign-top-secret-2",
        "DATABASE_URL": "postgres://app:hunter2pw@db.internal/funnel",
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(
        [FUNNELBOT, "config", "check"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    for secret in ("xoxb-top-secret-1", "sign-top-secret-2", "hunter2pw"):
        assert secret not in output
    assert "Europe/Berlin" in output
    assert "configuration is valid" in output


def test_cli_rejects_bad_configuration_with_exit_1(tmp_path: Path) -> None:
    env = {"FUNNELBOT_TIMEZONE": "Nowhere/City", "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [FUNNELBOT, "config", "check"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    assert "FUNNELBOT_TIMEZONE" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_names_bad_digest_keys(tmp_path: Path) -> None:
    path = tmp_path / "digests.toml"
    path.write_text(
        '[digests.sales]\nchannels = ["#s"]\nschedule = "someday"\nmetrics = ["cacc"]\n'
    )
    with pytest.raises(ConfigError) as raised:
        check_settings(load_settings(path))
    assert "digests.sales.schedule" in str(raised.value)
    assert "digests.sales.metrics" in str(raised.value)


def test_the_documented_production_configuration_passes_without_warnings(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example = Path(__file__).parents[3] / "docs" / "funnelbot.example.toml"
    monkeypatch.setenv("DATABASE_URL", "postgres://funnelbot:pw@db.internal:5432/funnelbot")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-example")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "example-secret")
    monkeypatch.setenv("STRIPE_API_KEY", "rk_live_example")
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-example")
    environ = {"DYNO": "web.1", "WAREHOUSE_URL": "postgresql+psycopg://reader@wh/analytics"}
    report = check_settings(load_settings(example), environ)
    assert report.warnings == ()
    assert '"kind":"sql"' in report.values["sources.warehouse"]
    assert '"segment_property":"company_size"' in report.values["sources.hubspot"]
    assert report.values["timezone"] == "Europe/Berlin"


def test_check_names_bad_alert_keys(tmp_path: Path) -> None:
    path = tmp_path / "funnelbot.toml"
    path.write_text('[alerts.leak]\nmetric = "mql_to_sql"\nwhen = "sometimes"\nchannels = []\n')
    with pytest.raises(ConfigError) as raised:
        check_settings(load_settings(path))
    assert "alerts.leak.when: cannot read the rule 'sometimes'" in str(raised.value)
    assert "alerts.leak.channels: no channels" in str(raised.value)
