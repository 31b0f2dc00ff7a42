"""Normal variation of a metric's own history: a robust z-score after a seasonal median.

The method (docs/alerts.md) is the modified z-score of Iglewicz and Hoaglin (1993) applied
to residuals, as in the "seasonal median + MAD" baseline of robust anomaly detection:

1. the baseline of a period is the median of the earlier periods of the same season (the
   same weekday for days; for weeks and months, every earlier period until two full years
   of history exist, then the same week or month of the year);
2. the residuals of the history are each period minus its own seasonal baseline;
3. the scale is 1.4826 × the median absolute deviation of those residuals (the MAD's
   consistency constant for a normal distribution), so one outlier cannot widen it;
4. the period is unusual when |value − baseline| / scale exceeds 3.5, the threshold the
   authors recommend, and at least 12 complete periods of history exist.

Only the most recent `WINDOW` periods are used, so the band follows a level that drifts.
Everything here is arithmetic on numbers; the database side is metrics/movement.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median

from metrics.periods import Grain

__all__ = [
    "HISTORY",
    "MAD_SCALE",
    "MIN_HISTORY",
    "THRESHOLD",
    "WINDOW",
    "Band",
    "band",
    "season_length",
]

MIN_HISTORY = 12
THRESHOLD = 3.5
MAD_SCALE = 1.4826
WINDOW = 26
# How many periods before the judged one are read: enough for the yearly season of weeks
# and months (two years), eight weeks of days.
HISTORY = {Grain.DAY: 8 * 7, Grain.WEEK: 2 * 52, Grain.MONTH: 2 * 12}
_YEARLY = {Grain.WEEK: 52, Grain.MONTH: 12}
# A series whose residuals have no spread at all: the smallest scale taken, relative to
# the baseline, so a perfectly flat history still flags a real move but not rounding.
_FLOOR = 0.01


@dataclass(frozen=True, slots=True)
class Band:
    """What the history predicts for a period: `baseline` ± `THRESHOLD` × `scale`."""

    baseline: float
    scale: float
    history: int

    @property
    def low(self) -> float:
        return self.baseline - THRESHOLD * self.scale

    @property
    def high(self) -> float:
        return self.baseline + THRESHOLD * self.scale

    def score(self, value: float) -> float:
        return (value - self.baseline) / self.scale

    def is_unusual(self, value: float) -> bool:
        return abs(self.score(value)) > THRESHOLD


def season_length(grain: Grain, periods: int) -> int:
    """Days repeat weekly; weeks and months yearly once two years of them exist."""
    if grain is Grain.DAY:
        return 7
    yearly = _YEARLY.get(grain, 1)
    return yearly if periods >= 2 * yearly else 1


def band(history: Sequence[float | None], grain: Grain) -> Band | None:
    """The band for the period right after `history` (oldest first; None for a period
    without a value). None with fewer than `MIN_HISTORY` values."""
    values = [(index, value) for index, value in enumerate(history) if value is not None]
    if len(values) < MIN_HISTORY:
        return None
    season = season_length(grain, len(values))
    recent = values[-max(WINDOW, season * 2) :] if season > 1 else values[-WINDOW:]
    residuals = [value - _baseline(recent, index, season) for index, value in recent]
    baseline = _baseline(recent, len(history), season)
    spread = median(abs(item - median(residuals)) for item in residuals) * MAD_SCALE
    floor = max(abs(baseline) * _FLOOR, 1e-9)
    return Band(baseline, max(spread, floor), len(values))


def _baseline(values: Sequence[tuple[int, float]], position: int, season: int) -> float:
    """The median of the other values of `position`'s season (of all others when none)."""
    others = [(index, value) for index, value in values if index != position]
    same = [value for index, value in others if (position - index) % season == 0]
    return median(same or [value for _, value in others])
