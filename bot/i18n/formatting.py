"""Numbers, units, periods and changes as people read them; shared by every renderer."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Sequence
from datetime import date

from bot import i18n
from bot.i18n.messages import Understood, Wording
from metrics.answers import Coverage, MetricAnswer, TrendPoint
from metrics.articles import Article
from metrics.catalog import Unit
from metrics.messages import quoted_title, source_title
from metrics.periods import Grain, Period, unit_containing
from metrics.query import Filters

__all__ = [
    "arrow",
    "coverage_text",
    "day_text",
    "filter_parts",
    "format_change",
    "format_range",
    "format_value",
    "is_negligible",
    "leader_text",
    "month_text",
    "name_text",
    "period_text",
    "point_label",
    "reference_text",
    "sparkline",
]

_RANGE_GRAINS = (Grain.MONTH, Grain.QUARTER, Grain.HALF, Grain.YEAR)
_SPARKS = "▁▂▃▄▅▆▇█"
_BIG = 1000
_NEGLIGIBLE_RATIO = 0.0005
_NEGLIGIBLE_AMOUNT = 0.005


def _amount(value: float, decimals: int | None) -> str:
    if decimals is not None:
        return f"{value:,.{decimals}f}"
    whole = abs(value) >= _BIG or value.is_integer()
    return f"{value:,.0f}" if whole else f"{value:,.2f}"


def _count(value: float, decimals: int | None) -> str:
    if decimals is None:
        decimals = 0 if value.is_integer() else 1
    return f"{value:,.{decimals}f}"


def _fixed(default: int, suffix: str = "") -> Callable[[float, str, int | None], str]:
    return lambda value, _, decimals: (
        f"{value:,.{default if decimals is None else decimals}f}{suffix}"
    )


_FORMATS: dict[Unit, Callable[[float, str, int | None], str]] = {
    Unit.RATIO: lambda value, _, decimals: f"{value:.{1 if decimals is None else decimals}%}",
    Unit.CURRENCY: lambda value, currency, decimals: f"{currency} {_amount(value, decimals)}",
    Unit.CURRENCY_PER_DAY: lambda value, currency, decimals: (
        f"{currency} {_amount(value, decimals)}/day"
    ),
    Unit.MULTIPLE: _fixed(1, "×"),
    Unit.DAYS: _fixed(1, " days"),
    Unit.MONTHS: _fixed(1, " months"),
    Unit.SCORE: _fixed(1),
    Unit.COUNT: lambda value, _, decimals: _count(value, decimals),
}


def format_value(
    value: float | None, unit: Unit, currency: str, *, decimals: int | None = None
) -> str:
    """25.0%, USD 412.50, USD 12,345, 3.2×, 45.0 days, 1,234; "n/a" for no value.

    `decimals` fixes the digits after the decimal mark (chart axes); None is each unit's own.
    """
    if (language := i18n.active_language()) != "en":
        return i18n.format_value(value, unit, currency, language, decimals=decimals)
    if value is None or not math.isfinite(value):
        return "n/a"
    return _FORMATS[unit](float(value), currency, decimals)


def is_negligible(change: float, unit: Unit) -> bool:
    """Whether a change would show as zero (under 0.05 pp, or under 0.005 of a unit)."""
    if unit is Unit.RATIO:
        return abs(change) < _NEGLIGIBLE_RATIO
    return abs(change) < _NEGLIGIBLE_AMOUNT


def format_change(change: float | None, change_pct: float | None, unit: Unit, currency: str) -> str:
    """+2.1 pp for ratios; +USD 32.50 (+8.6%) otherwise; "n/a" without a change."""
    if change is None:
        return "n/a"
    if is_negligible(change, unit):
        change, change_pct = 0.0, None if change_pct is None else 0.0
    if (language := i18n.active_language()) != "en":
        return i18n.format_change(change, change_pct, unit, currency, language)
    sign = "+" if change >= 0 else "−"
    if unit is Unit.RATIO:
        return f"{sign}{abs(change) * 100:.1f} pp"
    amount = format_value(abs(change), unit, currency)
    if change_pct is None:
        return f"{sign}{amount}"
    return f"{sign}{amount} ({sign}{abs(change_pct):.1%})"


def arrow(change: float | None, unit: Unit) -> str:
    """▲ up, ▼ down, = no visible change."""
    if change is None or is_negligible(change, unit):
        return "="
    return "▲" if change > 0 else "▼"


def format_range(low: float | None, high: float | None, unit: Unit, currency: str) -> str:
    """20.0% – 30.0%, below 5.0%, above 3.0×."""
    if (language := i18n.active_language()) != "en":
        return i18n.format_range(low, high, unit, currency, language)
    if low is not None and high is not None:
        return f"{format_value(low, unit, currency)} – {format_value(high, unit, currency)}"
    if high is not None:
        return f"below {format_value(high, unit, currency)}"
    return f"above {format_value(low, unit, currency)}"


def day_text(day: date) -> str:
    """Day and month: "4 May", "4 thg 5"."""
    if (language := i18n.active_language()) != "en":
        return i18n.short_day(day, language)
    return f"{day.day} {calendar.month_abbr[day.month]}"


def month_text(day: date) -> str:
    """The month of `day`, short: "May 2026", "พ.ค. 2026"."""
    if (language := i18n.active_language()) != "en":
        return i18n.short_month(day, language)
    return f"{calendar.month_abbr[day.month]} {day.year}"


def period_text(period: Period) -> str:
    """The label, with the dates when the label does not show them: "Q3 2026 (1 Jul – …)"."""
    if (language := i18n.active_language()) != "en":
        return i18n.period_with_dates(period, language)
    if period.grain not in _RANGE_GRAINS and not period.to_date:
        return period.label
    start, end = period.start, period.end
    if start.year == end.year:
        dates = f"{day_text(start)} – {day_text(end)} {end.year}"
    else:
        dates = f"{day_text(start)} {start.year} – {day_text(end)} {end.year}"
    return f"{period.label} ({dates})"


def point_label(period: Period) -> str:
    """A short label for one point of a trend: "W19 · 4 May" for weeks, else the label."""
    if period.grain is Grain.WEEK:
        week = period.start.isocalendar()[1]
        return f"W{week:02d} · {day_text(period.start)}"
    return i18n.period_label(period)


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
