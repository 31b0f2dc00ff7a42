"""Numbers, units, periods and changes as people read them; shared by every renderer."""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable, Sequence
from datetime import date

from bot import i18n
from bot.messages import Wording
from metrics.answers import MetricAnswer
from metrics.catalog import Unit
from metrics.periods import Grain, Period

__all__ = [
    "arrow",
    "format_change",
    "format_range",
    "format_value",
    "is_negligible",
    "leader_text",
    "name_text",
    "period_text",
    "point_label",
    "sparkline",
]

_RANGE_GRAINS = (Grain.MONTH, Grain.QUARTER, Grain.HALF, Grain.YEAR)
_SPARKS = "▁▂▃▄▅▆▇█"
_BIG = 1000
_NEGLIGIBLE_RATIO = 0.0005
_NEGLIGIBLE_AMOUNT = 0.005


def _amount(value: float) -> str:
    whole = abs(value) >= _BIG or value.is_integer()
    return f"{value:,.0f}" if whole else f"{value:,.2f}"


_FORMATS: dict[Unit, Callable[[float, str], str]] = {
    Unit.RATIO: lambda value, _: f"{value:.1%}",
    Unit.CURRENCY: lambda value, currency: f"{currency} {_amount(value)}",
    Unit.CURRENCY_PER_DAY: lambda value, currency: f"{currency} {_amount(value)}/day",
    Unit.MULTIPLE: lambda value, _: f"{value:.1f}×",
    Unit.DAYS: lambda value, _: f"{value:,.1f} days",
    Unit.MONTHS: lambda value, _: f"{value:,.1f} months",
    Unit.SCORE: lambda value, _: f"{value:.1f}",
    Unit.COUNT: lambda value, _: f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}",
}


def format_value(value: float | None, unit: str, currency: str) -> str:
    """25.0%, USD 412.50, USD 12,345, 3.2×, 45.0 days, 1,234; "n/a" for no value."""
    if (language := i18n.active_language()) != "en":
        return i18n.format_value(value, unit, currency, language)
    if value is None or not math.isfinite(value):
        return "n/a"
    return _FORMATS[Unit(unit)](float(value), currency)


def is_negligible(change: float, unit: str) -> bool:
    """Whether a change would show as zero (under 0.05 pp, or under 0.005 of a unit)."""
    if Unit(unit) is Unit.RATIO:
        return abs(change) < _NEGLIGIBLE_RATIO
    return abs(change) < _NEGLIGIBLE_AMOUNT


def format_change(change: float | None, change_pct: float | None, unit: str, currency: str) -> str:
    """+2.1 pp for ratios; +USD 32.50 (+8.6%) otherwise; "n/a" without a change."""
    if change is None:
        return "n/a"
    if is_negligible(change, unit):
        change, change_pct = 0.0, None if change_pct is None else 0.0
    if (language := i18n.active_language()) != "en":
        return i18n.format_change(change, change_pct, unit, currency, language)
    sign = "+" if change >= 0 else "−"
    if Unit(unit) is Unit.RATIO:
        return f"{sign}{abs(change) * 100:.1f} pp"
    amount = format_value(abs(change), unit, currency)
    if change_pct is None:
        return f"{sign}{amount}"
    return f"{sign}{amount} ({sign}{abs(change_pct):.1%})"


def arrow(change: float | None, unit: str) -> str:
    """▲ up, ▼ down, = no visible change."""
    if change is None or is_negligible(change, unit):
        return "="
    return "▲" if change > 0 else "▼"


def format_range(low: float | None, high: float | None, unit: str, currency: str) -> str:
    """20.0% – 30.0%, below 5.0%, above 3.0×."""
    if (language := i18n.active_language()) != "en":
        return i18n.format_range(low, high, unit, currency, language)
    if low is not None and high is not None:
        return f"{format_value(low, unit, currency)} – {format_value(high, unit, currency)}"
    if high is not None:
        return f"below {format_value(high, unit, currency)}"
    return f"above {format_value(low, unit, currency)}"


def _day(day: date) -> str:
    if (language := i18n.active_language()) != "en":
        return i18n.short_day(day, language)
    return f"{day.day} {calendar.month_abbr[day.month]}"


def period_text(period: Period) -> str:
    """The label, with the dates when the label does not show them: "Q3 2026 (1 Jul – …)"."""
    if (language := i18n.active_language()) != "en":
        return i18n.period_with_dates(period, language)
    if period.grain not in _RANGE_GRAINS and not period.to_date:
        return period.label
    start, end = period.start, period.end
    if start.year == end.year:
        dates = f"{_day(start)} – {_day(end)} {end.year}"
    else:
        dates = f"{_day(start)} {start.year} – {_day(end)} {end.year}"
    return f"{period.label} ({dates})"


def point_label(period: Period) -> str:
    """A short label for one point of a trend: "W19 · 4 May" for weeks, else the label."""
    if period.grain is Grain.WEEK:
        week = period.start.isocalendar()[1]
        return f"W{week:02d} · {_day(period.start)}"
    return i18n.period_label(period)


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
