"""Upsert typed snapshot frames in the caller's transaction, counting inserted vs replaced,
and refresh the rollups of the weeks and months written to.

Each writer (`csv`, or a source) updates only the columns no other writer owns
(storage/ownership.py): values for another's column are refused whole, and the columns it
does not own are left as they are in the rows it replaces.

The frames are first loaded into a temporary staging table without any index (only the
columns that have values: SQLite `executemany` of plain tuples, PostgreSQL binary `COPY`),
then written with ONE `INSERT … SELECT … ON CONFLICT DO UPDATE`, so the table's indexes are
maintained in the database's own loop rather than row by row from Python. The rollups of
the buckets written to are rebuilt from the staged rows when those are all the bucket holds
(storage/rollups.py, `StagedRows`), else from the table.

Writers are serialised (SQLite `BEGIN IMMEDIATE`, a PostgreSQL table lock that readers
do not wait for), so the row count before and after is exact and two overlapping imports
cannot deadlock.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import numpy as np
import pandas as pd
from psycopg.copy import QueuedLibpqWriter
from sqlalchemy import (
    Column,
    Connection,
    MetaData,
    Table,
    UniqueConstraint,
    func,
    select,
    text,
    true,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.schema import AddConstraint, CreateIndex, DropConstraint, DropIndex

from storage._pg_copy import COPY_HEADER, COPY_TRAILER, binary_copy_rows
from storage.columns import ALL_COLUMNS, KEY_COLUMNS, ValueType, measure
from storage.models import snapshots
from storage.ownership import CSV_OWNER, ColumnConflictError, claim_columns, column_owner_map
from storage.rollups import (
    EDGE_END_DIGITS,
    FLOWS,
    PIECE_KEYS,
    ROW_COUNT,
    STOCKS,
    StagedRows,
    buckets_of,
    refresh_rollups,
)
from storage.tables import known_count

__all__ = ["SnapshotWrite", "UpsertCounts", "begin_snapshot_write", "upsert_snapshots"]

_MEASURE_NAMES = tuple(name for name in ALL_COLUMNS if name not in KEY_COLUMNS)
_STAGING = "snapshot_import"
# Rows converted to Python values at once: bounds the memory of a write batch.
WRITE_BATCH_ROWS = 10_000
# SQLite's page cache while writing (KiB; its pages are only held once read).
WRITE_CACHE_KIB = 65_536
# PostgreSQL's work_mem while writing, and its maintenance_work_mem while building the
# indexes of a direct load (KiB; the server's memory, for one sort or hash at a time).
GROUPING_KIB = 262_144
# Blocks of COPY data the client may have ready before the server reads them (32 MiB).
QUEUED_BLOCKS = 256
INDEX_BUILD_KIB = 262_144


@dataclass(frozen=True, slots=True)
class UpsertCounts:
    inserted: int
    replaced: int


class _Staging(Protocol):
    def add(self, frame: pd.DataFrame, columns: Sequence[str]) -> None: ...

    def close(self) -> None:
        """Every added row is in the staging table."""

    def drop(self) -> None: ...

    def abort(self, error: BaseException) -> None:
        """Stop loading (the caller rolls back)."""


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
    with SnapshotWrite(connection, owner=owner) as write:
        for frame in frames:
            write.add(frame)
            if on_rows is not None:
                on_rows(write.rows)
        return write.finish()


class SnapshotWrite:
    """`upsert_snapshots` fed one frame at a time (`add`), then `finish`ed, so a caller can
    hand each frame over as soon as it has it: on PostgreSQL the rows stream to the server,
    which loads them while the caller prepares the next. Leaving the `with` block without
    `finish` stops the load; the caller then rolls back. ColumnConflictError is raised by
    `finish`, so that a caller's own findings about the frames come first."""

    def __init__(self, connection: Connection, *, owner: str = CSV_OWNER) -> None:
        begin_snapshot_write(connection)
        self._connection = connection
        self._owner = owner
        self._foreign = {
            column: other
            for column, other in column_owner_map(connection).items()
            if other != owner
        }
        postgresql = connection.dialect.name == "postgresql"
        self._direct = _PostgresDirect(connection) if postgresql and _is_empty(connection) else None
        self._staging: _Staging = self._direct or _staging_for(connection)
        self._pieces = _ClientPieces() if postgresql else None
        self._open = True
        self._conflict: ColumnConflictError | None = None
        self._rows_by_day: Counter[date] = Counter()
        self._filled: set[str] = set()
        self._gaps: set[str] = set()
        self.rows = 0

    def __enter__(self) -> SnapshotWrite:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if self._open:
            self._open = False
            self._staging.abort(error or _AbandonedError())

    def add(self, frame: pd.DataFrame) -> None:
        if self._conflict is not None:
            return
        try:
            present, gapped = _filled_columns(frame, self._foreign, self._owner)
        except ColumnConflictError as conflict:
            self._conflict = conflict
            return
        self._filled.update(present)
        self._gaps.update(gapped)
        columns = [*KEY_COLUMNS, *present]
        for offset in range(0, len(frame), WRITE_BATCH_ROWS):
            self._staging.add(frame.iloc[offset : offset + WRITE_BATCH_ROWS], columns)
        if self._pieces is not None:
            self._pieces.add(frame, present)
        self.rows += len(frame)
        self._rows_by_day.update(_rows_by_day(frame["period_start"]))

    def finish(self) -> UpsertCounts:
        if self._conflict is not None:
            raise self._conflict
        self._staging.close()
        self._open = False
        return self._merged()

    def _merged(self) -> UpsertCounts:
        connection, filled, rows = self._connection, self._filled, self.rows
        claim_columns(connection, self._owner, filled)
        if self._direct is not None:
            before, alone = 0, True
            self._direct.finish()
        else:
            before = _row_count(connection)
            alone = not _stored_within(connection, buckets_of(self._rows_by_day))
            written = [name for name in _MEASURE_NAMES if name in filled]
            updated = [name for name in _MEASURE_NAMES if name not in self._foreign]
            connection.execute(_merge(connection.dialect.name, written, updated))
        inserted = _row_count(connection) - before
        staged = StagedRows(
            table=snapshots if self._direct is not None else _staging_table(),
            flows=tuple(name for name in FLOWS if name in filled),
            stocks=tuple(name for name in STOCKS if name in filled),
            complete=tuple(name for name in FLOWS if name in filled and name not in self._gaps),
            rows_by_day=self._rows_by_day,
            # A replaced row keeps another writer's columns, which the staged rows lack.
            as_stored=inserted == rows or not self._foreign,
            alone=alone,
            fill_pieces=self._pieces.fill if self._pieces is not None else None,
        )
        refresh_rollups(connection, self._rows_by_day, staged=staged)
        self._staging.drop()
        return UpsertCounts(inserted=inserted, replaced=rows - inserted)


class _ClientPieces:
    """The rollup pieces (storage/rollups.py) of the rows as they are staged, grouped here
    chunk by chunk while the server loads them, rather than by the server from the staged
    table once they are all there (on PostgreSQL, whose COPY leaves it idle meanwhile). A
    week and month cut by two chunks gives two pieces, which its rollup sums like any. The
    known counts of a flow with a value in every row of its chunk are its row counts, kept
    as the flow's name alone."""

    def __init__(self) -> None:
        self._chunks: list[tuple[pd.DataFrame, frozenset[str]]] = []

    def add(self, frame: pd.DataFrame, present: Sequence[str]) -> None:
        starts = _day_numbers(frame["period_start"])
        ends = _day_numbers(frame["period_end"])
        edges = (starts + _DAY_ZERO) * EDGE_END_DIGITS + ends + _DAY_ZERO
        flows = [name for name in FLOWS if name in present]
        complete = frozenset(name for name in flows if not frame[name].hasnans)
        rows = pd.DataFrame(
            {
                PIECE_KEYS[0]: starts - (starts + 3) % 7,  # 1970-01-01 was a Thursday
                PIECE_KEYS[1]: _month_starts(frame["period_start"]),
                "channel": frame["channel"].to_numpy(),
                "segment": frame["segment"].to_numpy(),
                "edge": edges,
                **{name: frame[name] for name in flows},
            }
        )
        grouped = rows.groupby(list(PIECE_KEYS[:4]), sort=False)
        pieces = grouped["edge"].agg(["size", "min", "max"])
        pieces.columns = list(PIECE_KEYS[4:])
        sums = grouped[flows].sum(min_count=1)
        counted = [name for name in flows if name not in complete]
        known = grouped[counted].count().rename(columns=known_count)
        self._chunks.append((pd.concat([pieces, sums, known], axis=1).reset_index(), complete))

    def fill(self, connection: Connection, table: Table) -> None:
        columns = [column.name for column in table.c]
        stream = _CopyStream(connection, table.name, types=_piece_copy_type)
        known = {known_count(name): name for name in FLOWS if known_count(name) in columns}
        while self._chunks:
            found, complete = self._chunks.pop(0)
            pieces = found.reindex(columns=columns)
            for column, flow in known.items():
                # A flow the chunk lacks is known by none of its rows.
                counts = pieces[ROW_COUNT] if flow in complete else pieces[column].fillna(0)
                pieces[column] = counts
            stream.write(_with_days_as_dates(pieces), columns)
        stream.close()


_DAY_ZERO = 719_162  # days from 0001-01-01 to 1970-01-01, as in rollups._EdgeNumber


def _day_numbers(days: pd.Series) -> np.ndarray:
    return days.to_numpy(dtype="datetime64[D]").astype(np.int64)


def _month_starts(days: pd.Series) -> np.ndarray:
    months = days.to_numpy(dtype="datetime64[D]").astype("datetime64[M]")
    return months.astype("datetime64[D]").astype(np.int64)


def _with_days_as_dates(frame: pd.DataFrame) -> pd.DataFrame:
    for name in PIECE_KEYS[:2]:
        frame[name] = frame[name].to_numpy().astype("datetime64[D]")
    return frame


def _piece_copy_type(name: str) -> str:
    if name in PIECE_KEYS[:2]:
        return "date"
    if name in ("channel", "segment"):
        return "text"
    if name in PIECE_KEYS[5:]:
        return "int8"
    if name == PIECE_KEYS[4] or name.startswith("known_"):
        return "int4"
    return _binary_copy_type(name)


class _AbandonedError(Exception):
    """The write was left without `finish` (the reason a cut-off COPY gives the server)."""


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


def _filled_columns(
    frame: pd.DataFrame, foreign: dict[str, str], owner: str
) -> tuple[list[str], list[str]]:
    """The measure columns with a value in `frame`, and those of them with a NULL too;
    ColumnConflictError for another writer's column."""
    filled, gapped = [], []
    for name in _MEASURE_NAMES:
        nulls = int(frame[name].isna().sum())
        if nulls < len(frame):
            filled.append(name)
            if nulls:
                gapped.append(name)
    for name in filled:
        if name in foreign:
            raise ColumnConflictError(name, foreign[name], owner)
    return filled, gapped


def _rows_by_day(days: pd.Series) -> dict[date, int]:
    counts = days.value_counts(sort=False)
    return dict(zip(pd.DatetimeIndex(counts.index).date, counts.tolist(), strict=True))


def _stored_within(connection: Connection, days: tuple[date, date] | None) -> bool:
    """Whether a row is stored with its period_start within `days`."""
    if days is None:
        return False
    table = snapshots.c
    found = select(table.id).where(table.period_start.between(*days)).limit(1)
    return connection.execute(found).first() is not None


def _is_empty(connection: Connection) -> bool:
    return connection.execute(select(snapshots.c.id).limit(1)).first() is None


def _row_count(connection: Connection) -> int:
    return int(connection.execute(select(func.count()).select_from(snapshots)).scalar_one())


def _staging_table() -> Table:
    return Table(
        _STAGING, MetaData(), *(Column(name, snapshots.c[name].type) for name in ALL_COLUMNS)
    )


def _merge(dialect: str, written: Sequence[str], updated: Sequence[str]) -> Any:
    """INSERT … SELECT of the staged rows (keys and `written` columns) ON CONFLICT: replace
    the `updated` columns of an existing row (those not written become NULL), or keep it
    as it is when there are none. SQLite needs a WHERE before ON CONFLICT."""
    columns = [*KEY_COLUMNS, *written]
    staging = _staging_table()
    rows = select(*(staging.c[name] for name in columns)).where(true())
    dialect_insert = sqlite.insert if dialect == "sqlite" else postgresql.insert
    statement = dialect_insert(snapshots).from_select(columns, rows)
    if not updated:
        return statement.on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
    return statement.on_conflict_do_update(
        index_elements=list(KEY_COLUMNS),
        set_={name: statement.excluded[name] for name in updated},
    )


def _staging_for(connection: Connection) -> _Staging:
    if connection.dialect.name == "sqlite":
        return _SqliteStaging(connection)
    return _PostgresStaging(connection)


class _SqliteStaging:
    """A TEMP table without column types (values are stored as bound, with no affinity
    conversion) or index, filled by executemany of plain tuples."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        # The write maintains three indexes over the whole table: with SQLite's default
        # 2 MB page cache, most of its time went to re-reading their pages.
        self._cache_size = connection.exec_driver_sql("PRAGMA main.cache_size").scalar_one()
        connection.exec_driver_sql(f"PRAGMA main.cache_size = -{WRITE_CACHE_KIB}")
        connection.exec_driver_sql(f"DROP TABLE IF EXISTS temp.{_STAGING}")
        connection.exec_driver_sql(f"CREATE TEMP TABLE {_STAGING} ({', '.join(ALL_COLUMNS)})")
        self._statements: dict[tuple[str, ...], str] = {}

    def add(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        if not len(frame):
            return
        key = tuple(columns)
        sql = self._statements.get(key)
        if sql is None:
            marks = ", ".join("?" * len(columns))
            sql = f"INSERT INTO temp.{_STAGING} ({', '.join(columns)}) VALUES ({marks})"
            self._statements[key] = sql
        values = [_python_values(frame[name]) for name in columns]
        cursor = self._connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(sql, zip(*values, strict=True))
        finally:
            cursor.close()

    def close(self) -> None:
        """Every row was inserted by `add`."""

    def drop(self) -> None:
        self._connection.exec_driver_sql(f"DROP TABLE temp.{_STAGING}")
        self._restore_cache()

    def abort(self, error: BaseException) -> None:
        self._restore_cache()

    def _restore_cache(self) -> None:
        self._connection.exec_driver_sql(f"PRAGMA main.cache_size = {int(self._cache_size)}")


def _python_values(series: pd.Series) -> list[Any]:
    """The column as Python values, None for NULL; dates as the ISO text SQLAlchemy stores
    in SQLite, converted once per distinct day."""
    if pd.api.types.is_datetime64_any_dtype(series):
        codes, days = pd.factorize(series)
        index = pd.DatetimeIndex(days)
        labels = list(index.strftime("%Y-%m-%d"))
        return [labels[code] for code in codes]
    if not series.hasnans:
        if series.dtype.kind in "iuf" or isinstance(series.dtype, pd.Int64Dtype):
            return series.to_numpy(dtype=np.int64 if series.dtype.kind in "iu" else None).tolist()
        return series.tolist()
    return series.astype(object).where(series.notna(), None).tolist()


def _binary_copy_type(name: str) -> str:
    if name in ("period_start", "period_end"):
        return "date"
    if name in KEY_COLUMNS:
        return "text"
    return "int8" if measure(name).value_type is ValueType.COUNT else "float8"


def _set_grouping_memory(connection: Connection) -> None:
    """For this transaction: grouping the rows for the rollups hashes every (week, month,
    channel, segment), which spilled to disk in the default 4 MB (and still did in 64 MB),
    and parallel workers, each hashing its share, then merging, took twice as long on a
    million rows as one process."""
    connection.execute(text(f"SET LOCAL work_mem = '{GROUPING_KIB}kB'"))
    connection.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


class _PostgresStaging:
    """A temporary table filled by binary COPY, its stream built by numpy
    (storage/_pg_copy.py) rather than from Python values row by row."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        _set_grouping_memory(connection)
        connection.execute(text(f"DROP TABLE IF EXISTS pg_temp.{_STAGING}"))
        connection.execute(
            text(
                f"CREATE TEMPORARY TABLE {_STAGING} ON COMMIT DROP AS "
                f"SELECT {', '.join(ALL_COLUMNS)} FROM snapshots WITH NO DATA"
            )
        )

        self._stream = _CopyStream(connection, _STAGING)

    def add(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        self._stream.write(frame, columns)

    def close(self) -> None:
        self._stream.close()

    def drop(self) -> None:
        self._connection.execute(text(f"DROP TABLE pg_temp.{_STAGING}"))

    def abort(self, error: BaseException) -> None:
        self._stream.abort(error)


class _PostgresDirect:
    """Binary COPY straight into an empty `snapshots`, without its key, unique key and
    indexes, which are built once at the end (`finish`): no row can conflict, and building
    an index over a million rows costs a fraction of maintaining it row by row. Dropping
    them takes the table's ACCESS EXCLUSIVE lock, so readers of the empty store wait for the
    import's commit. A duplicate key fails when the unique key is built."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        _set_grouping_memory(connection)
        for index in snapshots.indexes:
            connection.execute(DropIndex(index))
        for constraint in _KEYS:
            connection.execute(DropConstraint(constraint))
        self._stream = _CopyStream(connection, snapshots.name)

    def add(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        self._stream.write(frame, columns)

    def close(self) -> None:
        self._stream.close()

    def abort(self, error: BaseException) -> None:
        self._stream.abort(error)

    def finish(self) -> None:
        connection = self._connection
        connection.execute(text(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_KIB}kB'"))
        for constraint in _KEYS:
            connection.execute(AddConstraint(constraint))
        for index in snapshots.indexes:
            connection.execute(CreateIndex(index))
        connection.execute(text(f"ANALYZE {snapshots.name}"))

    def drop(self) -> None:
        """Nothing to drop: the rows were loaded where they stay."""


_KEYS = (
    snapshots.primary_key,
    *(item for item in snapshots.constraints if isinstance(item, UniqueConstraint)),
)


class _QueuedWriter(QueuedLibpqWriter):
    """psycopg's writer thread, which sends the stream while the caller reads the next
    chunk, with at most QUEUED_BLOCKS blocks (of up to 128 KiB) waiting."""

    def __init__(self, cursor: Any) -> None:
        super().__init__(cursor)
        self._queue = type(self._queue)(maxsize=QUEUED_BLOCKS)  # psycopg's own kind


class _CopyStream:
    """One binary COPY into `table` held open across frames, so the server loads a frame
    while the caller reads the next; opened again with more columns when a frame fills
    one the open COPY lacks (the others are sent as NULL)."""

    def __init__(
        self, connection: Connection, table: str, *, types: Callable[[str], str] | None = None
    ) -> None:
        self._connection = connection
        self._table = table
        self._type_of = types or _binary_copy_type
        self._columns: list[str] = []
        self._stack = ExitStack()
        self._copy: Any = None

    def write(self, frame: pd.DataFrame, columns: Sequence[str]) -> None:
        if self._copy is None or not set(columns) <= set(self._columns):
            self.close()
            wanted = {*columns, *self._columns}
            order = dict.fromkeys((*ALL_COLUMNS, *columns))
            self._begin([name for name in order if name in wanted])
        types = [self._type_of(name) for name in self._columns]
        self._copy.write(binary_copy_rows(frame, self._columns, types))

    def close(self) -> None:
        if self._copy is not None:
            self._copy.write(COPY_TRAILER)
            self._copy = None
            self._stack.close()

    def abort(self, error: BaseException) -> None:
        if self._copy is not None:
            self._copy = None
            self._stack.__exit__(type(error), error, error.__traceback__)

    def _begin(self, columns: list[str]) -> None:
        copy_sql = f"COPY {self._table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT binary)"
        driver: Any = self._connection.connection.driver_connection
        self._stack = ExitStack()
        cursor = self._stack.enter_context(driver.cursor())
        writer = _QueuedWriter(cursor)
        self._copy = self._stack.enter_context(cursor.copy(copy_sql, writer=writer))
        self._copy.write(COPY_HEADER)
        self._columns = columns
