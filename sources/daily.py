"""Daily rows a source computed, written to the store under the source's name."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
from sqlalchemy import Connection

from storage._import_upsert import UpsertCounts, upsert_snapshots
from storage.columns import ALL_COLUMNS, ValueType, measure

__all__ = ["DayKey", "DayValues", "write_daily_rows"]

DayKey = tuple[date, str, str]  # (day, channel, segment)
DayValues = tuple[float | int | None, ...]  # one value a column, None clears the cell


def write_daily_rows(
    connection: Connection,
    rows: Mapping[DayKey, DayValues],
    columns: tuple[str, ...],
    *,
    owner: str,
) -> UpsertCounts:
    """Upsert one-day rows of `columns` as `owner` (other writers' columns are left alone)."""
    if not rows:
        return UpsertCounts(inserted=0, replaced=0)
    keys = sorted(rows)
    days = pd.to_datetime([key[0] for key in keys])
    data: dict[str, object] = {
        "period_start": days,
        "period_end": days,
        "channel": [key[1] for key in keys],
        "segment": [key[2] for key in keys],
    }
    for position, name in enumerate(columns):
        data[name] = [rows[key][position] for key in keys]
    frame = pd.DataFrame(data)
    for name in ALL_COLUMNS[4:]:
        is_count = measure(name).value_type is ValueType.COUNT
        if name not in frame:
            frame[name] = pd.NA if is_count else float("nan")
        frame[name] = frame[name].astype("Int64" if is_count else "float64")
    return upsert_snapshots(connection, [frame[list(ALL_COLUMNS)]], owner=owner)
