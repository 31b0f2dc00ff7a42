"""Socket Mode: the same app over a WebSocket, for development without a public URL.

The app-level token (`xapp-…`) asks `apps.connections.open` (at `SLACK_API_URL`, like
every Web API call) for a WebSocket URL; slack_sdk's client reconnects by itself when
Slack asks it to or the connection drops.
"""

from __future__ import annotations

import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

from bot.core.stopping import stopping_on_signals

__all__ = ["connect_socket_mode", "serve_socket_until_signalled"]


def connect_socket_mode(app: App, app_token: str) -> SocketModeHandler:
    """Open the first connection; raises `SlackClientError` or `OSError` when Slack
    refuses the token or cannot be reached."""
    handler = SocketModeHandler(app, app_token)
    handler.connect()  # type: ignore[no-untyped-call]
    return handler


def serve_socket_until_signalled(handler: SocketModeHandler) -> None:
    """Receive envelopes until SIGTERM or SIGINT, then close the connection. Answers in
    progress are the caller's to finish (its job runner)."""
    stopped = threading.Event()
    with stopping_on_signals(stopped.set):
        try:
            stopped.wait()
        finally:
            handler.close()  # type: ignore[no-untyped-call]
