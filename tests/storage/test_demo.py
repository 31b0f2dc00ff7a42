"""The demo data: deterministic, consistent stocks, benchmark-like rates, the planted story."""

from __future__ import annotations

import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from storage.columns import ALL_COLUMNS
from storage.csv_import import validate_csv
from storage.demo import (
    DEMO_CHANNELS,
    DEMO_SEGMENTS,
    STORY_CHANNEL,
    demo_summary,
    generate_snapshots,
    load_demo,
    write_benchmark_csv,
)
from tests.conftest import Store
from tests.storage.csvs import batches, row_count

END = date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo() -> pd.DataFrame:
    return generate_snapshots(END)


def totals(frame: pd.DataFrame) -> pd.Series:
    return frame.drop(columns=["period_start", "period_end", "channel", "segment"]).sum()


def test_same_end_same_data_and_fast(demo: pd.DataFrame) -> None:
    started = time.process_time()  # CPU time: a loaded machine does not slow it, work does
    again = generate_snapshots(END)
    assert time.process_time() - started < 1.0
    pd.testing.assert_frame_equal(demo, again)
    assert not demo.equals(generate_snapshots(END, seed=8))


def test_shape_two_years_of_daily_rows_for_every_pair(demo: pd.DataFrame) -> None:
    assert list(demo.columns) == list(ALL_COLUMNS)
    assert demo["period_start"].min() == pd.Timestamp("2024-01-01")
    assert demo["period_start"].max() == pd.Timestamp(END)
    assert (demo["period_end"] == demo["period_start"]).all()
    assert set(demo["channel"]) == set(DEMO_CHANNELS) and len(DEMO_CHANNELS) >= 6
    assert set(demo["segment"]) == set(DEMO_SEGMENTS)
    days = (END - date(2024, 1, 1)).days + 1
    assert len(demo) == days * len(DEMO_CHANNELS) * len(DEMO_SEGMENTS)
    assert not demo.isna().any().any()


def test_stocks_carry_over_and_identities_hold(demo: pd.DataFrame) -> None:
    flows = demo["customers_start"] + demo["new_customers"] - demo["customers_churned"]
    assert (demo["customers_end"] == flows).all()
    mrr = (
        demo["mrr_start"]
        + demo["mrr_new"]
        + demo["mrr_expansion"]
        + demo["mrr_reactivation"]
        - demo["mrr_contraction"]
        - demo["mrr_churned"]
    )
    assert np.abs(demo["mrr_end"] - mrr).max() < 1e-6
    by_pair = demo.sort_values("period_start").groupby(["channel", "segment"])
    for column in ("customers", "mrr"):
        carried = by_pair[f"{column}_end"].shift() - demo[f"{column}_start"]
        assert np.abs(carried.dropna()).max() < 1e-6
    assert (demo["customers_end"] > 0).all() and (demo["mrr_end"] > 0).all()


def test_the_demo_file_passes_import_validation_without_warnings(
    demo: pd.DataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "demo.csv"
    demo.to_csv(path, index=False, date_format="%Y-%m-%d")
    report = validate_csv(path)
    assert report.ok and report.rows == len(demo)
    stage_warnings = [group for group in report.warnings if "larger than" not in group.kind]
    assert stage_warnings == []


def test_rates_sit_near_the_seed_benchmarks(demo: pd.DataFrame) -> None:
    year = demo[demo["period_start"].dt.year == 2025]
    total = totals(year)
    assert 0.01 <= total.leads / total.visitors <= 0.03
    assert 0.35 <= total.mqls / total.leads <= 0.45
    assert 0.30 <= total.sqls / total.mqls <= 0.45
    assert 0.20 <= total.deals_won / (total.deals_won + total.deals_lost) <= 0.30
    assert 0.15 <= total.trials_converted / total.trials_started <= 0.30
    cac = (total.marketing_spend + total.sales_spend) / total.new_customers
    assert 200 <= cac <= 1000
    first_day, last_day = year["period_start"].min(), year["period_start"].max()
    start_customers = year.loc[year["period_start"] == first_day, "customers_start"].sum()
    end_customers = year.loc[year["period_start"] == last_day, "customers_end"].sum()
    churn = total.customers_churned / ((start_customers + end_customers) / 2)
    assert 0.05 <= churn <= 0.12
    arpa = year.loc[year["period_start"] == last_day, "mrr_end"].sum() / end_customers
    assert 3 <= (arpa / (churn / 12)) / cac <= 5.5


def test_weekly_and_yearly_seasonality(demo: pd.DataFrame) -> None:
    visitors = demo.groupby("period_start")["visitors"].sum()
    day_of_week = pd.DatetimeIndex(visitors.index).day_of_week
    weekend = visitors[day_of_week >= 5].mean()
    weekday = visitors[day_of_week < 5].mean()
    assert weekend < 0.6 * weekday
    year = visitors["2025"]
    assert year.resample("MS").mean()["2025-12"].iloc[0] < year.resample("MS").mean().max()


def test_paid_search_mql_to_sql_halves_over_six_weeks_while_spend_rises(
    demo: pd.DataFrame,
) -> None:
    def window(channel: str, first: date, last: date) -> pd.Series:
        rows = demo[
            (demo["channel"] == channel)
            & (demo["period_start"] >= pd.Timestamp(first))
            & (demo["period_start"] <= pd.Timestamp(last))
        ]
        return totals(rows)

    last_week = (END - timedelta(days=6), END)
    before = (END - timedelta(days=7 * 12), END - timedelta(days=7 * 6))
    for channel in DEMO_CHANNELS:
        recent, earlier = window(channel, *last_week), window(channel, *before)
        rate_change = (recent.sqls / recent.mqls) / (earlier.sqls / earlier.mqls)
        spend_change = (recent.marketing_spend / 7) / (earlier.marketing_spend / 43)
        if channel == STORY_CHANNEL:
            assert rate_change < 0.7
            assert spend_change > 1.3
        else:
            assert 0.75 < rate_change < 1.3, channel


def test_load_demo_fills_an_empty_store_once(store: Store) -> None:
    counts = load_demo(store.engine, END)
    assert counts is not None and counts.replaced == 0
    assert load_demo(store.engine, END) is None
    assert row_count(store.engine) == counts.inserted
    (batch,) = batches(store.engine)
    assert batch.file_name.startswith("funnelbot demo") and batch.rows_inserted == counts.inserted
    summary = demo_summary(store.engine, END + timedelta(days=1))
    assert (summary.first_day, summary.last_day) == (date(2024, 1, 1), END)
    assert summary.channels == tuple(sorted(DEMO_CHANNELS))
    assert summary.last_month_start == date(2026, 10, 1)
    assert summary.last_month_new_customers is not None and summary.last_month_new_customers > 0
    assert summary.story is not None
    assert summary.story.sql_rate_after < 0.8 * summary.story.sql_rate_before
    assert summary.story.spend_after > summary.story.spend_before


def test_a_summary_of_an_empty_store(store: Store) -> None:
    summary = demo_summary(store.engine, END)
    assert (summary.rows, summary.first_day, summary.story) == (0, None, None)
    assert summary.last_month_new_customers is None


def test_benchmark_csv_has_the_rows_asked_for(tmp_path: Path) -> None:
    path = tmp_path / "bench.csv"
    assert write_benchmark_csv(path, 5_000) == 5_000
    report = validate_csv(path)
    assert report.ok and report.rows == 5_000
