"""Properties on random snapshot sets: the SQL aggregation equals a plain Python reference."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from metrics.aggregation import Aggregate, aggregate
from metrics.engine import compute_many
from metrics.periods import Period, between
from metrics.query import Dimension, Filters
from tests.metrics.rows import replace_all

FIRST_DAY = date(2026, 1, 1)
SPAN_DAYS = 400  # rows and periods over 13 months: whole weeks, months, quarters, a year
PERIOD = between(date(2026, 1, 3), date(2026, 1, 10))
FLOWS = ("leads", "marketing_spend", "sales_spend", "new_customers")
STOCKS = ("customers_start", "customers_end", "mrr_end")
SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@st.composite
def snapshot_sets(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Rows over three channels and two segments, with unique keys and random NULLs."""
    keys = draw(
        st.sets(
            st.tuples(
                st.integers(0, SPAN_DAYS),
                st.sampled_from([0, 0, 0, 1, 6, 30]),
                st.sampled_from(["organic", "paid_search", "webinar"]),
                st.sampled_from(["smb", "enterprise"]),
            ),
            max_size=60,
        )
    )
    rows = []
    for start, length, channel, segment in sorted(keys):
        values: dict[str, Any] = {
            name: draw(st.none() | st.integers(0, 1000)) for name in (*FLOWS, *STOCKS)
        }
        rows.append(
            {
                "period_start": FIRST_DAY + timedelta(days=start),
                "period_end": FIRST_DAY + timedelta(days=start + length),
                "channel": channel,
                "segment": segment,
                **values,
            }
        )
    return rows


@st.composite
def disjoint_periods(draw: st.DrawFn) -> list[Period]:
    """One to three non-overlapping periods inside the span, in any order."""
    # Days 0, 90, 181 and 365 begin quarters and years: drawn often enough to cover them.
    day = st.integers(0, SPAN_DAYS + 10) | st.sampled_from([0, 90, 181, 365])
    cuts = sorted(draw(st.sets(day, min_size=2, max_size=6)))
    periods = [
        between(FIRST_DAY + timedelta(days=low), FIRST_DAY + timedelta(days=high - 1))
        for low, high in pairwise(cuts)
        if high - low >= 1
    ]
    chosen = draw(st.lists(st.sampled_from(periods), min_size=1, max_size=3, unique=True))
    return chosen


def _in_period(
    rows: Sequence[Mapping[str, Any]], period: Period = PERIOD
) -> list[Mapping[str, Any]]:
    return [item for item in rows if period.start <= item["period_start"] <= period.end]


def _flow(rows: Sequence[Mapping[str, Any]], name: str) -> int | None:
    known = [item[name] for item in rows if item[name] is not None]
    return sum(known) if known else None


def _stock(rows: Sequence[Mapping[str, Any]], name: str) -> tuple[int | None, int]:
    """(sum over groups of the deciding row's value, groups where that value is NULL).

    The deciding row is the group's first (for `*_start`) or last (for `*_end`) row in
    (period_start, period_end) order.
    """
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for item in rows:
        groups.setdefault((item["channel"], item["segment"]), []).append(item)
    pick = min if name.endswith("_start") else max
    deciding = [
        pick(members, key=lambda item: (item["period_start"], item["period_end"]))[name]
        for members in groups.values()
    ]
    known = [value for value in deciding if value is not None]
    return (sum(known) if known else None), len(deciding) - len(known)


@SETTINGS
@given(rows=snapshot_sets(), periods=disjoint_periods())
def test_sql_aggregation_equals_a_python_reference(
    db: Engine, rows: list[dict[str, Any]], periods: list[Period]
) -> None:
    """Whatever mix of rollups and rows covers the periods (storage/rollups.cover)."""
    replace_all(db, rows)
    found = aggregate(db, (*FLOWS, *STOCKS), periods, Filters())
    for bucket, period in enumerate(periods):
        _assert_matches(found.get((bucket, None)), _in_period(rows, period))


def _assert_matches(found: Aggregate | None, selected: list[Mapping[str, Any]]) -> None:
    if not selected:
        assert found is None
        return
    assert found is not None
    assert found.rows == len(selected)
    for name in FLOWS:
        assert found.sums[name] == _flow(selected, name), name
        assert found.missing[name] == sum(item[name] is None for item in selected), name
    for name in STOCKS:
        assert (found.sums[name], found.missing[name]) == _stock(selected, name), name


@SETTINGS
@given(rows=snapshot_sets(), by=st.sampled_from(list(Dimension)))
def test_breakdown_groups_recombine_to_the_total_for_additive_metrics(
    db: Engine, rows: list[dict[str, Any]], by: Dimension
) -> None:
    replace_all(db, rows)
    additive = ("leads", "new_customers", "customers")
    answers = compute_many(db, additive, PERIOD, by=by)
    for metric_id, found in answers.items():
        assert found.breakdown is not None
        parts = [group.value for group in found.breakdown]
        if found.value is None:
            assert all(part is None for part in parts) or metric_id == "customers"
            continue
        assert sum(part for part in parts if part is not None) == pytest.approx(found.value)
