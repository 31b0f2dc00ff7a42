"""Week and month rollups: which pieces cover a period, and rollups that stay in step."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, update

from metrics.aggregation import aggregate
from metrics.periods import between, month, quarter
from metrics.query import Filters
from storage.csv_import import import_csv
from storage.models import snapshot_rollups
from storage.rollups import Cover, RollupGrain, cover, rebuild_rollups
from tests.conftest import Store
from tests.metrics.rows import put, row
from tests.storage.csvs import write_csv

WEEK, MONTH, QUARTER, YEAR = RollupGrain


def _d(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        # A quarter: its rollup, no rows.
        ("2026-07-01", "2026-09-30", Cover([], {QUARTER: [(_d("2026-07-01"), _d("2026-07-01"))]})),
        # 2026 to 25 November: three quarters, October, then as "the last 90 days" below.
        (
            "2026-01-01",
            "2026-11-25",
            Cover(
                [(_d("2026-11-01"), _d("2026-11-01")), (_d("2026-11-23"), _d("2026-11-25"))],
                {
                    QUARTER: [(_d("2026-01-01"), _d("2026-07-01"))],
                    MONTH: [(_d("2026-10-01"), _d("2026-10-01"))],
                    WEEK: [(_d("2026-11-02"), _d("2026-11-16"))],
                },
            ),
        ),
        # Two whole years and a quarter.
        (
            "2024-01-01",
            "2026-03-31",
            Cover(
                [],
                {
                    YEAR: [(_d("2024-01-01"), _d("2025-01-01"))],
                    QUARTER: [(_d("2026-01-01"), _d("2026-01-01"))],
                },
            ),
        ),
        # An ISO week (Monday to Sunday) across a month's start: the week rollup.
        ("2026-09-28", "2026-10-04", Cover([], {WEEK: [(_d("2026-09-28"), _d("2026-09-28"))]})),
        # One day: the row itself.
        ("2026-11-25", "2026-11-25", Cover([(_d("2026-11-25"), _d("2026-11-25"))], {})),
        # The last 90 days on 2026-11-25: days up to September, two whole months, the
        # Sunday before the first Monday, three weeks, and the days of the open week.
        (
            "2026-08-28",
            "2026-11-25",
            Cover(
                [
                    (_d("2026-08-28"), _d("2026-08-31")),
                    (_d("2026-11-01"), _d("2026-11-01")),
                    (_d("2026-11-23"), _d("2026-11-25")),
                ],
                {
                    MONTH: [(_d("2026-09-01"), _d("2026-10-01"))],
                    WEEK: [(_d("2026-11-02"), _d("2026-11-16"))],
                },
            ),
        ),
    ],
)
def test_a_period_is_covered_by_the_fewest_pieces(start: str, end: str, expected: Cover) -> None:
    assert cover([(_d(start), _d(end))]) == expected


def test_whole_months_win_over_weeks_that_would_cut_into_them() -> None:
    # Monday 2026-06-29 starts a week that would take July 1-5 from the whole July.
    found = cover([(_d("2026-06-29"), _d("2026-07-31"))])
    assert found.days == [(_d("2026-06-29"), _d("2026-06-30"))]
    assert found.runs == {MONTH: [(_d("2026-07-01"), _d("2026-07-01"))]}


def test_quarters_and_years_are_made_of_the_months(db: Engine) -> None:
    put(
        db,
        [
            row("2025-12-31", leads=1, customers_start=5, customers_end=6),
            row("2026-01-05", leads=2, customers_start=6, customers_end=7),
            row("2026-02-05", leads=3, customers_start=None, customers_end=8),
            row("2026-03-31", "2026-04-06", leads=None, customers_start=8, customers_end=9),
        ],
    )
    found = {(item["grain"], item["bucket_start"]): item for item in _rollups(db)}
    q1, y2026 = found[("quarter", _d("2026-01-01"))], found[("year", _d("2026-01-01"))]
    for bucket in (q1, y2026):
        assert (bucket["row_count"], bucket["leads"], bucket["known_leads"]) == (3, 5, 2)
        assert (bucket["customers_start"], bucket["customers_end"]) == (6, 9)
        assert (bucket["first_key"], bucket["last_key"]) == (
            "2026-01-052026-01-05",
            "2026-03-312026-04-06",
        )
    assert found[("year", _d("2025-01-01"))]["leads"] == 1
    assert _rollups(db) == _rebuilt(db)


def test_adjacent_buckets_of_a_trend_become_one_range() -> None:
    months = [(month(2026, m).start, month(2026, m).end) for m in range(1, 13)]
    assert cover(months).runs == {MONTH: [(_d("2026-01-01"), _d("2026-12-01"))]}


def _rollups(engine: Engine) -> list[dict[str, Any]]:
    table = snapshot_rollups.c
    with engine.connect() as connection:
        found = connection.execute(
            select(snapshot_rollups).order_by(
                table.grain, table.bucket_start, table.channel, table.segment
            )
        )
        return [dict(item._mapping) for item in found]


def _rebuilt(engine: Engine) -> list[dict[str, Any]]:
    with engine.begin() as connection:
        rebuild_rollups(connection)
    return _rollups(engine)


def test_imports_keep_the_rollups_equal_to_a_rebuild(store: Store, tmp_path: Path) -> None:
    first = write_csv(
        tmp_path / "a.csv",
        "2026-03-01,,organic,smb,10,5,,1,100",
        "2026-03-02,2026-03-08,organic,smb,20,,2,1,50",
        "2026-03-31,,webinar,smb,5,1,1,0,10",
        "2026-04-01,,webinar,smb,5,1,1,0,10",
    )
    import_csv(store.engine, first)
    # A correction of one day in March, and a new day far away, in another year.
    second = write_csv(
        tmp_path / "b.csv",
        "2026-03-02,2026-03-08,organic,smb,25,3,2,1,",
        "2027-01-04,,organic,enterprise,1,1,1,1,1",
    )
    import_csv(store.engine, second)
    kept = _rollups(store.engine)
    assert kept == _rebuilt(store.engine)
    march = next(
        item
        for item in kept
        if item["grain"] == "month"
        and item["bucket_start"] == _d("2026-03-01")
        and item["channel"] == "organic"
    )
    assert (march["row_count"], march["leads"], march["known_leads"]) == (2, 8, 2)
    assert (march["mqls"], march["known_mqls"]) == (2, 1)
    assert (march["marketing_spend"], march["known_marketing_spend"]) == (100.0, 1)


def test_rollups_of_an_import_equal_a_rebuild_whatever_its_columns(
    store: Store, tmp_path: Path
) -> None:
    header = (
        "period_start,period_end,channel,segment,leads,won_deal_value,customers_start,customers_end"
    )
    # Buckets holding only the file's rows: rolled up from the rows as staged, with a
    # flow that has a gap, stocks, a multi-day row and columns the file lacks.
    first = write_csv(
        tmp_path / "a.csv",
        "2026-03-30,,organic,smb,5,10.5,10,12",
        "2026-03-31,,organic,smb,,0.25,12,11",
        "2026-04-01,2026-04-07,organic,smb,3,,11,13",
        "2026-04-01,,webinar,enterprise,1,1.1,,4",
        header=header,
    )
    import_csv(store.engine, first)
    assert _rollups(store.engine) == _rebuilt(store.engine)
    # A day beside stored ones (same week, month, quarter), and a file of other columns.
    beside = write_csv(tmp_path / "b.csv", "2026-04-02,,organic,smb,2,3.5,13,14", header=header)
    assert import_csv(store.engine, beside).inserted == 1
    import_csv(store.engine, write_csv(tmp_path / "c.csv", "2026-06-01,,organic,smb,7,1,1,1,1"))
    assert _rollups(store.engine) == _rebuilt(store.engine)
    # Every row again, replaced (no other writer owns a column: from the staged rows).
    assert import_csv(store.engine, first).replaced == 4
    assert _rollups(store.engine) == _rebuilt(store.engine)


def test_an_import_into_a_week_begun_the_year_before_counts_that_year_s_rows(
    store: Store, tmp_path: Path
) -> None:
    import_csv(store.engine, write_csv(tmp_path / "a.csv", "2025-12-30,,organic,smb,1,1,1,1,1"))
    import_csv(store.engine, write_csv(tmp_path / "b.csv", "2026-01-02,,organic,smb,2,2,2,2,2"))
    kept = _rollups(store.engine)
    assert kept == _rebuilt(store.engine)
    week = next(item for item in kept if item["grain"] == "week")
    assert (week["bucket_start"], week["row_count"], week["visitors"]) == (_d("2025-12-29"), 2, 3)


def test_stocks_in_a_rollup_come_from_the_deciding_rows(db: Engine) -> None:
    put(
        db,
        [
            row("2026-05-04", customers_start=10, customers_end=12),
            row("2026-05-04", "2026-05-10", customers_start=11, customers_end=None),
            row("2026-05-06", customers_start=13, customers_end=15),
        ],
    )
    week = next(item for item in _rollups(db) if item["grain"] == "week")
    assert week["first_key"] == "2026-05-042026-05-04"
    assert week["last_key"] == "2026-05-062026-05-06"
    # The earliest row opens the week; the latest (by period_start) closes it.
    assert (week["customers_start"], week["customers_end"]) == (10, 15)


def test_questions_read_whole_quarters_and_months_from_the_rollups(db: Engine) -> None:
    put(db, [row("2026-02-10", leads=4), row("2026-03-10", leads=6)])
    with db.begin() as connection:
        connection.execute(
            update(snapshot_rollups)
            .where(snapshot_rollups.c.grain.in_(["month", "quarter"]))
            .values(leads=snapshot_rollups.c.leads * 100)
        )
    q1 = quarter(2026, 1)
    feb_10_to_mar_31 = between(_d("2026-02-10"), _d("2026-03-31"))
    whole = aggregate(db, ["leads"], [q1], Filters())[(0, None)]
    partly = aggregate(db, ["leads"], [feb_10_to_mar_31], Filters())[(0, None)]
    # The altered rollups show through: the quarter's for the whole quarter, and March's
    # in the other period, whose February days are read as rows.
    assert whole.sums["leads"] == 1000
    assert partly.sums["leads"] == 604


def test_rollups_of_a_file_read_in_many_chunks_equal_a_rebuild(
    store: Store, tmp_path: Path
) -> None:
    # Weeks and months cut by chunks, a flow empty in the first chunks and with gaps later,
    # one empty in the last chunks, stocks with gaps, rows of several days.
    lines = []
    for day in range(1, 29):
        for number in range(7):
            leads = "" if day < 10 or (day * number) % 5 == 0 else str(day + number)
            spend = "" if day > 20 else f"{day * 7 + number}.25"
            stock = "" if (day + number) % 3 == 0 else str(day * number)
            end = f"2026-02-{day:02d}" if number % 3 else f"2026-02-{min(day + 2, 28):02d}"
            lines.append(
                f"2026-02-{day:02d},{end},c{number},s{number % 2},"
                f"{day + number},{leads},{spend},{stock},{stock}"
            )
    keys = "period_start,period_end,channel,segment"
    header = f"{keys},visitors,leads,marketing_spend,customers_start,customers_end"
    path = write_csv(tmp_path / "s.csv", *lines, header=header)
    assert import_csv(store.engine, path, chunk_rows=13).inserted == len(lines)
    assert _rollups(store.engine) == _rebuilt(store.engine)
