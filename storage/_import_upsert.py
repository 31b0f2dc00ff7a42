"""Upsert typed snapshot frames in the caller's transaction, counting inserted vs replaced.

Writers are serialised (SQLite `BEGIN IMMEDIATE`, a PostgreSQL table lock that readers
do not wait for), so the row count before and after is exact and two overlapping imports
cannot deadlock; the upsert itself is the dialect's native ON CONFLICT DO UPDATE.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import pandas as pd
from sqlalchemy import Column, Connection, MetaData, Table, func, select, text
from sqlalchemy.dialects import postgresql, sqlite

from storage.columns import ALL_COLUMNS, KEY_COLUMNS
from storage.models import snapshots

__all__ = ["UpsertCounts", "upsert_snapshots"]

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
    on_rows: Callable[[int], None] | None = None,
) -> UpsertCounts:
    """Upsert frames of ALL_COLUMNS (dates as datetime64, NULL as NA/NaN) on the row key.

    Call it first in a fresh transaction: on SQLite it opens the write transaction itself.
    """
    writer = _writer_for(connection)
    before = _row_count(connection)
    rows = 0
    for frame in frames:
        for offset in range(0, len(frame), WRITE_BATCH_ROWS):
            writer.add(frame.iloc[offset : offset + WRITE_BATCH_ROWS])
        rows += len(frame)
        if on_rows is not None:
            on_rows(rows)
    writer.finish()
    inserted = _row_count(connection) - before
    return UpsertCounts(inserted=inserted, replaced=rows - inserted)


def _writer_for(connection: Connection) -> _Writer:
    dialect = connection.dialect.name
    if dialect == "sqlite":
        return _SqliteWriter(connection)
    if dialect == "postgresql":
        return _PostgresWriter(connection)
    raise ValueError(f"snapshots can be imported into SQLite or PostgreSQL, not {dialect}")


def _row_count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(snapshots)).scalar_one())


class _SqliteWriter:
    """The compiled INSERT ... ON CONFLICT DO UPDATE, executemany'd with one batch per frame
    of plain tuples: SQLAlchemy's per-row parameter processing would dominate on big files."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        if not connection.connection.driver_connection.in_transaction:  # type: ignore[union-attr]
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        statement = sqlite.insert(snapshots)
        compiled = statement.on_conflict_do_update(
            index_elements=list(KEY_COLUMNS),
            set_={name: statement.excluded[name] for name in _MEASURE_NAMES},
        ).compile(dialect=connection.dialect, column_keys=list(ALL_COLUMNS))
        self._sql = str(compiled)
        self._order = list(compiled.positiontup or ())

    def add(self, frame: pd.DataFrame) -> None:
        if len(frame):
            columns = [_sqlite_values(frame[name]) for name in self._order]
            self._connection.exec_driver_sql(self._sql, list(zip(*columns, strict=True)))

    def finish(self) -> None:
        return None


def _sqlite_values(series: pd.Series) -> list[Any]:
    """Python values as SQLAlchemy stores them in SQLite (dates as ISO text), None for NULL."""
    if pd.api.types.is_datetime64_any_dtype(series):
        codes, days = pd.factorize(series)
        labels = pd.DatetimeIndex(days).strftime("%Y-%m-%d").to_numpy(dtype=object)
        return list(labels[codes])
    return series.astype(object).where(series.notna(), None).tolist()


def _csv_cells(series: pd.Series) -> list[str]:
    """COPY ... (FORMAT csv) cells, built with NumPy (pandas' to_csv is several times slower):
    an empty cell is NULL, numbers in their shortest exact form, text quoted."""
    if pd.api.types.is_datetime64_any_dtype(series) or series.dtype.kind not in "iuf":
        codes, uniques = pd.factorize(series)
        texts = [_csv_text(value) for value in uniques]
        return [texts[code] for code in codes]
    unknown = series.isna().to_numpy()
    if isinstance(series.dtype, pd.Int64Dtype) or series.dtype.kind in "iu":
        numbers = series.to_numpy(dtype=np.int64, na_value=0).astype(str)
    else:
        numbers = series.to_numpy(dtype=np.float64).astype(str)
    return list(np.where(unknown, "", numbers))


def _csv_text(value: object) -> str:
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return '"' + str(value).replace('"', '""') + '"'


class _PostgresWriter:
    """COPY every frame into a temporary table, then one INSERT ... SELECT ... ON CONFLICT."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        connection.execute(text("LOCK TABLE snapshots IN SHARE ROW EXCLUSIVE MODE"))
        column_list = ", ".join(ALL_COLUMNS)
        connection.execute(
            text(
                f"CREATE TEMPORARY TABLE {_STAGING} ON COMMIT DROP AS "
                f"SELECT {column_list} FROM snapshots WITH NO DATA"
            )
        )
        self._copy_sql = f"COPY {_STAGING} ({column_list}) FROM STDIN WITH (FORMAT csv)"

    def add(self, frame: pd.DataFrame) -> None:
        columns = [_csv_cells(frame[name]) for name in ALL_COLUMNS]
        lines = "".join(",".join(cells) + "\n" for cells in zip(*columns, strict=True))
        driver = self._connection.connection.driver_connection
        with driver.cursor() as cursor, cursor.copy(self._copy_sql) as copy:  # type: ignore[union-attr]
            copy.write(lines)

    def finish(self) -> None:
        staging = Table(
            _STAGING,
            MetaData(),
            *(Column(name, snapshots.c[name].type) for name in ALL_COLUMNS),
        )
        statement = postgresql.insert(snapshots).from_select(list(ALL_COLUMNS), select(*staging.c))
        self._connection.execute(
            statement.on_conflict_do_update(
                index_elements=list(KEY_COLUMNS),
                set_={name: statement.excluded[name] for name in _MEASURE_NAMES},
            )
        )
