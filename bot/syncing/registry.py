"""The sources the settings configure, built ready to run."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine

from bot.core.config import ConfigError, Settings, StripeSettings
from bot.digests.schedule import parse_schedule
from bot.syncing.jobs import Notify, SourceJobs, SourcePlan
from sources.errors import NotConfiguredError
from sources.sync import Source
from sources.texts import Errors

__all__ = [
    "KNOWN_SOURCES",
    "build_source",
    "configured_sources",
    "source_jobs",
    "source_plans",
    "stripe_settings",
]

KNOWN_SOURCES = ("stripe",)


def stripe_settings(settings: Settings) -> StripeSettings:
    """`[sources.stripe]`, or its defaults."""
    return settings.sources.stripe or StripeSettings()


def configured_sources(settings: Settings) -> list[str]:
    """The sources `sync all` and the worker run: Stripe once STRIPE_API_KEY is set (or
    `[sources.stripe]` exists, so that a missing key fails loudly)."""
    if settings.stripe_api_key is not None or settings.sources.stripe is not None:
        return ["stripe"]
    return []


def build_source(settings: Settings, name: str) -> Source[Any]:
    """NotConfiguredError when the source lacks its key; ValueError for an unknown name."""
    if name != "stripe":
        raise ValueError(name)
    if settings.stripe_api_key is None:
        raise NotConfiguredError(Errors.NOT_CONFIGURED.format(name=name, why=Errors.NO_STRIPE_KEY))
    from sources.stripe.client import StripeApi  # the stripe library: only where a sync runs
    from sources.stripe.source import StripeOptions, StripeSource

    table = stripe_settings(settings)
    return StripeSource(
        StripeApi(settings.stripe_api_key.get_secret_value(), settings.stripe_api_base),
        StripeOptions(table.channel_key, table.segment_key, table.count_past_due),
        zone=settings.zone,
        currency=settings.currency,
    )


def source_plans(settings: Settings) -> dict[str, SourcePlan]:
    """Each configured source with its schedule; ConfigError naming a bad schedule."""
    plans = {}
    for name in configured_sources(settings):
        text = stripe_settings(settings).schedule
        try:
            schedule = parse_schedule(text)
        except ValueError as error:
            raise ConfigError(
                f"invalid configuration:\n  sources.{name}.schedule: {error}"
            ) from None
        plans[name] = SourcePlan(name, partial(build_source, settings, name), schedule)
    return plans


def source_jobs(
    settings: Settings, engine: Engine, notify: Notify, clock: Callable[[], datetime]
) -> SourceJobs:
    """The worker's jobs for every configured source, DMing `FUNNELBOT_ADMIN_USER`."""
    return SourceJobs(
        engine,
        source_plans(settings),
        zone=settings.zone,
        clock=clock,
        notify=notify,
        admin_user=settings.admin_user,
    )
