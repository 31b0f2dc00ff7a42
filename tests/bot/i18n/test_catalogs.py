"""Message catalogs: complete for every user-facing text, read at run time; babel formats."""

from __future__ import annotations

import re
from datetime import date
from types import MappingProxyType
from typing import Any

import pytest

from bot.i18n.catalogs import catalog_entries, gettext, keyed_text, translated
from bot.i18n.detect import Language
from bot.i18n.formats import FORMATTERS
from bot.i18n.scope import use_language
from metrics.catalog import CATALOG, CATEGORIES, Unit
from metrics.periods import Grain, half, last_n, last_unit, month, quarter, this_unit, year

TODAY = date(2026, 11, 25)
TRANSLATED: tuple[Language, ...] = ("th", "vi")
_FIELD = re.compile(r"\{[^}]*\}")
_CLDR_SPACES = re.compile("[\u00a0\u2009\u202f]")


def plain(text: str) -> str:
    """CLDR formats use no-break and thin spaces; compare them as plain spaces."""
    return _CLDR_SPACES.sub(" ", text)


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_metric_has_a_label_and_a_definition(language: Language) -> None:
    entries = catalog_entries(language)
    missing = [
        (context, metric_id)
        for metric_id in CATALOG
        for context in ("label", "description")
        if (context, metric_id) not in entries
    ]
    assert missing == []
    assert [name for name in CATEGORIES if (None, name) not in entries] == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_placeholder(language: Language) -> None:
    changed = {
        english: text
        for (_, english), text in catalog_entries(language).items()
        if sorted(_FIELD.findall(english)) != sorted(_FIELD.findall(text))
    }
    assert changed == {}


def test_english_is_the_source_and_unknown_text_falls_back() -> None:
    assert gettext("Formula:", "en") == "Formula:"
    assert gettext("Formula:", "th") == "สูตร:"
    assert gettext("not in any catalog", "vi") == "not in any catalog"


def test_keyed_texts_follow_the_active_language() -> None:
    english = CATALOG["cac"].label
    assert keyed_text("label", "cac", english) == english
    with use_language("th"):
        assert keyed_text("label", "cac", english) == "ต้นทุนการได้ลูกค้า"
    with use_language("vi"):
        assert keyed_text("label", "cac", english) == "Chi phí thu hút khách hàng"


@translated
class _Words:
    TITLE = "Formula:"
    STATUS = MappingProxyType({"within": "Within"})
    PAIR = ("Stage", "left")


def test_translated_classes_read_in_the_active_language() -> None:
    assert _Words.TITLE == "Formula:"
    with use_language("vi"):
        assert _Words.TITLE == "Công thức:"
        assert _Words.STATUS["within"] == "Trong"
        assert _Words.PAIR == ("Giai đoạn", "left")
    assert _Words.STATUS["within"] == "Within"


@pytest.mark.parametrize(
    ("period", "thai", "vietnamese"),
    [
        (quarter(2026, 3), "ไตรมาส 3 ปี 2026", "Quý 3 năm 2026"),
        (month(2026, 9), "กันยายน 2026", "Tháng 9 năm 2026"),
        (year(2025), "ปี 2025", "Năm 2025"),
        (half(2026, 1), "ครึ่งปีที่ 1 ปี 2026", "Nửa năm 1 năm 2026"),
        (this_unit(Grain.QUARTER, TODAY), "ไตรมาส 4 ปี 2026 ถึงปัจจุบัน", "Quý 4 năm 2026 đến nay"),
        (
            last_n(30, Grain.DAY, TODAY),
            "30 วันที่ผ่านมา (26 ต.ค. – 24 พ.ย. 2026)",
            "30 ngày qua (26 thg 10 – 24 thg 11, 2026)",
        ),
        (
            last_unit(Grain.WEEK, TODAY),
            "สัปดาห์ที่ 47 ปี 2026 (16–22 พ.ย. 2026)",
            "Tuần 47 năm 2026 (16 – 22 thg 11, 2026)",
        ),
    ],
)
def test_periods_are_named_in_the_language(period: Any, thai: str, vietnamese: str) -> None:
    assert plain(FORMATTERS["th"].period(period)) == thai
    assert plain(FORMATTERS["vi"].period(period)) == vietnamese
    assert FORMATTERS["en"].period(period) == period.label


@pytest.mark.parametrize(
    ("value", "unit", "currency", "thai", "vietnamese"),
    [
        (412.5, Unit.CURRENCY, "USD", "US$412.50", "412,50 US$"),
        (12_345_678, Unit.CURRENCY, "THB", "฿12,345,678", "12.345.678 ฿"),
        (10_000_000, Unit.CURRENCY, "VND", "₫10,000,000", "10.000.000 ₫"),
        (0.253, Unit.RATIO, "USD", "25.3%", "25,3%"),
        (45, Unit.DAYS, "USD", "45.0 วัน", "45,0 ngày"),
        (3.2, Unit.MULTIPLE, "USD", "3.2×", "3,2×"),
        (1234, Unit.COUNT, "USD", "1,234", "1.234"),
        (None, Unit.RATIO, "USD", "ไม่มีค่า", "không có"),
    ],
)
def test_values_are_formatted_for_the_locale(
    value: float | None, unit: Unit, currency: str, thai: str, vietnamese: str
) -> None:
    assert plain(FORMATTERS["th"].value(value, unit, currency)) == thai
    assert plain(FORMATTERS["vi"].value(value, unit, currency)) == vietnamese


@pytest.mark.parametrize(
    ("value", "unit", "digits"),
    [(2.675, Unit.CURRENCY, "2.67"), (45.45, Unit.DAYS, "45.5"), (0.0255, Unit.RATIO, "2.5")],
)
def test_every_language_rounds_a_float_alike(value: float, unit: Unit, digits: str) -> None:
    """By the float's exact value (2.675 is stored just under it), not by str(value)."""
    for formatter in FORMATTERS.values():
        assert digits in formatter.value(value, unit, "USD").replace(",", ".")


def test_changes_and_ranges_are_formatted_for_the_locale() -> None:
    assert plain(FORMATTERS["vi"].change(0.021, None, Unit.RATIO, "USD")) == "+2,1 điểm %"
    assert FORMATTERS["th"].change(-32.5, -0.0855, Unit.CURRENCY, "USD") == "−US$32.50 (−8.6%)"
    assert plain(FORMATTERS["vi"].range(0.2, 0.3, Unit.RATIO, "USD")) == "20,0% – 30,0%"
    assert FORMATTERS["th"].range(None, 0.05, Unit.RATIO, "USD") == "ต่ำกว่า 5.0%"
