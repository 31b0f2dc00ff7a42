"""What `funnelbot config check` reports: the effective settings, masked, and warnings."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import SecretStr

from bot.alerts.plans import plan_alerts
from bot.core.config import Settings
from bot.digests.audiences import plan_audiences
from bot.syncing.registry import source_plans, sql_url
from sources.sql.reader import safe_url
from storage.engine import normalize_database_url

__all__ = ["ConfigReport", "check_settings"]

MASK = "set (masked)"
EPHEMERAL_DISK_MARKERS = ("DYNO", "RENDER", "FLY_APP_NAME", "RAILWAY_ENVIRONMENT", "K_SERVICE")

WARN_NO_ACCESS = (
    "no [access] section: every metric, revenue included, is open to anyone in any workspace "
    "that installs the app"
)
WARN_EPHEMERAL_SQLITE = (
    "DATABASE_URL is SQLite on a platform with an ephemeral disk ({marker} is set): data is lost "
    "at every restart; attach PostgreSQL and set DATABASE_URL"
)
WARN_NO_CHANNELS = "digests.{audience} has no channels: it will never be posted"
WARN_MISSING_SECRET = "{name} is not set: `funnelbot {commands}` will refuse to start"
WARN_NO_STRIPE_KEY = (
    "[sources.stripe] is configured but STRIPE_API_KEY is not set: every Stripe sync will fail"
)
WARN_NO_HUBSPOT_TOKEN = (
    "[sources.hubspot] is configured but HUBSPOT_ACCESS_TOKEN is not set: every HubSpot sync "
    "will fail"
)
WARN_NO_URL = (
    "sources.{name}.url_env names {variable}, which is not set: every {name} sync will fail"
)


@dataclass(frozen=True, slots=True)
class ConfigReport:
    values: Mapping[str, str]
    warnings: tuple[str, ...]


def _display(value: object) -> str:
    if isinstance(value, SecretStr):
        return MASK
    if value is None:
        return "-"
    return str(value)


def _effective_values(settings: Settings) -> dict[str, str]:
    values = {
        name: _display(getattr(settings, name))
        for name in Settings.model_fields
        if name not in {"targets", "digests", "access", "sources", "config_file", "database_url"}
    }
    values["database_url"] = normalize_database_url(settings.database_url).render_as_string(
        hide_password=True
    )
    values["config_file"] = settings.config_file or "(none)"
    for metric, rule in settings.targets.items():
        values[f"targets.{metric}"] = rule.model_dump_json(exclude_none=True)
    for audience, digest in settings.digests.items():
        values[f"digests.{audience}"] = digest.model_dump_json(exclude_none=True)
    if settings.access is not None:
        values["access"] = settings.access.model_dump_json()
    if settings.sources.stripe is not None:
        values["sources.stripe"] = settings.sources.stripe.model_dump_json()
    if settings.sources.hubspot is not None:
        values["sources.hubspot"] = settings.sources.hubspot.model_dump_json(exclude_none=True)
    for name, table in settings.sources.sql.items():
        shown = table.model_copy(update={"url": None if table.url is None else safe_url(table.url)})
        values[f"sources.{name}"] = shown.model_dump_json(exclude_none=True)
    return values


def _warnings(settings: Settings, environ: Mapping[str, str]) -> list[str]:
    warnings: list[str] = []
    if settings.access is None:
        warnings.append(WARN_NO_ACCESS)
    is_sqlite = normalize_database_url(settings.database_url).get_backend_name() == "sqlite"
    marker = next((name for name in EPHEMERAL_DISK_MARKERS if environ.get(name)), None)
    if is_sqlite and marker:
        warnings.append(WARN_EPHEMERAL_SQLITE.format(marker=marker))
    warnings.extend(
        WARN_NO_CHANNELS.format(audience=name)
        for name, digest in settings.digests.items()
        if not digest.channels
    )
    required = {
        "SLACK_BOT_TOKEN": (settings.slack_bot_token, "serve/worker"),
        "SLACK_SIGNING_SECRET": (settings.slack_signing_secret, "serve"),
    }
    warnings.extend(
        WARN_MISSING_SECRET.format(name=name, commands=commands)
        for name, (value, commands) in required.items()
        if value is None
    )
    if settings.sources.stripe is not None and settings.stripe_api_key is None:
        warnings.append(WARN_NO_STRIPE_KEY)
    if settings.sources.hubspot is not None and settings.hubspot_access_token is None:
        warnings.append(WARN_NO_HUBSPOT_TOKEN)
    warnings.extend(
        WARN_NO_URL.format(name=name, variable=table.url_env)
        for name, table in settings.sources.sql.items()
        if sql_url(table, environ) is None
    )
    return warnings


def check_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> ConfigReport:
    """ConfigError (naming every bad key) when the digests, sources or alerts cannot be
    planned."""
    plan_audiences(settings)
    source_plans(settings)
    plan_alerts(settings)
    env = os.environ if environ is None else environ
    return ConfigReport(_effective_values(settings), tuple(_warnings(settings, env)))
