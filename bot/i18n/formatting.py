"""Numbers, units, periods and changes as people read them; shared by every renderer.

Each is said in the active language by that language's `Formatter` (`bot.i18n.formats`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from bot.i18n.formats import active_formatter, is_negligible, period_label
from bot.i18n.messages import Understood, Wording
from metrics.answers import Coverage, MetricAnswer, TrendPoint
from metrics.articles import Article
from metrics.catalog import CATALOG, Unit
from metrics.messages import quoted_title, source_title
from metrics.periods import Grain, Period, unit_containing
from metrics.query import Filters
from storage.columns import MEASURE_COLUMNS, ValueType

__all__ = [
    "arrow",
    "coverage_text",
    "day_text",
    "filter_parts",
    "format_change",
    "format_range",
    "format_value",
    "input_text",
    "is_negligible",
    "leader_text",
    "month_text",
    "name_text",
    "period_text",
    "point_label",
    "reference_text",
    "sparkline",
]

_SPARKS = "▁▂▃▄▅▆▇█"
_INPUT_UNITS = {
    ValueType.AMOUNT: Unit.CURRENCY,
    ValueType.COUNT: Unit.COUNT,
    ValueType.DAYS: Unit.DAYS,
}
_COLUMN_UNITS = {column.name: _INPUT_UNITS[column.value_type] for column in MEASURE_COLUMNS}


def format_value(
    value: float | None, unit: Unit, currency: str, *, decimals: int | None = None
) -> str:
    """25.0%, USD 412.50, USD 12,345, 3.2×, 45.0 days, 1,234; "n/a" for no value.

    `decimals` fixes the digits after the decimal mark (chart axes); None is each unit's own.
    """
    return active_formatter().value(value, unit, currency, decimals=decimals)


def format_change(change: float | None, change_pct: float | None, unit: Unit, currency: str) -> str:
    """+2.1 pp for ratios; +USD 32.50 (+8.6%) otherwise; "n/a" without a change."""
    return active_formatter().change(change, change_pct, unit, currency)


def arrow(change: float | None, unit: Unit) -> str:
    """▲ up, ▼ down, = no visible change."""
    if change is None or is_negligible(change, unit):
        return "="
    return "▲" if change > 0 else "▼"


def format_range(low: float | None, high: float | None, unit: Unit, currency: str) -> str:
    """20.0% – 30.0%, below 5.0%, above 3.0×."""
    return active_formatter().range(low, high, unit, currency)


def input_text(name: str, value: float | None, currency: str) -> str:
    """An input of a formula (a stored column or another metric) in its unit."""
    unit = _COLUMN_UNITS.get(name) or (CATALOG[name].unit if name in CATALOG else Unit.COUNT)
    return format_value(value, unit, currency)


def day_text(day: date) -> str:
    """Day and month: "4 May", "4 thg 5"."""
    return active_formatter().short_day(day)


def month_text(day: date) -> str:
    """The month of `day`, short: "May 2026", "พ.ค. 2026"."""
    return active_formatter().short_month(day)


def period_text(period: Period) -> str:
    """The label, with the dates when the label does not show them: "Q3 2026 (1 Jul – …)"."""
    return active_formatter().period_with_dates(period)


def point_label(period: Period) -> str:
    """A short label for one point of a trend: "W19 · 4 May" for weeks, else the label."""
    if period.grain is Grain.WEEK:
        week = period.start.isocalendar()[1]
        return f"W{week:02d} · {day_text(period.start)}"
    return period_label(period)


def coverage_text(point: TrendPoint, grain: Grain) -> str:
    """ "partial (1 of 7 days)", "so far (25 of 30 days)"; "" for a whole week or month."""
    if point.coverage is Coverage.WHOLE:
        return ""
    template = Wording.TREND_SO_FAR if point.coverage is Coverage.SO_FAR else Wording.TREND_PARTIAL
    total = unit_containing(grain, point.period.start).days
    return template.format(days=point.period.days, total=total)


def filter_parts(filters: Filters) -> list[str]:
    """The filters as the "Understood" line names them: "paid search or organic", "smb"."""
    return [
        Understood.OR.join(name_text(name) for name in names)
        for names in (filters.channel, filters.segment)
        if names
    ]


def reference_text(source: Article) -> str:
    """An article in full, for `explain`: "“How to measure ROI from your SaaS sales funnel”
    (วิธีการวัด ROI จากช่องทางการขาย SaaS ของคุณ), side-business.com: https://…"."""
    text = quoted_title(source)
    if source.title != source_title(source):
        text += f" ({source.title})"
    if source.publisher:
        text += f", {source.publisher}"
    return f"{text}: {source.url}" if source.url else text


def name_text(name: str) -> str:
    """A stored channel or segment name for people: "paid_search" is "paid search"."""
    return name.replace("_", " ")


def sparkline(values: Sequence[float | None]) -> str:
    """One block per value, scaled between the smallest and largest; a gap for no value."""
    known = [value for value in values if value is not None and math.isfinite(value)]
    if not known:
        return " " * len(values)
    low, high = min(known), max(known)
    span = high - low
    marks = []
    for value in values:
        if value is None or not math.isfinite(value):
            marks.append(" ")
        elif span == 0:
            marks.append(_SPARKS[len(_SPARKS) // 2])
        else:
            marks.append(_SPARKS[round((value - low) / span * (len(_SPARKS) - 1))])
    return "".join(marks)


def leader_text(answer: MetricAnswer, currency: str) -> str:
    """ "Lowest: organic, USD 382.89": the group a ranking question asked for."""
    assert answer.leader is not None and answer.rank is not None
    name = name_text(next(iter(answer.leader.group.values())))
    value = format_value(answer.leader.value, answer.unit, currency)
    return Wording.LEADER[answer.rank.value].format(name=name, value=value)
