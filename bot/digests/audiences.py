"""The configured audiences, checked once: every bad key is named in one ConfigError."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.config import ConfigError, DigestAudience, Settings
from bot.core.languages import Language
from bot.digests.schedule import Schedule, parse_schedule
from bot.digests.texts import Errors
from metrics.catalog import CATALOG

__all__ = [
    "DEFAULT_METRICS",
    "SHARED_METRICS",
    "AudiencePlan",
    "plan_audiences",
]

SHARED_METRICS: tuple[str, ...] = ("mql_to_sql", "cac", "ltv_cac", "customer_churn_rate", "mrr")
DEFAULT_METRICS: Mapping[str, tuple[str, ...]] = {
    "marketing": (
        "visitors",
        "leads",
        "visitor_to_lead",
        "lead_to_mql",
        "mqls",
        "email_open_rate",
        "email_ctr",
        "marketing_spend",
    ),
    "sales": (
        "sqls",
        "opportunities",
        "win_rate",
        "avg_deal_size",
        "avg_sales_cycle",
        "new_customers",
        "sales_velocity",
    ),
}


@dataclass(frozen=True, slots=True)
class AudiencePlan:
    """One audience, ready to build and schedule. `metrics` excludes the shared section."""

    name: str
    channels: tuple[str, ...]
    schedule: Schedule
    metrics: tuple[str, ...]
    language: Language = "en"

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize()


def plan_audiences(settings: Settings, *, defaults: bool = False) -> dict[str, AudiencePlan]:
    """Every `[digests.NAME]`, validated; ConfigError naming every bad key otherwise.

    With `defaults`, marketing and sales are there even when not configured (their default
    metrics and schedule, no channels): what `funnelbot digest` and the demo can preview.
    The worker plans only the configured audiences, so nothing is scheduled to post nowhere.
    """
    problems: list[str] = []
    plans: dict[str, AudiencePlan] = {}
    audiences = dict(settings.digests)
    if defaults:
        for name in DEFAULT_METRICS:
            audiences.setdefault(name, DigestAudience())
    for name, audience in audiences.items():
        plan = _plan(name, audience, problems)
        if plan is not None:
            plans[name] = plan
    if problems:
        raise ConfigError("invalid configuration:\n" + "\n".join(problems))
    return plans


def _plan(name: str, audience: DigestAudience, problems: list[str]) -> AudiencePlan | None:
    key = f"digests.{name}"
    found = len(problems)
    schedule = _schedule(key, audience.schedule, problems)
    metrics = _metrics(key, name, audience.metrics, problems)
    if len(problems) > found or schedule is None:
        return None
    # No channels is allowed (an audience being set up); `config check` warns about it.
    channels = tuple(dict.fromkeys(c.strip() for c in audience.channels if c.strip()))
    own = tuple(metric for metric in metrics if metric not in SHARED_METRICS)
    return AudiencePlan(name, channels, schedule, own, audience.language)


def _schedule(key: str, text: str, problems: list[str]) -> Schedule | None:
    try:
        return parse_schedule(text)
    except ValueError as error:
        problems.append(f"  {key}.schedule: {error}")
        return None


def _metrics(key: str, name: str, listed: list[str] | None, problems: list[str]) -> tuple[str, ...]:
    if listed is None:
        if name not in DEFAULT_METRICS:
            problems.append(f"  {key}.metrics: {Errors.NO_DEFAULT_METRICS}")
            return ()
        return DEFAULT_METRICS[name]
    unknown = [metric for metric in listed if metric not in CATALOG]
    problems.extend(
        f"  {key}.metrics: {Errors.UNKNOWN_METRIC.format(metric=metric)}" for metric in unknown
    )
    return tuple(dict.fromkeys(metric for metric in listed if metric in CATALOG))
