"""Subscriptions: a question answered on a schedule in a channel (`/funnel subscribe …`).

Made and listed from Slack (stored in `subscriptions` with who and where), delivered by
the worker once per scheduled slot through the digests' ledger (key "sub:ID", channel,
slot day) with the answer the question gets at that moment, in the subscriber's
language; the access rules are checked against the channel at every delivery.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from sqlalchemy import Engine, Row, delete, insert, select, update

from bot.alerts.commands import Asker, button_value, figure_query
from bot.alerts.membership import Membership, SeatFinder, mention, seat_reply
from bot.alerts.schedules import describe, read_when
from bot.alerts.texts import Errors, SubscriptionReplies
from bot.alerts.words import in_command_english
from bot.answers.context import metrics_context
from bot.core.access import AccessPolicy
from bot.core.clock import utc_now
from bot.core.config import Settings
from bot.digests.ledger import DeliveryKey, Ledger
from bot.digests.schedule import last_fire_at_or_before, parse_schedule
from bot.digests.sender import DigestSender, SendError
from bot.i18n import active_language, as_language
from bot.parser import KnownValues, NotUnderstood
from bot.render.blocks import Block, SlackMessage, actions, button, escaped, header, section
from bot.slack.answering import Answerer
from storage.models import Subscription

__all__ = ["SUBSCRIPTION_ACTION", "SubscriptionDesk", "SubscriptionJobs", "Subscriptions"]

logger = logging.getLogger("funnelbot.subscriptions")

SUBSCRIPTION_ACTION = "sub"  # sub_pause:ID, sub_resume:ID, sub_delete:ID
METADATA_EVENT = "funnelbot_subscription"
CHECK_SECONDS = 60
_ROW = Subscription
_IN = re.compile(r"\s+in\s+(?:<#(?P<id>[A-Z0-9]+)(?:\|[^>]*)?>|#(?P<name>[a-z0-9_-]+))(?=\s|$)")


@dataclass(frozen=True, slots=True)
class Stored:
    id: int
    question: str
    schedule: str
    post_to: str
    language: str
    created_by: str
    created_at: datetime
    paused: bool


class Subscriptions:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, values: dict[str, Any]) -> int:
        with self.engine.begin() as connection:
            found = connection.execute(insert(_ROW).values(values).returning(_ROW.id))
            return int(found.scalar_one())

    def all(self) -> list[Stored]:
        with self.engine.connect() as connection:
            rows = connection.execute(select(_ROW).order_by(_ROW.id)).all()
        return [_stored(row) for row in rows]

    def get(self, sub_id: int) -> Stored | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(_ROW).where(_ROW.id == sub_id)).first()
        return None if row is None else _stored(row)

    def set_paused(self, sub_id: int, *, paused: bool) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(_ROW).where(_ROW.id == sub_id).values(paused=paused))

    def remove(self, sub_id: int) -> None:
        with self.engine.begin() as connection:
            connection.execute(delete(_ROW).where(_ROW.id == sub_id))


def _stored(row: Row[Any]) -> Stored:
    values = row._mapping
    created = values["created_at"]
    if created.tzinfo is None:  # SQLite returns naive datetimes; all are written in UTC
        created = created.replace(tzinfo=ZoneInfo("UTC"))
    return Stored(
        values["id"],
        values["question"],
        values["schedule"],
        values["post_to"],
        values["language"],
        values["created_by"],
        created,
        bool(values["paused"]),
    )


class SubscriptionDesk:
    def __init__(
        self,
        engine: Engine,
        *,
        policy: AccessPolicy,
        admins: frozenset[str],
        command: str,
        zone: str,
        seat_of: SeatFinder,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.store = Subscriptions(engine)
        self._policy = policy
        self._admins = admins
        self._command = command
        self._zone = zone
        self._seat_of = seat_of
        self._clock = clock

    def subscribe(self, text: str, asker: Asker, known: KnownValues) -> SlackMessage:
        language = active_language()
        cleaned = " " + in_command_english(text, language)
        channel = asker.channel
        place = _IN.search(cleaned)
        if place:
            channel = place["id"] or f"#{place['name']}"
            cleaned = cleaned[: place.start()] + cleaned[place.end() :]
        when = read_when(cleaned)
        if when is None or not when.question:
            return self._how(SubscriptionReplies.NO_WHEN.format(text=escaped(text.strip())))
        question, schedule = when.question, when.schedule
        parsed = figure_query(question, self._today(), known)
        if isinstance(parsed, NotUnderstood):
            reason = parsed.reason
            return self._how(
                SubscriptionReplies.NOT_A_QUESTION.format(text=escaped(question), reason=reason)
            )
        metric = parsed.query.metric
        if metric is not None and not self._policy.channel_may_receive(channel, [metric]):
            return _plain(SubscriptionReplies.RESTRICTED.format(channel=mention(channel)))
        seat = self._seat_of(channel)
        warning = seat_reply(seat)
        if seat.membership in (Membership.NOT_MEMBER, Membership.NOT_FOUND):
            return _plain(warning or "")
        channel = seat.channel
        new_id = self.store.add(
            {
                "question": question,
                "schedule": schedule,
                "post_to": channel,
                "language": language,
                "created_by": asker.user,
                "created_in": asker.channel,
                "created_at": self._clock(),
                "paused": False,
            }
        )
        logger.info("subscription made", extra={"subscription": new_id, "channel": channel})
        saved = SubscriptionReplies.SAVED.format(
            question=escaped(question),
            channel=mention(channel),
            when=describe(schedule),
            zone=self._zone,
        )
        return _plain(saved if warning is None else f"{saved}\n{warning}")

    def listing(self) -> SlackMessage:
        blocks: list[Block] = [header(SubscriptionReplies.LIST_HEADER)]
        for item in self.store.all():
            blocks += _blocks(item)
        if len(blocks) == 1:
            how = SubscriptionReplies.HOW.format(command=self._command)
            return _plain(f"{SubscriptionReplies.NONE} {how}")
        return SlackMessage(SubscriptionReplies.LIST_HEADER, tuple(blocks))

    def act(self, action: str, sub_id: int, user: str) -> SlackMessage:
        found = self.store.get(sub_id)
        if found is None:
            return _plain(SubscriptionReplies.NOT_FOUND)
        if user != found.created_by and user not in self._admins:
            return _plain(SubscriptionReplies.NOT_YOURS)
        if action == "delete":
            self.store.remove(sub_id)
        else:
            self.store.set_paused(sub_id, paused=action == "pause")
        return self.listing()

    def _today(self) -> date:
        """Today in FUNNELBOT_TIMEZONE, the date questions are read on (not UTC's)."""
        return self._clock().astimezone(ZoneInfo(self._zone)).date()

    def _how(self, first: str) -> SlackMessage:
        return _plain(f"{first}\n{SubscriptionReplies.HOW.format(command=self._command)}")


def _blocks(item: Stored) -> list[Block]:
    toggle = "resume" if item.paused else "pause"
    label = SubscriptionReplies.RESUME if item.paused else SubscriptionReplies.PAUSE
    line = SubscriptionReplies.LINE.format(
        id=item.id,
        question=escaped(item.question),
        when=describe(item.schedule),
        channel=mention(item.post_to),
        user=item.created_by,
        paused=SubscriptionReplies.PAUSED if item.paused else "",
    )
    value = button_value(item.id)
    return [
        section(line),
        actions(
            [
                button(label, f"{SUBSCRIPTION_ACTION}_{toggle}:{value}", value),
                button(SubscriptionReplies.DELETE, f"{SUBSCRIPTION_ACTION}_delete:{value}", value),
            ]
        ),
    ]


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text, (section(text),))


@dataclass(frozen=True, slots=True)
class SubscriptionTag:
    subscription: int
    channel: str
    slot: str

    def metadata(self) -> dict[str, Any]:
        return {
            "event_type": METADATA_EVENT,
            "event_payload": {"id": self.subscription, "channel": self.channel, "slot": self.slot},
        }

    def matches(self, metadata: object) -> bool:
        return isinstance(metadata, dict) and metadata == self.metadata()


# The answer to a question in a language on a day: (message, metric ids it shows).
Answer = Callable[[str, datetime, str], tuple[SlackMessage, tuple[str, ...]]]


class SubscriptionJobs:
    """The worker's companion: every minute, each subscription whose latest slot has passed
    is delivered unless the ledger has it (so a restart or a second worker never doubles)."""

    def __init__(
        self,
        engine: Engine,
        *,
        answer: Answer,
        sender: DigestSender,
        policy: AccessPolicy,
        zone: ZoneInfo,
        clock: Callable[[], datetime] = utc_now,
        owner: str | None = None,
        admin_user: str | None = None,
    ) -> None:
        self.store = Subscriptions(engine)
        self._admin = admin_user
        self.ledger = Ledger(engine, owner, clock=clock)
        self._answer = answer
        self._sender = sender
        self._policy = policy
        self._zone = zone
        self._clock = clock

    def run(self) -> int:
        """Deliver every slot due; the number posted. Never raises."""
        posted = 0
        for item in self.store.all():
            try:
                posted += self._deliver(item)
            except Exception:  # one broken subscription must not stop the others
                logger.exception("subscription failed", extra={"subscription": item.id})
        return posted

    def _deliver(self, item: Stored) -> int:
        if item.paused:
            return 0
        now = self._clock()
        trigger = parse_schedule(item.schedule).trigger(self._zone)
        slot = last_fire_at_or_before(trigger, now.astimezone(self._zone))
        if slot is None or slot < item.created_at:
            return 0
        day = slot.astimezone(self._zone).date()
        key = DeliveryKey(f"sub:{item.id}", item.post_to, day)
        if not self.ledger.claim(key).outcome.must_send:
            return 0
        message, metric_ids = self._answer(item.question, slot, item.language)
        if not self._policy.channel_may_receive(item.post_to, metric_ids):
            text = SubscriptionReplies.REFUSED_AT_DELIVERY.format(question=item.question)
            message = _plain(text)
        tag = SubscriptionTag(item.id, item.post_to, day.isoformat())
        try:
            ts = self._sender.post(item.post_to, message, tag, since=now)
        except SendError as error:
            self.ledger.mark_failed(key, error.error)
            logger.error("subscription not delivered", extra={"subscription": item.id})
            if self._admin:
                text = Errors.SUBSCRIPTION_ADMIN_DM.format(
                    id=item.id, channel=item.post_to, error=error.error
                )
                self._sender.notify(self._admin, text)
            return 0
        self.ledger.mark_sent(key, ts)
        return 1

    def attach(self, scheduler: BaseScheduler) -> None:
        scheduler.add_job(
            self.run,
            trigger="interval",
            seconds=CHECK_SECONDS,
            id="subscriptions",
            name="subscriptions",
            coalesce=True,
            max_instances=1,
        )

    def catch_up(self) -> None:
        self.run()


def subscription_jobs(
    settings: Settings, engine: Engine, sender: DigestSender, clock: Callable[[], datetime]
) -> SubscriptionJobs:
    """The worker's subscription deliveries, answering as the Slack app does."""
    policy = AccessPolicy(settings.access)
    answerer = Answerer(
        engine,
        metrics=metrics_context(settings),
        policy=policy,
        clock=clock,
        zone=settings.zone,
        command=settings.command,
    )

    def answer(
        question: str, slot: datetime, language: str
    ) -> tuple[SlackMessage, tuple[str, ...]]:
        day = slot.astimezone(settings.zone).date()
        outgoing = answerer.answer(question, day, share=False, language=as_language(language))
        return outgoing.message, outgoing.metric_ids

    return SubscriptionJobs(
        engine,
        answer=answer,
        sender=sender,
        policy=policy,
        zone=settings.zone,
        clock=clock,
        admin_user=settings.admin_user,
    )
