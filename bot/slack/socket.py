"""Socket Mode: the same app over a WebSocket, for development without a public URL.

The app-level token (`xapp-…`) asks `apps.connections.open` (at `SLACK_API_URL`, like
every Web API call) for a WebSocket URL; slack_sdk's client reconnects by itself when
Slack asks it to or the connection drops.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.core.stopping import stopping_on_signals

__all__ = ["serve_socket_until_signalled"]


def serve_socket_until_signalled(
    app: App, app_token: str, on_connected: Callable[[], None]
) -> None:
    """Connect, call `on_connected`, then receive envelopes until SIGTERM or SIGINT and
    close the connection. The signals are caught from before the connection opens: the
    first envelope can arrive (and Slack or a platform stop us) while connecting. Raises
    `SlackClientError` or `OSError` when Slack refuses the token or cannot be reached.
    Answers in progress are the caller's to finish (its job runner)."""
    stopped = threading.Event()
    with stopping_on_signals(stopped.set):
        handler = SocketModeHandler(app, app_token)
        handler.connect()  # type: ignore[no-untyped-call]
        try:
            on_connected()
            stopped.wait()
        finally:
            handler.close()  # type: ignore[no-untyped-call]
