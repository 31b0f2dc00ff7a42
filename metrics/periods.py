"""Calendar periods: inclusive date ranges with a kind, a label and calendar arithmetic.

All arithmetic is on dates, never datetimes, so daylight-saving changes cannot move a
boundary; "today" is resolved once, in the configured timezone, by `local_today`.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

__all__ = [
    "DAYS_PER_MONTH",
    "Grain",
    "Period",
    "between",
    "half",
    "iso_week",
    "last_n",
    "last_unit",
    "local_today",
    "month",
    "parse_period",
    "quarter",
    "this_unit",
    "unit_containing",
    "year",
]

DAYS_PER_MONTH = 30.4375


class Grain(StrEnum):
    """The kind of a period; `CUSTOM` is any other inclusive range."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"
    CUSTOM = "custom"


_MONTHS_IN = {Grain.MONTH: 1, Grain.QUARTER: 3, Grain.HALF: 6, Grain.YEAR: 12}


@dataclass(frozen=True, slots=True)
class Period:
    """`[start, end]`, both inclusive. `to_date` marks a unit that is not over yet."""

    start: date
    end: date
    grain: Grain
    label: str
    to_date: bool = False

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def months(self) -> float:
        """months(P) of docs/metrics.md: whole calendar months, else days / 30.4375."""
        if self.start.day == 1 and self.end == _month_end(self.end):
            return float(
                (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1
            )
        return self.days / DAYS_PER_MONTH

    def previous(self) -> Period:
        """The previous period of the same kind (the same span earlier for partial ones)."""
        if self.grain in _MONTHS_IN:
            unit = _unit_by_months(_shift_months(self.start, -_MONTHS_IN[self.grain]), self.grain)
            return _truncated(unit, self) if self.to_date else unit
        if self.grain is Grain.WEEK:
            return _shifted_by_days(self, -7)
        return _shifted_by_days(self, -self.days)

    def year_ago(self) -> Period:
        """The same period one year earlier (29 February maps to 28 February)."""
        start, end = _shift_years(self.start, -1), _shift_years(self.end, -1)
        if self.grain is Grain.WEEK:
            iso_year, week, _ = self.start.isocalendar()
            return _truncated(iso_week(iso_year - 1, min(week, _weeks_in(iso_year - 1))), self)
        if self.grain in _MONTHS_IN or self.grain is Grain.DAY:
            unit = _unit_by_months(start, self.grain) if self.grain in _MONTHS_IN else self
            if self.grain is Grain.DAY:
                return _day(start)
            return _truncated(unit, self) if self.to_date else unit
        return between(start, end)

    def weeks(self) -> list[Period]:
        """The ISO weeks overlapping the period, each clipped to it."""
        return _split(self, lambda day: iso_week(*day.isocalendar()[:2]))

    def month_units(self) -> list[Period]:
        """The calendar months overlapping the period, each clipped to it."""
        return _split(self, lambda day: month(day.year, day.month))

    def quarter_units(self) -> list[Period]:
        """The calendar quarters overlapping the period, each clipped to it."""
        return _split(self, lambda day: quarter(day.year, (day.month - 1) // 3 + 1))

    def with_label(self, label: str) -> Period:
        return replace(self, label=label)


def local_today(zone: ZoneInfo, now: datetime | None = None) -> date:
    """Today's date in `zone` (at `now`, an aware datetime, when given)."""
    moment = now if now is not None else datetime.now(zone)
    return moment.astimezone(zone).date()


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _shift_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year_, month_ = divmod(index, 12)
    last = calendar.monthrange(year_, month_ + 1)[1]
    return date(year_, month_ + 1, min(day.day, last))


def _shift_years(day: date, years: int) -> date:
    return _shift_months(day, 12 * years)


def _weeks_in(iso_year: int) -> int:
    return date(iso_year, 12, 28).isocalendar()[1]


def _fmt_day(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]}"


def _range_text(start: date, end: date) -> str:
    if start.year != end.year:
        return f"{_fmt_day(start)} {start.year} – {_fmt_day(end)} {end.year}"
    return f"{_fmt_day(start)} – {_fmt_day(end)} {end.year}"


def _day(day: date) -> Period:
    return Period(day, day, Grain.DAY, f"{_fmt_day(day)} {day.year}")


def iso_week(iso_year: int, week: int) -> Period:
    if not 1 <= week <= _weeks_in(iso_year):
        raise ValueError(f"{iso_year} has no ISO week {week}")
    start = date.fromisocalendar(iso_year, week, 1)
    end = start + timedelta(days=6)
    return Period(start, end, Grain.WEEK, f"W{week:02d} {iso_year} ({_range_text(start, end)})")


def month(year_: int, month_: int) -> Period:
    start = date(year_, month_, 1)
    return Period(start, _month_end(start), Grain.MONTH, f"{calendar.month_name[month_]} {year_}")


def quarter(year_: int, number: int) -> Period:
    if not 1 <= number <= 4:
        raise ValueError(f"there is no quarter {number}")
    start = date(year_, 3 * number - 2, 1)
    end = _month_end(date(year_, 3 * number, 1))
    return Period(start, end, Grain.QUARTER, f"Q{number} {year_}")


def half(year_: int, number: int) -> Period:
    if number not in (1, 2):
        raise ValueError(f"there is no half {number}")
    start = date(year_, 6 * number - 5, 1)
    return Period(start, _month_end(date(year_, 6 * number, 1)), Grain.HALF, f"H{number} {year_}")


def year(year_: int) -> Period:
    return Period(date(year_, 1, 1), date(year_, 12, 31), Grain.YEAR, str(year_))


def between(start: date, end: date) -> Period:
    if end < start:
        raise ValueError(f"{end} is before {start}")
    if start == end:
        return _day(start)
    return Period(start, end, Grain.CUSTOM, _range_text(start, end))


def unit_containing(grain: Grain, day: date) -> Period:
    """The whole week, month, quarter, half or year that contains `day`."""
    if grain is Grain.DAY:
        return _day(day)
    if grain is Grain.WEEK:
        return iso_week(*day.isocalendar()[:2])
    if grain in _MONTHS_IN:
        return _unit_by_months(day, grain)
    raise ValueError(f"no calendar unit for {grain}")


def _unit_by_months(day: date, grain: Grain) -> Period:
    size = _MONTHS_IN[grain]
    index = (day.month - 1) // size + 1
    if grain is Grain.MONTH:
        return month(day.year, day.month)
    if grain is Grain.QUARTER:
        return quarter(day.year, index)
    if grain is Grain.HALF:
        return half(day.year, index)
    return year(day.year)


def this_unit(grain: Grain, today: date) -> Period:
    """From the unit's first day to today ("this month", "mtd")."""
    unit = unit_containing(grain, today)
    if unit.end == today:
        return unit
    return Period(unit.start, today, grain, f"{_short_label(unit)} to date", to_date=True)


def last_unit(grain: Grain, today: date) -> Period:
    """The previous complete unit ("last quarter")."""
    return unit_containing(grain, unit_containing(grain, today).start - timedelta(days=1))


def last_n(count: int, grain: Grain, today: date) -> Period:
    """The `count` complete units before today ("last 30 days", "last 6 weeks")."""
    if count < 1:
        raise ValueError("the count of units must be at least 1")
    if grain is Grain.DAY:
        start, end = today - timedelta(days=count), today - timedelta(days=1)
        return Period(start, end, Grain.CUSTOM, f"last {count} days ({_range_text(start, end)})")
    latest = last_unit(grain, today)
    first = latest
    for _ in range(count - 1):
        first = first.previous()
    period = Period(first.start, latest.end, Grain.CUSTOM, "")
    return period.with_label(
        f"last {count} {grain.value}s ({_range_text(first.start, latest.end)})"
    )


def _shifted_by_days(period: Period, days: int) -> Period:
    start, end = period.start + timedelta(days=days), period.end + timedelta(days=days)
    if period.grain is Grain.WEEK:
        return _truncated(iso_week(*start.isocalendar()[:2]), period)
    if period.grain is Grain.DAY:
        return _day(start)
    return between(start, end)


def _truncated(unit: Period, like: Period) -> Period:
    """`unit` cut to the same number of days as the to-date period `like`."""
    if not like.to_date:
        return unit
    end = min(unit.end, unit.start + timedelta(days=like.days - 1))
    label = f"{_short_label(unit)} to {_fmt_day(end)}"
    return Period(unit.start, end, unit.grain, label, to_date=True)


def _short_label(unit: Period) -> str:
    if unit.grain is Grain.WEEK:
        iso_year, week, _ = unit.start.isocalendar()
        return f"W{week:02d} {iso_year}"
    return unit.label


def _split(period: Period, unit_of: Callable[[date], Period]) -> list[Period]:
    parts: list[Period] = []
    day = period.start
    while day <= period.end:
        unit = unit_of(day)
        start, end = max(unit.start, period.start), min(unit.end, period.end)
        parts.append(unit if (start, end) == (unit.start, unit.end) else between(start, end))
        day = end + timedelta(days=1)
    return parts


_UNIT_WORDS = {
    "week": Grain.WEEK,
    "month": Grain.MONTH,
    "quarter": Grain.QUARTER,
    "year": Grain.YEAR,
}
_TO_DATE = {"wtd": Grain.WEEK, "mtd": Grain.MONTH, "qtd": Grain.QUARTER, "ytd": Grain.YEAR}
_STRUCTURED: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], Period]], ...] = (
    (re.compile(r"(\d{4})"), lambda found: year(int(found[1]))),
    (re.compile(r"(\d{4})-(\d{1,2})"), lambda found: month(int(found[1]), int(found[2]))),
    (re.compile(r"(\d{4})-q([1-4])"), lambda found: quarter(int(found[1]), int(found[2]))),
    (re.compile(r"(\d{4})-h([12])"), lambda found: half(int(found[1]), int(found[2]))),
    (re.compile(r"(\d{4})-w(\d{1,2})"), lambda found: iso_week(int(found[1]), int(found[2]))),
    (re.compile(r"(\d{4}-\d{2}-\d{2})"), lambda found: _day(date.fromisoformat(found[1]))),
    (
        re.compile(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})"),
        lambda found: between(date.fromisoformat(found[1]), date.fromisoformat(found[2])),
    ),
)


def parse_period(text: str, today: date) -> Period:
    """A structured period: `2026`, `2026-03`, `2026-Q3`, `2026-H1`, `2026-W47`, `2026-03-05`,
    `2026-01-01..2026-03-31`, `this|last week|month|quarter|year`, `mtd`, `qtd`, `ytd`.

    ValueError (with a message fit for a user) for anything else.
    """
    cleaned = " ".join(text.strip().lower().replace("-", " ").split())
    if cleaned in _TO_DATE:
        return this_unit(_TO_DATE[cleaned], today)
    relative, _, unit = cleaned.partition(" ")
    if relative in ("this", "last") and unit in _UNIT_WORDS:
        grain = _UNIT_WORDS[unit]
        return this_unit(grain, today) if relative == "this" else last_unit(grain, today)
    raw = text.strip().lower()
    for pattern, build in _STRUCTURED:
        found = pattern.fullmatch(raw)
        if found:
            try:
                return build(found)
            except ValueError as error:
                raise ValueError(f"cannot read the period {text!r}: {error}") from None
    raise ValueError(
        f"cannot read the period {text!r}; use e.g. 2026-03, 2026-Q3, 2026-H1, 2026, "
        "2026-W47, 2026-01-01..2026-03-31, last month, qtd"
    )
