"""Fixtures of the digest tests: a small seeded store, settings, a clock, the fake Slack."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from bot.core.config import AccessRules, DigestAudience, Settings, TargetRule
from bot.digests.audiences import AudiencePlan, plan_audiences
from bot.digests.delivery import Deliverer, deliverer_for
from storage._import_upsert import upsert_snapshots
from storage.demo import generate_snapshots
from testkit.fakeslack import FakeSlack, fake_slack
from tests.conftest import Store

__all__ = [
    "ADMIN",
    "AS_OF",
    "WEEK_START",
    "Clock",
    "digest_settings",
    "fake_slack",
    "make_deliverer",
    "plan_of",
    "seed_weeks",
]

AS_OF = date(2026, 11, 23)  # a Monday: the digest covers W47, 16-22 Nov 2026
WEEK_START = date(2026, 11, 16)
ADMIN = "UADMIN01"
BOT_TOKEN = "xoxb-digest-test"
NOW = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)


class Clock:
    """A hand-moved UTC clock."""

    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def seed_weeks(store: Store, end: date = date(2026, 12, 31), weeks: int = 12) -> None:
    """Daily demo rows for two channels and one segment, `weeks` weeks up to `end`."""
    frame = generate_snapshots(
        end,
        start=end - timedelta(weeks=weeks),
        channels=("organic", "paid_search"),
        segments=("smb",),
    )
    with store.engine.begin() as connection:
        upsert_snapshots(connection, [frame])


def digest_settings(
    store: Store,
    fake: FakeSlack | None = None,
    *,
    digests: dict[str, dict[str, Any]] | None = None,
    **overrides: Any,
) -> Settings:
    audiences = digests or {"marketing": {"channels": ["#marketing", "CREV0001"]}}
    values: dict[str, Any] = {
        "database_url": store.url,
        "timezone": "Europe/Berlin",
        "slack_bot_token": BOT_TOKEN,
        "slack_api_url": fake.base_url if fake is not None else "http://127.0.0.1:9/api/",
        "admin_user": ADMIN,
        "digests": {name: DigestAudience(**spec) for name, spec in audiences.items()},
        "targets": {"cac": TargetRule(max=500.0)},
        "access": AccessRules(restricted_metrics=["mrr"], restricted_channels=["CREV0001"]),
    }
    values.update(overrides)
    return Settings(**values)


def plan_of(settings: Settings, name: str = "marketing") -> AudiencePlan:
    return plan_audiences(settings)[name]


def make_deliverer(
    settings: Settings,
    store: Store,
    clock: Callable[[], datetime],
    sleeps: list[float] | None = None,
    owner: str | None = None,
) -> Deliverer:
    pauses = sleeps if sleeps is not None else []
    return deliverer_for(settings, store.engine, clock=clock, sleep=pauses.append, owner=owner)


@pytest.fixture
def clock() -> Clock:
    return Clock()
