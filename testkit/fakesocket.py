"""A fake Slack Socket Mode endpoint: envelopes out over a WebSocket, acknowledgements in.

Slack's Socket Mode works in three steps: the app calls `apps.connections.open` with
its app-level token (`xapp-…`) and gets a WebSocket URL; Slack greets each connection
with `hello`; then every event, slash command or interaction arrives as an envelope,
which the app must acknowledge by sending `{"envelope_id": …, "payload": …}` back.
`FakeSocketMode` plays Slack's end on an ephemeral port and tells a `FakeSlack` to hand
out its URL. slack_sdk's client connects without TLS to any port other than 443.
"""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import Server, ServerConnection, serve

from testkit.fakeslack import PATIENCE_SECONDS, FakeSlack

__all__ = ["FakeSocketMode", "running_fake_socket_mode"]

Json = dict[str, Any]
HELLO: Json = {
    "type": "hello",
    "num_connections": 1,
    "debug_info": {"host": "fake-socket-mode", "approximate_connection_time": 18060},
    "connection_info": {"app_id": "A0APP"},
}


class FakeSocketMode:
    """Connections, envelopes sent and acknowledgements received, behind one condition."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._connections: list[ServerConnection] = []
        self._acks: dict[str, Json] = {}
        self._envelope_ids = itertools.count(1)
        self.url = ""

    def connection_count(self) -> int:
        with self._changed:
            return len(self._connections)

    def wait_for_connections(self, count: int, timeout: float = PATIENCE_SECONDS) -> None:
        """Until `count` connections have been opened in all (reconnections included)."""
        self._wait(lambda: len(self._connections) >= count, timeout, f"{count} connections")

    def send(self, kind: str, payload: Json, *, retry_attempt: int = 0) -> str:
        """Deliver an envelope of `kind` ("slash_commands", "events_api", "interactive")
        on the newest connection; returns its envelope id."""
        envelope_id = f"env-{next(self._envelope_ids)}"
        envelope: Json = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
        }
        if kind == "events_api":
            envelope["retry_attempt"] = retry_attempt
            envelope["retry_reason"] = "timeout" if retry_attempt else ""
        self._newest().send(json.dumps(envelope))
        return envelope_id

    def ask_to_reconnect(self) -> None:
        """Slack's periodic `disconnect` notice: the app must open a new connection."""
        notice = {"type": "disconnect", "reason": "refresh_requested", "debug_info": {}}
        self._newest().send(json.dumps(notice))

    def wait_for_ack(self, envelope_id: str, timeout: float = PATIENCE_SECONDS) -> Json:
        """The acknowledgement of `envelope_id`, as the app sent it."""
        self._wait(lambda: envelope_id in self._acks, timeout, f"an ack of {envelope_id}")
        with self._changed:
            return self._acks[envelope_id]

    def _newest(self) -> ServerConnection:
        with self._changed:
            return self._connections[-1]

    def _wait(self, ready: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        with self._changed:
            while not ready():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(f"no {what} within {timeout} s")
                self._changed.wait(remaining)

    def handle(self, connection: ServerConnection) -> None:
        """One connection: greet it, then record every acknowledgement it sends."""
        with self._changed:
            self._connections.append(connection)
            self._changed.notify_all()
        connection.send(json.dumps(HELLO))
        try:
            for message in connection:
                ack = json.loads(message)
                with self._changed:
                    self._acks[str(ack["envelope_id"])] = ack
                    self._changed.notify_all()
        except ConnectionClosed:
            return


@contextmanager
def running_fake_socket_mode(slack: FakeSlack) -> Iterator[FakeSocketMode]:
    """A fake Socket Mode endpoint whose URL `slack` hands out to `apps.connections.open`."""
    fake = FakeSocketMode()
    server: Server = serve(fake.handle, "127.0.0.1", 0)
    fake.url = f"ws://127.0.0.1:{server.socket.getsockname()[1]}/link"
    slack.socket_mode_url = fake.url
    thread = threading.Thread(target=server.serve_forever, name="fake-socket-mode", daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        thread.join()
