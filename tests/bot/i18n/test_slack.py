"""Thai and Vietnamese through the running Slack app: signed requests in, fake Slack out."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from testkit.fakeslack import FakeSlack, RecordedCall, fake_slack, wait_for
from testkit.signed import action_body, event_body, mention_event, post_signed, slash_body
from tests.bot.slack.conftest import RunningApp, running_app, seed
from tests.conftest import Store

__all__ = ["fake_slack"]

pytestmark = [
    pytest.mark.parametrize("store", ["sqlite"], indirect=True),
    # A Thai label drawn without a Thai font is a matplotlib "Glyph missing" UserWarning.
    pytest.mark.filterwarnings("error::UserWarning"),
]


@pytest.fixture
def slack_app(store: Store, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    seed(store)
    with running_app(store, fake_slack) as running:
        yield running


def _text_of(call: RecordedCall) -> str:
    return json.dumps(call.json_field("blocks"), ensure_ascii=False)


def test_a_thai_slash_command_is_answered_in_thai(slack_app: RunningApp) -> None:
    question = "CAC เดือนที่แล้วเท่าไหร่ครับ"
    reply = post_signed(slack_app.events_url, slash_body(question, slack_app.fake.response_url()))
    assert reply.status == 200
    (answer,) = wait_for(lambda: slack_app.fake.calls("response_url"))
    assert answer.headline() == "ต้นทุนการได้ลูกค้า: US$400"
    text = _text_of(answer)
    assert "เทียบกับ กันยายน 2026" in text
    assert "US$500" in text


def test_a_vietnamese_mention_without_diacritics_is_answered_in_vietnamese(
    slack_app: RunningApp,
) -> None:
    event = mention_event("<@U0BOT> chi phi thu hut khach hang thang truoc theo kenh nhe")
    post_signed(slack_app.events_url, event_body(event, "Ev0VI"))
    (answer,) = wait_for(lambda: slack_app.fake.calls("chat.postMessage"))
    assert answer.headline().replace("\u00a0", " ") == "Chi phí thu hút khách hàng: 400 US$"
    text = _text_of(answer)
    assert "Tháng 9 năm 2026" in text
    assert "kênh" in text


def _first_button(call: RecordedCall) -> dict[str, str]:
    for block in call.json_field("blocks"):
        for element in block.get("elements", []):
            if str(element.get("action_id", "")).startswith("ask:"):
                return {"action_id": str(element["action_id"]), "value": str(element["value"])}
    raise AssertionError("the answer has no follow-up button")


def test_a_follow_up_button_answers_in_the_language_of_the_question(
    slack_app: RunningApp,
) -> None:
    fake = slack_app.fake
    post_signed(slack_app.events_url, slash_body("CAC เดือนที่แล้วครับ", fake.response_url()))
    (answer,) = wait_for(lambda: fake.calls("response_url"))
    button = _first_button(answer)
    body = action_body(button["action_id"], button["value"], fake.response_url())
    assert post_signed(slack_app.events_url, body).status == 200
    follow_up = wait_for(lambda: fake.calls("response_url")[1:])[0]
    assert follow_up.headline() == "ต้นทุนการได้ลูกค้า: US$400"
    assert "ช่องทาง" in _text_of(follow_up)
