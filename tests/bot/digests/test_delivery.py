"""Delivery against the fake Slack: exactly once per (audience, channel, week), retries,
dead channels, crashes between claim and send, races between processes."""

from __future__ import annotations

import json
import threading

from slack_sdk import WebClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digests.delivery import Outcome
from bot.digests.ledger import DeliveryKey, Ledger
from bot.digests.render import METADATA_EVENT, DeliveryTag, digest_message
from storage.engine import make_engine
from storage.models import DigestDelivery
from testkit.fakeslack import FakeSlack
from tests.bot.digests.conftest import (
    ADMIN,
    AS_OF,
    BOT_TOKEN,
    WEEK_START,
    Clock,
    digest_settings,
    make_deliverer,
    plan_of,
    seed_weeks,
)
from tests.conftest import Store

CHANNELS = ["#marketing", "CREV0001", "#growth"]
AUDIENCES = {"marketing": {"channels": CHANNELS}}


def rows(store: Store) -> dict[str, DigestDelivery]:
    with Session(store.engine) as session:
        found = session.scalars(select(DigestDelivery)).all()
    return {row.channel: row for row in found}


def posts(fake: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [item for item in fake.messages(channel) if item.get("metadata")]


def metadata_of(message: dict[str, object]) -> object:
    raw = message["metadata"]
    return json.loads(raw) if isinstance(raw, str) else raw


def tag_of(channel: str) -> DeliveryTag:
    return DeliveryTag("marketing", channel, WEEK_START.isoformat())


def test_each_channel_gets_the_digest_once(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests=AUDIENCES)
    deliverer = make_deliverer(settings, store, clock)
    first = deliverer.deliver(plan_of(settings), AS_OF)
    second = deliverer.deliver(plan_of(settings), AS_OF)
    assert [item.outcome for item in first.results] == [Outcome.SENT] * 3
    assert [item.outcome for item in second.results] == [Outcome.ALREADY_SENT] * 3
    ledger = rows(store)
    for channel in CHANNELS:
        [message] = posts(fake_slack, channel)
        assert tag_of(channel).matches(metadata_of(message))
        assert ledger[channel].status == "sent"
        assert ledger[channel].message_ts == message["ts"]
        assert ledger[channel].attempts == 1
    public = str(posts(fake_slack, "#marketing")[0]["blocks"])
    revenue = str(posts(fake_slack, "CREV0001")[0]["blocks"])
    assert "MRR*: restricted" in public and "MRR*: restricted" not in revenue
    uploads = fake_slack.calls("files.completeUploadExternal")
    assert {call.body.get("thread_ts") for call in uploads} == {
        ledger[channel].message_ts for channel in CHANNELS
    }


def test_rate_limited_post_waits_retry_after_and_posts_once(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    fake_slack.rate_limit("chat.postMessage", times=2, retry_after=7)
    sleeps: list[float] = []
    report = make_deliverer(settings, store, clock, sleeps).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.SENT
    assert len(posts(fake_slack, "#m")) == 1
    assert len(fake_slack.calls("chat.postMessage")) == 3
    assert sleeps[:2] == [7.0, 7.0]


def test_transient_slack_error_is_checked_in_the_channel_then_retried(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    fake_slack.fail_method("chat.postMessage", "internal_error", times=2)
    sleeps: list[float] = []
    report = make_deliverer(settings, store, clock, sleeps).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.SENT
    assert len(posts(fake_slack, "#m")) == 1
    assert len(fake_slack.calls("conversations.history")) == 2
    assert len(sleeps) == 2


def test_dead_channel_is_recorded_reported_and_does_not_block_others(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests=AUDIENCES)
    fake_slack.fail_channel("CREV0001", "channel_not_found")
    report = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    outcomes = {item.channel: item.outcome for item in report.results}
    assert outcomes == {
        "#marketing": Outcome.SENT,
        "CREV0001": Outcome.FAILED,
        "#growth": Outcome.SENT,
    }
    assert report.failed[0].error == "channel_not_found"
    ledger = rows(store)
    assert (ledger["CREV0001"].status, ledger["CREV0001"].error) == ("failed", "channel_not_found")
    [dm] = fake_slack.messages(ADMIN)
    assert "CREV0001" in str(dm["text"]) and "channel_not_found" in str(dm["text"])
    assert len(fake_slack.calls("chat.postMessage")) == 4  # three posts and the DM: no retry


def test_failed_channel_is_retried_by_the_next_run(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    fake_slack.fail_channel("#m", "not_in_channel")
    assert make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF).failed
    fake_slack.reset()  # the bot was invited
    report = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.SENT
    assert len(posts(fake_slack, "#m")) == 1
    assert not fake_slack.calls("conversations.history")  # refused: nothing to look for
    assert rows(store)["#m"].attempts == 2


def test_delivery_that_may_have_reached_slack_is_looked_for_before_retrying(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    fake_slack.fail_method("chat.postMessage", "internal_error", times=6)
    failed = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert failed.failed[0].error == "internal_error"
    assert rows(store)["#m"].status == "failed"
    history_calls = len(fake_slack.calls("conversations.history"))
    report = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.SENT
    assert len(fake_slack.calls("conversations.history")) == history_calls + 1
    assert len(posts(fake_slack, "#m")) == 1


def test_force_posts_again(store: Store, fake_slack: FakeSlack, clock: Clock) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    deliverer = make_deliverer(settings, store, clock)
    deliverer.deliver(plan_of(settings), AS_OF)
    report = deliverer.deliver(plan_of(settings), AS_OF, force=True)
    assert report.results[0].outcome is Outcome.SENT
    messages = posts(fake_slack, "#m")
    assert len(messages) == 2
    assert (rows(store)["#m"].attempts, rows(store)["#m"].message_ts) == (2, messages[1]["ts"])


def crashed_claim(store: Store, clock: Clock, channel: str) -> None:
    """What a process that died after claiming leaves behind."""
    key = DeliveryKey("marketing", channel, WEEK_START)
    assert Ledger(store.engine, "dead-host:1:aaaa", clock=clock).claim(key).outcome.value == "new"


def test_crash_after_posting_is_recorded_without_posting_again(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    crashed_claim(store, clock, "#m")
    digest = make_deliverer(settings, store, clock).build(plan_of(settings), AS_OF)
    posted = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url).chat_postMessage(
        channel="#m",
        text="x",
        blocks=list(digest_message(digest).blocks),
        metadata=tag_of("#m").metadata(),
    )
    clock.advance(minutes=5)
    busy = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert busy.results[0].outcome is Outcome.BUSY  # the claim may still be in flight
    clock.advance(minutes=6)
    report = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.RECOVERED
    assert len(posts(fake_slack, "#m")) == 1
    assert rows(store)["#m"].message_ts == posted["ts"]
    assert rows(store)["#m"].status == "sent"


def test_crash_before_posting_is_sent_after_the_lease(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    crashed_claim(store, clock, "#m")
    clock.advance(minutes=11)
    report = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.SENT
    assert len(posts(fake_slack, "#m")) == 1
    assert rows(store)["#m"].attempts == 2


def test_racing_processes_post_once_per_channel(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests=AUDIENCES)
    start = threading.Barrier(3)
    outcomes: list[Outcome] = []

    def process(number: int) -> None:
        engine = make_engine(store.url)
        try:
            own = type(store)(engine, store.url, store.schema)
            deliverer = make_deliverer(settings, own, clock, owner=f"host:{number}")
            start.wait()
            outcomes.extend(
                item.outcome for item in deliverer.deliver(plan_of(settings), AS_OF).results
            )
        finally:
            engine.dispose()

    threads = [threading.Thread(target=process, args=(number,)) for number in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for channel in CHANNELS:
        assert len(posts(fake_slack, channel)) == 1
    assert outcomes.count(Outcome.SENT) == 3
    assert {item.status for item in rows(store).values()} == {"sent"}


def test_failed_chart_upload_is_retried_and_never_undoes_the_digest(
    store: Store, fake_slack: FakeSlack, clock: Clock
) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    fake_slack.fail_uploads()
    report = make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    assert report.results[0].outcome is Outcome.SENT
    assert rows(store)["#m"].status == "sent"
    assert len(fake_slack.calls("files.getUploadURLExternal")) == 3


def test_metadata_identifies_the_digest(store: Store, fake_slack: FakeSlack, clock: Clock) -> None:
    seed_weeks(store)
    settings = digest_settings(store, fake_slack, digests={"marketing": {"channels": ["#m"]}})
    make_deliverer(settings, store, clock).deliver(plan_of(settings), AS_OF)
    [call] = [call for call in fake_slack.calls("chat.postMessage")]
    assert call.json_field("metadata") == {
        "event_type": METADATA_EVENT,
        "event_payload": {"audience": "marketing", "channel": "#m", "week": "2026-11-16"},
    }
