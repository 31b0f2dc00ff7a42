"""`/funnel alert …` and `/funnel alerts`: alerts made, listed, paused and deleted from Slack.

The figure is read by the question parser (so "mql to sql for paid search" means what it
means in a question), the rule and the frequency by `metrics.rules` and the words below
(Thai and Vietnamese ones rewritten first by `bot.alerts.words`). Replies are Slack
messages in the active language (`bot.i18n.use_language`, the command's), and an alert
made here is posted in it; the Slack layer only delivers them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import Engine

from bot.alerts.membership import Membership, SeatFinder, mention, seat_reply
from bot.alerts.plans import AlertPlan, stored_plan
from bot.alerts.render import rule_words
from bot.alerts.store import NewAlert, SlackAlerts, StoredAlert
from bot.alerts.texts import Labels, Replies
from bot.alerts.words import in_command_english
from bot.core.access import AccessPolicy
from bot.i18n import Language, active_language, as_language, keyed_text, to_english
from bot.i18n.formatting import filter_parts
from bot.parser import KnownValues, NotUnderstood, Parsed, parse
from bot.render.blocks import Block, SlackMessage, actions, button, escaped, header, section
from metrics.catalog import CATALOG, Unit
from metrics.query import Filters, Intent
from metrics.rules import parse_rule

__all__ = [
    "ALERT_ACTION",
    "AlertAction",
    "AlertDesk",
    "Asker",
    "button_value",
    "figure_query",
    "read_button_value",
]

ALERT_ACTION = "alert"  # action ids alert_pause:ID, alert_resume:ID, alert_delete:ID
MAX_LISTED = 20

_RULE = re.compile(
    r"((?:(?:drops|falls|goes|gets|is|rises|climbs)\s+)?(?:above|below|over|under)\s+"
    r"-?\d+(?:\.\d+)?\s*%?"
    r"|(?:drops|falls|rises|grows)\s+(?:by\s+)?\d+(?:\.\d+)?\s*%"
    r"|misses\s+(?:its\s+)?target|(?:is\s+|looks\s+)?unusual)"
)
_EVERY = re.compile(
    r"\s*(?:,\s*)?(?:(daily|weekly|monthly)|(?:every|each|per|a)\s+(day|week|month))\s*$"
)
_LEAD = re.compile(r"^\s*(?:me\s+)?(?:when|if|whenever)\s+")
_EVERY_WORDS = {"daily": "day", "weekly": "week", "monthly": "month"}
# The complete period before today, as the parser reads it ("last day" it does not).
_LAST_PERIOD = {"day": "yesterday", "week": "last week", "month": "last month"}


class AlertAction(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class Asker:
    """Who typed the command, and where (a channel or DM id)."""

    user: str
    channel: str


@dataclass(frozen=True, slots=True)
class _Request:
    metric: str
    filters: Filters
    rule: str
    every: str


class AlertDesk:
    """Makes, lists and changes alerts for the Slack app."""

    def __init__(
        self,
        engine: Engine,
        configured: Mapping[str, AlertPlan],
        *,
        policy: AccessPolicy,
        admins: frozenset[str],
        command: str,
        seat_of: SeatFinder,
        currency: str = "USD",
    ) -> None:
        self.engine = engine
        self._seat_of = seat_of
        self.configured = dict(configured)
        self.store = SlackAlerts(engine)
        self._policy = policy
        self._admins = admins
        self._command = command
        self._currency = currency

    def create(self, text: str, asker: Asker, today: date, known: KnownValues) -> SlackMessage:
        """`text` is what follows `alert`; the reply says what was saved or why not."""
        language = active_language()
        request = self._read(in_command_english(text, language), today, known)
        if isinstance(request, str):
            return _plain(f"{request}\n{Replies.HOW.format(command=self._command)}")
        if not self._policy.channel_may_receive(asker.channel, [request.metric]):
            return _plain(Replies.RESTRICTED.format(metric=_label(request.metric)))
        seat = self._seat_of(asker.channel)
        warning = seat_reply(seat)
        if seat.membership in (Membership.NOT_MEMBER, Membership.NOT_FOUND):
            return _plain(warning or "")
        stored = self.store.add(
            NewAlert(
                metric=request.metric,
                filters=request.filters,
                rule=request.rule,
                every=request.every,
                post_to=asker.channel,
                text=text.strip(),
                created_by=asker.user,
                created_in=asker.channel,
                language=language,
            )
        )
        saved = self._saved(stored)
        return _plain(saved if warning is None else f"{saved}\n{warning}")

    def _saved(self, stored: StoredAlert) -> str:
        plan = stored_plan(stored)
        return Replies.SAVED.format(
            name=stored.name,
            figure=_figure(stored.alert.metric, stored.alert.filters),
            rule="" if plan is None else _rule_of(plan, self._currency),
            every=Labels.EVERY[stored.alert.every],
            channel=mention(stored.alert.post_to),
        )

    def listing(self) -> SlackMessage:
        """Every alert: the file's (read-only) and Slack's, with Pause/Resume and Delete."""
        blocks: list[Block] = [header(Replies.LIST_HEADER)]
        for plan in self.configured.values():
            blocks.append(section(_line(plan, Replies.FROM_FILE, self._currency)))
        for stored in self.store.all()[:MAX_LISTED]:
            blocks += _stored_blocks(stored, self._currency)
        if len(blocks) == 1:
            how = Replies.HOW.format(command=self._command)
            return _plain(f"{Replies.NONE} {how}")
        return SlackMessage(Replies.LIST_HEADER, tuple(blocks))

    def act(self, action: AlertAction, alert_id: int, user: str) -> SlackMessage:
        """Pause, resume or delete an alert made from Slack, then list them again."""
        stored = self.store.get(alert_id)
        if stored is None:
            return _plain(Replies.NOT_FOUND)
        if user != stored.alert.created_by and user not in self._admins:
            return _plain(Replies.NOT_YOURS)
        if action is AlertAction.DELETE:
            self.store.remove(alert_id)
        else:
            self.store.set_paused(alert_id, paused=action is AlertAction.PAUSE)
        return self.listing()

    def _read(self, text: str, today: date, known: KnownValues) -> _Request | str:
        cleaned = _LEAD.sub("", " ".join(text.lower().split()))
        every = "week"
        found_every = _EVERY.search(cleaned)
        if found_every:
            word = found_every[1] or found_every[2]
            every = _EVERY_WORDS.get(word, word)
            cleaned = cleaned[: found_every.start()]
        rules = list(_RULE.finditer(cleaned))
        if not rules:
            return Replies.NO_RULE.format(text=escaped(text.strip()))
        found_rule = rules[-1]
        figure = cleaned[: found_rule.start()].strip()
        return _request(figure, found_rule[1], every, today, known)


def figure_query(text: str, today: date, known: KnownValues) -> Parsed | NotUnderstood:
    """A figure (or a question) read by the parser; Thai and Vietnamese rewritten first."""
    language = active_language()
    english = text if language == "en" else to_english(text, language)
    return parse(english, today=today, known=known)


def button_value(item_id: int) -> str:
    """A Pause/Resume/Delete button's value: the id, and the language to answer in."""
    return f"{item_id} {active_language()}"


def read_button_value(value: str) -> tuple[int, Language]:
    item_id, _, language = value.partition(" ")
    return int(item_id), as_language(language or "en")


def _request(
    figure: str, rule_text: str, every: str, today: date, known: KnownValues
) -> _Request | str:
    parsed = figure_query(f"{figure} {_LAST_PERIOD[every]}", today, known) if figure else None
    if parsed is None or isinstance(parsed, NotUnderstood):
        reason = parsed.reason if isinstance(parsed, NotUnderstood) else ""
        return Replies.NO_FIGURE.format(text=escaped(figure), reason=reason).rstrip(": ")
    query = parsed.query
    if query.intent is not Intent.METRIC or query.metric is None or query.by is not None:
        return Replies.NOT_ONE_FIGURE.format(text=escaped(figure), what=parsed.understood)
    ratio = CATALOG[query.metric].unit is Unit.RATIO
    rule = parse_rule(rule_text, ratio=ratio)  # the pattern only finds readable rules
    return _Request(query.metric, query.filters, _rule_source(rule_text, rule.kind), every)


def _rule_source(text: str, kind: str) -> str:
    """The rule as stored: its own words, without the leading "is"/"looks"."""
    return kind if kind in ("unusual", "misses target") else text


def _label(metric_id: str) -> str:
    return keyed_text("label", metric_id, CATALOG[metric_id].label)


def _figure(metric_id: str, filters: Filters) -> str:
    parts = filter_parts(filters)
    return f"*{_label(metric_id)}*" + (f" ({escaped(', '.join(parts))})" if parts else "")


def _rule_of(plan: AlertPlan, currency: str) -> str:
    unit = CATALOG[plan.metric].unit
    return rule_words(plan.rule, unit, currency, Labels.EVERY[plan.every.value])


def _line(plan: AlertPlan, origin: str, currency: str) -> str:
    return Replies.LINE.format(
        name=escaped(plan.name),
        figure=_figure(plan.metric, plan.filters),
        rule=_rule_of(plan, currency),
        every=Labels.EVERY[plan.every.value],
        channels=", ".join(mention(item) for item in plan.channels),
        origin=origin,
    )


def _stored_blocks(stored: StoredAlert, currency: str) -> list[Block]:
    plan = stored_plan(stored)
    if plan is None:
        return []
    origin = Replies.MADE_BY.format(
        user=stored.alert.created_by, channel=mention(stored.alert.created_in)
    )
    if stored.paused:
        origin += f" · {Replies.PAUSED}"
    toggle = AlertAction.RESUME if stored.paused else AlertAction.PAUSE
    label = Replies.RESUME if stored.paused else Replies.PAUSE
    value = button_value(stored.id)
    return [
        section(_line(plan, origin, currency)),
        actions(
            [
                button(label, f"{ALERT_ACTION}_{toggle.value}:{value}", value),
                button(Replies.DELETE, f"{ALERT_ACTION}_{AlertAction.DELETE.value}:{value}", value),
            ]
        ),
    ]


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text, (section(text),))
