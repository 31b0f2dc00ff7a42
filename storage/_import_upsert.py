"""Upsert typed snapshot frames in the caller's transaction, counting inserted vs replaced,
and refresh the rollups of the weeks and months written to.

Each writer (`csv`, or a source) updates only the columns no other writer owns
(storage/ownership.py): values for another's column are refused whole, and the columns it
does not own are left as they are in the rows it replaces.

Writers are serialised (SQLite `BEGIN IMMEDIATE`, a PostgreSQL table lock that readers
do not wait for), so the row count before and after is exact and two overlapping imports
cannot deadlock; the upsert itself is the dialect's native ON CONFLICT DO UPDATE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import pandas as pd
from sqlalchemy import Column, Connection, MetaData, Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from storage.columns import ALL_COLUMNS, KEY_COLUMNS, ValueType, measure
from storage.models import snapshots
from storage.ownership import CSV_OWNER, ColumnConflictError, claim_columns, column_owner_map
from storage.rollups import refresh_rollups

__all__ = ["UpsertCounts", "begin_snapshot_write", "upsert_snapshots"]

_MEASURE_NAMES = tuple(name for name in ALL_COLUMNS if name not in KEY_COLUMNS)
_STAGING = "snapshot_import"
# Rows converted to Python values at once: bounds the memory of a write batch.
WRITE_BATCH_ROWS = 10_000


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    inserted: int
    replaced: int


class _Writer(Protocol):
    def add(self, frame: pd.DataFrame) -> None: ...

    def finish(self) -> None: ...


def upsert_snapshots(
    connection: Connection,
    frames: Iterable[pd.DataFrame],
    *,
    owner: str = CSV_OWNER,
    on_rows: Callable[[int], None] | None = None,
) -> UpsertCounts:
    """Upsert frames of ALL_COLUMNS (dates as datetime64, NULL as NA/NaN) on the row key, as
    `owner`: the columns it fills become its own; ColumnConflictError for another's column.

    On SQLite, call it first in a fresh transaction or after `begin_snapshot_write`.
    """
    begin_snapshot_write(connection)
    foreign = {
        column: other for column, other in column_owner_map(connection).items() if other != owner
    }
    writer = _writer_for(connection, [name for name in _MEASURE_NAMES if name not in foreign])
    before = _row_count(connection)
    rows = 0
    days: set[date] = set()
    filled: set[str] = set()
    for frame in frames:
        filled.update(_filled_columns(frame, foreign, owner))
        for offset in range(0, len(frame), WRITE_BATCH_ROWS):
            writer.add(frame.iloc[offset : offset + WRITE_BATCH_ROWS])
        rows += len(frame)
        days.update(pd.DatetimeIndex(frame["period_start"].unique()).date)
        if on_rows is not None:
            on_rows(rows)
    writer.finish()
    claim_columns(connection, owner, filled)
    refresh_rollups(connection, days)
    inserted = _row_count(connection) - before
    return UpsertCounts(inserted=inserted, replaced=rows - inserted)


def begin_snapshot_write(connection: Connection) -> None:
    """Serialise writers of the snapshots for the rest of the transaction: SQLite's write
    transaction (`BEGIN IMMEDIATE`), a PostgreSQL table lock readers do not wait for."""
    dialect = connection.dialect.name
    if dialect == "sqlite":
        if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif dialect == "postgresql":
        connection.execute(text("LOCK TABLE snapshots IN SHARE ROW EXCLUSIVE MODE"))
    else:
        raise ValueError(f"snapshots can be imported into SQLite or PostgreSQL, not {dialect}")


def _filled_columns(frame: pd.DataFrame, foreign: dict[str, str], owner: str) -> list[str]:
    """The measure columns with a value in `frame`; ColumnConflictError for another's one."""
    filled = [name for name in _MEASURE_NAMES if bool(frame[name].notna().any())]
    for name in filled:
        if name in foreign:
            raise ColumnConflictError(name, foreign[name], owner)
    return filled


def _writer_for(connection: Connection, updated: Sequence[str]) -> _Writer:
    if connection.dialect.name == "sqlite":
        return _SqliteWriter(connection, updated)
    return _PostgresWriter(connection, updated)


def _on_conflict(statement: Any, updated: Sequence[str]) -> Any:
    """Replace the `updated` columns of an existing row (keep it as it is when none)."""
    if not updated:
        return statement.on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: statement.excluded[name] for name in updated},
    )


def _row_count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(snapshots)).scalar_one())


class _SqliteWriter:
    """The compiled INSERT ... ON CONFLICT DO UPDATE, executemany'd with one batch per frame
    of plain tuples: SQLAlchemy's per-row parameter processing would dominate on big files."""

    def __init__(self, connection: Connection, updated: Sequence[str]) -> None:
        self._connection = connection
        compiled = _on_conflict(sqlite.insert(snapshots), updated).compile(
            dialect=connection.dialect, column_keys=list(ALL_COLUMNS)
        )
        self._sql = str(compiled)
        self._order = list(compiled.positiontup or ())

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            columns = [_python_values(frame[name], iso_dates=True) for name in self._order]
            self._connection.exec_driver_sql(self._sql, list(zip(*columns, strict=True)))

    def finish(self) -> None:
        return None


def _python_values(series: pd.Series, *, iso_dates: bool = False) -> list[Any]:
    """The column as Python values, None for NULL; dates as `date`, or as the ISO text
    SQLAlchemy stores in SQLite with `iso_dates`. Dates are converted once per distinct day."""
    if pd.api.types.is_datetime64_any_dtype(series):
        codes, days = pd.factorize(series)
        index = pd.DatetimeIndex(days)
        labels = list(index.strftime("%Y-%m-%d")) if iso_dates else list(index.date)
        return [labels[code] for code in codes]
    return series.astype(object).where(series.notna(), None).tolist()


def _binary_copy_type(name: str) -> str:
    if name in ("period_start", "period_end"):
        return "date"
    if name in KEY_COLUMNS:
        return "text"
    return "int8" if measure(name).value_type is ValueType.COUNT else "float8"


class _PostgresWriter:
    """Binary COPY of every frame into a temporary table (psycopg dumps Python values in C,
    faster than building CSV text), then one INSERT ... SELECT ... ON CONFLICT."""

    def __init__(self, connection: Connection, updated: Sequence[str]) -> None:
        self._connection = connection
        self._updated = updated
        column_list = ", ".join(ALL_COLUMNS)
        connection.execute(
            text(
                f"CREATE TEMPORARY TABLE {_STAGING} ON COMMIT DROP AS "
                f"SELECT {column_list} FROM snapshots WITH NO DATA"
            )
        )
        self._copy_sql = f"COPY {_STAGING} ({column_list}) FROM STDIN WITH (FORMAT binary)"
        self._copy_types = [_binary_copy_type(name) for name in ALL_COLUMNS]

    def add(self, frame: pd.DataFrame) -> None:
        columns = [_python_values(frame[name]) for name in ALL_COLUMNS]
        driver = self._connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(self._copy_sql) as copy:  # type: ignore[union-attr]
            copy.set_types(self._copy_types)
            for row in zip(*columns, strict=True):
                copy.write_row(row)

    def finish(self) -> None:
        staging = Table(
            _STAGING,
            MetaData(),
            *(Column(name, snapshots.c[name].type) for name in ALL_COLUMNS),
        )
        statement = postgresql.insert(snapshots).from_select(list(ALL_COLUMNS), select(*staging.c))
        self._connection.execute(_on_conflict(statement, self._updated))
