"""From the metric words a question used to the one metric it asks for.

Spans are combined, not just looked up: two funnel stages in order with a conversion cue
are that conversion ("how many MQLs became SQLs"), a modifier picks a metric's variant
("average monthly churn", "new MRR", "cheapest channel to acquire customers"), and a
figure named only as the things another figure is about ("LTV of SMB customers") yields.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.parser._lexicon import Entry, Item, Kind
from bot.parser._vocabulary import (
    METRIC_STAGES,
    NOUN_METRICS,
    SPECIAL_PAIRS,
    SUBSUMES,
    VARIANTS,
)
from metrics.catalog import CATALOG
from metrics.periods import Grain
from metrics.stages import STAGE_ORDER, conversion_id, forward_pairs

__all__ = ["Mention", "StageMention", "compose"]

_ORDER = {stage.name: position for position, stage in enumerate(STAGE_ORDER)}
# Each funnel conversion and the two stages it joins.
_PAIR_STAGES = {
    conversion_id(source.name, target.name): (source.name, target.name)
    for source, target in forward_pairs()
}
# Modifiers in the order they are tried: "cheapest channel to acquire customers" is a cost.
_TEAMS = frozenset({"marketing", "sales"})
_FUNNEL_STAGES = 3
_PER_WORDS = frozenset({"per", "over", "out of", "for every", "for each"})
_MODIFIER_ORDER = (
    "cost", "lost", "new", "year", "average", "opened", "clicked", "count", "rate", "marketing",
    "sales", "worth",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Mention:
    """A metric named in the question; `index` is its item (None when guessed)."""

    metric_id: str
    text: str
    index: int | None = None


@dataclass(frozen=True, slots=True)
class StageMention:
    stage: str
    text: str
    index: int


@dataclass(frozen=True, slots=True)
class Composed:
    """The resolved mentions; `ambiguous` holds a stage asked about with a rate word alone
    ("SQL rate"), whose conversions the question must choose between."""

    mentions: list[Mention]
    grain_used: bool
    ambiguous: tuple[Item, ...] = ()
    funnel: bool = False


def _stages(mentions: Sequence[Mention], words: Sequence[StageMention]) -> list[StageMention]:
    found = [
        StageMention(METRIC_STAGES[mention.metric_id], mention.text, mention.index)
        for mention in mentions
        if mention.metric_id in METRIC_STAGES and mention.index is not None
    ]
    return sorted([*found, *words], key=lambda stage: stage.index)


def _pair_id(source: str, target: str) -> str | None:
    special = SPECIAL_PAIRS.get((source, target))
    if special is not None:
        return special
    if source in _ORDER and target in _ORDER and _ORDER[source] < _ORDER[target]:
        return conversion_id(source, target)
    return None


def _joined(items: Sequence[Item], first: int, second: int) -> bool:
    """Whether a "to"-like word stands between the two stages."""
    return any(item.first(Kind.RANGE, Kind.CUE) for item in items[first + 1 : second])


def _per(items: Sequence[Item], first: int, second: int) -> bool:
    """ "sqls per mql", "won out of opps": the later stage over the earlier one."""
    between = items[first + 1 : second]
    return len(between) == 1 and between[0].text in _PER_WORDS


def _conversion(
    mentions: list[Mention], stages: list[StageMention], items: Sequence[Item], cue: bool
) -> list[Mention]:
    for position, first in enumerate(stages):
        for second in stages[position + 1 :]:
            source, target = first, second
            if _pair_id(second.stage, first.stage) and _per(items, first.index, second.index):
                source, target = second, first
            pair = _pair_id(source.stage, target.stage)
            joined = _joined(items, first.index, second.index) or source is second
            if pair is None or not (cue or joined):
                continue
            used = {source.index, target.index}
            kept = [mention for mention in mentions if mention.index not in used]
            return [*kept, Mention(pair, f"{source.text} → {target.text}", source.index)]
    return mentions


def _conversions_of(stage: StageMention) -> Item:
    """The conversions into and out of one stage, to ask which one a rate word meant."""
    names = [item.name for item in STAGE_ORDER]
    position = names.index(stage.stage)
    pairs = [(names[position - 1], stage.stage)] if position > 0 else []
    pairs += [(stage.stage, later) for later in names[position + 1 : position + 2]]
    if stage.stage != names[-1] and (stage.stage, names[-1]) not in pairs:
        pairs.append((stage.stage, names[-1]))
    options = tuple(conversion_id(source, target) for source, target in pairs)
    return Item((stage.text,), (Entry(Kind.AMBIGUOUS, options=options),))


def _stage_list(mentions: list[Mention], stages: list[StageMention]) -> bool:
    """ "visitors > leads > mqls > sqls", "leads, mqls and sqls": three funnel stages or
    more, named apart (a conversion names two but counts once: "mql->sql for partner
    leads" is one figure), and no other figure, are the funnel stage by stage."""
    named = {stage.stage for stage in stages if stage.stage in _ORDER}
    staged = {stage.index for stage in stages}
    for mention in mentions:
        pair = _PAIR_STAGES.get(mention.metric_id)
        if pair is not None and mention.index is not None:
            named.update(pair)
            staged.add(mention.index)
    listed = len(staged) >= _FUNNEL_STAGES and len(named) >= _FUNNEL_STAGES
    return listed and all(mention.index in staged for mention in mentions)


def _lone_stage(mentions: list[Mention], stages: list[StageMention]) -> StageMention | None:
    """The one funnel stage a question names, when it names no other figure."""
    if len(stages) != 1 or stages[0].stage not in _ORDER:
        return None
    others = [mention for mention in mentions if mention.index != stages[0].index]
    return None if others else stages[0]


def _variant(metric_id: str, modifiers: set[str], grain: Grain | None) -> tuple[str, bool]:
    """The variant the modifiers choose, and whether the grain word was spent on it
    ("average churn per month": the monthly churn, not a trend)."""
    chosen = metric_id
    for modifier in _MODIFIER_ORDER:
        if modifier in modifiers and (chosen, modifier) in VARIANTS:
            chosen = VARIANTS[chosen, modifier]
    if grain is None:
        return chosen, False
    by_grain = VARIANTS.get((chosen, grain.value))
    if by_grain is not None:
        return by_grain, True
    return chosen, VARIANTS.get((metric_id, grain.value)) == chosen


def _without_nouns(mentions: list[Mention]) -> list[Mention]:
    distinct = {mention.metric_id for mention in mentions}
    if len(distinct) < 2 or distinct <= NOUN_METRICS:
        return mentions
    return [mention for mention in mentions if mention.metric_id not in NOUN_METRICS]


def _without_subsumed(mentions: list[Mention]) -> list[Mention]:
    distinct = {mention.metric_id for mention in mentions}
    covered = {inner for outer in distinct for inner in SUBSUMES.get(outer, ())}
    return [mention for mention in mentions if mention.metric_id not in covered]


def _noun_modifiers(mentions: list[Mention], modifiers: set[str]) -> set[str]:
    """ "ARPU for new customers": the dropped noun still says "new"."""
    named = {mention.metric_id for mention in mentions}
    if "new_customers" in named and len(named) > 1 and named - NOUN_METRICS:
        return modifiers | {"new"}
    return modifiers


def _both_teams(modifiers: set[str], items: Sequence[Item]) -> set[str]:
    """ "spend of marketing and sales": both teams' spend is the total, not one of them."""
    said = {word for item in items for word in item.words}
    if modifiers & _TEAMS and said | modifiers >= _TEAMS:
        return modifiers - _TEAMS
    return modifiers


def compose(
    mentions: list[Mention],
    stage_words: list[StageMention],
    items: Sequence[Item],
    *,
    cue: bool,
    rate_cue: bool,
    modifiers: set[str],
    grain: Grain | None,
) -> Composed:
    """The mentions after stage pairs, variants and noun-only figures are resolved."""
    stages = _stages(mentions, stage_words)
    if _stage_list(mentions, stages):
        return Composed([], grain_used=False, funnel=True)
    lone = _lone_stage(mentions, stages) if rate_cue else None
    if lone is not None:
        kept = [mention for mention in mentions if mention.index != lone.index]
        return Composed(kept, grain_used=False, ambiguous=(_conversions_of(lone),))
    combined = _without_subsumed(_conversion(mentions, stages, items, cue))
    modifiers = _both_teams(_noun_modifiers(combined, modifiers), items)
    grain_used = False
    resolved: list[Mention] = []
    for mention in _without_nouns(combined):
        metric_id, spent = _variant(mention.metric_id, modifiers, grain)
        grain_used = grain_used or spent
        resolved.append(Mention(metric_id, mention.text, mention.index))
    assert all(mention.metric_id in CATALOG for mention in resolved)
    # "how much MRR did we lose to churned accounts": the variant contains the other.
    return Composed(_without_subsumed(resolved), grain_used)
