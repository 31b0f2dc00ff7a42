"""The worker: catch-up after downtime, and a quarter of Mondays with restarts and faults."""

from __future__ import annotations

import json
import threading
from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import select

from bot.core.config import Settings
from bot.digests.audiences import plan_audiences
from bot.digests.builder import digest_week
from bot.digests.ledger import DeliveryKey, Ledger
from bot.digests.render import DeliveryTag
from bot.digests.worker import DigestWorker
from storage.models import DigestDelivery
from testkit.fakeslack import FakeSlack
from tests.bot.digests.conftest import (
    BOT_TOKEN,
    Clock,
    digest_settings,
    make_deliverer,
    seed_weeks,
)
from tests.conftest import Store

BERLIN = ZoneInfo("Europe/Berlin")
AUDIENCES = {
    "marketing": {"channels": ["#m1", "#m2"], "schedule": "mon 09:00"},
    "sales": {"channels": ["#s1"], "schedule": "0 9 * * 1"},
}
CHANNELS = {"#m1": "marketing", "#m2": "marketing", "#s1": "sales"}
FIRST_MONDAY = date(2026, 9, 7)
MONDAYS = [FIRST_MONDAY + timedelta(weeks=index) for index in range(13)]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BERLIN).astimezone(UTC)


def worker(settings: Settings, store: Store, clock: Clock, owner: str) -> DigestWorker:
    deliverer = make_deliverer(settings, store, clock, owner=owner)
    return DigestWorker(deliverer, plan_audiences(settings), BERLIN, clock)


@pytest.mark.parametrize(
    ("now", "due"),
    [
        (local(date(2026, 11, 23), 10), ["marketing", "sales"]),  # down at Monday 09:00
        (local(date(2026, 11, 29), 22), ["marketing", "sales"]),  # still the latest week
        (local(date(2026, 11, 23), 8), []),  # Monday's run has not happened yet
    ],
)
def test_missed_runs_are_those_whose_week_is_still_the_latest(
    store: Store, now: datetime, due: list[str]
) -> None:
    settings = digest_settings(store, digests=AUDIENCES)
    assert worker(settings, store, Clock(now), "w").missed(now) == due


def test_catch_up_sends_once(store: Store, fake_slack: FakeSlack) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests=AUDIENCES)
    clock = Clock(local(date(2026, 11, 24), 7))  # down since before Monday 09:00
    worker(settings, store, clock, "first").catch_up()
    worker(settings, store, clock, "restarted").catch_up()
    for channel in CHANNELS:
        assert len(digests_in(fake_slack, channel)) == 1


def digests_in(fake: FakeSlack, channel: str) -> list[dict[str, Any]]:
    found = []
    for message in fake.messages(channel):
        raw = message.get("metadata")
        if raw:
            found.append(json.loads(raw) if isinstance(raw, str) else raw)
    return found


def scheduled_fires(
    settings: Settings, name: str, start: datetime, end: datetime
) -> list[datetime]:
    trigger = plan_audiences(settings)[name].schedule.trigger(BERLIN)
    fires, previous, now = [], None, start
    while (fire := trigger.get_next_fire_time(previous, now)) is not None and fire <= end:
        fires.append(fire)
        previous, now = fire, fire + timedelta(seconds=1)
    return fires


def leave_crashed_claim(
    store: Store, clock: Clock, channel: str, *, posted: bool, fake: FakeSlack
) -> None:
    """A worker that claimed `channel` for this week and died (after posting or before)."""
    week = digest_week(clock().astimezone(BERLIN).date())
    key = DeliveryKey(CHANNELS[channel], channel, week.start)
    Ledger(store.engine, "crashed:1:dead", clock=clock).claim(key)
    if posted:
        tag = DeliveryTag(CHANNELS[channel], channel, week.start.isoformat())
        WebClient(token=BOT_TOKEN, base_url=fake.base_url).chat_postMessage(
            channel=channel, text="digest", metadata=tag.metadata()
        )


def inject_faults(
    week_number: int, store: Store, fake: FakeSlack, clock: Clock, nine: datetime
) -> None:
    if week_number == 1:
        fake.rate_limit("chat.postMessage", times=3, retry_after=2)
    if week_number == 2:
        fake.fail_method("chat.postMessage", "internal_error", times=1)
    if week_number in (3, 4):  # crash mid-send just before the run, after / before posting
        clock.now = nine - timedelta(minutes=1)
        leave_crashed_claim(store, clock, "#m1", posted=week_number == 3, fake=fake)


def test_a_quarter_of_mondays_with_restarts_and_faults(store: Store, fake_slack: FakeSlack) -> None:
    seed_weeks(store, end=date(2026, 12, 6), weeks=18)
    settings = digest_settings(store, fake_slack, digests=AUDIENCES)
    clock = Clock()
    current = worker(settings, store, clock, "boot")
    restarts = 0

    def restart(at: datetime) -> None:
        nonlocal current, restarts
        restarts += 1
        clock.now = at
        current = worker(settings, store, clock, f"restart-{restarts}")
        current.catch_up()

    for week_number, monday in enumerate(MONDAYS):
        nine = local(monday, 9)
        inject_faults(week_number, store, fake_slack, clock, nine)
        if week_number == 5:  # down over Monday: back on Tuesday
            restart(local(monday + timedelta(days=1), 10))
            continue
        if week_number == 9:  # someone runs `funnelbot digest` by hand first
            clock.now = nine - timedelta(hours=1)
            current.deliverer.deliver(current.plans["sales"], monday)
        for name in AUDIENCES:
            for fire in scheduled_fires(settings, name, nine - timedelta(hours=1), nine):
                clock.now = fire
                current.run_audience(name)
        if week_number == 6:  # a second worker (or a web process) runs the same jobs
            twin = worker(settings, store, Clock(nine), "twin")
            threads = [
                threading.Thread(target=twin.run_audience, args=(name,)) for name in AUDIENCES
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        if week_number % 3 == 0 or week_number in (3, 4):
            restart(nine + timedelta(minutes=20))  # after the 10-minute lease

    expected_weeks = [(monday - timedelta(weeks=1)).isoformat() for monday in MONDAYS]
    for channel, audience in CHANNELS.items():
        found = digests_in(fake_slack, channel)
        weeks = [item["event_payload"]["week"] for item in found]
        assert Counter(weeks) == Counter(expected_weeks), channel
        assert all(item["event_payload"]["audience"] == audience for item in found)
    with store.engine.connect() as connection:
        ledger = connection.execute(select(DigestDelivery)).all()
    assert len(ledger) == 13 * len(CHANNELS)
    assert {row.status for row in ledger} == {"sent"}
    headers = [message["blocks"] for message in fake_slack.messages("#s1") if message.get("blocks")]
    assert len(headers) == 13
    assert all(
        f"W{(monday - timedelta(weeks=1)).isocalendar()[1]:02d}" in str(block)
        for monday, block in zip(MONDAYS, headers, strict=True)
    )


def test_scheduler_has_one_wall_clock_job_per_audience(store: Store) -> None:
    settings = digest_settings(store, digests=AUDIENCES)
    scheduler = worker(settings, store, Clock(), "w").scheduler()
    scheduler.start(paused=True)
    try:
        jobs = {job.id: job for job in scheduler.get_jobs()}
        assert set(jobs) == {"digest:marketing", "digest:sales"}
        for job in jobs.values():
            local_time = job.next_run_time.astimezone(BERLIN)
            assert (local_time.weekday(), local_time.hour, local_time.minute) == (0, 9, 0)
            assert job.coalesce and job.max_instances == 1
    finally:
        scheduler.shutdown(wait=True)
