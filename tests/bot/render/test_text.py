"""The terminal renderer and the shared number formatting."""

from __future__ import annotations

from datetime import date

import pytest

from bot.answers.replies import Answered, Refusal, catalog_reply, help_reply
from bot.i18n.formatting import format_change, format_range, format_value, period_text, sparkline
from bot.i18n.messages import EXAMPLES
from bot.parser import KnownValues, Parsed, parse
from bot.render.text import render_plain
from metrics.answers import (
    BenchmarkCheck,
    BenchmarkRange,
    BenchmarkStatus,
    ChangeResult,
    Coverage,
    ExplainAnswer,
    FunnelAnswer,
    FunnelStage,
    GroupValue,
    MetricAnswer,
    TrendAnswer,
    TrendPoint,
)
from metrics.articles import ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS
from metrics.catalog import Unit
from metrics.engine import Answer
from metrics.periods import Grain, between, iso_week, last_n, month, quarter, this_unit
from metrics.query import Filters

Q3, Q2 = quarter(2026, 3), quarter(2026, 2)


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.2534, Unit.RATIO, "25.3%"),
        (412.5, Unit.CURRENCY, "EUR 412.50"),
        (12_345.6, Unit.CURRENCY, "EUR 12,346"),
        (500.0, Unit.CURRENCY, "EUR 500"),
        (3.2, Unit.MULTIPLE, "3.2×"),
        (45.0, Unit.DAYS, "45.0 days"),
        (7.25, Unit.MONTHS, "7.2 months"),
        (1234.0, Unit.COUNT, "1,234"),
        (42.0, Unit.SCORE, "42.0"),
        (950.0, Unit.CURRENCY_PER_DAY, "EUR 950/day"),
        (None, Unit.RATIO, "n/a"),
        (float("nan"), Unit.COUNT, "n/a"),
    ],
)
def test_values_carry_their_unit(value: float | None, unit: Unit, shown: str) -> None:
    assert format_value(value, unit, "EUR") == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        # A float rounds by its exact binary value, half to even, as f"{value:.2f}" does.
        (1.015, Unit.CURRENCY, "USD 1.01"),  # stored just under 1.015
        (2.675, Unit.CURRENCY, "USD 2.67"),  # stored just under 2.675
        (45.45, Unit.DAYS, "45.5 days"),  # stored just over 45.45
        (7.25, Unit.MONTHS, "7.2 months"),  # stored exactly: a tie, to the even digit
        (2_500.5, Unit.CURRENCY, "USD 2,500"),  # a tie in whole units, to even
        (0.0255, Unit.RATIO, "2.5%"),  # times 100, just under 2.55
        (999.995, Unit.CURRENCY, "USD 1,000.00"),  # under 1,000, so two decimals
        (-412.5, Unit.CURRENCY, "USD -412.50"),  # the minus after the currency
        (12.5, Unit.RATIO, "1,250.0%"),  # grouped, as every other number
    ],
)
def test_values_round_as_python_formats_floats(value: float, unit: Unit, shown: str) -> None:
    assert format_value(value, unit, "USD") == shown


def test_a_rules_change_is_a_whole_percentage() -> None:
    assert format_value(0.2, Unit.RATIO, "USD", decimals=0) == "20%"
    assert format_value(0.125, Unit.RATIO, "USD", decimals=0) == "12%"


def test_changes_are_in_points_for_ratios_and_signed_otherwise() -> None:
    assert format_change(0.021, 0.1, Unit.RATIO, "USD") == "+2.1 pp"
    assert format_change(-32.5, -0.0855, Unit.CURRENCY, "USD") == "−USD 32.50 (−8.6%)"
    assert format_change(-0.00001, -0.001, Unit.RATIO, "USD") == "+0.0 pp"
    assert format_change(None, None, Unit.COUNT, "USD") == "n/a"


def test_ranges_and_periods_and_sparklines() -> None:
    assert format_range(0.2, 0.3, Unit.RATIO, "USD") == "20.0% – 30.0%"
    assert format_range(None, 0.05, Unit.RATIO, "USD") == "below 5.0%"
    assert format_range(3, None, Unit.MULTIPLE, "USD") == "above 3.0×"
    assert period_text(Q3) == "Q3 2026 (1 Jul – 30 Sep 2026)"
    assert period_text(iso_week(2026, 47)) == iso_week(2026, 47).label
    assert sparkline([1.0, None, 2.0, 3.0]) == "▁ ▅█"
    assert sparkline([2.0, 2.0]) == "▅▅"


def metric_answer(**changes: object) -> MetricAnswer:
    fields: dict[str, object] = {
        "metric": "cac",
        "label": "Customer acquisition cost",
        "unit": Unit.CURRENCY,
        "period": Q3,
        "filters": Filters(channel=("paid_search",)),
        "value": 412.5,
        "reason": None,
        "inputs": {"marketing_spend": 50_000.0, "sales_spend": 32_500.0, "new_customers": 200},
        "comparison": ChangeResult(Q2, 380.0, 32.5, 0.0855, better=False),
        "benchmarks": (BenchmarkCheck(200, 1000, BenchmarkStatus.WITHIN, (ROI_OF_A_SAAS_FUNNEL,)),),
        "warnings": ("3 rows have no sales_spend",),
    }
    fields.update(changes)
    return MetricAnswer(**fields)  # type: ignore[arg-type]


def shown(found: Answer, question: str = "cac last quarter for paid search") -> str:
    known = KnownValues(channels=("paid_search", "organic"))
    parsed = parse(question, today=date(2026, 11, 25), known=known)
    assert isinstance(parsed, Parsed)
    return render_plain(Answered(question, parsed.query, parsed.understood, found, "USD"))


def flat(text: str) -> str:
    """The text with the renderer's line wrapping undone."""
    return " ".join(text.split())


def test_a_metric_answer_shows_figure_change_benchmark_inputs_and_reading() -> None:
    text = shown(metric_answer())
    assert "Understood: Customer acquisition cost (cac) · paid search · Q3 2026" in text
    assert "Customer acquisition cost: USD 412.50" in text
    assert "▲ +USD 32.50 (+8.6%) vs Q2 2026 (USD 380)" in text
    assert (
        "Within the typical range USD 200 – USD 1,000, "
        "“How to measure ROI from your SaaS sales funnel”, side-business.com"
    ) in flat(text)
    assert "seed" not in text
    assert "marketing_spend USD 50,000" in text
    assert "new_customers 200" in text
    assert "3 rows have no sales_spend" in text


def test_a_ratio_change_is_in_points() -> None:
    found = metric_answer(
        metric="win_rate",
        label="Win rate",
        unit=Unit.RATIO,
        value=0.25,
        comparison=ChangeResult(Q2, 0.229, 0.021, 0.0917, better=True),
        benchmarks=(),
    )
    assert "▲ +2.1 pp vs Q2 2026 (22.9%)" in shown(found, "win rate last quarter")


def test_no_value_says_why() -> None:
    found = metric_answer(value=None, reason="no new customers in Q3 2026", comparison=None)
    text = shown(found)
    assert "USD n/a" not in text
    assert "n/a: no new customers in Q3 2026" in text


def test_a_breakdown_is_an_aligned_table() -> None:
    groups = (
        GroupValue({"channel": "organic"}, 210.0, None),
        GroupValue({"channel": "paid_search"}, None, "no new customers"),
    )
    text = shown(metric_answer(breakdown=groups), "cac by channel last quarter")
    assert "organic" in text
    assert "paid search" in text
    assert "no new customers" in text


def volume(metric: str, value: float) -> MetricAnswer:
    return metric_answer(metric=metric, label=metric.title(), unit=Unit.COUNT, value=value,
                         comparison=None, benchmarks=(), warnings=(), inputs={})  # fmt: skip


def test_the_funnel_names_its_leak() -> None:
    rate = metric_answer(metric="visitor_to_lead", label="Visitor-to-lead", unit=Unit.RATIO,
                         value=0.004, comparison=None, benchmarks=())  # fmt: skip
    funnel = FunnelAnswer(
        Q3,
        Filters(),
        (FunnelStage(volume("visitors", 10_000), None), FunnelStage(volume("leads", 40), rate)),
        "visitor_to_lead",
        "Visitor-to-lead is 0.4%, 43% below the low end",
    )
    text = shown(funnel, "funnel last quarter")
    assert "10,000" in text
    assert "0.4%" in text
    assert "◀ biggest leak" in text
    assert "Biggest leak: Visitor-to-lead is 0.4%" in text


def test_a_trend_has_a_sparkline_and_a_table() -> None:
    points = tuple(
        TrendPoint(month(2026, number), value, None if value else "no rows")
        for number, value in ((7, 0.3), (8, None), (9, 0.4))
    )
    trend = TrendAnswer("win_rate", "Win rate", Unit.RATIO, Q3, Filters(), Grain.MONTH, points)
    text = shown(trend, "trend win rate last quarter")
    assert "▁ █" in text
    assert "July 2026" in text
    assert "40.0%" in text
    assert "no rows" in text


def test_an_incomplete_trend_point_says_how_many_days_it_covers() -> None:
    # "trend new customers last 6 months" asked on 2026-09-15: 1 Mar – 31 Aug 2026
    period = last_n(6, Grain.MONTH, date(2026, 9, 15))
    first, last = (
        between(date(2026, 3, 1), date(2026, 3, 1)),
        between(date(2026, 8, 31), date(2026, 8, 31)),
    )
    points = (
        TrendPoint(first, 7.0, None, Coverage.PARTIAL),
        TrendPoint(iso_week(2026, 35), 123.0, None),
        TrendPoint(last, 26.0, None, Coverage.PARTIAL),
    )  # fmt: skip
    trend = TrendAnswer("new_customers", "New customers", Unit.COUNT, period, Filters(),
                        Grain.WEEK, points)  # fmt: skip
    marked = [line.strip() for line in shown(trend, "trend new customers").splitlines()
              if "partial" in line]  # fmt: skip
    assert len(marked) == 2
    assert marked[0].startswith("1 Mar 2026") and marked[1].startswith("31 Aug 2026")
    assert all(line.endswith("partial (1 of 7 days)") for line in marked)


def test_the_running_month_of_a_to_date_trend_is_so_far() -> None:
    period = this_unit(Grain.YEAR, date(2026, 11, 25))
    points = (
        TrendPoint(month(2026, 10), 0.009, None),
        TrendPoint(between(date(2026, 11, 1), date(2026, 11, 25)), 0.007, None, Coverage.SO_FAR),
    )
    trend = TrendAnswer("customer_churn_rate", "Customer churn rate", Unit.RATIO, period, Filters(),
                        Grain.MONTH, points)  # fmt: skip
    last = shown(trend, "trend churn this year").splitlines()[-1]
    assert "0.7%" in last
    assert "so far (25 of 30 days)" in last


def test_explain_shows_definition_formula_and_typical_range() -> None:
    explained = ExplainAnswer(
        metric="ltv_cac", label="LTV:CAC", unit=Unit.MULTIPLE, category="Unit economics",
        description="Lifetime value per unit of acquisition cost.", formula_text="ltv / cac",
        lower_is_better=False, period=Q3, filters=Filters(), value=3.0, reason=None,
        inputs={}, components=(), target=None, gross_margin=1.0,
        benchmarks=(BenchmarkRange(3, 5, (ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS), "",
                                   "3:1 is healthy", BenchmarkStatus.WITHIN),),
    )  # fmt: skip
    text = shown(explained, "explain ltv:cac")
    assert "Formula: ltv / cac" in text
    assert "3.0×" in text
    assert (
        "Typical range 3.0× – 5.0×, “How to measure ROI from your SaaS sales funnel”, "
        "side-business.com and “Key SaaS marketing metrics”; 3:1 is healthy"
    ) in flat(text)
    assert "seed" not in text


def test_explain_lists_each_source_article_with_its_original_title_and_address() -> None:
    explained = ExplainAnswer(
        metric="ltv_cac", label="LTV:CAC", unit=Unit.MULTIPLE, category="Unit economics",
        description="Lifetime value per unit of acquisition cost.", formula_text="ltv / cac",
        lower_is_better=False, period=Q3, filters=Filters(), value=None, reason="no rows",
        inputs={}, components=(), target=None, gross_margin=1.0,
        benchmarks=(BenchmarkRange(3, 5, (ROI_OF_A_SAAS_FUNNEL, SAAS_MARKETING_METRICS), "",
                                   "", None),),
    )  # fmt: skip
    sources = flat(shown(explained, "explain ltv:cac")).partition("Sources: ")[2]
    assert sources == (
        "“How to measure ROI from your SaaS sales funnel” (วิธีการวัด ROI จากช่องทางการขาย SaaS "
        "ของคุณ), side-business.com: https://side-business.com/?p=4975 "
        "“Key SaaS marketing metrics” (Các số liệu tiếp thị SaaS quan trọng)"
    )


def test_refusal_help_and_catalog() -> None:
    refusal = Refusal("cac from tiktok", "tiktok", "I do not know 'tiktok'", ("organic",),
                      EXAMPLES)  # fmt: skip
    text = render_plain(refusal)
    assert "Sorry, I do not know 'tiktok'. Did you mean: organic?" in text
    assert all(example in text for example in EXAMPLES)
    assert "funnel last month" in render_plain(help_reply())
    assert "ltv_cac" in render_plain(catalog_reply(), width=200)
