"""Chart images: titles that say what was asked, axes in the reply's language, and the
unfinished last point of a trend drawn as such."""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from bot.i18n import Language, use_language
from bot.i18n.localize import localize
from bot.render.charts import breakdown_chart, chart_for, funnel_chart, trend_figure
from metrics.answers import (
    Coverage,
    FunnelAnswer,
    FunnelStage,
    GroupValue,
    MetricAnswer,
    TrendAnswer,
    TrendPoint,
)
from metrics.catalog import Unit
from metrics.engine import Answer
from metrics.periods import Grain, between, iso_week, last_n, month
from metrics.query import Filters

TODAY = date(2026, 11, 25)
PAID_SEARCH = Filters(channel=("paid_search",))
LAST_12_WEEKS = last_n(12, Grain.WEEK, TODAY)


def weekly(values: list[float], *, last: Coverage = Coverage.WHOLE) -> tuple[TrendPoint, ...]:
    """Weekly points ending in the week before TODAY's; the last one covers `last`."""
    weeks = [iso_week(2026, 47 - len(values) + 1 + index) for index in range(len(values))]
    points = [TrendPoint(week, value, None) for week, value in zip(weeks, values, strict=True)]
    if last is not Coverage.WHOLE:
        end = weeks[-1].start
        points[-1] = TrendPoint(between(end, end), values[-1], None, last)
    return tuple(points)


def trend(metric: str, label: str, unit: Unit, points: tuple[TrendPoint, ...]) -> TrendAnswer:
    return TrendAnswer(metric, label, unit, LAST_12_WEEKS, PAID_SEARCH, Grain.WEEK, points)


MQL_TO_SQL = trend(
    "mql_to_sql", "MQL-to-SQL conversion", Unit.RATIO, weekly([0.41, 0.38, 0.36, 0.34, 0.31])
)
CHURN = trend(
    "customer_churn_rate",
    "Customer churn rate",
    Unit.RATIO,
    weekly([0.0012, 0.0019, 0.0016, 0.0023, 0.0021, 0.0014]),
)
OCTOBER = month(2026, 10)


def metric(
    name: str, label: str, unit: Unit, value: float, filters: Filters = PAID_SEARCH
) -> MetricAnswer:
    return MetricAnswer(name, label, unit, OCTOBER, filters, value, None, {})


BY_CHANNEL = replace(
    metric("cac", "Customer acquisition cost", Unit.CURRENCY, 400.0, Filters(segment=("smb",))),
    breakdown=(
        GroupValue({"channel": "organic"}, 380.0, None),
        GroupValue({"channel": "paid_search"}, 420.0, None),
    ),
)
FUNNEL = FunnelAnswer(
    OCTOBER,
    PAID_SEARCH,
    (
        FunnelStage(metric("visitors", "Visitors", Unit.COUNT, 10_000.0), None),
        FunnelStage(
            metric("leads", "Leads", Unit.COUNT, 150.0),
            metric("visitor_to_lead", "Visitor-to-lead conversion", Unit.RATIO, 0.015),
        ),
    ),
    "visitor_to_lead",
    "no stage is below its typical range",
)


def in_language(found: Answer, language: Language) -> Answer:
    with use_language(language):
        return localize(found)


def drawn(figure: Figure) -> Figure:
    figure.canvas.draw()
    return figure


def heights(line: Line2D) -> list[float]:
    values: list[float] = np.asarray(line.get_ydata(), dtype=float).tolist()
    return values


def y_labels(figure: Figure) -> list[str]:
    return [label.get_text() for label in drawn(figure).axes[0].get_yticklabels()]


def test_every_chart_title_carries_the_filters() -> None:
    trend_chart = chart_for(MQL_TO_SQL, "USD", "en")
    assert trend_chart is not None
    assert trend_chart.title == (
        "MQL-to-SQL conversion · paid search · last 12 weeks (31 Aug – 22 Nov 2026)"
    )
    assert breakdown_chart(BY_CHANNEL, "en").title == (
        "Customer acquisition cost · by channel · smb · October 2026 (1 Oct – 31 Oct 2026)"
    )
    assert funnel_chart(FUNNEL, "en").title == (
        "Funnel · paid search · October 2026 (1 Oct – 31 Oct 2026)"
    )


def test_thai_chart_titles_are_thai_but_for_the_names_of_channels() -> None:
    found = in_language(BY_CHANNEL, "th")
    assert isinstance(found, MetricAnswer)
    title = breakdown_chart(found, "th").title
    assert title.startswith("ต้นทุนการได้ลูกค้า · แยกตาม ช่องทาง · smb · ตุลาคม 2026")
    assert "by" not in title.split()
    funnel = in_language(FUNNEL, "th")
    assert isinstance(funnel, FunnelAnswer)
    assert funnel_chart(funnel, "th").title.startswith("กรวยการขาย · paid search · ตุลาคม 2026")


@pytest.mark.parametrize(("language", "first_week"), [("th", "31 ส.ค."), ("vi", "31 thg 8")])
def test_thai_and_vietnamese_dates_on_the_time_axis(language: Language, first_week: str) -> None:
    found = in_language(trend("leads", "Leads", Unit.COUNT, weekly([5.0] * 12)), language)
    assert isinstance(found, TrendAnswer)
    ticks = drawn(trend_figure(found, "USD", language)).axes[0].get_xticklabels()
    assert ticks[0].get_text() == first_week


@pytest.mark.parametrize(("language", "mark", "other"), [("en", ".", ","), ("vi", ",", ".")])
def test_value_ticks_are_distinct_at_the_precision_shown(
    language: Language, mark: str, other: str
) -> None:
    found = in_language(CHURN, language)
    assert isinstance(found, TrendAnswer)
    labels = y_labels(trend_figure(found, "USD", language))
    assert len(labels) >= 3
    assert len(set(labels)) == len(labels), labels
    assert all(label.endswith("%") and mark in label and other not in label for label in labels)


def test_counts_are_ticked_in_whole_numbers() -> None:
    few = trend("new_customers", "New customers", Unit.COUNT, weekly([2.0, 3.0, 2.0, 4.0]))
    labels = y_labels(trend_figure(few, "USD", "en"))
    assert labels and all(label.replace(",", "").isdigit() for label in labels), labels


def test_a_partial_last_week_is_a_hollow_point_on_a_dashed_line() -> None:
    values = [123.0, 118.0, 121.0, 17.0]
    found = trend("new_customers", "New customers", Unit.COUNT,
                  weekly(values, last=Coverage.PARTIAL))  # fmt: skip
    axes = drawn(trend_figure(found, "USD", "en")).axes[0]
    solid, hollow = [], []
    for line in axes.get_lines():
        ys = heights(line)
        if line.get_marker() == "o" and to_rgba(line.get_markerfacecolor()) == to_rgba("white"):
            hollow.append(ys)
        elif line.get_marker() == "o":
            solid.append([y for y in ys if not math.isnan(y)])
    assert hollow == [[17.0]]
    assert solid == [values[:-1]]
    dashed = [line for line in axes.get_lines() if line.get_linestyle() == "--"]
    assert heights(dashed[0])[-2:] == [121.0, 17.0]
    legend = axes.get_legend()
    assert legend is not None
    assert [text.get_text() for text in legend.get_texts()] == ["fewer days than a whole period"]


def test_a_trend_of_whole_weeks_has_no_hollow_point_and_no_legend() -> None:
    axes = drawn(trend_figure(MQL_TO_SQL, "USD", "en")).axes[0]
    assert axes.get_legend() is None
    faces = {line.get_markerfacecolor() for line in axes.get_lines() if line.get_marker() == "o"}
    assert "white" not in faces
