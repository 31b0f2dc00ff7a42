"""`/funnel alert …`, `/funnel alerts` and the Pause/Delete buttons through the Slack app
(signed requests in, the fake Slack out), then the alert fired by `alerts check`."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.alerts.check import checker_for
from bot.core.config import AccessRules, Settings
from storage.models import TargetChange
from testkit.fakeslack import FakeSlack, RecordedCall, wait_for
from testkit.signed import BOT_TOKEN, action_body, post_signed, slash_body
from tests.bot.alerts.conftest import as_of_after, seed_rates
from tests.bot.slack.conftest import RunningApp, running_app, seed
from tests.conftest import Store

GROWTH = "C0GROWTH"


@pytest.fixture
def alert_app(store: Store, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    seed_rates(store)
    with running_app(store, fake_slack) as running:
        yield running


def replies(app: RunningApp, count: int) -> list[RecordedCall]:
    return list(wait_for(lambda: (found := app.fake.calls("response_url"))[count - 1 :] and found))


def text_of(call: RecordedCall) -> str:
    return json.dumps(call.body.get("blocks"), ensure_ascii=False) + str(call.body.get("text"))


def slash(app: RunningApp, text: str, user: str = "UMAKER01") -> None:
    body = slash_body(text, app.fake.response_url(), user=user, channel=GROWTH)
    assert post_signed(app.events_url, body).status == 200


def test_an_alert_made_in_slack_is_listed_paused_and_fires_once(
    alert_app: RunningApp, store: Store, fake_slack: FakeSlack
) -> None:
    slash(alert_app, "alert when mql to sql for paid search drops below 30% weekly")
    [saved] = replies(alert_app, 1)
    assert saved.body["response_type"] == "ephemeral"
    assert "Alert *mql_to_sql#1* saved" in text_of(saved)
    slash(alert_app, "alerts")
    listing = replies(alert_app, 2)[1]
    assert "made by <@UMAKER01> in <#C0GROWTH>" in text_of(listing)
    pause = action_body("alert_pause:1", "1", alert_app.fake.response_url(), user="UMAKER01")
    assert post_signed(alert_app.events_url, pause).status == 200
    paused = replies(alert_app, 3)[2]
    assert "paused" in text_of(paused) and "alert_resume:1" in text_of(paused)
    resume = action_body("alert_resume:1", "1", alert_app.fake.response_url(), user="UMAKER01")
    assert post_signed(alert_app.events_url, resume).status == 200
    replies(alert_app, 4)
    alert_app.settle()
    settings = Settings(
        database_url=store.url,
        slack_bot_token=BOT_TOKEN,
        slack_api_url=fake_slack.base_url,
        timezone="Europe/Berlin",
    )
    clock = lambda: datetime(2026, 12, 1, tzinfo=UTC)  # noqa: E731
    checker = checker_for(settings, store.engine, {}, clock=clock, sleep=lambda _: None)
    for index in range(5):  # W41-W45: fires on W44, quiet on W45
        checker.check(as_of_after(index))
    [fired] = [item for item in fake_slack.messages(GROWTH) if item.get("metadata")]
    assert "mql_to_sql#1" in fired["text"]


def test_hostile_alert_text_gets_a_helpful_private_reply(alert_app: RunningApp) -> None:
    slash(alert_app, "alert <!channel> <@U123> drops below")
    [reply] = replies(alert_app, 1)
    text = text_of(reply)
    assert reply.body["response_type"] == "ephemeral"
    assert "I could not" in text
    assert "<!channel>" not in text
    assert "/funnel alert when mql to sql for paid search drops below 30% weekly" in text


@pytest.fixture
def target_app(store: Store, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    seed(store)
    access = AccessRules(admins=["UADMIN09"])
    with running_app(store, fake_slack, access=access) as running:
        yield running


def test_a_target_set_from_slack_changes_the_next_answer(
    target_app: RunningApp, store: Store
) -> None:
    slash(target_app, "cac 2026-10", user="UANYONE1")
    [before] = replies(target_app, 1)
    assert "target" not in text_of(before).lower()
    slash(target_app, "target cac max 300", user="UANYONE1")
    refused = replies(target_app, 2)[1]
    assert "Only the admins listed in [access] admins" in text_of(refused)
    slash(target_app, "target cac max 300", user="UADMIN09")
    saved = replies(target_app, 3)[2]
    assert "Target for *Customer acquisition cost* is now below USD 300 (was none)" in (
        text_of(saved)
    )
    slash(target_app, "cac 2026-10", user="UANYONE1")
    after = replies(target_app, 4)[3]
    assert "target" in text_of(after).lower() and "300" in text_of(after)
    slash(target_app, "targets", user="UANYONE1")
    listing = replies(target_app, 5)[4]
    assert "set by <@UADMIN09>" in text_of(listing)
    target_app.settle()
    with Session(store.engine) as session:
        [change] = session.scalars(select(TargetChange)).all()
    assert (change.user_id, change.channel_id, change.metric) == ("UADMIN09", GROWTH, "cac")
    assert (change.old_max, change.new_max) == (None, 300.0)


def test_subscribe_and_manage_subscriptions_from_slack(target_app: RunningApp) -> None:
    slash(target_app, "subscribe cac by channel last month every monday 9:00")
    [saved] = replies(target_app, 1)
    assert "will be answered in <#C0GROWTH> every Monday at 09:00" in text_of(saved)
    slash(target_app, "subscriptions")
    listing = replies(target_app, 2)[1]
    assert "sub_pause:1" in text_of(listing)
    pause = action_body("sub_pause:1", "1", target_app.fake.response_url(), user="UMAKER01")
    assert post_signed(target_app.events_url, pause).status == 200
    paused = replies(target_app, 3)[2]
    assert "paused" in text_of(paused) and "sub_resume:1" in text_of(paused)
    target_app.fake.fail_method("conversations.info", "channel_not_found")
    slash(target_app, "subscribe cac every monday 9:00 in <#C0SECRET|secret>")
    refused = replies(target_app, 4)[3]
    assert "invite me there with `/invite @funnelbot`" in text_of(refused)
