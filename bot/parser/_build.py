"""From a reading to a `Query`: one intent, one period, one comparison, defaults applied."""

from __future__ import annotations

import re
from datetime import date

from bot.i18n import keyed_text, period_label
from bot.i18n.formatting import name_text, period_text
from bot.i18n.messages import Reason, Understood
from bot.parser._compose import Mention
from bot.parser._grammar import Reading
from bot.parser._lexicon import Kind
from bot.parser._normalize import shorten
from bot.parser._periods import CompareMark, PeriodMark
from bot.parser._types import Choice, UnreadableError
from bot.parser._vocabulary import AD_CHANNELS, NOUN_METRICS, OWN_CHANNEL
from metrics.catalog import CATALOG, inputs_of
from metrics.periods import Grain, Period, last_n, last_unit, unit_containing
from metrics.query import CompareKind, Comparison, Dimension, Filters, Intent, Query, Rank

__all__ = ["build_query", "describe"]

# Trends over up to about six months go week by week, longer ones month by month.
_WEEKLY_TREND_DAYS = 186
_MOST_CHOICES = 5
_TREND_DEFAULT_MONTHS = 6
_TREND_DEFAULT_QUARTERS = 4
_CALENDAR_UNITS = frozenset({Grain.MONTH, Grain.QUARTER, Grain.HALF, Grain.YEAR})
_WHAT_IS = (("what", "is"), ("what", "are"))
_PRELIMINARIES = frozenset(
    {"sorry", "sry", "if", "dumb", "q", "question", "but", "hey", "hi", "hello", "quick",
     "one", "ok", "so", "um", "hmm", "silly", "stupid", "maybe", "a", "morning", "team"}
)  # fmt: skip
_WORDLESS_INTENTS = (
    (Kind.FUNNEL, Intent.FUNNEL),
    (Kind.CATALOG, Intent.CATALOG),
    (Kind.HELP, Intent.HELP),
)


def _choices(
    options: tuple[str, ...], question: str, written: tuple[str, ...]
) -> tuple[Choice, ...]:
    """Each reading as a question of its own: the metric words replaced by the metric id."""
    rest = question
    for text in written:
        rest = rest.replace(text, " ", 1)
    rest = " ".join(rest.split())
    return tuple(
        Choice(
            keyed_text("label", option, CATALOG[option].label), f"{option} {rest}".strip(), option
        )
        for option in options[:_MOST_CHOICES]
    )


# One figure when no period is named ("how many customers do we have"), two when one is
# ("customers in Q3": paying at its end, or won during it).
_DURING_PERIOD: dict[str, tuple[str, ...]] = {
    "customer": ("customers", "new_customers"),
    "customers": ("customers", "new_customers"),
}


_GUESSED = 10**6
_TELLING_APART = frozenset(
    {"different", "difference", "differ", "differs", "confuse", "confused", "confusing",
     "distinguish"}
)  # fmt: skip
_AT_A_POINT = frozenset({"end", "have", "total", "now", "currently", "active", "base"})


def _check_during(reading: Reading, metric_id: str, written: str, question: str) -> None:
    options = _DURING_PERIOD.get(written) if metric_id == "customers" else None
    at_a_point = not _AT_A_POINT.isdisjoint(question.split())
    if options is None or not reading.periods or Kind.TREND in reading.intents or at_a_point:
        return
    reason = Reason.AMBIGUOUS_METRIC.format(part=written)
    raise UnreadableError(written, reason, choices=_choices(options, question, (written,)))


def _judged(reading: Reading, metric_id: str) -> bool:
    """Whether the ambiguous word is what is asked and the metric only its subject: a noun
    ("cost of customers") or what the candidates are built on ("is our spend efficient")."""
    if not reading.ambiguous:
        return False
    options = reading.ambiguous[0].entries[0].options
    if metric_id in options:  # "opportunities in the pipeline": one of its readings, named
        return False
    if metric_id in NOUN_METRICS:
        return True
    used = set(inputs_of(metric_id))
    return metric_id not in options and any(used < set(inputs_of(option)) for option in options)


def _explained(reading: Reading, chosen: list[str], question: str) -> list[str]:
    """ "what goes into cac, is sales spend included?": an ingredient named beside the
    metric explained is part of its explanation, not a second question; so is a figure it
    is told apart from ("what is nrr and how is it different from churn")."""
    defining = Kind.EXPLAIN in reading.intents or _opening(question)[:2] in _WHAT_IS
    if not defining or len(chosen) < 2:
        return chosen
    explained = set(inputs_of(chosen[0]))
    ingredients = all(set(inputs_of(other)) <= explained for other in chosen[1:])
    if ingredients or not _TELLING_APART.isdisjoint(question.split()):
        return chosen[:1]
    return chosen


def _position(mention: Mention) -> int:
    """Where the metric was named; a guessed one after every named one."""
    return mention.index if mention.index is not None else _GUESSED


def _metric(reading: Reading, question: str) -> str | None:
    written: dict[str, str] = {}
    for mention in sorted(reading.metrics, key=_position):
        written.setdefault(mention.metric_id, mention.text)
    chosen = _explained(reading, list(written), question)
    if len(chosen) > 1:
        first, second = written[chosen[0]], written[chosen[1]]
        raise UnreadableError(
            shorten(f"{first}, {second}"),
            Reason.TWO_METRICS.format(first=repr(first), second=repr(second)),
            choices=_choices(tuple(chosen), question, tuple(written.values())),
        )
    if chosen and not _judged(reading, chosen[0]):
        _check_during(reading, chosen[0], written[chosen[0]], question)
        return chosen[0]
    if reading.ambiguous:
        item = reading.ambiguous[0]
        options = item.entries[0].options
        reason = Reason.AMBIGUOUS_METRIC.format(part=item.text)
        raise UnreadableError(item.text, reason, choices=_choices(options, question, (item.text,)))
    return None


def _asks_definition(reading: Reading, opening: tuple[str, ...]) -> bool:
    """ "what is churn" asks for a definition; "what is our churn in q3" for a figure."""
    if Kind.EXPLAIN in reading.intents:
        return True
    said_more = reading.periods or reading.compares or reading.has_filters or reading.by
    return opening[:2] in _WHAT_IS and not reading.possessive and not said_more


def _intent(reading: Reading, opening: tuple[str, ...], question: str) -> tuple[Intent, str | None]:
    if Kind.FUNNEL in reading.intents and _only_conversions(reading):
        return Intent.FUNNEL, None
    metric_id = _metric(reading, question)
    if metric_id is None:
        for kind, intent in _WORDLESS_INTENTS:
            if kind in reading.intents:
                return intent, None
        if Kind.EXPLAIN in reading.intents:
            raise UnreadableError("explain", Reason.EXPLAIN_NEEDS_METRIC)
        if Kind.TREND in reading.intents or reading.grain:
            raise UnreadableError("trend", Reason.TREND_NEEDS_METRIC)
        raise UnreadableError(" ".join(opening), Reason.NO_METRIC)
    if _asks_definition(reading, opening):
        return Intent.EXPLAIN, metric_id
    if Kind.TREND in reading.intents or reading.grain is not None:
        return Intent.TREND, metric_id
    return Intent.METRIC, metric_id


def _compared_periods(reading: Reading) -> None:
    """ "compare cac this quarter with last quarter": the second period is the comparison."""
    if Kind.COMPARE in reading.intents and len(reading.periods) == 2 and not reading.compares:
        reading.compares.append(reading.periods.pop())


def _said_twice(reading: Reading) -> None:
    """ "the first three quarters of 2026 (Jan 1 - Sep 30)", "2026 (ytd)": a period said
    again in other words is one period, the one up to today if either is."""
    if len(reading.periods) != 2:
        return
    first, second = (mark.period for mark in reading.periods)
    restated = first.end == second.end or first.to_date or second.to_date
    if first.start == second.start and restated:
        reading.periods = [min(reading.periods, key=lambda mark: mark.period.end)]


def _base_period(reading: Reading, intent: Intent, today: date) -> Period:
    _compared_periods(reading)
    _said_twice(reading)
    if len(reading.periods) > 1:
        first, second = reading.periods[0].text, reading.periods[1].text
        raise UnreadableError(
            shorten(f"{first}, {second}"),
            Reason.TWO_PERIODS.format(first=repr(first), second=repr(second)),
        )
    if reading.periods:
        mark = reading.periods[0]
        if mark.period.start > today:  # "December this year" in November: nothing yet
            raise UnreadableError(shorten(mark.text), Reason.SINCE_FUTURE.format(part=mark.text))
        return mark.period
    implied = [mark.grain for mark in reading.compares if isinstance(mark, CompareMark)]
    if implied and implied[0] is not None:
        return last_unit(implied[0], today)
    if intent is Intent.TREND and reading.grain is Grain.QUARTER:
        return last_n(_TREND_DEFAULT_QUARTERS, Grain.QUARTER, today)
    if intent is Intent.TREND:
        return last_n(_TREND_DEFAULT_MONTHS, Grain.MONTH, today)
    return last_unit(Grain.MONTH, today)


def _comparison(reading: Reading, base: Period) -> Comparison:
    # "just the number, no comparison": one comparison said twice
    asked = {_compared(mark, base) for mark in reading.compares}
    if len(asked) > 1:
        raise UnreadableError(
            shorten(" ".join(mark.text for mark in reading.compares)), Reason.TWO_COMPARISONS
        )
    return asked.pop() if asked else Comparison()


def _compared(mark: CompareMark | PeriodMark, base: Period) -> Comparison:
    return Comparison(mark.kind) if isinstance(mark, CompareMark) else _compare_with(mark, base)


def _compare_with(mark: PeriodMark, base: Period) -> Comparison:
    """ "vs last month" on a month is the previous month; on a quarter, that very month."""
    if mark.last_of is not None and mark.last_of is base.grain:
        return Comparison(CompareKind.PREVIOUS)
    if mark.last_of is Grain.YEAR or _same_unit_a_year_before(mark.period, base):
        return Comparison(CompareKind.YEAR_AGO)
    return Comparison(CompareKind.PERIOD, mark.period)


def _same_unit_a_year_before(period: Period, base: Period) -> bool:
    """ "Q4 so far vs Q4 last year": the same calendar unit a year earlier, which a period
    to date is compared with up to the same day."""
    if not base.to_date or base.grain not in _CALENDAR_UNITS:
        return False
    start = base.start
    return period == unit_containing(base.grain, start.replace(year=start.year - 1))


def _only_conversions(reading: Reading) -> bool:
    """ "the whole funnel from visitors to customers" names its ends, not a conversion, and
    "the funnel for SMB customers" whose funnel it is."""
    return all(
        CATALOG[mention.metric_id].category == "Conversion" or mention.metric_id in NOUN_METRICS
        for mention in reading.metrics
    )


_NAMES_CHANNEL = re.compile(
    r"\b(?:from|via|through|channel) (?:the )?e-?mail\b|\be-?mail channel|\bnewsletters?\b"
)


def _opening(question: str) -> tuple[str, ...]:
    """The first two words once the asker's preliminaries are past ("sorry if dumb q but
    what is an SQL" opens with "what is")."""
    said = question.split()
    start = 0
    while start < len(said) - 2 and said[start] in _PRELIMINARIES:
        start += 1
    return tuple(said[start : start + 2])


def build_query(reading: Reading, question: str, today: date) -> Query:
    """`question` is the cleaned text, from which readings to choose between are written."""
    opening = _opening(question)
    intent, metric_id = _intent(reading, opening, question)
    metric_id = _ad_spend(reading, metric_id, question)
    period = _base_period(reading, intent, today)
    grain = reading.grain or (Grain.WEEK if period.days <= _WEEKLY_TREND_DAYS else Grain.MONTH)
    return Query(
        intent=intent,
        period=period,
        metric=metric_id,
        filters=Filters(
            channel=_channels(reading, metric_id, question),
            segment=tuple(reading.values[Dimension.SEGMENT]),
        ),
        by=reading.by,
        compare=_comparison(reading, period),
        trend_grain=grain,
        rank=_rank(reading, metric_id),
    )


def _ad_spend(reading: Reading, metric_id: str | None, question: str) -> str | None:
    """ "paid social spend": what is spent on an advertising channel is its ad spend, the
    marketing spend (a "total" asked for stays the total)."""
    channels = set(reading.values[Dimension.CHANNEL])
    if metric_id != "total_spend" or not channels or not channels <= AD_CHANNELS:
        return metric_id
    return metric_id if "total" in question.split() else "marketing_spend"


def _channels(reading: Reading, metric_id: str | None, question: str) -> tuple[str, ...]:
    """ "clicks on emails": the word is the e-mail figure's own, not a filter that would hide
    other channels' campaigns; "open rate from email" names the channel."""
    named = tuple(reading.values[Dimension.CHANNEL])
    own = OWN_CHANNEL.get(metric_id or "")
    if own is None or named != (own,) or _NAMES_CHANNEL.search(question):
        return named
    return ()


def _rank(reading: Reading, metric_id: str | None) -> Rank | None:
    """ "cheapest channel…": the end of the breakdown to name first."""
    if reading.rank is None or reading.by is None or metric_id is None:
        return None
    if reading.rank in ("best", "worst"):
        wants_low = CATALOG[metric_id].lower_is_better == (reading.rank == "best")
        return Rank.LOWEST if wants_low else Rank.HIGHEST
    return Rank(reading.rank)


def describe(query: Query) -> str:
    """How the question was read, as every answer is headed with it (Slack, `ask`, `query`):
    "Customer acquisition cost (cac) · paid search · Q3 2026 (1 Jul – 30 Sep 2026) vs Q2 2026"."""
    label = _metric_text(query.metric) if query.metric else ""
    head = Understood.HEADS[query.intent].format(label=label)
    if query.intent in (Intent.CATALOG, Intent.HELP):
        return head
    parts = [head]
    for names in (query.filters.channel, query.filters.segment):
        if names:
            parts.append(Understood.OR.join(name_text(name) for name in names))
    if query.by is not None:
        dimension = keyed_text("dimension", query.by.value, query.by.value)
        parts.append(Understood.BY.format(dimension=dimension))
    if query.intent is Intent.TREND:
        parts.append(Understood.GRAINS[query.trend_grain])
    parts.append(_period_part(query))
    return Understood.SEPARATOR.join(parts)


def _metric_text(metric: str) -> str:
    """The metric's label and the id commands name it by: "Customer acquisition cost (cac)"."""
    return f"{keyed_text('label', metric, CATALOG[metric].label)} ({metric})"


def _period_part(query: Query) -> str:
    text = period_text(query.period)
    if query.intent is not Intent.METRIC:
        return text
    compared = (
        None if query.compare.kind is CompareKind.NONE else query.compare.resolve(query.period)
    )
    if compared is None:
        return text
    return Understood.VERSUS.format(period=text, other=period_label(compared))
