"""A question in, a Slack message out: `bot.answers.conversation.respond`, then Block Kit.

`Answerer` holds what every listener needs (store, metrics context, clock, access
policy) and caches the channel and segment names the parser recognises.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import assert_never
from zoneinfo import ZoneInfo

from cachetools import TTLCache
from sqlalchemy import Engine

from bot.answers.conversation import known_values, respond
from bot.answers.replies import Answered, CatalogReply, HelpReply, Refusal, Reply
from bot.core.access import AccessPolicy
from bot.i18n import Language, gettext, use_language
from bot.i18n.messages import EXAMPLES_HEADING, Wording
from bot.parser import KnownValues
from bot.render.blocks import (
    SHARE_ACTION,
    Block,
    ButtonQuestion,
    FollowUp,
    SlackMessage,
    actions,
    button,
    context,
    definition_line,
    escaped,
    explain_blocks,
    funnel_blocks,
    header,
    metric_blocks,
    question_buttons,
    section,
    trend_blocks,
)
from bot.render.charts import Chart, chart_for
from bot.slack.followups import followups_for
from bot.slack.texts import Buttons
from metrics.answers import ExplainAnswer, FunnelAnswer, MetricAnswer, TrendAnswer
from metrics.engine import MetricsContext
from metrics.periods import local_today

__all__ = ["Answerer", "Outgoing", "metric_ids_of", "render_reply"]

KNOWN_VALUES_SECONDS = 60.0
_KNOWN = "known"  # the one key of the channel and segment names' cache
MAX_CATALOG_LINES = 30


@dataclass(frozen=True)
class Outgoing:
    """A rendered reply, the metrics it reveals (for access rules) and its chart."""

    reply: Reply
    message: SlackMessage
    metric_ids: tuple[str, ...]

    @cached_property
    def chart(self) -> Chart | None:
        """Drawn only when a destination can show it."""
        if not isinstance(self.reply, Answered):
            return None
        return chart_for(self.reply.answer, self.reply.currency, self.reply.language)


class Answerer:
    """Answers questions for the listeners; `today()` reads the injected clock."""

    def __init__(
        self,
        engine: Engine,
        *,
        metrics: MetricsContext,
        policy: AccessPolicy,
        clock: Callable[[], datetime],
        zone: ZoneInfo,
        command: str,
    ) -> None:
        self.engine = engine
        self.command = command
        self.metrics = metrics
        self.policy = policy
        self.clock = clock
        self._zone = zone
        self._known: TTLCache[str, KnownValues] = TTLCache(maxsize=1, ttl=KNOWN_VALUES_SECONDS)
        self._lock = threading.Lock()

    def today(self) -> date:
        return local_today(self._zone, self.clock())

    def known(self) -> KnownValues:
        """Channel and segment names, re-read at most once a minute."""
        with self._lock:
            cached = self._known.get(_KNOWN)
        if cached is not None:
            return cached
        found = known_values(self.engine)
        with self._lock:
            self._known[_KNOWN] = found
        return found

    def answer(
        self, question: str, asked_on: date, *, share: bool, language: Language | None = None
    ) -> Outgoing:
        reply = respond(
            question,
            engine=self.engine,
            context=self.metrics,
            today=asked_on,
            known=self.known(),
            language=language,
        )
        message = render_reply(reply, asked_on, share=share)
        return Outgoing(reply, message, metric_ids_of(reply))


def metric_ids_of(reply: Reply) -> tuple[str, ...]:
    """Every metric whose figure the reply shows."""
    if not isinstance(reply, Answered):
        return ()
    found = reply.answer
    match found:
        case MetricAnswer():
            return (found.metric, *(item.metric for item in found.related))
        case FunnelAnswer():
            return tuple(
                stage_answer.metric
                for stage in found.stages
                for stage_answer in (stage.volume, stage.conversion)
                if stage_answer is not None
            )
        case ExplainAnswer():
            return (found.metric, *(item.metric for item in found.components))
        case TrendAnswer():
            return (found.metric,)
        case _:
            assert_never(found)


def render_reply(reply: Reply, asked_on: date, *, share: bool) -> SlackMessage:
    """Block Kit for any reply, in its language; `share` adds the "Share in channel" button."""
    with use_language(reply.language):
        match reply:
            case Answered():
                return _answered(reply, asked_on, share)
            case Refusal():
                return _refusal(reply, asked_on)
            case HelpReply():
                return _help(reply, asked_on)
            case CatalogReply():
                return _catalog(reply)
            case _:
                assert_never(reply)


def _answer_blocks(reply: Answered) -> list[Block]:
    found = reply.answer
    match found:
        case MetricAnswer():
            return metric_blocks(found)
        case FunnelAnswer():
            return funnel_blocks(found)
        case TrendAnswer():
            return trend_blocks(found, reply.currency)
        case ExplainAnswer():
            return explain_blocks(found)
        case _:
            assert_never(found)


def _answered(reply: Answered, asked_on: date, share: bool) -> SlackMessage:
    blocks = _answer_blocks(reply)
    if reply.empty_store:
        blocks.append(section(escaped(f":information_source: {Wording.EMPTY_STORE}")))
    lines = [escaped(f"{Wording.UNDERSTOOD} {reply.understood}"), *map(escaped, reply.notes)]
    if reply.query.metric is not None and not isinstance(reply.answer, ExplainAnswer):
        lines.append(definition_line(reply.query.metric))
    blocks.append(context(*lines))
    buttons = question_buttons(followups_for(reply.query), asked_on, reply.language)
    if share:
        value = ButtonQuestion(reply.question, asked_on, reply.language).to_value()
        buttons.insert(0, button(Buttons.SHARE, SHARE_ACTION, value, primary=True))
    if buttons:
        blocks.append(actions(buttons))
    return SlackMessage(_fallback(blocks), tuple(blocks))


def _fallback(blocks: list[Block]) -> str:
    """Notification text: the headline of the answer."""
    first = blocks[0]
    return str(first["text"]["text"]) if first.get("type") in ("header", "section") else ""


def _refusal(reply: Refusal, asked_on: date) -> SlackMessage:
    if reply.choices:
        return _asked_back(reply, asked_on)
    suggestions = [FollowUp(option, option) for option in reply.did_you_mean]
    examples = [FollowUp(example, example) for example in reply.examples]
    text = escaped(reply.text)
    blocks = [section(text)]
    if suggestions:
        blocks.append(actions(question_buttons(suggestions, asked_on)))
    blocks.append(section(gettext(EXAMPLES_HEADING)))
    blocks.append(actions(_renumbered(question_buttons(examples, asked_on), len(suggestions))))
    return SlackMessage(text, tuple(blocks))


def _asked_back(reply: Refusal, asked_on: date) -> SlackMessage:
    """Several readings: one button each, answering the question as that reading."""
    choices = [FollowUp(choice.label, choice.question) for choice in reply.choices]
    text = escaped(reply.text)
    buttons = question_buttons(choices, asked_on, reply.language)
    return SlackMessage(text, (section(text), actions(buttons)))


def _renumbered(buttons: list[Block], offset: int) -> list[Block]:
    """Keep action ids unique across several actions blocks of one message."""
    for index, element in enumerate(buttons):
        prefix = element["action_id"].split(":")[0]
        element["action_id"] = f"{prefix}:{offset + index}"
    return buttons


def _help(reply: HelpReply, asked_on: date) -> SlackMessage:
    examples = [FollowUp(example, example) for example in reply.examples]
    buttons = question_buttons(examples, asked_on)
    blocks = [header(reply.title), section(reply.intro)]
    blocks.append(actions(buttons))
    return SlackMessage(reply.title, tuple(blocks))


def _catalog(reply: CatalogReply) -> SlackMessage:
    blocks = [header(reply.title)]
    categories: dict[str, list[str]] = {}
    for entry in reply.entries:
        aliases = f" — {', '.join(entry.aliases)}" if entry.aliases else ""
        categories.setdefault(entry.category, []).append(f"`{entry.id}` {entry.label}{aliases}")
    for category, lines in categories.items():
        blocks.append(section(f"*{category}*\n" + "\n".join(lines[:MAX_CATALOG_LINES])))
    return SlackMessage(reply.title, tuple(blocks))
