"""Fuzzing the Slack request handler: real slash commands, events and button clicks,
mutated (fields dropped, retyped, oversized, truncated, re-encoded) and correctly signed so
they pass verification and reach our listeners. Never a 5xx, never a traceback in the
logs, and the server keeps answering."""

from __future__ import annotations

import copy
import itertools
import json
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st
from slack_sdk.signature import SignatureVerifier

from bot.core.config import AccessRules
from testkit.fakeslack import FakeSlack
from testkit.signed import (
    FORM,
    SIGNING_SECRET,
    TEAM,
    action_body,
    event_body,
    get,
    slash_body,
)
from tests.bot.slack.conftest import RunningApp, running_app, seed
from tests.conftest import Store
from tests.security.fuzzing import (
    FUZZ_SETTINGS,
    LogRecorder,
    hostile_text,
    json_values,
    recording_logs,
)

Json = dict[str, Any]
Where = tuple[str | int, ...]
JSON = "application/json"
ACCESS = AccessRules(
    allowed_team_ids=[TEAM],
    restricted_metrics=["mrr", "arr"],
    restricted_viewers=["U0BOSS", "S0REVENUE"],
    restricted_channels=["C0REV"],
)
QUESTIONS = ("cac last month", "mrr last month", "funnel", "trend cac", "help", "chrun ytd")
_event_ids = itertools.count(1)


@pytest.fixture
def fuzzed_app(store: Store, fake_slack: FakeSlack) -> Iterator[tuple[RunningApp, LogRecorder]]:
    seed(store)
    with recording_logs() as logs, running_app(store, fake_slack, ACCESS) as running:
        yield running, logs


# --- real payloads --------------------------------------------------------------------
def _slash(question: str, response_url: str) -> Json:
    return dict(parse_qsl(slash_body(question, response_url)))


def _mention(question: str, response_url: str) -> Json:
    event = {"type": "app_mention", "user": "U0ASKER", "text": f"<@UBOT0001> {question}",
             "ts": "1700000000.000001", "channel": "C0GENERAL"}  # fmt: skip
    return dict(json.loads(event_body(event, "Ev")))


def _dm(question: str, response_url: str) -> Json:
    event = {"type": "message", "channel_type": "im", "user": "U0BOSS", "text": question,
             "ts": "1700000000.000002", "channel": "D0BOSS"}  # fmt: skip
    return dict(json.loads(event_body(event, "Ev")))


def _home(question: str, response_url: str) -> Json:
    event = {"type": "app_home_opened", "user": "U0BOSS", "tab": "home", "channel": "D0BOSS"}
    return dict(json.loads(event_body(event, "Ev")))


def _button(action: str) -> Callable[[str, str], Json]:
    def payload(question: str, response_url: str) -> Json:
        value = json.dumps({"q": question, "d": "2026-11-25"})
        form = dict(parse_qsl(action_body(action, value, response_url, ephemeral=False)))
        return dict(json.loads(form["payload"]))

    return payload


def _as_form(payload: Json) -> str:
    return urlencode(
        {key: value if isinstance(value, str) else json.dumps(value) for key, value in
         payload.items()}
    )  # fmt: skip


ENCODERS: dict[str, tuple[Callable[[Json], str], str]] = {
    "slash": (_as_form, FORM),
    "event": (json.dumps, JSON),
    "action": (lambda payload: urlencode({"payload": json.dumps(payload)}), FORM),
}
KINDS: dict[str, tuple[str, Callable[[str, str], Json]]] = {
    "slash command": ("slash", _slash),
    "mention": ("event", _mention),
    "direct message": ("event", _dm),
    "app home": ("event", _home),
    "ask button": ("action", _button("ask:followup")),
    "share button": ("action", _button("share")),
}


# --- mutations ------------------------------------------------------------------------
def _paths(value: Any, prefix: Where = ()) -> list[Where]:
    """Every place in a JSON document that holds a value (the root excluded)."""
    children: list[tuple[str | int, Any]] = []
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    found: list[Where] = []
    for key, child in children:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


def _parent(document: Json, path: Where) -> Any:
    parent: Any = document
    for key in path[:-1]:
        parent = parent[key]
    return parent


@st.composite
def mutated(draw: st.DrawFn, payload: Json) -> Json:
    document = copy.deepcopy(payload)
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        path = draw(st.sampled_from(_paths(document)))
        parent = _parent(document, path)
        operation = draw(st.sampled_from(("delete", "replace", "replace", "add")))
        if operation == "delete":
            del parent[path[-1]]
        elif operation == "replace":
            parent[path[-1]] = draw(json_values())
        elif isinstance(parent, dict):
            parent[draw(st.text(max_size=12))] = draw(json_values())
        if not document:
            break
    return document


@st.composite
def mangled(draw: st.DrawFn, body: str) -> bytes:
    """The encoded body, sometimes cut short, spliced with junk or in another encoding."""
    operation = draw(st.sampled_from(("keep", "keep", "truncate", "splice", "latin-1")))
    if operation == "truncate":
        body = body[: draw(st.integers(min_value=0, max_value=len(body)))]
    elif operation == "splice":
        at = draw(st.integers(min_value=0, max_value=len(body)))
        body = body[:at] + draw(hostile_text()) + body[at:]
    elif operation == "latin-1":
        return body.encode("latin-1", errors="replace")
    return body.encode("utf-8", errors="surrogatepass")


def _post_signed_bytes(url: str, body: bytes, content_type: str) -> int:
    """Signed like Slack signs (over the exact bytes); returns the status."""
    timestamp = str(int(time.time()))
    signature = SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body)
    headers = {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": str(signature)}
    if content_type:
        headers["Content-Type"] = content_type
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def _assert_clean(running: RunningApp, logs: LogRecorder) -> None:
    health = get(running.root + "/healthz")
    running.settle()  # every answer in progress has finished (or failed)
    assert health.status == 200
    assert logs.tracebacks() == []


@pytest.mark.parametrize("kind", list(KINDS))
def test_mutated_signed_requests_never_crash_the_handler(
    fuzzed_app: tuple[RunningApp, LogRecorder], kind: str
) -> None:
    running, logs = fuzzed_app
    encoding, build = KINDS[kind]
    encode, content_type = ENCODERS[encoding]

    @FUZZ_SETTINGS
    @given(data=st.data())
    def one_request(data: st.DataObject) -> None:
        question = data.draw(st.sampled_from(QUESTIONS) | hostile_text(), label="question")
        payload = build(question, running.fake.response_url())
        if "event_id" in payload:
            payload["event_id"] = f"Ev{next(_event_ids):08d}"
        body = data.draw(mangled(encode(data.draw(mutated(payload), label="payload"))))
        sent_as = data.draw(st.sampled_from((content_type, content_type, JSON, FORM, "text/plain",
                                             "")), label="content type")  # fmt: skip
        status = _post_signed_bytes(running.events_url, body, sent_as)
        assert status < 500, (status, body[:300])

    one_request()
    _assert_clean(running, logs)
