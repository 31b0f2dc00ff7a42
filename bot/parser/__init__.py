"""Questions in plain words to typed queries: `parse` never raises, it says what it missed.

The text is bounded and checked first (`_normalize`), periods and comparisons are read by
patterns (`_periods`), the remaining words are matched against known phrases, longest
first (`_lexicon`), misspellings are read or suggested (`_fuzzy`), and the reading becomes
one `Query` with defaults applied (`_grammar`, `_build`).
"""

from __future__ import annotations

from datetime import date

from bot.i18n import question_in_english
from bot.messages import Reason
from bot.parser._build import build_query, describe
from bot.parser._grammar import read_items
from bot.parser._lexicon import lexicon_for, walk
from bot.parser._normalize import MAX_CHARS, MAX_WORDS, clean, shorten, words
from bot.parser._periods import read_marks
from bot.parser._types import (
    Choice,
    KnownValues,
    NotUnderstood,
    Parsed,
    ParseResult,
    UnreadableError,
)
from metrics.periods import Period

_NO_VALUES = KnownValues()

__all__ = [
    "Choice",
    "KnownValues",
    "NotUnderstood",
    "ParseResult",
    "Parsed",
    "describe",
    "parse",
    "read_period",
]


def parse(text: str, *, today: date, known: KnownValues) -> ParseResult:
    """Read a question; `today` is the asker's local date."""
    try:
        return _parse(text, today, known)
    except UnreadableError as refused:
        return refused.result


def read_period(text: str, today: date) -> Period:
    """A period written as a question would write it ("2026-02-03 to 2026-03-17", "since
    march", "the week of 12 october"); ValueError saying why for anything else."""
    try:
        marked, marks = read_marks(clean(text), today)
        reading = read_items(walk(words(marked), lexicon_for(_NO_VALUES)), marks, _NO_VALUES, today)
    except UnreadableError as refused:
        raise ValueError(refused.result.reason) from None
    if len(reading.periods) != 1 or reading.metrics or reading.compares or reading.notes:
        raise ValueError(f"{text!r} is not one period")
    return reading.periods[0].period


def _parse(text: str, today: date, known: KnownValues) -> Parsed:
    cleaned = clean(question_in_english(text, MAX_CHARS))
    marked, marks = read_marks(cleaned, today)
    found = words(marked)
    if len(found) > MAX_WORDS:
        raise UnreadableError(
            shorten(cleaned), Reason.TOO_MANY_WORDS.format(count=len(found), limit=MAX_WORDS)
        )
    items = walk(found, lexicon_for(known))
    reading = read_items(items, marks, known, today)
    query = build_query(reading, " ".join(words(cleaned)), today)
    return Parsed(query, describe(query), tuple(reading.notes))
