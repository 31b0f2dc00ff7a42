"""Real Slack requests, signed with the signing secret, and a tiny HTTP client."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from testkit.fakeslack import PATIENCE_SECONDS

__all__ = [
    "BOT_TOKEN",
    "SIGNING_SECRET",
    "TEAM",
    "Reply",
    "action_body",
    "action_payload",
    "event_body",
    "event_callback",
    "get",
    "mention_event",
    "post_signed",
    "post_unsigned",
    "slash_body",
    "slash_fields",
]

SIGNING_SECRET = "test-signing-secret-0123456789"
BOT_TOKEN = "xoxb-test-token-0123456789"
TEAM = "T0TEST01"
FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class Reply:
    status: int
    body: str


def _send(request: urllib.request.Request) -> Reply:
    try:
        # A slow acknowledgement under load is not what these requests test: wait for it.
        with urllib.request.urlopen(request, timeout=PATIENCE_SECONDS) as response:
            return Reply(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Reply(error.code, error.read().decode())


def get(url: str) -> Reply:
    return _send(urllib.request.Request(url))


def post_signed(
    url: str,
    body: str,
    content_type: str = FORM,
    *,
    secret: str = SIGNING_SECRET,
    age_seconds: int = 0,
    extra: dict[str, str] | None = None,
) -> Reply:
    """POST `body` signed like Slack does, `age_seconds` in the past."""
    timestamp = str(int(time.time()) - age_seconds)
    signature = SignatureVerifier(secret).generate_signature(timestamp=timestamp, body=body)
    headers = {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": timestamp,
        "X-Slack-Signature": str(signature),
    }
    headers.update(extra or {})
    return post_unsigned(url, body, headers)


def post_unsigned(url: str, body: str, headers: dict[str, str] | None = None) -> Reply:
    request = urllib.request.Request(url, data=body.encode(), headers=headers or {}, method="POST")
    return _send(request)


def slash_fields(
    text: str, response_url: str, *, user: str = "U0ASKER", channel: str = "C0GENERAL"
) -> dict[str, str]:
    """A slash command's fields: a form over HTTP, an envelope's payload in Socket Mode."""
    return {
        "token": "unused",
        "team_id": TEAM,
        "channel_id": channel,
        "user_id": user,
        "command": "/funnel",
        "text": text,
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "api_app_id": "A0APP",
    }


def slash_body(
    text: str, response_url: str, *, user: str = "U0ASKER", channel: str = "C0GENERAL"
) -> str:
    return urlencode(slash_fields(text, response_url, user=user, channel=channel))


def mention_event(text: str, ts: str = "1700000000.000001") -> dict[str, str]:
    """An `app_mention` event in #general (`C0GENERAL`)."""
    return {
        "type": "app_mention",
        "user": "U0ASKER",
        "text": text,
        "ts": ts,
        "channel": "C0GENERAL",
    }


def event_callback(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """An Events API delivery: a JSON body over HTTP, an envelope's payload in Socket Mode."""
    return {
        "token": "unused",
        "team_id": TEAM,
        "api_app_id": "A0APP",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": event,
    }


def event_body(event: dict[str, Any], event_id: str) -> str:
    return json.dumps(event_callback(event, event_id))


def action_payload(
    action_id: str,
    value: str,
    response_url: str,
    *,
    channel: str = "C0GENERAL",
    ephemeral: bool = True,
    message_ts: str = "1700000000.000100",
    user: str = "U0ASKER",
) -> dict[str, Any]:
    """A button click: the form's `payload` over HTTP, an envelope's payload in Socket Mode."""
    return {
        "type": "block_actions",
        "team": {"id": TEAM},
        "user": {"id": user},
        "api_app_id": "A0APP",
        "container": {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        },
        "channel": {"id": channel},
        "message": {"ts": message_ts},
        "response_url": response_url,
        "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
    }


def action_body(action_id: str, value: str, response_url: str, **details: Any) -> str:
    payload = action_payload(action_id, value, response_url, **details)
    return urlencode({"payload": json.dumps(payload)})
