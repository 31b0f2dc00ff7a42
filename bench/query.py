"""Benchmark of the metrics engine on a large store (docs/benchmarks.md, `## Query`).

    .venv/bin/python -m bench.query [--rows-dir DIR] [--repeat N] [--database-url URL]

Builds (once, cached in DIR) a SQLite store of 3 years of daily rows for 30 channels x 30
segments (~986k rows) and a small one (~10k rows), then measures in-process:
p50/p95 over 20 typical questions; the ratio to the floor (the same aggregation as one
hand-written SQL statement, over the rows and over the rollups); the ratio to a naive
pandas approach (load the period's rows, aggregate in Python); the growth from 10k to 1M rows.
`--database-url` measures another store (e.g. PostgreSQL) instead, filling it when it is empty.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine, func, select, text

from metrics.engine import answer
from metrics.periods import Grain, Period, month, quarter, year
from metrics.query import CompareKind, Comparison, Dimension, Filters, Intent, Query
from storage.engine import make_engine
from storage.models import snapshots
from testkit.snapshots import fill, pairs

__all__ = ["main"]

LARGE_PAIRS = (30, 30)
SMALL_PAIRS = (3, 3)


@dataclass(frozen=True)
class Question:
    name: str
    query: Query


def questions(latest: date) -> list[Question]:
    """Twenty questions people ask, relative to the end of the data."""
    last_month = month(latest.year, latest.month)
    last_quarter = quarter(latest.year, (latest.month - 1) // 3 + 1)
    this_year = year(latest.year)
    one_channel = Filters(channel=("channel_03",))
    one_segment = Filters(segment=("segment_07",))

    def metric(name: str, period: Period, **fields: Any) -> Question:
        return Question(name, Query(Intent.METRIC, period, fields.pop("metric", name), **fields))

    yoy = Comparison(CompareKind.YEAR_AGO)
    return [
        metric("cac", last_month),
        metric("cac last quarter", last_quarter, metric="cac"),
        metric("cac by channel", last_quarter, metric="cac", by=Dimension.CHANNEL),
        metric("mql_to_sql", last_month, filters=one_channel),
        metric("win_rate", last_quarter, by=Dimension.SEGMENT),
        metric("customer_churn_rate", this_year, filters=one_segment),
        metric("ltv_cac", last_quarter),
        metric("mrr", last_month),
        metric("arr", last_month, compare=yoy),
        metric("nrr", last_quarter),
        metric("net_new_mrr", last_month, by=Dimension.CHANNEL),
        metric("payback_months", last_quarter, filters=one_channel),
        metric("sales_velocity", last_month),
        metric("nps", last_quarter),
        metric("email_open_rate", last_month, compare=yoy),
        metric("leads", last_month, filters=Filters(channel=("channel_01", "channel_02"))),
        metric("mrr_growth_monthly", this_year),
        Question("funnel", Query(Intent.FUNNEL, last_month)),
        Question("trend leads weekly", Query(Intent.TREND, last_quarter, "leads")),
        Question(
            "trend mrr monthly",
            Query(Intent.TREND, this_year, "mrr", trend_grain=Grain.MONTH),
        ),
    ]


def _timed(action: Callable[[], object], repeat: int) -> list[float]:
    action()  # warm the caches and the statement cache
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


# The floor: the same aggregations written by hand as one statement each, in the fastest
# shape we know ("cac last quarter, compared with the quarter before"; "churn this year
# for one segment").
_FLOOR_CAC = """
SELECT bucket, SUM(row_count), SUM(spend_m), SUM(row_count) - SUM(known_m), SUM(spend_s),
       SUM(row_count) - SUM(known_s), SUM(won), SUM(row_count) - SUM(known_n)
FROM (SELECT CASE WHEN period_start BETWEEN :s0 AND :e0 THEN 0 ELSE 1 END AS bucket,
             COUNT(*) AS row_count,
             SUM(marketing_spend) AS spend_m, COUNT(marketing_spend) AS known_m,
             SUM(sales_spend) AS spend_s, COUNT(sales_spend) AS known_s,
             SUM(new_customers) AS won, COUNT(new_customers) AS known_n
      FROM snapshots WHERE period_start BETWEEN :s1 AND :e0 GROUP BY period_start) AS days
GROUP BY bucket
"""
_FLOOR_CHURN = """
WITH edges AS (
  SELECT channel, segment, MIN(period_start) AS first_start, MAX(period_start) AS last_start
  FROM snapshots WHERE period_start BETWEEN :s0 AND :e0 AND segment = :segment
  GROUP BY channel, segment)
SELECT (SELECT SUM(customers_churned) FROM snapshots
        WHERE period_start BETWEEN :s0 AND :e0 AND segment = :segment),
       SUM((SELECT customers_start FROM snapshots AS s WHERE s.channel = e.channel
            AND s.segment = e.segment AND s.period_start = e.first_start
            ORDER BY s.period_end DESC LIMIT 1)),
       SUM((SELECT customers_end FROM snapshots AS s WHERE s.channel = e.channel
            AND s.segment = e.segment AND s.period_start = e.last_start
            ORDER BY s.period_end DESC LIMIT 1))
FROM edges AS e
"""

# The same two aggregations by hand over the month rollups the engine reads (both
# questions cover whole months), in the engine's statement shape at its leanest.
_FLOOR_CAC_ROLLUPS = """
SELECT CASE WHEN bucket_start BETWEEN :s0 AND :e0 THEN 0 ELSE 1 END AS bucket,
       SUM(row_count), SUM(marketing_spend), SUM(row_count) - SUM(known_marketing_spend),
       SUM(sales_spend), SUM(row_count) - SUM(known_sales_spend),
       SUM(new_customers), SUM(row_count) - SUM(known_new_customers)
FROM snapshot_rollups WHERE grain = 'month' AND bucket_start BETWEEN :s1 AND :e0
GROUP BY CASE WHEN bucket_start BETWEEN :s0 AND :e0 THEN 0 ELSE 1 END
"""
_FLOOR_CHURN_ROLLUPS = """
SELECT SUM(churned), SUM(opening), SUM(closing)
FROM (SELECT SUM(customers_churned) AS churned, MAX(opening) AS opening,
             MAX(closing) AS closing
      FROM (SELECT channel, customers_churned,
                   FIRST_VALUE(customers_start) OVER w AS opening,
                   LAST_VALUE(customers_end) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING
                                                   AND UNBOUNDED FOLLOWING) AS closing
            FROM snapshot_rollups
            WHERE grain = 'month' AND bucket_start BETWEEN :s0 AND :e0 AND segment = :segment
            WINDOW w AS (PARTITION BY channel ORDER BY first_key)) AS pieces
      GROUP BY channel) AS cells
"""


def _floor(engine: Engine, sql: str, parameters: dict[str, Any]) -> Callable[[], object]:
    def run() -> object:
        with engine.connect() as connection:
            return connection.execute(text(sql), parameters).all()

    return run


def _pandas_cac(engine: Engine, period: Period, previous: Period) -> Callable[[], object]:
    """The naive way: load both periods' rows, aggregate in pandas."""

    def run() -> object:
        frame = pd.read_sql(
            select(
                snapshots.c.period_start,
                snapshots.c.marketing_spend,
                snapshots.c.sales_spend,
                snapshots.c.new_customers,
            ).where(snapshots.c.period_start.between(previous.start, period.end)),
            engine,
        )
        current = frame[frame["period_start"] >= period.start]
        return (current["marketing_spend"].sum() + current["sales_spend"].sum()) / current[
            "new_customers"
        ].sum()

    return run


def _report_questions(
    engine: Engine, latest: date, repeat: int
) -> tuple[list[float], dict[str, float]]:
    samples: list[float] = []
    medians: dict[str, float] = {}
    for question in questions(latest):
        timings = _timed(partial(answer, engine, question.query), repeat)
        samples += timings
        medians[question.name] = statistics.median(timings)
    return samples, medians


def _measure(engine: Engine, repeat: int) -> dict[str, Any]:
    with engine.connect() as connection:
        latest = connection.execute(select(func.max(snapshots.c.period_start))).scalar_one()
    samples, medians = _report_questions(engine, latest, repeat)
    last_quarter = quarter(latest.year, (latest.month - 1) // 3 + 1)
    previous = last_quarter.previous()
    cac_engine = statistics.median(
        _timed(lambda: answer(engine, Query(Intent.METRIC, last_quarter, "cac")), repeat)
    )
    cac_dates = {"s0": last_quarter.start, "e0": last_quarter.end, "s1": previous.start}
    cac_floor = statistics.median(_timed(_floor(engine, _FLOOR_CAC, cac_dates), repeat))
    cac_rollups = statistics.median(_timed(_floor(engine, _FLOOR_CAC_ROLLUPS, cac_dates), repeat))
    this_year = year(latest.year)
    churn_query = Query(
        Intent.METRIC,
        this_year,
        "customer_churn_rate",
        Filters(segment=("segment_07",)),
        compare=Comparison(CompareKind.NONE),
    )
    churn_engine = statistics.median(_timed(lambda: answer(engine, churn_query), repeat))
    churn_dates = {"s0": this_year.start, "e0": this_year.end, "segment": "segment_07"}
    churn_floor = statistics.median(_timed(_floor(engine, _FLOOR_CHURN, churn_dates), repeat))
    churn_rollups = statistics.median(
        _timed(_floor(engine, _FLOOR_CHURN_ROLLUPS, churn_dates), repeat)
    )
    pandas_cac = statistics.median(_timed(_pandas_cac(engine, last_quarter, previous), 3))
    return {
        "p50": statistics.median(samples),
        "p95": _percentile(samples, 0.95),
        "medians": medians,
        "cac_engine": cac_engine,
        "cac_floor": cac_floor,
        "cac_rollups": cac_rollups,
        "churn_engine": churn_engine,
        "churn_floor": churn_floor,
        "churn_rollups": churn_rollups,
        "pandas_cac": pandas_cac,
    }


_FLOORS = (("cac", "cac last quarter vs previous"), ("churn", "churn this year, one segment"))


def _print(label: str, rows: int, figures: dict[str, Any]) -> None:
    print(f"== {label}: {rows:,} rows")
    print(f"20 questions: p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms")
    for name, value in figures["medians"].items():
        print(f"  {name:<24} {value:8.1f} ms")
    for name, question in _FLOORS:
        spent, by_rows, by_rollups = (
            figures[f"{name}_{part}"] for part in ("engine", "floor", "rollups")
        )
        print(
            f"{question}: engine {spent:.1f} ms; by hand over rows {by_rows:.1f} ms "
            f"(x{spent / by_rows:.2f}), over rollups {by_rollups:.1f} ms "
            f"(x{spent / by_rollups:.2f})"
        )
    pandas = figures["pandas_cac"]
    print(f"cac, naive pandas: {pandas:.1f} ms (x{pandas / figures['cac_engine']:.1f} the engine)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rows-dir", type=Path, default=Path("/tmp/funnelbot-bench"))
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url", default=None)
    arguments = parser.parse_args()
    arguments.rows_dir.mkdir(parents=True, exist_ok=True)
    stores = {
        "small": (f"sqlite:///{arguments.rows_dir / 'small.db'}", SMALL_PAIRS),
        "large": (
            arguments.database_url or f"sqlite:///{arguments.rows_dir / 'large.db'}",
            LARGE_PAIRS,
        ),
    }
    for label, (url, shape) in stores.items():
        engine = make_engine(url)
        started = time.perf_counter()
        rows = fill(engine, pairs(*shape))
        print(f"{label} store ready in {time.perf_counter() - started:.0f} s ({url})")
        _print(f"{label} ({engine.dialect.name})", rows, _measure(engine, arguments.repeat))
        engine.dispose()


if __name__ == "__main__":
    main()
