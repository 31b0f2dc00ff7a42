"""Questions in plain words to typed queries: `parse` never raises, it says what it missed.

The text is bounded and checked first (`_normalize`), periods and comparisons are read by
patterns (`_periods`), the remaining words are matched against known phrases, longest
first (`_lexicon`), misspellings are read or suggested (`_fuzzy`), and the reading becomes
one `Query` with defaults applied (`_grammar`, `_build`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from bot.i18n import detect_language, to_english
from bot.i18n.messages import Reason, note_fuzzy, note_ignored
from bot.parser._build import build_query, describe
from bot.parser._clauses import Clauses, read_clauses
from bot.parser._fuzzy import suggestions
from bot.parser._grammar import read_items
from bot.parser._lexicon import known_words, lexicon_for, metric_meanings, metric_phrases, walk
from bot.parser._normalize import (
    MAX_CHARS,
    MAX_WORDS,
    clean,
    from_slack,
    shorten,
    words,
    words_of,
)
from bot.parser._periods import PERIOD_WORDS, Mark, read_marks
from bot.parser._spelling import Names, correct, load_word_list, names_in
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
    "metric_named",
    "parse",
    "prepare",
    "read_period",
    "similar_metrics",
]


def parse(text: str, *, today: date, known: KnownValues) -> ParseResult:
    """Read a question; `today` is the asker's local date."""
    try:
        return _parse(text, today, known)
    except UnreadableError as refused:
        return refused.result


def prepare() -> None:
    """Do once what the first question would: for a process that answers many."""
    load_word_list()
    _vocabulary(_NO_VALUES)


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


def metric_named(name: str) -> str | None:
    """The metric `name` names as it would in a question (its id, its label or an alias,
    in any case and number: "cac", "New customers"), or None for none or several."""
    ids = metric_phrases().get(words_of(name), ())
    return ids[0] if len(ids) == 1 else None


def similar_metrics(name: str) -> tuple[str, ...]:
    """The metrics `name` may mean: all of them for a name of several ("conversion"), else
    up to three named by similar phrases, best first."""
    ids = metric_phrases().get(words_of(name), ())
    return ids if len(ids) > 1 else suggestions(words_of(name), metric_meanings())


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A question in English words, misspellings corrected, periods marked, and how it
    names things."""

    cleaned: str
    corrected: tuple[str, ...]
    names: Names
    marked: str
    marks: list[Mark]


def _parse(text: str, today: date, known: KnownValues) -> Parsed:
    cleaned, corrected, names = _english(text, known)
    marked, marks = read_marks(cleaned, today)
    found = words(marked)
    if len(found) > MAX_WORDS:
        raise UnreadableError(
            shorten(cleaned), Reason.TOO_MANY_WORDS.format(count=len(found), limit=MAX_WORDS)
        )
    prepared = _Prepared(cleaned, corrected, names, marked, marks)
    clauses = read_clauses(marked, lexicon_for(known), names=names)
    try:
        return _read(prepared, clauses, today, known)
    except UnreadableError:
        read_again = _read_leniently(prepared, len(clauses[1]), today, known)
        if read_again is None:
            raise
        return read_again


def _read_leniently(
    prepared: _Prepared, set_aside: int, today: date, known: KnownValues
) -> Parsed | None:
    """The reading with statements of context set aside too, when that sets aside more
    than the `set_aside` clauses of the first reading and reads; None otherwise (the
    first refusal stands)."""
    lexicon = lexicon_for(known)
    clauses = read_clauses(prepared.marked, lexicon, names=prepared.names, lenient=True)
    if len(clauses[1]) <= set_aside:
        return None
    try:
        return _read(prepared, clauses, today, known)
    except UnreadableError:
        return None


def _read(prepared: _Prepared, clauses: Clauses, today: date, known: KnownValues) -> Parsed:
    items, set_aside = clauses
    reading = read_items(items, prepared.marks, known, today, names=prepared.names)
    query = build_query(reading, " ".join(words(prepared.cleaned)), today)
    ignored = tuple(note_ignored(shorten(clause)) for clause in set_aside)
    return Parsed(query, describe(query), (*prepared.corrected, *ignored, *reading.notes))


@lru_cache(maxsize=8)
def _vocabulary(known: KnownValues) -> frozenset[str]:
    return known_words(known) | PERIOD_WORDS


def _english(text: str, known: KnownValues) -> tuple[str, tuple[str, ...], Names]:
    """The question cleaned, in English words, misspellings corrected (not in
    Vietnamese: a word typed without its marks is no misspelt English one), and how it
    names things (in English only). Too long a text is refused before its language is
    read."""
    if len(text) > MAX_CHARS:
        return clean(text), (), Names(english=True)
    text = from_slack(text)
    language = detect_language(text)
    cleaned = clean(to_english(text, language))
    if language == "vi":
        return cleaned, (), Names()
    # The Latin words of a Thai question are English ("cacของpaid serch")
    vocabulary = _vocabulary(known)
    spelled, corrections = correct(cleaned, vocabulary)
    notes = tuple(note_fuzzy(fix.written, fix.meant) for fix in corrections)
    names = names_in(text, vocabulary) if language == "en" else Names()
    return spelled, notes, names
