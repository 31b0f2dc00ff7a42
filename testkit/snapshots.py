"""A synthetic store for measuring and soaking: daily rows over three years for every
channel x segment pair, random but seeded, so every run builds the same store."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, func, insert, select, text

from storage.columns import MEASURE_COLUMNS
from storage.migrate import upgrade
from storage.models import snapshots
from storage.rollups import rebuild_rollups

__all__ = ["DAYS", "FIRST_DAY", "fill", "pairs", "snapshot_rows"]

FIRST_DAY = date(2024, 1, 1)
DAYS = 1096
BATCH = 20_000


def pairs(channels: int, segments: int) -> list[tuple[str, str]]:
    """`channels` x `segments` (channel, segment) names: channel_00, segment_00…"""
    return [
        (f"channel_{c:02d}", f"segment_{s:02d}") for c in range(channels) for s in range(segments)
    ]


def snapshot_rows(pairs: list[tuple[str, str]], seed: int = 7) -> Iterator[dict[str, Any]]:
    """One row a day from FIRST_DAY for DAYS days for each pair; stocks carried day to day."""
    randomizer = random.Random(seed)
    customers = {pair: randomizer.randint(50, 500) for pair in pairs}
    for offset in range(DAYS):
        day = FIRST_DAY + timedelta(days=offset)
        for pair in pairs:
            yield _row(randomizer, day, pair, customers)


def _row(
    randomizer: random.Random,
    day: date,
    pair: tuple[str, str],
    customers: dict[tuple[str, str], int],
) -> dict[str, Any]:
    values: dict[str, Any] = {column.name: randomizer.randint(0, 200) for column in MEASURE_COLUMNS}
    start = customers[pair]
    end = start + values["new_customers"] // 20 - values["customers_churned"] // 40
    customers[pair] = max(end, 1)
    values.update(
        customers_start=start,
        customers_end=customers[pair],
        mrr_start=start * 100.0,
        mrr_end=customers[pair] * 100.0,
    )
    return {
        "period_start": day,
        "period_end": day,
        "channel": pair[0],
        "segment": pair[1],
        **values,
    }


def fill(engine: Engine, pairs: list[tuple[str, str]]) -> int:
    """Write the rows in batches (executemany); returns how many the store holds."""
    upgrade(engine)
    with engine.connect() as connection:
        present = connection.execute(select(func.count()).select_from(snapshots)).scalar_one()
    if present:
        return int(present)
    batch: list[dict[str, Any]] = []
    with engine.begin() as connection:
        for item in snapshot_rows(pairs):
            batch.append(item)
            if len(batch) == BATCH:
                connection.execute(insert(snapshots), batch)
                batch = []
        if batch:
            connection.execute(insert(snapshots), batch)
        rebuild_rollups(connection)
        if engine.dialect.name == "postgresql":
            connection.execute(text("ANALYZE snapshots, snapshot_rollups"))
        else:
            connection.execute(text("ANALYZE"))
    return fill(engine, pairs)
