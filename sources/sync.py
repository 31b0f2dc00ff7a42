"""One run of one source: locked, recorded, and atomic.

A source first fetches (network only: the store is not touched and no write lock is held),
then writes its rows, its own state and the run's record in ONE transaction, rolled back on
any error or for a dry run. A failed run is recorded afterwards, on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import SQLAlchemyError

from sources.errors import SyncError
from sources.runs import Outcome, RunLedger, Trigger
from sources.texts import Errors
from storage.ownership import ColumnConflictError

__all__ = ["Fetched", "Source", "SyncContext", "SyncReport", "Written", "run_source"]


@dataclass(frozen=True, slots=True)
class SyncContext:
    """What a run knows before it starts: the local `today`, and the day the last
    successful run read (`cutoff`; None for a full run)."""

    today: date
    cutoff: date | None
    renew: Callable[[], None]

    @property
    def full(self) -> bool:
        return self.cutoff is None


class Fetched(Protocol):
    """What a source read, validated, before anything is written."""

    def summary(self) -> str: ...


F = TypeVar("F", bound=Fetched)


@dataclass(frozen=True, slots=True)
class Written:
    """What a source wrote: the rows, and lines saying so."""

    rows_written: int
    lines: tuple[str, ...]


class Source(Protocol[F]):
    name: str

    def fetch(self, context: SyncContext) -> F: ...

    def write(self, connection: Connection, fetched: F, context: SyncContext) -> Written:
        """Write inside the caller's transaction; it starts with the snapshot write lock."""
        ...


@dataclass(frozen=True, slots=True)
class SyncReport:
    source: str
    full: bool
    dry_run: bool
    read: str
    rows_written: int
    wrote: tuple[str, ...]


def run_source(
    engine: Engine,
    source: Source[Any],
    ledger: RunLedger,
    *,
    today: date,
    full: bool = False,
    dry_run: bool = False,
    trigger: Trigger = Trigger.COMMAND,
) -> SyncReport:
    """Run `source` once; SyncError (SourceBusyError when another process runs it) with a
    one-line reason, in which case nothing was written."""
    with ledger.locked(source.name) as lease:
        with engine.connect() as connection:
            cutoff = None if full else ledger.synced_through(connection, source.name)
        context = SyncContext(today, cutoff, lease.renew)
        run_id = ledger.start(source.name, trigger, full=context.full, dry_run=dry_run)
        try:
            report = _fetch_and_write(engine, source, ledger, context, run_id, dry_run=dry_run)
        except SyncError as error:
            with engine.begin() as connection:
                ledger.finish(connection, run_id, Outcome.FAILED, detail=str(error))
            raise
    return report


def _fetch_and_write(
    engine: Engine,
    source: Source[Any],
    ledger: RunLedger,
    context: SyncContext,
    run_id: int,
    *,
    dry_run: bool,
) -> SyncReport:
    fetched = source.fetch(context)
    try:
        with engine.connect() as connection, connection.begin() as transaction:
            written = source.write(connection, fetched, context)
            if dry_run:
                transaction.rollback()
            else:
                ledger.finish(
                    connection,
                    run_id,
                    Outcome.SUCCEEDED,
                    rows_written=written.rows_written,
                    detail="; ".join((fetched.summary(), *written.lines)),
                    synced_through=context.today,
                )
        if dry_run:
            with engine.begin() as connection:
                ledger.finish(
                    connection,
                    run_id,
                    Outcome.DRY_RUN,
                    detail="; ".join((fetched.summary(), *written.lines)),
                )
    except ColumnConflictError as error:
        raise SyncError(str(error)) from error
    except SQLAlchemyError as error:
        reason = str(error).strip().splitlines()[0]
        raise SyncError(Errors.DATABASE.format(source=source.name, reason=reason)) from error
    return SyncReport(
        source=source.name,
        full=context.full,
        dry_run=dry_run,
        read=fetched.summary(),
        rows_written=written.rows_written,
        wrote=written.lines,
    )
