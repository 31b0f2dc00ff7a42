"""`funnelbot socket` end to end: a real process, the fake Slack Web API and a fake
Socket Mode WebSocket endpoint that sends envelopes and records the acknowledgements."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from bot.render.blocks import ButtonQuestion
from testkit.fakeslack import PATIENCE_SECONDS, FakeSlack, wait_for
from testkit.fakesocket import FakeSocketMode, running_fake_socket_mode
from testkit.processes import (
    AS_OF,
    Running,
    assert_clean_exit,
    funnelbot_env,
    start_funnelbot,
)
from testkit.signed import action_payload, event_callback, mention_event, slash_fields
from tests.bot.slack.conftest import seed
from tests.conftest import Store

APP_TOKEN = "xapp-1-A0APP-0123456789-test"
SQLITE_ONLY = pytest.mark.parametrize("store", ["sqlite"], indirect=True)
ANSWER_SECONDS = PATIENCE_SECONDS


@dataclass
class SocketSession:
    """A running `funnelbot socket`, connected to the fake endpoint."""

    slack: FakeSlack
    socket: FakeSocketMode
    process: Running


def _socket_env(store: Store, fake: FakeSlack) -> dict[str, str]:
    """Tokens only: Socket Mode requests are not signed, so no signing secret is set."""
    env = funnelbot_env(store.url, fake, SLACK_APP_TOKEN=APP_TOKEN)
    del env["SLACK_SIGNING_SECRET"]
    return env


@contextmanager
def socket_session(store: Store, fake: FakeSlack, workdir: Path) -> Iterator[SocketSession]:
    """`funnelbot socket` until it has connected; SIGTERM on exit must end it cleanly."""
    with running_fake_socket_mode(fake) as endpoint:
        running = start_funnelbot(
            ["socket", "--as-of", AS_OF], _socket_env(store, fake), workdir, "socket"
        )
        try:
            wait_for(
                lambda: endpoint.connection_count() or running.process.poll() is not None,
                timeout=2 * PATIENCE_SECONDS,
                interval=0.05,
            )
            assert running.process.poll() is None, running.output()
            yield SocketSession(fake, endpoint, running)
        finally:
            status = running.stop()
        assert_clean_exit(running, status)
        assert APP_TOKEN not in running.output()


def test_slash_command_over_socket_mode(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed(store)
    with socket_session(store, fake_slack, tmp_path) as session:
        (opened,) = fake_slack.calls("apps.connections.open")
        assert opened.headers["authorization"] == f"Bearer {APP_TOKEN}"
        command = slash_fields("cac last month", fake_slack.response_url())
        envelope_id = session.socket.send("slash_commands", command)
        assert session.socket.wait_for_ack(envelope_id)["envelope_id"] == envelope_id
        (answer,) = wait_for(lambda: fake_slack.calls("response_url"), timeout=ANSWER_SECONDS)
    assert answer.headline() == "Customer acquisition cost: USD 400"
    assert answer.body["response_type"] == "ephemeral"


@SQLITE_ONLY
def test_redelivered_mention_is_answered_once_in_thread(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed(store)
    delivery = event_callback(mention_event("<@UBOT0001> cac 2026-10"), "EvSocket01")
    with socket_session(store, fake_slack, tmp_path) as session:
        first = session.socket.send("events_api", delivery)
        retry = session.socket.send("events_api", delivery, retry_attempt=1)
        session.socket.wait_for_ack(first)
        session.socket.wait_for_ack(retry)
        wait_for(lambda: fake_slack.calls("chat.postMessage"), timeout=ANSWER_SECONDS)
    (posted,) = fake_slack.calls("chat.postMessage")  # the process has finished every answer
    assert posted.headline() == "Customer acquisition cost: USD 400"
    assert posted.body["thread_ts"] == "1700000000.000001"


@SQLITE_ONLY
def test_button_click_over_socket_mode(store: Store, fake_slack: FakeSlack, tmp_path: Path) -> None:
    seed(store)
    value = ButtonQuestion("cac 2026-10 by channel", date.fromisoformat(AS_OF)).to_value()
    click = action_payload("ask:0", value, fake_slack.response_url())
    with socket_session(store, fake_slack, tmp_path) as session:
        session.socket.wait_for_ack(session.socket.send("interactive", click))
        (answer,) = wait_for(lambda: fake_slack.calls("response_url"), timeout=ANSWER_SECONDS)
    blocks = json.dumps(answer.body["blocks"])
    assert "paid search" in blocks and "organic" in blocks


@SQLITE_ONLY
def test_reconnects_when_slack_asks_and_keeps_answering(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed(store)
    with socket_session(store, fake_slack, tmp_path) as session:
        session.socket.ask_to_reconnect()
        session.socket.wait_for_connections(2)
        command = slash_fields("cac 2026-10", fake_slack.response_url())
        session.socket.wait_for_ack(session.socket.send("slash_commands", command))
        (answer,) = wait_for(lambda: fake_slack.calls("response_url"), timeout=ANSWER_SECONDS)
    assert len(fake_slack.calls("apps.connections.open")) == 2
    assert answer.headline() == "Customer acquisition cost: USD 400"


@SQLITE_ONLY
def test_stopped_as_soon_as_it_connects_exits_cleanly(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    """A stop can come while the connection is still being set up (the platform's
    SIGTERM, or Slack's first envelope already being answered): it must not kill it."""
    with socket_session(store, fake_slack, tmp_path):
        pass


@SQLITE_ONLY
def test_refused_app_token_exits_1_with_the_reason(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    fake_slack.fail_method("apps.connections.open", "invalid_auth")
    running = start_funnelbot(["socket"], _socket_env(store, fake_slack), tmp_path, "socket")
    status = running.process.wait(timeout=PATIENCE_SECONDS)
    output = running.output()
    assert status == 1, output
    assert "error: cannot open a Socket Mode connection: invalid_auth" in output
    assert "Traceback" not in output and APP_TOKEN not in output
