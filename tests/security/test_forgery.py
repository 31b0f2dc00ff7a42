"""Replay and forgery against a real `funnelbot serve`: every refused request gets its
4xx, nothing reaches Slack, and the server stays healthy. One server for the module;
each test ends with a genuine request whose answer proves the refused ones left no work
behind (answers are never waited for by sleeping)."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from slack_sdk.signature import SignatureVerifier

from bot.slack.server import MAX_BODY_BYTES
from storage.engine import make_engine
from storage.migrate import upgrade
from testkit.fakeslack import FakeSlack, running_fake_slack, wait_for
from testkit.processes import Running, funnelbot_env, serving
from testkit.signed import (
    FORM,
    SIGNING_SECRET,
    TEAM,
    action_body,
    event_body,
    post_signed,
    post_unsigned,
    slash_body,
)
from tests.bot.slack.conftest import seed
from tests.conftest import Store

JSON = "application/json"
OTHER_TEAM = "T0INTRUDER"
ACCESS_TOML = f"""
[access]
allowed_team_ids = ["{TEAM}"]
restricted_metrics = ["mrr", "arr"]
restricted_viewers = ["U0BOSS"]
restricted_channels = ["C0REV"]
"""
FIVE_MINUTES = 300


@dataclass(frozen=True)
class Target:
    served: Running
    fake: FakeSlack


@pytest.fixture(scope="module")
def target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Target]:
    workdir = tmp_path_factory.mktemp("forgery")
    url = f"sqlite:///{workdir / 'funnelbot.db'}"
    engine = make_engine(url)
    upgrade(engine)
    seed(Store(engine, url, None))
    engine.dispose()
    config = workdir / "funnelbot.toml"
    config.write_text(ACCESS_TOML)
    with running_fake_slack() as fake:
        env = funnelbot_env(url, fake, config=config)
        with serving(env, workdir) as served:
            yield Target(served, fake)


@pytest.fixture
def server(target: Target) -> Target:
    """The module's server with a fresh record of Slack calls."""
    target.fake.reset()
    return target


def _only_genuine_answer_follows(target: Target, *, besides: tuple[str, ...] = ()) -> None:
    """A genuine question is answered, the server is healthy, and nothing else than
    `besides` reached Slack (refused requests are refused before any work is queued)."""
    genuine = slash_body("cac last month", target.fake.response_url("genuine"))
    assert post_signed(target.served.events_url, genuine).status == 200
    wait_for(lambda: target.fake.calls("response_url"))
    assert sorted(call.method for call in target.fake.calls()) == sorted(("response_url", *besides))
    assert target.fake.calls("response_url")[0].path.endswith("/genuine")
    assert target.served.healthy()


def _slash(fake: FakeSlack, team: str = TEAM) -> str:
    return slash_body("cac last month", fake.response_url("forged")).replace(TEAM, team)


def _signature(body: str, timestamp: str) -> str:
    return str(SignatureVerifier(SIGNING_SECRET).generate_signature(timestamp=timestamp, body=body))


def _headers_without(body: str, *dropped: str) -> dict[str, str]:
    now = str(int(time.time()))
    headers = {
        "Content-Type": FORM,
        "X-Slack-Request-Timestamp": now,
        "X-Slack-Signature": _signature(body, now),
    }
    return {name: value for name, value in headers.items() if name not in dropped}


@pytest.mark.parametrize(
    "dropped",
    [("X-Slack-Signature",), ("X-Slack-Request-Timestamp",),
     ("X-Slack-Signature", "X-Slack-Request-Timestamp")],
)  # fmt: skip
def test_missing_signature_headers_are_401(server: Target, dropped: tuple[str, ...]) -> None:
    body = _slash(server.fake)
    assert (
        post_unsigned(server.served.events_url, body, _headers_without(body, *dropped)).status
        == 401
    )
    _only_genuine_answer_follows(server)


def test_bad_signatures_are_401(server: Target) -> None:
    body = _slash(server.fake)
    url = server.served.events_url
    assert post_signed(url, body, secret="not-the-signing-secret").status == 401
    other_body = _headers_without(body.replace("cac", "mrr"))
    assert post_unsigned(url, body, other_body).status == 401
    tampered = _headers_without(body)
    tampered["X-Slack-Signature"] = tampered["X-Slack-Signature"][:-4] + "0000"
    assert post_unsigned(url, body, tampered).status == 401
    _only_genuine_answer_follows(server)


@pytest.mark.parametrize("age_seconds", [FIVE_MINUTES + 30, 3600, -(FIVE_MINUTES + 30), -86400])
def test_stale_and_future_timestamps_are_401(server: Target, age_seconds: int) -> None:
    body = _slash(server.fake)
    assert post_signed(server.served.events_url, body, age_seconds=age_seconds).status == 401
    _only_genuine_answer_follows(server)


def test_a_replayed_event_is_answered_once(server: Target) -> None:
    mention = {"type": "app_mention", "user": "U0ASKER", "text": "<@UBOT0001> cac 2026-10",
               "ts": "1700000000.000001", "channel": "C0GENERAL"}  # fmt: skip
    body = event_body(mention, "EvReplay0001")
    url = server.served.events_url
    assert post_signed(url, body, JSON).status == 200
    wait_for(lambda: server.fake.calls("chat.postMessage"))
    for retry in ("1", "2"):
        headers = {"X-Slack-Retry-Num": retry, "X-Slack-Retry-Reason": "http_timeout"}
        assert post_signed(url, body, JSON, extra=headers).status == 200
    assert post_signed(url, body, JSON).status == 200  # the same delivery, replayed verbatim
    _only_genuine_answer_follows(server, besides=("chat.postMessage",))


def test_other_workspaces_get_403_and_nothing_else(server: Target) -> None:
    url = server.served.events_url
    fake = server.fake
    mention = {"type": "app_mention", "user": "U0ASKER", "text": "<@UBOT0001> mrr",
               "ts": "1700000000.000002", "channel": "C0GENERAL"}  # fmt: skip
    forged_event = event_body(mention, "EvIntruder01").replace(TEAM, OTHER_TEAM)
    value = json.dumps({"q": "mrr last month", "d": "2026-11-25"})
    forged_click = action_body("share", value, fake.response_url("forged")).replace(
        TEAM, OTHER_TEAM
    )
    assert post_signed(url, _slash(fake, OTHER_TEAM)).status == 403
    assert post_signed(url, forged_event, JSON).status == 403
    assert post_signed(url, forged_click).status == 403
    _only_genuine_answer_follows(server)


def test_oversized_bodies_are_413(server: Target) -> None:
    url = server.served.events_url
    padded = slash_body("cac " + "x" * MAX_BODY_BYTES, server.fake.response_url("forged"))
    assert post_signed(url, padded).status == 413
    assert post_unsigned(url, "x" * (4 * MAX_BODY_BYTES), {"Content-Type": FORM}).status == 413
    _only_genuine_answer_follows(server)


def _body_kinds(fake: FakeSlack) -> dict[str, tuple[str, str]]:
    return {
        "broken JSON": ('{"type": "event_callback", "event": {', JSON),
        "JSON that is a list": ("[1, 2, 3]", JSON),
        "a form sent as JSON": (_slash(fake), JSON),
        "an event that is null": (
            json.dumps(
                {"type": "event_callback", "team_id": TEAM, "event_id": "EvNull0001", "event": None}
            ),
            JSON,
        ),
        "an event without a type": (
            json.dumps(
                {
                    "type": "event_callback",
                    "team_id": TEAM,
                    "event_id": "EvNoType01",
                    "event": {"text": "cac"},
                }
            ),
            JSON,
        ),
        "a broken interaction payload": ("payload=%7Bbroken", FORM),
        "an interaction payload that is a list": (f"payload={quote('[1]')}", FORM),
        "an empty body": ("", FORM),
        "a form sent as text": (_slash(fake), "text/plain"),
        "a form sent as XML": (_slash(fake), "application/xml"),
    }


@pytest.mark.parametrize(
    "kind",
    ["broken JSON", "JSON that is a list", "a form sent as JSON", "an event that is null",
     "an event without a type", "a broken interaction payload",
     "an interaction payload that is a list", "an empty body", "a form sent as text",
     "a form sent as XML"],
)  # fmt: skip
def test_malformed_signed_bodies_are_4xx(server: Target, kind: str) -> None:
    body, content_type = _body_kinds(server.fake)[kind]
    status = post_signed(server.served.events_url, body, content_type).status
    assert 400 <= status < 500
    _only_genuine_answer_follows(server)
