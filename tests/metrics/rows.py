"""Tiny snapshot sets written straight into a test store."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, insert

from storage.models import snapshots
from storage.rollups import rebuild_rollups, refresh_rollups

__all__ = ["put", "replace_all", "row"]


def row(
    start: str,
    end: str | None = None,
    channel: str = "organic",
    segment: str = "smb",
    **values: Any,
) -> dict[str, Any]:
    """One snapshot; `end` defaults to `start` (a daily row)."""
    return {
        "period_start": date.fromisoformat(start),
        "period_end": date.fromisoformat(end or start),
        "channel": channel,
        "segment": segment,
        **values,
    }


def put(engine: Engine, rows: Iterable[Mapping[str, Any]]) -> None:
    """Insert rows, as every writer must, with their rollups; columns a row does not
    name are NULL (unknown)."""
    listed = [dict(item) for item in rows]
    columns = {name for item in listed for name in item}
    complete = [{name: item.get(name) for name in columns} for item in listed]
    with engine.begin() as connection:
        connection.execute(insert(snapshots), complete)
        refresh_rollups(connection, (item["period_start"] for item in listed))


def replace_all(engine: Engine, rows: Iterable[Mapping[str, Any]]) -> None:
    with engine.begin() as connection:
        connection.execute(delete(snapshots))
        rebuild_rollups(connection)
    listed = list(rows)
    if listed:
        put(engine, listed)
