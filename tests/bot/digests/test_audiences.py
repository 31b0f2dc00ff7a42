"""Audience settings: defaults, the shared section, and every bad key named at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.core.config import ConfigError, DigestAudience, Settings, load_settings
from bot.digests.audiences import DEFAULT_METRICS, SHARED_METRICS, plan_audiences


def settings_with(**audiences: dict[str, object]) -> Settings:
    digests = {name: DigestAudience.model_validate(spec) for name, spec in audiences.items()}
    return Settings(digests=digests)


def test_marketing_and_sales_have_defaults_without_the_shared_metrics() -> None:
    plans = plan_audiences(
        settings_with(marketing={"channels": ["#m"]}, sales={"channels": ["#s"]})
    )
    assert plans["marketing"].metrics == DEFAULT_METRICS["marketing"]
    assert plans["sales"].metrics == DEFAULT_METRICS["sales"]
    for plan in plans.values():
        assert not set(plan.metrics) & set(SHARED_METRICS)


def test_listed_metrics_keep_their_order_and_shared_ones_move_to_the_shared_section() -> None:
    plans = plan_audiences(
        settings_with(leadership={"channels": ["#rev"], "metrics": ["nrr", "mrr", "nrr", "cac"]})
    )
    assert plans["leadership"].metrics == ("nrr",)
    assert plans["leadership"].schedule.text == "mon 09:00"


def test_every_bad_key_is_named_in_one_error() -> None:
    settings = settings_with(
        sales={"channels": ["#s"], "schedule": "mon 9", "metrics": ["cac", "revenu", "winrate"]},
        board={"channels": ["#b"]},
    )
    with pytest.raises(ConfigError) as raised:
        plan_audiences(settings)
    message = str(raised.value)
    assert 'digests.sales.schedule: cannot read "mon 9"' in message
    assert "digests.sales.metrics: unknown metric 'revenu'" in message
    assert "digests.sales.metrics: unknown metric 'winrate'" in message
    assert "digests.board.metrics: required" in message


def test_an_unsupported_language_is_refused_when_the_settings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "funnelbot.toml"
    path.write_text('[digests.board]\nchannels = ["#b"]\nlanguage = "de"\n')
    with pytest.raises(ConfigError) as raised:
        load_settings(path)
    assert "digests.board.language: unsupported language 'de' (supported: en, th, vi)" in str(
        raised.value
    )


def test_thai_and_vietnamese_audiences() -> None:
    plans = plan_audiences(
        settings_with(sales={"channels": ["#s"], "language": "th"}, marketing={"channels": ["#m"]})
    )
    assert (plans["sales"].language, plans["marketing"].language) == ("th", "en")


def test_no_audiences_is_not_an_error() -> None:
    assert plan_audiences(Settings()) == {}


def test_an_audience_without_channels_is_planned_but_posts_nowhere() -> None:
    plans = plan_audiences(settings_with(marketing={"channels": [" "]}))
    assert plans["marketing"].channels == ()
