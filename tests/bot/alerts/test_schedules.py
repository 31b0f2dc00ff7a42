"""Schedules as people type them, said back in words, and their slots across DST; the
bot's seat in a channel read from the fake Slack."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient

from bot.alerts.membership import Membership, Seat, seat_reply
from bot.alerts.schedules import describe, read_when
from bot.digests.schedule import last_fire_at_or_before, parse_schedule
from bot.i18n import use_language
from bot.slack.channels import seat_of
from testkit.fakeslack import FakeSlack
from tests.bot.alerts.conftest import BOT_TOKEN

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("text", "question", "schedule", "words"),
    [
        ("cac by channel every monday 9:00", "cac by channel", "mon 09:00",
         "every Monday at 09:00"),
        ("sqls last week every weekday 8:30", "sqls last week", "mon-fri 08:30",
         "every weekday (Monday to Friday) at 08:30"),
        ("cac daily at 8am", "cac", "daily 08:00", "every day at 08:00"),
        ("cac every monday and thursday 9:30", "cac", "mon,thu 09:30",
         "every Monday and Thursday at 09:30"),
        ("cac every month on the 1st 9:00", "cac", "0 9 1 * *", "on day 1 of every month at 09:00"),
        ("cac weekly", "cac", "mon 09:00", "every Monday at 09:00"),
        ("cac 9am", "cac", "daily 09:00", "every day at 09:00"),
        ("cac last month every mon, wed and fri at 5:30pm", "cac last month", "mon,wed,fri 17:30",
         "every Monday, Wednesday, and Friday at 17:30"),
        ("cac every month on the last day 18:00", "cac", "0 18 last * *",
         "on the last day of every month at 18:00"),
    ],
)  # fmt: skip
def test_schedules_people_type_are_read_and_said_back(
    text: str, question: str, schedule: str, words: str
) -> None:
    found = read_when(text)
    assert found is not None and (found.question, found.schedule) == (question, schedule)
    assert describe(found.schedule) == words


@pytest.mark.parametrize(
    "text", ["cac by channel", "cac every caturday 9:00", "cac every monday 25:00", "cac 13pm"]
)
def test_unreadable_schedules_are_none(text: str) -> None:
    assert read_when(text) is None


def test_days_are_named_in_the_active_language() -> None:
    with use_language("vi"):
        assert "Thứ Hai và Thứ Năm" in describe("mon,thu 09:30")
    with use_language("th"):
        assert "วันจันทร์และวันพฤหัสบดี" in describe("mon,thu 09:30")


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # spring forward: 02:30 does not exist on 29 March; slotted once, an hour later
        (datetime(2026, 3, 29, 12, 0, tzinfo=BERLIN), datetime(2026, 3, 29, 3, 30, tzinfo=BERLIN)),
        # fall back: 02:30 happens twice on 25 October; slotted once, at the first
        (datetime(2026, 10, 25, 12, 0, tzinfo=BERLIN),
         datetime(2026, 10, 25, 2, 30, tzinfo=BERLIN)),
    ],
)  # fmt: skip
def test_a_daily_slot_falls_once_on_dst_days(now: datetime, expected: datetime) -> None:
    trigger = parse_schedule("daily 02:30").trigger(BERLIN)
    slot = last_fire_at_or_before(trigger, now)
    assert slot is not None and slot.timestamp() == expected.timestamp()


def test_the_bots_seat_is_read_from_slack(fake_slack: FakeSlack) -> None:
    fake_slack.add_channel("C0GROWTH", "growth", member=True)
    fake_slack.add_channel("C0SALES1", "sales", member=False)
    fake_slack.add_channel("G0SECRET", "secret", member=False, private=True)
    client = WebClient(token=BOT_TOKEN, base_url=fake_slack.base_url)
    assert seat_of(client, "C0GROWTH") == Seat("C0GROWTH", Membership.MEMBER)
    assert seat_of(client, "C0SALES1") == Seat("C0SALES1", Membership.NOT_MEMBER)
    assert seat_of(client, "G0SECRET").membership is Membership.NOT_MEMBER
    assert seat_of(client, "#growth") == Seat("C0GROWTH", Membership.MEMBER)
    assert seat_of(client, "#secret") == Seat("#secret", Membership.NOT_FOUND)
    fake_slack.fail_method("conversations.info", "missing_scope")
    assert seat_of(client, "C0GROWTH") == Seat("C0GROWTH", Membership.UNKNOWN, "missing_scope")


def test_replies_and_schedules_read_in_thai_and_vietnamese() -> None:
    with use_language("th"):
        assert describe("mon,thu 09:30") == "ทุกวันจันทร์และวันพฤหัสบดี เวลา 09:30"
        assert "เชิญฉันด้วย `/invite @funnelbot`" in str(
            seat_reply(Seat("C0GROWTH", Membership.NOT_MEMBER))
        )
    with use_language("vi"):
        assert describe("0 9 1 * *") == "ngày 1 hằng tháng lúc 09:00"
