"""The HTTP server of `funnelbot serve`: one Slack Request URL and a health check.

A stdlib threading server in front of `App.dispatch`: Bolt verifies signatures and
timestamps (401); the listeners acknowledge within the request and submit the work to
the job runner (`bot.slack.runners`).
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Sequence
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import Engine, text

from bot.core.stopping import stopping_on_signals

__all__ = [
    "EVENTS_PATH",
    "HEALTH_PATH",
    "MAX_BODY_BYTES",
    "SlackHttpServer",
    "database_ok",
    "serve_until_signalled",
]

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1024 * 1024
DISCARD_LIMIT_BYTES = 8 * MAX_BODY_BYTES
SLACK_CONTENT_TYPES = ("application/json", "application/x-www-form-urlencoded")

logger = logging.getLogger("funnelbot.slack.server")

LOG_REQUEST = "slack request"
LOG_MALFORMED = "request with a body Bolt cannot read refused with 400"


def database_ok(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means the database does not answer
        return False
    return True


def _is_slack_content_type(value: str | None) -> bool:
    """Slack sends events as JSON and commands and interactions as forms, nothing else."""
    return value is not None and value.split(";")[0].strip().lower() in SLACK_CONTENT_TYPES


class _Handler(BaseHTTPRequestHandler):
    server: SlackHttpServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if urlsplit(self.path).path != HEALTH_PATH:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        if database_ok(self.server.engine):
            self._send_json(HTTPStatus.OK, {"status": "ok", "database": "ok"})
        else:
            self._send_json(
                HTTPStatus.SERVICE_UNAVAILABLE, {"status": "error", "database": "unreachable"}
            )

    def do_POST(self) -> None:
        parts = urlsplit(self.path)
        if parts.path != EVENTS_PATH:
            self._send_json(HTTPStatus.NOT_FOUND, {"error": "not found"})
            return
        length = self._content_length()
        if length is None:
            return
        if not _is_slack_content_type(self.headers.get("Content-Type")):
            self._discard(length)
            self._send_json(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, {"error": "unsupported content type"}
            )
            return
        started = time.perf_counter()
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        try:
            request = BoltRequest(body=body, query=parts.query, headers=self._headers())
            response = self.server.app.dispatch(request)
        except Exception as error:  # noqa: BLE001 - Bolt reads fields of any shape it is sent
            logger.warning(LOG_MALFORMED, extra={"reason": type(error).__name__})
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": "malformed body"})
            return
        self._send_bolt(response)
        logger.debug(
            LOG_REQUEST,
            extra={
                "status": str(response.status),
                "latency_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )

    def _content_length(self) -> int | None:
        raw = self.headers.get("Content-Length")
        try:
            length = int(raw) if raw is not None else 0
        except ValueError:
            self._send_json(HTTPStatus.BAD_REQUEST, {"error": "bad content length"})
            return None
        if length > MAX_BODY_BYTES or length < 0:
            self._discard(length)
            self.close_connection = True
            self._send_json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "body too large"})
            return None
        return length

    def _discard(self, length: int) -> None:
        """Read (a bounded part of) a refused body so the client sees the 413."""
        remaining = min(length, DISCARD_LIMIT_BYTES)
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 65536))
            if not chunk:
                return
            remaining -= len(chunk)

    def _headers(self) -> dict[str, str | Sequence[str]]:
        headers: dict[str, str | Sequence[str]] = {}
        for name in self.headers:
            headers[name.lower()] = self.headers.get_all(name) or []
        return headers

    def _send_bolt(self, response: BoltResponse) -> None:
        payload = response.body.encode("utf-8")
        self.send_response(response.status)
        for name, values in response.headers.items():
            if name.lower() != "content-length":
                for value in values:
                    self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def _send_json(self, status: HTTPStatus, body: dict[str, Any]) -> None:
        payload = json.dumps(body).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, format: str, *args: Any) -> None:
        return  # requests are logged by do_POST through `logging`, without query strings


class SlackHttpServer(ThreadingHTTPServer):
    """One thread per request; closing waits for the requests in progress."""

    daemon_threads = False
    block_on_close = True
    request_queue_size = 128  # bursts of Slack deliveries must not overflow the backlog

    def __init__(self, app: App, engine: Engine, host: str, port: int) -> None:
        super().__init__((host, port), _Handler)
        self.app = app
        self.engine = engine

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up before its answer (a platform health check that timed
        out) is a debug line; anything else is logged with its traceback, not printed."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):
            logger.debug("client %s closed the connection early: %s", client_address, error)
            return
        logger.exception("error while answering %s", client_address)


def serve_until_signalled(server: SlackHttpServer) -> None:
    """Serve until SIGTERM or SIGINT; returns when the requests in progress are done."""

    def stop() -> None:  # shutdown() waits for serve_forever, which runs in this thread
        threading.Thread(target=server.shutdown, name="shutdown").start()

    with stopping_on_signals(stop):
        try:
            server.serve_forever(poll_interval=0.2)
        finally:
            server.server_close()
