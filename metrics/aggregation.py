"""The database side of a question: one grouped SELECT per question, never row loading.

`aggregate` sums the flow columns and picks the stock columns (docs/metrics.md) for every
(bucket, group) of a question in a single statement. A bucket is one period of the
question (the period itself, the comparison period, or one point of a trend); a group
is one channel or segment when the question asks for a breakdown. Whole weeks, months,
quarters and years are read from the rollups, only the rest from the snapshot rows
(storage/rollups.py); docs/metrics.md and docs/benchmarks.md explain the statement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import pairwise
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Select,
    Subquery,
    Table,
    case,
    func,
    literal_column,
    null,
    or_,
    select,
    text,
    union_all,
)

from metrics.periods import Period
from metrics.query import Dimension, Filters
from storage.columns import ValueType, measure
from storage.rollups import (
    BUCKET,
    FLOWS,
    ROW_COUNT,
    STOCKS,
    collapse,
    cover,
    rollup_pieces,
    row_pieces,
)
from storage.tables import known_count, snapshot_rollups, snapshots

__all__ = ["Aggregate", "GroupKey", "aggregate", "ranges_overlap"]

Number = int | float

# (bucket index, group name or None when the question has no breakdown)
GroupKey = tuple[int, str | None]
Span = tuple[date, date]  # a bucket's first and last day

STATEMENTS_KEPT = 64  # about 10-180 KB each


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
    spans = tuple((period.start, period.end) for period in buckets)
    statement = _statement(names, spans, filters, by, engine.dialect.name)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            # Group counts are hard to estimate; the inflated cost would trigger JIT
            # compilation, which takes longer than these short queries themselves.
            connection.execute(text("SET LOCAL jit = off"))
        result = connection.execute(statement).all()
    return {(row[0], row[1]): _aggregate_of(names, row[2:]) for row in result}


@lru_cache(maxsize=STATEMENTS_KEPT)
def _statement(
    names: tuple[str, ...],
    buckets: tuple[Span, ...],
    filters: Filters,
    by: Dimension | None,
    dialect: str,
) -> Select[Any]:
    """Totals per bucket and group over the pieces covering the buckets; when stocks are
    asked for, the pieces are first combined per channel/segment group (storage/rollups).
    Kept for the next same question: building it costs more than most of an answer's
    other Python work, and a statement object reused also keeps its SQLAlchemy cache key."""
    flows = [name for name in names if name in FLOWS]
    stocks = [name for name in names if name in STOCKS]
    pieces = _pieces(buckets, filters, flows, stocks)
    cells = pieces
    if stocks and not _one_piece_per_cell(buckets):
        cells = collapse(pieces, flows, stocks, dialect, keys=False).subquery("cells")
    rows = func.sum(cells.c[ROW_COUNT])
    groups = func.count() if stocks else literal_column("0")
    measures: list[ColumnElement[Any]] = []
    for name in names:
        if name in STOCKS:
            measures += [func.sum(cells.c[name]), func.count() - func.count(cells.c[name])]
        else:
            measures += [func.sum(cells.c[name]), rows - func.sum(cells.c[known_count(name)])]
    group = cells.c[by.value] if by is not None else null()
    grouping = [cells.c[BUCKET]] + ([cells.c[by.value]] if by is not None else [])
    return select(cells.c[BUCKET], group, rows, groups, *measures).group_by(*grouping)


def _one_piece_per_cell(buckets: Sequence[Span]) -> bool:
    """Each bucket is one whole rollup bucket (a month, a quarter): each of its
    (channel, segment) cells is a single piece, whose stocks are the cell's."""
    return all(cover([span]).one_rollup_bucket for span in buckets)


def _pieces(
    buckets: Sequence[Span], filters: Filters, flows: list[str], stocks: list[str]
) -> Subquery:
    """Snapshot rows for the ragged edges of the buckets, rollups for their whole weeks,
    months, quarters and years, as one relation of pieces."""
    plan = cover(buckets)
    parts = []
    if plan.days:
        start = snapshots.c.period_start
        condition = or_(*(start.between(low, high) for low, high in plan.days))
        conditions = [condition, *_filter_conditions(snapshots, filters)]
        parts.append(row_pieces(_bucket_of(buckets, start), conditions, flows, stocks))
    rollup = snapshot_rollups.c
    for grain, runs in plan.runs.items():
        within = or_(*(rollup.bucket_start.between(low, high) for low, high in runs))
        conditions = [rollup.grain == grain.value, within]
        conditions += _filter_conditions(snapshot_rollups, filters)
        bucket = _bucket_of(buckets, rollup.bucket_start)
        parts.append(rollup_pieces(bucket, conditions, flows, stocks))
    return (parts[0] if len(parts) == 1 else union_all(*parts)).subquery("pieces")


def _bucket_of(buckets: Sequence[Span], day: ColumnElement[date]) -> ColumnElement[Any]:
    if len(buckets) == 1:
        return literal_column("0")
    return case(*((day.between(start, end), index) for index, (start, end) in enumerate(buckets)))


def _filter_conditions(table: Table, filters: Filters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.channel:
        conditions.append(table.c.channel.in_(filters.channel))
    if filters.segment:
        conditions.append(table.c.segment.in_(filters.segment))
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
