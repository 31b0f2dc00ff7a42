"""Real Slack payloads (`payloads/`, sources in its README), ready to replay as requests.

The files are kept as published; what must match the test's app (a fresh `event_id`, the
fake's `response_url`, the app's own button) is put in here, in code.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

__all__ = ["click_body", "event_delivery", "payload", "written_by"]

PAYLOADS = Path(__file__).parent / "payloads"
AUTHORSHIP = ("user", "bot_id", "bot_profile", "subtype", "username")
Json = dict[str, Any]

_event_ids = itertools.count(1)


def payload(name: str) -> Json:
    """The sample `name` as published."""
    found: Json = json.loads((PAYLOADS / name).read_text(encoding="utf-8"))
    return found


def event_delivery(name: str, event: Json | None = None) -> str:
    """The event callback `name` as a JSON body with an event_id of its own (samples
    share theirs), its event replaced by `event` when given."""
    body = payload(name)
    if event is not None:
        body["event"] = event
    body["event_id"] = f"EvReplay{next(_event_ids):06d}"
    return json.dumps(body)


def written_by(event: Json, author: Json) -> Json:
    """`event` as if written by the author of `author` (another sample's event): its own
    `user` gives way to the author's `user`, `bot_id`, `bot_profile`, `subtype`, `username`."""
    found = {key: value for key, value in event.items() if key != "user"}
    found.update({key: author[key] for key in AUTHORSHIP if key in author})
    return found


def click_body(name: str, action_id: str, value: str, response_url: str) -> str:
    """The interaction sample `name` as a form body, its first action made the app's own
    button (`action_id`, `value`) and its response_url the test's."""
    body = payload(name)
    body["actions"][0].update(action_id=action_id, value=value)
    body["response_url"] = response_url
    return urlencode({"payload": json.dumps(body)})
