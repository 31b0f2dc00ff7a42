"""`[sources.stripe]`, STRIPE_API_KEY and STRIPE_API_BASE in the settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli._config_check import (
    WARN_NO_HUBSPOT_TOKEN,
    WARN_NO_STRIPE_KEY,
    WARN_NO_URL,
    check_settings,
)
from bot.core.config import ConfigError, load_settings
from bot.syncing.registry import build_source, configured_sources, source_plans


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


def test_hubspot_is_configured_by_its_token_or_its_table_and_a_table_alone_is_warned_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN", raising=False)
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-secret")
    settings = load_settings("/dev/null")
    assert configured_sources(settings) == ["hubspot"]
    assert settings.hubspot_api_base == "https://api.hubapi.com"
    assert "pat-na1-secret" not in str(check_settings(settings).values)
    monkeypatch.delenv("HUBSPOT_ACCESS_TOKEN")
    path = _toml(
        tmp_path,
        '[sources.hubspot]\nsegment_property = "company_size"\nschedule = "daily 04:15"\n'
        '[sources.hubspot.channels]\nOFFLINE = "events"\n',
    )
    settings = load_settings(path)
    report = check_settings(settings)
    assert WARN_NO_HUBSPOT_TOKEN in report.warnings
    assert '"segment_property":"company_size"' in report.values["sources.hubspot"]
    plan = source_plans(settings)["hubspot"]
    assert (plan.schedule.hour, plan.schedule.minute) == ("4", "15")


def test_hubspot_counts_new_customers_only_where_stripe_does_not(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sources.hubspot.source import HubSpotSource

    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-secret")
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    alone = build_source(load_settings("/dev/null"), "hubspot")
    assert isinstance(alone, HubSpotSource) and "new_customers" in alone.options.columns
    monkeypatch.setenv("STRIPE_API_KEY", "rk_test_1")
    beside = build_source(load_settings("/dev/null"), "hubspot")
    assert isinstance(beside, HubSpotSource) and "new_customers" not in beside.options.columns
    told = load_settings(_toml(tmp_path, "[sources.hubspot]\nnew_customers = true\n"))
    chosen = build_source(told, "hubspot")
    assert isinstance(chosen, HubSpotSource) and "new_customers" in chosen.options.columns


def test_a_segment_from_a_company_property_is_configured_and_needs_the_property(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from sources.hubspot.figures import Naming, SegmentObject
    from sources.hubspot.source import HubSpotSource

    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", "pat-na1-secret")
    table = (
        '[sources.hubspot]\nsegment_object = "company"\nsegment_property = "industry"\n'
        '[sources.hubspot.segments]\nCOMPUTER_SOFTWARE = "software"\n'
    )
    source = build_source(load_settings(_toml(tmp_path, table)), "hubspot")
    assert isinstance(source, HubSpotSource)
    software = {"COMPUTER_SOFTWARE": "software"}
    wanted = Naming("hs_analytics_source", {}, "industry", software, SegmentObject.COMPANY)
    assert source.options.naming == wanted
    with pytest.raises(ConfigError, match='segment_object = "company" needs segment_property'):
        load_settings(_toml(tmp_path, '[sources.hubspot]\nsegment_object = "company"\n'))
    with pytest.raises(ConfigError, match="segment_object"):
        load_settings(_toml(tmp_path, '[sources.hubspot]\nsegment_object = "deal"\n'))
