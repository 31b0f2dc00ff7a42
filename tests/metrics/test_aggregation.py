"""Aggregation rules of docs/metrics.md: stocks per group, unknown inputs, zero denominators."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from metrics.engine import compute, compute_many
from metrics.periods import month, quarter
from tests.metrics.rows import put, row

APRIL = month(2026, 4)


def test_stocks_come_from_each_groups_first_and_last_rows_and_are_summed(db: Engine) -> None:
    put(
        db,
        [
            # organic: two rows start on 1 April (daily and weekly); the first in
            # (period_start, period_end) order, the daily one, sets the start stock. Two
            # rows start on 20 April; the last in that order, ending later, sets the end.
            row("2026-04-01", None, "organic", customers_start=10, customers_end=11),
            row("2026-04-01", "2026-04-07", "organic", customers_start=12, customers_end=13),
            row("2026-04-10", None, "organic", customers_start=14, customers_end=15),
            row("2026-04-20", None, "organic", customers_start=16, customers_end=17),
            row("2026-04-20", "2026-04-22", "organic", customers_start=18, customers_end=19),
            # paid_search: one weekly row per week; the last one starts in April and ends
            # in May, it still belongs to April (period_start decides).
            row("2026-04-06", "2026-04-12", "paid_search", customers_start=100, customers_end=105),
            row("2026-04-13", "2026-04-19", "paid_search", customers_start=105, customers_end=107),
            row("2026-04-27", "2026-05-03", "paid_search", customers_start=109, customers_end=110),
            # the same channel in another segment is a separate group
            row(
                "2026-04-15", None, "paid_search", "enterprise", customers_start=5, customers_end=6
            ),
        ],
    )
    found = compute_many(db, ["customers", "customer_churn_rate"], APRIL)
    assert found["customers"].value == 19 + 110 + 6
    assert dict(found["customer_churn_rate"].inputs)["customers_start"] == 10 + 100 + 5


def test_a_null_stock_in_the_deciding_row_makes_the_total_unknown(db: Engine) -> None:
    put(
        db,
        [
            row("2026-04-01", None, "organic", mrr_start=100.0, mrr_end=110.0),
            row("2026-04-30", None, "organic", mrr_start=110.0),
            row("2026-04-01", None, "webinar", mrr_start=50.0, mrr_end=55.0),
        ],
    )
    mrr = compute(db, "mrr", APRIL)
    expected = (
        "mrr_end unknown for 1 of 2 channel/segment groups in April 2026 "
        "(empty in the row that sets the stock)"
    )
    assert mrr.value is None
    assert mrr.reason == expected
    assert mrr.warnings == (expected,)
    assert mrr.inputs["mrr_end"] is None
    # the start stock is known for every group
    assert compute(db, "mrr_growth", APRIL).reason == expected
    assert compute(db, "revenue_churn", APRIL).reason is not None


def test_partly_unknown_flows_are_summed_with_a_warning(db: Engine) -> None:
    put(
        db,
        [
            row("2026-04-01", visitors=1000, leads=10),
            row("2026-04-02", visitors=1000),
            row("2026-04-03", visitors=1000, leads=20),
        ],
    )
    found = compute(db, "visitor_to_lead", APRIL)
    assert found.value == pytest.approx(30 / 3000)
    assert found.warnings == (
        "leads is empty in 1 of 3 rows in April 2026; the sum covers the other rows",
    )


def test_an_input_no_row_knows_gives_no_value_and_says_which(db: Engine) -> None:
    put(db, [row("2026-04-01", visitors=1000), row("2026-04-02", visitors=500)])
    found = compute(db, "visitor_to_lead", APRIL)
    assert found.value is None
    assert found.reason == "leads unknown (no data) in April 2026"
    assert found.warnings == ()
    assert compute(db, "cac", APRIL).reason == "new_customers unknown (no data) in April 2026"


def test_unknown_is_not_zero_for_sums_of_several_inputs(db: Engine) -> None:
    put(db, [row("2026-04-01", marketing_spend=100.0)])
    total = compute(db, "total_spend", APRIL)
    assert total.value is None
    assert total.reason == "sales_spend unknown (no data) in April 2026"


def _zeros(*names: str) -> dict[str, Any]:
    return dict.fromkeys(names, 0)


@pytest.mark.parametrize(
    ("metric_id", "values", "reason"),
    [
        ("mql_to_sql", _zeros("mqls", "sqls"), "no MQLs in Q2 2026"),
        ("visitor_to_lead", {"visitors": 0, "leads": 3}, "no visitors in Q2 2026"),
        ("win_rate", _zeros("deals_won", "deals_lost"), "no deals closed in Q2 2026"),
        (
            "cac",
            {"marketing_spend": 5.0, "sales_spend": 0.0, "new_customers": 0},
            "no new customers in Q2 2026",
        ),
        (
            "ltv",
            {"customers_start": 10, "customers_end": 10, "customers_churned": 0, "mrr_end": 100.0},
            "no churn in Q2 2026, lifetime is unbounded",
        ),
        (
            "nrr",
            _zeros("mrr_start", "mrr_expansion", "mrr_contraction", "mrr_churned"),
            "no MRR at the start in Q2 2026",
        ),
        (
            "nps",
            _zeros("nps_promoters", "nps_passives", "nps_detractors"),
            "no NPS answers in Q2 2026",
        ),
        (
            "quick_ratio",
            _zeros("mrr_expansion", "mrr_reactivation", "mrr_churned", "mrr_contraction")
            | {"mrr_new": 1.0},
            "no MRR lost in Q2 2026",
        ),
        (
            "customer_churn_rate",
            _zeros("customers_churned", "customers_start", "customers_end"),
            "no customers in Q2 2026",
        ),
    ],
)
def test_a_zero_denominator_gives_no_value_and_a_reason(
    db: Engine, metric_id: str, values: dict[str, Any], reason: str
) -> None:
    put(db, [row("2026-05-01", **values)])
    found = compute(db, metric_id, quarter(2026, 2))
    assert found.value is None
    assert found.reason == reason


def test_a_period_without_rows_says_so(db: Engine) -> None:
    put(db, [row("2026-03-31", leads=5)])
    found = compute(db, "leads", APRIL)
    assert (found.value, found.reason) == (None, "no snapshots in April 2026")
