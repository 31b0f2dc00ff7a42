"""The fake Slack behaves like the Web API for the client calls the bot makes."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.webhook import WebhookClient

from testkit.fakeslack import FakeSlack


def _client(fake: FakeSlack) -> WebClient:
    return WebClient(token="xoxb-test", base_url=fake.base_url)


def test_posted_messages_are_recorded_and_listed_by_history(fake_slack: FakeSlack) -> None:
    client = _client(fake_slack)
    client.chat_postMessage(
        channel="C1",
        text="hello",
        metadata={"event_type": "digest", "event_payload": {"week": "2026-W47"}},
    )
    history = client.conversations_history(channel="C1")
    assert history["messages"][0]["text"] == "hello"
    assert history["messages"][0]["metadata"]["event_payload"] == {"week": "2026-W47"}
    assert [call.body["text"] for call in fake_slack.calls("chat.postMessage")] == ["hello"]


def test_rate_limit_answers_429_then_succeeds(fake_slack: FakeSlack) -> None:
    fake_slack.rate_limit("chat.postMessage", times=1, retry_after=0)
    client = _client(fake_slack)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    assert client.chat_postMessage(channel="C1", text="x")["ok"]
    assert len(fake_slack.calls("chat.postMessage")) == 2


def test_channel_errors_are_slack_errors(fake_slack: FakeSlack) -> None:
    fake_slack.fail_channel("CGONE")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        _client(fake_slack).chat_postMessage(channel="CGONE", text="x")


def test_a_channel_the_bot_is_not_in_refuses_posts_but_not_response_urls(
    fake_slack: FakeSlack,
) -> None:
    fake_slack.fail_channel("CNOTIN", "not_in_channel")
    client = _client(fake_slack)
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.chat_postMessage(channel="CNOTIN", text="x")
    with pytest.raises(SlackApiError, match="not_in_channel"):
        client.chat_postEphemeral(channel="CNOTIN", user="U1", text="x")
    sent = WebhookClient(fake_slack.response_url()).send_dict({"text": "x", "thread_ts": "1.2"})
    assert sent.status_code == 200
    assert fake_slack.calls("response_url")[0].body["thread_ts"] == "1.2"


def test_files_upload_v2_goes_through_the_fake(fake_slack: FakeSlack) -> None:
    result = _client(fake_slack).files_upload_v2(
        channel="C1", content=b"png", filename="c.png", title="chart"
    )
    assert result["file"]["title"] == "chart"
    assert fake_slack.calls("upload")[0].raw == b"png"


def test_failing_uploads(fake_slack: FakeSlack) -> None:
    fake_slack.fail_uploads()
    with pytest.raises(SlackApiError):
        _client(fake_slack).files_upload_v2(channel="C1", content=b"png", filename="c.png")


def test_response_url_records_the_json_body(fake_slack: FakeSlack) -> None:
    WebhookClient(fake_slack.response_url("abc")).send(text="answer", response_type="ephemeral")
    (call,) = fake_slack.calls("response_url")
    assert call.body == {"text": "answer", "response_type": "ephemeral"}
    assert call.path.endswith("/abc")
