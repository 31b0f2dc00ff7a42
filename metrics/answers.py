"""Typed answers of the metrics engine, and their JSON form (docs/reference.md)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from metrics.articles import Article
from metrics.catalog import Unit
from metrics.messages import ENGLISH, cite, worded
from metrics.periods import Grain, Period
from metrics.query import Filters, Rank

__all__ = [
    "BenchmarkCheck",
    "BenchmarkRange",
    "BenchmarkStatus",
    "ChangeResult",
    "Coverage",
    "ExplainAnswer",
    "FunnelAnswer",
    "FunnelStage",
    "GroupValue",
    "MetricAnswer",
    "RelatedValue",
    "TargetCheck",
    "TrendAnswer",
    "TrendPoint",
    "period_json",
]

Json = dict[str, Any]


class BenchmarkStatus(StrEnum):
    WITHIN = "within"
    BELOW = "below"
    ABOVE = "above"


def period_json(period: Period) -> Json:
    return {"start": period.start.isoformat(), "end": period.end.isoformat(), "label": period.label}


def sources_json(sources: tuple[Article, ...]) -> Json:
    """`source`, the citation in English, and every article's details under `sources`."""
    with worded(ENGLISH):
        citation = cite(sources)
    return {"source": citation, "sources": [source.to_json() for source in sources]}


@dataclass(frozen=True, slots=True)
class BenchmarkCheck:
    """The value against one typical range from the source articles (`scope` e.g. "SMB")."""

    low: float | None
    high: float | None
    status: BenchmarkStatus
    sources: tuple[Article, ...]
    scope: str = ""
    note: str = ""

    def to_json(self) -> Json:
        data: Json = {"low": self.low, "high": self.high, "status": self.status.value}
        data |= sources_json(self.sources)
        if self.scope:
            data["scope"] = self.scope
        if self.note:
            data["note"] = self.note
        return data


@dataclass(frozen=True, slots=True)
class BenchmarkRange:
    """A typical range as `explain` shows it; `status` is None when there is no value."""

    low: float | None
    high: float | None
    sources: tuple[Article, ...]
    scope: str
    note: str
    status: BenchmarkStatus | None

    def to_json(self) -> Json:
        return {
            "low": self.low,
            "high": self.high,
            **sources_json(self.sources),
            "scope": self.scope,
            "note": self.note,
            "status": self.status.value if self.status else None,
        }


@dataclass(frozen=True, slots=True)
class TargetCheck:
    """The value against a team target from `[targets]`."""

    min: float | None
    max: float | None
    met: bool
    scope: Mapping[str, str] = field(default_factory=dict)

    def to_json(self) -> Json:
        status = "met" if self.met else "missed"
        return {"min": self.min, "max": self.max, "status": status, "scope": dict(self.scope)}


@dataclass(frozen=True, slots=True)
class ChangeResult:
    """A comparison: `change` in the metric's unit (percentage points for ratios)."""

    period: Period
    value: float | None
    change: float | None
    change_pct: float | None
    better: bool | None
    reason: str | None = None

    def to_json(self) -> Json:
        return {
            "period": period_json(self.period),
            "value": self.value,
            "change": self.change,
            "change_pct": self.change_pct,
            "better": self.better,
        }


@dataclass(frozen=True, slots=True)
class GroupValue:
    """One group of a breakdown (`group` is e.g. {"channel": "organic"})."""

    group: Mapping[str, str]
    value: float | None
    reason: str | None

    def to_json(self) -> Json:
        return {"group": dict(self.group), "value": self.value, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class RelatedValue:
    """An equivalent shown beside the answer (churn's monthly and annualized forms)."""

    metric: str
    label: str
    unit: Unit
    value: float | None
    benchmarks: tuple[BenchmarkCheck, ...] = ()

    def to_json(self) -> Json:
        return {
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit.value,
            "value": self.value,
            "benchmarks": [check.to_json() for check in self.benchmarks],
        }


@dataclass(frozen=True, slots=True)
class MetricAnswer:
    """One metric for one period and filter set: the JSON answer of docs/reference.md."""

    metric: str
    label: str
    unit: Unit
    period: Period
    filters: Filters
    value: float | None
    reason: str | None
    inputs: Mapping[str, float | None]
    comparison: ChangeResult | None = None
    breakdown: tuple[GroupValue, ...] | None = None
    benchmarks: tuple[BenchmarkCheck, ...] = ()
    target: TargetCheck | None = None
    warnings: tuple[str, ...] = ()
    related: tuple[RelatedValue, ...] = ()
    currency: str = "USD"
    leader: GroupValue | None = None
    rank: Rank | None = None

    def to_json(self) -> Json:
        return {
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit.value,
            "period": period_json(self.period),
            "filters": self.filters.as_dict(),
            "value": self.value,
            "reason": self.reason,
            "inputs": dict(self.inputs),
            "comparison": self.comparison.to_json() if self.comparison else None,
            "breakdown": None
            if self.breakdown is None
            else [group.to_json() for group in self.breakdown],
            "benchmarks": [check.to_json() for check in self.benchmarks],
            "target": self.target.to_json() if self.target else None,
            "warnings": list(self.warnings),
            "related": [item.to_json() for item in self.related],
            "currency": self.currency,
            "leader": self.leader.to_json() if self.leader else None,
            "rank": self.rank.value if self.rank else None,
        }


@dataclass(frozen=True, slots=True)
class FunnelStage:
    """A funnel stage: its volume, and the conversion into it from the stage before."""

    volume: MetricAnswer
    conversion: MetricAnswer | None

    def to_json(self) -> Json:
        conversion = self.conversion.to_json() if self.conversion else None
        return {
            "stage": self.volume.metric,
            "volume": self.volume.to_json(),
            "conversion": conversion,
        }


@dataclass(frozen=True, slots=True)
class FunnelAnswer:
    """visitors → leads → MQLs → SQLs → opportunities → won, with the biggest leak named."""

    period: Period
    filters: Filters
    stages: tuple[FunnelStage, ...]
    biggest_leak: str | None
    leak_reason: str

    def to_json(self) -> Json:
        return {
            "intent": "funnel",
            "period": period_json(self.period),
            "filters": self.filters.as_dict(),
            "stages": [stage.to_json() for stage in self.stages],
            "biggest_leak": self.biggest_leak,
            "leak_reason": self.leak_reason,
        }


class Coverage(StrEnum):
    """How much of its week or month a trend point covers."""

    WHOLE = "whole"
    PARTIAL = "partial"  # the question's range cuts the unit short
    SO_FAR = "so_far"  # the current unit of a period that is not over yet


@dataclass(frozen=True, slots=True)
class TrendPoint:
    """One bucket of a trend; a point that covers part of its unit counts fewer days."""

    period: Period
    value: float | None
    reason: str | None
    coverage: Coverage = Coverage.WHOLE

    def to_json(self) -> Json:
        return {
            "period": period_json(self.period),
            "value": self.value,
            "reason": self.reason,
            "coverage": self.coverage.value,
        }


@dataclass(frozen=True, slots=True)
class TrendAnswer:
    """A metric per week or month over a range."""

    metric: str
    label: str
    unit: Unit
    period: Period
    filters: Filters
    grain: Grain
    points: tuple[TrendPoint, ...]
    currency: str = "USD"

    def to_json(self) -> Json:
        return {
            "intent": "trend",
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit.value,
            "period": period_json(self.period),
            "filters": self.filters.as_dict(),
            "grain": self.grain.value,
            "points": [point.to_json() for point in self.points],
            "currency": self.currency,
        }


@dataclass(frozen=True, slots=True)
class ExplainAnswer:
    """`explain METRIC`: the definition, the formula, and its inputs for the period.

    `components` are the catalog metrics the formula refers to (e.g. `ltv` and `cac` for
    `ltv_cac`) with their values for the same rows.
    """

    metric: str
    label: str
    unit: Unit
    category: str
    description: str
    formula_text: str
    lower_is_better: bool
    period: Period
    filters: Filters
    value: float | None
    reason: str | None
    inputs: Mapping[str, float | None]
    components: tuple[RelatedValue, ...]
    benchmarks: tuple[BenchmarkRange, ...]
    target: TargetCheck | None
    gross_margin: float
    currency: str = "USD"

    def to_json(self) -> Json:
        return {
            "intent": "explain",
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit.value,
            "category": self.category,
            "description": self.description,
            "formula": self.formula_text,
            "lower_is_better": self.lower_is_better,
            "period": period_json(self.period),
            "filters": self.filters.as_dict(),
            "value": self.value,
            "reason": self.reason,
            "inputs": dict(self.inputs),
            "components": [item.to_json() for item in self.components],
            "benchmarks": [item.to_json() for item in self.benchmarks],
            "target": self.target.to_json() if self.target else None,
            "gross_margin": self.gross_margin,
            "currency": self.currency,
        }
