"""Benchmarks from the source articles and team targets, checked against a computed value."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from metrics.answers import BenchmarkCheck, BenchmarkRange, BenchmarkStatus, TargetCheck
from metrics.catalog import Benchmark, MetricDef
from metrics.query import Filters

__all__ = [
    "Target",
    "applicable_benchmarks",
    "benchmark_checks",
    "benchmark_ranges",
    "benchmark_status",
    "target_check",
]


@dataclass(frozen=True, slots=True)
class Target:
    """A team's own goal for a metric, optionally for one segment or channel only."""

    metric: str
    min: float | None
    max: float | None
    segment: str | None = None
    channel: str | None = None

    def applies_to(self, metric_id: str, filters: Filters) -> bool:
        return (
            self.metric == metric_id
            and (self.segment is None or filters.segment == (self.segment,))
            and (self.channel is None or filters.channel == (self.channel,))
        )

    @property
    def specificity(self) -> int:
        return (self.segment is not None) + (self.channel is not None)


def benchmark_status(benchmark: Benchmark, value: float) -> BenchmarkStatus:
    if benchmark.low is not None and value < benchmark.low:
        return BenchmarkStatus.BELOW
    if benchmark.high is not None and value > benchmark.high:
        return BenchmarkStatus.ABOVE
    return BenchmarkStatus.WITHIN


def applicable_benchmarks(definition: MetricDef, filters: Filters) -> tuple[Benchmark, ...]:
    """The metric's ranges for the question: segment-scoped ones only for their segments.

    A question about named segments gets the ranges scoped to those segments (plus the
    unscoped ones) when there are any; otherwise every range, each with its scope shown.
    """
    if filters.segment:
        asked = set(filters.segment)
        matching = tuple(
            benchmark
            for benchmark in definition.benchmarks
            if not benchmark.segments or asked.intersection(benchmark.segments)
        )
        if any(benchmark.segments for benchmark in matching):
            return matching
    return definition.benchmarks


def benchmark_checks(
    definition: MetricDef, filters: Filters, value: float | None
) -> tuple[BenchmarkCheck, ...]:
    if value is None:
        return ()
    return tuple(
        BenchmarkCheck(
            low=benchmark.low,
            high=benchmark.high,
            status=benchmark_status(benchmark, value),
            sources=benchmark.sources,
            scope=benchmark.scope,
            note=benchmark.note,
        )
        for benchmark in applicable_benchmarks(definition, filters)
    )


def benchmark_ranges(definition: MetricDef, value: float | None) -> tuple[BenchmarkRange, ...]:
    """Every range of the metric, as `explain` lists them."""
    return tuple(
        BenchmarkRange(
            low=benchmark.low,
            high=benchmark.high,
            sources=benchmark.sources,
            scope=benchmark.scope,
            note=benchmark.note,
            status=None if value is None else benchmark_status(benchmark, value),
        )
        for benchmark in definition.benchmarks
    )


def target_check(
    targets: Iterable[Target], metric_id: str, filters: Filters, value: float | None
) -> TargetCheck | None:
    """The most specific target that applies to the question, checked against `value`."""
    if value is None:
        return None
    applying = [target for target in targets if target.applies_to(metric_id, filters)]
    if not applying:
        return None
    target = max(applying, key=lambda candidate: candidate.specificity)
    met = (target.min is None or value >= target.min) and (
        target.max is None or value <= target.max
    )
    scope = {
        name: scoped
        for name, scoped in (("segment", target.segment), ("channel", target.channel))
        if scoped is not None
    }
    return TargetCheck(min=target.min, max=target.max, met=met, scope=scope)
