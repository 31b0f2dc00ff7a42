"""The alerts the settings define, validated: metric, scope, rule, period and channels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.alerts.store import StoredAlert
from bot.alerts.texts import Errors
from bot.core.access import AccessPolicy
from bot.core.config import AlertSettings, ConfigError, Settings
from bot.i18n import LANGUAGES, Language, as_language, is_language
from metrics.catalog import CATALOG, Unit
from metrics.periods import Grain, Period, last_unit
from metrics.query import Filters, normalize_name
from metrics.rules import Rule, parse_rule

__all__ = ["MAX_NAME", "AlertPlan", "plan_alerts", "plan_of", "stored_plan"]

MAX_NAME = 90  # the ledger keys a delivery as "alert:NAME" in 100 characters
GRAINS = {"day": Grain.DAY, "week": Grain.WEEK, "month": Grain.MONTH}


@dataclass(frozen=True, slots=True)
class AlertPlan:
    """One alert, ready to check."""

    name: str
    metric: str
    filters: Filters
    rule: Rule
    every: Grain
    channels: tuple[str, ...]
    language: Language = "en"

    @property
    def ledger_name(self) -> str:
        return f"alert:{self.name}"

    def period(self, today: date) -> Period:
        """The last complete day, week or month before `today` (local)."""
        return last_unit(self.every, today)


def plan_alerts(settings: Settings) -> dict[str, AlertPlan]:
    """Every `[alerts.NAME]`; ConfigError naming every bad key otherwise."""
    plans: dict[str, AlertPlan] = {}
    problems: list[str] = []
    policy = AccessPolicy(settings.access)
    for name, spec in settings.alerts.items():
        found = plan_of(name, spec, problems)
        if found is not None and _allowed(found, policy, problems):
            plans[name] = found
    if problems:
        raise ConfigError(Errors.INVALID.format(problems="\n".join(f"  {p}" for p in problems)))
    return plans


def plan_of(name: str, spec: AlertSettings, problems: list[str]) -> AlertPlan | None:
    """The plan of one alert, or None with its problems appended to `problems`."""
    before = len(problems)
    if len(name) > MAX_NAME:
        problems.append(Errors.BAD_NAME.format(name=name, limit=MAX_NAME))
    definition = CATALOG.get(spec.metric)
    if definition is None:
        problems.append(Errors.BAD_METRIC.format(name=name, metric=spec.metric))
    ratio = definition is not None and definition.unit is Unit.RATIO
    rule = _rule(name, spec.when, ratio, problems)
    grain = GRAINS.get(spec.every.strip().lower())
    if grain is None:
        problems.append(Errors.BAD_EVERY.format(name=name, every=spec.every))
    for key in spec.where:
        if key not in ("channel", "segment"):
            problems.append(Errors.BAD_WHERE.format(name=name, key=key))
    if not spec.channels:
        problems.append(Errors.NO_CHANNELS.format(name=name))
    if not is_language(spec.language):
        supported = ", ".join(LANGUAGES)
        problems.append(
            Errors.BAD_LANGUAGE.format(name=name, language=spec.language, supported=supported)
        )
    if len(problems) > before or rule is None or grain is None:
        return None
    filters = Filters(
        channel=tuple(normalize_name(item) for item in spec.where.get("channel", [])),
        segment=tuple(normalize_name(item) for item in spec.where.get("segment", [])),
    )
    channels = tuple(spec.channels)
    return AlertPlan(name, spec.metric, filters, rule, grain, channels, as_language(spec.language))


def _allowed(plan: AlertPlan, policy: AccessPolicy, problems: list[str]) -> bool:
    """A restricted metric ([access]) may only be posted where it may be seen."""
    closed = [item for item in plan.channels if not policy.channel_may_receive(item, [plan.metric])]
    if closed:
        problems.append(
            Errors.RESTRICTED.format(name=plan.name, metric=plan.metric, channels=", ".join(closed))
        )
    return not closed


def _rule(name: str, text: str, ratio: bool, problems: list[str]) -> Rule | None:
    try:
        return parse_rule(text, ratio=ratio)
    except ValueError as error:
        problems.append(Errors.BAD_RULE.format(name=name, error=error))
        return None


def stored_plan(stored: StoredAlert) -> AlertPlan | None:
    """The plan of an alert made from Slack (validated when it was made); None when the
    catalog no longer knows its metric or rule."""
    alert = stored.alert
    definition = CATALOG.get(alert.metric)
    grain = GRAINS.get(alert.every)
    if definition is None or grain is None:
        return None
    try:
        rule = parse_rule(alert.rule, ratio=definition.unit is Unit.RATIO)
    except ValueError:
        return None
    return AlertPlan(
        stored.name, alert.metric, alert.filters, rule, grain, (alert.post_to,), alert.language
    )
