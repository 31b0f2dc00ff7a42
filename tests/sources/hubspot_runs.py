"""HubSpot runs of the source tests: a sync against the fake on an injected clock, and the
store's rows read back by cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import Engine

from sources.hubspot.client import HubSpotApi
from sources.hubspot.figures import Naming
from sources.hubspot.source import HubSpotOptions, HubSpotSource
from sources.runs import RunLedger
from sources.sync import SyncReport, run_source
from tests.sources.fakehubspot import TOKEN, FakeHubSpot
from tests.storage.csvs import stored_rows

__all__ = ["NAMING", "TODAY", "FakeClock", "cells", "hubspot_sync"]

TODAY = date(2026, 4, 2)
NAMING = Naming("hs_analytics_source", {"OFFLINE": "events"}, "company_size")


@dataclass
class FakeClock:
    """A monotonic clock that only `sleep` moves: every wait is recorded, none is real."""

    now: float = 0.0
    slept: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def hubspot_sync(
    engine: Engine,
    fake: FakeHubSpot,
    today: date = TODAY,
    *,
    clock: FakeClock | None = None,
    token: str = TOKEN,
    full: bool = False,
    new_customers: bool = True,
    overlap_days: int = 3,
    naming: Naming = NAMING,
) -> SyncReport:
    """One HubSpot run as the 02:00 job on `today` would do it."""
    clock = clock or FakeClock()
    api = HubSpotApi(token, fake.base_url, sleep=clock.sleep, clock=clock)
    options = HubSpotOptions(naming, new_customers=new_customers, overlap_days=overlap_days)
    source = HubSpotSource(api, options, zone=UTC)
    at_two = datetime.combine(today, time(2), UTC)
    return run_source(engine, source, RunLedger(engine, lambda: at_two), today=today, full=full)


def cells(engine: Engine, *columns: str) -> dict[tuple[date, str, str], tuple[object, ...]]:
    """`columns` of every stored row, by (day, channel, segment)."""
    return {
        (row["period_start"], row["channel"], row["segment"]): tuple(row[c] for c in columns)
        for row in stored_rows(engine)
    }
