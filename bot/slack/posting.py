"""Posting answers: through a response_url, into a channel or thread, or ephemerally.

The text answer always goes first; a chart follows with `files_upload_v2`, and a failed
upload is logged and dropped, never taking the text answer with it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.webhook import WebhookClient

from bot.render.blocks import SlackMessage
from bot.render.charts import Chart
from bot.slack.texts import SlackLog

__all__ = [
    "ChannelPost",
    "Destination",
    "EphemeralPost",
    "ResponseUrlPost",
    "deliver",
]

logger = logging.getLogger("funnelbot.slack.delivery")


@dataclass(frozen=True, slots=True)
class ResponseUrlPost:
    """Reply through an interaction's response_url; `channel` receives public charts.
    With `thread_ts`, a new message in that thread (the clicked message is kept)."""

    url: str
    public: bool = False
    delete_original: bool = False
    channel: str | None = None
    thread_ts: str | None = None


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """A message in a channel or DM, in a thread when `thread_ts` is set."""

    channel: str
    thread_ts: str | None = None


@dataclass(frozen=True, slots=True)
class EphemeralPost:
    """Visible to `user` only, in `channel`."""

    channel: str
    user: str
    thread_ts: str | None = None


Destination = ResponseUrlPost | ChannelPost | EphemeralPost


def _no_chart() -> Chart | None:
    return None


def deliver(
    client: WebClient,
    destination: Destination,
    message: SlackMessage,
    draw_chart: Callable[[], Chart | None] = _no_chart,
) -> None:
    """Post `message`, then its chart where everyone who sees the message can see it
    (drawn only then: a chart costs more than the rest of an answer)."""
    _post(client, destination, message)
    chart_channel = _public_channel(destination)
    if chart_channel is None:
        return
    chart = draw_chart()
    if chart is not None:
        _upload(client, chart_channel, destination.thread_ts, chart)


def _post(client: WebClient, destination: Destination, message: SlackMessage) -> None:
    blocks = list(message.blocks)
    if isinstance(destination, ResponseUrlPost):
        _post_to_response_url(destination, message)
    elif isinstance(destination, ChannelPost):
        client.chat_postMessage(
            channel=destination.channel,
            text=message.text,
            blocks=blocks,
            thread_ts=destination.thread_ts,
        )
    else:
        client.chat_postEphemeral(
            channel=destination.channel,
            user=destination.user,
            text=message.text,
            blocks=blocks,
            thread_ts=destination.thread_ts,
        )


def _post_to_response_url(destination: ResponseUrlPost, message: SlackMessage) -> None:
    threaded = destination.thread_ts is not None
    response = WebhookClient(destination.url, timeout=10).send_dict(
        {
            "text": message.text,
            "blocks": list(message.blocks),
            "response_type": "in_channel" if destination.public else "ephemeral",
            "delete_original": destination.delete_original or None,
            "replace_original": False if threaded else None,
            "thread_ts": destination.thread_ts,
        }
    )
    if response.status_code != 200:
        raise SlackClientError(f"response_url answered {response.status_code}")


def _public_channel(destination: Destination) -> str | None:
    if isinstance(destination, ChannelPost):
        return destination.channel
    if isinstance(destination, ResponseUrlPost) and destination.public:
        return destination.channel
    return None


def _upload(client: WebClient, channel: str, thread_ts: str | None, chart: Chart) -> None:
    try:
        client.files_upload_v2(
            channel=channel,
            content=chart.png,
            filename=chart.filename,
            title=chart.title,
            thread_ts=thread_ts,
        )
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.warning(SlackLog.CHART_FAILED, extra={"channel": channel, "reason": str(error)})
