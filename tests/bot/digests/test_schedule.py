"""Schedules: both forms, clear errors, wall-clock fire times across DST switches."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digests.schedule import last_fire_at_or_before, parse_schedule

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def fires(text: str, zone: ZoneInfo, start: datetime, count: int) -> list[datetime]:
    trigger = parse_schedule(text).trigger(zone)
    found: list[datetime] = []
    previous = None
    now = start
    for _ in range(count):
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        found.append(fire)
        previous, now = fire, fire + timedelta(seconds=1)
    return found


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ("mon 09:00", ("0", "9", "mon")),
        ("Mon 9:05", ("5", "9", "mon")),
        ("mon-fri 08:30", ("30", "8", "mon-fri")),
        ("daily 07:00", ("0", "7", "*")),
        ("0 9 * * mon", ("0", "9", "mon")),
        ("0 9 * * 1", ("0", "9", "mon")),  # cron counts from Sunday = 0
        ("30 8 * * 0", ("30", "8", "sun")),
        ("0 9 * * 1-5", ("0", "9", "mon-fri")),
    ],
)
def test_both_forms_are_read(text: str, fields: tuple[str, str, str]) -> None:
    schedule = parse_schedule(text)
    assert (schedule.minute, schedule.hour, schedule.day_of_week) == fields
    assert schedule.text == text


@pytest.mark.parametrize("text", ["mon 9", "monday 09:00", "mon 24:00", "0 25 * * *", "", "* *"])
def test_unreadable_schedules_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=re.escape(f'cannot read "{text}"')):
        parse_schedule(text)


def test_berlin_spring_forward_keeps_nine_o_clock() -> None:
    found = fires("mon 09:00", BERLIN, datetime(2026, 3, 20, tzinfo=BERLIN), 3)
    assert [fire.strftime("%Y-%m-%d %H:%M") for fire in found] == [
        "2026-03-23 09:00",
        "2026-03-30 09:00",
        "2026-04-06 09:00",
    ]
    assert [fire.utcoffset() for fire in found] == [
        timedelta(hours=1),
        timedelta(hours=2),
        timedelta(hours=2),
    ]


def test_berlin_fall_back_keeps_nine_o_clock() -> None:
    found = fires("mon 09:00", BERLIN, datetime(2026, 10, 20, tzinfo=BERLIN), 2)
    assert [(fire.date().isoformat(), fire.hour, fire.utcoffset()) for fire in found] == [
        ("2026-10-26", 9, timedelta(hours=1)),
        ("2026-11-02", 9, timedelta(hours=1)),
    ]


def test_a_time_in_the_repeated_hour_fires_once() -> None:
    # 2026-10-25 02:30 happens twice in Berlin; the digest must not go out twice.
    found = fires("sun 02:30", BERLIN, datetime(2026, 10, 20, tzinfo=BERLIN), 3)
    assert [fire.date().isoformat() for fire in found] == ["2026-10-25", "2026-11-01", "2026-11-08"]


def test_a_time_in_the_skipped_hour_fires_once_that_day() -> None:
    # 2026-03-29 02:30 does not exist in Berlin: the run happens once, not zero times.
    found = fires("sun 02:30", BERLIN, datetime(2026, 3, 22, 3, 0, tzinfo=BERLIN), 3)
    assert [fire.date().isoformat() for fire in found] == ["2026-03-29", "2026-04-05", "2026-04-12"]


@pytest.mark.parametrize(
    ("start", "expected"),
    [
        (datetime(2026, 3, 5), ["2026-03-09 08:30-04:00", "2026-03-16 08:30-04:00"]),  # 8 Mar
        (datetime(2026, 10, 28), ["2026-11-02 08:30-05:00", "2026-11-09 08:30-05:00"]),  # 1 Nov
    ],
)
def test_new_york_across_both_switches(start: datetime, expected: list[str]) -> None:
    found = fires("mon 08:30", NEW_YORK, start.replace(tzinfo=NEW_YORK), 2)
    assert [fire.isoformat(sep=" ", timespec="minutes") for fire in found] == expected


def test_last_fire_before_now() -> None:
    trigger = parse_schedule("mon 09:00").trigger(BERLIN)
    monday_ten = datetime(2026, 11, 23, 10, 0, tzinfo=BERLIN)
    monday_eight = datetime(2026, 11, 23, 8, 0, tzinfo=BERLIN)
    assert last_fire_at_or_before(trigger, monday_ten) == datetime(2026, 11, 23, 9, tzinfo=BERLIN)
    assert last_fire_at_or_before(trigger, monday_eight) == datetime(2026, 11, 16, 9, tzinfo=BERLIN)
