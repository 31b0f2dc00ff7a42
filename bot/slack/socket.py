"""Socket Mode: the same app over a WebSocket, for development without a public URL."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

__all__ = ["run_socket_mode"]


def run_socket_mode(app: App, app_token: str) -> None:
    """Connect with the app-level token (`xapp-…`) and serve until interrupted."""
    handler = SocketModeHandler(app, app_token)
    try:
        handler.start()  # type: ignore[no-untyped-call]
    except KeyboardInterrupt:
        handler.close()  # type: ignore[no-untyped-call]
