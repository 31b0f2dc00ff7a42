"""The parser never raises, stays fast on any input, and reads calendar edges right."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.parser import KnownValues, NotUnderstood, Parsed, parse
from bot.parser._normalize import MAX_CHARS
from metrics.periods import local_today
from metrics.query import Query
from tests.bot.parser.corpus import KNOWN_CHANNELS, KNOWN_SEGMENTS, QUESTIONS

KNOWN = KnownValues(channels=KNOWN_CHANNELS, segments=KNOWN_SEGMENTS)
TODAY = date(2026, 11, 25)
REAL_QUESTIONS = [row[0] for row in QUESTIONS]


def assert_well_formed(question: str, today: date = TODAY) -> None:
    result = parse(question, today=today, known=KNOWN)
    assert isinstance(result, Parsed | NotUnderstood)
    if isinstance(result, NotUnderstood):
        assert len(result.examples) == 3
        assert result.reason
        assert len(result.unknown_part) <= 40


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=400))
def test_any_text_is_answered_or_refused(question: str) -> None:
    assert_well_formed(question)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(REAL_QUESTIONS),
    st.integers(min_value=0, max_value=200),
    st.text(min_size=0, max_size=6),
    st.integers(min_value=0, max_value=3),
    st.dates(min_value=date(1971, 1, 1), max_value=date(2099, 12, 31)),
)
def test_mutated_real_questions_are_answered_or_refused(
    question: str, position: int, inserted: str, removed: int, today: date
) -> None:
    at = position % (len(question) + 1)
    mutated = question[:at] + inserted + question[at + removed :]
    assert_well_formed(mutated, today)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(REAL_QUESTIONS), min_size=2, max_size=4))
def test_questions_run_together_are_answered_or_refused(questions: list[str]) -> None:
    assert_well_formed(" ".join(questions)[:MAX_CHARS])


@pytest.mark.parametrize(
    "question",
    [
        "cac " * 2500,
        "{{" * 5000,
        "\x00" * 10_000,
        "q3 2026 " * 1250,
        "é" * 10_000,
    ],
    ids=["words", "template", "nul", "periods", "accents"],
)
def test_ten_kilobytes_are_refused_quickly(question: str) -> None:
    # CPU time of this process, not wall-clock time: other processes on a loaded machine
    # do not make it slower, a parse that does too much work does.
    started = time.process_time()
    for _ in range(100):
        result = parse(question, today=TODAY, known=KNOWN)
    per_parse = (time.process_time() - started) / 100
    print(f"parse of {len(question)} characters: {per_parse * 1000:.3f} ms")
    assert isinstance(result, NotUnderstood)
    assert "too long" in result.reason
    assert per_parse < 0.010


@pytest.mark.parametrize(
    "question",
    [
        "cac from paid search for smb q3 2026 vs q2 2026 by channel please " * 5,
        "abcdefg hijklmn " * 20,
    ],
    ids=["known words", "unknown words, all fuzzy-matched"],
)
def test_longest_accepted_questions_parse_quickly(question: str) -> None:
    question = question[:MAX_CHARS]
    started = time.process_time()
    for _ in range(20):
        parse(question, today=TODAY, known=KNOWN)
    per_parse = (time.process_time() - started) / 20
    print(f"parse of a {len(question)}-character question: {per_parse * 1000:.2f} ms")
    assert per_parse < 0.25


def query_on(question: str, today: date) -> Query:
    result = parse(question, today=today, known=KNOWN)
    assert isinstance(result, Parsed), result
    return result.query


def span(query: Query) -> tuple[str, str]:
    return query.period.start.isoformat(), query.period.end.isoformat()


@pytest.mark.parametrize(
    ("question", "today", "start", "end"),
    [
        ("cac last month", date(2027, 1, 1), "2026-12-01", "2026-12-31"),
        ("cac this quarter", date(2027, 1, 1), "2027-01-01", "2027-01-01"),
        ("cac last quarter", date(2027, 1, 1), "2026-10-01", "2026-12-31"),
        ("cac this year", date(2027, 1, 1), "2027-01-01", "2027-01-01"),
        ("cac last year", date(2027, 1, 1), "2026-01-01", "2026-12-31"),
        ("cac last week", date(2027, 1, 4), "2026-12-28", "2027-01-03"),
        ("cac 2026-w53", date(2027, 1, 4), "2026-12-28", "2027-01-03"),
        ("cac last week", date(2026, 11, 23), "2026-11-16", "2026-11-22"),
        ("cac this week", date(2026, 11, 23), "2026-11-23", "2026-11-23"),
        ("cac last 7 days", date(2026, 11, 23), "2026-11-16", "2026-11-22"),
        ("cac last year", date(2024, 2, 29), "2023-01-01", "2023-12-31"),
        ("cac this month", date(2024, 2, 29), "2024-02-01", "2024-02-29"),
        ("cac q4", date(2026, 3, 1), "2025-10-01", "2025-12-31"),
    ],
)
def test_calendar_edges(question: str, today: date, start: str, end: str) -> None:
    assert span(query_on(question, today)) == (start, end)


def test_week_53_compares_with_week_52() -> None:
    query = query_on("cac last week", date(2027, 1, 4))
    previous = query.compare.resolve(query.period)
    assert previous is not None
    assert (previous.start, previous.end) == (date(2026, 12, 21), date(2026, 12, 27))


def test_leap_day_year_ago_is_28_february() -> None:
    query = query_on("leads today yoy", date(2024, 2, 29))
    year_ago = query.compare.resolve(query.period)
    assert year_ago is not None
    assert (year_ago.start, year_ago.end) == (date(2023, 2, 28), date(2023, 2, 28))


def test_leap_month_to_date_year_ago_stops_at_the_month_end() -> None:
    query = query_on("cac this month yoy", date(2024, 2, 29))
    year_ago = query.compare.resolve(query.period)
    assert year_ago is not None
    assert (year_ago.start, year_ago.end) == (date(2023, 2, 1), date(2023, 2, 28))


def test_today_comes_from_the_callers_timezone() -> None:
    moment = datetime(2026, 11, 25, 18, 30, tzinfo=UTC)
    in_bangkok = local_today(ZoneInfo("Asia/Bangkok"), moment)
    in_utc = local_today(ZoneInfo("UTC"), moment)
    assert (in_bangkok, in_utc) == (date(2026, 11, 26), date(2026, 11, 25))
    assert span(query_on("leads today", in_bangkok)) == ("2026-11-26", "2026-11-26")
    assert span(query_on("leads today", in_utc)) == ("2026-11-25", "2026-11-25")
    assert span(query_on("leads this week", in_bangkok)) == ("2026-11-23", "2026-11-26")


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(REAL_QUESTIONS),
    st.lists(st.text(min_size=1, max_size=20), max_size=5),
    st.lists(st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True), max_size=5),
)
def test_any_store_names_are_safe(question: str, odd: list[str], plain: list[str]) -> None:
    known = KnownValues(channels=tuple(odd), segments=tuple(plain))
    result = parse(question, today=TODAY, known=known)
    assert isinstance(result, Parsed | NotUnderstood)
