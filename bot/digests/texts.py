"""Every sentence the digests show or log, in one place.

`Labels` read in the active language (`bot.i18n.use_language`); errors and log lines are
for operators and stay English.
"""

from __future__ import annotations

from types import MappingProxyType

from bot.i18n import translated

__all__ = ["DigestLog", "Errors", "Labels"]


@translated
class Labels:
    HEADER = "{title} digest · {week}"
    WEEK = "ISO week {week} · {start} – {end} ({zone})"
    SHARED_SECTION = "Shared KPIs (the same page for every team)"
    ATTENTION = "Needs attention"
    NOTHING_TO_FLAG = "Nothing needs attention: every metric is on target and none got worse."
    OFF_TARGET = "{label} is off target: {value} ({why})"
    WRONG_WAY = "{label} moved the wrong way: {change} vs the week before"
    LEAK = "Funnel: {reason}"
    STILL_FIRING = "Alert still firing: {name}"
    NO_DATA_WEEK = "No data for this week yet: no snapshots between {start} and {end}."
    NO_VALUE = "no data for this week yet"
    NOT_COMPUTABLE = "n/a ({reason})"
    HIDDEN = "restricted: ask in a DM or a revenue channel"
    VERSUS_BEFORE = "{arrow} {change} vs last week"
    NO_CHANGE = "no comparison (last week: {reason})"
    TARGET_MISSED = "team target {range}"
    TARGET_MET = "team target {range} met"
    BENCHMARK_OUTSIDE = "{status} the typical range {range}"
    BENCHMARK_WITHIN = "within the typical range {range}"
    # Capitalised as the answers' own status words (one translation); lower-cased in use.
    RANGE_STATUS = MappingProxyType({"below": "Below", "above": "Above"})
    ASK = "Ask about this"
    BREAK_DOWN = "Break down by channel"
    ASK_QUESTION = "funnel last week"
    BREAK_DOWN_QUESTION = "{metric} last week by channel"
    FALLBACK = "{title} digest for {week}"
    POSTED_TO = "would post to: {channels}"
    POSTED_NOWHERE = (
        "would post to: no channels yet (set channels in [digests.{audience}] of funnelbot.toml)"
    )
    CHART_NOTE = "chart: the funnel of the week (uploaded in the digest's thread)"


class Errors:
    SCHEDULE = 'cannot read "{text}" (use "mon 09:00" or a cron expression like "0 9 * * mon")'
    UNKNOWN_METRIC = "unknown metric {metric!r}"
    NO_DEFAULT_METRICS = (
        "required: defaults exist only for marketing and sales (use [] for the shared section only)"
    )
    UNKNOWN_AUDIENCE = "unknown audience {name!r}; known audiences: {known}"
    NO_CHANNELS = (
        'the {audience} digest has no channels to post to: set channels = ["C0123456789"] '
        "in [digests.{audience}] of funnelbot.toml (--dry-run previews it without)"
    )
    CHART_NEEDS_DRY_RUN = "--chart writes the digest's chart to a file only with --dry-run"
    NO_TOKEN = "SLACK_BOT_TOKEN is not set: digests cannot be posted (use --dry-run to preview)"
    SOME_FAILED = "{count} channel(s) failed: {channels}"
    ADMIN_DM = (
        ":warning: The {audience} digest for {week} could not be posted in {channel}: {error}"
    )


class DigestLog:
    SENT = "digest posted"
    ALREADY_SENT = "digest already delivered; skipped"
    BUSY = "digest being delivered by another process; skipped"
    RECOVERED = "digest found in the channel after an interrupted delivery; recorded as sent"
    FAILED = "digest delivery failed"
    ADMIN_DM_FAILED = "could not DM the admin about a failed digest"
    CHART_FAILED = "digest chart upload failed; the digest itself was delivered"
    RETRYING = "digest post failed transiently; checking the channel before retrying"
    WORKER_START = "digest worker started"
    WORKER_STOP = "digest worker stopping"
    CATCH_UP = "digest missed while the worker was down; sending it now"
    JOB_FAILED = "digest job failed"
