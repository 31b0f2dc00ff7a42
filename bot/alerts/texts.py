"""Every sentence the alerts show or log, in one place.

`Labels` read in the active language (`bot.i18n.use_language`); errors and log lines are
for operators and stay English.
"""

from __future__ import annotations

from types import MappingProxyType

from bot.i18n import translated

__all__ = [
    "AlertLog",
    "Errors",
    "Labels",
    "Questions",
    "Replies",
    "SeatReplies",
    "SubscriptionReplies",
    "TargetReplies",
]


@translated
class Labels:
    FIRING_HEADER = "🚨 {label} alert: {name}"
    RECOVERED_HEADER = "✅ Back to normal: {name}"
    FIGURE = "*{label}*{scope} was *{value}* in {period} · time zone {zone}"
    RULE_BROKEN = "Rule: {rule} · broken"
    RULE_HOLDS = "Rule: {rule} · holds again"
    PREVIOUS = "The {every} before, {period}: {value} (change {change})"
    NO_PREVIOUS = "The {every} before, {period}: no value"
    DRIVERS = "What drove the change"
    NO_DRIVERS = "No channel or segment stands out in the change."
    DRIVER = "• {dimension} *{group}*: {previous} → {value} (contributed {share})"
    DRIVER_NO_SHARE = "• {dimension} *{group}*: {previous} → {value}"
    DIMENSION = MappingProxyType({"channel": "channel", "segment": "segment"})
    TREND = "Trend"
    BREAKDOWN = "Breakdown"
    FOOTER = "Checked on each complete {every}; posts again only when it recovers."
    STILL_FIRING = "Still firing"
    # Rules in words
    RULE_ABOVE = "above {value}"
    RULE_BELOW = "below {value}"
    RULE_DROPS = "drops {change} or more vs the {every} before"
    RULE_RISES = "rises {change} or more vs the {every} before"
    RULE_MISSES_TARGET = "misses the team target {target}"
    RULE_MISSES_NO_TARGET = "misses the team target"
    RULE_UNUSUAL = "outside its normal range {band}"
    RULE_UNUSUAL_UNKNOWN = "outside its normal range"
    EVERY = MappingProxyType({"day": "day", "week": "week", "month": "month"})


class Questions:
    """What the alert's buttons ask: the parser's English in every language (the answer
    is in the alert's language)."""

    TREND = "{metric} trend last 12 {every}s{scope}"
    BREAKDOWN = "{metric} last {every}{scope} by {dimension}"
    SCOPE = " for {names}"


class Errors:
    BAD_METRIC = "alerts.{name}.metric: unknown metric {metric!r}"
    BAD_RULE = "alerts.{name}.when: {error}"
    BAD_EVERY = "alerts.{name}.every: {every!r} is not day, week or month"
    BAD_WHERE = "alerts.{name}.where: {key!r} is not channel or segment"
    NO_CHANNELS = "alerts.{name}.channels: no channels"
    BAD_LANGUAGE = "alerts.{name}.language: {language!r} is not one of {supported}"
    BAD_NAME = "alerts.{name}: a name is at most {limit} characters"
    RESTRICTED = (
        "alerts.{name}.channels: {metric} is restricted ([access]) "
        "and cannot be posted to {channels}"
    )
    INVALID = "invalid configuration:\n{problems}"
    ADMIN_DM = (
        "Alert {name} ({period}) could not be posted to {channel}: {error}. "
        "The other alerts and channels were not affected."
    )
    SUBSCRIPTION_ADMIN_DM = (
        "Subscription #{id} could not be delivered to {channel}: {error}. "
        "The next slot is tried as usual."
    )
    NO_TOKEN = "SLACK_BOT_TOKEN is not set: alerts cannot be posted (try --dry-run)"
    SOME_FAILED = "{count} alert delivery(ies) failed: {deliveries}"
    NO_ALERTS = (
        "no alerts are configured: add an [alerts.NAME] table to funnelbot.toml "
        "or make one in Slack with /funnel alert"
    )
    WAITING = "waiting for the {sources} sync to cover {end}"


class AlertLog:
    FIRED = "alert fired"
    RECOVERED = "alert recovered"
    QUIET = "alert unchanged"
    SENT = "alert posted"
    FAILED = "alert could not be posted"
    ALREADY_SENT = "alert already posted"
    BUSY = "alert being posted by another process"
    FOUND = "alert found in the channel after an interrupted post"
    JOB_FAILED = "alerts check failed"
    WAITING = "alert waits for the day's syncs"


@translated
class Replies:
    """What `/funnel alert …` and `/funnel alerts` answer."""

    SAVED = (
        "Alert *{name}* saved: {figure} {rule}, checked on each complete {every} and posted "
        "in {channel} when it starts and when it recovers."
    )
    HOW = (
        "To make an alert, say what to watch, the rule and how often: "
        "`{command} alert when mql to sql for paid search drops below 30% weekly`. "
        "Rules: above X, below X, drops N%, rises N%, misses target, unusual; "
        "daily, weekly (the default) or monthly."
    )
    NO_RULE = "I could not find the rule in “{text}”."
    NO_FIGURE = "I could not tell which figure to watch in “{text}”: {reason}"
    NOT_ONE_FIGURE = "An alert watches one figure for the whole period; “{text}” asks {what}."
    RESTRICTED = "{metric} is restricted here: make this alert in a revenue channel."
    LIST_HEADER = "Alerts"
    NONE = "No alerts yet."
    FROM_FILE = "from funnelbot.toml"
    MADE_BY = "made by <@{user}> in {channel}"
    PAUSED = "paused"
    LINE = "*{name}*: {figure} {rule}, every {every}, posted in {channels} · {origin}"
    PAUSE = "Pause"
    RESUME = "Resume"
    DELETE = "Delete"
    NOT_FOUND = "That alert no longer exists."
    NOT_YOURS = "Only the person who made an alert, or an admin, can change it."


@translated
class TargetReplies:
    """What `/funnel target …` and `/funnel targets` answer."""

    SET = (
        "Target for {figure} is now {new} (was {old}). Answers, digests and `misses target` "
        "alerts use it from now on."
    )
    CLEARED = "The target set from Slack for {figure} is cleared (was {old}); now {now}."
    NONE_BEFORE = "none"
    FROM_FILE = "from funnelbot.toml"
    HOW = (
        "To set a target, name the figure, min or max and the number, and optionally a "
        "channel or segment: `{command} target cac max 500 for paid search`, "
        "`{command} target mql to sql min 30%`; `{command} target cac clear for paid search` "
        "removes one set from Slack."
    )
    NO_BOUND = "I could not find min or max and a number in “{text}”."
    NO_FIGURE = "I could not tell which figure “{text}” sets a target for: {reason}"
    ONE_SCOPE = "A target is for one figure, with at most one channel and one segment."
    ADMINS_ONLY = "Only the admins listed in [access] admins can set targets."
    LIST_HEADER = "Targets"
    NO_TARGETS = "No targets yet."
    LINE = "{figure}: {range} · {origin}"
    SET_BY = "set by <@{user}>"


@translated
class SeatReplies:
    """Whether the bot can post where an alert or a subscription is made for."""

    NOT_MEMBER = (
        "I am not in {channel}, so nothing could be posted there: invite me there with "
        "`/invite @funnelbot` (in {channel}), then try again. Nothing was saved."
    )
    NOT_FOUND = (
        "I cannot find {channel}: check its name, or, for a private channel, invite me there "
        "with `/invite @funnelbot` first, then try again. Nothing was saved."
    )
    UNCHECKED = (
        "I could not check that I am in {channel} ({reason}). If I am not, invite me there "
        "with `/invite @funnelbot`, or the posts will fail (and the admin is told)."
    )


@translated
class SubscriptionReplies:
    """What `/funnel subscribe …` and `/funnel subscriptions` answer."""

    SAVED = (
        "Subscribed: “{question}” will be answered in {channel} {when} ({zone}), "
        "as the question would be answered then."
    )
    HOW = (
        "To subscribe, give the question and when: "
        "`{command} subscribe cac by channel every monday 9:00` (here) or add "
        "`in #channel`."
    )
    NO_WHEN = (
        "I could not find when to answer in “{text}”: end it with when, as in "
        "`every monday 9:00`, `every weekday 8:30`, `daily at 8am`, "
        "`every monday and thursday 9:30`, `every month on the 1st 9:00` or `weekly`."
    )
    NOT_A_QUESTION = "I could not read “{text}” as a question: {reason}"
    RESTRICTED = "That answer shows restricted figures, which {channel} may not receive."
    LIST_HEADER = "Subscriptions"
    NONE = "No subscriptions yet."
    LINE = "*#{id}* “{question}” · {when} in {channel} · made by <@{user}>{paused}"
    PAUSED = " · paused"
    PAUSE = "Pause"
    RESUME = "Resume"
    DELETE = "Delete"
    NOT_FOUND = "That subscription no longer exists."
    NOT_YOURS = "Only the person who made a subscription, or an admin, can change it."
    WHEN_DAILY = "every day at {time}"
    WHEN_WEEKDAYS = "every weekday (Monday to Friday) at {time}"
    WHEN_DAYS = "every {days} at {time}"
    WHEN_MONTHLY = "on day {day} of every month at {time}"
    WHEN_LAST_DAY = "on the last day of every month at {time}"
    REFUSED_AT_DELIVERY = (
        "The subscription “{question}” was not answered here: it shows restricted figures."
    )
