"""Subscriptions: made from Slack words, delivered by the worker once per slot across a
week with a restart, with the answer the question gets, access checked at delivery."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from bot.alerts.commands import Asker
from bot.alerts.membership import Membership
from bot.alerts.subscriptions import SubscriptionDesk, SubscriptionJobs
from bot.answers.context import metrics_context
from bot.answers.conversation import known_values
from bot.core.access import AccessPolicy
from bot.core.config import AccessRules
from bot.digests.sender import DigestSender
from bot.render.blocks import SlackMessage
from bot.slack.answering import Answerer
from testkit.fakeslack import FakeSlack
from tests.bot.alerts.conftest import (
    ADMIN,
    BOT_TOKEN,
    GROWTH,
    Clock,
    alert_settings,
    seats,
    seed_rates,
)
from tests.conftest import Store

BERLIN = ZoneInfo("Europe/Berlin")
MAKER = Asker("UMAKER01", GROWTH)


def desk(store: Store, clock: Clock, member: bool = True) -> SubscriptionDesk:
    return SubscriptionDesk(
        store.engine,
        policy=AccessPolicy(None),
        admins=frozenset(),
        command="/funnel",
        zone="Europe/Berlin",
        seat_of=seats(Membership.MEMBER if member else Membership.NOT_MEMBER),
        clock=clock,
    )


def jobs(
    store: Store,
    fake: FakeSlack,
    clock: Clock,
    access: AccessRules | None = None,
    admin: str | None = None,
) -> SubscriptionJobs:
    settings = alert_settings(store, fake)
    policy = AccessPolicy(access)
    answerer = Answerer(
        store.engine,
        metrics=metrics_context(settings),
        policy=policy,
        clock=clock,
        zone=BERLIN,
        command="/funnel",
    )

    def answer(
        question: str, slot: datetime, language: str
    ) -> tuple[SlackMessage, tuple[str, ...]]:
        day = slot.astimezone(BERLIN).date()
        outgoing = answerer.answer(question, day, share=False, language=language)  # type: ignore[arg-type]
        return outgoing.message, outgoing.metric_ids

    sender = DigestSender(BOT_TOKEN, fake.base_url, sleep=lambda _: None)
    return SubscriptionJobs(
        store.engine,
        answer=answer,
        sender=sender,
        policy=policy,
        zone=BERLIN,
        clock=clock,
        admin_user=admin,
    )


def test_a_subscription_arrives_every_monday_exactly_once_across_a_restart(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed_rates(store)
    clock = Clock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))  # Sunday
    reply = desk(store, clock).subscribe(
        "sqls by segment last week every monday 9:00", MAKER, known_values(store.engine)
    )
    assert "will be answered in <#C0GROWTH> every Monday at 09:00 (Europe/Berlin)" in reply.text
    worker = jobs(store, fake_slack, clock)
    arrivals = []
    while clock.now < datetime(2026, 11, 10, 12, 0, tzinfo=UTC):
        if clock.now == datetime(2026, 11, 2, 9, 0, tzinfo=UTC):
            worker = jobs(store, fake_slack, clock)  # a restart after the first Monday
        if worker.run():
            arrivals.append(clock.now.astimezone(BERLIN))
        clock.advance(minutes=30)
    assert [(item.date().isoformat(), item.hour) for item in arrivals] == [
        ("2026-11-02", 9),
        ("2026-11-09", 9),
    ]
    first, second = fake_slack.messages(GROWTH)
    assert "W44 2026" in json.dumps(first["blocks"], ensure_ascii=False)  # the week before
    assert "W45 2026" in json.dumps(second["blocks"], ensure_ascii=False)


def test_access_is_checked_against_the_channel_at_delivery(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed_rates(store)
    clock = Clock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    desk(store, clock).subscribe("sqls last week every day 8:00", MAKER, known_values(store.engine))
    access = AccessRules(restricted_metrics=["sqls"], restricted_channels=["CREV0001"])
    clock.advance(hours=20)  # Monday 9:00 in Berlin
    assert jobs(store, fake_slack, clock, access).run() == 1
    [message] = fake_slack.messages(GROWTH)
    assert "it shows restricted figures" in message["text"]


def test_subscribing_where_the_bot_is_not_says_how_to_invite_it(store: Store) -> None:
    clock = Clock()
    reply = desk(store, clock, member=False).subscribe(
        "cac by channel every monday 9:00 in #growth", MAKER, known_values(store.engine)
    )
    assert "invite me there with `/invite @funnelbot`" in reply.text
    assert desk(store, clock).store.all() == []


def test_unreadable_subscriptions_say_how(store: Store) -> None:
    clock = Clock()
    for text, expected in [
        ("cac by channel", "I could not find when"),
        ("cac every caturday 9:00", "I could not find when"),
        ("cac every monday 25:00", "I could not find when"),
        ("<!channel> every monday 9:00", "I could not read “&lt;!channel&gt;” as a question"),
    ]:
        reply = desk(store, clock).subscribe(text, MAKER, known_values(store.engine))
        assert expected in reply.text, (text, reply.text)
        assert "/funnel subscribe cac by channel every monday 9:00" in reply.text


def test_listing_pausing_and_deleting(store: Store) -> None:
    clock = Clock()
    subs = desk(store, clock)
    subs.subscribe("cac by channel every monday 9:00", MAKER, known_values(store.engine))
    listing = json.dumps(subs.listing().blocks, ensure_ascii=False)
    assert "sub_pause:1" in listing and "sub_delete:1" in listing
    assert "Only the person" in subs.act("pause", 1, "USOMEONE").text
    paused = json.dumps(subs.act("pause", 1, "UMAKER01").blocks, ensure_ascii=False)
    assert "paused" in paused and "sub_resume:1" in paused
    subs.act("delete", 1, "UMAKER01")
    assert "No subscriptions yet" in subs.listing().text


def test_a_channel_that_cannot_be_reached_is_recorded_and_dmed(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed_rates(store)
    clock = Clock(datetime(2026, 11, 1, 12, 0, tzinfo=UTC))
    desk(store, clock).subscribe("sqls last week every day 8:00", MAKER, known_values(store.engine))
    fake_slack.fail_channel(GROWTH, "is_archived")
    clock.advance(hours=20)
    assert jobs(store, fake_slack, clock, admin=ADMIN).run() == 0
    [dm] = fake_slack.messages(ADMIN)
    assert "Subscription #1 could not be delivered to C0GROWTH: is_archived" in dm["text"]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # no database is read
@pytest.mark.parametrize(
    ("utc", "accepted"),
    [
        (datetime(2026, 11, 30, 22, 30, tzinfo=UTC), False),  # 23:30 on 30 November in Berlin
        (datetime(2026, 11, 30, 23, 30, tzinfo=UTC), True),  # 00:30 on 1 December in Berlin
    ],
)
def test_the_question_is_read_on_the_teams_date_across_midnight(
    store: Store, utc: datetime, accepted: bool
) -> None:
    """December 2026 starts at midnight in FUNNELBOT_TIMEZONE, not at midnight UTC an hour
    later: a question about it is refused before and read after."""
    with time_machine.travel(utc, tick=False):
        subscriptions = SubscriptionDesk(
            store.engine,
            policy=AccessPolicy(None),
            admins=frozenset(),
            command="/funnel",
            zone="Europe/Berlin",
            seat_of=seats(),
        )
        reply = subscriptions.subscribe(
            "cac december 2026 every monday 9:00", MAKER, known_values(store.engine)
        )
    assert ("Subscribed:" in reply.text) is accepted, reply.text
    assert ("starts in the future" in reply.text) is not accepted, reply.text
