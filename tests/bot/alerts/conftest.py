"""Fixtures of the alert tests: a store whose paid search MQL→SQL rate breaks and recovers
on known weeks, alert settings, a hand-moved clock, the fake Slack."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.alerts.check import AlertChecker, checker_for
from bot.alerts.membership import Membership, Seat, SeatFinder
from bot.alerts.plans import plan_alerts
from bot.core.config import AlertSettings, Settings
from testkit.fakeslack import FakeSlack, fake_slack
from tests.conftest import Store
from tests.metrics.rows import put, row

__all__ = [
    "ADMIN",
    "BOT_TOKEN",
    "GROWTH",
    "RATES",
    "Clock",
    "alert_settings",
    "as_of_after",
    "fake_slack",
    "make_checker",
    "rate_rows",
    "seats",
    "seed_rates",
    "week_start",
]

ADMIN = "UADMIN01"
BOT_TOKEN = "xoxb-alert-test"
GROWTH = "C0GROWTH"
FIRST_WEEK = date(2026, 10, 5)  # Monday of W41 2026
# Paid search MQL→SQL per week from W41: healthy, broken on W44-W45, healthy again on W46.
RATES = (0.40, 0.42, 0.41, 0.20, 0.22, 0.40, 0.41)
LEAK = {
    "channel": ["paid_search"],
}
ALERTS: dict[str, dict[str, Any]] = {
    "paid_search_leak": {
        "metric": "mql_to_sql",
        "where": LEAK,
        "when": "below 30%",
        "every": "week",
        "channels": [GROWTH],
    }
}


def seats(membership: Membership = Membership.MEMBER) -> SeatFinder:
    """A bot that is (or is not) in every channel: the Slack side is tested with the fake."""
    return lambda channel: Seat(channel, membership)


def week_start(index: int) -> date:
    return FIRST_WEEK + timedelta(weeks=index)


def as_of_after(index: int) -> date:
    """The Monday after week `index`: its check covers that week."""
    return week_start(index + 1)


class Clock:
    """A hand-moved UTC clock."""

    def __init__(self, now: datetime = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def seed_rates(store: Store, rates: tuple[float, ...] = RATES) -> None:
    put(store.engine, rate_rows(rates))


def rate_rows(rates: tuple[float, ...]) -> list[dict[str, Any]]:
    """One daily row per channel and segment; paid search's smb segment carries the leak,
    its enterprise segment and organic stay steady."""
    rows = []
    for index, rate in enumerate(rates):
        for day in range(7):
            start = (week_start(index) + timedelta(days=day)).isoformat()
            rows += [
                row(start, channel="paid_search", segment="smb", mqls=100, sqls=round(100 * rate)),
                row(start, channel="paid_search", segment="enterprise", mqls=20, sqls=8),
                row(start, channel="organic", segment="smb", mqls=50, sqls=20),
            ]
    return rows


def alert_settings(
    store: Store,
    fake: FakeSlack | None = None,
    alerts: Mapping[str, Mapping[str, Any]] | None = None,
    **overrides: Any,
) -> Settings:
    values: dict[str, Any] = {
        "database_url": store.url,
        "timezone": "Europe/Berlin",
        "slack_bot_token": BOT_TOKEN,
        "slack_api_url": fake.base_url if fake is not None else "http://127.0.0.1:9/api/",
        "admin_user": ADMIN,
        "alerts": {
            name: AlertSettings(**spec)
            for name, spec in (ALERTS if alerts is None else alerts).items()
        },
    }
    values.update(overrides)
    return Settings(**values)


def make_checker(
    settings: Settings,
    store: Store,
    clock: Callable[[], datetime],
    owner: str | None = None,
) -> AlertChecker:
    pauses: list[float] = []
    return checker_for(
        settings,
        store.engine,
        plan_alerts(settings),
        clock=clock,
        sleep=pauses.append,
        owner=owner,
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()
