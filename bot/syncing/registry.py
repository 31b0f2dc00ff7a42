"""The sources the settings configure, built ready to run: Stripe, HubSpot, and each
`[sources.NAME]` of `kind = "sql"`."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import Engine, make_url
from sqlalchemy.exc import ArgumentError

from bot.core.config import (
    ConfigError,
    HubSpotSettings,
    Settings,
    SqlSourceSettings,
    StripeSettings,
)
from bot.digests.schedule import Schedule, parse_schedule
from bot.syncing.jobs import Notify, SourceJobs, SourcePlan
from sources.errors import NotConfiguredError
from sources.sql.reader import Warehouse
from sources.sql.statement import CheckedQuery, QueryError, check_query
from sources.sync import Source
from sources.texts import Errors

__all__ = [
    "KNOWN_SOURCES",
    "build_source",
    "configured_sources",
    "hubspot_settings",
    "known_sources",
    "source_jobs",
    "source_plans",
    "sql_url",
    "stripe_settings",
]

KNOWN_SOURCES = ("stripe", "hubspot")


def stripe_settings(settings: Settings) -> StripeSettings:
    """`[sources.stripe]`, or its defaults."""
    return settings.sources.stripe or StripeSettings()


def hubspot_settings(settings: Settings) -> HubSpotSettings:
    """`[sources.hubspot]`, or its defaults."""
    return settings.sources.hubspot or HubSpotSettings()


def _stripe_configured(settings: Settings) -> bool:
    return settings.stripe_api_key is not None or settings.sources.stripe is not None


def known_sources(settings: Settings) -> tuple[str, ...]:
    """Every name `funnelbot sync` accepts: the built-in sources and the SQL ones."""
    return (*KNOWN_SOURCES, *settings.sources.sql)


def configured_sources(settings: Settings) -> list[str]:
    """The sources `sync all` and the worker run: Stripe once STRIPE_API_KEY is set (or
    `[sources.stripe]` exists, so that a missing key fails loudly), then each SQL source."""
    names = []
    if _stripe_configured(settings):
        names.append("stripe")
    if settings.hubspot_access_token is not None or settings.sources.hubspot is not None:
        names.append("hubspot")
    names.extend(settings.sources.sql)
    return names


def build_source(settings: Settings, name: str) -> Source[Any]:
    """NotConfiguredError when the source lacks its key or its URL; ValueError for an
    unknown name."""
    if name == "stripe":
        return _stripe(settings)
    if name == "hubspot":
        return _hubspot(settings)
    table = settings.sources.sql.get(name)
    if table is None:
        raise ValueError(name)
    return _sql(name, table)


def _stripe(settings: Settings) -> Source[Any]:
    if settings.stripe_api_key is None:
        raise NotConfiguredError(
            Errors.NOT_CONFIGURED.format(name="stripe", why=Errors.NO_STRIPE_KEY)
        )
    from sources.stripe.client import StripeApi  # the stripe library: only where a sync runs
    from sources.stripe.source import StripeOptions, StripeSource

    table = stripe_settings(settings)
    return StripeSource(
        StripeApi(settings.stripe_api_key.get_secret_value(), settings.stripe_api_base),
        StripeOptions(table.channel_key, table.segment_key, table.count_past_due),
        zone=settings.zone,
        currency=settings.currency,
    )


def _hubspot(settings: Settings) -> Source[Any]:
    if settings.hubspot_access_token is None:
        raise NotConfiguredError(
            Errors.NOT_CONFIGURED.format(name="hubspot", why=Errors.NO_HUBSPOT_TOKEN)
        )
    from sources.hubspot.client import HubSpotApi  # httpx: only where a sync runs
    from sources.hubspot.figures import Naming, SegmentObject
    from sources.hubspot.source import HubSpotOptions, HubSpotSource

    table = hubspot_settings(settings)
    new_customers = table.new_customers
    if new_customers is None:  # Stripe counts new customers when it is there
        new_customers = not _stripe_configured(settings)
    naming = Naming(
        table.channel_property,
        dict(table.channels),
        table.segment_property,
        dict(table.segments),
        SegmentObject(table.segment_object),
    )
    options = HubSpotOptions(
        naming,
        new_customers=new_customers,
        overlap_days=table.overlap_days,
    )
    api = HubSpotApi(settings.hubspot_access_token.get_secret_value(), settings.hubspot_api_base)
    return HubSpotSource(api, options, zone=settings.zone)


def sql_url(table: SqlSourceSettings, environ: Mapping[str, str] | None = None) -> str | None:
    """The SQL source's URL: `url`, or the variable `url_env` names (None when unset)."""
    if table.url is not None:
        return table.url
    return (os.environ if environ is None else environ).get(table.url_env or "") or None


def _sql(name: str, table: SqlSourceSettings) -> Source[Any]:
    from sources.sql.source import SqlSource

    url = sql_url(table)
    if url is None:
        why = Errors.NO_URL_ENV.format(variable=table.url_env)
        raise NotConfiguredError(Errors.NOT_CONFIGURED.format(name=name, why=why))
    return SqlSource(name, Warehouse(url), _query(name, table), overlap_days=table.overlap_days)


def _query(name: str, table: SqlSourceSettings) -> CheckedQuery:
    try:
        return check_query(table.query)
    except QueryError as error:
        raise NotConfiguredError(
            Errors.BAD_SETTING.format(name=name, key="query", why=error)
        ) from None


def _schedule_text(settings: Settings, name: str) -> str:
    if name == "stripe":
        return stripe_settings(settings).schedule
    if name == "hubspot":
        return hubspot_settings(settings).schedule
    return settings.sources.sql[name].schedule


def _problems(settings: Settings, name: str) -> tuple[Schedule | None, list[str]]:
    """The source's schedule, and what is wrong with its table (each as `key: why`)."""
    problems = []
    schedule = None
    try:
        schedule = parse_schedule(_schedule_text(settings, name))
    except ValueError as error:
        problems.append(Errors.BAD_SETTING.format(name=name, key="schedule", why=error))
    table = settings.sources.sql.get(name)
    if table is not None:
        try:
            _query(name, table)
        except NotConfiguredError as error:
            problems.append(str(error))
        if table.url is not None and not _is_url(table.url):
            problems.append(Errors.BAD_SETTING.format(name=name, key="url", why=Errors.NOT_A_URL))
    return schedule, problems


def _is_url(url: str) -> bool:
    try:
        make_url(url)
    except ArgumentError:
        return False
    return True


def source_plans(settings: Settings) -> dict[str, SourcePlan]:
    """Each configured source with its schedule; ConfigError naming every bad key."""
    plans = {}
    problems: list[str] = []
    for name in configured_sources(settings):
        schedule, found = _problems(settings, name)
        problems.extend(found)
        if schedule is not None:
            plans[name] = SourcePlan(name, partial(build_source, settings, name), schedule)
    if problems:
        raise ConfigError("invalid configuration:\n" + "\n".join(f"  {p}" for p in problems))
    return plans


def source_jobs(
    settings: Settings,
    engine: Engine,
    notify: Notify,
    clock: Callable[[], datetime],
    after: Callable[[], object] | None = None,
) -> SourceJobs:
    """The worker's jobs for every configured source, DMing `FUNNELBOT_ADMIN_USER`;
    `after` runs after each successful sync (the alerts check)."""
    return SourceJobs(
        engine,
        source_plans(settings),
        zone=settings.zone,
        clock=clock,
        notify=notify,
        admin_user=settings.admin_user,
        after=after,
    )
