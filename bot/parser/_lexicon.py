"""The phrases the parser knows, as word tuples, and the longest-match walk over a question.

Metric phrases come from the catalog (ids and labels) and `metrics.aliases`; channel and
segment names come from the store; the grammar's own words are declared here.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache
from types import MappingProxyType

from bot.parser._normalize import singular, words_of
from bot.parser._periods import mark_index
from bot.parser._types import KnownValues
from bot.parser._vocabulary import (
    AVERAGE_WORDS,
    BENCHMARK_WORDS,
    CLICKED_WORDS,
    COMMON_WORDS,
    CONVERSION_CUES,
    COST_WORDS,
    COUNT_WORDS,
    LOST_WORDS,
    MARKETING_WORDS,
    NEW_WORDS,
    OPENED_WORDS,
    RANK_WORDS,
    RATE_CUES,
    SALES_WORDS,
    SHARE_WORDS,
    STAGE_WORDS,
    UNKNOWN_DIMENSIONS,
    UNSUPPORTED,
    VALUE_GROUPS,
    VALUE_SYNONYMS,
    WORTH_WORDS,
    YEAR_WORDS,
)
from metrics.aliases import ALIASES_BY_LANGUAGE, AMBIGUOUS_BY_LANGUAGE
from metrics.catalog import CATALOG
from metrics.periods import Grain
from metrics.query import Dimension

__all__ = [
    "SERIES",
    "Entry",
    "Item",
    "Kind",
    "Lexicon",
    "known_words",
    "lexicon_for",
    "metric_meanings",
    "metric_phrases",
    "value_phrases",
    "walk",
]


class Kind(StrEnum):
    METRIC = "metric"
    AMBIGUOUS = "ambiguous"
    VALUE = "value"
    BREAKDOWN = "breakdown"
    GRAIN = "grain"
    FUNNEL = "funnel"
    TREND = "trend"
    EXPLAIN = "explain"
    CATALOG = "catalog"
    HELP = "help"
    DIMENSION = "dimension"
    PREPOSITION = "preposition"
    VS = "vs"
    COMPARE = "compare"
    SINCE = "since"
    RANGE = "range"
    POSSESSIVE = "possessive"
    FILLER = "filler"
    UNSUPPORTED = "unsupported"
    UNKNOWN_DIMENSION = "unknown dimension"
    STAGE = "stage"
    MODIFIER = "modifier"
    RANK = "rank"
    CUE = "cue"


@dataclass(frozen=True, slots=True)
class Entry:
    """One meaning of a phrase: `value` is a metric id, a name, a dimension or a grain."""

    kind: Kind
    value: str = ""
    options: tuple[str, ...] = ()
    dimension: Dimension | None = None


Lexicon = Mapping[tuple[str, ...], tuple[Entry, ...]]


@dataclass(frozen=True, slots=True)
class Item:
    """A span of the question: a known phrase (entries), a mark, or an unknown word."""

    words: tuple[str, ...]
    entries: tuple[Entry, ...] = ()
    mark: int | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def first(self, *kinds: Kind) -> Entry | None:
        return next((entry for entry in self.entries if entry.kind in kinds), None)

    @property
    def unknown(self) -> bool:
        return self.mark is None and not self.entries


_DIMENSION_WORDS: dict[str, Dimension] = {
    "channel": Dimension.CHANNEL,
    "source": Dimension.CHANNEL,
    "acquisition channel": Dimension.CHANNEL,
    "segment": Dimension.SEGMENT,
    "customer segment": Dimension.SEGMENT,
}
_BREAKDOWN_PREFIXES = (
    "by", "per", "across", "across all", "each", "for each", "for every", "every", "split by",
    "broken down by", "break down by", "breakdown by", "grouped by", "group by", "by each",
    "which", "what", "each individual", "by every",
)  # fmt: skip
_BREAKDOWN_SUFFIXES = ("breakdown", "split", "mix")
# "where do our leads come from": a breakdown by channel without the word.
_SOURCE_WORDS = ("come from", "came from", "coming from", "comes from", "where from")
_GRAIN_WORDS = {"week": Grain.WEEK, "month": Grain.MONTH, "quarter": Grain.QUARTER}
_SERIES_PREFIXES = ("by", "each", "every", "over each", "for each", "for every")
SERIES = "series"
_FUNCTION_WORDS: dict[Kind, tuple[str, ...]] = {
    Kind.FUNNEL: (
        "funnel", "full funnel", "whole funnel", "sales funnel", "marketing funnel",
        "conversion funnel", "funnel overview", "funnel leak", "leak", "biggest leak",
        "where do we leak", "stages", "funnel stages", "whole thing", "stage by stage",
        "losing people", "where are we losing", "where do we lose", "drop off", "drop-off",
        "dropoff", "drop offs", "leaking", "leaks", "leakage", "pipeline stages",
    ),
    Kind.TREND: (
        "trend", "trending", "over time", "history", "historical", "chart", "graph", "plot",
        "sparkline", "evolution", "time series", "daily", "day by day",
        "moved", "trended", "trajectory", "getting better", "getting worse", "better or worse",
        "improving", "worsening", "deteriorating", "trend line", "trendline", "develop",
        "developed", "developing", "evolve", "evolved", "evolving",
    ),
    Kind.EXPLAIN: (
        "explain", "define", "definition", "definition of", "meaning", "mean", "formula",
        "calculated", "calculate", "computed", "compute", "defined", "how do you calculate",
        "what counts as", "counts as", "count as", "what qualifies as", "how do we define",
        "what do we mean by", "what do you mean by", "stand for", "stands for", "goes into",
        "go into", "what goes into", "calc", "calculation", "calculations", "how do u calc",
        "how do you calc", "divided by", "what is a good", "what s a good", "whats a good",
        "what is good",
        "what is a healthy", "what s a healthy", "whats a healthy", "what is healthy",
        "measured", "measure", "measures", "denominator", "numerator", "in the denominator",
    ),
    Kind.CATALOG: (
        "metrics", "list", "catalog", "catalogue", "kpis", "glossary", "what can i ask",
        "which metrics", "available metrics", "all metrics", "list metrics",
        "what kind of stuff can i ask", "what stuff can i ask", "what kind of things can i ask",
        "what things can i ask", "which numbers can you give me", "what can you answer",
        "what numbers can you give me", "which numbers can you give",
        "what figures can you give me",
    ),
    Kind.HELP: (
        "help", "usage", "how do i use", "what can you do", "how does this work", "commands",
        "examples", "how does this thing work", "how does it work", "how do i ask",
        "what can i ask you", "how to use", "what do you do", "not sure how to ask",
        "not sure what to ask", "how to ask you", "how do i ask you", "what should i ask",
        "how to ask you things", "not sure how to ask you things",
    ),
    Kind.PREPOSITION: ("for", "in", "from", "via", "on", "within", "among", "only"),
    Kind.VS: (
        "vs", "v", "versus", "compared to", "compared with", "against", "relative to",
        "compare to", "compare with", "compares to", "compares with",
    ),
    Kind.SINCE: ("since", "starting", "starting from", "after"),
    Kind.COMPARE: ("compare", "comparing", "comparison of"),
    Kind.RANGE: ("to", "through", "thru", "until", "till", "and"),
    Kind.POSSESSIVE: ("our", "my", "we", "us", "the", "current", "latest", "this"),
    Kind.FILLER: (
        "what", "is", "are", "was", "were", "be", "been", "of", "please", "pls", "plz", "show",
        "me", "give", "tell", "get", "how", "much", "many", "did", "do", "does", "i", "you",
        "can", "could", "would", "at", "with", "or", "over", "during", "so", "far",
        "value", "number", "total", "overall", "all", "currently", "see", "looking", "look",
        "like", "about", "hey", "hi", "hello", "there", "just", "quick", "stats", "figure",
        "figures", "report", "it", "which", "team", "now", "period", "data", "a", "an",
        "funnelbot", "bot", "thanks", "thank", "whats", "up", "has", "have", "had", "been",
        "doing", "going", "performing", "perform", "rate", "ratio", "between", "and", "versus",
        "all channels", "all segments", "in total", "so far", "per", "by", "kpi", "metric",
        "numbers", "our", "company", "business", "level", "same", "lately", "recently",
        "in months", "in days", "in percent", "percent", "percentage", "here", "there",
        "right now", "in general", "generally", "anyway", "end of", "at end of",
        "at the end of", "as of", "by end of", "by the end of", "atm", "at the moment",
    ),
}  # fmt: skip


def _add(table: dict[tuple[str, ...], list[Entry]], phrase: str, entry: Entry) -> None:
    key = words_of(phrase)
    if key and entry not in table.setdefault(key, []):
        table[key].append(entry)


def _metric_table() -> dict[tuple[str, ...], set[str]]:
    found: dict[tuple[str, ...], set[str]] = {}
    for definition in CATALOG.values():
        for phrase in (definition.id, definition.label):
            found.setdefault(words_of(phrase), set()).add(definition.id)
    for aliases in ALIASES_BY_LANGUAGE.values():
        for metric_id, phrases in aliases.items():
            for phrase in phrases:
                found.setdefault(words_of(phrase), set()).add(metric_id)
    return found


@cache
def metric_phrases() -> Mapping[tuple[str, ...], tuple[str, ...]]:
    """Every metric phrase and the metric ids it names (several when it is ambiguous)."""
    table = {key: tuple(sorted(ids)) for key, ids in _metric_table().items()}
    for ambiguous in AMBIGUOUS_BY_LANGUAGE.values():
        for phrase, ids in ambiguous.items():
            table.setdefault(words_of(phrase), ids)
    return table


@cache
def metric_meanings() -> Mapping[str, str]:
    """Every phrase that names exactly one metric, and that metric's id."""
    return {" ".join(key): ids[0] for key, ids in metric_phrases().items() if len(ids) == 1}


def _word_entries() -> Iterator[tuple[str, Entry]]:
    """Every non-metric phrase of the grammar and the vocabulary, with its meaning."""
    for kind, phrases in _FUNCTION_WORDS.items():
        yield from ((phrase, Entry(kind)) for phrase in phrases)
    for words, entry in _vocabulary_entries():
        yield from ((phrase, entry) for phrase in words)
    yield from ((phrase, Entry(Kind.UNSUPPORTED, phrase)) for phrase in UNSUPPORTED)
    yield from ((phrase, Entry(Kind.UNKNOWN_DIMENSION, phrase)) for phrase in UNKNOWN_DIMENSIONS)
    yield from ((phrase, Entry(Kind.RANK, end)) for phrase, end in RANK_WORDS.items())
    yield from ((phrase, Entry(Kind.STAGE, stage)) for phrase, stage in STAGE_WORDS.items())
    yield from _dimension_entries()
    yield from _grain_entries()
    yield from _benchmark_entries()


def _benchmark_entries() -> Iterator[tuple[str, Entry]]:
    """ "vs industry benchmarks": every answer already shows them, so nothing to compare."""
    for phrase in BENCHMARK_WORDS:
        yield phrase, Entry(Kind.FILLER)
        yield from ((f"{vs} {phrase}", Entry(Kind.FILLER)) for vs in _FUNCTION_WORDS[Kind.VS])


def _dimension_entries() -> Iterator[tuple[str, Entry]]:
    for dim_word, dimension in _DIMENSION_WORDS.items():
        yield dim_word, Entry(Kind.DIMENSION, dimension=dimension)
        breakdown = Entry(Kind.BREAKDOWN, dimension=dimension)
        yield from ((f"{prefix} {dim_word}", breakdown) for prefix in _BREAKDOWN_PREFIXES)
        yield from ((f"{dim_word} {suffix}", breakdown) for suffix in _BREAKDOWN_SUFFIXES)
    source = Entry(Kind.BREAKDOWN, dimension=Dimension.CHANNEL)
    yield from ((phrase, source) for phrase in _SOURCE_WORDS)
    # "leads coming from organic": before a name, only a filter word.
    yield from ((phrase, Entry(Kind.PREPOSITION)) for phrase in _SOURCE_WORDS)


def _grain_entries() -> Iterator[tuple[str, Entry]]:
    """ "monthly" and "per month" may choose a variant ("monthly churn"); "by month",
    "month by month" and "each month" always ask for the series."""
    for grain_word, grain in _GRAIN_WORDS.items():
        entry = Entry(Kind.GRAIN, grain.value)
        series = Entry(Kind.GRAIN, grain.value, options=(SERIES,))
        yield f"{grain_word}ly", entry
        yield f"per {grain_word}", entry
        yield f"{grain_word} by {grain_word}", series
        yield f"{grain_word} to {grain_word}", series
        yield from ((f"{prefix} {grain_word}", series) for prefix in _SERIES_PREFIXES)


@cache
def _static_lexicon() -> Mapping[tuple[str, ...], tuple[Entry, ...]]:
    table: dict[tuple[str, ...], list[Entry]] = {}
    for phrase, entry in _word_entries():
        _add(table, phrase, entry)
    for key, ids in metric_phrases().items():
        entry = Entry(Kind.METRIC, ids[0]) if len(ids) == 1 else Entry(Kind.AMBIGUOUS, options=ids)
        # A metric phrase outranks a function word spelled the same ("growth", "leads").
        table[key] = [entry]
    return {key: tuple(entries) for key, entries in table.items()}


def _vocabulary_entries() -> tuple[tuple[frozenset[str], Entry], ...]:
    return (
        (COMMON_WORDS, Entry(Kind.FILLER)),
        (AVERAGE_WORDS, Entry(Kind.MODIFIER, "average")),
        (YEAR_WORDS, Entry(Kind.MODIFIER, "year")),
        (NEW_WORDS, Entry(Kind.MODIFIER, "new")),
        (LOST_WORDS, Entry(Kind.MODIFIER, "lost")),
        (COST_WORDS, Entry(Kind.MODIFIER, "cost")),
        (WORTH_WORDS, Entry(Kind.MODIFIER, "worth")),
        (MARKETING_WORDS, Entry(Kind.MODIFIER, "marketing")),
        (OPENED_WORDS, Entry(Kind.MODIFIER, "opened")),
        (CLICKED_WORDS, Entry(Kind.MODIFIER, "clicked")),
        (SALES_WORDS, Entry(Kind.MODIFIER, "sales")),
        (COUNT_WORDS, Entry(Kind.FILLER)),
        (COUNT_WORDS, Entry(Kind.MODIFIER, "count")),
        (SHARE_WORDS, Entry(Kind.MODIFIER, "rate")),
        (RATE_CUES, Entry(Kind.CUE, "rate")),
        (CONVERSION_CUES - RATE_CUES, Entry(Kind.CUE)),
    )


@lru_cache(maxsize=8)
def value_phrases(known: KnownValues) -> Mapping[tuple[str, ...], tuple[Entry, ...]]:
    """Channel and segment names as phrases: "paid search", "paid-search", "paidsearch",
    and their everyday synonyms ("google ads") when the store has no value of that name."""
    table: dict[tuple[str, ...], list[Entry]] = {}
    named = [(Dimension.CHANNEL, known.channels), (Dimension.SEGMENT, known.segments)]
    for dimension, names in named:
        for name in names:
            entry = Entry(Kind.VALUE, name, dimension=dimension)
            _add(table, name, entry)
            _add(table, name.replace("_", ""), entry)
    for phrase, group in VALUE_GROUPS.items():
        present = tuple(name for name in group if name in known.channels)
        if present and words_of(phrase) not in table:
            _add(table, phrase, Entry(Kind.VALUE, options=present, dimension=Dimension.CHANNEL))
    for dimension, names in named:
        for name in names:
            for synonym in VALUE_SYNONYMS.get(name, ()):
                if words_of(synonym) not in table:
                    _add(table, synonym, Entry(Kind.VALUE, name, dimension=dimension))
    return MappingProxyType({key: tuple(entries) for key, entries in table.items()})


@cache
def _static_words() -> frozenset[str]:
    return frozenset(word for key in _static_lexicon() for word in key)


def known_words(known: KnownValues) -> frozenset[str]:
    """Every word of a phrase the parser knows, the store's names included."""
    return _static_words() | {word for key in value_phrases(known) for word in key}


@lru_cache(maxsize=8)
def lexicon_for(known: KnownValues) -> Lexicon:
    """The static phrases plus the store's names (a name may also be a metric phrase); one
    per set of names, since a process answers many questions of one store."""
    merged = dict(_static_lexicon())
    for key, entries in value_phrases(known).items():
        kept = tuple(entry for entry in merged.get(key, ()) if entry.kind is not Kind.FILLER)
        merged[key] = kept + entries
    return MappingProxyType(merged)


def _longest(words: Sequence[str], start: int, lexicon: Lexicon, longest: int) -> Item | None:
    for size in range(min(longest, len(words) - start), 0, -1):
        span = words[start : start + size]
        if any(mark_index(word) is not None for word in span):
            continue
        entries = lexicon.get(tuple(singular(word) for word in span))
        if entries:
            return Item(tuple(span), entries)
    return None


def walk(words: Sequence[str], lexicon: Lexicon) -> list[Item]:
    """The question as items, matching the longest known phrase at each position."""
    longest = max(len(key) for key in lexicon)
    items: list[Item] = []
    position = 0
    while position < len(words):
        index = mark_index(words[position])
        found = _longest(words, position, lexicon, longest) if index is None else None
        if index is not None:
            found = Item((words[position],), mark=index)
        items.append(found or Item((words[position],)))
        position += len(found.words) if found else 1
    return items
