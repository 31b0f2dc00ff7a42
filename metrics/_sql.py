"""The database side of a question: one grouped SELECT per question, never row loading.

`aggregate` sums the flow columns and picks the stock columns (metrics.md) for every
(bucket, group) of a question in a single statement. A bucket is one period of the
question (the period itself, the comparison period, or one point of a trend); a group
is one channel or segment when the question asks for a breakdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    and_,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
)

from metrics.periods import Period
from metrics.query import Dimension, Filters
from storage.columns import ColumnKind, ValueType, measure
from storage.models import snapshots

__all__ = ["Aggregate", "GroupKey", "aggregate", "ranges_overlap"]

Number = int | float

# (bucket index, group name or None when the question has no breakdown)
GroupKey = tuple[int, str | None]

_FIRST_ROW = "first_row"
_LAST_ROW = "last_row"
_BUCKET = "bucket"


@dataclass(frozen=True, slots=True)
class Aggregate:
    """What the database computed for one (bucket, group).

    `sums` holds None for an input no row knows. `missing` counts, for a flow, the rows
    without a value; for a stock, the channel/segment groups whose deciding row has none.
    `groups` is the number of channel/segment groups (0 when no stock was asked for).
    """

    rows: int
    groups: int
    sums: Mapping[str, Number | None]
    missing: Mapping[str, int]

    def __add__(self, other: Aggregate) -> Aggregate:
        """Two disjoint sets of channel/segment groups taken together (a breakdown's total)."""
        sums = {name: _add(value, other.sums[name]) for name, value in self.sums.items()}
        missing = {name: count + other.missing[name] for name, count in self.missing.items()}
        return Aggregate(self.rows + other.rows, self.groups + other.groups, sums, missing)

    @staticmethod
    def empty(columns: Iterable[str]) -> Aggregate:
        names = tuple(columns)
        return Aggregate(0, 0, dict.fromkeys(names), dict.fromkeys(names, 0))


def _add(left: Number | None, right: Number | None) -> Number | None:
    if left is None:
        return right
    if right is None:
        return left
    return left + right


def ranges_overlap(periods: Sequence[Period]) -> bool:
    ordered = sorted(periods, key=lambda period: period.start)
    return any(later.start <= earlier.end for earlier, later in pairwise(ordered))


def aggregate(
    engine: Engine,
    columns: Iterable[str],
    buckets: Sequence[Period],
    filters: Filters,
    by: Dimension | None = None,
) -> dict[GroupKey, Aggregate]:
    """Aggregates of `columns` per (bucket, group); buckets must not overlap."""
    names = tuple(dict.fromkeys(columns))
    statement = _statement(names, buckets, filters, by)
    with engine.connect() as connection:
        result = connection.execute(statement).all()
    return {(row[0], row[1]): _aggregate_of(names, row[2:]) for row in result}


def _is_stock(name: str) -> bool:
    return measure(name).kind is ColumnKind.STOCK


def _statement(
    names: tuple[str, ...], buckets: Sequence[Period], filters: Filters, by: Dimension | None
) -> Select[Any]:
    source = _rows(names, buckets, filters).subquery("question_rows")
    group = source.c[by.value] if by is not None else null().label("grp")
    stocks = [name for name in names if _is_stock(name)]
    measures: list[ColumnElement[Any]] = [func.count()]
    measures.append(
        func.sum(_when(source.c[_FIRST_ROW] == 1, 1)) if stocks else literal_column("0")
    )
    for name in names:
        measures.extend(
            _stock_measures(source, name) if _is_stock(name) else _flow_measures(source, name)
        )
    grouping = [source.c[_BUCKET]] + ([group] if by is not None else [])
    return select(source.c[_BUCKET], group, *measures).group_by(*grouping)


def _rows(names: tuple[str, ...], buckets: Sequence[Period], filters: Filters) -> Select[Any]:
    """The question's rows with their bucket and, when stocks are needed, their ranks."""
    table = snapshots.c
    bucket = _bucket_of(buckets)
    selected: list[ColumnElement[Any]] = [bucket.label(_BUCKET), table.channel, table.segment]
    selected += [table[name] for name in names]
    if any(_is_stock(name) for name in names):
        partition = [bucket, table.channel, table.segment]
        earliest = [table.period_start.asc(), table.period_end.desc()]
        latest = [table.period_start.desc(), table.period_end.desc()]
        selected.append(
            func.row_number().over(partition_by=partition, order_by=earliest).label(_FIRST_ROW)
        )
        selected.append(
            func.row_number().over(partition_by=partition, order_by=latest).label(_LAST_ROW)
        )
    return select(*selected).where(_period_condition(buckets), *_filter_conditions(filters))


def _bucket_of(buckets: Sequence[Period]) -> ColumnElement[Any]:
    if len(buckets) == 1:
        return literal_column("0")
    start = snapshots.c.period_start
    return case(
        *((start.between(period.start, period.end), index) for index, period in enumerate(buckets))
    )


def _period_condition(buckets: Sequence[Period]) -> ColumnElement[bool]:
    start = snapshots.c.period_start
    return or_(*(start.between(low, high) for low, high in _merged_ranges(buckets)))


def _merged_ranges(buckets: Sequence[Period]) -> list[tuple[date, date]]:
    """Adjacent periods as one range, so a trend's condition is one BETWEEN."""
    merged: list[tuple[date, date]] = []
    for period in sorted(buckets, key=lambda bucket: bucket.start):
        if merged and (period.start - merged[-1][1]).days <= 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], period.end))
        else:
            merged.append((period.start, period.end))
    return merged


def _filter_conditions(filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.channel:
        conditions.append(snapshots.c.channel.in_(filters.channel))
    if filters.segment:
        conditions.append(snapshots.c.segment.in_(filters.segment))
    return conditions


def _when(condition: ColumnElement[bool], value: Any) -> ColumnElement[Any]:
    return case((condition, value))


def _flow_measures(source: Any, name: str) -> list[ColumnElement[Any]]:
    column = source.c[name]
    return [func.sum(column), func.count() - func.count(column)]


def _stock_measures(source: Any, name: str) -> list[ColumnElement[Any]]:
    column = source.c[name]
    rank = source.c[_FIRST_ROW] if name.endswith("_start") else source.c[_LAST_ROW]
    deciding = rank == 1
    return [
        func.sum(_when(deciding, column)),
        func.sum(_when(and_(deciding, column.is_(None)), 1)),
    ]


def _aggregate_of(names: tuple[str, ...], values: Sequence[Any]) -> Aggregate:
    rows, groups = int(values[0]), int(values[1] or 0)
    sums: dict[str, Number | None] = {}
    missing: dict[str, int] = {}
    for index, name in enumerate(names):
        total, lacking = values[2 + 2 * index], values[3 + 2 * index]
        sums[name] = _number(name, total)
        missing[name] = int(lacking or 0)
    return Aggregate(rows, groups, sums, missing)


def _number(name: str, value: Any) -> Number | None:
    """Drivers return Decimal for PostgreSQL's SUM(bigint): back to int or float."""
    if value is None:
        return None
    return int(value) if measure(name).value_type is ValueType.COUNT else float(value)
