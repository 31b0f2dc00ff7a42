"""The metrics engine: a typed Query in, a typed Answer out, the arithmetic in SQL.

Every question costs one grouped SELECT (two only when a custom comparison period
overlaps the question's period): the period, its comparison period and every breakdown
group or trend point are buckets and groups of the same statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine, func, select

from metrics import messages
from metrics.aggregation import Aggregate, GroupKey, aggregate, ranges_overlap
from metrics.answers import (
    ChangeResult,
    Coverage,
    ExplainAnswer,
    FunnelAnswer,
    GroupValue,
    MetricAnswer,
    RelatedValue,
    TrendAnswer,
    TrendPoint,
)
from metrics.catalog import MetricDef, inputs_of, metric
from metrics.checks import Target, benchmark_checks, benchmark_ranges, target_check
from metrics.evaluation import Evaluated, evaluate_metric
from metrics.expressions import refs_of
from metrics.funnel import FUNNEL_METRICS, build_funnel
from metrics.periods import Grain, Period, unit_containing
from metrics.query import CompareKind, Dimension, Filters, Intent, Query, Rank
from metrics.targets import merged, stored_targets
from storage.rollups import RollupGrain
from storage.tables import snapshot_rollups, snapshots

__all__ = [
    "Answer",
    "MetricsContext",
    "Target",
    "answer",
    "compute",
    "compute_many",
    "data_range",
    "dimension_values",
]

Answer = MetricAnswer | FunnelAnswer | TrendAnswer | ExplainAnswer

NO_FILTERS = Filters()
CHURN = "customer_churn_rate"
CHURN_EQUIVALENTS = ("customer_churn_monthly", "customer_churn_annualized")


@dataclass(frozen=True, slots=True)
class MetricsContext:
    """The team's configuration the formulas and checks depend on."""

    gross_margin: float = 1.0
    currency: str = "USD"
    targets: tuple[Target, ...] = ()
    # Read the targets set from Slack (metrics/targets.py) over `targets` at each answer.
    stored_targets: bool = False


def answer(engine: Engine, query: Query, context: MetricsContext = MetricsContext()) -> Answer:
    """Answer a metric, funnel, trend or explain question (catalog and help are the bot's)."""
    if query.intent is Intent.FUNNEL:
        return _funnel(engine, query, context)
    if query.metric is None or query.intent not in (Intent.METRIC, Intent.TREND, Intent.EXPLAIN):
        raise ValueError(messages.unanswerable_intent(query.intent.value))
    definition = metric(query.metric)
    if query.intent is Intent.TREND:
        return _trend(engine, definition, query, context)
    if query.intent is Intent.EXPLAIN:
        return _explain(engine, definition, query, context)
    compare = _comparison_period(query)
    found = compute_many(
        engine, [definition.id], query.period, query.filters, context, compare=compare, by=query.by
    )
    return _ranked(found[definition.id], query.rank)


def _ranked(found: MetricAnswer, rank: Rank | None) -> MetricAnswer:
    """The answer with the group at the asked-for end of its breakdown named first."""
    valued = [group for group in found.breakdown or () if group.value is not None]
    if rank is None or not valued:
        return found
    pick = max if rank is Rank.HIGHEST else min
    leader = pick(valued, key=lambda group: group.value or 0.0)
    return replace(found, leader=leader, rank=rank)


def compute(
    engine: Engine,
    metric_id: str,
    period: Period,
    filters: Filters = NO_FILTERS,
    context: MetricsContext = MetricsContext(),
) -> MetricAnswer:
    """One metric for one period, without comparison or breakdown."""
    return compute_many(engine, [metric_id], period, filters, context)[metric_id]


def compute_many(
    engine: Engine,
    metric_ids: Iterable[str],
    period: Period,
    filters: Filters = NO_FILTERS,
    context: MetricsContext = MetricsContext(),
    *,
    compare: Period | None = None,
    by: Dimension | None = None,
) -> dict[str, MetricAnswer]:
    """Several metrics over the same rows from one query (digests, the funnel)."""
    if context.stored_targets:
        targets = merged(context.targets, stored_targets(engine))
        context = replace(context, targets=targets, stored_targets=False)
    definitions = [metric(metric_id) for metric_id in dict.fromkeys(metric_ids)]
    columns = tuple(dict.fromkeys(name for item in definitions for name in inputs_of(item.id)))
    periods = [period] if compare is None else [period, compare]
    table = _Table(_aggregate_periods(engine, columns, periods, filters, by), columns)
    builder = _AnswerBuilder(period, filters, context, table)
    return {
        definition.id: builder.build(definition, compare=compare, by=by)
        for definition in definitions
    }


def dimension_values(engine: Engine, dimension: Dimension) -> list[str]:
    """The distinct channel or segment names in the store, sorted (from the month
    rollups: every snapshot is in one, and there are far fewer of them)."""
    column = snapshot_rollups.c[dimension.value]
    monthly = snapshot_rollups.c.grain == RollupGrain.MONTH.value
    with engine.connect() as connection:
        return list(connection.scalars(select(column).where(monthly).distinct().order_by(column)))


def data_range(engine: Engine) -> tuple[date, date] | None:
    """The earliest and latest `period_start` in the store, None when it is empty."""
    start = snapshots.c.period_start
    with engine.connect() as connection:
        first, last = connection.execute(select(func.min(start), func.max(start))).one()
    return None if first is None else (first, last)


def _comparison_period(query: Query) -> Period | None:
    if query.compare.kind is CompareKind.NONE:
        return None
    return query.compare.resolve(query.period)


def _aggregate_periods(
    engine: Engine,
    columns: tuple[str, ...],
    periods: Sequence[Period],
    filters: Filters,
    by: Dimension | None,
) -> dict[GroupKey, Aggregate]:
    """One statement for disjoint periods; overlapping ones are aggregated one by one."""
    if not ranges_overlap(periods):
        return aggregate(engine, columns, periods, filters, by)
    merged: dict[GroupKey, Aggregate] = {}
    for index, period in enumerate(periods):
        for (_, group), found in aggregate(engine, columns, [period], filters, by).items():
            merged[(index, group)] = found
    return merged


@dataclass(frozen=True, slots=True)
class _Table:
    """The aggregates of a question, with per-bucket totals over breakdown groups."""

    cells: Mapping[GroupKey, Aggregate]
    columns: tuple[str, ...]

    def total(self, bucket: int) -> Aggregate:
        parts = [found for (index, _), found in self.cells.items() if index == bucket]
        total = Aggregate.empty(self.columns)
        for part in parts:
            total += part
        return total

    def groups(self, bucket: int) -> dict[str, Aggregate]:
        return {
            group: found
            for (index, group), found in self.cells.items()
            if index == bucket and group is not None
        }


@dataclass(frozen=True, slots=True)
class _AnswerBuilder:
    period: Period
    filters: Filters
    context: MetricsContext
    table: _Table

    def evaluate(
        self, definition: MetricDef, found: Aggregate, period: Period, filters: Filters
    ) -> Evaluated:
        return evaluate_metric(definition, found, period, filters, self.context.gross_margin)

    def build(
        self, definition: MetricDef, *, compare: Period | None, by: Dimension | None
    ) -> MetricAnswer:
        total = self.table.total(0)
        current = self.evaluate(definition, total, self.period, self.filters)
        return MetricAnswer(
            metric=definition.id,
            label=definition.label,
            unit=definition.unit,
            period=self.period,
            filters=self.filters,
            value=current.value,
            reason=current.reason,
            inputs=current.inputs,
            comparison=None if compare is None else self._comparison(definition, current, compare),
            breakdown=None if by is None else self._breakdown(definition, by),
            benchmarks=benchmark_checks(definition, self.filters, current.value),
            target=target_check(self.context.targets, definition.id, self.filters, current.value),
            warnings=current.warnings,
            related=self._related(definition, total),
            currency=self.context.currency,
        )

    def _comparison(
        self, definition: MetricDef, current: Evaluated, period: Period
    ) -> ChangeResult:
        previous = self.evaluate(definition, self.table.total(1), period, self.filters)
        return _change_between(definition, current.value, previous, period)

    def _breakdown(self, definition: MetricDef, by: Dimension) -> tuple[GroupValue, ...]:
        values = []
        for group, found in self.table.groups(0).items():
            scoped = _narrowed(self.filters, by, group)
            evaluated = self.evaluate(definition, found, self.period, scoped)
            values.append(GroupValue({by.value: group}, evaluated.value, evaluated.reason))
        return tuple(sorted(values, key=lambda item: _best_first(definition, item)))

    def _related(self, definition: MetricDef, total: Aggregate) -> tuple[RelatedValue, ...]:
        if definition.id != CHURN or self.period.months == 1:
            return ()
        related = []
        for metric_id in CHURN_EQUIVALENTS:
            equivalent = metric(metric_id)
            value = self.evaluate(equivalent, total, self.period, self.filters).value
            checks = benchmark_checks(equivalent, self.filters, value)
            related.append(
                RelatedValue(metric_id, equivalent.label, equivalent.unit, value, checks)
            )
        return tuple(related)


def _change_between(
    definition: MetricDef, value: float | None, previous: Evaluated, period: Period
) -> ChangeResult:
    """`change` is in the metric's unit (a fraction for ratios: renderers show pp)."""
    change = None if value is None or previous.value is None else value - previous.value
    change_pct = None
    if change is not None and previous.value:
        change_pct = change / abs(previous.value)
    better = None
    if change:
        better = (change < 0) == definition.lower_is_better
    return ChangeResult(period, previous.value, change, change_pct, better, previous.reason)


def _narrowed(filters: Filters, by: Dimension, group: str) -> Filters:
    if by is Dimension.CHANNEL:
        return Filters(channel=(group,), segment=filters.segment)
    return Filters(channel=filters.channel, segment=(group,))


def _best_first(definition: MetricDef, item: GroupValue) -> tuple[bool, float, str]:
    name = next(iter(item.group.values()))
    if item.value is None:
        return (True, 0.0, name)
    return (False, item.value if definition.lower_is_better else -item.value, name)


def _funnel(engine: Engine, query: Query, context: MetricsContext) -> FunnelAnswer:
    compare = _comparison_period(query)
    answers = compute_many(
        engine, FUNNEL_METRICS, query.period, query.filters, context, compare=compare
    )
    return build_funnel(query.period, query.filters, answers)


def _trend(
    engine: Engine, definition: MetricDef, query: Query, context: MetricsContext
) -> TrendAnswer:
    buckets = _trend_buckets(query.period, query.trend_grain)
    columns = inputs_of(definition.id)
    table = _Table(aggregate(engine, columns, buckets, query.filters), columns)
    points = []
    for index, bucket in enumerate(buckets):
        found = evaluate_metric(
            definition, table.total(index), bucket, query.filters, context.gross_margin
        )
        coverage = _coverage(bucket, query.trend_grain, query.period)
        points.append(TrendPoint(bucket, found.value, found.reason, coverage))
    return TrendAnswer(
        metric=definition.id,
        label=definition.label,
        unit=definition.unit,
        period=query.period,
        filters=query.filters,
        grain=query.trend_grain,
        points=tuple(points),
        currency=context.currency,
    )


def _coverage(bucket: Period, grain: Grain, period: Period) -> Coverage:
    """Whether a bucket is its whole week or month, the unit still running in a period
    that is not over yet, or a unit the question's range cuts short."""
    unit = unit_containing(grain, bucket.start)
    if (bucket.start, bucket.end) == (unit.start, unit.end):
        return Coverage.WHOLE
    if period.to_date and bucket.end == period.end:
        return Coverage.SO_FAR
    return Coverage.PARTIAL


def _trend_buckets(period: Period, grain: Grain) -> list[Period]:
    if grain is Grain.WEEK:
        return period.weeks()
    if grain is Grain.MONTH:
        return period.month_units()
    if grain is Grain.QUARTER:
        return period.quarter_units()
    raise ValueError(messages.unsupported_trend_grain(grain.value))


def _explain(
    engine: Engine, definition: MetricDef, query: Query, context: MetricsContext
) -> ExplainAnswer:
    components = refs_of(definition.formula)
    found = compute_many(engine, [definition.id, *components], query.period, query.filters, context)
    main = found[definition.id]
    return ExplainAnswer(
        metric=definition.id,
        label=definition.label,
        unit=definition.unit,
        category=definition.category,
        description=definition.description,
        formula_text=definition.formula_text,
        lower_is_better=definition.lower_is_better,
        period=query.period,
        filters=query.filters,
        value=main.value,
        reason=main.reason,
        inputs=main.inputs,
        components=tuple(
            RelatedValue(item.metric, item.label, item.unit, item.value)
            for item in (found[component] for component in dict.fromkeys(components))
        ),
        benchmarks=benchmark_ranges(definition, main.value),
        target=main.target,
        gross_margin=context.gross_margin,
        currency=context.currency,
    )
