"""A Digest as Block Kit (one message per channel) and as terminal text (`--dry-run`).

Both renderers read the same `LineView`s, so the preview says what Slack will show.
Restricted metrics (`[access]`) are replaced by a note in channels outside
`restricted_channels`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from bot import i18n
from bot.digests.builder import Badge, Digest, DigestLine
from bot.digests.texts import Labels
from bot.i18n.formats import active_formatter
from bot.i18n.formatting import arrow, format_change, format_range, format_value, sparkline
from bot.i18n.messages import Wording
from bot.render.blocks import (
    MAX_BLOCKS,
    MAX_SECTION_TEXT,
    Block,
    FollowUp,
    SlackMessage,
    actions,
    context,
    divider,
    header,
    question_buttons,
    section,
)
from bot.render.charts import Chart, funnel_chart
from metrics.answers import BenchmarkStatus

__all__ = [
    "METADATA_EVENT",
    "DeliveryTag",
    "LineView",
    "digest_chart",
    "digest_message",
    "digest_text",
    "has_chart",
    "line_view",
]

METADATA_EVENT = "funnelbot_digest"
BADGES = {Badge.OK: "✅", Badge.WARN: "⚠️", Badge.NONE: "▫️"}
SLACK_DIRECTION = {True: "🟢", False: "🔴", None: "⚪"}
TERMINAL_DIRECTION = {True: "green", False: "red", None: "dim"}
HIDDEN_BADGE = "🔒"
FALLBACK_METRIC = "mql_to_sql"


@dataclass(frozen=True, slots=True)
class DeliveryTag:
    """What identifies a posted digest in Slack (message metadata) and in the ledger."""

    audience: str
    channel: str
    week: str

    def metadata(self) -> dict[str, Any]:
        return {
            "event_type": METADATA_EVENT,
            "event_payload": {
                "audience": self.audience,
                "channel": self.channel,
                "week": self.week,
            },
        }

    def matches(self, metadata: object) -> bool:
        return isinstance(metadata, dict) and metadata == self.metadata()


@dataclass(frozen=True, slots=True)
class LineView:
    """One metric line in words: shared by the Slack and the terminal renderer."""

    badge: str
    label: str
    value: str
    change: str
    better: bool | None
    note: str
    spark: str


def line_view(line: DigestLine, hidden: frozenset[str]) -> LineView:
    answer = line.answer
    if answer.metric in hidden:
        return LineView(HIDDEN_BADGE, answer.label, Labels.HIDDEN, "", None, "", "")
    return LineView(
        badge=BADGES[line.badge],
        label=answer.label,
        value=_value_text(line),
        change=_change_text(line),
        better=None if answer.comparison is None else answer.comparison.better,
        note=_badge_note(line),
        spark=sparkline(line.trend),
    )


def _value_text(line: DigestLine) -> str:
    answer = line.answer
    if answer.value is not None:
        return format_value(answer.value, answer.unit, answer.currency)
    if not answer.inputs or all(value is None for value in answer.inputs.values()):
        return Labels.NO_VALUE
    return Labels.NOT_COMPUTABLE.format(reason=answer.reason)


def _change_text(line: DigestLine) -> str:
    answer, comparison = line.answer, line.answer.comparison
    if comparison is None or answer.value is None:
        return ""
    if comparison.change is None:
        return Labels.NO_CHANGE.format(reason=comparison.reason or Labels.NO_VALUE)
    change = format_change(comparison.change, comparison.change_pct, answer.unit, answer.currency)
    return Labels.VERSUS_BEFORE.format(arrow=arrow(comparison.change, answer.unit), change=change)


def _change_only(line: DigestLine) -> str:
    answer, comparison = line.answer, line.answer.comparison
    if comparison is None:
        return ""
    return format_change(comparison.change, comparison.change_pct, answer.unit, answer.currency)


def _badge_note(line: DigestLine) -> str:
    answer = line.answer
    if line.badge is Badge.NONE:
        return ""
    if answer.target is not None:
        shown = format_range(answer.target.min, answer.target.max, answer.unit, answer.currency)
        template = Labels.TARGET_MET if answer.target.met else Labels.TARGET_MISSED
        return template.format(range=shown)
    check = next(
        (item for item in answer.benchmarks if item.status is not BenchmarkStatus.WITHIN),
        answer.benchmarks[0],
    )
    shown = format_range(check.low, check.high, answer.unit, answer.currency)
    if check.status is BenchmarkStatus.WITHIN:
        return Labels.BENCHMARK_WITHIN.format(range=shown)
    status = Labels.RANGE_STATUS[check.status.value].lower()
    return Labels.BENCHMARK_OUTSIDE.format(status=status, range=shown)


# --- words shared by both renderers ---------------------------------------------------


def _header_text(digest: Digest) -> str:
    return Labels.HEADER.format(title=digest.title, week=digest.iso_week)


def _week_text(digest: Digest) -> str:
    week, formatter = digest.week, active_formatter()
    return Labels.WEEK.format(
        week=digest.iso_week,
        start=formatter.week_edge(week.start),
        end=f"{formatter.week_edge(week.end)} {week.end.year}",
        zone=digest.zone,
    )


def _attention(digest: Digest, hidden: frozenset[str]) -> list[str]:
    items = [
        Labels.OFF_TARGET.format(
            label=line.answer.label, value=_value_text(line), why=_badge_note(line)
        )
        for line in digest.off_target
        if line.metric not in hidden
    ]
    items += [
        Labels.WRONG_WAY.format(label=line.answer.label, change=_change_only(line))
        for line in digest.wrong_way
        if line.metric not in hidden and line not in digest.off_target
    ]
    if digest.funnel.biggest_leak is not None:
        items.append(Labels.LEAK.format(reason=digest.funnel.leak_reason))
    items += [Labels.STILL_FIRING.format(name=name) for name in digest.still_firing]
    return items or [Labels.NOTHING_TO_FLAG]


def _no_data_text(digest: Digest) -> str:
    if digest.empty_store:
        return Wording.EMPTY_STORE
    return Labels.NO_DATA_WEEK.format(start=digest.week.start, end=digest.week.end)


# --- Slack ---------------------------------------------------------------------------


def digest_message(digest: Digest, hidden: frozenset[str] = frozenset()) -> SlackMessage:
    """The Block Kit message for one channel (within Slack's block and text limits)."""
    with i18n.use_language(digest.language):
        return _digest_message(digest, hidden)


def _digest_message(digest: Digest, hidden: frozenset[str]) -> SlackMessage:
    blocks: list[Block] = [header(_header_text(digest)), context(_week_text(digest))]
    if not digest.has_data:
        blocks.append(section(f"_{_no_data_text(digest)}_"))
    for part in digest.sections:
        rows = [_slack_line(line_view(line, hidden)) for line in part.lines]
        blocks += [divider(), *_sections(f"*{part.title}*", rows)]
    bullets = [f"• {item}" for item in _attention(digest, hidden)]
    blocks += [divider(), *_sections(f"*{Labels.ATTENTION}*", bullets)]
    blocks.append(actions(question_buttons(_followups(digest, hidden), _asked_on(digest))))
    fallback = Labels.FALLBACK.format(title=digest.title, week=_week_text(digest))
    return SlackMessage(fallback, tuple(blocks[:MAX_BLOCKS]))


def _slack_line(view: LineView) -> str:
    parts = [f"{view.badge} *{view.label}*: {view.value}"]
    if view.change:
        parts.append(f"{SLACK_DIRECTION[view.better]} {view.change}")
    if view.note:
        parts.append(f"_{view.note}_")
    if view.spark.strip():
        parts.append(f"`{view.spark}`")
    return " · ".join(parts)


def _sections(title: str, rows: Sequence[str]) -> list[Block]:
    """`rows` under `title`, split over as many sections as the text limit needs."""
    blocks: list[Block] = []
    current = title
    for row in rows:
        if len(current) + 1 + len(row) > MAX_SECTION_TEXT:
            blocks.append(section(current))
            current = row
        else:
            current = f"{current}\n{row}"
    blocks.append(section(current))
    return blocks


def _followups(digest: Digest, hidden: frozenset[str]) -> list[FollowUp]:
    candidates = [line.metric for line in (*digest.off_target, *digest.lines)]
    subject = next((item for item in candidates if item not in hidden), FALLBACK_METRIC)
    return [
        FollowUp(Labels.ASK, Labels.ASK_QUESTION),
        FollowUp(Labels.BREAK_DOWN, Labels.BREAK_DOWN_QUESTION.format(metric=subject)),
    ]


def _asked_on(digest: Digest) -> date:
    # "last week" asked the day after the digest's week is that week.
    return digest.week.end + timedelta(days=1)


def has_chart(digest: Digest) -> bool:
    """Whether the digest comes with a chart: any stage of the funnel has a volume."""
    return any(stage.volume.value for stage in digest.funnel.stages)


def digest_chart(digest: Digest) -> Chart | None:
    """The funnel of the week as a PNG, when there is one to draw."""
    return funnel_chart(digest.funnel, digest.language) if has_chart(digest) else None


# --- terminal ------------------------------------------------------------------------


def digest_text(digest: Digest, hidden: frozenset[str] = frozenset()) -> RenderableType:
    """The same digest for a terminal (`funnelbot digest --dry-run`, `funnelbot demo`)."""
    with i18n.use_language(digest.language):
        return _digest_text(digest, hidden)


def _digest_text(digest: Digest, hidden: frozenset[str]) -> RenderableType:
    parts: list[RenderableType] = [
        Text(_header_text(digest), style="bold"),
        Text(_week_text(digest), style="dim"),
    ]
    if not digest.has_data:
        parts.append(Text(_no_data_text(digest), style="yellow"))
    for part in digest.sections:
        parts.append(Text(f"\n{part.title}", style="bold underline"))
        parts += [_terminal_line(line_view(line, hidden)) for line in part.lines]
    parts.append(Text(f"\n{Labels.ATTENTION}", style="bold underline"))
    parts += [Text(f"• {item}") for item in _attention(digest, hidden)]
    buttons = " ".join(f"[{item.label}]" for item in _followups(digest, hidden))
    parts.append(Text(f"\n{buttons}", style="cyan"))
    return Group(*parts)


def _terminal_line(view: LineView) -> Text:
    line = Text(f"{view.badge} ")
    line.append(view.label, style="bold")
    line.append(f": {view.value}")
    if view.change:
        line.append("  ")
        line.append(view.change, style=TERMINAL_DIRECTION[view.better])
    if view.note:
        line.append(f"  ({view.note})", style="dim")
    if view.spark.strip():
        line.append(f"  {view.spark}")
    return line
