"""`funnelbot export`: snapshots back to CSV as docs/data.md describes (round-trips with import)."""

from __future__ import annotations

import csv
from datetime import date
from typing import TextIO

from sqlalchemy import Engine, Select, select

from storage.columns import ALL_COLUMNS, KEY_COLUMNS
from storage.tables import snapshots

__all__ = ["export_csv"]

FETCH_ROWS = 10_000


def export_csv(
    engine: Engine, out: TextIO, *, start: date | None = None, end: date | None = None
) -> int:
    """Write the header and every row with start <= period_start <= end (each bound
    optional, as for a question's period) to `out`.

    NULL becomes an empty cell; numbers are written so that they read back identically.
    Returns the number of rows written.
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(ALL_COLUMNS)
    written = 0
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=FETCH_ROWS).execute(_rows(start, end))
        for partition in result.partitions():
            writer.writerows(partition)
            written += len(partition)
    return written


def _rows(start: date | None, end: date | None) -> Select[tuple[object, ...]]:
    statement = select(*(snapshots.c[name] for name in ALL_COLUMNS)).order_by(
        *(snapshots.c[name] for name in KEY_COLUMNS)
    )
    if start is not None:
        statement = statement.where(snapshots.c.period_start >= start)
    if end is not None:
        statement = statement.where(snapshots.c.period_start <= end)
    return statement
