"""The database side of a question: one grouped SELECT per question, never row loading.

`aggregate` sums the flow columns and picks the stock columns (metrics.md) for every
(bucket, group) of a question in a single statement. A bucket is one period of the
question (the period itself, the comparison period, or one point of a trend); a group
is one channel or segment when the question asks for a breakdown. docs/metrics.md and
docs/benchmarks.md explain the statement's shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Dialect,
    Engine,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
)

from metrics.periods import Period
from metrics.query import Dimension, Filters
from storage.columns import ColumnKind, ValueType, measure
from storage.models import snapshots

__all__ = ["Aggregate", "GroupKey", "aggregate", "ranges_overlap"]

Number = int | float

# (bucket index, group name or None when the question has no breakdown)
GroupKey = tuple[int, str | None]

# Column labels inside the statement.
_BUCKET = "bucket"
_GROUP = "grp"
_ROWS = "row_count"
_GROUPS = "group_count"
_KNOWN = "known"
_FIRST_START = "first_start"
_LAST_START = "last_start"
_PARTS = ("sum", "missing")


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
    with engine.connect() as connection:
        statement = _statement(names, buckets, filters, by, connection.dialect)
        if connection.dialect.name == "postgresql":
            # Group counts are hard to estimate; the inflated cost would trigger JIT
            # compilation, which takes longer than these short queries themselves.
            connection.execute(text("SET LOCAL jit = off"))
            # Edge keys are dates as text: ISO, whatever the server's default.
            connection.execute(text("SET LOCAL DateStyle = 'ISO'"))
        result = connection.execute(statement).all()
    return {(row[0], row[1]): _aggregate_of(names, row[2:]) for row in result}


def _is_stock(name: str) -> bool:
    return measure(name).kind is ColumnKind.STOCK


def _statement(
    names: tuple[str, ...],
    buckets: Sequence[Period],
    filters: Filters,
    by: Dimension | None,
    dialect: Dialect,
) -> Select[Any]:
    """Flow totals, joined (per bucket and group) to stock totals when stocks are needed."""
    flows = _flow_totals([n for n in names if not _is_stock(n)], buckets, filters, by)
    stock_names = [name for name in names if _is_stock(name)]
    if not stock_names:
        measures = [flows.c[_measure_label(name, part)] for name in names for part in _PARTS]
        return select(
            flows.c[_BUCKET], flows.c[_GROUP], flows.c[_ROWS], literal_column("0"), *measures
        )
    stocks = _stock_totals(stock_names, buckets, filters, by, dialect)
    same_cell = flows.c[_BUCKET] == stocks.c[_BUCKET]
    if by is not None:
        same_cell = and_(same_cell, flows.c[_GROUP] == stocks.c[_GROUP])
    measures = [
        (stocks if _is_stock(name) else flows).c[_measure_label(name, part)]
        for name in names
        for part in _PARTS
    ]
    return select(
        flows.c[_BUCKET], flows.c[_GROUP], flows.c[_ROWS], stocks.c[_GROUPS], *measures
    ).select_from(flows.join(stocks, same_cell))


def _measure_label(name: str, part: str) -> str:
    return f"{part}_{name}"


def _group_of(source: Any, by: Dimension | None) -> ColumnElement[Any]:
    return source.c[by.value] if by is not None else null()


def _flow_totals(
    names: list[str], buckets: Sequence[Period], filters: Filters, by: Dimension | None
) -> Any:
    """Flow sums and gaps per bucket and group, from per-day or per-row partial sums."""
    source = _flow_parts(names, buckets, filters, by)
    rows = func.sum(source.c[_ROWS])
    totals: list[ColumnElement[Any]] = [
        source.c[_BUCKET],
        _group_of(source, by).label(_GROUP),
        rows.label(_ROWS),
    ]
    for name in names:
        total = func.sum(source.c[_measure_label(name, "sum")])
        known = func.sum(source.c[_measure_label(name, _KNOWN)])
        totals.append(total.label(_measure_label(name, "sum")))
        totals.append((rows - known).label(_measure_label(name, "missing")))
    grouping = [source.c[_BUCKET]] + ([source.c[by.value]] if by is not None else [])
    return select(*totals).group_by(*grouping).subquery("flow_totals")


# Partial sums are taken per group of this prefix of the unique key index (period_start,
# period_end, channel, segment): grouping by it follows the index order, so they stream out
# without a sort and the bucket is computed once per partial sum. A segment breakdown
# would need the whole key, where plain rows are cheaper (None: no partial sums).
_KEY_PREFIX: dict[Dimension | None, tuple[str, ...] | None] = {
    None: ("period_start",),
    Dimension.CHANNEL: ("period_start", "period_end", "channel"),
    Dimension.SEGMENT: None,
}


def _flow_parts(
    names: list[str], buckets: Sequence[Period], filters: Filters, by: Dimension | None
) -> Any:
    """Partial sums per day (per day and channel for a channel breakdown), or rows."""
    table = snapshots.c
    prefix = _KEY_PREFIX[by]
    dimension = [table[by.value]] if by is not None else []
    row_count = func.count() if prefix is not None else literal_column("1")
    parts: list[ColumnElement[Any]] = [
        _bucket_of(buckets).label(_BUCKET),
        *dimension,
        row_count.label(_ROWS),
    ]
    for name in names:
        total, known = _partial(table[name], grouped=prefix is not None)
        parts.append(total.label(_measure_label(name, "sum")))
        parts.append(known.label(_measure_label(name, _KNOWN)))
    selected = select(*parts).where(_period_condition(buckets), *_filter_conditions(filters))
    if prefix is not None:
        selected = selected.group_by(*(table[name] for name in prefix))
    return selected.subquery("flow_parts")


def _partial(
    column: ColumnElement[Any], *, grouped: bool
) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """(sum, number of rows knowing it) of a column, for a group of rows or for one row."""
    if grouped:
        return func.sum(column), func.count(column)
    return column, case((column.is_(None), 0), else_=1)


def _stock_totals(
    names: list[str],
    buckets: Sequence[Period],
    filters: Filters,
    by: Dimension | None,
    dialect: Dialect,
) -> Any:
    """Stocks of each channel/segment group's deciding rows, summed per bucket and group.

    One `GROUP BY` finds every group's first and last row as text keys
    `period_start || period_end` (ISO dates sort as text, so MIN and MAX follow the
    (period_start, period_end) order); each stock is then read by one unique-key lookup
    (planners misjudge a join here on large tables, a lookup per group is predictable).
    """
    table = snapshots.c
    edge_key = cast(table.period_start, String) + cast(table.period_end, String)
    keyed = (
        select(
            _bucket_of(buckets).label(_BUCKET),
            table.channel,
            table.segment,
            edge_key.label("edge_key"),
        )
        .where(_period_condition(buckets), *_filter_conditions(filters))
        .subquery("keyed")
    )
    edges = (
        select(
            keyed.c[_BUCKET],
            keyed.c.channel,
            keyed.c.segment,
            func.min(keyed.c.edge_key).label(_FIRST_START),
            func.max(keyed.c.edge_key).label(_LAST_START),
        )
        .group_by(keyed.c[_BUCKET], keyed.c.channel, keyed.c.segment)
        .subquery("edges")
    )
    dimension = [edges.c[by.value]] if by is not None else []
    deciding = select(
        edges.c[_BUCKET],
        *dimension,
        *(_deciding_value(edges, name, dialect).label(name) for name in names),
    ).cte("deciding")
    if _can_materialize(dialect):
        # So that each lookup runs once, not once per reference below.
        deciding = deciding.prefix_with("MATERIALIZED")
    values: list[ColumnElement[Any]] = [func.count().label(_GROUPS)]
    for name in names:
        values.append(func.sum(deciding.c[name]).label(_measure_label(name, "sum")))
        missing = func.count() - func.count(deciding.c[name])
        values.append(missing.label(_measure_label(name, "missing")))
    grouping = [deciding.c[_BUCKET]] + ([deciding.c[by.value]] if by is not None else [])
    return (
        select(deciding.c[_BUCKET], _group_of(deciding, by).label(_GROUP), *values)
        .group_by(*grouping)
        .subquery("stock_totals")
    )


# The first versions that accept `WITH name AS MATERIALIZED (...)`. Older PostgreSQL always
# materializes a CTE; older SQLite may evaluate each lookup twice, which is only slower.
_MATERIALIZED_SINCE = {"sqlite": (3, 35), "postgresql": (12,)}


def _can_materialize(dialect: Dialect) -> bool:
    since = _MATERIALIZED_SINCE.get(dialect.name)
    version = dialect.server_version_info
    return since is not None and version is not None and tuple(version) >= since


def _edge_of(name: str) -> str:
    return _FIRST_START if name.endswith("_start") else _LAST_START


def _key_date(key: ColumnElement[Any], position: int, dialect: Dialect) -> ColumnElement[Any]:
    """One date out of an edge key. SQLite stores dates as ISO text already (and its
    CAST AS DATE would make a number of it); PostgreSQL needs a real date."""
    part = func.substr(key, position, 10)
    return part if dialect.name == "sqlite" else cast(part, Date)


def _deciding_value(edges: Any, name: str, dialect: Dialect) -> ColumnElement[Any]:
    """The stock in the row the group's edge key names (the key is unique per group)."""
    row = snapshots.alias(f"{name}_row")
    key = edges.c[_edge_of(name)]
    return (
        select(row.c[name])
        .where(
            row.c.period_start == _key_date(key, 1, dialect),
            row.c.period_end == _key_date(key, 11, dialect),
            row.c.channel == edges.c.channel,
            row.c.segment == edges.c.segment,
        )
        .scalar_subquery()
    )


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
