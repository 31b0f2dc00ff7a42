"""Periods and comparisons in free text, read by patterns before the words are.

Each match is replaced by a mark word (`MARK` + one private-use character) so the word
grammar sees "cac <mark> vs <mark>" and can pair periods with "vs", "since" and "to".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial

from bot.i18n.messages import Reason
from bot.parser._normalize import MARK, shorten
from bot.parser._types import UnreadableError
from metrics.periods import (
    Grain,
    Period,
    between,
    half,
    iso_week,
    last_n,
    last_unit,
    month,
    quarter,
    this_unit,
    unit_containing,
    year,
)
from metrics.query import CompareKind

__all__ = ["PERIOD_WORDS", "CompareMark", "Mark", "PeriodMark", "mark_index", "read_marks"]

_FIRST_INDEX = 0xE100
_MAX_MARKS = 64


@dataclass(frozen=True, slots=True)
class PeriodMark:
    """A period in the text; `last_of` is the unit of a "last <unit>" phrase."""

    period: Period
    text: str
    last_of: Grain | None = None


@dataclass(frozen=True, slots=True)
class CompareMark:
    """A comparison keyword; `grain` is the unit "mom", "qoq" and "wow" imply."""

    kind: CompareKind
    text: str
    grain: Grain | None = None


Mark = PeriodMark | CompareMark
_Builder = Callable[[re.Match[str], date], Mark]

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_FULL_MONTHS = ("january", "february", "march", "april", "june", "july", "august",
                "september", "october", "november", "december")  # fmt: skip
_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a": 1,
}  # fmt: skip
_ORDINALS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3,
             "fourth": 4, "4th": 4}  # fmt: skip
_UNITS = {
    "day": Grain.DAY, "days": Grain.DAY, "d": Grain.DAY,
    "week": Grain.WEEK, "weeks": Grain.WEEK, "wk": Grain.WEEK, "wks": Grain.WEEK,
    "w": Grain.WEEK, "month": Grain.MONTH, "months": Grain.MONTH, "mo": Grain.MONTH,
    "mos": Grain.MONTH, "m": Grain.MONTH, "quarter": Grain.QUARTER,
    "quarters": Grain.QUARTER, "qtr": Grain.QUARTER, "qtrs": Grain.QUARTER,
    "q": Grain.QUARTER, "half": Grain.HALF, "year": Grain.YEAR, "years": Grain.YEAR,
    "yr": Grain.YEAR, "yrs": Grain.YEAR, "y": Grain.YEAR, "mth": Grain.MONTH,
    "mths": Grain.MONTH,
}  # fmt: skip
_MOST_UNITS_BACK = {Grain.DAY: 3660, Grain.WEEK: 520, Grain.MONTH: 120, Grain.QUARTER: 40,
                    Grain.HALF: 20, Grain.YEAR: 10}  # fmt: skip
_TO_DATE = {"wtd": Grain.WEEK, "mtd": Grain.MONTH, "qtd": Grain.QUARTER, "htd": Grain.HALF,
            "ytd": Grain.YEAR}  # fmt: skip
_EARLIEST_YEAR, _LATEST_YEAR = 1970, 2100

# The words the period patterns are written in, for spelling to correct towards.
PERIOD_WORDS = frozenset(
    {*_MONTHS, *_UNITS, *_NUMBERS, *_ORDINALS, "yesterday", "today", "previous", "prior",
     "current", "since", "between", "through", "until", "versus", "compared", "against",
     "last", "past", "this", "year", "date"}
)  # fmt: skip
_MONTH_NAME = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUMBER = "|".join(["\\d{1,5}", *_NUMBERS])
_UNIT = "|".join(sorted(_UNITS, key=len, reverse=True))
_ORDINAL = "|".join(_ORDINALS)
_VS = r"(?:vs\.?|v\.?|versus|compared? (?:to|with)|against|relative to)"
_YEAR = r"(\d{4})"
_ISO_DATE = r"(\d{4}-\d{1,2}-\d{1,2})"
_UNIT_WORD = r"(week|wk|month|mth|quarter|qtr|half|year|yr)"
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_SLASH_DATE = r"(\d{1,2})/(\d{1,2})(?:/(\d{4}|\d{2}))?"
_OF_YEAR = r"(?:of )?(?:the )?(last|previous|prior|this|current) year"
_THAN = r"than (?:we did |it was |we had )?(?:in )?"


def _year_number(text: str) -> int:
    number = int(text) + (2000 if len(text) == 2 else 0)
    if not _EARLIEST_YEAR <= number <= _LATEST_YEAR:
        raise ValueError(f"the year {number} is out of range")
    return number


def _latest_started(build: Callable[[int], Period], today: date) -> Period:
    """The most recent unit of that name that has started ("q3" in May is last year's)."""
    candidate = build(today.year)
    return candidate if candidate.start <= today else build(today.year - 1)


def _compare(kind: CompareKind, grain: Grain | None = None) -> _Builder:
    return lambda found, _today: CompareMark(kind, found.group(0), grain)


def _period(build: Callable[[re.Match[str], date], Period]) -> _Builder:
    return lambda found, today: PeriodMark(build(found, today), found.group(0))


def _days_before(today: date, days: int) -> Period:
    day = today - timedelta(days=days)
    return between(day, day)


def _first_quarters(count: str, year_text: str | None, today: date) -> Period:
    year_number = int(year_text) if year_text else today.year
    number = _NUMBERS.get(count) or int(count)
    return between(quarter(year_number, 1).start, quarter(year_number, number).end)


def _last_unit(found: re.Match[str], today: date) -> Mark:
    grain = _UNITS[found.group(1)]
    return PeriodMark(last_unit(grain, today), found.group(0), last_of=grain)


def _last_n(found: re.Match[str], today: date) -> Mark:
    raw_count, unit = found.group(1), found.group(2)
    count = _NUMBERS.get(raw_count) or int(raw_count)
    grain = _UNITS[unit]
    if count > _MOST_UNITS_BACK.get(grain, 1):
        raise UnreadableError(shorten(found.group(0)), Reason.TOO_FAR.format(part=found.group(0)))
    if count == 0:
        raise ValueError("the count must be at least 1")
    if count == 1 and grain is not Grain.DAY:
        return PeriodMark(last_unit(grain, today), found.group(0), last_of=grain)
    return PeriodMark(last_n(count, grain, today), found.group(0))


def _iso_range(found: re.Match[str], _today: date) -> Period:
    start, end = date.fromisoformat(_iso(found.group(1))), date.fromisoformat(_iso(found.group(2)))
    if end < start:
        raise UnreadableError(shorten(found.group(0)), Reason.BAD_RANGE.format(part=found.group(0)))
    return between(start, end)


def _iso(text: str) -> str:
    year_, month_, day = text.split("-")
    return f"{year_}-{int(month_):02d}-{int(day):02d}"


def _day(found: re.Match[str], _today: date) -> Period:
    day = date.fromisoformat(_iso(found.group(1)))
    _year_number(str(day.year))
    return between(day, day)


def _quarter_of(number: str, year_text: str | None, today: date) -> Period:
    index = _ORDINALS.get(number) or int(number)
    if year_text is None:
        return _latest_started(lambda year_: quarter(year_, index), today)
    return quarter(_year_number(year_text), index)


def _half_of(number: str, year_text: str | None, today: date) -> Period:
    index = _ORDINALS.get(number) or int(number)
    if year_text is None:
        return _latest_started(lambda year_: half(year_, index), today)
    return half(_year_number(year_text), index)


def _month_named(name: str, year_text: str | None, today: date) -> Period:
    number = _MONTHS[name]
    if year_text is None:
        return _latest_started(lambda year_: month(year_, number), today)
    return month(_year_number(year_text), number)


def _last_month_named(name: str, today: date) -> Period:
    """ "last december": the most recent one that is over."""
    candidate = month(today.year, _MONTHS[name])
    return candidate if candidate.end < today else month(today.year - 1, _MONTHS[name])


def _relative_year(word: str, today: date) -> int:
    return today.year if word in ("this", "current") else today.year - 1


def _day_named(day: str, name: str, year_text: str | None, today: date) -> date:
    """A day of a named month; without a year, the most recent one not after today."""
    return _day_of(_MONTHS[name], int(day), year_text, today)


def _day_of(month_: int, day: int, year_text: str | None, today: date) -> date:
    """A day of a month; without a year, the most recent one not after today."""
    if year_text is not None:
        return date(_year_number(year_text), month_, day)
    candidate = date(today.year, month_, day)
    return candidate if candidate <= today else date(today.year - 1, month_, day)


def _one_day(found: re.Match[str], today: date) -> Period:
    day, name, year_text = found.group(1), found.group(2), found.group(3) or None
    if not day.isdigit():
        day, name = name, day
    single = _day_named(day, name, year_text, today)
    return between(single, single)


def _days_of_month(found: re.Match[str], today: date) -> Period:
    first, last, name, year_text = found.groups()
    start, end = (_day_named(day, name, year_text, today) for day in (first, last))
    if end < start:
        raise UnreadableError(shorten(found.group(0)), Reason.BAD_RANGE.format(part=found.group(0)))
    return between(start, end)


def _slash_days(found: re.Match[str], today: date) -> Period:
    """ "10/1 - 10/15", "15/10": a day or a range written with slashes, read month first
    or day first by whichever its numbers allow; refused when both readings are dates."""
    groups = found.groups()
    written = [groups[at : at + 3] for at in range(0, len(groups), 3) if groups[at] is not None]
    readings = {order: _slash_reading(written, order, today) for order in ("md", "dm")}
    possible = {reading for reading in readings.values() if reading is not None}
    part = found.group(0)
    if not possible:
        error = "the numbers are no month and day" if len(written) == 1 else "no range of days"
        raise UnreadableError(shorten(part), Reason.BAD_DATE.format(part=part, error=error))
    if len(possible) > 1:
        raise UnreadableError(shorten(part), Reason.AMBIGUOUS_DATE.format(part=part))
    return possible.pop()


def _slash_reading(written: list[tuple[str | None, ...]], order: str, today: date) -> Period | None:
    try:
        days = [_slash_day(parts, order, today) for parts in written]
    except ValueError:
        return None
    if len(days) == 2 and days[1] < days[0] and written[1][2] is None:
        days[1] = days[1].replace(year=days[1].year + 1)
    if days[-1] < days[0]:
        return None
    return between(days[0], days[-1])


def _slash_day(parts: tuple[str | None, ...], order: str, today: date) -> date:
    first, second, year_text = parts
    assert first is not None and second is not None
    month_, day = (int(first), int(second)) if order == "md" else (int(second), int(first))
    return _day_of(month_, day, year_text, today)


def _week_containing(period: Period) -> Period:
    iso_year, week, _ = period.start.isocalendar()
    return iso_week(iso_year, week)


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){pattern}(?![\w-])")


# In order: comparisons before periods, longer forms before the shorter ones they contain.
_PATTERNS: tuple[tuple[re.Pattern[str], _Builder], ...] = (
    (_rx(r"(?:no|without)(?: a)? comparisons?"), _compare(CompareKind.NONE)),
    (
        _rx(
            rf"(?:{_VS}|than) (?:the )?(?:same|this) (?:period|time|\w+) (?:of )?"
            r"(?:last year|a year (?:ago|earlier)|the year before|(?:of )?the previous year)"
        ),
        _compare(CompareKind.YEAR_AGO),
    ),
    (_rx(rf"{_VS} (?:a )?year (?:ago|earlier|before)"), _compare(CompareKind.YEAR_AGO)),
    # "vs the same period in 2025": the same period of the year before
    (
        _rx(rf"(?:{_VS}|than) (?:the )?same (?:period|time|\w+) (?:of|in) (?:19|20)\d\d"),
        _compare(CompareKind.YEAR_AGO),
    ),
    (
        _rx(rf"{_VS} (?:the )?(?:{_UNIT}|period|one) (?:before|earlier)"),
        _compare(CompareKind.PREVIOUS),
    ),
    (_rx(r"yoy|y/y|y-o-y|year[- ](?:over|on)[- ]year"), _compare(CompareKind.YEAR_AGO)),
    (
        _rx(r"mom|m/m|m-o-m|month[- ](?:over|on)[- ]month"),
        _compare(CompareKind.PREVIOUS, Grain.MONTH),
    ),
    (
        _rx(r"qoq|q/q|q-o-q|quarter[- ](?:over|on)[- ]quarter"),
        _compare(CompareKind.PREVIOUS, Grain.QUARTER),
    ),
    (
        _rx(r"wow|w/w|w-o-w|week[- ](?:over|on)[- ]week"),
        _compare(CompareKind.PREVIOUS, Grain.WEEK),
    ),
    (
        _rx(
            rf"{_VS} (?:the )?(?:previous|prior|preceding|last)(?: period| one)?"
            rf"(?! ?(?:{_UNIT}|{_NUMBER}|{_MONTH_NAME})\b)"
        ),
        _compare(CompareKind.PREVIOUS),
    ),
    (
        _rx(rf"{_THAN}(?:the )?(?:last|previous|prior) year|{_THAN}(?:a )?year (?:ago|before)"),
        _compare(CompareKind.YEAR_AGO),
    ),
    (
        _rx(
            r"(?:(?:vs|versus|than|compared to|from) )?(?:at )?(?:the )?same (?:time|period|point)"
            r" (?:last year|a year ago|the year before)"
        ),
        _compare(CompareKind.YEAR_AGO),
    ),
    (
        _rx(rf"{_THAN}(?:the )?(?:last|previous|prior) (?:{_UNIT}|period)"),
        _compare(CompareKind.PREVIOUS),
    ),
    (
        _rx(
            r"(?:(?:i )?don't|do not|no) need (?:the |a |any |to )?compar(?:isons?|e)"
            r"|(?:skip|drop) (?:the )?comparisons?|no compare|(?:just the |the )?numbers? only"
            r"|just the numbers?"
            r"|(?:don't|do not) compare(?: (?:it|to|with|against)(?: anything)?)?"
        ),
        _compare(CompareKind.NONE),
    ),
    (
        _rx(
            rf"(?:from |between )?{_ISO_DATE} ?(?:to|through|thru|until|till|and|-|\.\.) ?"
            rf"{_ISO_DATE}"
        ),
        _period(_iso_range),
    ),
    (
        _rx(
            rf"(?:from |between )?{_SLASH_DATE} ?(?:to|through|thru|until|till|and|-|–|\.\.) ?"
            rf"{_SLASH_DATE}"
        ),
        _period(_slash_days),
    ),
    (_rx(_SLASH_DATE), _period(_slash_days)),
    (
        _rx(rf"(?:the )?week (?:of|starting|beginning|commencing) {_ISO_DATE}"),
        _period(lambda m, t: _week_containing(_day(m, t))),
    ),
    (
        _rx(rf"(?:the )?week (?:of|starting|beginning|commencing) {_DAY} ({_MONTH_NAME})\.?()"),
        _period(lambda m, t: _week_containing(_one_day(m, t))),
    ),
    (
        _rx(rf"(?:the )?week (?:of|starting|beginning|commencing) ({_MONTH_NAME})\.? {_DAY}()"),
        _period(lambda m, t: _week_containing(_one_day(m, t))),
    ),
    (
        _rx(
            rf"(?:between )?{_DAY} ?(?:-|–|to|through|till|until|and) ?{_DAY} ({_MONTH_NAME})\.?"
            rf"(?:,? {_YEAR})?"
        ),
        _period(_days_of_month),
    ),
    (_rx(rf"{_DAY} ({_MONTH_NAME})\.?,?(?: {_YEAR})?(?![\d:])"), _period(_one_day)),
    (_rx(rf"({_MONTH_NAME})\.? {_DAY}(?!\d)(?:,? {_YEAR})?"), _period(_one_day)),
    (_rx(_ISO_DATE), _period(_day)),
    (
        _rx(rf"{_YEAR} ?-?w(\d{{1,2}})"),
        _period(lambda m, _t: iso_week(_year_number(m.group(1)), int(m.group(2)))),
    ),
    (
        _rx(rf"w(?:eek|k)? ?(\d{{1,2}}),?(?: of)? {_YEAR}"),
        _period(lambda m, _t: iso_week(_year_number(m.group(2)), int(m.group(1)))),
    ),
    (
        _rx(rf"q([1-4]) {_OF_YEAR}"),
        _period(lambda m, t: quarter(_relative_year(m.group(2), t), int(m.group(1)))),
    ),
    (
        _rx(rf"(?:the )?({_ORDINAL}) quarter {_OF_YEAR}"),
        _period(lambda m, t: quarter(_relative_year(m.group(2), t), _ORDINALS[m.group(1)])),
    ),
    (
        _rx(rf"(?:h([12])|(?:the )?(first|1st|second|2nd) half) {_OF_YEAR}"),
        _period(
            lambda m, t: half(
                _relative_year(m.group(3), t), int(m.group(1) or _ORDINALS[m.group(2)])
            )
        ),
    ),
    (
        _rx(rf"({_MONTH_NAME}) {_OF_YEAR}"),
        _period(lambda m, t: month(_relative_year(m.group(2), t), _MONTHS[m.group(1)])),
    ),
    (
        _rx(rf"{_YEAR} ?-? ?q([1-4])"),
        _period(lambda m, t: _quarter_of(m.group(2), m.group(1), t)),
    ),
    (
        _rx(rf"q([1-4]) ?(?:-|/|of)? ?(?:{_YEAR}|'(\d{{2}}))"),
        _period(lambda m, t: _quarter_of(m.group(1), m.group(2) or m.group(3), t)),
    ),
    (
        _rx(rf"(?:the )?({_ORDINAL}) quarter(?:,? (?:of )?{_YEAR})?"),
        _period(lambda m, t: _quarter_of(m.group(1), m.group(2), t)),
    ),
    (_rx(rf"{_YEAR} ?-? ?h([12])"), _period(lambda m, t: _half_of(m.group(2), m.group(1), t))),
    (
        _rx(rf"h([12]) ?(?:-|of)? ?{_YEAR}"),
        _period(lambda m, t: _half_of(m.group(1), m.group(2), t)),
    ),
    (
        _rx(rf"(?:the )?(first|1st|second|2nd) half(?:,? (?:of )?{_YEAR})?"),
        _period(lambda m, t: _half_of(m.group(1), m.group(2), t)),
    ),
    (
        _rx(r"(1[0-2]|0?[1-9])/(20\d\d)"),
        _period(lambda m, _t: month(int(m.group(2)), int(m.group(1)))),
    ),
    (
        _rx(rf"{_YEAR}[-/.](\d{{1,2}})"),
        _period(lambda m, _t: month(_year_number(m.group(1)), int(m.group(2)))),
    ),
    (
        _rx(rf"({_MONTH_NAME})\.?,? ?(?:of )?(?:{_YEAR}|'(\d{{2}}))"),
        _period(lambda m, t: _month_named(m.group(1), m.group(2) or m.group(3), t)),
    ),
    (
        _rx(rf"{_YEAR},? ({_MONTH_NAME})"),
        _period(lambda m, t: _month_named(m.group(2), m.group(1), t)),
    ),
    (
        _rx(r"(wtd|mtd|qtd|htd|ytd)"),
        _period(lambda m, t: this_unit(_TO_DATE[m.group(1)], t)),
    ),
    (
        _rx(rf"(?:the )?{_UNIT_WORD}[- ]to[- ]date"),
        _period(lambda m, t: this_unit(_UNITS[m.group(1)], t)),
    ),
    (
        _rx(
            rf"(?:(?:in|over|during|for) )?(?:the )?(?:last|past|previous|prior|trailing) "
            rf"({_NUMBER}) ?({_UNIT})"
        ),
        _last_n,
    ),
    (_rx(rf"(?:over|across|during) (?:the )?({_NUMBER}) ?({_UNIT})"), _last_n),
    (
        _rx(
            rf"(?:since|from) (?:the )?(?:(?:start|beginning) of (?:the |this |the current )?)?"
            rf"{_UNIT_WORD}(?! \d)"
        ),
        _period(lambda m, t: this_unit(_UNITS[m.group(1)], t)),
    ),
    (
        _rx(rf"(?:this|current|the current) {_UNIT_WORD}(?: so far)?"),
        _period(lambda m, t: this_unit(_UNITS[m.group(1)], t)),
    ),
    (_rx(rf"(?:the )?(?:last|previous|prior|past) {_UNIT_WORD}"), _last_unit),
    (_rx(rf"the {_UNIT_WORD} before"), _last_unit),
    # "the first three quarters of 2026": from the year's start to that quarter's end
    (
        _rx(rf"(?:the )?first (two|three|2|3) quarters(?: of {_YEAR})?"),
        _period(lambda m, t: _first_quarters(m.group(1), m.group(2), t)),
    ),
    (
        _rx(rf"(?:last|previous|prior|past) ({_MONTH_NAME})"),
        _period(lambda m, t: _last_month_named(m.group(1), t)),
    ),
    (
        _rx(r"(?:iso )?w(?:eek|k)? ?(\d{1,2})"),
        _period(lambda m, t: _latest_started(lambda y: iso_week(y, int(m.group(1))), t)),
    ),
    (_rx(r"(?:the )?day before yesterday"), _period(lambda _m, t: _days_before(t, 2))),
    (_rx(r"today"), _period(lambda _m, t: this_unit(Grain.DAY, t))),
    (_rx(r"yesterday"), _period(lambda _m, t: last_unit(Grain.DAY, t))),
    (
        _rx(rf"(?:the )?({_MONTH_NAME}) month"),
        _period(lambda m, t: _month_named(m.group(1), None, t)),
    ),
    (_rx(r"q([1-4])"), _period(lambda m, t: _quarter_of(m.group(1), None, t))),
    (_rx(r"h([12])"), _period(lambda m, t: _half_of(m.group(1), None, t))),
    (
        _rx(rf"(?:in )?({'|'.join(_FULL_MONTHS)})"),
        _period(lambda m, t: _month_named(m.group(1), None, t)),
    ),
    (
        _rx(r"(jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?"),
        _period(lambda m, t: _month_named(m.group(1), None, t)),
    ),
    (
        _rx(rf"(?:in|for|during|of) ({_MONTH_NAME})"),
        _period(lambda m, t: _month_named(m.group(1), None, t)),
    ),
    (_rx(r"(?<=since )(may)"), _period(lambda m, t: _month_named(m.group(1), None, t))),
    # "may leads vs may last year": the month, where a question opens with it
    (
        re.compile(r"^(may)(?= (?!i|we|you|someone|somebody|one|be|have|get|see)\w)"),
        _period(lambda m, t: _month_named(m.group(1), None, t)),
    ),
    # a fiscal year is read as the calendar year of its number (docs/questions.md)
    (_rx(r"fy ?'?(\d{4}|\d{2})"), _period(lambda m, _t: year(_year_number(m.group(1))))),
    (_rx(r"(19[7-9]\d|20\d\d|2100)"), _period(lambda m, _t: year(int(m.group(1))))),
)


# "Q4 so far", "q4 bookings so far": up to three words may stand between
_SO_FAR = re.compile(
    rf"{MARK}([\ue100-\ue1ff])((?:\s+[^\s{MARK}]+){{0,3}}?)\s+"
    r"(so far|to date|until now|till now|up to now)\b"
)


def _so_far(text: str, marks: list[Mark], today: date) -> str:
    """ "H2 so far": a named period that has not ended, up to today."""

    def clamp(found: re.Match[str]) -> str:
        position = ord(found.group(1)) - _FIRST_INDEX
        mark = marks[position]
        if isinstance(mark, PeriodMark) and mark.period == unit_containing(
            mark.period.grain, today
        ):
            written = f"{mark.text} {found.group(3)}"
            marks[position] = PeriodMark(this_unit(mark.period.grain, today), written)
        return f"{MARK}{found.group(1)}{found.group(2)}"

    return _SO_FAR.sub(clamp, text)


def mark_index(word: str) -> int | None:
    """The index of the mark a word stands for, None for an ordinary word."""
    if len(word) == 2 and word[0] == MARK:
        return ord(word[1]) - _FIRST_INDEX
    return None


def read_marks(text: str, today: date) -> tuple[str, list[Mark]]:
    """`text` with every period and comparison replaced by a mark word, and the marks."""
    marks: list[Mark] = []

    def replace(found: re.Match[str], build: _Builder) -> str:
        if len(marks) >= _MAX_MARKS:
            raise UnreadableError(shorten(found.group(0)), Reason.TWO_PERIODS.format(
                first=found.group(0), second="more"))  # fmt: skip
        try:
            marks.append(build(found, today))
        except ValueError as error:
            part = found.group(0)
            raise UnreadableError(
                shorten(part), Reason.BAD_DATE.format(part=part, error=error)
            ) from None
        return f" {MARK}{chr(_FIRST_INDEX + len(marks) - 1)} "

    for pattern, build in _PATTERNS:
        text = pattern.sub(partial(replace, build=build), text)
    return _so_far(text, marks, today), marks
