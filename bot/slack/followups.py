"""The natural next questions after an answer, written as questions the parser reads.

Periods are written in a form that names the same dates whatever day the button is
clicked (`2026-03`, `q3 2026`, `2026-01-01 to 2026-03-31`).
"""

from __future__ import annotations

from bot.render.blocks import FollowUp
from bot.slack.texts import Buttons
from metrics.periods import Grain, Period
from metrics.query import CompareKind, Dimension, Filters, Intent, Query

__all__ = ["followups_for", "period_words"]

TREND_MONTHS = 6


def period_words(period: Period) -> str:
    """`period` as words the parser reads back to the same dates."""
    if not period.to_date:
        start = period.start
        if period.grain is Grain.MONTH:
            return f"{start.year}-{start.month:02d}"
        if period.grain is Grain.QUARTER:
            return f"q{(start.month - 1) // 3 + 1} {start.year}"
        if period.grain is Grain.HALF:
            return f"h{(start.month - 1) // 6 + 1} {start.year}"
        if period.grain is Grain.YEAR:
            return str(start.year)
    return f"{period.start.isoformat()} to {period.end.isoformat()}"


def _filter_words(filters: Filters) -> list[str]:
    return [f"channel={name}" for name in filters.channel] + [
        f"segment={name}" for name in filters.segment
    ]


def _question(*parts: str) -> str:
    return " ".join(part for part in parts if part)


def followups_for(query: Query) -> list[FollowUp]:
    """Breakdowns, year-on-year, trend and definition for a metric; trend and definition
    of the leaking conversion for the funnel; the figure itself after a trend or an
    explanation."""
    if query.intent is Intent.METRIC and query.metric is not None:
        return _metric_followups(query, query.metric)
    if query.intent in (Intent.TREND, Intent.EXPLAIN) and query.metric is not None:
        base = _question(query.metric, *_filter_words(query.filters))
        other = (
            FollowUp(Buttons.EXPLAIN, f"explain {query.metric}")
            if query.intent is Intent.TREND
            else FollowUp(Buttons.TREND, f"trend {base} last {TREND_MONTHS} months")
        )
        return [FollowUp(Buttons.FIGURE, base), other]
    return []


def _metric_followups(query: Query, metric_id: str) -> list[FollowUp]:
    filters = _filter_words(query.filters)
    period = period_words(query.period)
    asked = _question(metric_id, *filters, period)
    found: list[FollowUp] = []
    for dimension, label in (
        (Dimension.CHANNEL, Buttons.BY_CHANNEL),
        (Dimension.SEGMENT, Buttons.BY_SEGMENT),
    ):
        if query.by is not dimension:
            found.append(FollowUp(label, f"{asked} by {dimension.value}"))
    if query.compare.kind is not CompareKind.YEAR_AGO:
        found.append(FollowUp(Buttons.VS_LAST_YEAR, f"{asked} yoy"))
    trend = _question("trend", metric_id, *filters, f"last {TREND_MONTHS} months")
    found.append(FollowUp(Buttons.TREND, trend))
    found.append(FollowUp(Buttons.EXPLAIN, f"explain {metric_id}"))
    return found
