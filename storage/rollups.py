"""Week and month rollups of the snapshots, kept in step with them on every write.

A rollup row is a coarser snapshot: for one ISO week or calendar month (of `period_start`),
channel and segment, each flow is summed and `known_<flow>` counts the rows that knew it;
each stock is the value of the bucket's deciding row (metrics.md: the earliest row's
`*_start`, the latest row's `*_end`, in (period_start, period_end) order), whose edge keys
`first_key` and `last_key` are kept too. Rollups and plain rows are therefore both
*pieces* that combine by the same rules, so the metrics engine can read a period's whole
weeks and months from here and only its ragged edges from `snapshots` (docs/metrics.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Date,
    Integer,
    Select,
    String,
    Subquery,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    select,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.columns import MEASURE_COLUMNS, ColumnKind
from storage.models import known_count, snapshot_rollups, snapshots

__all__ = [
    "BUCKET",
    "FLOWS",
    "ROW_COUNT",
    "STOCKS",
    "Cover",
    "RollupGrain",
    "collapse",
    "cover",
    "rebuild_rollups",
    "refresh_rollups",
    "rollup_pieces",
    "row_pieces",
]

FLOWS = tuple(column.name for column in MEASURE_COLUMNS if column.kind is ColumnKind.FLOW)
STOCKS = tuple(column.name for column in MEASURE_COLUMNS if column.kind is ColumnKind.STOCK)

BUCKET = "bucket"
ROW_COUNT = "row_count"
FIRST_KEY = "first_key"
LAST_KEY = "last_key"


class RollupGrain(StrEnum):
    WEEK = "week"
    MONTH = "month"

    def start_of(self, day: date) -> date:
        """The first day of the bucket holding `day`."""
        if self is RollupGrain.WEEK:
            return day - timedelta(days=day.weekday())
        return day.replace(day=1)

    def end_of(self, start: date) -> date:
        """The last day of the bucket starting on `start`."""
        if self is RollupGrain.WEEK:
            return start + timedelta(days=6)
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


class _BucketStart(FunctionElement[date]):
    """The first day of the week or month holding a date, in the database (one subclass
    per grain, so that the grain is part of SQLAlchemy's statement cache key)."""

    type = Date()
    inherit_cache = True
    grain: RollupGrain


class _WeekStart(_BucketStart):
    inherit_cache = True
    grain = RollupGrain.WEEK


class _MonthStart(_BucketStart):
    inherit_cache = True
    grain = RollupGrain.MONTH


def _bucket_start(grain: RollupGrain, day: ColumnElement[date]) -> _BucketStart:
    return _WeekStart(day) if grain is RollupGrain.WEEK else _MonthStart(day)


@compiles(_BucketStart, "sqlite")
def _bucket_start_sqlite(element: _BucketStart, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(element.clauses, **kw)
    if element.grain is RollupGrain.WEEK:
        return f"date({day}, '-6 days', 'weekday 1')"
    return f"date({day}, 'start of month')"


@compiles(_BucketStart, "postgresql")
def _bucket_start_postgresql(element: _BucketStart, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('{element.grain.value}', CAST({day} AS TIMESTAMP)) AS DATE)"


class _EdgeKey(FunctionElement[str]):
    """`period_start` and `period_end` as one ISO text that sorts like the pair."""

    type = String()
    inherit_cache = True


@compiles(_EdgeKey, "sqlite")
def _edge_key_sqlite(element: _EdgeKey, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({start} || {end})"  # SQLite keeps dates as ISO text already


@compiles(_EdgeKey, "postgresql")
def _edge_key_postgresql(element: _EdgeKey, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(to_char({start}, 'YYYY-MM-DD') || to_char({end}, 'YYYY-MM-DD'))"


class _KeyDate(FunctionElement[date]):
    """One of the two dates in an edge key, from its 1-based position (1 or 11)."""

    type = Date()
    inherit_cache = True


@compiles(_KeyDate, "sqlite")
def _key_date_sqlite(element: _KeyDate, compiler: SQLCompiler, **kw: Any) -> str:
    key, position = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"substr({key}, {position}, 10)"


@compiles(_KeyDate, "postgresql")
def _key_date_postgresql(element: _KeyDate, compiler: SQLCompiler, **kw: Any) -> str:
    key, position = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"CAST(substr({key}, {position}, 10) AS DATE)"


def _opens_period(stock: str) -> bool:
    return stock.endswith("_start")


def row_pieces(
    bucket: ColumnElement[Any],
    conditions: Sequence[ColumnElement[bool]],
    flows: Sequence[str],
    stocks: Sequence[str],
) -> Select[Any]:
    """Snapshot rows as pieces: each one a bucket of a single row."""
    table = snapshots.c
    key = _EdgeKey(table.period_start, table.period_end)
    return select(
        bucket.label(BUCKET),
        table.channel,
        table.segment,
        literal_column("1", Integer).label(ROW_COUNT),
        key.label(FIRST_KEY),
        key.label(LAST_KEY),
        *(table[name] for name in flows),
        *(case((table[name].is_(None), 0), else_=1).label(known_count(name)) for name in flows),
        *(table[name] for name in stocks),
    ).where(*conditions)


def rollup_pieces(
    bucket: ColumnElement[Any],
    conditions: Sequence[ColumnElement[bool]],
    flows: Sequence[str],
    stocks: Sequence[str],
) -> Select[Any]:
    """Rollup rows as pieces, with the same columns as `row_pieces`."""
    table = snapshot_rollups.c
    return select(
        bucket.label(BUCKET),
        table.channel,
        table.segment,
        table.row_count,
        table.first_key,
        table.last_key,
        *(table[name] for name in flows),
        *(table[known_count(name)] for name in flows),
        *(table[name] for name in stocks),
    ).where(*conditions)


def collapse(pieces: Subquery, flows: Sequence[str], stocks: Sequence[str]) -> Select[Any]:
    """Pieces combined per (bucket, channel, segment): flows summed, stocks from the
    deciding piece (the one with the first or the last edge key)."""
    source = _with_deciding_stocks(pieces, stocks) if stocks else pieces
    cell = (source.c[BUCKET], source.c.channel, source.c.segment)
    return select(
        *cell,
        func.sum(source.c[ROW_COUNT]).label(ROW_COUNT),
        *(func.sum(source.c[name]).label(name) for name in flows),
        *(func.sum(source.c[known_count(name)]).label(known_count(name)) for name in flows),
        # Every piece of a cell carries the same deciding value: MAX just picks it.
        *(func.max(source.c[name]).label(name) for name in stocks),
    ).group_by(*cell)


def _with_deciding_stocks(pieces: Subquery, stocks: Sequence[str]) -> Subquery:
    # The pieces of a cell hold disjoint ranges of days, so one order serves both edges.
    cell = (pieces.c[BUCKET], pieces.c.channel, pieces.c.segment)
    order = pieces.c[FIRST_KEY]
    deciding = [
        (
            func.first_value(pieces.c[name]).over(partition_by=cell, order_by=order)
            if _opens_period(name)
            else func.last_value(pieces.c[name]).over(
                partition_by=cell, order_by=order, rows=(None, None)
            )
        ).label(name)
        for name in stocks
    ]
    kept = [column for column in pieces.c if column.name not in stocks]
    return select(*kept, *deciding).subquery("deciding")


@dataclass(frozen=True, slots=True)
class Cover:
    """Which days of some periods to read as rows, and which whole buckets as rollups.

    `days` and each grain's `runs` are inclusive ranges (of days, of bucket starts)."""

    days: list[tuple[date, date]] = field(default_factory=list)
    runs: dict[RollupGrain, list[tuple[date, date]]] = field(default_factory=dict)


def cover(periods: Iterable[tuple[date, date]]) -> Cover:
    """Whole months where they fit, else whole ISO weeks not cutting into a month that
    fits, else single days; adjacent pieces of one kind merged into ranges."""
    found = Cover()
    for start, end in sorted(periods):
        day = start
        while day <= end:
            grain = _grain_at(day, end)
            if grain is None:
                _extend(found.days, day, day, timedelta(days=1))
                day += timedelta(days=1)
                continue
            runs = found.runs.setdefault(grain, [])
            _extend(runs, day, day, timedelta(days=7) if grain is RollupGrain.WEEK else None)
            day = grain.end_of(day) + timedelta(days=1)
    return found


def _grain_at(day: date, end: date) -> RollupGrain | None:
    month = RollupGrain.MONTH
    if day.day == 1 and month.end_of(day) <= end:
        return month
    week_end = day + timedelta(days=6)
    if day.weekday() != 0 or week_end > end:
        return None
    next_month = month.end_of(month.start_of(day)) + timedelta(days=1)
    if next_month <= week_end and month.end_of(next_month) <= end:
        return None  # the week would cut into a month that fits whole
    return RollupGrain.WEEK


def _extend(ranges: list[tuple[date, date]], low: date, high: date, step: timedelta | None) -> None:
    """Append [low, high], or widen the last range when `low` follows it (`step` apart,
    or for months the next first of a month)."""
    if ranges:
        previous_low, previous_high = ranges[-1]
        follows = (
            previous_high + step == low
            if step is not None
            else RollupGrain.MONTH.end_of(previous_high) + timedelta(days=1) == low
        )
        if follows:
            ranges[-1] = (previous_low, high)
            return
    ranges.append((low, high))


def refresh_rollups(connection: Connection, days: Iterable[date]) -> None:
    """Recompute every rollup bucket holding one of `days` (period_starts just written)."""
    touched = set(days)
    for grain in RollupGrain:
        starts = sorted({grain.start_of(day) for day in touched})
        runs: list[tuple[date, date]] = []
        for start in starts:
            _extend(runs, start, start, timedelta(days=7) if grain is RollupGrain.WEEK else None)
        for first, last in runs:
            table = snapshot_rollups.c
            connection.execute(
                delete(snapshot_rollups).where(
                    table.grain == grain.value, table.bucket_start.between(first, last)
                )
            )
            days_covered = snapshots.c.period_start.between(first, grain.end_of(last))
            _insert(connection, grain, [days_covered])


def rebuild_rollups(connection: Connection) -> None:
    """Recompute every rollup from the snapshots."""
    connection.execute(delete(snapshot_rollups))
    for grain in RollupGrain:
        _insert(connection, grain, [])


def _insert(
    connection: Connection, grain: RollupGrain, conditions: Sequence[ColumnElement[bool]]
) -> None:
    """One grouped pass over the rows, then each bucket's deciding rows looked up by key
    (on 1M rows six times faster than windows, which sort every row)."""
    table = snapshots.c
    bucket = _bucket_start(grain, table.period_start)
    key = _EdgeKey(table.period_start, table.period_end)
    grouped = (
        select(
            bucket.label(BUCKET),
            table.channel,
            table.segment,
            func.count().label(ROW_COUNT),
            func.min(key).label(FIRST_KEY),
            func.max(key).label(LAST_KEY),
            *(func.sum(table[name]).label(name) for name in FLOWS),
            *(func.count(table[name]).label(known_count(name)) for name in FLOWS),
        )
        .where(*conditions)
        .group_by(bucket, table.channel, table.segment)
        .subquery("grouped")
    )
    first, last = snapshots.alias("first_row"), snapshots.alias("last_row")
    rows = select(
        literal(grain.value, String()),
        *grouped.c,
        *((first if _opens_period(name) else last).c[name] for name in STOCKS),
    ).select_from(
        grouped.join(first, _is_row(first, grouped, FIRST_KEY)).join(
            last, _is_row(last, grouped, LAST_KEY)
        )
    )
    names = [column.name for column in grouped.c if column.name != BUCKET]
    targets = ["grain", "bucket_start", *names, *STOCKS]
    connection.execute(insert(snapshot_rollups).from_select(targets, rows))


def _is_row(row: Any, grouped: Subquery, key: str) -> ColumnElement[bool]:
    """`row` is the snapshot named by the edge key in column `key` of `grouped`."""
    edge = grouped.c[key]
    return and_(
        row.c.period_start == _KeyDate(edge, literal(1)),
        row.c.period_end == _KeyDate(edge, literal(11)),
        row.c.channel == grouped.c.channel,
        row.c.segment == grouped.c.segment,
    )
