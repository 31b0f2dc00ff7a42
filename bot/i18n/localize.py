"""Answers of the metrics engine in the active language: metric labels and definitions,
categories and period labels.

The engine speaks English (its labels are the catalog's); a reply to a Thai or
Vietnamese question is relabelled here once, so every renderer (terminal, Slack, digests)
that reads `label`, `description` or `period.label` shows the asker's language. Figures,
formulas and input names are never changed: the same definitions in every language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import assert_never

from bot.i18n.active import active_language
from bot.i18n.catalogs import gettext, keyed_text
from bot.i18n.formats import period_label
from metrics.answers import (
    ChangeResult,
    ExplainAnswer,
    FunnelAnswer,
    FunnelStage,
    MetricAnswer,
    RelatedValue,
    TrendAnswer,
)
from metrics.engine import Answer
from metrics.periods import Period

__all__ = ["localize", "localize_metric", "localized_period"]


def localized_period(period: Period) -> Period:
    """`period` labelled in the active language."""
    return period.with_label(period_label(period))


def _label(metric_id: str, english: str) -> str:
    return keyed_text("label", metric_id, english)


def localize(found: Answer) -> Answer:
    """`found` (any answer of the engine) in the active language; English is unchanged."""
    if active_language() == "en":
        return found
    match found:
        case MetricAnswer():
            return localize_metric(found)
        case FunnelAnswer():
            return _funnel(found)
        case TrendAnswer():
            return _trend(found)
        case ExplainAnswer():
            return _explain(found)
        case _:
            assert_never(found)


def _related(item: RelatedValue) -> RelatedValue:
    return replace(item, label=_label(item.metric, item.label))


def _change(change: ChangeResult | None) -> ChangeResult | None:
    return None if change is None else replace(change, period=localized_period(change.period))


def localize_metric(found: MetricAnswer) -> MetricAnswer:
    """A metric answer in the active language."""
    return replace(
        found,
        label=_label(found.metric, found.label),
        period=localized_period(found.period),
        comparison=_change(found.comparison),
        related=tuple(_related(item) for item in found.related),
    )


def _funnel(found: FunnelAnswer) -> FunnelAnswer:
    stages = tuple(
        FunnelStage(
            localize_metric(stage.volume),
            None if stage.conversion is None else localize_metric(stage.conversion),
        )
        for stage in found.stages
    )
    return replace(found, period=localized_period(found.period), stages=stages)


def _trend(found: TrendAnswer) -> TrendAnswer:
    points = tuple(replace(point, period=localized_period(point.period)) for point in found.points)
    return replace(
        found,
        label=_label(found.metric, found.label),
        period=localized_period(found.period),
        points=points,
    )


def _explain(found: ExplainAnswer) -> ExplainAnswer:
    return replace(
        found,
        label=_label(found.metric, found.label),
        description=keyed_text("description", found.metric, found.description),
        category=gettext(found.category),
        period=localized_period(found.period),
        components=tuple(_related(item) for item in found.components),
    )
