"""Snapshot CSV files written for tests, and a look at what a store holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from storage.columns import ALL_COLUMNS
from storage.models import ImportBatch, snapshots

__all__ = ["HEADER", "batches", "row_count", "stored_rows", "write_csv"]

HEADER = "period_start,period_end,channel,segment,visitors,leads,mqls,sqls,marketing_spend"


def write_csv(
    path: Path, *lines: str, header: str = HEADER, prefix: str = "", newline: str = "\n"
) -> Path:
    """`header` and `lines` as a UTF-8 file; `prefix` goes before everything (e.g. a BOM)."""
    path.write_text(prefix + newline.join((header, *lines)) + newline, encoding="utf-8")
    return path


def stored_rows(engine: Engine) -> list[dict[str, Any]]:
    """Every snapshot (all data columns), in key order."""
    columns = [snapshots.c[name] for name in ALL_COLUMNS]
    with engine.connect() as connection:
        result = connection.execute(select(*columns).order_by(*columns[:4]))
        return [dict(row._mapping) for row in result]


def row_count(engine: Engine) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(snapshots)).scalar_one())


def batches(engine: Engine) -> list[ImportBatch]:
    with Session(engine) as session:
        return list(session.scalars(select(ImportBatch).order_by(ImportBatch.id)))
