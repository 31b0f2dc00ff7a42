"""Slack event ids already handled, in `processed_events`, so retries never answer twice.

The primary key does the work: the first INSERT of an event id wins, in whichever web
process it happens; a conflict means another delivery of the same event got there first.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, insert
from sqlalchemy.exc import IntegrityError

from storage.models import ProcessedEvent

__all__ = ["EventLedger"]

KEEP_FOR = timedelta(days=2)
PRUNE_EVERY = 500


class EventLedger:
    """Claims event ids; prunes rows older than `KEEP_FOR` every `PRUNE_EVERY` claims."""

    def __init__(self, engine: Engine, clock: Callable[[], datetime]) -> None:
        self._engine = engine
        self._clock = clock
        self._claims = itertools.count(1)
        self._lock = threading.Lock()

    def claim(self, event_id: str) -> bool:
        """True the first time `event_id` is seen (by any process), False afterwards."""
        try:
            with self._engine.begin() as connection:
                connection.execute(
                    insert(ProcessedEvent).values(event_id=event_id, received_at=self._clock())
                )
        except IntegrityError:
            return False
        with self._lock:
            due = next(self._claims) % PRUNE_EVERY == 0
        if due:
            self.prune()
        return True

    def prune(self) -> int:
        """Forget events older than `KEEP_FOR` (Slack stops retrying after minutes)."""
        cutoff = self._clock() - KEEP_FOR
        with self._engine.begin() as connection:
            result = connection.execute(
                delete(ProcessedEvent).where(ProcessedEvent.received_at < cutoff)
            )
        return result.rowcount
