"""Bolt listeners: each acknowledges at once, then submits a job and returns.

Slash commands answer ephemerally with a "Share in channel" button; mentions answer in
a thread; direct messages answer in the DM (in its thread when sent in one); buttons ask
their question; the App Home shows the key figures. Messages outside DMs, mentions in
canvases and whatever another app writes are acknowledged and not answered. The jobs are
done by `bot.slack.responder`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext, BoltResponse

from bot.alerts.commands import ALERT_ACTION, read_button_value
from bot.alerts.subscriptions import SUBSCRIPTION_ACTION
from bot.alerts.words import COMMAND_START
from bot.core.access import AccessPolicy, Audience
from bot.render.blocks import ASK_ACTION, SHARE_ACTION, ButtonQuestion
from bot.slack.dedupe import EventLedger
from bot.slack.jobs import Ask, Job, Manage, Share, ShowHome
from bot.slack.posting import ChannelPost, Destination, ResponseUrlPost
from bot.slack.texts import SlackLog

__all__ = ["register_listeners"]

logger = logging.getLogger("funnelbot.slack")

Body = dict[str, Any]
MENTION = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")
MAX_REASON_CHARS = 200
DM_CHANNEL_TYPE = "im"  # the others: "channel", "group", "mpim" (a group DM)
CANVAS_MENTION = "document_mention"
BOT_MESSAGE = "bot_message"


def register_listeners(
    app: App,
    policy: AccessPolicy,
    ledger: EventLedger,
    command: str,
    submit: Callable[[Job], None],
) -> None:
    """Wire every listener and the two global middlewares (team allow-list, dedupe).
    Listeners acknowledge, read the payload into a job and hand it to `submit`, which must
    not block. (Not Bolt's lazy listeners: they deep-copy each request, most of the cost
    of an ack.)"""
    app.middleware(_team_allowed(policy))
    app.middleware(_first_delivery_only(ledger))
    app.command(command)(_listener(_command_job, submit))
    app.event("app_mention")(_listener(_mention_job, submit))
    # Every message event: Bolt's event() matches on type and subtype only, never on
    # channel_type, so `_dm_job` tells a DM from the rest itself.
    app.event("message")(_listener(_dm_job, submit))
    app.event("app_home_opened")(_listener(_home_job, submit))
    app.action(re.compile(f"^{ASK_ACTION}:"))(_listener(_ask_job, submit))
    app.action(SHARE_ACTION)(_listener(_share_job, submit))
    app.action(re.compile(f"^({ALERT_ACTION}|{SUBSCRIPTION_ACTION})_(pause|resume|delete):"))(
        _listener(_alert_action_job, submit)
    )


JobReader = Callable[[Body, BoltContext], Job | None]


def _listener(read: JobReader, submit: Callable[[Job], None]) -> Callable[..., None]:
    """Ack, then submit what `read` makes of the payload (None: nothing to do). A payload
    it cannot read is logged and stays acknowledged: Slack retrying it would not help."""

    def listener(ack: Ack, body: Body, context: BoltContext) -> None:
        ack()
        try:
            job = read(body, context)
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
            reason = f"{type(error).__name__}: {error}"[:MAX_REASON_CHARS]
            logger.warning(SlackLog.UNREADABLE_PAYLOAD, extra={"reason": reason})
            return
        if job is None:
            return
        try:
            submit(job)
        except Exception:
            logger.exception(SlackLog.SUBMIT_FAILED, extra={"user": job.audience.user_id})

    return listener


def _team_allowed(policy: AccessPolicy) -> Callable[..., Any]:
    def middleware(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
        if policy.team_allowed(context.team_id):
            return next()
        logger.warning(SlackLog.TEAM_REFUSED, extra={"team": context.team_id})
        return BoltResponse(status=403, body="")

    return middleware


def _first_delivery_only(ledger: EventLedger) -> Callable[..., Any]:
    def middleware(body: Body, next: Callable[[], BoltResponse]) -> BoltResponse:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id is None or ledger.claim(str(event_id)):
            return next()
        logger.info(SlackLog.DUPLICATE_EVENT, extra={"request_id": event_id})
        return BoltResponse(status=200, body="")

    return middleware


def _channel_unless_dm(channel: str | None) -> str | None:
    """The access rules' channel: None for a direct message."""
    return None if channel is None or channel.startswith("D") else channel


def _command_job(body: Body, context: BoltContext) -> Job:
    channel = _channel_unless_dm(body.get("channel_id"))
    audience = Audience(body.get("team_id"), body.get("user_id"), channel)
    text = str(body.get("text", ""))
    if COMMAND_START.match(text):  # alert(s), target(s), subscribe, subscriptions
        where = str(body.get("channel_id") or "")
        return Manage(text.strip(), audience, where, str(body["response_url"]))
    destination = ResponseUrlPost(body["response_url"])
    return Ask(text, None, audience, destination, share=True)


def _alert_action_job(body: Body, context: BoltContext) -> Job:
    """Pause, Resume or Delete under `/funnel alerts` or `/funnel subscriptions`:
    `alert_pause:ID`, `sub_delete:ID` (the job's action keeps the prefix)."""
    action = body["actions"][0]
    verb = str(action["action_id"]).split(":", 1)[0]
    channel = body.get("channel", {}).get("id") or body.get("container", {}).get("channel_id")
    audience = Audience(context.team_id, body["user"]["id"], _channel_unless_dm(channel))
    response_url = str(body["response_url"])
    item_id, language = read_button_value(str(action["value"]))
    return Manage("", audience, str(channel or ""), response_url, verb, item_id, language)


def _from_an_app(event: Body) -> bool:
    """Written by a bot (another app's, or a classic bot_message): never answered, so two
    bots that answer mentions cannot answer each other forever."""
    return bool(event.get("bot_id")) or event.get("subtype") == BOT_MESSAGE


def _not_answered(reason: str, event: Body) -> None:
    logger.debug(reason, extra={"channel": event.get("channel"), "user": event.get("user")})


def _mention_job(body: Body, context: BoltContext) -> Job | None:
    event = body["event"]
    if _from_an_app(event):
        _not_answered(SlackLog.FROM_AN_APP, event)
        return None
    if event.get("subtype") == CANVAS_MENTION:
        _not_answered(SlackLog.CANVAS_MENTION, event)
        return None
    channel = str(event["channel"])
    thread_ts = str(event.get("thread_ts") or event["ts"])
    audience = Audience(context.team_id, event.get("user"), _channel_unless_dm(channel))
    question = MENTION.sub(" ", str(event.get("text", "")))
    return Ask(question, None, audience, ChannelPost(channel, thread_ts), thread=thread_ts)


def _dm_job(body: Body, context: BoltContext) -> Job | None:
    """A person's direct message to the bot; None for every other message event (in a
    channel or group DM, from an app, an edit, a deletion, a join)."""
    event = body["event"]
    if event.get("channel_type") != DM_CHANNEL_TYPE:
        return None
    if _from_an_app(event):
        _not_answered(SlackLog.FROM_AN_APP, event)
        return None
    if event.get("subtype"):
        return None
    channel = str(event["channel"])
    thread = event.get("thread_ts")
    thread_ts = None if thread is None else str(thread)
    audience = Audience(context.team_id, event.get("user"), None)
    question = str(event.get("text", ""))
    return Ask(question, None, audience, ChannelPost(channel, thread_ts), thread=thread_ts)


def _ask_job(body: Body, context: BoltContext) -> Job:
    asked = ButtonQuestion.from_value(body["actions"][0]["value"])
    container = body.get("container", {})
    channel = container.get("channel_id") or body.get("channel", {}).get("id")
    audience = Audience(context.team_id, body["user"]["id"], _channel_unless_dm(channel))
    destination, thread = _reply_place(body, channel)
    return Ask(
        asked.question,
        asked.asked_on,
        audience,
        destination,
        share=isinstance(destination, ResponseUrlPost),
        thread=thread,
        language=asked.language,
        response_url=body.get("response_url"),
    )


def _share_job(body: Body, context: BoltContext) -> Job:
    asked = ButtonQuestion.from_value(body["actions"][0]["value"])
    channel = body.get("channel", {}).get("id")
    audience = Audience(context.team_id, body["user"]["id"], _channel_unless_dm(channel))
    response_url = body["response_url"]
    return Share(asked.question, asked.asked_on, asked.language, audience, response_url, channel)


def _home_job(body: Body, context: BoltContext) -> Job | None:
    event = body["event"]
    if event.get("tab", "home") != "home":
        return None
    return ShowHome(Audience(context.team_id, str(event["user"]), None))


def _reply_place(body: Body, channel: str | None) -> tuple[Destination, str | None]:
    """Where a button's answer goes: after an ephemeral answer, ephemerally again;
    otherwise in the thread of the message holding the button (in a DM: the DM, or the
    DM thread the message is in)."""
    container = body.get("container", {})
    if container.get("is_ephemeral") or channel is None:
        return ResponseUrlPost(body["response_url"]), None
    message = body.get("message", {})
    if _channel_unless_dm(channel) is None:
        thread = message.get("thread_ts")
    else:
        thread = message.get("thread_ts") or message.get("ts")
    return ChannelPost(channel, thread), thread
