"""The worker's source jobs: the schedule, a failure recorded, DMed and retried with backoff,
a run skipped while another process holds the source, and catch-up after downtime."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.digests.schedule import parse_schedule
from bot.syncing.jobs import RETRY_DELAYS, SourceJobs, SourcePlan
from sources.runs import Outcome, RunLedger
from sources.stripe.client import RetryingHttpClient, StripeApi
from sources.stripe.source import StripeOptions, StripeSource
from tests.conftest import Store
from tests.sources.conftest import Pauses
from tests.sources.fakestripe import FakeStripe, Fault, at_day, fake_stripe, price, subscription
from tests.sources.localstripe import API_KEY

BERLIN = ZoneInfo("Europe/Berlin")
AT_TWO = datetime(2026, 1, 7, 2, 0, tzinfo=BERLIN)


@dataclass
class Scheduled:
    """The injected `later`: what would run, when, without running it."""

    jobs: list[tuple[timedelta, Callable[[], object], str]] = field(default_factory=list)

    def __call__(self, delay: timedelta, job: Callable[[], object], name: str) -> None:
        self.jobs.append((delay, job, name))


DMs = list[tuple[str, str]]


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with fake_stripe() as server:
        server.objects["customers"].append({"id": "cus_a", "metadata": {}})
        server.objects["subscriptions"].append(
            subscription("sub_a", "cus_a", [(price(5000), 1)], start=at_day(0))
        )
        yield server


def _jobs(store: Store, fake: FakeStripe, scheduled: Scheduled, dms: DMs) -> SourceJobs:
    def build() -> StripeSource:
        api = StripeApi(API_KEY, fake.base_url, http_client=RetryingHttpClient(sleep=Pauses()))
        return StripeSource(api, StripeOptions(), zone=BERLIN, currency="USD")

    plan = SourcePlan("stripe", build, parse_schedule("daily 02:00"))
    return SourceJobs(
        store.engine,
        {"stripe": plan},
        zone=BERLIN,
        clock=lambda: AT_TWO,
        notify=lambda user, text: dms.append((user, text)),
        admin_user="U0ADMIN",
        later=scheduled,
    )


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # the jobs' logic, not SQL
def test_a_failure_is_recorded_dmed_and_retried_with_backoff_until_it_gives_up(
    store: Store, fake: FakeStripe
) -> None:
    fake.faults.append(Fault("/v1/customers", 503, times=1000))
    scheduled, dms = Scheduled(), DMs()
    jobs = _jobs(store, fake, scheduled, dms)
    assert jobs.run("stripe") is None
    assert [delay for delay, _, _ in scheduled.jobs] == [RETRY_DELAYS[0]]
    assert dms == [
        (
            "U0ADMIN",
            ":warning: The stripe sync failed and wrote nothing: Stripe answered 503 after 4 "
            "retries: fake 503. It will be retried at 02:05, with backoff.",
        )
    ]
    for _ in RETRY_DELAYS:  # each retry fails too, and schedules the next until none is left
        scheduled.jobs[-1][1]()
    assert [delay for delay, _, _ in scheduled.jobs] == list(RETRY_DELAYS)
    assert len(dms) == 2
    assert "still fails after 3 retries" in dms[1][1]
    latest = jobs.ledger.latest("stripe")
    assert latest is not None and latest.outcome is Outcome.FAILED and latest.trigger == "retry"


def test_a_retry_that_succeeds_writes_the_rows(store: Store, fake: FakeStripe) -> None:
    fake.faults.append(Fault("/v1/customers", 500, times=5))  # the run and its 4 retries
    scheduled, dms = Scheduled(), DMs()
    jobs = _jobs(store, fake, scheduled, dms)
    assert jobs.run("stripe") is None
    report = scheduled.jobs[0][1]()
    assert report is not None and report.rows_written > 0  # type: ignore[attr-defined]
    assert len(dms) == 1


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_source_another_process_runs_is_skipped_quietly(store: Store, fake: FakeStripe) -> None:
    scheduled, dms = Scheduled(), DMs()
    jobs = _jobs(store, fake, scheduled, dms)
    with RunLedger(store.engine, lambda: AT_TWO, owner="other-worker").locked("stripe"):
        assert jobs.run("stripe") is None
    assert (scheduled.jobs, dms) == ([], [])


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_run_missed_while_down_is_caught_up_once(store: Store, fake: FakeStripe) -> None:
    scheduled, dms = Scheduled(), DMs()
    jobs = _jobs(store, fake, scheduled, dms)
    assert jobs.missed(AT_TWO + timedelta(hours=5)) == ["stripe"]
    jobs.catch_up()
    assert jobs.missed(AT_TWO + timedelta(hours=5)) == []
    assert jobs.missed(AT_TWO + timedelta(days=1, minutes=1)) == ["stripe"]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_each_source_gets_a_job_on_its_wall_clock_schedule(store: Store, fake: FakeStripe) -> None:
    jobs = _jobs(store, fake, Scheduled(), [])
    scheduler = BackgroundScheduler(timezone=BERLIN)
    jobs.attach(scheduler)
    [job] = scheduler.get_jobs()
    assert job.id == "source:stripe"
    fire = job.trigger.get_next_fire_time(None, AT_TWO + timedelta(minutes=1))
    assert fire == datetime(2026, 1, 8, 2, 0, tzinfo=BERLIN)
    assert fire.astimezone(UTC).hour == 1
