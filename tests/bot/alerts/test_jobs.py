"""The worker's alerts job: it follows the day's source syncs, waits while a source has
not synced past the period, and runs daily at 06:00 local whatever the UTC offset does."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Connection

from bot.alerts.check import checker_for
from bot.alerts.jobs import AlertJobs, sources_ready
from bot.alerts.plans import plan_alerts
from bot.digests.schedule import parse_schedule
from bot.syncing.jobs import SourceJobs, SourcePlan
from sources.sync import SyncContext, Written
from testkit.fakeslack import FakeSlack
from tests.bot.alerts.conftest import GROWTH, Clock, alert_settings, rate_rows, week_start
from tests.conftest import Store
from tests.metrics.rows import put


@dataclass(frozen=True)
class _Read:
    def summary(self) -> str:
        return "the week's rows"


@dataclass
class WeekSource:
    """A source whose run writes the leak weeks (W41-W47) into the store."""

    store: Store
    name: str = "crm"

    def fetch(self, context: SyncContext) -> _Read:
        return _Read()

    def write(self, connection: Connection, fetched: _Read, context: SyncContext) -> Written:
        put(self.store.engine, rate_rows((0.40, 0.42, 0.41, 0.20)))
        return Written(4 * 7 * 3, ())


def test_check_waits_for_the_sync_then_follows_it(store: Store, fake_slack: FakeSlack) -> None:
    settings = alert_settings(store, fake_slack)
    # Monday 2 Nov 2026 05:00 in Berlin: W44 (26 Oct - 1 Nov) is the week to judge.
    clock = Clock(datetime(2026, 11, 2, 4, 0, tzinfo=UTC))
    ready = sources_ready(store.engine, ["crm"], clock)
    checker = checker_for(
        settings,
        store.engine,
        plan_alerts(settings),
        clock=clock,
        sleep=lambda _: None,
        ready=ready,
    )
    alerts = AlertJobs(checker, settings.zone, clock)
    report = alerts.run()  # before the day's sync: nothing judged, nothing recorded
    assert report is not None
    [waiting] = report.results
    assert waiting.evaluation is None
    assert waiting.waiting == "waiting for the crm sync to cover 2026-11-01"
    plan = SourcePlan("crm", lambda: WeekSource(store), parse_schedule("daily 02:00"))
    sources = SourceJobs(
        store.engine, {"crm": plan}, zone=settings.zone, clock=clock, after=alerts.run
    )
    assert sources.run("crm") is not None
    [message] = fake_slack.messages(GROWTH)
    assert "W44 2026" in message["text"]


def test_daily_check_stays_at_six_local_across_dst(store: Store) -> None:
    settings = alert_settings(store)
    clock = Clock()
    checker = checker_for(settings, store.engine, plan_alerts(settings), clock=clock)
    scheduler = BackgroundScheduler(timezone=settings.zone)
    AlertJobs(checker, settings.zone, clock).attach(scheduler)
    [job] = scheduler.get_jobs()
    trigger = job.trigger
    # From Saturday 24 Oct 2026 (CEST, UTC+2) over the switch to CET (UTC+1).
    fired = []
    moment = datetime(2026, 10, 24, 0, 0, tzinfo=settings.zone)
    previous = None
    for _ in range(3):
        found = trigger.get_next_fire_time(previous, moment)
        fired.append(found)
        previous, moment = found, found + timedelta(seconds=1)
    assert [item.astimezone(UTC).hour for item in fired] == [4, 5, 5]
    assert [item.astimezone(settings.zone).hour for item in fired] == [6, 6, 6]
    assert [item.date() for item in fired] == [week_start(2) + timedelta(days=d) for d in (5, 6, 7)]
