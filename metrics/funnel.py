"""The whole funnel, stage by stage, and where it leaks most."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metrics import messages
from metrics.answers import BenchmarkStatus, FunnelAnswer, FunnelStage, MetricAnswer
from metrics.articles import Article
from metrics.periods import Period
from metrics.query import Filters

__all__ = ["FUNNEL_METRICS", "STAGES", "build_funnel"]

# (stage volume, conversion into it from the stage before). Deals won are measured by
# the win rate: deals closed in a period rarely come from the opportunities opened in
# it, so won / (won + lost) is the stage's honest conversion and has a benchmark.
STAGES: tuple[tuple[str, str | None], ...] = (
    ("visitors", None),
    ("leads", "visitor_to_lead"),
    ("mqls", "lead_to_mql"),
    ("sqls", "mql_to_sql"),
    ("opportunities", "sql_to_opportunity"),
    ("deals_won", "win_rate"),
)

FUNNEL_METRICS: tuple[str, ...] = tuple(
    name for stage in STAGES for name in stage if name is not None
)


@dataclass(frozen=True, slots=True)
class _Miss:
    conversion: MetricAnswer
    value: float
    low: float
    sources: tuple[Article, ...]

    @property
    def shortfall(self) -> float:
        """How far below the low end, relative to it (0.5 = half the typical low)."""
        return (self.low - self.value) / self.low


def build_funnel(
    period: Period, filters: Filters, answers: Mapping[str, MetricAnswer]
) -> FunnelAnswer:
    stages = tuple(
        FunnelStage(answers[volume], None if conversion is None else answers[conversion])
        for volume, conversion in STAGES
    )
    leak, reason = _biggest_leak(period, stages)
    return FunnelAnswer(period, filters, stages, leak, reason)


def _miss(conversion: MetricAnswer) -> _Miss | None:
    """A conversion below every typical range it has (measured against the lowest low)."""
    if conversion.value is None or not conversion.benchmarks:
        return None
    if any(check.status is not BenchmarkStatus.BELOW for check in conversion.benchmarks):
        return None
    lowest = min(
        (check for check in conversion.benchmarks if check.low),
        key=lambda check: check.low or 0.0,
    )
    return _Miss(conversion, conversion.value, lowest.low or 0.0, lowest.sources)


def _biggest_leak(period: Period, stages: tuple[FunnelStage, ...]) -> tuple[str | None, str]:
    conversions = [stage.conversion for stage in stages if stage.conversion is not None]
    misses = [miss for miss in map(_miss, conversions) if miss is not None]
    if misses:
        worst = max(misses, key=lambda miss: miss.shortfall)
        return worst.conversion.metric, messages.leak_below_range(
            worst.conversion.metric,
            worst.conversion.label,
            value=worst.value,
            shortfall=worst.shortfall,
            low=worst.low,
            sources=worst.sources,
        )
    known = [conversion for conversion in conversions if conversion.value is not None]
    if not known:
        return None, messages.leak_none(period)
    lowest = min(known, key=lambda conversion: conversion.value or 0.0)
    return lowest.metric, messages.leak_lowest(lowest.metric, lowest.label, lowest.value or 0.0)
