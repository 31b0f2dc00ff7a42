"""Every Thai and Vietnamese corpus question reads as the query it means."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n import detect_language, to_english
from bot.parser import KnownValues, Parsed, parse
from metrics.query import Intent, Query
from tests.bot.i18n.corpus import KNOWN_CHANNELS, KNOWN_SEGMENTS, THAI, TODAY, VIETNAMESE, Row
from tests.bot.parser.reading import comparison_text

KNOWN = KnownValues(channels=KNOWN_CHANNELS, segments=KNOWN_SEGMENTS)
WORDLESS = (Intent.HELP, Intent.CATALOG)


def read(question: str) -> Query:
    english = to_english(question, detect_language(question))
    result = parse(english, today=date.fromisoformat(TODAY), known=KNOWN)
    assert isinstance(result, Parsed), (question, english, result)
    return result.query


def what(query: Query) -> str:
    if query.intent is Intent.METRIC:
        return str(query.metric)
    return query.intent.value + (f":{query.metric}" if query.metric else "")


def filters_text(query: Query) -> str:
    return ";".join(f"{key}={','.join(names)}" for key, names in query.filters.as_dict().items())


def reading(query: Query) -> Row:
    by = query.by.value if query.by else ""
    start, end = query.period.start.isoformat(), query.period.end.isoformat()
    return ("", what(query), start, end, filters_text(query), by, comparison_text(query))


def test_each_language_has_at_least_sixty_questions() -> None:
    assert len(THAI) >= 60
    assert len(VIETNAMESE) >= 60


@pytest.mark.parametrize(("language", "rows"), [("th", THAI), ("vi", VIETNAMESE)])
def test_every_question_is_told_apart_from_english(language: str, rows: tuple[Row, ...]) -> None:
    assert {question: detect_language(question) for question, *_ in rows} == {
        question: language for question, *_ in rows
    }


@pytest.mark.parametrize("row", THAI + VIETNAMESE, ids=lambda row: row[0])
def test_question_reads_as_expected_query(row: Row) -> None:
    query = read(row[0])
    if query.intent in WORDLESS:
        assert what(query) == row[1]
    else:
        assert reading(query) == ("", *row[1:])
