"""What "now" is: the wall clock, or a fixed moment (`--as-of`) for demos and tests.

Both are plain picklable callables so an answer process can be handed the same clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

__all__ = ["Clock", "FixedClock", "utc_now"]

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class FixedClock:
    """Always `moment`."""

    moment: datetime

    def __call__(self) -> datetime:
        return self.moment
