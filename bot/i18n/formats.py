"""Numbers, amounts, percentages, dates and periods for a locale, with babel.

English keeps the bot's own formatting (`bot.i18n.formatting`); these functions serve Thai and
Vietnamese, where digits are grouped, decimals marked and currencies placed the local way
("412,50 US$" in Vietnamese), and periods are named in the language ("ไตรมาส 3 ปี 2026",
"Quý 3 năm 2026"). Sentence patterns come from the message catalogs.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from types import MappingProxyType

from babel import Locale
from babel.dates import format_date, format_interval, get_day_names
from babel.lists import format_list
from babel.numbers import format_currency, format_decimal, format_percent

from bot.i18n.active import active_language
from bot.i18n.catalogs import gettext
from bot.i18n.detect import Language
from metrics.catalog import Unit
from metrics.periods import Grain, Period, unit_containing

__all__ = [
    "format_change",
    "format_day",
    "format_period",
    "format_range",
    "format_value",
    "format_weekdays",
    "period_label",
    "period_with_dates",
    "short_day",
    "short_month",
]

_LOCALES: MappingProxyType[Language, str] = MappingProxyType(
    {"en": "en_US", "th": "th_TH", "vi": "vi_VN"}
)
_BIG = 1000
# Units whose label does not show their dates ("Q3 2026"): the dates are added.
_LABEL_WITHOUT_DATES = (Grain.MONTH, Grain.QUARTER, Grain.HALF, Grain.YEAR)
_LAST_N = re.compile(r"^last (\d+) (day|week|month|quarter)s")
_TO_DATE = " to date"


def _locale(language: Language) -> str:
    return _LOCALES[language]


def _digits(decimals: int) -> str:
    """The fraction part of a number pattern: "" for none, ".00" for two."""
    return "." + "0" * decimals if decimals else ""


def _decimal(value: float, language: Language, pattern: str = "#,##0.0") -> str:
    return format_decimal(value, pattern, locale=_locale(language))


def _fixed(value: float, language: Language, decimals: int | None, default: str) -> str:
    pattern = default if decimals is None else "#,##0" + _digits(decimals)
    return _decimal(value, language, pattern)


def _amount(value: float, currency: str, language: Language, decimals: int | None) -> str:
    locale = _locale(language)
    standard = Locale.parse(locale).currency_formats["standard"].pattern
    if decimals is not None:
        pattern = standard.replace(".00", _digits(decimals))
        return format_currency(value, currency, pattern, locale=locale, currency_digits=False)
    if abs(value) >= _BIG or float(value).is_integer():
        whole = standard.replace(".00", "")
        return format_currency(round(value), currency, whole, locale=locale, currency_digits=False)
    return format_currency(value, currency, locale=locale)


def _count(value: float, language: Language, decimals: int | None) -> str:
    default = "#,##0" if value.is_integer() else "#,##0.0"
    return _fixed(value, language, decimals, default)


def _percent(value: float, language: Language, decimals: int | None) -> str:
    pattern = "#,##0" + _digits(1 if decimals is None else decimals) + "%"
    return format_percent(value, pattern, locale=_locale(language))


_Format = Callable[[float, str, Language, int | None], str]
_FORMATS: MappingProxyType[Unit, _Format] = MappingProxyType(
    {
        Unit.RATIO: lambda value, _, lang, decimals: _percent(value, lang, decimals),
        Unit.CURRENCY: _amount,
        Unit.CURRENCY_PER_DAY: lambda value, currency, lang, decimals: gettext(
            "{amount}/day", lang
        ).format(amount=_amount(value, currency, lang, decimals)),
        Unit.MULTIPLE: lambda value, _, lang, decimals: f"{_fixed(value, lang, decimals, '0.0')}×",
        Unit.DAYS: lambda value, _, lang, decimals: gettext("{value} days", lang).format(
            value=_fixed(value, lang, decimals, "#,##0.0")
        ),
        Unit.MONTHS: lambda value, _, lang, decimals: gettext("{value} months", lang).format(
            value=_fixed(value, lang, decimals, "#,##0.0")
        ),
        Unit.SCORE: lambda value, _, lang, decimals: _fixed(value, lang, decimals, "0.0"),
        Unit.COUNT: lambda value, _, lang, decimals: _count(value, lang, decimals),
    }
)


def format_value(
    value: float | None,
    unit: Unit,
    currency: str,
    language: Language,
    *,
    decimals: int | None = None,
) -> str:
    """A value in its unit for `language`: "25,3%", "฿12,345", "45,0 ngày"; "n/a" if none.
    `decimals` fixes the digits after the decimal mark; None is each unit's own."""
    if value is None or not math.isfinite(value):
        return gettext("n/a", language)
    return _FORMATS[unit](float(value), currency, language, decimals)


def format_change(
    change: float, change_pct: float | None, unit: Unit, currency: str, language: Language
) -> str:
    """A signed change: percentage points for ratios, else the amount and its percentage."""
    sign = "+" if change >= 0 else "−"
    if unit is Unit.RATIO:
        points = _decimal(abs(change) * 100, language)
        return gettext("{sign}{points} pp", language).format(sign=sign, points=points)
    amount = format_value(abs(change), unit, currency, language)
    if change_pct is None:
        return f"{sign}{amount}"
    percent = format_percent(abs(change_pct), "#,##0.0%", locale=_locale(language))
    return f"{sign}{amount} ({sign}{percent})"


def format_range(
    low: float | None, high: float | None, unit: Unit, currency: str, language: Language
) -> str:
    """ "20,0% – 30,0%", "below 5.0%" in the language."""

    def shown(value: float | None) -> str:
        return format_value(value, unit, currency, language)

    if low is not None and high is not None:
        return f"{shown(low)} – {shown(high)}"
    if high is not None:
        return gettext("below {value}", language).format(value=shown(high))
    return gettext("above {value}", language).format(value=shown(low))


def format_day(day: date, language: Language) -> str:
    """A date in the locale's medium form: "1 ก.ย. 2026", "1 thg 9, 2026"."""
    return format_date(day, "medium", locale=_locale(language))


def format_weekdays(weekdays: Sequence[int], language: Language) -> str:
    """Days of the week (Monday = 0) named in full and listed: "Monday and Thursday"."""
    names = get_day_names("wide", locale=_locale(language))
    return format_list([names[day] for day in weekdays], locale=_locale(language))


def short_day(day: date, language: Language) -> str:
    """Day and month: "1 ก.ย.", "1 thg 9"."""
    return format_date(day, "d MMM", locale=_locale(language))


def short_month(day: date, language: Language) -> str:
    """The month of `day` and its year: "ก.ย. 2026", "thg 9 2026"."""
    return format_date(day, "MMM y", locale=_locale(language))


def _dates(start: date, end: date, language: Language) -> str:
    return format_interval(start, end, "yMMMd", locale=_locale(language))


def _unit_label(period: Period, language: Language) -> str:
    """A whole calendar unit: week, month, quarter, half or year."""
    start = period.start
    if period.grain is Grain.WEEK:
        iso_year, week, _ = start.isocalendar()
        label = gettext("Week {week} {year}", language).format(week=week, year=iso_year)
        return f"{label} ({_dates(start, period.end, language)})"
    if period.grain is Grain.MONTH:
        month = format_date(start, "LLLL", locale=_locale(language))
        return gettext("{month} {year}", language).format(month=month, year=start.year)
    if period.grain is Grain.QUARTER:
        number = (start.month - 1) // 3 + 1
        return gettext("Q{number} {year}", language).format(number=number, year=start.year)
    if period.grain is Grain.HALF:
        number = 1 if start.month == 1 else 2
        return gettext("H{number} {year}", language).format(number=number, year=start.year)
    return gettext("Year {year}", language).format(year=start.year)


def _to_date_label(period: Period, language: Language) -> str:
    unit = _unit_label(unit_containing(period.grain, period.start), language)
    if period.label.endswith(_TO_DATE):
        return gettext("{period} to date", language).format(period=unit)
    end = short_day(period.end, language)
    return gettext("{period} to {day}", language).format(period=unit, day=end)


def _custom_label(period: Period, language: Language) -> str:
    dates = _dates(period.start, period.end, language)
    found = _LAST_N.match(period.label)
    if found is None:
        return dates
    pattern = gettext(f"last {{count}} {found.group(2)}s", language)
    return f"{pattern.format(count=found.group(1))} ({dates})"


def _translated(label: str) -> bool:
    """The engine labels periods in ASCII letters; Thai and Vietnamese labels have others."""
    return any(char.isalpha() and not char.isascii() for char in label)


def format_period(period: Period, language: Language) -> str:
    """A period's label in `language`: "ไตรมาส 3 ปี 2026", "Quý 3 năm 2026"; English
    keeps the engine's own label ("Q3 2026"), and so does a label already translated."""
    if language == "en" or _translated(period.label):
        return period.label
    if period.grain is Grain.DAY:
        return format_day(period.start, language)
    if period.grain is Grain.CUSTOM:
        return _custom_label(period, language)
    if period.to_date:
        return _to_date_label(period, language)
    return _unit_label(period, language)


def period_label(period: Period) -> str:
    """The period's label in the active language."""
    return format_period(period, active_language())


def period_with_dates(period: Period, language: Language) -> str:
    """The label, with the dates when the label does not show them:
    "ไตรมาส 3 ปี 2026 (1 ก.ค. – 30 ก.ย. 2026)"."""
    label = format_period(period, language)
    if period.grain not in _LABEL_WITHOUT_DATES and not period.to_date:
        return label
    return f"{label} ({_dates(period.start, period.end, language)})"
