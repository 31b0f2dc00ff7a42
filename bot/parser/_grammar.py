"""From items (known phrases, marks, unknown words) to what the question asks for."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache, lru_cache
from types import MappingProxyType

from bot.i18n.formatting import name_text
from bot.i18n.messages import Reason, note_fuzzy, note_ignored
from bot.parser._compose import Mention, StageMention, compose
from bot.parser._fuzzy import closest, suggestions
from bot.parser._lexicon import (
    SERIES,
    Entry,
    Item,
    Kind,
    metric_meanings,
    metric_phrases,
    value_phrases,
)
from bot.parser._normalize import shorten, singular
from bot.parser._periods import CompareMark, Mark, PeriodMark
from bot.parser._spelling import Names
from bot.parser._types import KnownValues, UnreadableError
from bot.parser._vocabulary import BETTER_OR_WORSE, NEVER_IGNORED, OUTCOME_WORDS, VARIANTS
from metrics.catalog import CATALOG
from metrics.periods import Grain, between
from metrics.query import Dimension

__all__ = ["Mention", "Reading", "read_items"]

_MOST_IGNORED = 6
_INTENT_WORDS = frozenset(
    {Kind.FUNNEL, Kind.TREND, Kind.EXPLAIN, Kind.CATALOG, Kind.HELP, Kind.COMPARE}
)
_EXCLUDING = frozenset({"excluding", "except", "without", "exclude", "ex", "not", "minus"})
# "new mrr (not net)": a figure named only to say it is not the one meant.
_NOT = "not"
_LIST_WORDS = frozenset({"and", "or", "nor"})
_GROUP_NOUN = "channel"
# "ARR at the end of Q3 vs the end of Q1": words between "vs" and the period compared.
_BEFORE_COMPARED = frozenset({"the", "end of", "the end of", "at the end of", "at end of", "as of"})
# Words after a name that make it a group of people the store does not break down by.
_TEAM_WORDS = frozenset({"team", "teams", "squad", "pod", "office"})
# "cac by province": what follows is a breakdown, one the store cannot make if unknown.
_BREAKDOWN_WORDS = frozenset(
    {"by", "per", "split by", "broken down by", "break down by", "grouped by", "group by"}
)
_UNIT_DAYS = {Grain.WEEK: 7, Grain.MONTH: 28, Grain.QUARTER: 90, Grain.YEAR: 365}
_ARTICLES = frozenset({"a", "an", "the", "our", "my", "their", "your"})
_ASKS_EACH = frozenset({"which", "each", "every", "what"})
_SAYS_METRIC = (Kind.METRIC, Kind.AMBIGUOUS, Kind.MODIFIER, Kind.STAGE, Kind.CUE)


@dataclass
class Reading:
    """Everything a question said, before defaults are applied."""

    metrics: list[Mention] = field(default_factory=list)
    stages: list[StageMention] = field(default_factory=list)
    modifiers: set[str] = field(default_factory=set)
    cue: bool = False
    rate_cue: bool = False
    rank: str | None = None
    ambiguous: list[Item] = field(default_factory=list)
    values: dict[Dimension, list[str]] = field(
        default_factory=lambda: {Dimension.CHANNEL: [], Dimension.SEGMENT: []}
    )
    excluded: dict[Dimension, list[str]] = field(
        default_factory=lambda: {Dimension.CHANNEL: [], Dimension.SEGMENT: []}
    )
    by: Dimension | None = None
    grain: Grain | None = None
    series: bool = False  # the grain was asked as a series ("by month"), not a variant
    intents: set[Kind] = field(default_factory=set)
    # the words that asked for a trend ("trend", "improving")
    trend_words: list[str] = field(default_factory=list)
    periods: list[PeriodMark] = field(default_factory=list)
    compares: list[CompareMark | PeriodMark] = field(default_factory=list)
    possessive: bool = False
    notes: list[str] = field(default_factory=list)

    def add_value(self, entry: Entry, *, excluded: bool = False) -> None:
        assert entry.dimension is not None
        chosen = (self.excluded if excluded else self.values)[entry.dimension]
        for name in entry.options or (entry.value,):
            if name not in chosen:
                chosen.append(name)

    @property
    def has_filters(self) -> bool:
        return any(self.values.values())


@dataclass
class _Walker:
    items: list[Item]
    marks: list[Mark]
    known: KnownValues
    today: date
    names: Names
    reading: Reading = field(default_factory=Reading)
    unknown: list[tuple[int, Entry | None]] = field(default_factory=list)
    aside: list[str] = field(default_factory=list)
    # items that name a metric and a value ("email"), by index, with their values
    both: list[tuple[int, list[Entry]]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)

    def run(self) -> Reading:
        index = 0
        while index < len(self.items):
            index = self._step(index)
        self._resolve_unknown()
        return self.reading

    def _mark(self, index: int) -> Mark | None:
        position = self.items[index].mark if index < len(self.items) else None
        return None if position is None else self.marks[position]

    def _period_at(self, index: int) -> PeriodMark | None:
        mark = self._mark(index)
        return mark if isinstance(mark, PeriodMark) else None

    def _step(self, index: int) -> int:
        item = self.items[index]
        if item.mark is not None:
            return self._step_mark(index)
        if item.first(Kind.VS):
            return self._step_vs(index)
        if item.first(Kind.SINCE) and self._period_at(index + 1):
            return self._step_since(index)
        if item.unknown and item.text in _EXCLUDING:
            return self._step_excluding(index)
        self._take(index, item)
        return index + 1

    def _step_excluding(self, index: int) -> int:
        """ "arpa excluding enterprise": every other value; "new mrr, not net": the
        figure it is not. Anything else after the word is taken as it comes."""
        # "excluding the outbound channel", "excluding channel outbound"
        following = self._skip(
            index + 1, Kind.FILLER, Kind.PREPOSITION, Kind.POSSESSIVE, Kind.DIMENSION
        )
        if self._excludable_at(following) is not None:
            return self._exclude_values(following)
        end = following
        while self.items[index].text == _NOT and self._says_metric(end):
            end += 1
        if end == following:
            self._take(index, self.items[index])
            return index + 1
        said = " ".join(item.text for item in self.items[index:end])
        self.reading.notes.append(note_ignored(said))
        return end

    def _skip(self, index: int, *kinds: Kind) -> int:
        while index < len(self.items) and self.items[index].first(*kinds):
            index += 1
        return index

    def _value_at(self, index: int) -> Entry | None:
        if index >= len(self.items):
            return None
        values = [entry for entry in self.items[index].entries if entry.kind is Kind.VALUE]
        return values[0] if len(values) == 1 else None

    def _excludable_at(self, index: int) -> Entry | None:
        """A value, or a group named without its noun: "except paid" (paid channels)."""
        value = self._value_at(index)
        if value is not None or index >= len(self.items):
            return value
        group = value_phrases(self.known).get((*self.items[index].words, _GROUP_NOUN), ())
        return group[0] if len(group) == 1 else None

    def _exclude_values(self, index: int) -> int:
        """ "except smb and enterprise", "without smb, mid market": each is left out."""
        while (value := self._excludable_at(index)) is not None:
            self.reading.add_value(value, excluded=True)
            index += 1
            if index < len(self.items) and self.items[index].text in _LIST_WORDS:
                if self._excludable_at(index + 1) is None:
                    return index
                index += 1
        return index

    def _says_metric(self, index: int) -> bool:
        if index >= len(self.items) or self.items[index].mark is not None:
            return False
        item = self.items[index]
        return item.first(*_SAYS_METRIC) is not None or (
            item.unknown and set(map(singular, item.words)) <= _metric_words()
        )

    def _step_mark(self, index: int) -> int:
        mark = self._mark(index)
        if isinstance(mark, CompareMark):
            self.reading.compares.append(mark)
            return index + 1
        assert mark is not None
        end = self._period_at(index + 2)
        joined = index + 1 < len(self.items) and self.items[index + 1].first(Kind.RANGE)
        backwards = end is not None and end.period.end < mark.period.start
        if end is not None and joined and not (backwards and Kind.COMPARE in self.reading.intents):
            self.reading.periods.append(_joined(mark, end))
            return index + 3
        self.reading.periods.append(mark)
        return index + 1

    def _step_vs(self, index: int) -> int:
        """ "vs <period>" is a comparison; "vs <channel>" puts both side by side."""
        position = index + 1
        while position < len(self.items) and self.items[position].text in _BEFORE_COMPARED:
            position += 1
        target = self._mark(position)
        if target is not None:
            self.reading.compares.append(target)
            return position + 1
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        value = following.first(Kind.VALUE) if following else None
        if value is None and index == 0:  # "vs cac of paid search and paid social"
            self.reading.intents.add(Kind.COMPARE)
            return index + 1
        if value is None:
            raise UnreadableError(self.items[index].text, Reason.VS_WHAT)
        self.reading.by = value.dimension
        return index + 1

    def _step_since(self, index: int) -> int:
        mark = self._period_at(index + 1)
        assert mark is not None
        text = f"{self.items[index].text} {mark.text}"
        if mark.period.start > self.today:
            raise UnreadableError(shorten(text), Reason.SINCE_FUTURE.format(part=text))
        self.reading.periods.append(PeriodMark(between(mark.period.start, self.today), text))
        return index + 2

    def _previous_meaningful_index(self, index: int) -> int | None:
        for position in range(index - 1, -1, -1):
            earlier = self.items[position]
            if earlier.first(Kind.PREPOSITION, Kind.DIMENSION) or not earlier.first(
                Kind.FILLER, Kind.POSSESSIVE
            ):
                return position
        return None

    def _previous_meaningful(self, index: int) -> Item | None:
        position = self._previous_meaningful_index(index)
        return None if position is None else self.items[position]

    def _asks_which(self, index: int) -> bool:
        """ "which channel…", "top segments…": the dimension word asks for a ranking."""
        previous = self.items[index - 1] if index > 0 else None
        return previous is not None and (
            previous.text in ("which", "what") or previous.first(Kind.RANK) is not None
        )

    def _after_key(self, index: int) -> Entry | None:
        previous = self._previous_meaningful(index)
        key = previous.first(Kind.PREPOSITION, Kind.DIMENSION) if previous else None
        listed = self._listed_after_value(index)
        item = self.items[index]
        if key is not None or listed is None or item.first(Kind.VALUE) is None:
            return key or listed
        # "paid search, enterprise only": a value of another dimension starts its own filter
        named = {entry.dimension for entry in item.entries}
        return listed if listed.dimension in named else None

    def _listed_after_value(self, index: int) -> Entry | None:
        """ "webinar and email": a name listed after another is a name, not a figure."""
        return self._listed_with(index - 1, index - 2)

    def _listed_with(self, word: int, value: int) -> Entry | None:
        """The dimension of the value at `value` when the list word at `word` joins it to
        the item beside ("linkedin and facebook ads")."""
        listed = 0 <= word < len(self.items) and self.items[word].text in _LIST_WORDS
        entry = self._value_at(value) if listed and value >= 0 else None
        return None if entry is None else Entry(Kind.DIMENSION, dimension=entry.dimension)

    def _ranked_count(self, index: int) -> bool:
        """ "top 3 channels": the count of a ranking, which shows every row anyway."""
        previous = self.items[index - 1] if index > 0 else None
        return self.items[index].text.isdigit() and bool(previous and previous.first(Kind.RANK))

    def _value_slot(self, index: int) -> Entry | None:
        """The filter word an unknown word names a value of: "from tiktok" is a channel,
        "for the board deck" is no filter at all."""
        named = self._listed_value(index)
        if named is not None:
            return named
        position = self._previous_meaningful_index(index)
        key = None if position is None else self.items[position]
        entry = key.first(Kind.PREPOSITION, Kind.DIMENSION) if key is not None else None
        previous = self.items[index - 1] if index > 0 else None
        purpose = previous is not None and previous.first(Kind.POSSESSIVE) is not None
        if entry is None or (purpose and key is not None and key.text == "for"):
            return None
        if entry.kind is Kind.DIMENSION and position is not None and self._asks_which(position):
            return None
        return entry

    def _listed_value(self, index: int) -> Entry | None:
        """ "the startup segment", "linkedin and facebook ads": an unknown word named as a
        value by the word after it, or listed with one."""
        following = self.items[index + 1] if index + 1 < len(self.items) else None
        if following is not None and following.first(Kind.DIMENSION):
            return following.first(Kind.DIMENSION)
        if following is not None and following.text in _TEAM_WORDS:
            return Entry(Kind.DIMENSION)  # "Sarah's team": a value of no dimension we have
        return self._listed_with(index + 1, index + 2) or self._listed_after_value(index)

    def _take(self, index: int, item: Item) -> None:
        key = self._after_key(index)
        if item.unknown and index > 0 and self.items[index - 1].text in _BREAKDOWN_WORDS:
            raise UnreadableError(item.text, Reason.UNKNOWN_DIMENSION.format(part=item.text))
        if item.unknown:
            if not self._ranked_count(index):
                self.unknown.append((index, self._value_slot(index)))
            return
        value = [entry for entry in item.entries if entry.kind is Kind.VALUE]
        metric = item.first(Kind.METRIC, Kind.AMBIGUOUS)
        if value and (key is not None or metric is None):
            self._take_value(item, value, key)
        elif metric is not None:
            self._take_metric(index, item, metric)
            if value:
                self.both.append((index, value))
        else:
            self._take_word(index, item)

    def _take_value(self, item: Item, entries: list[Entry], key: Entry | None) -> None:
        dimension = key.dimension if key is not None else None
        if dimension is not None:
            matching = [entry for entry in entries if entry.dimension is dimension]
            if not matching:
                actual = entries[0].dimension
                assert actual is not None
                raise UnreadableError(
                    item.text,
                    Reason.WRONG_DIMENSION.format(
                        part=item.text, actual=actual.value, expected=dimension.value
                    ),
                )
            entries = matching
        if len(entries) > 1:
            name = entries[0].value
            reason = Reason.AMBIGUOUS_VALUE.format(part=item.text, name=name)
            raise UnreadableError(item.text, reason, (f"channel={name}", f"segment={name}"))
        self.reading.add_value(entries[0])

    def _take_metric(self, index: int, item: Item, entry: Entry) -> None:
        if entry.kind is Kind.AMBIGUOUS:
            self.reading.ambiguous.append(item)
            return
        self.reading.metrics.append(Mention(entry.value, item.text, index))

    def _take_word(self, index: int, item: Item) -> None:
        reading = self.reading
        for entry in item.entries:
            if entry.kind is Kind.BREAKDOWN and not self._filters(index, item):
                reading.by = entry.dimension
            elif entry.kind is Kind.GRAIN:
                reading.grain = Grain(entry.value)
                reading.series = reading.series or SERIES in entry.options
            elif entry.kind is Kind.DIMENSION and self._breaks_down(index, entry):
                reading.by = entry.dimension
            elif entry.kind is Kind.POSSESSIVE:
                reading.possessive = True
            elif entry.kind is Kind.STAGE:
                reading.stages.append(StageMention(entry.value, item.text, index))
            elif entry.kind is Kind.MODIFIER:
                reading.modifiers.add(entry.value)
            elif entry.kind is Kind.CUE:
                reading.cue = True
                reading.rate_cue = reading.rate_cue or entry.value == "rate"
            elif entry.kind is Kind.UNSUPPORTED:
                self.unsupported.append(item.text)
            elif entry.kind is Kind.UNKNOWN_DIMENSION:
                self._take_unknown_dimension(index, item)
            elif entry.kind is Kind.RANK:
                reading.rank = reading.rank or entry.value
            elif entry.kind in _INTENT_WORDS:
                self._take_intent(item, entry)

    def _take_intent(self, item: Item, entry: Entry) -> None:
        self.reading.intents.add(entry.kind)
        if entry.kind is Kind.TREND:
            self.reading.trend_words.append(item.text)

    def _take_unknown_dimension(self, index: int, item: Item) -> None:
        """ "win rate by rep", "top reps", "cac for sdrs" ask a breakdown the store cannot
        make: refused. "our 12 SDRs asked for…" only says who is asking: ignored."""
        beside = [self._past_articles(index, step) for step in (-1, 1)]
        if any(neighbour and self._asks_breakdown(neighbour) for neighbour in beside):
            raise UnreadableError(item.text, Reason.UNKNOWN_DIMENSION.format(part=item.text))
        if item.text not in self.aside:
            self.aside.append(item.text)

    def _past_articles(self, index: int, step: int) -> Item | None:
        """The item next to `index` in the direction `step`, past "a", "the", "our"…"""
        index += step
        while 0 <= index < len(self.items) and self.items[index].text in _ARTICLES:
            index += step
        return self.items[index] if 0 <= index < len(self.items) else None

    @staticmethod
    def _asks_breakdown(neighbour: Item) -> bool:
        return neighbour.text in _BREAKDOWN_WORDS | _ASKS_EACH or bool(
            neighbour.first(Kind.RANK, Kind.BREAKDOWN, Kind.PREPOSITION, Kind.RANGE, *_SAYS_METRIC)
        )

    def _filters(self, index: int, item: Item) -> bool:
        """ "coming from organic": a word that breaks down alone, but names a value here."""
        return item.first(Kind.PREPOSITION) is not None and self._value_at(index + 1) is not None

    def _breaks_down(self, index: int, entry: Entry) -> bool:
        if self._follows_value(index, entry.dimension):
            return False
        return self._asks_which(index) or not self._names_value(index + 1)

    def _follows_value(self, index: int, dimension: Dimension | None) -> bool:
        """ "the email channel": the dimension word only says what the value is."""
        previous = self.items[index - 1] if index > 0 else None
        value = previous.first(Kind.VALUE) if previous else None
        return value is not None and value.dimension is dimension

    def _names_value(self, index: int) -> bool:
        """Whether the item at `index` could be a channel or segment name (known or not)."""
        if index >= len(self.items):
            return False
        item = self.items[index]
        return item.unknown or item.first(Kind.VALUE) is not None

    def _check_unsupported(self) -> None:
        """ "cpc by channel" is refused by name; "how is ltv calculated, is gross margin in
        it?" asks about the figure the explanation names."""
        explained = Kind.EXPLAIN in self.reading.intents and self.reading.metrics
        if self.unsupported and not explained:
            part = self.unsupported[0]
            raise UnreadableError(part, Reason.UNSUPPORTED.format(part=part))
        self.aside.extend(self.unsupported)

    def _values_beside_metric(self) -> None:
        """ "email leads": a name that is also a figure names the value beside another figure."""
        named = {index for index, _ in self.both}
        reading = self.reading
        others = [mention for mention in reading.metrics if mention.index not in named]
        if not others and not reading.ambiguous:
            return
        reading.metrics = others
        for index, entries in self.both:
            self._take_value(self.items[index], entries, None)

    def _resolve_unknown(self) -> None:
        self._check_unsupported()
        self._values_beside_metric()
        ignored: list[str] = []
        for run, key in _runs(self.unknown):
            words = [word for index in run for word in self.items[index].words]
            if key is not None and not set(map(singular, words)) <= _metric_words():
                ignored.extend(self._guess_value(words))
            else:
                unread = self._guess_metric(run)
                self._check_beside_metric(run, unread)
                ignored.extend(unread)
        self._compose()
        self._better_or_worse()
        self._exclude()
        self._side_by_side()
        if self._answerable():
            self._check_names(ignored)
        self._check_ignored([*ignored, *self.aside])

    def _side_by_side(self) -> None:
        """ "compare cac of paid search and paid social": the named values, broken down."""
        if Kind.COMPARE not in self.reading.intents or self.reading.by is not None:
            return
        for dimension, named in self.reading.values.items():
            if len(named) > 1:
                self.reading.by = dimension
                return

    def _exclude(self) -> None:
        """Every value of the store but the excluded ones (of those named, if any)."""
        for dimension, excluded in self.reading.excluded.items():
            if not excluded:
                continue
            named = self.reading.values[dimension] or list(self.known.of(dimension))
            kept = [name for name in named if name not in excluded]
            if not kept:
                part = ", ".join(excluded)
                raise UnreadableError(part, Reason.EXCLUDED_ALL.format(part=part))
            self.reading.values[dimension] = kept

    def _pick_outcomes(self) -> None:
        """ "how many deals did we lose": a verb names the one figure the word means."""
        said = {word for item in self.items for word in item.words}
        for item in list(self.reading.ambiguous):
            index = self.items.index(item)
            options = item.entries[0].options
            outcomes = [option for option in options if option in OUTCOME_WORDS]
            picked = [option for option in outcomes if not OUTCOME_WORDS[option].isdisjoint(said)]
            # only where the outcome is what tells the readings apart (won or lost deals)
            if len(outcomes) > 1 and len(picked) == 1:
                self.reading.ambiguous.remove(item)
                self.reading.metrics.append(Mention(picked[0], item.text, index))

    def _compose(self) -> None:
        self._pick_outcomes()
        reading = self.reading
        implied = [mark.grain for mark in reading.compares if isinstance(mark, CompareMark)]
        # "lead conversion": the word every conversion shares is a cue beside a stage.
        generic = [item for item in reading.ambiguous if _any_conversion(item)]
        composed = compose(
            reading.metrics,
            reading.stages,
            self.items,
            cue=reading.cue or bool(generic),
            rate_cue=reading.rate_cue or bool(generic),
            modifiers=reading.modifiers,
            grain=None if reading.series else reading.grain or next(filter(None, implied), None),
        )
        formed = {mention.metric_id for mention in composed.mentions} - {
            mention.metric_id for mention in reading.metrics
        }
        if composed.ambiguous or any(_is_conversion(metric_id) for metric_id in formed):
            reading.ambiguous = [item for item in reading.ambiguous if item not in generic]
        reading.metrics = composed.mentions
        reading.ambiguous.extend(composed.ambiguous)
        if composed.funnel:
            reading.intents.add(Kind.FUNNEL)
        if composed.grain_used and reading.grain and Kind.TREND not in reading.intents:
            reading.grain = None
        over = next(filter(None, implied), None)
        per_grain = any(_per(over, mention.metric_id) for mention in reading.metrics)
        unspent = not (composed.grain_used or per_grain) and reading.grain is None
        if over is not None and unspent and self._spans_several(over):
            self._as_series(over)

    def _better_or_worse(self) -> None:
        """ "is win rate improving?", "churn this quarter, better or worse?": the figure and
        how it compares with the one before; a trend only over a period of several months
        ("is cac getting better or worse? show me the last 6 months")."""
        reading = self.reading
        only_asked = reading.trend_words and set(reading.trend_words) <= BETTER_OR_WORSE
        if only_asked and not self._spans_several(Grain.QUARTER):
            reading.intents.discard(Kind.TREND)

    def _spans_several(self, grain: Grain) -> bool:
        """ "leads w/w for the past 8 weeks": a period of several of the units compared."""
        spans = [mark.period.end - mark.period.start for mark in self.reading.periods]
        return any(span.days + 1 >= 2 * _UNIT_DAYS.get(grain, 1) for span in spans)

    def _as_series(self, grain: Grain) -> None:
        reading = self.reading
        reading.grain, reading.series = grain, True
        reading.compares = [
            mark
            for mark in reading.compares
            if not (isinstance(mark, CompareMark) and mark.grain is grain)
        ]

    def _guess_value(self, words: list[str]) -> list[str]:
        """Read a misspelt channel or segment name after a filter word, or refuse."""
        named = {" ".join(key): entries[0] for key, entries in value_phrases(self.known).items()}
        phrases = _value_names(self.known)
        guess = closest(words, phrases)
        text = " ".join(words)
        if guess is None or guess.size != len(words):
            hints = tuple(name_text(name) for name in suggestions(words, phrases))
            raise UnreadableError(
                shorten(text), Reason.UNKNOWN_VALUE.format(part=shorten(text)), hints
            )
        self.reading.add_value(named[guess.phrase])
        self.reading.notes.append(note_fuzzy(guess.written, guess.phrase))
        return []

    def _metric_word_at(self, index: int) -> bool:
        """Whether the item at `index` could be part of a misspelt metric phrase."""
        if not 0 <= index < len(self.items) or self.items[index].mark is not None:
            return False
        return set(map(singular, self.items[index].words)) <= _metric_words()

    def _guess_metric(self, run: list[int]) -> list[str]:
        """Read a misspelt metric in `run`, with the metric words next to it ("custmer
        acquisition cost"); the words left unread are returned."""
        neighbours = [index for index in (run[0] - 1, run[-1] + 1) if self._metric_word_at(index)]
        indices = sorted([*run, *neighbours])
        owners = [index for index in indices for _ in self.items[index].words]
        words = [word for index in indices for word in self.items[index].words]
        unread = [word for index in run for word in self.items[index].words]
        guess = closest(words, metric_meanings())
        covered = set(owners[guess.start : guess.start + guess.size]) if guess else set()
        if guess is None or not covered & set(run):
            return unread
        self.reading.metrics = [item for item in self.reading.metrics if item.index not in covered]
        self.reading.stages = [item for item in self.reading.stages if item.index not in covered]
        self.reading.metrics.append(Mention(guess.meaning, guess.written))
        self.reading.notes.append(note_fuzzy(guess.written, guess.phrase))
        return [word for index in run if index not in covered for word in self.items[index].words]

    def _check_beside_metric(self, run: list[int], unread: list[str]) -> None:
        """An unknown word touching a metric phrase may change it ("email unsubscribe
        rate", "cac tiktok"): refused, never ignored."""
        for index in (run[0] - 1, run[-1] + 1):
            if unread and 0 <= index < len(self.items) and self._names_metric(index):
                part, metric = " ".join(unread), self.items[index].text
                reason = Reason.NEXT_TO_METRIC.format(part=part, metric=metric)
                raise UnreadableError(shorten(part), reason)

    def _names_metric(self, index: int) -> bool:
        return self.items[index].first(Kind.METRIC, Kind.AMBIGUOUS) is not None

    def _answerable(self) -> bool:
        return bool(self.reading.metrics or self.reading.ambiguous) or bool(
            self.reading.intents & {Kind.FUNNEL, Kind.CATALOG, Kind.HELP}
        )

    def _check_ignored(self, ignored: list[str]) -> None:
        """Words around a clear reading are ignored (and said so); words that would
        change the question, or too many of them, are refused."""
        if not ignored:
            return
        text = " ".join(ignored)
        answerable = self._answerable()
        harmless = not any(singular(word) in NEVER_IGNORED or word.isdigit() for word in ignored)
        if len(ignored) <= _MOST_IGNORED and answerable and harmless:
            self.reading.notes.append(note_ignored(text))
            return
        hints = () if answerable else suggestions(ignored, metric_meanings())
        reason = Reason.UNKNOWN_WORDS.format(part=shorten(text))
        raise UnreadableError(shorten(text), reason, hints)

    def _check_names(self, ignored: list[str]) -> None:
        """ "how many leads did tiktok bring": a name is never ignored, an everyday word may be."""
        names = [word for text in ignored for word in text.split() if self.names(word)]
        if names:
            hints = tuple(
                name_text(name) for name in suggestions(names[:1], _value_names(self.known))
            )
            raise UnreadableError(names[0], Reason.UNKNOWN_WORDS.format(part=names[0]), hints)


@lru_cache(maxsize=8)
def _value_names(known: KnownValues) -> Mapping[str, str]:
    """Each phrase naming one channel or segment, and its name; a group ("paid": paid
    search and paid social) names no single value to read or offer."""
    named = value_phrases(known).items()
    names = {" ".join(key): entries[0].value for key, entries in named if entries[0].value}
    return MappingProxyType(names)


def _per(grain: Grain | None, metric_id: str) -> bool:
    """Whether the metric is already the variant per `grain` ("monthly MRR growth")."""
    return grain is not None and any(
        variant == metric_id and modifier == grain.value
        for (_, modifier), variant in VARIANTS.items()
    )


def _is_conversion(metric_id: str) -> bool:
    return CATALOG[metric_id].category == "Conversion"


def _any_conversion(item: Item) -> bool:
    """ "conversion", "conversion rate": a word that could be any of the conversions."""
    options = item.entries[0].options
    return len(options) > 2 and all(_is_conversion(option) for option in options)


@cache
def _metric_words() -> frozenset[str]:
    """Every word of a metric phrase: "marketing" in "marketing budget" is no segment."""
    return frozenset(word for key in metric_phrases() for word in key)


def _runs(unknown: list[tuple[int, Entry | None]]) -> list[tuple[list[int], Entry | None]]:
    """Consecutive unknown items grouped, each with the filter word it follows, if any."""
    runs: list[tuple[list[int], Entry | None]] = []
    for index, key in unknown:
        if runs and runs[-1][0][-1] == index - 1:
            # "the public sector segment": the run names a value if any of its words does.
            runs[-1] = ([*runs[-1][0], index], runs[-1][1] or key)
        else:
            runs.append(([index], key))
    return runs


def _joined(start: PeriodMark, end: PeriodMark) -> PeriodMark:
    text = f"{start.text} to {end.text}"
    if end.period.end < start.period.start:
        raise UnreadableError(shorten(text), Reason.BAD_RANGE.format(part=text))
    return PeriodMark(between(start.period.start, end.period.end), text)


def read_items(
    items: list[Item],
    marks: list[Mark],
    known: KnownValues,
    today: date,
    *,
    names: Names = Names(),  # noqa: B008 (frozen)
) -> Reading:
    """What the items say; `names` tells the words that name something (a channel the
    store does not have, a person) from everyday ones."""
    return _Walker(items, marks, known, today, names).run()
