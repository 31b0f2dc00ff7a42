"""When a subscription is answered, read from the words people type and said back in theirs.

`read_when` finds the schedule at the end of a subscription's text ("every weekday 9:00",
"daily at 8am", "every monday and thursday 9:30", "every month on the 1st 9:00", "weekly",
"9am") and turns it into a schedule `bot.digests.schedule.parse_schedule` reads: "mon-fri
09:00", "mon,thu 09:30", "daily 08:00", or the cron fields "0 9 1 * *" for a day of the
month. APScheduler's CronTrigger then computes the slots in `FUNNELBOT_TIMEZONE`.
Without a time the slot is at `DEFAULT_TIME`; without days, every day; "weekly" is on
Mondays and "monthly" on the 1st. `describe` says a stored schedule in the active language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.alerts.texts import SubscriptionReplies
from bot.digests.schedule import Schedule, parse_schedule
from bot.i18n import active_language
from bot.i18n.formats import format_weekdays

__all__ = ["DEFAULT_TIME", "Found", "describe", "read_when"]

DEFAULT_TIME = (9, 0)
_DAY_WORDS = {
    "monday": "mon", "mon": "mon", "tuesday": "tue", "tues": "tue", "tue": "tue",
    "wednesday": "wed", "wed": "wed", "thursday": "thu", "thurs": "thu", "thur": "thu",
    "thu": "thu", "friday": "fri", "fri": "fri", "saturday": "sat", "sat": "sat",
    "sunday": "sun", "sun": "sun",
}  # fmt: skip
_WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY = "(?:" + "|".join(sorted(_DAY_WORDS, key=len, reverse=True)) + ")s?"
_EVERY = r"(?:(?:every|each|on)\s+)?"
_TIME = re.compile(
    r"(?:^|\s)(?:at\s+|@\s*)?(?:(?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<half>am|pm)?"
    r"|(?P<bare>\d{1,2})\s*(?P<bare_half>am|pm)|(?<=at\s)(?P<at>\d{1,2})(?!\s*(?:st|nd|rd|th))"
    r"|(?P<noon>noon|midday)|(?P<midnight>midnight))(?=\s|$)"
)
_DAILY = re.compile(r"(?:every|each)\s+day|daily|everyday|every\s+morning")
_WEEKDAYS = re.compile(
    rf"{_EVERY}(?:week\s?days?|working\s+days?|business\s+days?|work\s?days?)"
    rf"|{_EVERY}(?:mon|monday)\s*(?:-|–|to|through|thru)\s*(?:fri|friday)"
)
_WEEKENDS = re.compile(rf"{_EVERY}weekends?(?:\s+days?)?")
_WEEKLY = re.compile(r"weekly|(?:every|each|once\s+a)\s+week")
_DAYS = re.compile(
    rf"(?:(?:weekly|(?:every|each)\s+week)\s+on\s+)?{_EVERY}(?P<days>{_DAY}"
    rf"(?:\s*(?:,|and|&|,\s*and)?\s*{_EVERY}{_DAY})*)"
)
_ORDINAL = (
    r"(?:(?P<{name}>\d{{1,2}})(?:st|nd|rd|th)|(?P<{name}_first>first)"
    r"|(?P<{name}_last>last\s+day))"
)
_MONTHLY = re.compile(
    r"(?:monthly|(?:every|each|once\s+a)\s+month)"
    rf"(?:\s+on\s+(?:the\s+)?{_ORDINAL.format(name='a')})?"
    rf"|(?:on\s+)?(?:the\s+)?{_ORDINAL.format(name='b')}\s+of\s+(?:every|each|the)\s+month"
    rf"|(?:every|each)\s+{_ORDINAL.format(name='c')}(?:\s+of\s+the\s+month)?"
)
_NAMED_DAYS = ((_DAILY, "daily"), (_WEEKDAYS, "mon-fri"), (_WEEKENDS, "sat,sun"), (_WEEKLY, "mon"))
_STARTS_A_SCHEDULE = re.compile(r"(?:every|each)\s")
_WORD = re.compile(r"[a-z]+")
_LAST_DAY = "last"
_MAX_DAY = 31


@dataclass(frozen=True, slots=True)
class Found:
    """The schedule read, as stored, and the text before it (the question)."""

    schedule: str
    question: str


def read_when(text: str) -> Found | None:
    """The schedule the end of `text` names and what comes before it; None if none."""
    cleaned = " ".join(text.split())
    lowered = cleaned.lower()
    for start in (found.start() for found in re.finditer(r"(?<=\s)\S", lowered)):
        tail = lowered[start:]
        schedule = _schedule(tail)
        if schedule is not None:
            return Found(schedule, cleaned[:start].strip())
        if _STARTS_A_SCHEDULE.match(tail):
            return None  # "every caturday 9:00": a schedule, unreadable; not a bare "9:00"
    return None


def _schedule(tail: str) -> str | None:
    time = _TIME.search(tail)
    hour, minute = DEFAULT_TIME
    days_text = tail
    if time is not None:
        read = _time(time)
        if read is None:
            return None
        hour, minute = read
        days_text = (tail[: time.start()] + " " + tail[time.end() :]).strip(" ,")
    days_text = re.sub(r"\s+at$", "", days_text).strip()
    if not days_text and time is None:
        return None
    days = _days(days_text)
    if days is None:
        return None
    if days.startswith("month:"):
        return f"{minute} {hour} {days.removeprefix('month:')} * *"
    return f"{days} {hour:02d}:{minute:02d}"


def _time(found: re.Match[str]) -> tuple[int, int] | None:
    if found["noon"]:
        return 12, 0
    if found["midnight"]:
        return 0, 0
    hour = int(found["hour"] or found["bare"] or found["at"])
    minute = int(found["minute"] or 0)
    half = found["half"] or found["bare_half"]
    if half is not None and not 1 <= hour <= 12:
        return None
    if half == "pm" and hour < 12:
        hour += 12
    if half == "am" and hour == 12:
        hour = 0
    return (hour, minute) if hour <= 23 and minute <= 59 else None


def _days(text: str) -> str | None:
    """ "daily", "mon-fri", "mon,thu" or "month:1" ("month:last"); None if unreadable."""
    if not text:
        return "daily"
    for pattern, days in _NAMED_DAYS:
        if pattern.fullmatch(text):
            return days
    if (listed := _DAYS.fullmatch(text)) is not None:
        return _day_list(listed["days"])
    monthly = _MONTHLY.fullmatch(text)
    return None if monthly is None else _month_day(monthly)


def _day_list(text: str) -> str:
    """ "monday and thursday", "mon, wed & fri", "tuesdays" as "mon,thu"."""
    named = set()
    for word in _WORD.findall(text):
        day = _DAY_WORDS.get(word) or _DAY_WORDS.get(word.removesuffix("s"))
        if day is not None:
            named.add(day)
    return ",".join(day for day in _WEEK if day in named)


def _month_day(found: re.Match[str]) -> str | None:
    groups = found.groupdict()
    if any(groups[f"{name}_last"] for name in "abc"):
        return f"month:{_LAST_DAY}"
    number = next((groups[name] for name in "abc" if groups[name]), None)
    day = 1 if number is None else int(number)
    return f"month:{day}" if 1 <= day <= _MAX_DAY else None


def describe(stored: str) -> str:
    """A stored schedule in words, in the active language: "every Monday at 09:00"."""
    schedule = parse_schedule(stored)
    time = f"{int(schedule.hour):02d}:{int(schedule.minute):02d}"
    if schedule.day == _LAST_DAY:
        return SubscriptionReplies.WHEN_LAST_DAY.format(time=time)
    if schedule.day != "*":
        return SubscriptionReplies.WHEN_MONTHLY.format(day=schedule.day, time=time)
    return _weekly(schedule, time)


def _weekly(schedule: Schedule, time: str) -> str:
    if schedule.day_of_week == "*":
        return SubscriptionReplies.WHEN_DAILY.format(time=time)
    if schedule.day_of_week == "mon-fri":
        return SubscriptionReplies.WHEN_WEEKDAYS.format(time=time)
    days = format_weekdays(_weekdays(schedule.day_of_week), active_language())
    return SubscriptionReplies.WHEN_DAYS.format(days=days, time=time)


def _weekdays(field: str) -> list[int]:
    """ "mon,thu" or "mon-wed,fri" as the days it names (Monday = 0), in order."""
    days: set[int] = set()
    for part in field.split(","):
        first, _, last = part.partition("-")
        days.update(range(_WEEK.index(first), _WEEK.index(last or first) + 1))
    return sorted(days)
