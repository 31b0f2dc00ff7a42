"""The typed question the metrics engine answers, whoever asked it (Slack, CLI, digest)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from metrics.periods import Grain, Period

__all__ = [
    "CompareKind",
    "Comparison",
    "Dimension",
    "Filters",
    "Intent",
    "Query",
    "Rank",
    "normalize_name",
]


class Intent(StrEnum):
    METRIC = "metric"
    FUNNEL = "funnel"
    TREND = "trend"
    EXPLAIN = "explain"
    CATALOG = "metrics"
    HELP = "help"


class Dimension(StrEnum):
    CHANNEL = "channel"
    SEGMENT = "segment"


class CompareKind(StrEnum):
    PREVIOUS = "previous"
    YEAR_AGO = "yoy"
    PERIOD = "period"
    NONE = "none"


class Rank(StrEnum):
    """Which end of a breakdown a ranking question asks for ("cheapest channel")."""

    HIGHEST = "highest"
    LOWEST = "lowest"


@dataclass(frozen=True, slots=True)
class Comparison:
    """What to compare with; `period` is set only for `CompareKind.PERIOD`."""

    kind: CompareKind = CompareKind.PREVIOUS
    period: Period | None = None

    def resolve(self, base: Period) -> Period | None:
        """The concrete period to compare `base` with, or None for no comparison."""
        if self.kind is CompareKind.PREVIOUS:
            return base.previous()
        if self.kind is CompareKind.YEAR_AGO:
            return base.year_ago()
        return self.period


@dataclass(frozen=True, slots=True)
class Filters:
    """Normalized channel and segment names; several values of one filter are ORed."""

    channel: tuple[str, ...] = ()
    segment: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, list[str]]:
        values = {"channel": list(self.channel), "segment": list(self.segment)}
        return {key: names for key, names in values.items() if names}

    def __bool__(self) -> bool:
        return bool(self.channel or self.segment)


@dataclass(frozen=True, slots=True)
class Query:
    """One question. `metric` is a catalog id (None for funnel, catalog and help)."""

    intent: Intent
    period: Period
    metric: str | None = None
    filters: Filters = field(default_factory=Filters)
    by: Dimension | None = None
    compare: Comparison = field(default_factory=Comparison)
    trend_grain: Grain = Grain.WEEK
    rank: Rank | None = None


def normalize_name(raw: str) -> str:
    """A channel or segment name as stored (docs/data.md): lower-case, trimmed, `_` for
    inner spaces and hyphens; empty means `unattributed`."""
    name = re.sub(r"[\s-]+", "_", raw.strip().lower())
    return name or "unattributed"
