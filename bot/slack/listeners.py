"""Bolt listeners: each acknowledges at once and answers from the executor (lazy).

Slash commands answer ephemerally with a "Share in channel" button; mentions answer in
a thread; direct messages answer in the DM; buttons ask their question; the App Home
shows the key figures. Access rules decide what may appear where.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable
from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access import Audience, Decision, private_note, record_refusal, refusal_text
from bot.i18n import Language
from bot.slack.answering import Answerer, Outgoing
from bot.slack.blocks import (
    ASK_ACTION,
    SHARE_ACTION,
    ButtonQuestion,
    SlackMessage,
    context,
    section,
)
from bot.slack.dedupe import EventLedger
from bot.slack.delivery import ChannelPost, Destination, EphemeralPost, ResponseUrlPost, deliver
from bot.slack.home import home_view
from bot.slack.texts import Log, Text

__all__ = ["register_listeners"]

logger = logging.getLogger("funnelbot.slack")

Body = dict[str, Any]
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
REFUSED_ACTION = "answer"


def _just_ack(ack: Ack) -> None:
    ack()


def register_listeners(app: App, answerer: Answerer, ledger: EventLedger, command: str) -> None:
    """Wire every listener and the two global middlewares (team allow-list, dedupe)."""
    handlers = _Handlers(answerer)
    app.middleware(_team_allowed(answerer))
    app.middleware(_first_delivery_only(ledger))
    app.command(command)(ack=_just_ack, lazy=[handlers.on_command])
    app.event("app_mention")(ack=_just_ack, lazy=[handlers.on_mention])
    app.event({"type": "message", "channel_type": "im"})(ack=_just_ack, lazy=[handlers.on_dm])
    app.event("message")(_just_ack)  # other message events: acknowledged, not answered
    app.event("app_home_opened")(ack=_just_ack, lazy=[handlers.on_home])
    app.action(re.compile(f"^{ASK_ACTION}:"))(ack=_just_ack, lazy=[handlers.on_ask])
    app.action(SHARE_ACTION)(ack=_just_ack, lazy=[handlers.on_share])


def _team_allowed(answerer: Answerer) -> Callable[..., Any]:
    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        if answerer.policy.team_allowed(context.team_id):
            return next()
        logger.warning(Log.TEAM_REFUSED, extra={"team": context.team_id})
        return BoltResponse(status=403, body="")

    return middleware


def _first_delivery_only(ledger: EventLedger) -> Callable[..., Any]:
    def middleware(body: Body, next: Callable[[], BoltResponse]) -> BoltResponse:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is None or ledger.claim(str(event_id)):
            return next()
        logger.info(Log.DUPLICATE_EVENT, extra={"request_id": event_id})
        return BoltResponse(status=200, body="")

    return middleware


def _dm_aware(channel: str | None) -> str | None:
    """The access rules' channel: None for a direct message."""
    return None if channel is None or channel.startswith("D") else channel


class _Handlers:
    def __init__(self, answerer: Answerer) -> None:
        self._answerer = answerer

    # --- entry points (run in the executor, after the ack) -------------------------
    def on_command(self, body: Body, client: WebClient) -> None:
        channel = _dm_aware(body.get("channel_id"))
        audience = Audience(body.get("team_id"), body.get("user_id"), channel)
        destination = ResponseUrlPost(body["response_url"])
        self._answer(client, str(body.get("text", "")), None, audience, destination, share=True)

    def on_mention(self, event: Body, context: BoltContext, client: WebClient) -> None:
        channel = str(event["channel"])
        thread_ts = str(event.get("thread_ts") or event["ts"])
        audience = Audience(context.team_id, event.get("user"), _dm_aware(channel))
        destination = ChannelPost(channel, thread_ts)
        question = MENTION.sub(" ", str(event.get("text", "")))
        self._answer(client, question, None, audience, destination, thread=thread_ts)

    def on_dm(self, event: Body, context: BoltContext, client: WebClient) -> None:
        if event.get("subtype") or event.get("bot_id"):
            return
        channel = str(event["channel"])
        audience = Audience(context.team_id, event.get("user"), None)
        self._answer(client, str(event.get("text", "")), None, audience, ChannelPost(channel))

    def on_ask(self, body: Body, context: BoltContext, client: WebClient) -> None:
        asked = ButtonQuestion.from_value(body["actions"][0]["value"])
        container = body.get("container", {})
        channel = container.get("channel_id") or body.get("channel", {}).get("id")
        audience = Audience(context.team_id, body["user"]["id"], _dm_aware(channel))
        destination, thread = self._reply_place(body, channel)
        share = isinstance(destination, ResponseUrlPost)
        self._answer(
            client,
            asked.question,
            asked.asked_on,
            audience,
            destination,
            share=share,
            thread=thread,
            language=asked.language,
        )

    def on_share(self, body: Body, context: BoltContext, client: WebClient) -> None:
        asked = ButtonQuestion.from_value(body["actions"][0]["value"])
        channel = body.get("channel", {}).get("id")
        user = body["user"]["id"]
        audience = Audience(context.team_id, user, _dm_aware(channel))
        outgoing = self._answerer.answer(
            asked.question, asked.asked_on, share=False, language=asked.language
        )
        decision = self._answerer.policy.decide(audience, outgoing.metric_ids)
        if decision is Decision.PUBLIC:
            shared = _with_context(outgoing.message, Text.SHARED_BY.format(user=user))
            destination = ResponseUrlPost(body["response_url"], True, True, channel)
            self._send(client, destination, shared, outgoing)
            return
        self._refuse_or_keep_private(
            client, audience, outgoing, ResponseUrlPost(body["response_url"]), decision
        )

    def on_home(self, event: Body, context: BoltContext, client: WebClient) -> None:
        if event.get("tab", "home") != "home":
            return
        user = str(event["user"])
        audience = Audience(context.team_id, user, None)
        view = home_view(self._answerer, audience)
        try:
            client.views_publish(user_id=user, view=view)
        except (SlackApiError, SlackClientError) as error:
            logger.warning(Log.HOME_FAILED, extra={"user": user, "reason": str(error)})

    # --- shared -----------------------------------------------------------------------
    @staticmethod
    def _reply_place(body: Body, channel: str | None) -> tuple[Destination, str | None]:
        """Where a button's answer goes: after an ephemeral answer, ephemerally again;
        otherwise in the thread of the message holding the button (or the DM)."""
        container = body.get("container", {})
        if container.get("is_ephemeral") or channel is None:
            return ResponseUrlPost(body["response_url"]), None
        message = body.get("message", {})
        if _dm_aware(channel) is None:
            return ChannelPost(channel), None
        thread = message.get("thread_ts") or message.get("ts")
        return ChannelPost(channel, thread), thread

    def _answer(
        self,
        client: WebClient,
        question: str,
        asked_on: date | None,
        audience: Audience,
        destination: Destination,
        *,
        share: bool = False,
        thread: str | None = None,
        language: Language | None = None,
    ) -> None:
        day = asked_on or self._answerer.today()
        started = time.perf_counter()
        try:
            outgoing = self._answerer.answer(question, day, share=share, language=language)
        except Exception:
            logger.exception(Log.ANSWER_FAILED, extra={"user": audience.user_id})
            self._send(client, destination, _plain(Text.FAILED), None)
            return
        logger.info(
            Log.ANSWERED,
            extra={
                "user": audience.user_id,
                "channel": audience.channel_id,
                "intent": type(outgoing.reply).__name__,
                "metrics": list(outgoing.metric_ids),
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        decision = self._answerer.policy.decide(audience, outgoing.metric_ids)
        if decision is Decision.PUBLIC:
            self._send(client, destination, outgoing.message, outgoing)
            return
        private: Destination = destination
        if isinstance(destination, ChannelPost) and audience.channel_id is not None:
            private = EphemeralPost(destination.channel, audience.user_id or "", thread)
        self._refuse_or_keep_private(client, audience, outgoing, private, decision)

    def _refuse_or_keep_private(
        self,
        client: WebClient,
        audience: Audience,
        outgoing: Outgoing,
        destination: Destination,
        decision: Decision,
    ) -> None:
        restricted = self._answerer.policy.restricted(outgoing.metric_ids)
        if decision is Decision.REFUSE:
            reason = refusal_text(restricted) if restricted else Text.NOT_ALLOWED
            record_refusal(
                self._answerer.engine, audience, restricted, action=REFUSED_ACTION, reason=reason
            )
            self._send(client, destination, _plain(reason), None)
            return
        note = Text.PRIVATE_SHARE.format(note=private_note(restricted))
        self._send(client, destination, _with_context(outgoing.message, note), None)

    def _send(
        self,
        client: WebClient,
        destination: Destination,
        message: SlackMessage,
        outgoing: Outgoing | None,
    ) -> None:
        try:
            if outgoing is None:
                deliver(client, destination, message)
            else:
                deliver(client, destination, message, lambda: outgoing.chart)
        except (SlackApiError, SlackClientError, OSError) as error:
            logger.error(Log.DELIVERY_FAILED, extra={"reason": str(error)})


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text, (section(text),))


def _with_context(message: SlackMessage, note: str) -> SlackMessage:
    return SlackMessage(message.text, (*message.blocks, context(note)))
