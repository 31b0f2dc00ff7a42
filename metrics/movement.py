"""How a figure moved: its history, and what drove its change between two periods.

Both come from the same grouped SELECT as every answer (metrics/aggregation.py): the
history is one bucket per period; the drivers are the figure by channel and by segment,
this period and the previous one, two buckets grouped by the dimension.

A group's contribution to a change is the change of the figure minus the change the
figure would have made without that group (leave-one-out). For a sum (leads, spend) it
is exactly the group's own change; for a ratio or a cost per unit it also counts the
group's weight, so a small channel whose rate collapsed does not outrank a large one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import Engine

from metrics.aggregation import Aggregate, aggregate
from metrics.catalog import inputs_of, metric
from metrics.evaluation import evaluate_metric
from metrics.periods import Period
from metrics.query import Dimension, Filters

__all__ = ["Driver", "drivers", "history"]

TOP_DRIVERS = 3


@dataclass(frozen=True, slots=True)
class Driver:
    """One channel or segment: the figure in both periods and its share of the change."""

    dimension: Dimension
    group: str
    value: float | None
    previous: float | None
    contribution: float


def history(
    engine: Engine,
    metric_id: str,
    periods: Sequence[Period],
    filters: Filters,
    gross_margin: float = 1.0,
) -> list[float | None]:
    """The figure for each of `periods` (disjoint), from one statement."""
    definition = metric(metric_id)
    columns = inputs_of(metric_id)
    cells = aggregate(engine, columns, periods, filters)
    values = []
    for index, period in enumerate(periods):
        found = cells.get((index, None), Aggregate.empty(columns))
        values.append(evaluate_metric(definition, found, period, filters, gross_margin).value)
    return values


def drivers(
    engine: Engine,
    metric_id: str,
    periods: tuple[Period, Period],
    filters: Filters,
    *,
    by: Dimension,
    gross_margin: float = 1.0,
    top: int = TOP_DRIVERS,
) -> tuple[Driver, ...]:
    """The groups of `by` that contributed most to the change from `periods[1]` (the
    earlier one) to `periods[0]`, largest first; only those that moved it that way."""
    period, previous = periods
    columns = inputs_of(metric_id)
    cells = aggregate(engine, columns, [period, previous], filters, by)
    groups = sorted({group for _, group in cells if group is not None})
    if not groups:
        return ()
    now = {group: cells.get((0, group), Aggregate.empty(columns)) for group in groups}
    before = {group: cells.get((1, group), Aggregate.empty(columns)) for group in groups}
    figure = _Figure(metric_id, filters, gross_margin, columns)
    change = figure.change(now, before, period, previous, None)
    if change is None:
        return ()
    found = []
    for group in groups:
        without = figure.change(now, before, period, previous, group)
        contribution = change - without if without is not None else change
        scoped = _narrowed(filters, by, group)
        found.append(
            Driver(
                by,
                group,
                figure.value(now[group], period, scoped),
                figure.value(before[group], previous, scoped),
                contribution,
            )
        )
    aligned = [item for item in found if item.contribution * change > 0]
    aligned.sort(key=lambda item: -abs(item.contribution))
    return tuple(aligned[:top])


@dataclass(frozen=True, slots=True)
class _Figure:
    metric_id: str
    filters: Filters
    gross_margin: float
    columns: tuple[str, ...]

    def value(self, found: Aggregate, period: Period, filters: Filters) -> float | None:
        definition = metric(self.metric_id)
        return evaluate_metric(definition, found, period, filters, self.gross_margin).value

    def total(
        self, cells: Mapping[str, Aggregate], period: Period, leave_out: str | None
    ) -> float | None:
        total = Aggregate.empty(self.columns)
        for group, found in cells.items():
            if group != leave_out:
                total += found
        return self.value(total, period, self.filters)

    def change(
        self,
        now: Mapping[str, Aggregate],
        before: Mapping[str, Aggregate],
        period: Period,
        previous: Period,
        leave_out: str | None,
    ) -> float | None:
        current = self.total(now, period, leave_out)
        earlier = self.total(before, previous, leave_out)
        if current is None or earlier is None:
            return None
        return current - earlier


def _narrowed(filters: Filters, by: Dimension, group: str) -> Filters:
    if by is Dimension.CHANNEL:
        return Filters(channel=(group,), segment=filters.segment)
    return Filters(channel=filters.channel, segment=(group,))
