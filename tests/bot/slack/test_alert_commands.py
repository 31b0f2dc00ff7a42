"""`/funnel alert …`, `/funnel alerts` and the Pause/Delete buttons through the Slack app
(signed requests in, the fake Slack out), then the alert fired by `alerts check`."""

from __future__ import annotations

import json
import re
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


# What a Thai or a Vietnamese user gets from the commands' how-to texts and refusals: each
# command in their words, the fragments of the reply in their language.
LOCAL_REPLIES: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "th": [
        ("รายการแจ้งเตือน", ("ยังไม่มีการแจ้งเตือน", "สร้างการแจ้งเตือนโดยบอก")),
        ("แจ้งเตือน cac แยกตามช่องทาง สูงกว่า 500", ("การแจ้งเตือนเฝ้าดูตัวเลขเดียว",)),
        ("รายการสมัครรับ", ("ยังไม่มีการสมัครรับ", "สมัครรับโดยบอกคำถามและเวลา")),
        ("สมัครรับ cac", ("ไม่พบว่าจะตอบเมื่อไรใน “cac”", "`ทุกวันจันทร์ 9:00`")),
        ("รายการเป้าหมาย", ("ยังไม่มีเป้าหมาย", "ตั้งเป้าโดยบอกตัวเลข")),
        ("ตั้งเป้า cac 500", ("ไม่พบค่าสูงสุดหรืออย่างน้อยและตัวเลขใน",)),
        ("ตั้งเป้า cac แยกตามช่องทาง สูงสุด 500", ("เป้าหมายใช้กับตัวเลขเดียว",)),
    ],
    "vi": [
        ("danh sách cảnh báo", ("Chưa có cảnh báo nào.", "Để tạo cảnh báo")),
        ("cảnh báo cac theo kênh trên 500", ("Một cảnh báo theo dõi một chỉ số cho cả kỳ",)),
        ("danh sách đăng ký", ("Chưa có đăng ký nào.", "Để đăng ký, hãy cho biết")),
        ("đăng ký cac", ("Tôi không tìm thấy thời điểm trả lời trong “cac”", "`mỗi thứ hai 9:00`")),
        ("danh sách mục tiêu", ("Chưa có mục tiêu nào.", "Để đặt mục tiêu")),
        ("mục tiêu cac 500", ("Tôi không tìm thấy tối đa hoặc tối thiểu",)),
        ("mục tiêu cac theo kênh tối đa 500", ("Một mục tiêu dành cho một chỉ số",)),
    ],
}
# Then the examples the how-to texts give, typed as given: the list line, the cleared
# target and the drivers of the alert's post are in the language too.
LOCAL_AFTERWARDS = {
    "th": (
        "รายการแจ้งเตือน",
        "ทุกสัปดาห์ โพสต์ใน <#C0GROWTH>",
        "ล้างเป้าที่ตั้งจาก Slack",
        "• กลุ่มลูกค้า *smb*",
    ),
    "vi": (
        "danh sách cảnh báo",
        "mỗi tuần, đăng trong <#C0GROWTH>",
        "Đã xóa mục tiêu đặt từ Slack",
        "• phân khúc *smb*",
    ),
}
ENGLISH_HOW_TOS = ("To make an alert", "To subscribe", "To set a target", "I could not")
_EXAMPLE = re.compile(r"`/funnel ([^`]+)`")


@pytest.fixture
def admin_app(store: Store, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    seed_rates(store)
    with running_app(store, fake_slack, access=AccessRules(admins=["UADMIN09"])) as running:
        yield running


def ask(app: RunningApp, text: str) -> str:
    """`/funnel TEXT` typed by an admin in #growth; the reply's text."""
    count = len(app.fake.calls("response_url")) + 1
    slash(app, text, user="UADMIN09")
    return text_of(replies(app, count)[count - 1])


@pytest.mark.parametrize("language", ["th", "vi"])
def test_how_tos_and_refusals_are_in_the_users_language_and_their_examples_work(
    admin_app: RunningApp, store: Store, fake_slack: FakeSlack, language: str
) -> None:
    examples: dict[str, None] = {}  # in the order given, once each
    for command, fragments in LOCAL_REPLIES[language]:
        reply = ask(admin_app, command)
        assert all(fragment in reply for fragment in fragments), (command, reply)
        assert not any(english in reply for english in ENGLISH_HOW_TOS), (command, reply)
        examples |= dict.fromkeys(_EXAMPLE.findall(reply))
    assert len(examples) == 5  # an alert, a subscription, two targets set and one cleared
    answers = [ask(admin_app, example) for example in examples]
    assert not any(how in answer for answer in answers for how in ENGLISH_HOW_TOS), answers
    listing, line, cleared, driver = LOCAL_AFTERWARDS[language]
    assert line in ask(admin_app, listing)
    assert cleared in answers[-1]
    admin_app.settle()
    checker = checker_for(
        Settings(
            database_url=store.url,
            slack_bot_token=BOT_TOKEN,
            slack_api_url=fake_slack.base_url,
            timezone="Europe/Berlin",
        ),
        store.engine,
        {},
        clock=lambda: datetime(2026, 12, 1, tzinfo=UTC),
        sleep=lambda _: None,
    )
    checker.check(as_of_after(3))
    [fired] = [item for item in fake_slack.messages(GROWTH) if item.get("metadata")]
    assert driver in json.dumps(fired["blocks"], ensure_ascii=False)
