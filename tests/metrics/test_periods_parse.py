"""months(P) of docs/metrics.md and the structured period forms of `funnelbot query`."""

from __future__ import annotations

import re
from datetime import date

import pytest

from metrics.periods import Grain, between, half, iso_week, month, parse_period, quarter, year

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("period_months", "expected"),
    [
        (month(2026, 2).months, 1.0),
        (quarter(2026, 3).months, 3.0),
        (half(2026, 1).months, 6.0),
        (year(2026).months, 12.0),
        (between(date(2026, 1, 1), date(2026, 2, 28)).months, 2.0),
        (between(date(2026, 1, 1), date(2026, 2, 14)).months, 45 / 30.4375),
        (between(date(2026, 1, 15), date(2026, 2, 28)).months, 45 / 30.4375),
        (iso_week(2026, 47).months, 7 / 30.4375),
    ],
)
def test_months_counts_calendar_months_else_days_over_30_4375(
    period_months: float, expected: float
) -> None:
    assert period_months == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize(
    ("text", "start", "end", "grain"),
    [
        ("2026", date(2026, 1, 1), date(2026, 12, 31), Grain.YEAR),
        ("2026-03", date(2026, 3, 1), date(2026, 3, 31), Grain.MONTH),
        ("2026-Q3", date(2026, 7, 1), date(2026, 9, 30), Grain.QUARTER),
        ("2026-h1", date(2026, 1, 1), date(2026, 6, 30), Grain.HALF),
        ("2026-W47", date(2026, 11, 16), date(2026, 11, 22), Grain.WEEK),
        ("2026-01-01..2026-03-31", date(2026, 1, 1), date(2026, 3, 31), Grain.CUSTOM),
        ("2026-03-05", date(2026, 3, 5), date(2026, 3, 5), Grain.DAY),
        ("last month", date(2026, 10, 1), date(2026, 10, 31), Grain.MONTH),
        ("last-week", date(2026, 11, 16), date(2026, 11, 22), Grain.WEEK),
        ("this quarter", date(2026, 10, 1), TODAY, Grain.QUARTER),
        ("last year", date(2025, 1, 1), date(2025, 12, 31), Grain.YEAR),
        ("MTD", date(2026, 11, 1), TODAY, Grain.MONTH),
        ("qtd", date(2026, 10, 1), TODAY, Grain.QUARTER),
        ("ytd", date(2026, 1, 1), TODAY, Grain.YEAR),
    ],
)
def test_structured_periods(text: str, start: date, end: date, grain: Grain) -> None:
    period = parse_period(text, TODAY)
    assert (period.start, period.end, period.grain) == (start, end, grain)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-13", "cannot read the period '2026-13': month must be in 1..12"),
        ("2026-W60", "cannot read the period '2026-W60': 2026 has no ISO week 60"),
        ("soon", "cannot read the period 'soon'; use e.g."),
        ("2026-03-31..2026-01-01", "cannot read the period '2026-03-31..2026-01-01'"),
    ],
)
def test_unreadable_periods_say_why(text: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message)):
        parse_period(text, TODAY)
