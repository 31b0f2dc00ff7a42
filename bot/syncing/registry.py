"""The sources the settings configure, built ready to run."""

from __future__ import annotations

from typing import Any

from bot.config import Settings, StripeSettings
from sources.errors import NotConfiguredError
from sources.stripe.client import StripeApi
from sources.stripe.source import StripeOptions, StripeSource
from sources.sync import Source
from sources.texts import Errors

__all__ = ["KNOWN_SOURCES", "build_source", "configured_sources", "stripe_settings"]

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
    table = stripe_settings(settings)
    return StripeSource(
        StripeApi(settings.stripe_api_key.get_secret_value(), settings.stripe_api_base),
        StripeOptions(table.channel_key, table.segment_key, table.count_past_due),
        zone=settings.zone,
        currency=settings.currency,
    )
