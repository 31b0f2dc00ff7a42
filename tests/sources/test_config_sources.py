"""`[sources.stripe]`, STRIPE_API_KEY and STRIPE_API_BASE in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli._config_check import WARN_NO_STRIPE_KEY, check_settings
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
