"""Every catalog metric against values computed by hand from a tiny row set."""

from __future__ import annotations

import math
from typing import Any

import pytest
from sqlalchemy import Engine

from metrics.catalog import CATALOG
from metrics.engine import MetricsContext, compute, compute_many
from metrics.periods import between, month, quarter
from metrics.query import Filters
from tests.metrics.rows import put, row

Q2 = quarter(2026, 2)

# Two channel/segment groups: organic/smb has two monthly rows (April, May), paid_search/smb
# one quarterly row. Stocks: organic starts at April's start and ends at May's end.
_FLOWS_A: dict[str, Any] = {
    "visitors": 10_000, "leads": 300, "mqls": 120, "sqls": 40, "opportunities": 20,
    "deals_won": 5, "deals_lost": 15, "won_deal_value": 50_000.0, "sales_cycle_days": 200.0,
    "demo_requests": 10, "trials_started": 100, "trials_converted": 20, "pqls": 30,
    "activations": 50, "time_to_value_days": 250.0, "emails_sent": 1000, "emails_opened": 200,
    "emails_clicked": 30, "nps_promoters": 30, "nps_passives": 10, "nps_detractors": 5,
    "new_customers": 10, "customers_churned": 2, "marketing_spend": 6000.0,
    "sales_spend": 3000.0, "mrr_new": 1000.0, "mrr_expansion": 200.0, "mrr_contraction": 100.0,
    "mrr_churned": 200.0, "mrr_reactivation": 50.0,
    "customers_start": 100, "customers_end": 108, "mrr_start": 10_000.0, "mrr_end": 10_900.0,
}  # fmt: skip
_FLOWS_B: dict[str, Any] = {
    "visitors": 20_000, "leads": 500, "mqls": 200, "sqls": 60, "opportunities": 30,
    "deals_won": 10, "deals_lost": 20, "won_deal_value": 100_000.0, "sales_cycle_days": 450.0,
    "demo_requests": 20, "trials_started": 100, "trials_converted": 25, "pqls": 30,
    "activations": 50, "time_to_value_days": 300.0, "emails_sent": 1000, "emails_opened": 300,
    "emails_clicked": 40, "nps_promoters": 20, "nps_passives": 10, "nps_detractors": 3,
    "new_customers": 6, "customers_churned": 3, "marketing_spend": 4000.0,
    "sales_spend": 1000.0, "mrr_new": 600.0, "mrr_expansion": 300.0, "mrr_contraction": 50.0,
    "mrr_churned": 300.0, "mrr_reactivation": 50.0,
    "customers_start": 108, "customers_end": 111, "mrr_start": 10_900.0, "mrr_end": 11_500.0,
}  # fmt: skip
_FLOWS_C: dict[str, Any] = {
    "visitors": 30_000, "leads": 400, "mqls": 160, "sqls": 44, "opportunities": 22,
    "deals_won": 9, "deals_lost": 21, "won_deal_value": 90_000.0, "sales_cycle_days": 430.0,
    "demo_requests": 30, "trials_started": 200, "trials_converted": 35, "pqls": 60,
    "activations": 100, "time_to_value_days": 450.0, "emails_sent": 2000, "emails_opened": 500,
    "emails_clicked": 50, "nps_promoters": 10, "nps_passives": 10, "nps_detractors": 2,
    "new_customers": 8, "customers_churned": 1, "marketing_spend": 5000.0,
    "sales_spend": 5000.0, "mrr_new": 800.0, "mrr_expansion": 100.0, "mrr_contraction": 50.0,
    "mrr_churned": 100.0, "mrr_reactivation": 0.0,
    "customers_start": 50, "customers_end": 57, "mrr_start": 5000.0, "mrr_end": 5750.0,
}  # fmt: skip

ROWS = (
    row("2026-04-01", "2026-04-30", "organic", "smb", **_FLOWS_A),
    row("2026-05-01", "2026-05-31", "organic", "smb", **_FLOWS_B),
    row("2026-04-01", "2026-06-30", "paid_search", "smb", **_FLOWS_C),
    # Outside Q2: must not count.
    row("2026-03-31", None, "organic", "smb", **_FLOWS_C),
    row("2026-07-01", None, "paid_search", "smb", **_FLOWS_A),
)


def _expected(gross_margin: float) -> dict[str, float]:
    customers_start, customers_end = 100 + 50, 111 + 57
    mrr_start, mrr_end = 10_000.0 + 5000.0, 11_500.0 + 5750.0
    churn_rate = 6 / ((customers_start + customers_end) / 2)
    churn_monthly = churn_rate / 3
    arpa = mrr_end / customers_end
    ltv = arpa * gross_margin / churn_monthly
    cac = 24_000 / 24
    return {
        "visitors": 60_000, "leads": 1200, "mqls": 480, "sqls": 144, "opportunities": 72,
        "deals_won": 24, "deals_lost": 56, "demo_requests": 60, "trials_started": 400,
        "trials_converted": 80, "pqls": 120, "activations": 200, "new_customers": 24,
        "customers_churned": 6, "emails_sent": 4000, "marketing_spend": 15_000,
        "sales_spend": 9000, "total_spend": 24_000, "customers": 168,
        "visitor_to_lead": 0.02, "lead_to_mql": 0.4, "mql_to_sql": 0.3,
        "sql_to_opportunity": 0.5, "win_rate": 0.3, "lead_to_customer": 0.02,
        "trial_to_paid": 0.2, "pql_rate": 0.3, "activation_rate": 0.5,
        "email_open_rate": 0.25, "email_ctr": 0.03,
        "avg_deal_size": 10_000, "avg_sales_cycle": 45, "sales_velocity": 72 * 10_000 * 0.3 / 45,
        "time_to_value": 5,
        "cac": cac, "arpa": arpa, "new_arpa": 100, "ltv": ltv, "ltv_cac": ltv / cac,
        "payback_months": cac / (100 * gross_margin), "funnel_roi": (24 * ltv - 24_000) / 24_000,
        "mrr": mrr_end, "arr": 12 * mrr_end, "net_new_mrr": 2400 + 600 + 100 - 200 - 600,
        "mrr_growth": 0.15, "mrr_growth_monthly": 1.15 ** (1 / 3) - 1,
        "customer_churn_rate": churn_rate, "customer_churn_monthly": churn_monthly,
        "customer_churn_annualized": 1 - (1 - churn_monthly) ** 12,
        "revenue_churn": 800 / mrr_start, "nrr": 14_800 / mrr_start, "quick_ratio": 3100 / 800,
        "nps": 50,
        "emails_opened": 1000, "emails_clicked": 120, "nps_promoters": 60, "nps_passives": 30,
        "nps_detractors": 10, "won_deal_value": 240_000, "mrr_new": 2400, "mrr_expansion": 600,
        "mrr_contraction": 200, "mrr_churned": 600, "mrr_reactivation": 100,
        # every forward pair of funnel stages: 60,000 → 1,200 → 480 → 144 → 72 → 24
        "visitor_to_mql": 0.008, "visitor_to_sql": 0.0024, "visitor_to_opportunity": 0.0012,
        "visitor_to_customer": 0.0004, "lead_to_sql": 0.12, "lead_to_opportunity": 0.06,
        "mql_to_opportunity": 0.15, "mql_to_customer": 0.05, "sql_to_customer": 1 / 6,
        "opportunity_to_customer": 1 / 3,
    }  # fmt: skip


def test_the_hand_computed_set_covers_the_whole_catalog() -> None:
    assert set(_expected(1.0)) == set(CATALOG)


@pytest.mark.parametrize("gross_margin", [1.0, 0.8])
def test_every_metric_matches_the_hand_computed_value(db: Engine, gross_margin: float) -> None:
    put(db, ROWS)
    answers = compute_many(db, CATALOG, Q2, context=MetricsContext(gross_margin=gross_margin))
    for metric_id, expected in _expected(gross_margin).items():
        found = answers[metric_id]
        assert found.reason is None, metric_id
        assert found.value == pytest.approx(expected, rel=1e-9), metric_id
        assert found.warnings == (), metric_id


def test_inputs_are_the_aggregated_columns_in_formula_order(db: Engine) -> None:
    put(db, ROWS)
    cac = compute(db, "cac", Q2)
    assert dict(cac.inputs) == {
        "marketing_spend": 15_000.0,
        "sales_spend": 9000.0,
        "new_customers": 24,
    }
    assert isinstance(cac.inputs["new_customers"], int)
    churn = compute(db, "customer_churn_rate", Q2)
    assert dict(churn.inputs) == {
        "customers_churned": 6,
        "customers_start": 150,
        "customers_end": 168,
    }


def test_the_seed_worked_example(db: Engine) -> None:
    """Seed 000: spend $100,000 and CAC $400 (250 customers), CLTV $1,200 -> LTV:CAC 3.0."""
    put(
        db,
        [
            row(
                "2026-03-01",
                "2026-03-31",
                marketing_spend=60_000.0,
                sales_spend=40_000.0,
                new_customers=250,
                customers_start=1000,
                customers_end=1000,
                customers_churned=50,
                mrr_end=60_000.0,
            )
        ],
    )
    answers = compute_many(db, ["total_spend", "cac", "ltv", "ltv_cac"], month(2026, 3))
    assert answers["total_spend"].value == pytest.approx(100_000)
    assert answers["cac"].value == pytest.approx(400)
    assert answers["ltv"].value == pytest.approx(1200)
    assert answers["ltv_cac"].value == pytest.approx(3.0, rel=1e-9)
    assert answers["ltv_cac"].benchmarks[0].status.value == "within"


def test_months_of_the_period_scale_churn_and_growth(db: Engine) -> None:
    put(
        db,
        [
            row(
                "2026-01-01",
                "2026-02-14",
                customers_start=100,
                customers_end=100,
                customers_churned=9,
                mrr_start=1000.0,
                mrr_end=1210.0,
            )
        ],
    )
    days_45 = between(quarter(2026, 1).start, quarter(2026, 1).start.replace(month=2, day=14))
    months = 45 / 30.4375
    monthly = compute(db, "customer_churn_monthly", days_45).value
    assert monthly == pytest.approx(0.09 / months, rel=1e-9)
    growth = compute(db, "mrr_growth_monthly", days_45).value
    assert growth == pytest.approx(1.21 ** (1 / months) - 1, rel=1e-9)
    quarterly = compute(db, "customer_churn_monthly", quarter(2026, 1)).value
    assert quarterly == pytest.approx(0.03, rel=1e-9)


def test_monthly_churn_above_one_is_capped_when_annualized(db: Engine) -> None:
    put(
        db,
        [row("2026-03-01", "2026-03-31", customers_start=10, customers_end=2, customers_churned=9)],
    )
    answers = compute_many(
        db, ["customer_churn_monthly", "customer_churn_annualized"], month(2026, 3)
    )
    assert answers["customer_churn_monthly"].value == pytest.approx(1.5)
    assert answers["customer_churn_annualized"].value == 1.0


def test_results_are_never_infinite_or_nan(db: Engine) -> None:
    put(db, [row("2026-03-02", customers_start=0, customers_end=0, mrr_start=0.0, mrr_end=0.0)])
    for found in compute_many(db, CATALOG, month(2026, 3)).values():
        assert found.value is None or math.isfinite(found.value)
        assert (found.value is None) == (found.reason is not None)


def test_filters_select_rows_by_exact_name_and_or_within_a_dimension(db: Engine) -> None:
    put(db, ROWS)
    put(db, [row("2026-04-05", channel="webinar", segment="enterprise", leads=7)])
    assert compute(db, "leads", Q2, Filters(channel=("organic",))).value == 800
    both = Filters(channel=("organic", "webinar"))
    assert compute(db, "leads", Q2, both).value == 807
    assert compute(db, "leads", Q2, Filters(segment=("enterprise",))).value == 7
    mixed = Filters(channel=("paid_search",), segment=("enterprise",))
    assert compute(db, "leads", Q2, mixed).reason == (
        "no snapshots for channel paid_search and segment enterprise in Q2 2026"
    )
