"""Numbers, amounts, percentages, dates and periods in each language, all through babel.

One `Formatter` per language, built from a table of what differs between them: the
locale (digits grouped, decimals marked the local way: "412,50" in Vietnamese), where an
amount puts its currency ("USD 412.50" in English, "US$412.50" in Thai, "412,50 US$" in
Vietnamese), how two dates are joined ("1 Jul – 30 Sep 2026", "1 ก.ค. – 30 ก.ย. 2026"),
and how a digest names the days of its week. Sentence patterns ("{value} days",
"below {value}") come from the message catalogs, whose ids are the English texts.
`active_formatter` is the one place the language is chosen: the formatter of the reply
being built or rendered.

A float is handed to babel as its exact binary value, so babel's half-even rounding is
Python's own (1.015 is stored just under 1.015 and shows as 1.01, as f"{1.015:.2f}"
does); babel rounds str(value) otherwise, which reads 1.015 as a tie and gives 1.02.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from types import MappingProxyType

from babel import Locale
from babel.dates import format_date, format_interval, get_day_names
from babel.lists import format_list
from babel.numbers import (
    NumberPattern,
    format_currency,
    format_decimal,
    format_percent,
    parse_pattern,
)

from bot.i18n.active import SOURCE_LANGUAGE, active_language
from bot.i18n.catalogs import gettext
from bot.i18n.detect import Language
from metrics.catalog import Unit
from metrics.periods import Grain, Period, unit_containing

__all__ = [
    "FORMATTERS",
    "Formatter",
    "active_formatter",
    "format_weekdays",
    "is_negligible",
    "period_label",
]

_BIG = 1000
_NEGLIGIBLE_RATIO = 0.0005
_NEGLIGIBLE_AMOUNT = 0.005
_ONE_DECIMAL = "#,##0.0"
# Units whose label does not show their dates ("Q3 2026"): the dates are added.
_LABEL_WITHOUT_DATES = (Grain.MONTH, Grain.QUARTER, Grain.HALF, Grain.YEAR)
_LAST_N = re.compile(r"^last (\d+) (day|week|month|quarter)s")
_TO_DATE = " to date"


def is_negligible(change: float, unit: Unit) -> bool:
    """Whether a change would show as zero (under 0.05 pp, or under 0.005 of a unit)."""
    if unit is Unit.RATIO:
        return abs(change) < _NEGLIGIBLE_RATIO
    return abs(change) < _NEGLIGIBLE_AMOUNT


def _exact(value: float) -> Decimal:
    return Decimal(value)


def _exact_percent(share: float) -> Decimal:
    """`share` for babel's percent patterns, which multiply by 100 exactly: Python's "%"
    multiplies the float first (0.145 * 100 is 14.499999999999998), so that product is
    what is rounded, and scaled back without loss."""
    return Decimal(share * 100).scaleb(-2)


def _digits(decimals: int) -> str:
    """The fraction part of a number pattern: "" for none, ".00" for two."""
    return "." + "0" * decimals if decimals else ""


def _fixed_pattern(decimals: int | None) -> str:
    return _ONE_DECIMAL if decimals is None else "#,##0" + _digits(decimals)


@dataclass(frozen=True, slots=True)
class Formatter:
    """Figures, dates and periods as people of one language read them.

    `currency` is the pattern of an amount with two decimals ("¤¤" is the currency's code,
    "¤" its symbol); `day_range`, when set, the patterns of the first and last day of a
    range within one year (across years both take the second), else babel's own interval;
    `week_day` the pattern of the first and last day of a digest's week.
    """

    language: Language
    locale: str
    currency: str
    day_range: tuple[str, str] | None
    week_day: str

    # --- numbers -------------------------------------------------------------------

    def value(
        self, value: float | None, unit: Unit, currency: str, *, decimals: int | None = None
    ) -> str:
        """ "25.3%", "USD 412.50", "USD 12,345", "3.2×", "45.0 days", "1,234"; "n/a" if none.
        `decimals` fixes the digits after the decimal mark (chart axes); None is each unit's
        own."""
        if value is None or not math.isfinite(value):
            return self._text("n/a")
        return _UNIT_FORMATS[unit](self, float(value), currency, decimals)

    def change(
        self, change: float | None, change_pct: float | None, unit: Unit, currency: str
    ) -> str:
        """A signed change: "+2.1 pp" for ratios, else "−USD 32.50 (−8.6%)"; one too small
        to show is zero; "n/a" without a change."""
        if change is None:
            return self._text("n/a")
        if is_negligible(change, unit):
            change, change_pct = 0.0, None if change_pct is None else 0.0
        sign = "+" if change >= 0 else "−"
        if unit is Unit.RATIO:
            points = self._decimal(_exact(abs(change) * 100), _ONE_DECIMAL)
            return self._text("{sign}{points} pp").format(sign=sign, points=points)
        amount = self.value(abs(change), unit, currency)
        if change_pct is None:
            return f"{sign}{amount}"
        return f"{sign}{amount} ({sign}{self._percent(abs(change_pct), 1)})"

    def range(self, low: float | None, high: float | None, unit: Unit, currency: str) -> str:
        """ "20.0% – 30.0%", "below 5.0%", "above 3.0×"."""
        if low is not None and high is not None:
            return f"{self.value(low, unit, currency)} – {self.value(high, unit, currency)}"
        if high is not None:
            return self._text("below {value}").format(value=self.value(high, unit, currency))
        return self._text("above {value}").format(value=self.value(low, unit, currency))

    def _decimal(self, value: Decimal, pattern: str) -> str:
        return format_decimal(value, _pattern(pattern), locale=self._locale)

    def _percent(self, share: float, decimals: int) -> str:
        pattern = "#,##0" + _digits(decimals) + "%"
        return format_percent(_exact_percent(share), _pattern(pattern), locale=self._locale)

    def _amount(self, value: float, currency: str, decimals: int | None) -> str:
        whole = abs(value) >= _BIG or value.is_integer()
        digits = _digits(decimals if decimals is not None else 0 if whole else 2)
        pattern = self.currency.replace(".00", digits)
        return format_currency(
            _exact(value), currency, _pattern(pattern), locale=self._locale, currency_digits=False
        )

    def _fixed(self, value: float, decimals: int | None) -> str:
        return self._decimal(_exact(value), _fixed_pattern(decimals))

    # --- days and periods ----------------------------------------------------------

    def short_day(self, day: date) -> str:
        """Day and month: "4 May", "1 ก.ย.", "1 thg 9"."""
        return format_date(day, "d MMM", locale=self._locale)

    def short_month(self, day: date) -> str:
        """The month of `day` and its year: "May 2026", "ก.ย. 2026", "thg 9 2026"."""
        return format_date(day, "MMM y", locale=self._locale)

    def week_edge(self, day: date) -> str:
        """The first or last day of a digest's week: "Mon 04 May", "4 พ.ค."."""
        return format_date(day, self.week_day, locale=self._locale)

    def weekdays(self, weekdays: Sequence[int]) -> str:
        """Days of the week (Monday = 0) named in full and listed: "Monday and Thursday"."""
        names = get_day_names("wide", locale=self._locale)
        return format_list([names[day] for day in weekdays], locale=self._locale)

    def dates(self, start: date, end: date) -> str:
        """ "1 Jul – 30 Sep 2026", "16–22 พ.ย. 2026"."""
        if self.day_range is None:
            return format_interval(start, end, "yMMMd", locale=self._locale)
        first, last = self.day_range
        opening = first if start.year == end.year else last
        return (
            f"{format_date(start, opening, locale=self._locale)}"
            f" – {format_date(end, last, locale=self._locale)}"
        )

    def period(self, period: Period) -> str:
        """A period's label: "ไตรมาส 3 ปี 2026", "Quý 3 năm 2026"; the engine's labels are
        English ("Q3 2026"), kept in English and when already translated."""
        if self.language == SOURCE_LANGUAGE or _translated(period.label):
            return period.label
        if period.grain is Grain.DAY:
            return format_date(period.start, "medium", locale=self._locale)
        if period.grain is Grain.CUSTOM:
            return self._custom_label(period)
        if period.to_date:
            return self._to_date_label(period)
        return self._unit_label(period)

    def period_with_dates(self, period: Period) -> str:
        """The label, with the dates when the label does not show them:
        "Q3 2026 (1 Jul – 30 Sep 2026)", "ไตรมาส 3 ปี 2026 (1 ก.ค. – 30 ก.ย. 2026)"."""
        label = self.period(period)
        if period.grain not in _LABEL_WITHOUT_DATES and not period.to_date:
            return label
        return f"{label} ({self.dates(period.start, period.end)})"

    @property
    def _locale(self) -> Locale:
        return _parsed_locale(self.locale)

    def _text(self, message: str) -> str:
        return gettext(message, self.language)

    def _unit_label(self, period: Period) -> str:
        """A whole calendar unit: week, month, quarter, half or year."""
        start = period.start
        if period.grain is Grain.WEEK:
            iso_year, week, _ = start.isocalendar()
            label = self._text("Week {week} {year}").format(week=week, year=iso_year)
            return f"{label} ({self.dates(start, period.end)})"
        if period.grain is Grain.MONTH:
            month = format_date(start, "LLLL", locale=self._locale)
            return self._text("{month} {year}").format(month=month, year=start.year)
        if period.grain is Grain.QUARTER:
            number = (start.month - 1) // 3 + 1
            return self._text("Q{number} {year}").format(number=number, year=start.year)
        if period.grain is Grain.HALF:
            number = 1 if start.month == 1 else 2
            return self._text("H{number} {year}").format(number=number, year=start.year)
        return self._text("Year {year}").format(year=start.year)

    def _to_date_label(self, period: Period) -> str:
        unit = self._unit_label(unit_containing(period.grain, period.start))
        if period.label.endswith(_TO_DATE):
            return self._text("{period} to date").format(period=unit)
        return self._text("{period} to {day}").format(period=unit, day=self.short_day(period.end))

    def _custom_label(self, period: Period) -> str:
        dates = self.dates(period.start, period.end)
        found = _LAST_N.match(period.label)
        if found is None:
            return dates
        pattern = self._text(f"last {{count}} {found.group(2)}s")
        return f"{pattern.format(count=found.group(1))} ({dates})"


def _translated(label: str) -> bool:
    """The engine labels periods in ASCII letters; Thai and Vietnamese labels have others."""
    return any(char.isalpha() and not char.isascii() for char in label)


_UnitFormat = Callable[[Formatter, float, str, int | None], str]


def _ratio(formatter: Formatter, value: float, _: str, decimals: int | None) -> str:
    return formatter._percent(value, 1 if decimals is None else decimals)


def _per_day(formatter: Formatter, value: float, currency: str, decimals: int | None) -> str:
    amount = formatter._amount(value, currency, decimals)
    return formatter._text("{amount}/day").format(amount=amount)


def _multiple(formatter: Formatter, value: float, _: str, decimals: int | None) -> str:
    return f"{formatter._fixed(value, decimals)}×"


def _in(template: str) -> _UnitFormat:
    """A number in a unit said in words: "{value} days"."""
    return lambda formatter, value, _, decimals: formatter._text(template).format(
        value=formatter._fixed(value, decimals)
    )


def _score(formatter: Formatter, value: float, _: str, decimals: int | None) -> str:
    return formatter._fixed(value, decimals)


def _count(formatter: Formatter, value: float, _: str, decimals: int | None) -> str:
    if decimals is None:
        decimals = 0 if value.is_integer() else 1
    return formatter._fixed(value, decimals)


_UNIT_FORMATS: Mapping[Unit, _UnitFormat] = MappingProxyType(
    {
        Unit.RATIO: _ratio,
        Unit.CURRENCY: Formatter._amount,
        Unit.CURRENCY_PER_DAY: _per_day,
        Unit.MULTIPLE: _multiple,
        Unit.DAYS: _in("{value} days"),
        Unit.MONTHS: _in("{value} months"),
        Unit.SCORE: _score,
        Unit.COUNT: _count,
    }
)


# Babel parses a locale name and a number pattern anew on every call when given strings;
# a reply formats dozens of figures, so each is parsed once.
@cache
def _parsed_locale(name: str) -> Locale:
    return Locale.parse(name)


@cache
def _pattern(text: str) -> NumberPattern:
    return parse_pattern(text)


def _standard_currency(locale: str) -> str:
    return str(Locale.parse(locale).currency_formats["standard"].pattern)


# What differs between the languages. English names the currency by its code before the
# amount, and a negative amount after it ("USD -412.50"); its ranges repeat the month
# ("16 Nov – 22 Nov 2026").
FORMATTERS: Mapping[Language, Formatter] = MappingProxyType(
    {
        "en": Formatter(
            "en", "en_US", "¤¤ #,##0.00;¤¤ -#,##0.00", ("d MMM", "d MMM y"), "EEE dd MMM"
        ),
        "th": Formatter("th", "th_TH", _standard_currency("th_TH"), None, "d MMM"),
        "vi": Formatter("vi", "vi_VN", _standard_currency("vi_VN"), None, "d MMM"),
    }
)


def active_formatter() -> Formatter:
    """The formatter of the language the reply is being built or rendered in."""
    return FORMATTERS[active_language()]


def period_label(period: Period) -> str:
    """The period's label in the active language."""
    return active_formatter().period(period)


def format_weekdays(weekdays: Sequence[int], language: Language) -> str:
    """Days of the week (Monday = 0) named in full and listed: "Monday and Thursday"."""
    return FORMATTERS[language].weekdays(weekdays)
