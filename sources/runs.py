"""Source runs: the record of each run, and the lock that allows one run per source at a time.

The lock is a lease row in `source_locks`: an INSERT takes a free source (the primary key
picks one winner among racing processes), a conditional UPDATE takes over a lease whose
holder stopped renewing it (a crashed process), and the holder renews it while it works.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import Connection, Engine, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from sources.errors import SourceBusyError
from sources.texts import Errors
from storage.source_tables import source_locks, source_runs

__all__ = [
    "DEFAULT_LEASE",
    "Lease",
    "Outcome",
    "RunLedger",
    "RunRecord",
    "Trigger",
    "process_owner",
]

DEFAULT_LEASE = timedelta(minutes=10)
_RUNS = source_runs.c
_LOCKS = source_locks.c


class Outcome(StrEnum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    DRY_RUN = "dry run"


class Trigger(StrEnum):
    COMMAND = "command"
    SCHEDULE = "schedule"
    RETRY = "retry"


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One row of `source_runs`."""

    id: int
    source: str
    trigger: str
    started_at: datetime
    finished_at: datetime | None
    outcome: Outcome
    full: bool
    rows_written: int
    detail: str
    synced_through: date | None


class Lease:
    """A held lock: `renew` pushes its expiry forward (cheaply: at most every third of it)."""

    def __init__(self, ledger: RunLedger, source: str, expires_at: datetime) -> None:
        self._ledger = ledger
        self.source = source
        self.expires_at = expires_at

    def renew(self) -> None:
        now = self._ledger.clock()
        if self.expires_at - now > self._ledger.lease * 2 / 3:
            return
        expires_at = now + self._ledger.lease
        statement = (
            update(source_locks)
            .where(_LOCKS.source == self.source, _LOCKS.owner == self._ledger.owner)
            .values(expires_at=expires_at)
        )
        with self._ledger.engine.begin() as connection:
            connection.execute(statement)
        self.expires_at = expires_at


def process_owner() -> str:
    """host:pid:random, so two processes on one host (or a restarted one) never look alike."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class RunLedger:
    def __init__(
        self,
        engine: Engine,
        clock: Callable[[], datetime],
        *,
        owner: str | None = None,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.owner = owner or process_owner()
        self.lease = lease

    @contextmanager
    def locked(self, source: str) -> Iterator[Lease]:
        """Hold `source`'s lock for the block; SourceBusyError when another process has it."""
        lease = self._acquire(source)
        try:
            yield lease
        finally:
            with self.engine.begin() as connection:
                connection.execute(
                    delete(source_locks).where(_LOCKS.source == source, _LOCKS.owner == self.owner)
                )

    def _acquire(self, source: str) -> Lease:
        now = self.clock()
        expires_at = now + self.lease
        values = {"source": source, "owner": self.owner, "expires_at": expires_at}
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(source_locks).values(values))
            return Lease(self, source, expires_at)
        except IntegrityError:
            pass
        take_over = (
            update(source_locks)
            .where(_LOCKS.source == source, _LOCKS.expires_at < now)
            .values(owner=self.owner, expires_at=expires_at)
        )
        with self.engine.begin() as connection:
            if connection.execute(take_over).rowcount == 1:
                return Lease(self, source, expires_at)
        raise SourceBusyError(Errors.BUSY.format(source=source, since=self._held_since(source)))

    def _held_since(self, source: str) -> str:
        with self.engine.connect() as connection:
            started = connection.scalar(
                select(func.max(_RUNS.started_at)).where(
                    _RUNS.source == source, _RUNS.outcome == Outcome.RUNNING.value
                )
            )
        return "an unknown time" if started is None else _aware(started).isoformat(" ", "seconds")

    def start(self, source: str, trigger: Trigger, *, full: bool, dry_run: bool) -> int:
        values = {
            "source": source,
            "trigger": trigger.value,
            "started_at": self.clock(),
            "outcome": Outcome.RUNNING.value,
            "full": full,
            "dry_run": dry_run,
            "rows_written": 0,
            "detail": "",
        }
        with self.engine.begin() as connection:
            return int(
                connection.execute(
                    insert(source_runs).values(values).returning(_RUNS.id)
                ).scalar_one()
            )

    def finish(
        self,
        connection: Connection,
        run_id: int,
        outcome: Outcome,
        *,
        rows_written: int = 0,
        detail: str = "",
        synced_through: date | None = None,
    ) -> None:
        """Record a run's end in the caller's transaction (the one that wrote its rows)."""
        connection.execute(
            update(source_runs)
            .where(_RUNS.id == run_id)
            .values(
                finished_at=self.clock(),
                outcome=outcome.value,
                rows_written=rows_written,
                detail=detail,
                synced_through=synced_through,
            )
        )

    def synced_through(self, connection: Connection, source: str) -> date | None:
        """The day the last successful run read (None: never synced, run in full)."""
        return connection.scalar(
            select(_RUNS.synced_through)
            .where(_RUNS.source == source, _RUNS.outcome == Outcome.SUCCEEDED.value)
            .order_by(_RUNS.started_at.desc(), _RUNS.id.desc())
            .limit(1)
        )

    def latest(self, source: str, outcome: Outcome | None = None) -> RunRecord | None:
        """The newest run of `source` (with `outcome`, or any)."""
        conditions = [_RUNS.source == source]
        if outcome is not None:
            conditions.append(_RUNS.outcome == outcome.value)
        statement = (
            select(source_runs)
            .where(*conditions)
            .order_by(_RUNS.started_at.desc(), _RUNS.id.desc())
            .limit(1)
        )
        with self.engine.connect() as connection:
            row = connection.execute(statement).first()
        if row is None:
            return None
        return RunRecord(
            id=row.id,
            source=row.source,
            trigger=row.trigger,
            started_at=_aware(row.started_at),
            finished_at=None if row.finished_at is None else _aware(row.finished_at),
            outcome=Outcome(row.outcome),
            full=row.full,
            rows_written=row.rows_written,
            detail=row.detail,
            synced_through=row.synced_through,
        )


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything is written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
