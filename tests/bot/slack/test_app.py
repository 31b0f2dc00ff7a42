"""The Slack app end to end in this process: signed requests in, fake Slack calls out."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.core.config import AccessRules
from bot.render.blocks import ButtonQuestion
from bot.slack.dedupe import EventLedger
from storage.models import AccessAudit, ProcessedEvent
from testkit.fakeslack import FakeSlack, RecordedCall, wait_for
from testkit.signed import (
    action_body,
    event_body,
    get,
    mention_event,
    post_signed,
    post_unsigned,
    slash_body,
)
from tests.bot.slack.conftest import NOW, RunningApp, running_app, seed
from tests.conftest import Store
from tests.metrics.rows import put, row

ASKED_ON = date(2026, 11, 25)
SQLITE_ONLY = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


def _text_of(call: RecordedCall) -> str:
    """Every text in the message's blocks, joined."""
    blocks = call.json_field("blocks") or []
    return json.dumps(blocks, ensure_ascii=False) + str(call.body.get("text", ""))


def _value(question: str) -> str:
    return ButtonQuestion(question, ASKED_ON).to_value()


def test_retried_event_answers_exactly_once(slack_app: RunningApp) -> None:
    body = event_body(mention_event("<@UBOT0001> cac 2026-10"), "Ev0001")
    first = post_signed(slack_app.events_url, body, "application/json")
    retry = post_signed(
        slack_app.events_url,
        body,
        "application/json",
        extra={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (first.status, retry.status) == (200, 200)
    slack_app.settle()
    (posted,) = slack_app.fake.calls("chat.postMessage")
    assert posted.headline() == "Customer acquisition cost: USD 400"
    assert posted.body["thread_ts"] == "1700000000.000001"
    with slack_app.store.engine.connect() as connection:
        assert connection.scalars(select(ProcessedEvent.event_id)).all() == ["Ev0001"]


@SQLITE_ONLY
def test_bad_signature_and_stale_timestamp_are_refused(slack_app: RunningApp) -> None:
    body = slash_body("cac 2026-10", slack_app.fake.response_url())
    forged = post_signed(slack_app.events_url, body, secret="not-the-secret")
    stale = post_signed(slack_app.events_url, body, age_seconds=6 * 60)
    assert (forged.status, stale.status) == (401, 401)
    slack_app.settle()
    assert slack_app.fake.calls("response_url") == []


@SQLITE_ONLY
def test_missing_signature_is_refused(slack_app: RunningApp) -> None:
    assert post_unsigned(slack_app.events_url, "text=cac").status == 401


@SQLITE_ONLY
def test_body_over_one_megabyte_is_refused(slack_app: RunningApp) -> None:
    body = "text=" + "x" * (1024 * 1024)
    assert post_signed(slack_app.events_url, body).status == 413


@SQLITE_ONLY
def test_slash_command_answers_ephemerally_with_share_and_follow_ups(
    slack_app: RunningApp,
) -> None:
    reply = post_signed(
        slack_app.events_url, slash_body("cac 2026-10", slack_app.fake.response_url())
    )
    assert reply.status == 200
    (answer,) = wait_for(lambda: slack_app.fake.calls("response_url"))
    assert answer.body["response_type"] == "ephemeral"
    text = _text_of(answer)
    assert answer.headline() == "Customer acquisition cost: USD 400"
    assert "vs September 2026" in text
    buttons = [
        element
        for block in answer.body["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert [button["action_id"] for button in buttons][:2] == ["share", "ask:0"]


@SQLITE_ONLY
def test_follow_up_button_answers_the_follow_up(slack_app: RunningApp) -> None:
    body = action_body("ask:0", _value("cac 2026-10 by channel"), slack_app.fake.response_url())
    assert post_signed(slack_app.events_url, body).status == 200
    (answer,) = wait_for(lambda: slack_app.fake.calls("response_url"))
    text = _text_of(answer)
    assert "paid search" in text
    assert "organic" in text
    assert answer.body["response_type"] == "ephemeral"


@SQLITE_ONLY
def test_unreadable_button_value_is_acknowledged_and_not_answered(
    slack_app: RunningApp, caplog: pytest.LogCaptureFixture
) -> None:
    body = action_body("ask:0", "not a question of ours", slack_app.fake.response_url())
    assert post_signed(slack_app.events_url, body).status == 200
    slack_app.settle()
    assert slack_app.fake.calls("response_url") == []
    assert "acknowledged a payload the app cannot read" in caplog.text


@SQLITE_ONLY
def test_share_posts_the_answer_in_the_channel(slack_app: RunningApp) -> None:
    body = action_body("share", _value("cac 2026-10"), slack_app.fake.response_url())
    assert post_signed(slack_app.events_url, body).status == 200
    (shared,) = wait_for(lambda: slack_app.fake.calls("response_url"))
    assert shared.body["response_type"] == "in_channel"
    assert shared.body["delete_original"] is True
    assert shared.headline() == "Customer acquisition cost: USD 400"
    assert "Shared by <@U0ASKER>" in _text_of(shared)


@SQLITE_ONLY
def test_mention_with_chart_uploads_it_in_the_thread(slack_app: RunningApp) -> None:
    body = event_body(mention_event("<@UBOT0001> cac 2026-10 by channel"), "Ev0002")
    post_signed(slack_app.events_url, body, "application/json")
    slack_app.settle()
    (posted,) = slack_app.fake.calls("chat.postMessage")
    (completed,) = slack_app.fake.calls("files.completeUploadExternal")
    assert completed.body["thread_ts"] == posted.body["thread_ts"]
    assert slack_app.fake.calls("upload")[0].raw.startswith(b"\x89PNG")


@SQLITE_ONLY
def test_failed_chart_upload_keeps_the_text_answer(slack_app: RunningApp) -> None:
    slack_app.fake.fail_uploads()
    body = event_body(mention_event("<@UBOT0001> cac 2026-10 by channel"), "Ev0003")
    post_signed(slack_app.events_url, body, "application/json")
    slack_app.settle()
    (posted,) = slack_app.fake.calls("chat.postMessage")
    assert "paid search" in _text_of(posted)
    assert slack_app.fake.calls("files.getUploadURLExternal")
    assert slack_app.fake.calls("files.completeUploadExternal") == []


@SQLITE_ONLY
def test_direct_message_is_answered_in_the_dm(slack_app: RunningApp) -> None:
    event = {"type": "message", "channel_type": "im", "channel": "D0DM", "user": "U0ASKER",
             "text": "mrr 2026-10", "ts": "1700000000.000002"}  # fmt: skip
    post_signed(slack_app.events_url, event_body(event, "Ev0004"), "application/json")
    slack_app.settle()
    (posted,) = slack_app.fake.calls("chat.postMessage")
    assert posted.body["channel"] == "D0DM"
    assert "thread_ts" not in posted.body
    assert "USD 12,000" in _text_of(posted)


@SQLITE_ONLY
def test_unreadable_question_gets_reason_examples_and_did_you_mean(
    slack_app: RunningApp,
) -> None:
    post_signed(slack_app.events_url, slash_body("blorp zzz", slack_app.fake.response_url()))
    (answer,) = wait_for(lambda: slack_app.fake.calls("response_url"))
    text = _text_of(answer)
    assert "blorp zzz" in text
    assert "cac last quarter for paid search" in text


@SQLITE_ONLY
def test_app_home_shows_last_week_and_month(slack_app: RunningApp) -> None:
    event = {"type": "app_home_opened", "user": "U0ASKER", "channel": "D0DM", "tab": "home"}
    post_signed(slack_app.events_url, event_body(event, "Ev0005"), "application/json")
    slack_app.settle()
    (published,) = slack_app.fake.calls("views.publish")
    view = published.json_field("view")
    text = json.dumps(view)
    assert "Last week" in text
    assert "October 2026" in text
    assert "*Customer acquisition cost*\\nUSD 400" in text


@SQLITE_ONLY
def test_healthz_reports_the_database(slack_app: RunningApp) -> None:
    reply = get(slack_app.root + "/healthz")
    assert (reply.status, json.loads(reply.body)) == (200, {"status": "ok", "database": "ok"})


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_restricted_metric_is_refused_to_non_viewers_and_audited(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed(store)
    rules = AccessRules(restricted_metrics=["mrr"], restricted_viewers=["U0BOSS"])
    with running_app(store, fake_slack, rules) as app:
        post_signed(app.events_url, slash_body("mrr 2026-10", fake_slack.response_url()))
        app.settle()
    (answer,) = fake_slack.calls("response_url")
    assert "USD 12,000" not in _text_of(answer)
    assert "restricted" in _text_of(answer)
    with store.engine.connect() as connection:
        audited = connection.execute(select(AccessAudit.user_id, AccessAudit.metric)).all()
    assert [tuple(item) for item in audited] == [("U0ASKER", "mrr")]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_restricted_metric_stays_private_outside_restricted_channels(
    store: Store, fake_slack: FakeSlack
) -> None:
    seed(store)
    rules = AccessRules(
        restricted_metrics=["mrr"], restricted_viewers=["U0ASKER"], restricted_channels=["C0REV"]
    )
    with running_app(store, fake_slack, rules) as app:
        post_signed(app.events_url, event_body(mention_event("<@UBOT0001> mrr 2026-10"), "Ev0006"),
                    "application/json")  # fmt: skip
        share = action_body("share", _value("mrr 2026-10"), fake_slack.response_url())
        post_signed(app.events_url, share)
        app.settle()
    assert fake_slack.calls("chat.postMessage") == []
    (ephemeral,) = fake_slack.calls("chat.postEphemeral")
    assert ephemeral.body["user"] == "U0ASKER"
    assert "USD 12,000" in _text_of(ephemeral)
    (kept,) = fake_slack.calls("response_url")
    assert kept.body["response_type"] == "ephemeral"


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_other_workspaces_get_403(store: Store, fake_slack: FakeSlack) -> None:
    with running_app(store, fake_slack, AccessRules(allowed_team_ids=["T0OTHER"])) as app:
        reply = post_signed(app.events_url, slash_body("cac", fake_slack.response_url()))
        app.settle()
    assert reply.status == 403
    assert fake_slack.calls("response_url") == []


@SQLITE_ONLY
def test_rate_limited_post_is_retried_and_delivered_once(slack_app: RunningApp) -> None:
    slack_app.fake.rate_limit("chat.postMessage", times=1, retry_after=0)
    body = event_body(mention_event("<@UBOT0001> cac 2026-10"), "Ev0007")
    post_signed(slack_app.events_url, body, "application/json")
    slack_app.settle()
    assert len(slack_app.fake.calls("chat.postMessage")) == 2
    assert len(slack_app.fake.messages("C0GENERAL")) == 1


@SQLITE_ONLY
def test_database_failure_is_answered_with_an_apology(slack_app: RunningApp) -> None:
    with slack_app.store.engine.begin() as connection:
        connection.exec_driver_sql("DROP TABLE snapshot_rollups")
    post_signed(slack_app.events_url, slash_body("cac 2026-10", slack_app.fake.response_url()))
    (answer,) = wait_for(lambda: slack_app.fake.calls("response_url"))
    assert "something went wrong" in answer.body["text"]


def test_event_ledger_claims_once_and_forgets_old_events(store: Store) -> None:
    now = [NOW]
    ledger = EventLedger(store.engine, lambda: now[0])
    assert ledger.claim("Ev1") is True
    assert ledger.claim("Ev1") is False
    now[0] = NOW + timedelta(days=3)
    assert ledger.claim("Ev2") is True
    assert ledger.prune() == 1
    assert ledger.claim("Ev1") is True


@SQLITE_ONLY
def test_names_from_the_data_cannot_ping_the_channel(slack_app: RunningApp) -> None:
    october = row("2026-10-01", "2026-10-31", "<!here>", "smb", marketing_spend=10.0,
                  sales_spend=0.0, new_customers=1)  # fmt: skip
    put(slack_app.store.engine, [october])
    body = event_body(mention_event("<@UBOT0001> cac 2026-10 by channel"), "Ev0008")
    post_signed(slack_app.events_url, body, "application/json")
    slack_app.settle()
    (posted,) = slack_app.fake.calls("chat.postMessage")
    assert "<!here>" not in _text_of(posted)
    assert "&lt;!here&gt;" in _text_of(posted)
