"""Real payloads from Slack's and bolt-python's documentation (`payloads/`), replayed as
signed requests to the running app: follow-ups outside member channels, channel
messages, canvas mentions, bot authors, DM threads.

A payload that must not be answered is followed by a genuine one, and only the genuine
answer may reach Slack: the app was listening, and the ignored payload left no work.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest

from bot.core.config import AccessRules
from bot.render.blocks import ButtonQuestion
from testkit.fakeslack import PATIENCE_SECONDS, FakeSlack, RecordedCall, wait_for
from testkit.signed import post_signed
from tests.bot.slack.conftest import RunningApp, running_app, seed
from tests.bot.slack.replayed import click_body, event_delivery, payload, written_by
from tests.conftest import Store

pytestmark = pytest.mark.parametrize("store", ["sqlite"], indirect=True)

JSON = "application/json"
ASKED_ON = date(2026, 11, 25)
DEADLINE = PATIENCE_SECONDS
# block_actions_in_channel.json: a button on an app's message in #C111, not in a thread
CLICKED_CHANNEL = "C111"
CLICKED_MESSAGE_TS = "1678252213.679169"
CLICKED_BY = "U111"
NOT_A_MEMBER = ("not_in_channel", "channel_not_found")
GENUINE_MENTION_CHANNEL = "C123ABC456"  # app_mention.json
GENUINE_DM_CHANNEL = "D024BE91L"  # message_im.json
BOT_AUTHORS = ("message_from_other_app.json", "message_classic_bot.json")


@pytest.fixture
def slack_app(store: Store, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    seed(store)
    with running_app(store, fake_slack) as running:
        yield running


def _text_of(call: RecordedCall) -> str:
    return json.dumps(call.json_field("blocks") or [], ensure_ascii=False) + str(
        call.body.get("text", "")
    )


def _posted(app: RunningApp, count: int) -> list[RecordedCall]:
    """The chat.postMessage calls once there are `count` (else none)."""
    posted = app.fake.calls("chat.postMessage")
    return posted if len(posted) >= count else []


def _follow_up(app: RunningApp, question: str) -> None:
    value = ButtonQuestion(question, ASKED_ON).to_value()
    body = click_body("block_actions_in_channel.json", "ask:0", value, app.fake.response_url())
    assert post_signed(app.events_url, body).status == 200


def _replay(app: RunningApp, name: str, event: dict[str, object] | None = None) -> None:
    assert post_signed(app.events_url, event_delivery(name, event), JSON).status == 200


def _only_the_genuine_answer_follows(app: RunningApp, genuine: str, channel: str) -> None:
    """Replay `genuine` (answered in `channel`); once everything in progress is done, its
    answer is the only message posted."""
    _replay(app, genuine)
    wait_for(lambda: app.fake.calls("chat.postMessage"), timeout=DEADLINE)
    app.settle()
    posted = app.fake.calls("chat.postMessage")
    assert [call.body["channel"] for call in posted] == [channel]
    assert app.fake.calls("chat.postEphemeral") == []


# --- follow-up buttons where the bot is not a member --------------------------------


@pytest.mark.parametrize("error", NOT_A_MEMBER)
def test_follow_up_outside_member_channels_is_answered_through_the_response_url(
    slack_app: RunningApp, error: str
) -> None:
    slack_app.fake.fail_channel(CLICKED_CHANNEL, error)
    _follow_up(slack_app, "cac 2026-10 by channel")
    (answer,) = wait_for(lambda: slack_app.fake.calls("response_url"), timeout=DEADLINE)
    slack_app.settle()
    assert answer.body["response_type"] == "in_channel"
    assert answer.body["thread_ts"] == CLICKED_MESSAGE_TS
    assert answer.body["replace_original"] is False
    assert "paid search" in _text_of(answer)
    (refused,) = slack_app.fake.calls("chat.postMessage")
    assert refused.body["channel"] == CLICKED_CHANNEL
    assert slack_app.fake.calls("files.getUploadURLExternal") == []


def test_follow_up_in_a_member_channel_is_still_answered_in_the_thread(
    slack_app: RunningApp,
) -> None:
    _follow_up(slack_app, "cac 2026-10")
    (posted,) = wait_for(lambda: slack_app.fake.calls("chat.postMessage"), timeout=DEADLINE)
    slack_app.settle()
    assert (posted.body["channel"], posted.body["thread_ts"]) == (
        CLICKED_CHANNEL,
        CLICKED_MESSAGE_TS,
    )
    assert posted.headline() == "Customer acquisition cost: USD 400"
    assert slack_app.fake.calls("response_url") == []


def test_restricted_follow_up_outside_member_channels_stays_private(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed(store)
    rules = AccessRules(restricted_metrics=["mrr"], restricted_viewers=[CLICKED_BY])
    fake_slack.fail_channel(CLICKED_CHANNEL, "not_in_channel")
    with running_app(store, fake_slack, rules) as app:
        _follow_up(app, "mrr 2026-10")
        (answer,) = wait_for(lambda: fake_slack.calls("response_url"), timeout=DEADLINE)
        app.settle()
    assert answer.body["response_type"] == "ephemeral"
    assert "USD 12,000" in _text_of(answer)
    assert "Only you can see this" in _text_of(answer)
    (refused,) = fake_slack.calls("chat.postEphemeral")
    assert refused.body["user"] == CLICKED_BY
    assert fake_slack.calls("chat.postMessage") == []


def test_failed_follow_up_outside_member_channels_is_apologised_for(
    slack_app: RunningApp,
) -> None:
    with slack_app.store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE snapshot_rollups")
    slack_app.fake.fail_channel(CLICKED_CHANNEL, "not_in_channel")
    _follow_up(slack_app, "cac 2026-10")
    (apology,) = wait_for(lambda: slack_app.fake.calls("response_url"), timeout=DEADLINE)
    slack_app.settle()
    assert "something went wrong" in apology.body["text"]
    assert apology.body["response_type"] == "ephemeral"


def test_an_answer_slack_refuses_is_followed_by_an_apology(slack_app: RunningApp) -> None:
    slack_app.fake.fail_method("chat.postMessage", "msg_too_long", times=1)
    _replay(slack_app, "app_mention.json")
    answer, apology = wait_for(lambda: _posted(slack_app, 2), timeout=DEADLINE)
    slack_app.settle()
    assert "something went wrong" in apology.body["text"]
    assert apology.body["thread_ts"] == answer.body["thread_ts"] == "1515449522.000016"


# --- events that are not questions to the bot ---------------------------------------


@pytest.mark.parametrize("name", ["message_channel.json", "message_mpim.json"])
def test_messages_outside_dms_are_not_answered(slack_app: RunningApp, name: str) -> None:
    _replay(slack_app, name)
    _only_the_genuine_answer_follows(slack_app, "message_im.json", GENUINE_DM_CHANNEL)


def test_a_canvas_mention_is_not_answered(slack_app: RunningApp) -> None:
    _replay(slack_app, "document_mention.json")
    _only_the_genuine_answer_follows(slack_app, "app_mention.json", GENUINE_MENTION_CHANNEL)


@pytest.mark.parametrize("author", BOT_AUTHORS)
def test_mentions_by_other_apps_are_not_answered(slack_app: RunningApp, author: str) -> None:
    """No real sample shows a bot's mention whole: the docs' mention, written by the
    author of a bot-authored sample."""
    mention = written_by(payload("app_mention.json")["event"], payload(author)["event"])
    _replay(slack_app, "app_mention.json", mention)
    _only_the_genuine_answer_follows(slack_app, "app_mention.json", GENUINE_MENTION_CHANNEL)


@pytest.mark.parametrize("author", BOT_AUTHORS)
def test_dms_by_other_apps_are_not_answered(slack_app: RunningApp, author: str) -> None:
    message = written_by(payload("message_im.json")["event"], payload(author)["event"])
    _replay(slack_app, "message_im.json", message)
    _only_the_genuine_answer_follows(slack_app, "message_im.json", GENUINE_DM_CHANNEL)


# --- direct messages ----------------------------------------------------------------


def test_a_dm_is_answered_in_the_dm(slack_app: RunningApp) -> None:
    _replay(slack_app, "message_im.json")
    (posted,) = wait_for(lambda: slack_app.fake.calls("chat.postMessage"), timeout=DEADLINE)
    assert posted.body["channel"] == GENUINE_DM_CHANNEL
    assert "thread_ts" not in posted.body


def test_a_dm_in_a_thread_is_answered_in_the_thread(slack_app: RunningApp) -> None:
    _replay(slack_app, "message_im_in_thread.json")
    (posted,) = wait_for(lambda: slack_app.fake.calls("chat.postMessage"), timeout=DEADLINE)
    assert posted.body["channel"] == "D111"
    assert posted.body["thread_ts"] == "1726133698.626339"
