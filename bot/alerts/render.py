"""An alert as Block Kit (posted) and as plain text (`alerts check --dry-run`).

Both read the same `AlertView`, so the dry run says what Slack will show, in the alert's
language (the one it was made in from Slack, or its `language` in funnelbot.toml).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from bot.alerts.evaluate import Evaluation, Transition
from bot.alerts.texts import Labels, Questions
from bot.i18n import use_language
from bot.i18n.formatting import (
    filter_parts,
    format_change,
    format_range,
    format_value,
    name_text,
    period_text,
)
from bot.i18n.localize import localize_metric, localized_period
from bot.render.blocks import (
    Block,
    FollowUp,
    SlackMessage,
    actions,
    context,
    escaped,
    header,
    question_buttons,
    section,
)
from metrics.answers import MetricAnswer
from metrics.catalog import Unit
from metrics.movement import Driver
from metrics.query import Dimension
from metrics.rules import Rule, RuleKind

__all__ = [
    "METADATA_EVENT",
    "AlertTag",
    "AlertView",
    "alert_message",
    "alert_text",
    "alert_view",
    "rule_text",
    "rule_words",
]

METADATA_EVENT = "funnelbot_alert"


@dataclass(frozen=True, slots=True)
class AlertView:
    """An alert in words."""

    title: str
    figure: str
    rule: str
    previous: str
    drivers: tuple[str, ...]
    footer: str


def alert_view(evaluation: Evaluation, zone: str) -> AlertView:
    plan, answer = evaluation.plan, evaluation.answer
    firing = evaluation.transition is Transition.FIRED
    template = Labels.FIRING_HEADER if firing else Labels.RECOVERED_HEADER
    rule = rule_text(plan.rule, evaluation, answer)
    every = Labels.EVERY[plan.every.value]
    return AlertView(
        title=template.format(label=answer.label, name=plan.name),
        figure=Labels.FIGURE.format(
            label=answer.label,
            scope=_scope(answer),
            value=_value(answer, answer.value),
            period=period_text(evaluation.period),
            zone=zone,
        ),
        rule=(Labels.RULE_BROKEN if firing else Labels.RULE_HOLDS).format(rule=rule),
        previous=_previous(answer, every),
        drivers=tuple(_driver(item, answer) for item in evaluation.drivers),
        footer=Labels.FOOTER.format(every=every),
    )


def rule_text(rule: Rule, evaluation: Evaluation, answer: MetricAnswer) -> str:
    """The rule in words, with its numbers in the metric's unit and what it compared."""
    every = Labels.EVERY[evaluation.plan.every.value]
    if rule.kind is RuleKind.MISSES_TARGET:
        return _target_rule(answer)
    band = evaluation.verdict.band
    if rule.kind is RuleKind.UNUSUAL and band is not None:
        shown = format_range(band.low, band.high, answer.unit, answer.currency)
        return Labels.RULE_UNUSUAL.format(band=shown)
    return rule_words(rule, answer.unit, answer.currency, every)


def rule_words(rule: Rule, unit: Unit, currency: str, every: str) -> str:
    """The rule alone in words: "below 30.0%", "drops 20% or more vs the week before"."""
    if rule.kind is RuleKind.ABOVE:
        return Labels.RULE_ABOVE.format(value=format_value(rule.threshold, unit, currency))
    if rule.kind is RuleKind.BELOW:
        return Labels.RULE_BELOW.format(value=format_value(rule.threshold, unit, currency))
    if rule.kind in (RuleKind.DROPS, RuleKind.RISES):
        template = Labels.RULE_DROPS if rule.kind is RuleKind.DROPS else Labels.RULE_RISES
        change = format_value(rule.change or 0.0, Unit.RATIO, currency, decimals=0)
        return template.format(change=change, every=every)
    if rule.kind is RuleKind.MISSES_TARGET:
        return Labels.RULE_MISSES_NO_TARGET
    return Labels.RULE_UNUSUAL_UNKNOWN


def _target_rule(answer: MetricAnswer) -> str:
    target = answer.target
    if target is None:
        return Labels.RULE_MISSES_NO_TARGET
    shown = format_range(target.min, target.max, answer.unit, answer.currency)
    return Labels.RULE_MISSES_TARGET.format(target=shown)


def _value(answer: MetricAnswer, value: float | None) -> str:
    return format_value(value, answer.unit, answer.currency)


def _scope(answer: MetricAnswer) -> str:
    parts = filter_parts(answer.filters)
    return f" ({escaped(', '.join(parts))})" if parts else ""


def _previous(answer: MetricAnswer, every: str) -> str:
    comparison = answer.comparison
    if comparison is None or comparison.value is None:
        period = period_text(comparison.period) if comparison is not None else ""
        return Labels.NO_PREVIOUS.format(period=period, every=every)
    change = format_change(comparison.change, comparison.change_pct, answer.unit, answer.currency)
    return Labels.PREVIOUS.format(
        period=period_text(comparison.period),
        value=_value(answer, comparison.value),
        change=change,
        every=every,
    )


def _driver(item: Driver, answer: MetricAnswer) -> str:
    total = answer.comparison.change if answer.comparison is not None else None
    values = {
        "dimension": Labels.DIMENSION[item.dimension.value],
        "group": escaped(name_text(item.group)),
        "previous": _value(answer, item.previous),
        "value": _value(answer, item.value),
    }
    if not total:
        return Labels.DRIVER_NO_SHARE.format(**values)
    share = format_change(item.contribution, None, answer.unit, answer.currency)
    return Labels.DRIVER.format(**values, share=share)


@contextmanager
def _spoken(evaluation: Evaluation) -> Iterator[Evaluation]:
    """Within the block, the alert's language is active and its answer relabelled in it."""
    with use_language(evaluation.plan.language):
        yield replace(
            evaluation,
            answer=localize_metric(evaluation.answer),
            period=localized_period(evaluation.period),
        )


def alert_text(evaluation: Evaluation, zone: str) -> str:
    """The alert as the dry run prints it (Slack's *bold* marks removed)."""
    with _spoken(evaluation) as spoken:
        view = alert_view(spoken, zone)
        lines = [view.title, view.figure, view.rule, view.previous, Labels.DRIVERS + ":"]
        lines += list(view.drivers) or [Labels.NO_DRIVERS]
    return "\n".join(line.replace("*", "") for line in lines)


def alert_message(evaluation: Evaluation, zone: str) -> SlackMessage:
    with _spoken(evaluation) as spoken:
        view = alert_view(spoken, zone)
        buttons = question_buttons(_followups(spoken), _asked_on(spoken), spoken.plan.language)
        drivers = "\n".join([f"*{Labels.DRIVERS}*", *(view.drivers or (Labels.NO_DRIVERS,))])
    blocks: list[Block] = [
        header(view.title),
        section(view.figure),
        section(f"{view.rule}\n{view.previous}"),
        section(drivers),
        actions(buttons),
        context(view.footer),
    ]
    return SlackMessage(view.title + " · " + view.figure.replace("*", ""), tuple(blocks))


def _asked_on(evaluation: Evaluation) -> date:
    """The buttons ask as if on the day after the period, so "last week" is that week."""
    return evaluation.period.end + timedelta(days=1)


def _followups(evaluation: Evaluation) -> list[FollowUp]:
    plan = evaluation.plan
    names = " or ".join(name_text(item) for item in (*plan.filters.channel, *plan.filters.segment))
    scope = Questions.SCOPE.format(names=names) if names else ""
    every = plan.every.value
    dimension = Dimension.SEGMENT if plan.filters.channel else Dimension.CHANNEL
    return [
        FollowUp(
            Labels.TREND, Questions.TREND.format(metric=plan.metric, every=every, scope=scope)
        ),
        FollowUp(
            Labels.BREAKDOWN,
            Questions.BREAKDOWN.format(
                metric=plan.metric, every=every, scope=scope, dimension=dimension.value
            ),
        ),
    ]


@dataclass(frozen=True, slots=True)
class AlertTag:
    """What identifies a posted alert in Slack (message metadata), as digests do."""

    alert: str
    channel: str
    period: str

    def metadata(self) -> dict[str, Any]:
        return {
            "event_type": METADATA_EVENT,
            "event_payload": {"alert": self.alert, "channel": self.channel, "period": self.period},
        }

    def matches(self, metadata: object) -> bool:
        return isinstance(metadata, dict) and metadata == self.metadata()
