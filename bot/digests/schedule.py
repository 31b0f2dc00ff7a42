"""Digest schedules: "mon 09:00" or a cron expression, as wall-clock triggers.

APScheduler's CronTrigger fires twice on the autumn switch day for a time inside the
repeated hour (once per UTC offset); `WallClockTrigger` skips the second one, so a
wall-clock schedule fires once per local day whatever the offset does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

from bot.digests.texts import Errors

__all__ = ["Schedule", "WallClockTrigger", "last_fire_at_or_before", "parse_schedule"]

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_CRON_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")  # cron: 0 and 7 are Sunday
_DAY_LIST = rf"(?:{'|'.join(_DAYS)})(?:[-,](?:{'|'.join(_DAYS)}))*"
_SIMPLE = re.compile(rf"^(?P<days>{_DAY_LIST}|daily)\s+(?P<hour>\d{{1,2}}):(?P<minute>\d{{2}})$")
_CRON_FIELDS = 5
_LOOKBACK = timedelta(days=8)
_STEP = timedelta(seconds=1)
_HOUR = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Schedule:
    """A parsed schedule: the cron fields APScheduler needs, and the text it came from."""

    text: str
    minute: str
    hour: str
    day_of_week: str
    day: str = "*"
    month: str = "*"

    def trigger(self, zone: tzinfo) -> WallClockTrigger:
        return WallClockTrigger(
            month=self.month,
            day=self.day,
            day_of_week=self.day_of_week,
            hour=self.hour,
            minute=self.minute,
            timezone=zone,
        )


class WallClockTrigger(CronTrigger):  # type: ignore[misc]  # APScheduler 3 has no types
    """A CronTrigger that fires at most once per local wall-clock time."""

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        candidate: datetime | None = super().get_next_fire_time(previous_fire_time, now)
        if candidate is None or previous_fire_time is None:
            return candidate
        if _wall(candidate) != _wall(previous_fire_time):
            return candidate
        # The second pass through a repeated hour: look again from the end of that hour
        # (without `previous_fire_time`, from which APScheduler would start over).
        hour_after = _wall(candidate).replace(minute=0, second=0, microsecond=0) + _HOUR
        later: datetime | None = super().get_next_fire_time(
            None, hour_after.replace(tzinfo=candidate.tzinfo)
        )
        return later


def _wall(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None, fold=0)


def parse_schedule(text: str) -> Schedule:
    """ValueError with a one-line reason when `text` is neither form."""
    cleaned = " ".join(text.strip().lower().split())
    schedule = _simple(cleaned) or _cron(cleaned)
    if schedule is None:
        raise ValueError(Errors.SCHEDULE.format(text=text))
    try:
        schedule.trigger(UTC)
    except ValueError as error:
        raise ValueError(Errors.SCHEDULE.format(text=text)) from error
    return replace(schedule, text=text)


def _simple(text: str) -> Schedule | None:
    found = _SIMPLE.match(text)
    if found is None:
        return None
    hour, minute = int(found["hour"]), int(found["minute"])
    if hour > 23 or minute > 59:
        return None
    days = "*" if found["days"] == "daily" else found["days"]
    return Schedule(text, str(minute), str(hour), days)


def _cron(text: str) -> Schedule | None:
    fields = text.split(" ")
    if len(fields) != _CRON_FIELDS:
        return None
    minute, hour, day, month_, day_of_week = fields
    return Schedule(text, minute, hour, _named_days(day_of_week), day, month_)


def _named_days(field: str) -> str:
    """Cron counts days from Sunday = 0; APScheduler from Monday = 0: use names."""

    def name(found: re.Match[str]) -> str:
        number = int(found[0])
        return _CRON_DAYS[number] if number < len(_CRON_DAYS) else found[0]

    return re.sub(r"(?<![/\d])\d+", name, field)


def last_fire_at_or_before(trigger: CronTrigger, now: datetime) -> datetime | None:
    """The latest fire time not after `now` within the last 8 days (weekly schedules)."""
    latest: datetime | None = None
    previous: datetime | None = None
    moment = now - _LOOKBACK
    while True:
        fire: datetime | None = trigger.get_next_fire_time(previous, moment)
        if fire is None or fire > now:
            return latest
        latest = previous = fire
        moment = fire + _STEP
