"""The numpy-built binary COPY stream loads the same values as psycopg's row by row."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine, text

from storage._pg_copy import binary_copy_data
from tests.conftest import Store

COLUMNS = "period_start date, period_end date, channel text, visitors int8, spend float8"
TYPES = ["date", "date", "text", "int8", "float8"]


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period_start": pd.to_datetime(["2026-01-01", "1999-12-31", "2030-05-06"]),
            "period_end": pd.to_datetime(["2026-01-01", "NaT", "2000-01-01"]),
            "channel": ["paid", "über ünïcödé", None],
            "visitors": pd.array([1, None, 2**62], dtype="Int64"),
            "spend": [1.5, np.nan, -1e300],
        }
    )


def _loaded(engine: Engine, frame: pd.DataFrame, *, numpy_built: bool) -> list[Any]:
    with engine.connect() as connection:
        connection.execute(text(f"CREATE TEMPORARY TABLE copied ({COLUMNS})"))
        driver: Any = connection.connection.driver_connection
        with (
            driver.cursor() as cursor,
            cursor.copy("COPY copied FROM STDIN (FORMAT binary)") as copy,
        ):
            if numpy_built:
                copy.write(binary_copy_data(frame, list(frame.columns), TYPES))
            else:
                copy.set_types(TYPES)
                for row in frame.astype(object).where(frame.notna(), None).itertuples(index=False):
                    copy.write_row(row)
        return list(connection.execute(text("SELECT * FROM copied")))


@pytest.mark.parametrize("store", ["postgresql"], indirect=True)  # PostgreSQL's COPY format
def test_numpy_built_copy_loads_what_psycopg_loads(store: Store) -> None:
    full = _frame().dropna()
    # A column NULL in every row, the others all as wide as their slots.
    nulls = full.assign(visitors=pd.array([None] * len(full), dtype="Int64"))
    for frame in (_frame(), full, nulls, nulls.assign(spend=np.nan, channel=None)):
        numpy_built = _loaded(store.engine, frame, numpy_built=True)
        assert numpy_built == _loaded(store.engine, frame, numpy_built=False)
