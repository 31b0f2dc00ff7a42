"""The parser against the corpus of real phrasings (tests/bot/parser/corpus.py)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.i18n.messages import HELP_EXAMPLES
from bot.parser import KnownValues, NotUnderstood, Parsed, parse
from metrics.query import Intent, Query
from tests.bot.parser.corpus import (
    KNOWN_CHANNELS,
    KNOWN_SEGMENTS,
    QUESTIONS,
    REFUSALS,
    TODAY,
)
from tests.bot.parser.reading import comparison_text

KNOWN = KnownValues(channels=KNOWN_CHANNELS, segments=KNOWN_SEGMENTS)
INTENTS = {
    "trend": Intent.TREND,
    "explain": Intent.EXPLAIN,
    "funnel": Intent.FUNNEL,
    "metrics": Intent.CATALOG,
    "help": Intent.HELP,
}


def parsed(question: str) -> Query:
    result = parse(question, today=date.fromisoformat(TODAY), known=KNOWN)
    assert isinstance(result, Parsed), result
    return result.query


def expected_what(what: str) -> tuple[Intent, str | None]:
    head, _, metric_id = what.partition(":")
    if head in INTENTS:
        return INTENTS[head], metric_id or None
    return Intent.METRIC, what


def expected_filters(text: str) -> dict[str, list[str]]:
    filters: dict[str, list[str]] = {}
    for part in filter(None, text.split(";")):
        key, _, names = part.partition("=")
        filters[key] = names.split(",")
    return filters


def test_the_corpus_is_large_enough() -> None:
    assert len(QUESTIONS) >= 150
    assert len({row[0] for row in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("row", QUESTIONS, ids=[row[0] for row in QUESTIONS])
def test_question_reads_as_meant(row: tuple[str, str, str, str, str, str, str]) -> None:
    question, what, start, end, filters, by, compare = row
    query = parsed(question)
    intent, metric_id = expected_what(what)
    assert (query.intent, query.metric) == (intent, metric_id)
    assert (query.period.start.isoformat(), query.period.end.isoformat()) == (start, end)
    assert query.filters.as_dict() == expected_filters(filters)
    assert (query.by.value if query.by else "") == by
    assert comparison_text(query) == compare


@pytest.mark.parametrize(("question", "shown"), REFUSALS, ids=[row[0][:40] for row in REFUSALS])
def test_unreadable_question_says_which_part(question: str, shown: str) -> None:
    result = parse(question, today=date.fromisoformat(TODAY), known=KNOWN)
    assert isinstance(result, NotUnderstood), result
    said = " | ".join((result.unknown_part, result.reason, *result.did_you_mean))
    assert shown in said
    assert len(result.unknown_part) <= 40
    assert len(result.examples) == 3


@pytest.mark.parametrize("example", HELP_EXAMPLES)
def test_every_example_we_give_is_understood(example: str) -> None:
    result = parse(example, today=date.fromisoformat(TODAY), known=KNOWN)
    assert isinstance(result, Parsed), result
    assert not result.notes
