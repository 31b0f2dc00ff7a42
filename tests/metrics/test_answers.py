"""Questions end to end: comparisons, breakdowns, benchmarks, targets, churn equivalents."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from metrics.answers import BenchmarkStatus, MetricAnswer
from metrics.articles import ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS
from metrics.engine import (
    MetricsContext,
    Target,
    answer,
    compute,
    data_range,
    dimension_values,
)
from metrics.periods import Period, month, quarter, year
from metrics.query import CompareKind, Comparison, Dimension, Filters, Intent, Query
from tests.metrics.rows import put, row

APRIL, MAY = month(2026, 4), month(2026, 5)
EVERYTHING, PREVIOUS, DEFAULTS = Filters(), Comparison(), MetricsContext()


def _ask(
    db: Engine,
    metric_id: str,
    *,
    period: Period = MAY,
    filters: Filters = EVERYTHING,
    by: Dimension | None = None,
    compare: Comparison = PREVIOUS,
    context: MetricsContext = DEFAULTS,
) -> MetricAnswer:
    query = Query(Intent.METRIC, period, metric_id, filters, by, compare)
    found = answer(db, query, context)
    assert isinstance(found, MetricAnswer)
    return found


def test_the_default_comparison_is_the_previous_period(db: Engine) -> None:
    put(db, [row("2026-04-10", mqls=100, sqls=25), row("2026-05-10", mqls=100, sqls=30)])
    found = _ask(db, "mql_to_sql")
    assert found.comparison is not None
    assert found.comparison.period == APRIL
    assert found.comparison.value == pytest.approx(0.25)
    # a ratio's change is in fraction units: +0.05 is shown as +5 pp
    assert found.comparison.change == pytest.approx(0.05)
    assert found.comparison.change_pct == pytest.approx(0.2)
    assert found.comparison.better is True


def test_better_follows_the_metrics_direction(db: Engine) -> None:
    spend: dict[str, Any] = {"marketing_spend": 100.0, "sales_spend": 0.0}
    put(
        db,
        [
            row("2026-04-10", new_customers=2, **spend),
            row("2026-05-10", new_customers=1, **spend),
        ],
    )
    cac = _ask(db, "cac")
    assert cac.comparison is not None
    assert (cac.comparison.change, cac.comparison.better) == (50.0, False)
    customers = _ask(db, "new_customers")
    assert customers.comparison is not None
    assert (customers.comparison.change, customers.comparison.better) == (-1, False)


def test_no_change_can_be_computed_against_an_unknown_or_zero_previous_value(
    db: Engine,
) -> None:
    put(db, [row("2026-04-10", leads=0), row("2026-05-10", leads=5, mqls=1)])
    leads = _ask(db, "leads")
    assert leads.comparison is not None
    assert (leads.comparison.change, leads.comparison.change_pct) == (5, None)
    assert leads.comparison.better is True
    mqls = _ask(db, "mqls")
    assert mqls.comparison is not None
    assert (mqls.comparison.change, mqls.comparison.better) == (None, None)
    assert mqls.comparison.reason == "mqls unknown (no data) in April 2026"


def test_year_ago_explicit_and_no_comparison(db: Engine) -> None:
    put(db, [row("2025-05-03", leads=4), row("2026-05-03", leads=6), row("2026-03-03", leads=1)])
    yoy = _ask(db, "leads", compare=Comparison(CompareKind.YEAR_AGO))
    assert yoy.comparison is not None
    assert (yoy.comparison.period, yoy.comparison.value) == (month(2025, 5), 4)
    march = _ask(db, "leads", compare=Comparison(CompareKind.PERIOD, month(2026, 3)))
    assert march.comparison is not None
    assert march.comparison.value == 1
    assert _ask(db, "leads", compare=Comparison(CompareKind.NONE)).comparison is None


def test_an_overlapping_comparison_period_is_computed_on_its_own(db: Engine) -> None:
    put(db, [row("2026-04-10", leads=3), row("2026-05-10", leads=5)])
    found = _ask(db, "leads", compare=Comparison(CompareKind.PERIOD, year(2026)))
    assert found.comparison is not None
    assert (found.value, found.comparison.value) == (5, 8)


def test_a_breakdown_is_sorted_best_first_with_unknown_groups_last(db: Engine) -> None:
    def spent(channel: str, amount: float, customers: int) -> dict[str, object]:
        return row(
            "2026-05-04",
            channel=channel,
            marketing_spend=amount,
            sales_spend=0.0,
            new_customers=customers,
        )

    put(
        db,
        [
            spent("organic", 100.0, 1),
            spent("paid_search", 900.0, 3),
            spent("webinar", 500.0, 0),
            spent("outbound", 400.0, 2),
            row("2026-05-05", channel="organic", segment="enterprise", marketing_spend=100.0,
                sales_spend=0.0, new_customers=1),
        ],
    )  # fmt: skip
    found = _ask(db, "cac", by=Dimension.CHANNEL)
    assert found.breakdown is not None
    groups = [(item.group["channel"], item.value, item.reason) for item in found.breakdown]
    assert groups == [
        ("organic", 100.0, None),
        ("outbound", 200.0, None),
        ("paid_search", 300.0, None),
        ("webinar", None, "no new customers in May 2026"),
    ]
    assert found.value == pytest.approx(2000 / 7)
    by_segment = _ask(db, "new_customers", by=Dimension.SEGMENT)
    assert by_segment.breakdown is not None
    assert [item.group["segment"] for item in by_segment.breakdown] == ["smb", "enterprise"]


def test_benchmarks_report_status_and_source(db: Engine) -> None:
    put(db, [row("2026-05-04", mqls=100, sqls=20, visitors=1000, leads=21)])
    mql_to_sql = _ask(db, "mql_to_sql")
    assert [(check.status, check.sources) for check in mql_to_sql.benchmarks] == [
        (BenchmarkStatus.BELOW, (ROI_OF_A_SAAS_FUNNEL,))
    ]
    visitor = _ask(db, "visitor_to_lead")
    assert [(check.status, check.sources) for check in visitor.benchmarks] == [
        (BenchmarkStatus.WITHIN, (ROI_OF_A_SAAS_FUNNEL,)),
        (BenchmarkStatus.WITHIN, (SAAS_MARKETING_METRICS,)),
    ]


def test_churn_benchmarks_are_scoped_to_the_segment_asked_about(db: Engine) -> None:
    churn: dict[str, Any] = {"customers_start": 100, "customers_end": 100, "customers_churned": 1}
    put(db, [row("2026-05-04", segment="smb", **churn), row("2026-05-04", segment="mid", **churn)])
    everyone = _ask(db, "customer_churn_annualized")
    assert [check.scope for check in everyone.benchmarks] == ["enterprise, B2B", "SMB"]
    annual = 1 - 0.99**12
    assert everyone.value == pytest.approx(annual)
    assert [check.status for check in everyone.benchmarks] == [BenchmarkStatus.ABOVE] * 2
    smb = _ask(db, "customer_churn_annualized", filters=Filters(segment=("smb",)))
    assert [(check.scope, check.high) for check in smb.benchmarks] == [("SMB", 0.10)]
    mid = _ask(db, "customer_churn_annualized", filters=Filters(segment=("mid",)))
    assert len(mid.benchmarks) == 2


def test_sales_cycle_benchmarks_differ_for_smb_and_enterprise(db: Engine) -> None:
    put(db, [row("2026-05-04", segment="enterprise", deals_won=2, sales_cycle_days=300.0)])
    found = _ask(db, "avg_sales_cycle", filters=Filters(segment=("enterprise",)))
    assert [(check.scope, check.low, check.high, check.status) for check in found.benchmarks] == [
        ("enterprise", None, 180, BenchmarkStatus.WITHIN)
    ]


def test_the_most_specific_matching_target_overrides(db: Engine) -> None:
    spend: dict[str, Any] = {"marketing_spend": 600.0, "sales_spend": 0.0, "new_customers": 1}
    put(db, [row("2026-05-04", segment="smb", **spend), row("2026-05-04", segment="ent", **spend)])
    targets = (Target("cac", None, 500), Target("cac", None, 700, segment="smb"))
    context = MetricsContext(targets=targets)
    overall = _ask(db, "cac", context=context)
    assert overall.target is not None
    assert (overall.target.max, overall.target.met, dict(overall.target.scope)) == (500, False, {})
    smb = _ask(db, "cac", context=context, filters=Filters(segment=("smb",)))
    assert smb.target is not None
    assert (smb.target.max, smb.target.met) == (700, True)
    assert dict(smb.target.scope) == {"segment": "smb"}
    scoped_only = MetricsContext(targets=(Target("cac", 0, 100, channel="webinar"),))
    assert _ask(db, "cac", context=scoped_only).target is None


def test_churn_answers_carry_monthly_and_annualized_equivalents(db: Engine) -> None:
    put(
        db,
        [
            row(
                "2026-04-01",
                "2026-06-30",
                customers_start=90,
                customers_end=110,
                customers_churned=10,
            )
        ],
    )
    churn = _ask(db, "customer_churn_rate", period=quarter(2026, 2))
    assert churn.value == pytest.approx(0.1)
    assert [item.metric for item in churn.related] == [
        "customer_churn_monthly",
        "customer_churn_annualized",
    ]
    expected = [0.1 / 3, 1 - (1 - 0.1 / 3) ** 12]
    assert [item.value for item in churn.related] == pytest.approx(expected)
    # the annualized form is what the seeds' churn ranges are about
    annualized = churn.related[1]
    assert [(check.scope, check.status) for check in annualized.benchmarks] == [
        ("enterprise, B2B", BenchmarkStatus.ABOVE),
        ("SMB", BenchmarkStatus.ABOVE),
    ]
    assert churn.related[0].benchmarks == ()
    put(
        db,
        [row("2026-05-01", "2026-05-31", customers_start=1, customers_end=1, customers_churned=0)],
    )
    assert compute(db, "customer_churn_rate", MAY).related == ()


def test_answers_describe_themselves_as_json(db: Engine) -> None:
    put(
        db,
        [
            row(
                "2026-05-04",
                channel="paid_search",
                marketing_spend=500.0,
                sales_spend=325.0,
                new_customers=2,
            )
        ],
    )
    found = _ask(db, "cac", filters=Filters(channel=("paid_search",)),
                 context=MetricsContext(currency="EUR"))  # fmt: skip
    data = found.to_json()
    assert data["metric"] == "cac"
    assert data["label"] == "Customer acquisition cost"
    assert data["unit"] == "currency"
    assert data["currency"] == "EUR"
    assert data["period"] == {"start": "2026-05-01", "end": "2026-05-31", "label": "May 2026"}
    assert data["filters"] == {"channel": ["paid_search"]}
    assert data["value"] == pytest.approx(412.5)
    assert data["inputs"] == {"marketing_spend": 500.0, "sales_spend": 325.0, "new_customers": 2}
    assert data["comparison"]["value"] is None
    assert data["breakdown"] is None
    assert data["benchmarks"][0]["status"] == "within"


def test_the_engine_does_not_answer_catalog_or_help(db: Engine) -> None:
    with pytest.raises(ValueError, match="does not answer"):
        answer(db, Query(Intent.CATALOG, MAY))
    with pytest.raises(KeyError):
        answer(db, Query(Intent.METRIC, MAY, "no_such_metric"))


def test_dimension_values_and_data_range(db: Engine) -> None:
    assert data_range(db) is None
    assert dimension_values(db, Dimension.CHANNEL) == []
    put(
        db,
        [
            row("2026-05-04", channel="webinar", segment="smb"),
            row("2026-03-01", "2026-03-31", channel="organic", segment="enterprise"),
            row("2026-06-30", channel="organic", segment="smb"),
        ],
    )
    assert data_range(db) == (date(2026, 3, 1), date(2026, 6, 30))
    assert dimension_values(db, Dimension.CHANNEL) == ["organic", "webinar"]
    assert dimension_values(db, Dimension.SEGMENT) == ["enterprise", "smb"]


@pytest.mark.parametrize("compare", [Comparison(), Comparison(CompareKind.PERIOD, year(2026))])
def test_a_breakdown_of_stocks_with_a_comparison(db: Engine, compare: Comparison) -> None:
    put(
        db,
        [
            row("2026-04-30", channel="organic", segment="smb", mrr_end=10.0),
            row("2026-05-01", channel="organic", segment="smb", mrr_end=11.0),
            row("2026-05-31", channel="organic", segment="ent", mrr_end=30.0),
            row("2026-05-02", channel="webinar", segment="smb", mrr_end=5.0),
            row("2026-05-20", channel="webinar", segment="smb", mrr_end=7.0),
        ],
    )
    found = _ask(db, "mrr", by=Dimension.SEGMENT, compare=compare)
    assert found.value == 11.0 + 30.0 + 7.0
    assert found.breakdown is not None
    assert [(item.group["segment"], item.value) for item in found.breakdown] == [
        ("ent", 30.0),
        ("smb", 18.0),
    ]
    assert found.comparison is not None
    previous = {CompareKind.PREVIOUS: 10.0, CompareKind.PERIOD: 48.0}[compare.kind]
    assert found.comparison.value == previous
