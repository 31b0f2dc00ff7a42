"""The digest ledger: exactly one delivery per (audience, channel, week), across processes.

A delivery starts with an INSERT of a claim row; the UNIQUE(audience, channel, week_start)
constraint picks one winner among racing processes. Taking over an existing row (a failed
delivery, `--force`, or a claim abandoned by a crash) is a conditional UPDATE on the
row's `attempts`, which serves as its version: of two processes trying, one updates a
row and the other none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import ColumnElement, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from bot.core.clock import utc_now
from sources.runs import process_owner
from storage.models import DigestDelivery

__all__ = [
    "DEFAULT_LEASE",
    "Claim",
    "ClaimOutcome",
    "DeliveryKey",
    "Ledger",
    "Status",
    "process_owner",
    "utc_now",
]

DEFAULT_LEASE = timedelta(minutes=10)
_ROW = DigestDelivery


class Status(StrEnum):
    CLAIMED = "claimed"
    SENT = "sent"
    FAILED = "failed"


class ClaimOutcome(StrEnum):
    NEW = "new"  # nobody had it: send
    RETRY = "retry"  # a failed (or, with force, a sent) delivery taken over: send
    STALE = "stale"  # a claim abandoned mid-send taken over: look in the channel, then send
    SENT = "sent"  # already delivered: skip
    BUSY = "busy"  # another process is delivering it right now: skip

    @property
    def must_send(self) -> bool:
        return self in (ClaimOutcome.NEW, ClaimOutcome.RETRY, ClaimOutcome.STALE)


@dataclass(frozen=True, slots=True)
class DeliveryKey:
    audience: str
    channel: str
    week_start: date


@dataclass(frozen=True, slots=True)
class Claim:
    outcome: ClaimOutcome
    previous_claim: datetime | None = None  # when the row taken over was claimed
    previous_error: str | None = None  # why the delivery taken over failed


@dataclass(frozen=True, slots=True)
class _Row:
    id: int
    status: str
    attempts: int
    claimed_at: datetime
    error: str | None


class Ledger:
    def __init__(
        self,
        engine: Engine,
        owner: str | None = None,
        *,
        clock: Callable[[], datetime] = utc_now,
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:
        self.engine = engine
        self.owner = owner or process_owner()
        self._clock = clock
        self._lease = lease

    def delivered(self, audience: str, week_start: date, channels: Iterable[str]) -> set[str]:
        """The channels among `channels` where this week's digest is recorded as sent."""
        statement = select(_ROW.channel).where(
            _ROW.audience == audience,
            _ROW.week_start == week_start,
            _ROW.status == Status.SENT.value,
            _ROW.channel.in_(list(channels)),
        )
        with self.engine.connect() as connection:
            return set(connection.scalars(statement))

    def claim(self, key: DeliveryKey, *, force: bool = False) -> Claim:
        now = self._clock()
        if self._insert(key, now):
            return Claim(ClaimOutcome.NEW)
        row = self._read(key)
        if row is None:  # deleted between the two statements: start over
            return self.claim(key, force=force)
        if row.status == Status.CLAIMED.value:
            if row.claimed_at > now - self._lease:
                return Claim(ClaimOutcome.BUSY)
            return self._take_over(row, now, Claim(ClaimOutcome.STALE, row.claimed_at))
        if row.status == Status.SENT.value and not force:
            return Claim(ClaimOutcome.SENT)
        return self._take_over(row, now, Claim(ClaimOutcome.RETRY, row.claimed_at, row.error))

    def mark_sent(self, key: DeliveryKey, message_ts: str) -> bool:
        return self._finish(key, Status.SENT, message_ts=message_ts, error=None)

    def mark_failed(self, key: DeliveryKey, error: str) -> bool:
        return self._finish(key, Status.FAILED, message_ts=None, error=error)

    def _insert(self, key: DeliveryKey, now: datetime) -> bool:
        values = {
            "audience": key.audience,
            "channel": key.channel,
            "week_start": key.week_start,
            "status": Status.CLAIMED.value,
            "attempts": 1,
            "claimed_by": self.owner,
            "claimed_at": now,
            "updated_at": now,
        }
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(_ROW).values(values))
        except IntegrityError:
            return False
        return True

    def _read(self, key: DeliveryKey) -> _Row | None:
        statement = select(_ROW.id, _ROW.status, _ROW.attempts, _ROW.claimed_at, _ROW.error).where(
            *_matching(key)
        )
        with self.engine.connect() as connection:
            found = connection.execute(statement).first()
        if found is None:
            return None
        return _Row(found.id, found.status, found.attempts, _aware(found.claimed_at), found.error)

    def _take_over(self, row: _Row, now: datetime, claim: Claim) -> Claim:
        statement = (
            update(_ROW)
            .where(_ROW.id == row.id, _ROW.attempts == row.attempts)
            .values(
                status=Status.CLAIMED.value,
                attempts=row.attempts + 1,
                claimed_by=self.owner,
                claimed_at=now,
                updated_at=now,
                error=None,
            )
        )
        with self.engine.begin() as connection:
            won = connection.execute(statement).rowcount == 1
        return claim if won else Claim(ClaimOutcome.BUSY)

    def _finish(
        self, key: DeliveryKey, status: Status, *, message_ts: str | None, error: str | None
    ) -> bool:
        """Record the outcome, unless another process has taken the claim over meanwhile."""
        statement = (
            update(_ROW)
            .where(
                *_matching(key),
                _ROW.claimed_by == self.owner,
                _ROW.status == Status.CLAIMED.value,
            )
            .values(
                status=status.value, message_ts=message_ts, error=error, updated_at=self._clock()
            )
        )
        with self.engine.begin() as connection:
            return connection.execute(statement).rowcount == 1


def _matching(key: DeliveryKey) -> tuple[ColumnElement[bool], ...]:
    return (
        _ROW.audience == key.audience,
        _ROW.channel == key.channel,
        _ROW.week_start == key.week_start,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; everything is written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
