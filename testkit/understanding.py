"""Grading the parser against the understanding corpus (tests/bot/parser/understanding):
one outcome per question, shared by its test and bench/understanding.py.

An outcome is `right`, `wrong` (understood, but a period, filter, breakdown or comparison
differs), `misread` (answered with another metric or intent than the one asked for, or
answered a question that should have been asked back or refused), or `missed` (refused or
asked back when a reading was expected).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path

from bot.parser import KnownValues, NotUnderstood, Parsed, ParseResult
from metrics.query import CompareKind, Comparison, Intent, Query

__all__ = [
    "CORPUS",
    "KNOWN",
    "LANGUAGES",
    "TODAY",
    "Expected",
    "Outcome",
    "grade",
    "load",
]

CORPUS = Path(__file__).parents[1] / "tests" / "bot" / "parser" / "understanding"
LANGUAGES = ("th", "vi", "en")
TODAY = date(2026, 11, 25)
KNOWN = KnownValues(
    channels=(
        "organic", "paid_search", "paid_social", "webinar", "events", "outbound", "referral",
        "email", "partner",
    ),
    segments=("smb", "mid_market", "enterprise"),
)  # fmt: skip
_INTENTS = {
    "trend": Intent.TREND,
    "explain": Intent.EXPLAIN,
    "funnel": Intent.FUNNEL,
    "metrics": Intent.CATALOG,
    "help": Intent.HELP,
}
_WITHOUT_PERIOD = (Intent.EXPLAIN, Intent.CATALOG, Intent.HELP)


class Outcome(StrEnum):
    RIGHT = "right"
    WRONG = "wrong"
    MISREAD = "misread"
    MISSED = "missed"


@dataclass(frozen=True, slots=True)
class Expected:
    """One corpus line: the question and the reading its writer expects."""

    question: str
    what: str
    start: str = ""
    end: str = ""
    filters: str = ""
    by: str = ""
    compare: str = "previous"

    @property
    def candidates(self) -> frozenset[str]:
        """The metric ids of an `ask:` line."""
        return frozenset(self.what.removeprefix("ask:").split("|"))

    @property
    def intent(self) -> tuple[Intent, str | None]:
        head, _, metric_id = self.what.partition(":")
        if head in _INTENTS:
            return _INTENTS[head], metric_id or None
        return Intent.METRIC, self.what


def load(language: str, half: str) -> list[Expected]:
    """The corpus lines of one language and half: `dev` (every `LANG.dev*.jsonl`, batches
    written at different times) or `heldout`."""
    paths = sorted(CORPUS.glob(f"{language}.{half}.jsonl")) + sorted(
        CORPUS.glob(f"{language}.{half}-*.jsonl")
    )
    return [row for path in paths for row in _lines(path)]


def _lines(path: Path) -> Iterator[Expected]:
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            fields = json.loads(line)
            yield Expected(
                fields["q"],
                fields["what"],
                fields.get("start", ""),
                fields.get("end", ""),
                fields.get("filters", ""),
                fields.get("by", ""),
                fields.get("compare", "previous"),
            )


def grade(expected: Expected, result: ParseResult) -> Outcome:
    if expected.what == "refuse":
        return Outcome.RIGHT if isinstance(result, NotUnderstood) else Outcome.MISREAD
    if expected.what.startswith("ask:"):
        return _grade_ask(expected, result)
    if isinstance(result, NotUnderstood):
        return Outcome.MISSED
    assert isinstance(result, Parsed)
    if (result.query.intent, result.query.metric) != expected.intent:
        return Outcome.MISREAD
    return Outcome.RIGHT if _same_details(expected, result.query) else Outcome.WRONG


def _grade_ask(expected: Expected, result: ParseResult) -> Outcome:
    if isinstance(result, Parsed):
        return Outcome.MISREAD if result.query.metric not in expected.candidates else Outcome.WRONG
    offered = {choice.metric for choice in result.choices}
    return Outcome.RIGHT if offered & expected.candidates else Outcome.MISSED


def _same_details(expected: Expected, query: Query) -> bool:
    if query.intent in _WITHOUT_PERIOD:
        return True
    period = (query.period.start.isoformat(), query.period.end.isoformat())
    same = period == (expected.start, expected.end)
    same = same and _filters(query) == _expected_filters(expected.filters)
    if query.intent is Intent.FUNNEL:
        return same
    same = same and (query.by.value if query.by else "") == expected.by
    return same and (query.intent is not Intent.METRIC or _compared(query, expected.compare))


def _filters(query: Query) -> dict[str, frozenset[str]]:
    return {key: frozenset(names) for key, names in query.filters.as_dict().items()}


def _expected_filters(text: str) -> dict[str, frozenset[str]]:
    filters: dict[str, frozenset[str]] = {}
    for part in filter(None, text.split(";")):
        key, _, names = part.partition("=")
        filters[key.strip()] = frozenset(name.strip() for name in names.split(","))
    return filters


def _compared(query: Query, expected: str) -> bool:
    """Whether the query compares with the period `expected` names ("previous", "yoy",
    "none", "START..END"): "vs last year" on a year is both the previous and the yoy one."""
    got = (
        query.compare.resolve(query.period) if query.compare.kind is not CompareKind.NONE else None
    )
    if expected == "none" or got is None:
        return expected == "none" and got is None
    if expected in ("previous", "yoy"):
        kind = CompareKind.PREVIOUS if expected == "previous" else CompareKind.YEAR_AGO
        wanted = Comparison(kind).resolve(query.period)
        assert wanted is not None
        return (got.start, got.end) == (wanted.start, wanted.end)
    start, _, end = expected.partition("..")
    return (got.start.isoformat(), got.end.isoformat()) == (start, end)
