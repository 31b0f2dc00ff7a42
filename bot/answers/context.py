"""The metrics engine's view of the settings, shared by every way of answering."""

from __future__ import annotations

from bot.core.config import Settings
from metrics.engine import MetricsContext, Target
from metrics.query import normalize_name

__all__ = ["metrics_context"]


def metrics_context(settings: Settings) -> MetricsContext:
    """The engine's view of the settings: gross margin, currency and `[targets]`, with the
    targets set from Slack read over them at every answer."""
    targets = tuple(
        Target(
            metric=metric_id,
            min=rule.min,
            max=rule.max,
            segment=None if rule.segment is None else normalize_name(rule.segment),
            channel=None if rule.channel is None else normalize_name(rule.channel),
        )
        for metric_id, rule in settings.targets.items()
    )
    return MetricsContext(
        gross_margin=settings.gross_margin,
        currency=settings.currency,
        targets=targets,
        stored_targets=True,
    )
