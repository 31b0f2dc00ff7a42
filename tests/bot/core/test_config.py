from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.cli._config_check import WARN_NO_ACCESS, check_settings
from bot.core.config import ConfigError, Settings, load_settings

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


# A valid value of every setting the reference's table documents, by TOML key.
SAMPLES: dict[str, object] = {
    "database_url": "postgres://app:pw@db.internal:5432/funnel",
    "slack_bot_token": "xoxb-sample",
    "slack_signing_secret": "sample-secret",
    "slack_app_token": "xapp-sample",
    "slack_api_url": "http://127.0.0.1:9/api/",
    "port": 8080,
    "timezone": "Asia/Bangkok",
    "currency": "THB",
    "gross_margin": 0.75,
    "command": "/kpi",
    "answer_processes": 4,
    "admin_user": "U0ADMIN",
    "stripe_api_key": "rk_test_sample",
    "stripe_api_base": "http://127.0.0.1:9/stripe",
    "hubspot_access_token": "pat-sample",
    "hubspot_api_base": "http://127.0.0.1:9/hubspot",
    "log_level": "DEBUG",
}
REFERENCE = Path(__file__).parents[3] / "docs" / "reference.md"
DOCUMENTED_ROW = re.compile(r"^\| `([A-Z_]+)` \| `([a-z_]+)` \|", re.MULTILINE)


def documented_names() -> dict[str, str]:
    """TOML key to environment variable, as docs/reference.md's table lists them."""
    return {key: variable for variable, key in DOCUMENTED_ROW.findall(REFERENCE.read_text())}


def value_of(settings: Settings, key: str) -> object:
    value = getattr(settings, key)
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def clear_documented_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    for variable in documented_names().values():
        monkeypatch.delenv(variable, raising=False)


def test_every_documented_variable_and_key_sets_its_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = documented_names()
    assert set(names) == set(SAMPLES)
    clear_documented_variables(monkeypatch)
    path = tmp_path / "funnelbot.toml"
    path.write_text("".join(f"{key} = {json.dumps(value)}\n" for key, value in SAMPLES.items()))
    from_file = load_settings(path)
    for variable, value in ((names[key], value) for key, value in SAMPLES.items()):
        monkeypatch.setenv(variable, str(value))
    from_environment = load_settings("/dev/null")
    for key, value in SAMPLES.items():
        assert value_of(from_file, key) == value, key
        assert value_of(from_environment, key) == value, names[key]


def test_only_the_documented_variables_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_documented_variables(monkeypatch)
    monkeypatch.setenv("TIMEZONE", "Asia/Bangkok")  # the TOML key as a variable
    monkeypatch.setenv("FUNNELBOT_DATABASE_URL", "sqlite:///elsewhere.db")
    monkeypatch.setenv("SOURCES", "not JSON")  # a table exists only in the file
    monkeypatch.setenv("DIGESTS", '{"sales": {"channels": ["#sales"]}}')
    settings = load_settings("/dev/null")
    assert (settings.timezone, settings.database_url) == ("UTC", "sqlite:///funnelbot.db")
    assert (settings.sources.sql, settings.digests) == ({}, {})


def test_arguments_win_over_the_environment_and_the_file(
    config_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", "sqlite:///environment.db")
    monkeypatch.setenv("FUNNELBOT_TIMEZONE", "Asia/Bangkok")
    settings = load_settings(config_file, database_url="sqlite:///flag.db", timezone=None)
    assert (settings.database_url, settings.timezone) == ("sqlite:///flag.db", "Asia/Bangkok")


def test_a_bad_value_is_named_as_it_was_given(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "funnelbot.toml"
    path.write_text('port = "eighty"\ncurrency = "EUR"\n')
    monkeypatch.setenv("FUNNELBOT_CURRENCY", "euros")
    monkeypatch.setenv("LOG_LEVEL", "loud")
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    lines = str(raised.value).splitlines()
    assert lines[0] == "invalid configuration:"
    assert {line.split(":")[0].strip() for line in lines[1:]} == {
        "port",
        "FUNNELBOT_CURRENCY",
        "LOG_LEVEL",
    }


def test_a_missing_configuration_file_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FUNNELBOT_CONFIG", str(tmp_path / "funelbot.toml"))
    with pytest.raises(ConfigError, match=r"cannot read configuration file .*funelbot\.toml"):
        load_settings()
