"""Alert rules: `above X`, `below X`, `drops N%`, `rises N%`, `misses target`, `unusual`.

A rule is read from its text once (`parse_rule`, ValueError with a sentence for people)
and judged against a computed answer (`judge`). `unusual` needs the metric's history,
judged by metrics/variation.py; everything else needs only the answer and its comparison.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from metrics.answers import MetricAnswer
from metrics.periods import Grain
from metrics.variation import Band, band

__all__ = ["RULE_HELP", "Rule", "RuleKind", "Verdict", "judge", "parse_rule"]

RULE_HELP = "above X, below X, drops N%, rises N%, misses target or unusual"


class RuleKind(StrEnum):
    ABOVE = "above"
    BELOW = "below"
    DROPS = "drops"
    RISES = "rises"
    MISSES_TARGET = "misses target"
    UNUSUAL = "unusual"


_THRESHOLD = re.compile(
    r"(?:(?:drops|falls|goes|gets|is|rises|climbs)\s+)?(above|below|over|under)\s+"
    r"(-?\d+(?:\.\d+)?)\s*(%?)"
)
_CHANGE = re.compile(r"(drops|falls|rises|grows)\s+(?:by\s+)?(\d+(?:\.\d+)?)\s*%")
_SYNONYMS = {"over": "above", "under": "below", "falls": "drops", "grows": "rises"}


@dataclass(frozen=True, slots=True)
class Rule:
    """`threshold` is in the metric's unit (a fraction for ratios); `change` a fraction."""

    kind: RuleKind
    threshold: float | None = None
    change: float | None = None

    @property
    def needs_history(self) -> bool:
        return self.kind is RuleKind.UNUSUAL

    @property
    def needs_comparison(self) -> bool:
        return self.kind in (RuleKind.DROPS, RuleKind.RISES)


@dataclass(frozen=True, slots=True)
class Verdict:
    """Whether the rule is broken; `known` is False when the figure could not be judged
    (no value, no comparison, no target, too little history): then it is not firing."""

    firing: bool
    known: bool = True
    band: Band | None = None


def parse_rule(text: str, *, ratio: bool = False) -> Rule:
    """The rule `text` says. For a ratio metric a threshold written as a percentage
    (`below 30%`) or above 1 (`below 30`) is read as a fraction."""
    cleaned = " ".join(text.strip().lower().split())
    if cleaned in (RuleKind.MISSES_TARGET.value, "misses its target", "off target"):
        return Rule(RuleKind.MISSES_TARGET)
    if cleaned in (RuleKind.UNUSUAL.value, "is unusual", "anomalous"):
        return Rule(RuleKind.UNUSUAL)
    found = _THRESHOLD.fullmatch(cleaned)
    if found:
        value = float(found[2])
        if found[3] or (ratio and abs(value) > 1):
            value /= 100
        return Rule(RuleKind(_SYNONYMS.get(found[1], found[1])), threshold=value)
    found = _CHANGE.fullmatch(cleaned)
    if found and float(found[2]) > 0:
        kind = RuleKind(_SYNONYMS.get(found[1], found[1]))
        return Rule(kind, change=float(found[2]) / 100)
    raise ValueError(f"cannot read the rule {text!r}: use {RULE_HELP}")


def judge(
    rule: Rule,
    answer: MetricAnswer,
    history: Sequence[float | None] = (),
    grain: Grain = Grain.WEEK,
) -> Verdict:
    """`answer` (with its comparison for drops/rises) against `rule`; `history` is the
    metric's values for the periods before the answer's, oldest first (for unusual)."""
    value = answer.value
    if value is None:
        return Verdict(False, known=False)
    if rule.kind is RuleKind.ABOVE:
        return Verdict(value > _number(rule.threshold))
    if rule.kind is RuleKind.BELOW:
        return Verdict(value < _number(rule.threshold))
    if rule.kind is RuleKind.MISSES_TARGET:
        target = answer.target
        return Verdict(False, known=False) if target is None else Verdict(not target.met)
    if rule.kind is RuleKind.UNUSUAL:
        return _judge_unusual(value, history, grain)
    return _judge_change(rule, answer)


def _judge_unusual(value: float, history: Sequence[float | None], grain: Grain) -> Verdict:
    found = band(history, grain)
    if found is None:
        return Verdict(False, known=False)
    return Verdict(found.is_unusual(value), band=found)


def _judge_change(rule: Rule, answer: MetricAnswer) -> Verdict:
    comparison = answer.comparison
    if comparison is None or comparison.change_pct is None:
        return Verdict(False, known=False)
    limit = _number(rule.change)
    if rule.kind is RuleKind.DROPS:
        return Verdict(comparison.change_pct <= -limit)
    return Verdict(comparison.change_pct >= limit)


def _number(value: float | None) -> float:
    if value is None:  # parse_rule sets the number of every kind that uses one
        raise ValueError("a threshold rule without its number")
    return value
