"""Fixtures of the source tests: localstripe, and a Stripe sync run against a store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine, select

from sources.runs import RunLedger
from sources.stripe.client import RetryingHttpClient, StripeApi
from sources.stripe.movements import STRIPE_COLUMNS
from sources.stripe.source import StripeOptions, StripeSource
from sources.sync import SyncReport, run_source
from storage.models import snapshots
from tests.sources.localstripe import API_KEY, localstripe, localstripe_process

__all__ = ["Pauses", "day_rows", "localstripe", "localstripe_process", "stripe_sync"]

DEFAULT_OPTIONS = StripeOptions()


@dataclass
class Pauses:
    """An injected `sleep` that records what it was asked to wait and returns at once."""

    asked: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)


def stripe_sync(
    engine: Engine,
    base_url: str,
    today: date,
    *,
    full: bool = False,
    dry_run: bool = False,
    options: StripeOptions = DEFAULT_OPTIONS,
    pauses: Pauses | None = None,
) -> SyncReport:
    """One Stripe run as the 02:00 job on `today` would do it."""
    client = RetryingHttpClient(sleep=pauses if pauses is not None else Pauses())
    source = StripeSource(
        StripeApi(API_KEY, base_url, http_client=client), options, zone=UTC, currency="USD"
    )
    at_two = datetime.combine(today, time(2), UTC)
    ledger = RunLedger(engine, lambda: at_two)
    return run_source(engine, source, ledger, today=today, full=full, dry_run=dry_run)


Figures = dict[str, float | int]


def day_rows(engine: Engine, day: date) -> dict[tuple[str, str], Figures]:
    """The Stripe columns of each (channel, segment) row of `day`."""
    table = snapshots.c
    statement = select(table.channel, table.segment, *(table[n] for n in STRIPE_COLUMNS)).where(
        table.period_start == day, table.period_end == day
    )
    with engine.connect() as connection:
        return {
            (row[0], row[1]): dict(zip(STRIPE_COLUMNS, row[2:], strict=True))
            for row in connection.execute(statement)
        }
