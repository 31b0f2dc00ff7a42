"""Every sentence the bot says about questions, in one place so it can be translated.

Renderers (terminal, Slack) and the question parser take their words from here; numbers
and units are formatted by `bot.i18n.formatting`.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from bot.i18n import gettext, translated
from metrics.periods import Grain
from metrics.query import Intent

__all__ = [
    "CATALOG_TITLE",
    "EXAMPLES",
    "EXAMPLES_HEADING",
    "HELP_EXAMPLES",
    "HELP_INTRO",
    "HELP_TITLE",
    "Chat",
    "Reason",
    "Understood",
    "Wording",
    "choice_text",
    "note_fuzzy",
    "note_ignored",
    "refusal_text",
]

EXAMPLES: tuple[str, str, str] = (
    "cac last quarter for paid search",
    "churn by segment this year vs last year",
    "trend mql to sql last 6 months",
)

HELP_EXAMPLES: tuple[str, ...] = (
    *EXAMPLES,
    "ltv:cac for smb q3 2026",
    "win rate from webinar mtd",
    "funnel last month",
    "explain payback",
    "metrics",
)

HELP_TITLE = "Ask me about your funnel in plain words"
HELP_INTRO = (
    "Name a metric, and optionally a period (last month, q3 2026, last 30 days, ytd…), "
    "filters (for smb, from paid search), a breakdown (by channel) and a comparison "
    "(vs last year, yoy). The default period is the last complete month, compared with "
    "the month before."
)
CATALOG_TITLE = "Metrics I know"


@translated
class Reason:
    """Why a question was not understood: one short sentence each."""

    EMPTY = "the question is empty"
    TOO_LONG = "the question is too long ({length} characters; at most {limit})"
    TOO_MANY_WORDS = "the question has too many words ({count}; at most {limit})"
    CONTROL = "the question contains control characters"
    SYMBOLS = "the question contains characters I cannot read"
    UNKNOWN_WORDS = "I did not understand {part!r}"
    NO_METRIC = "I could not tell which metric you mean"
    AMBIGUOUS_METRIC = "{part!r} could mean several metrics"
    TWO_METRICS = "I can answer one metric at a time, not {first} and {second}"
    TWO_PERIODS = "I found two periods, {first} and {second}; use 'vs' to compare them"
    TWO_COMPARISONS = "I found two comparisons; ask for one"
    BAD_DATE = "{part!r} is not a date I can read: {error}"
    TOO_FAR = "{part!r} reaches too far back"
    BAD_RANGE = "the range {part!r} ends before it starts"
    AMBIGUOUS_DATE = (
        "{part!r} could be month/day or day/month; write the month as a word (1 Oct) "
        "or the date as 2026-10-01"
    )
    SINCE_FUTURE = "{part!r} starts in the future"
    VS_WHAT = "I could not tell what to compare with after 'vs'"
    UNKNOWN_VALUE = "I do not know a channel or segment called {part!r}"
    EXCLUDED_ALL = "leaving out {part!r} leaves no channel or segment to answer for"
    UNSUPPORTED = "I have no figure for {part!r}; ask 'metrics' for the ones I know"
    UNKNOWN_DIMENSION = "I can break figures down by channel or segment, not by {part!r}"
    NEXT_TO_METRIC = "I did not understand {part!r} next to {metric!r}"
    AMBIGUOUS_VALUE = (
        "{part!r} is both a channel and a segment; say channel={name} or segment={name}"
    )
    WRONG_DIMENSION = "{part!r} is a {actual}, not a {expected}"
    TREND_NEEDS_METRIC = "a trend needs a metric, e.g. 'trend cac'"
    EXPLAIN_NEEDS_METRIC = "tell me which metric to explain, e.g. 'explain cac'"


def note_fuzzy(written: str, read_as: str) -> str:
    return gettext("read {written!r} as {read_as!r}").format(written=written, read_as=read_as)


def note_ignored(words: str) -> str:
    return gettext("ignored {words!r}").format(words=words)


def refusal_text(reason: str, did_you_mean: tuple[str, ...]) -> str:
    """The first line of a refusal: the reason, then the suggestions."""
    if not did_you_mean:
        return gettext("Sorry, {reason}.").format(reason=reason)
    options = ", ".join(did_you_mean)
    return gettext("Sorry, {reason}. Did you mean: {options}?").format(
        reason=reason, options=options
    )


def choice_text(reason: str) -> str:
    """The first line of a question asked back: the reason, then the request to choose."""
    return gettext("{reason}: which one did you mean?").format(
        reason=reason[:1].upper() + reason[1:]
    )


EXAMPLES_HEADING = "Try for example:"


@translated
class Understood:
    """The pieces of the "how I read your question" line."""

    HEADS: Final[Mapping[Intent, str]] = MappingProxyType(
        {
            Intent.METRIC: "{label}",
            Intent.TREND: "{label} trend",
            Intent.EXPLAIN: "explain {label}",
            Intent.FUNNEL: "funnel",
            Intent.CATALOG: "metrics catalog",
            Intent.HELP: "help",
        }
    )
    GRAINS: Final[Mapping[Grain, str]] = MappingProxyType(
        {
            Grain.WEEK: "weekly",
            Grain.MONTH: "monthly",
            Grain.QUARTER: "quarterly",
            Grain.DAY: "daily",
            Grain.HALF: "half-yearly",
            Grain.YEAR: "yearly",
            Grain.CUSTOM: "",
        }
    )
    OR = " or "
    BY = "by {dimension}"
    SEPARATOR = " · "
    VERSUS = "{period} vs {other}"


@translated
class Wording:
    """Labels and sentence patterns of rendered answers."""

    UNDERSTOOD = "Understood:"
    NO_VALUE = "n/a: {reason}"
    NO_CHANGE = "no comparison value"
    VERSUS = "{arrow} {change} vs {period} ({value})"
    VERSUS_NONE = "vs {period}: {value} ({reason})"
    BENCHMARK = "{status} the typical range {range}{scope}, {source}"
    BENCHMARK_STATUS: Final[Mapping[str, str]] = MappingProxyType(
        {"within": "Within", "below": "Below", "above": "Above"}
    )
    TARGET = "Target {range}: {status}"
    TARGET_MET = "met"
    TARGET_MISSED = "missed"
    INPUTS = "Inputs:"
    LEADER: Final[Mapping[str, str]] = MappingProxyType(
        {"highest": "Highest: {name}, {value}", "lowest": "Lowest: {name}, {value}"}
    )
    FORMULA = "Formula:"
    DIRECTION_LOWER = "Lower is better."
    DIRECTION_HIGHER = "Higher is better."
    EXPLAIN_VALUE = "{period}: {value}"
    TYPICAL = "Typical range {range}{scope}, {source}{note}"
    FUNNEL_TITLE = "Funnel · {period}"
    FUNNEL_COLUMNS: tuple[tuple[str, str], ...] = (
        ("Stage", "left"),
        ("Volume", "right"),
        ("Conversion", "right"),
        ("", "left"),
    )
    LEAK_MARK = "◀ biggest leak"
    LEAK = "Biggest leak:"
    TREND_PERIOD = "Period"
    TREND_SO_FAR = "so far ({days} of {total} days)"
    TREND_PARTIAL = "partial ({days} of {total} days)"
    CHART_INCOMPLETE = "fewer days than a whole period"
    CHART_FUNNEL = "Funnel"
    SOURCES = "Sources:"
    EMPTY_STORE = (
        "The store has no data yet, so every figure is n/a: load the demo data with "
        "`funnelbot demo` or your own with `funnelbot import FILE`."
    )
    CATALOG_COLUMNS: tuple[str, ...] = ("Metric", "Label", "Unit", "Also called")


class Chat:
    """The interactive prompt's own words."""

    WELCOME = (
        "Ask about your funnel (today is {today}). Type 'help' for examples, "
        "'quit' or Ctrl-D to leave."
    )
    PROMPT = "funnel> "
    QUIT_WORDS = frozenset({"quit", "exit", "q", "bye", ":q"})
    CHOOSE = "Type a number to choose."
