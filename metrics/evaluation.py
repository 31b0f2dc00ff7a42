"""One metric over one aggregate: inputs, value or reason, warnings (no database here)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from metrics import messages
from metrics.aggregation import Aggregate
from metrics.catalog import CATALOG, MetricDef, inputs_of
from metrics.expressions import Expr, Input, Outcome, Scope, evaluate
from metrics.periods import Period
from metrics.query import Filters
from storage.columns import ColumnKind, measure

__all__ = ["Evaluated", "evaluate_metric", "scope_for"]


@dataclass(frozen=True, slots=True)
class Evaluated:
    value: float | None
    reason: str | None
    inputs: Mapping[str, float | None]
    warnings: tuple[str, ...]


def _formula_of(metric_id: str) -> Expr:
    return CATALOG[metric_id].formula


def _where(period: Period, filters: Filters) -> str:
    return messages.where(period, filters.as_dict())


def _input(name: str, aggregate: Aggregate, period: Period, filters: Filters) -> Input:
    if aggregate.rows == 0:
        return Input(None, messages.no_snapshots(_where(period, filters)))
    if measure(name).kind is ColumnKind.STOCK and aggregate.missing[name]:
        return Input(None, _stock_gap(name, aggregate, period))
    value = aggregate.sums[name]
    if value is None:
        return Input(None, messages.unknown_input(name, _where(period, filters)))
    return Input(value)


def _stock_gap(name: str, aggregate: Aggregate, period: Period) -> str:
    return messages.stock_gap(name, aggregate.missing[name], aggregate.groups, period)


def _flow_gap(name: str, aggregate: Aggregate, period: Period) -> str:
    return messages.flow_gap(name, aggregate.missing[name], aggregate.rows, period)


def _warnings(columns: tuple[str, ...], aggregate: Aggregate, period: Period) -> tuple[str, ...]:
    found: list[str] = []
    for name in columns:
        lacking = aggregate.missing[name]
        if not lacking or aggregate.rows == 0:
            continue
        if measure(name).kind is ColumnKind.STOCK:
            found.append(_stock_gap(name, aggregate, period))
        elif aggregate.sums[name] is not None:
            found.append(_flow_gap(name, aggregate, period))
    return tuple(found)


def scope_for(
    columns: tuple[str, ...],
    aggregate: Aggregate,
    period: Period,
    filters: Filters,
    gross_margin: float,
) -> Scope:
    inputs = {name: _input(name, aggregate, period, filters) for name in columns}
    return Scope(inputs, period.months, gross_margin, period, _formula_of)


def evaluate_metric(
    definition: MetricDef,
    aggregate: Aggregate,
    period: Period,
    filters: Filters,
    gross_margin: float,
) -> Evaluated:
    columns = inputs_of(definition.id)
    scope = scope_for(columns, aggregate, period, filters, gross_margin)
    outcome: Outcome = evaluate(definition.formula, scope)
    return Evaluated(
        value=outcome.value,
        reason=outcome.reason,
        inputs={name: scope.inputs[name].value for name in columns},
        warnings=_warnings(columns, aggregate, period),
    )
