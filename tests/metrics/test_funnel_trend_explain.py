"""The multi-metric intents: funnel with its biggest leak, trends per bucket, explain."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine

from metrics.answers import Coverage, ExplainAnswer, FunnelAnswer, TrendAnswer
from metrics.articles import ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS
from metrics.engine import MetricsContext, Target, answer
from metrics.periods import Grain, between, last_n, month, quarter, this_unit, year
from metrics.query import Filters, Intent, Query
from tests.metrics.rows import put, row

MAY = month(2026, 5)
EVERYTHING = Filters()


def _funnel(db: Engine, filters: Filters = EVERYTHING) -> FunnelAnswer:
    found = answer(db, Query(Intent.FUNNEL, MAY, filters=filters))
    assert isinstance(found, FunnelAnswer)
    return found


def _stages(**overrides: int) -> dict[str, Any]:
    healthy = {
        "visitors": 10_000, "leads": 150, "mqls": 60, "sqls": 24, "opportunities": 12,
        "deals_won": 5, "deals_lost": 15,
    }  # fmt: skip
    return healthy | overrides


def test_the_funnel_lists_every_stage_and_its_conversion(db: Engine) -> None:
    put(db, [row("2026-05-04", **_stages()), row("2026-04-04", **_stages(leads=100))])
    funnel = _funnel(db)
    assert [stage.volume.metric for stage in funnel.stages] == [
        "visitors", "leads", "mqls", "sqls", "opportunities", "deals_won",
    ]  # fmt: skip
    conversions = [stage.conversion.metric if stage.conversion else None for stage in funnel.stages]
    assert conversions == [
        None, "visitor_to_lead", "lead_to_mql", "mql_to_sql", "sql_to_opportunity", "win_rate",
    ]  # fmt: skip
    values = [stage.conversion.value for stage in funnel.stages if stage.conversion]
    assert values == pytest.approx([0.015, 0.4, 0.4, 0.5, 0.25])
    leads = funnel.stages[1].volume
    assert leads.comparison is not None
    assert leads.comparison.value == 100
    # no stage is below its range: the lowest conversion is named
    assert funnel.biggest_leak == "visitor_to_lead"
    assert funnel.leak_reason.startswith("no stage is below its typical range")


def test_the_biggest_leak_is_the_stage_furthest_below_its_benchmark(db: Engine) -> None:
    # lead -> MQL 0.30 is 6% under 0.32; MQL -> SQL 0.13 is half of 0.26
    put(db, [row("2026-05-04", **_stages(leads=200, mqls=60, sqls=8, opportunities=4))])
    funnel = _funnel(db)
    assert funnel.biggest_leak == "mql_to_sql"
    assert funnel.leak_reason == (
        "MQL-to-SQL conversion is 13.3%, 49% below the low end of its typical range "
        "(26.0%, “How to measure ROI from your SaaS sales funnel”, side-business.com)"
    )
    assert funnel.to_json()["biggest_leak"] == "mql_to_sql"


def test_a_stage_within_one_of_its_ranges_is_not_a_leak(db: Engine) -> None:
    # 1.5% visitor-to-lead is below the Vietnamese article's 2-5% but within the Thai 0.7-2.3%
    put(db, [row("2026-05-04", **_stages(deals_won=1, deals_lost=9))])
    assert _funnel(db).biggest_leak == "win_rate"


def test_a_funnel_without_data_names_no_leak(db: Engine) -> None:
    funnel = _funnel(db, Filters(channel=("webinar",)))
    assert funnel.biggest_leak is None
    assert funnel.leak_reason == "no stage conversion can be computed for May 2026"


def test_a_weekly_trend_has_one_point_per_iso_week_clipped_to_the_period(db: Engine) -> None:
    put(
        db,
        [
            row("2026-05-01", leads=1),
            row("2026-05-03", leads=2),
            row("2026-05-04", leads=4),
            row("2026-05-31", leads=8),
            row("2026-06-01", leads=16),
        ],
    )
    found = answer(db, Query(Intent.TREND, MAY, "leads", trend_grain=Grain.WEEK))
    assert isinstance(found, TrendAnswer)
    spans = [(point.period.start.day, point.period.end.day) for point in found.points]
    assert spans == [(1, 3), (4, 10), (11, 17), (18, 24), (25, 31)]
    assert [point.value for point in found.points] == [3, 4, None, None, 8]
    assert found.points[2].reason is not None
    assert found.points[2].reason.startswith("no snapshots in W20 2026")


def test_trend_points_say_whether_they_cover_their_whole_week(db: Engine) -> None:
    # "last 6 months" asked on 2026-09-15: Sunday 1 March to Monday 31 August
    put(db, [row("2026-03-01", leads=1), row("2026-03-02", leads=40), row("2026-08-31", leads=2)])
    period = last_n(6, Grain.MONTH, date(2026, 9, 15))
    found = answer(db, Query(Intent.TREND, period, "leads", trend_grain=Grain.WEEK))
    assert isinstance(found, TrendAnswer)
    coverage = [point.coverage for point in found.points]
    assert (coverage[0], coverage[-1]) == (Coverage.PARTIAL, Coverage.PARTIAL)
    assert set(coverage[1:-1]) == {Coverage.WHOLE}
    assert found.to_json()["points"][-1]["coverage"] == "partial"


def test_the_unfinished_last_month_of_a_to_date_trend_is_so_far(db: Engine) -> None:
    put(db, [row("2026-10-15", leads=30), row("2026-11-20", leads=20)])
    period = this_unit(Grain.YEAR, date(2026, 11, 25))
    found = answer(db, Query(Intent.TREND, period, "leads", trend_grain=Grain.MONTH))
    assert isinstance(found, TrendAnswer)
    assert [point.coverage for point in found.points][-2:] == [Coverage.WHOLE, Coverage.SO_FAR]
    assert (found.points[-1].period.start, found.points[-1].period.end) == (
        date(2026, 11, 1),
        date(2026, 11, 25),
    )


def test_a_monthly_trend_computes_stocks_per_month(db: Engine) -> None:
    put(
        db,
        [
            row("2026-04-01", mrr_end=100.0, channel="a"),
            row("2026-04-30", mrr_end=110.0, channel="a"),
            row("2026-05-15", mrr_end=120.0, channel="a"),
            row("2026-05-31", mrr_end=50.0, channel="b"),
            row("2026-06-10", mrr_end=130.0, channel="a"),
        ],
    )
    found = answer(db, Query(Intent.TREND, quarter(2026, 2), "mrr", trend_grain=Grain.MONTH))
    assert isinstance(found, TrendAnswer)
    assert [point.period.label for point in found.points] == ["April 2026", "May 2026", "June 2026"]
    assert [point.value for point in found.points] == [110.0, 170.0, 130.0]
    assert found.to_json()["grain"] == "month"


def test_a_quarterly_trend_sums_flows_and_takes_stocks_per_quarter(db: Engine) -> None:
    put(
        db,
        [
            row("2026-01-05", leads=3, mrr_end=100.0),
            row("2026-03-31", leads=4, mrr_end=120.0),
            row("2026-05-15", leads=10, mrr_end=90.0),
            row("2026-08-01", leads=1, mrr_end=95.0),
        ],
    )
    period = between(date(2026, 2, 1), date(2026, 8, 31))
    found = answer(db, Query(Intent.TREND, period, "leads", trend_grain=Grain.QUARTER))
    assert isinstance(found, TrendAnswer)
    assert [point.value for point in found.points] == [4, 10, 1]
    assert [point.coverage for point in found.points] == [
        Coverage.PARTIAL, Coverage.WHOLE, Coverage.PARTIAL
    ]  # fmt: skip
    assert found.points[1].period.label == "Q2 2026"
    stocks = answer(db, Query(Intent.TREND, year(2026), "mrr", trend_grain=Grain.QUARTER))
    assert isinstance(stocks, TrendAnswer)
    assert [point.value for point in stocks.points] == [120.0, 90.0, 95.0, None]
    assert stocks.to_json()["grain"] == "quarter"


def test_explain_shows_definition_inputs_components_benchmarks_and_target(db: Engine) -> None:
    put(
        db,
        [
            row(
                "2026-05-04",
                marketing_spend=300.0,
                sales_spend=100.0,
                new_customers=1,
                customers_start=10,
                customers_end=10,
                customers_churned=1,
                mrr_end=100.0,
            )
        ],
    )
    context = MetricsContext(gross_margin=0.5, targets=(Target("ltv_cac", 2.0, None),))
    found = answer(db, Query(Intent.EXPLAIN, MAY, "ltv_cac"), context)
    assert isinstance(found, ExplainAnswer)
    assert found.formula_text == "ltv / cac"
    assert found.description
    assert found.value == pytest.approx((10 * 0.5 / 0.1) / 400)
    assert [item.metric for item in found.components] == ["ltv", "cac"]
    assert [item.value for item in found.components] == pytest.approx([50.0, 400.0])
    assert found.inputs["marketing_spend"] == 300.0
    assert [(item.low, item.high, item.sources) for item in found.benchmarks] == [
        (3, 5, (ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS))
    ]
    assert found.target is not None
    assert found.target.met is False
    data = found.to_json()
    assert (data["intent"], data["gross_margin"], data["formula"]) == ("explain", 0.5, "ltv / cac")
    assert data["benchmarks"][0]["source"] == (
        "“How to measure ROI from your SaaS sales funnel”, side-business.com "
        "and “Key SaaS marketing metrics”"
    )
    assert data["benchmarks"][0]["sources"][0]["url"] == "https://side-business.com/?p=4975"
