"""Week, month, quarter and year rollups of the snapshots, kept in step on every write.

A rollup row is a coarser snapshot: for one ISO week, calendar month, quarter or year (of
`period_start`), channel and segment, each flow is summed and `known_<flow>` counts the
rows that knew it; each stock is the value of the bucket's deciding row (docs/metrics.md: the
earliest row's `*_start`, the latest row's `*_end`, in (period_start, period_end) order),
whose edge keys `first_key` and `last_key` are kept too. Rollups and plain rows are
therefore both *pieces* that combine by the same rules, so the metrics engine can read a
period's whole weeks, months, quarters and years from here and only its ragged edges from
`snapshots` (docs/metrics.md). Weeks and months are built from the rows, quarters and years from the
months.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    ColumnElement,
    Connection,
    Date,
    Integer,
    MetaData,
    Select,
    String,
    Subquery,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    literal,
    literal_column,
    null,
    select,
    text,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from storage.columns import MEASURE_COLUMNS, ColumnKind
from storage.tables import known_count, snapshot_rollups, snapshots

__all__ = [
    "BUCKET",
    "EDGE_END_DIGITS",
    "FLOWS",
    "PIECE_KEYS",
    "ROW_COUNT",
    "STOCKS",
    "Cover",
    "RollupGrain",
    "StagedRows",
    "buckets_of",
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
EDGE_KEY_LENGTH = 20  # two ISO dates: see _EdgeKey


class RollupGrain(StrEnum):
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"

    @property
    def from_months(self) -> bool:
        """Built from the month rollups rather than from the rows (months nest in it)."""
        return self in (RollupGrain.QUARTER, RollupGrain.YEAR)

    def start_of(self, day: date) -> date:
        """The first day of the bucket holding `day`."""
        if self is RollupGrain.WEEK:
            return day - timedelta(days=day.weekday())
        if self is RollupGrain.MONTH:
            return day.replace(day=1)
        if self is RollupGrain.QUARTER:
            return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
        return date(day.year, 1, 1)

    def end_of(self, start: date) -> date:
        """The last day of the bucket starting on `start`."""
        if self is RollupGrain.WEEK:
            return start + timedelta(days=6)
        if self is RollupGrain.YEAR:
            return date(start.year, 12, 31)
        months = 3 if self is RollupGrain.QUARTER else 1
        following = date(
            start.year + (start.month + months - 1) // 12, (start.month + months - 1) % 12 + 1, 1
        )
        return following - timedelta(days=1)


# Largest first: a bucket is covered by the coarsest rollups that fit in it.
_WHOLE_GRAINS = (RollupGrain.YEAR, RollupGrain.QUARTER, RollupGrain.MONTH)


class _BucketStart(FunctionElement[date]):
    """The first day of the bucket holding a date, in the database (one subclass per
    grain, so that the grain is part of SQLAlchemy's statement cache key)."""

    type = Date()
    inherit_cache = True
    grain: RollupGrain


class _WeekStart(_BucketStart):
    inherit_cache = True
    grain = RollupGrain.WEEK


class _MonthStart(_BucketStart):
    inherit_cache = True
    grain = RollupGrain.MONTH


class _QuarterStart(_BucketStart):
    inherit_cache = True
    grain = RollupGrain.QUARTER


class _YearStart(_BucketStart):
    inherit_cache = True
    grain = RollupGrain.YEAR


_BUCKET_STARTS: dict[RollupGrain, type[_BucketStart]] = {
    kind.grain: kind for kind in (_WeekStart, _MonthStart, _QuarterStart, _YearStart)
}

_SQLITE_BUCKET_STARTS = {
    RollupGrain.WEEK: "date({day}, '-6 days', 'weekday 1')",
    RollupGrain.MONTH: "date({day}, 'start of month')",
    RollupGrain.QUARTER: (
        "date({day}, 'start of month', "
        "printf('-%d months', (CAST(strftime('%m', {day}) AS INTEGER) - 1) % 3))"
    ),
    RollupGrain.YEAR: "date({day}, 'start of year')",
}


@compiles(_BucketStart, "sqlite")
def _bucket_start_sqlite(element: _BucketStart, compiler: SQLCompiler, **kw: Any) -> str:
    day = compiler.process(element.clauses, **kw)
    return _SQLITE_BUCKET_STARTS[element.grain].format(day=day)


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


class _EdgeNumber(FunctionElement[Any]):
    """The edge key as a number that sorts like it, for grouping many rows (PostgreSQL
    groups a million rows' numbers in a fraction of the time of their `to_char` text):
    the days since 0001-01-01 of `period_start`, then of `period_end` in the last seven
    digits. SQLite's edge key is cheap text already, and stays it."""

    inherit_cache = True


@compiles(_EdgeNumber, "sqlite")
def _edge_number_sqlite(element: _EdgeNumber, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"({start} || {end})"


@compiles(_EdgeNumber, "postgresql")
def _edge_number_postgresql(element: _EdgeNumber, compiler: SQLCompiler, **kw: Any) -> str:
    start, end = (compiler.process(clause, **kw) for clause in element.clauses)
    return f"(CAST({start} - {_DAY_ZERO} AS BIGINT) * {EDGE_END_DIGITS} + ({end} - {_DAY_ZERO}))"


class _EdgeKeyOf(FunctionElement[str]):
    """The edge key (text) of an `_EdgeNumber`."""

    type = String()
    inherit_cache = True


@compiles(_EdgeKeyOf, "sqlite")
def _edge_key_of_sqlite(element: _EdgeKeyOf, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(element.clauses, **kw)


@compiles(_EdgeKeyOf, "postgresql")
def _edge_key_of_postgresql(element: _EdgeKeyOf, compiler: SQLCompiler, **kw: Any) -> str:
    number = compiler.process(element.clauses, **kw)
    start = f"({_DAY_ZERO} + CAST({number} / {EDGE_END_DIGITS} AS INTEGER))"
    end = f"({_DAY_ZERO} + CAST(mod({number}, {EDGE_END_DIGITS}) AS INTEGER))"
    return f"(to_char({start}, 'YYYY-MM-DD') || to_char({end}, 'YYYY-MM-DD'))"


_DAY_ZERO = "DATE '0001-01-01'"
# An edge number is start_days * EDGE_END_DIGITS + end_days (days since 0001-01-01); more
# than the days from 0001-01-01 to 9999-12-31.
EDGE_END_DIGITS = 10_000_000


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
    edges = (literal_column("1", Integer), key, key)
    return _pieces_of(
        snapshots, bucket=bucket, edges=edges, knows=_row_knows, flows=flows, stocks=stocks
    ).where(*conditions)


def _row_knows(flow: str) -> ColumnElement[int]:
    return case((snapshots.c[flow].is_(None), 0), else_=1)


def _rollup_knows(flow: str) -> ColumnElement[int]:
    return snapshot_rollups.c[known_count(flow)]


def rollup_pieces(
    bucket: ColumnElement[Any],
    conditions: Sequence[ColumnElement[bool]],
    flows: Sequence[str],
    stocks: Sequence[str],
) -> Select[Any]:
    """Rollup rows as pieces, with the same columns as `row_pieces`."""
    table = snapshot_rollups.c
    edges = (table.row_count, table.first_key, table.last_key)
    return _pieces_of(
        snapshot_rollups,
        bucket=bucket,
        edges=edges,
        knows=_rollup_knows,
        flows=flows,
        stocks=stocks,
    ).where(*conditions)


def _pieces_of(
    source: Table,
    *,
    bucket: ColumnElement[Any],
    edges: tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]],
    knows: Callable[[str], ColumnElement[Any]],
    flows: Sequence[str],
    stocks: Sequence[str],
) -> Select[Any]:
    """The piece columns: bucket, group, (row count, first key, last key), each flow with
    the count of rows knowing it (`knows(flow)`), each stock."""
    row_count, first_key, last_key = edges
    return select(
        bucket.label(BUCKET),
        source.c.channel,
        source.c.segment,
        row_count.label(ROW_COUNT),
        first_key.label(FIRST_KEY),
        last_key.label(LAST_KEY),
        *(source.c[name] for name in flows),
        *(knows(name).label(known_count(name)) for name in flows),
        *(source.c[name] for name in stocks),
    )


def collapse(
    pieces: Subquery,
    flows: Sequence[str],
    stocks: Sequence[str],
    dialect: str,
    *,
    keys: bool = True,
) -> Select[Any]:
    """Pieces combined per (bucket, channel, segment): flows summed, stocks from the
    deciding piece (the one with the first or the last edge key), and with `keys` the
    cell's first and last edge keys. On SQLite the deciding value comes out of the grouping
    itself (`_DecidingStock`), whose sort is the only one; elsewhere out of window
    functions over the cell."""
    windowed = bool(stocks) and dialect != "sqlite"
    source = _with_deciding_stocks(pieces, stocks) if windowed else pieces
    cell = (source.c[BUCKET], source.c.channel, source.c.segment)
    if windowed:  # every piece of a cell carries the same deciding value: MAX picks it
        deciding = [func.max(source.c[name]).label(name) for name in stocks]
    else:
        deciding = [_deciding_stock(source, name).label(name) for name in stocks]
    return select(
        *cell,
        func.sum(source.c[ROW_COUNT]).label(ROW_COUNT),
        *(_cell_keys(source) if keys else ()),
        *(func.sum(source.c[name]).label(name) for name in flows),
        *(func.sum(source.c[known_count(name)]).label(known_count(name)) for name in flows),
        *deciding,
    ).group_by(*cell)


def _cell_keys(source: Subquery) -> tuple[ColumnElement[str], ColumnElement[str]]:
    return (
        func.min(source.c[FIRST_KEY]).label(FIRST_KEY),
        func.max(source.c[LAST_KEY]).label(LAST_KEY),
    )


class _DecidingStock(FunctionElement[Any]):
    """SQLite: the value of `stock` in the piece of its group with the first (`opens`)
    or the last first key. The value is appended to the key as `quote()` text (exact for
    integers and doubles, 'NULL' for NULL), the MIN or MAX of those picks the piece, and
    the text after the key is cast back to the column's kind."""

    inherit_cache = True

    def __init__(self, key: ColumnElement[str], stock: ColumnElement[Any]) -> None:
        super().__init__(key, stock)
        self.type = stock.type


class _OpeningStock(_DecidingStock):
    inherit_cache = True


class _ClosingStock(_DecidingStock):
    inherit_cache = True


def _deciding_stock(pieces: Subquery, stock: str) -> _DecidingStock:
    kind = _OpeningStock if _opens_period(stock) else _ClosingStock
    return kind(pieces.c[FIRST_KEY], pieces.c[stock])


@compiles(_DecidingStock, "sqlite")
def _deciding_stock_sqlite(element: _DecidingStock, compiler: SQLCompiler, **kw: Any) -> str:
    key, stock = (compiler.process(clause, **kw) for clause in element.clauses)
    edge = "min" if isinstance(element, _OpeningStock) else "max"
    kind = "NUMERIC" if isinstance(element.type, Integer) else "REAL"
    picked = f"substr({edge}({key} || quote({stock})), {EDGE_KEY_LENGTH + 1})"
    return f"CAST(nullif({picked}, 'NULL') AS {kind})"


def _with_deciding_stocks(pieces: Subquery, stocks: Sequence[str]) -> Subquery:
    # The pieces of a cell hold disjoint ranges of days, so one order serves both edges;
    # one frame (the whole cell) for both, so that the database sorts the pieces once.
    cell = (pieces.c[BUCKET], pieces.c.channel, pieces.c.segment)
    deciding = [
        (func.first_value if _opens_period(name) else func.last_value)(pieces.c[name])
        .over(partition_by=cell, order_by=pieces.c[FIRST_KEY], rows=(None, None))
        .label(name)
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

    @property
    def one_rollup_bucket(self) -> bool:
        """Covered by a single week, month, quarter or year: one rollup row per channel
        and segment, so nothing to combine."""
        ranges = [run for runs in self.runs.values() for run in runs]
        return not self.days and len(ranges) == 1 and ranges[0][0] == ranges[0][1]


def cover(periods: Iterable[tuple[date, date]]) -> Cover:
    """Whole years, quarters or months where they fit, else whole ISO weeks not cutting
    into a month that fits, else single days; adjacent pieces of one kind merged."""
    found = Cover()
    for start, end in sorted(periods):
        day = start
        while day <= end:
            grain = _grain_at(day, end)
            if grain is None:
                _extend(found.days, day, None)
                day += timedelta(days=1)
                continue
            _extend(found.runs.setdefault(grain, []), day, grain)
            day = grain.end_of(day) + timedelta(days=1)
    return found


def _grain_at(day: date, end: date) -> RollupGrain | None:
    for grain in _WHOLE_GRAINS:
        if grain.start_of(day) == day and grain.end_of(day) <= end:
            return grain
    week_end = day + timedelta(days=6)
    if day.weekday() != 0 or week_end > end:
        return None
    month = RollupGrain.MONTH
    next_month = month.end_of(month.start_of(day)) + timedelta(days=1)
    if next_month <= week_end and month.end_of(next_month) <= end:
        return None  # the week would cut into a month that fits whole
    return RollupGrain.WEEK


def _extend(ranges: list[tuple[date, date]], start: date, grain: RollupGrain | None) -> None:
    """Add the bucket of `grain` (or the day) starting on `start` to ranges of starts,
    widening the last range when the bucket follows it."""
    if ranges:
        first, last = ranges[-1]
        last_day = grain.end_of(last) if grain is not None else last
        if last_day + timedelta(days=1) == start:
            ranges[-1] = (first, start)
            return
    ranges.append((start, start))


@dataclass(frozen=True, slots=True)
class StagedRows:
    """Rows just upserted into the snapshots, still in a table of their own without
    indexes (a writer's staging table, with the snapshots' column names).

    `flows` and `stocks` are the measures with a value in them (the others are NULL in
    every staged row), `complete` the flows with a value in every staged row; `rows_by_day`
    counts them by period_start. `as_stored` says their values are those of the stored
    rows, which holds unless a replaced row kept another writer's columns. A bucket whose
    stored rows are all staged ones is then rolled up from the staged rows, skipping the
    measures they lack. `alone` says no row was stored in the buckets holding them
    (`buckets_of`) before they were written: those buckets hold only them, uncounted.
    `fill_pieces`, when the writer grouped the rows itself as it staged them, fills the
    table of pieces (`PIECE_KEYS`, then the flows and the known counts of those not
    complete; edge keys as `_EdgeNumber` gives them) instead of a grouping of the staged
    table."""

    table: Table
    flows: tuple[str, ...]
    stocks: tuple[str, ...]
    complete: tuple[str, ...]
    rows_by_day: Mapping[date, int]
    as_stored: bool
    alone: bool = False
    fill_pieces: Callable[[Connection, Table], None] | None = None


@dataclass(frozen=True, slots=True)
class _Measures:
    """The measures a rollup statement computes; the others are NULL and known by no row.
    A `complete` flow is known by every row (its known count is the row count)."""

    flows: Sequence[str] = FLOWS
    stocks: Sequence[str] = STOCKS
    complete: Sequence[str] = ()

    @property
    def counted(self) -> list[str]:
        """The flows whose known count is counted (those not complete)."""
        return [name for name in self.flows if name not in self.complete]

    @property
    def lacking_flows(self) -> list[str]:
        return [name for name in FLOWS if name not in self.flows]

    @property
    def lacking_stocks(self) -> list[str]:
        return [name for name in STOCKS if name not in self.stocks]

    def lacking_columns(self) -> list[ColumnElement[Any]]:
        return [
            *(null() for _ in self.lacking_flows),
            *(literal_column("0", Integer) for _ in self.lacking_flows),
            *(null() for _ in self.lacking_stocks),
        ]

    def lacking_targets(self) -> list[str]:
        return [
            *self.lacking_flows,
            *(known_count(name) for name in self.lacking_flows),
            *self.lacking_stocks,
        ]


_ALL_MEASURES = _Measures()


def refresh_rollups(
    connection: Connection, days: Iterable[date], *, staged: StagedRows | None = None
) -> None:
    """Recompute every rollup bucket holding one of `days` (period_starts just written);
    from `staged` where they are all the bucket's rows."""
    touched = set(days)
    table = snapshot_rollups.c
    pieces = _StagedPieces(connection, staged) if staged is not None else None
    for grain in RollupGrain:  # months before the quarters and years made of them
        runs: list[tuple[date, date]] = []
        for start in sorted({grain.start_of(day) for day in touched}):
            _extend(runs, start, grain)
        for first, last in runs:
            span = (first, grain.end_of(last))
            connection.execute(
                delete(snapshot_rollups).where(
                    table.grain == grain.value, table.bucket_start.between(first, last)
                )
            )
            only_staged = staged is not None and _holds_only_staged(connection, staged, span)
            if grain.from_months:
                measures = _staged_measures(staged) if only_staged else _ALL_MEASURES
                _insert_from_months(connection, grain, span, measures)
            elif pieces is not None and only_staged:
                pieces.insert(grain, span)
            else:
                _insert_from_rows(connection, grain, span)
    if pieces is not None:
        pieces.drop()


class _StagedPieces:
    """The staged rows grouped once by (ISO week, month, channel, segment), made when a
    bucket is first rolled up from them: weeks and months are then each a grouping of
    these pieces rather than another pass over every row."""

    def __init__(self, connection: Connection, staged: StagedRows) -> None:
        self._connection = connection
        self._staged = staged
        self._measures = _staged_measures(staged)
        self._table: Table | None = None

    def insert(self, grain: RollupGrain, span: tuple[date, date]) -> None:
        """The rollups of `grain` (week or month) for the buckets within `span`."""
        pieces = self._made().c
        bucket = pieces[_piece_bucket(grain)]
        measures = self._measures
        grouped = (
            select(
                bucket.label(BUCKET),
                pieces.channel,
                pieces.segment,
                func.sum(pieces[ROW_COUNT]).label(ROW_COUNT),
                _EdgeKeyOf(func.min(pieces[FIRST_KEY])).label(FIRST_KEY),
                _EdgeKeyOf(func.max(pieces[LAST_KEY])).label(LAST_KEY),
                *(func.sum(pieces[name]).label(name) for name in measures.flows),
                *(
                    func.sum(pieces[known_count(name)]).label(known_count(name))
                    for name in measures.counted
                ),
            )
            .where(bucket.between(*span))
            .group_by(bucket, pieces.channel, pieces.segment)
            .subquery("grouped")
        )
        _insert_grouped(self._connection, grain, grouped, measures)

    def drop(self) -> None:
        if self._table is not None:
            self._table.drop(self._connection)

    def _made(self) -> Table:
        if self._table is not None:
            return self._table
        rows = self._staged.table.c
        measures = self._measures
        table = Table(
            _PIECES,
            MetaData(),
            Column(_piece_bucket(RollupGrain.WEEK), Date()),
            Column(_piece_bucket(RollupGrain.MONTH), Date()),
            Column("channel", String(100)),
            Column("segment", String(100)),
            Column(ROW_COUNT, Integer()),
            Column(FIRST_KEY, _EDGE_NUMBER),
            Column(LAST_KEY, _EDGE_NUMBER),
            *(Column(name, snapshots.c[name].type) for name in measures.flows),
            *(Column(known_count(name), Integer()) for name in measures.counted),
            prefixes=["TEMPORARY"],
        )
        week = _BUCKET_STARTS[RollupGrain.WEEK](rows.period_start)
        month = _BUCKET_STARTS[RollupGrain.MONTH](rows.period_start)
        key = _EdgeNumber(rows.period_start, rows.period_end)
        grouped = select(
            week,
            month,
            rows.channel,
            rows.segment,
            func.count(),
            func.min(key),
            func.max(key),
            *(func.sum(rows[name]) for name in measures.flows),
            *(func.count(rows[name]) for name in measures.counted),
        ).group_by(week, month, rows.channel, rows.segment)
        table.create(self._connection)
        if self._staged.fill_pieces is not None:
            self._staged.fill_pieces(self._connection, table)
        else:
            self._connection.execute(
                insert(table).from_select([column.name for column in table.c], grouped)
            )
        if self._connection.dialect.name == "postgresql":
            # Without statistics the planner guesses the pieces' groups far off.
            self._connection.execute(text(f"ANALYZE {_PIECES}"))
        self._table = table
        return table


_PIECES = "snapshot_import_pieces"
# The first columns of a piece: its week and month, group, row count and edge keys.
PIECE_KEYS = ("week_start", "month_start", "channel", "segment", ROW_COUNT, FIRST_KEY, LAST_KEY)
_EDGE_NUMBER = String(EDGE_KEY_LENGTH).with_variant(BigInteger(), "postgresql")


def _piece_bucket(grain: RollupGrain) -> str:
    return PIECE_KEYS[0] if grain is RollupGrain.WEEK else PIECE_KEYS[1]


def buckets_of(days: Iterable[date]) -> tuple[date, date] | None:
    """The days of every rollup bucket holding one of `days`, from the earliest bucket's
    first to the latest's last (years, and the ISO weeks that cross them)."""
    found = sorted(days)
    if not found:
        return None
    first = min(grain.start_of(found[0]) for grain in RollupGrain)
    last = max(grain.end_of(grain.start_of(found[-1])) for grain in RollupGrain)
    return first, last


def _staged_measures(staged: StagedRows | None) -> _Measures:
    if staged is None:
        return _ALL_MEASURES
    return _Measures(staged.flows, staged.stocks, staged.complete)


def _holds_only_staged(connection: Connection, staged: StagedRows, span: tuple[date, date]) -> bool:
    """The stored rows of `span` are the staged ones, as staged (staged keys are distinct
    and all stored, so equal counts mean the same rows)."""
    if staged.alone:
        return True
    if not staged.as_stored:
        return False
    first, last = span
    count = sum(rows for day, rows in staged.rows_by_day.items() if first <= day <= last)
    stored = connection.execute(
        select(func.count()).select_from(snapshots).where(snapshots.c.period_start.between(*span))
    ).scalar_one()
    return int(stored) == count


def rebuild_rollups(connection: Connection) -> None:
    """Recompute every rollup from the snapshots."""
    connection.execute(delete(snapshot_rollups))
    for grain in RollupGrain:
        if grain.from_months:
            _insert_from_months(connection, grain, None, _ALL_MEASURES)
        else:
            _insert_from_rows(connection, grain, None)


def _insert_from_months(
    connection: Connection,
    grain: RollupGrain,
    days: tuple[date, date] | None,
    measures: _Measures,
) -> None:
    """The rollups of `grain` for the buckets within `days` (all when None), combined from
    the month rollups: only `measures` (the others are NULL in every month)."""
    table = snapshot_rollups.c
    conditions = [table.grain == RollupGrain.MONTH.value]
    if days is not None:
        conditions.append(table.bucket_start.between(*days))
    bucket = _BUCKET_STARTS[grain](table.bucket_start)
    flows, stocks = measures.flows, measures.stocks
    pieces = rollup_pieces(bucket, conditions, flows, stocks).subquery("pieces")
    combined = collapse(pieces, flows, stocks, connection.dialect.name).subquery("combined")
    rows = select(literal(grain.value, String()), *combined.c, *measures.lacking_columns())
    names = [column.name for column in combined.c if column.name != BUCKET]
    targets = ["grain", "bucket_start", *names, *measures.lacking_targets()]
    connection.execute(insert(snapshot_rollups).from_select(targets, rows))


def _insert_from_rows(
    connection: Connection, grain: RollupGrain, days: tuple[date, date] | None
) -> None:
    """The rollups of `grain` for the buckets within `days` (all when None): one grouped
    pass over the snapshots, then each bucket's deciding rows looked up by key (on 1M rows
    six times faster than windows, which sort every row)."""
    table = snapshots.c
    conditions = [] if days is None else [table.period_start.between(*days)]
    bucket = _BUCKET_STARTS[grain](table.period_start)
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
    _insert_grouped(connection, grain, grouped, _ALL_MEASURES)


def _insert_grouped(
    connection: Connection, grain: RollupGrain, grouped: Subquery, measures: _Measures
) -> None:
    """Rollups of `grain` from `grouped` (bucket, group, edges, each flow of `measures` and
    the known count of those not complete), with each bucket's stocks from its deciding
    rows; the measures not in `measures` NULL and known by no row."""
    first, last = snapshots.alias("first_row"), snapshots.alias("last_row")
    joined: Any = grouped
    if any(_opens_period(name) for name in measures.stocks):
        joined = joined.join(first, _is_row(first, grouped, FIRST_KEY))
    if any(not _opens_period(name) for name in measures.stocks):
        joined = joined.join(last, _is_row(last, grouped, LAST_KEY))
    complete = [name for name in measures.flows if name in measures.complete]
    rows = select(
        literal(grain.value, String()),
        *grouped.c,
        *(grouped.c[ROW_COUNT] for _ in complete),
        *((first if _opens_period(name) else last).c[name] for name in measures.stocks),
        *measures.lacking_columns(),
    ).select_from(joined)
    names = [column.name for column in grouped.c if column.name != BUCKET]
    targets = [
        "grain",
        "bucket_start",
        *names,
        *(known_count(name) for name in complete),
        *measures.stocks,
        *measures.lacking_targets(),
    ]
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
