"""`[sources.stripe]`, STRIPE_API_KEY and STRIPE_API_BASE in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli._config_check import WARN_NO_STRIPE_KEY, WARN_NO_URL, check_settings
from bot.core.config import ConfigError, load_settings
from bot.syncing.registry import configured_sources, source_plans


def _toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "funnelbot.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_key_alone_configures_stripe_with_the_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STRIPE_API_KEY", "rk_test_1")
    settings = load_settings("/dev/null")
    assert configured_sources(settings) == ["stripe"]
    assert settings.stripe_api_base == "https://api.stripe.com"
    [plan] = source_plans(settings).values()
    assert (plan.schedule.hour, plan.schedule.minute, plan.schedule.day_of_week) == ("2", "0", "*")
    assert "rk_test_1" not in str(check_settings(settings).values)


def test_without_a_key_or_a_table_no_source_is_configured(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    assert configured_sources(load_settings("/dev/null")) == []


def test_a_table_without_the_key_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    path = _toml(tmp_path, '[sources.stripe]\nchannel_key = "utm_source"\n')
    settings = load_settings(path)
    assert settings.sources.stripe is not None
    assert settings.sources.stripe.channel_key == "utm_source"
    assert WARN_NO_STRIPE_KEY in check_settings(settings).warnings


def test_a_bad_schedule_and_an_unknown_source_are_configuration_errors(tmp_path: Path) -> None:
    bad = load_settings(_toml(tmp_path, '[sources.stripe]\nschedule = "whenever"\n'))
    with pytest.raises(ConfigError, match=r"sources.stripe.schedule: cannot read \"whenever\""):
        check_settings(bad)
    with pytest.raises(ConfigError, match=r"sources\.salesforce"):
        load_settings(_toml(tmp_path, "[sources.salesforce]\n"))


def test_a_sql_table_is_shown_with_its_password_masked_and_an_unset_url_env_warned(
    tmp_path: Path,
) -> None:
    path = _toml(
        tmp_path,
        '[sources.warehouse]\nkind = "sql"\nurl = "postgresql://reader:s3cret@wh/analytics"\n'
        'query = "SELECT day AS period_start, spend AS marketing_spend FROM t"\n\n'
        '[sources.crm_db]\nkind = "sql"\nurl_env = "CRM_DB_URL"\nquery = "SELECT 1"\n',
    )
    settings = load_settings(path)
    assert configured_sources(settings) == ["warehouse", "crm_db"]
    report = check_settings(settings, environ={})
    assert "s3cret" not in str(report.values)
    assert "postgresql://reader:***@wh/analytics" in report.values["sources.warehouse"]
    assert WARN_NO_URL.format(name="crm_db", variable="CRM_DB_URL") in report.warnings
    plans = source_plans(settings)
    assert (plans["warehouse"].schedule.hour, plans["crm_db"].schedule.hour) == ("3", "3")


def test_sql_tables_are_checked_whole_and_name_every_bad_key(tmp_path: Path) -> None:
    path = _toml(
        tmp_path,
        '[sources.a]\nkind = "sql"\nurl = "nonsense"\nquery = "UPDATE t SET x = 1"\n'
        'schedule = "whenever"\n',
    )
    with pytest.raises(ConfigError) as bad:
        check_settings(load_settings(path))
    lines = str(bad.value).splitlines()
    assert lines[1].startswith('  sources.a.schedule: cannot read "whenever"')
    assert lines[2:] == [
        "  sources.a.query: the query starts with UPDATE: only a SELECT (or WITH … SELECT) "
        "statement runs",
        "  sources.a.url: not a SQLAlchemy database URL "
        "(dialect+driver://user:password@host/database)",
    ]
    for table in ('kind = "sql"\nquery = "SELECT 1"\n', 'kind = "sql"\nurl = "sqlite://"\n'):
        with pytest.raises(ConfigError, match=r"sources\.b"):
            load_settings(_toml(tmp_path, f"[sources.b]\n{table}"))
    with pytest.raises(ConfigError, match="'all' cannot name a source"):
        load_settings(
            _toml(tmp_path, '[sources.all]\nkind = "sql"\nurl = "sqlite://"\nquery = "SELECT 1"\n')
        )
