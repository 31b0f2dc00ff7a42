"""`funnelbot serve`, `funnelbot socket` and `funnelbot manifest`: the Slack app."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import datetime, time
from typing import Annotated

import typer
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy import Engine

from bot.answers.context import metrics_context
from bot.cli import app
from bot.cli._common import (
    AsOfOption,
    DatabaseUrlOption,
    fail,
    out_console,
    parse_as_of,
    settings_for,
)
from bot.core.clock import Clock, FixedClock, utc_now
from bot.core.config import Settings
from bot.core.logs import configure_logging
from bot.slack.answer_pool import AnswerPool, AnswerSetup
from bot.slack.app import answer_threads, build_app
from bot.slack.manifest import manifest_yaml
from bot.slack.runners import JobRunner
from bot.slack.server import SlackHttpServer, serve_until_signalled
from storage.engine import make_engine
from storage.migrate import ensure_current

__all__ = ["manifest_command", "serve_command", "socket_command"]

logger = logging.getLogger("funnelbot.slack")

MISSING_HTTP_SECRETS = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must be set to serve"
MISSING_SOCKET_TOKENS = "SLACK_APP_TOKEN and SLACK_BOT_TOKEN must be set for Socket Mode"
SLACK_REFUSED = "Slack refused the bot token: {error}"
DATABASE_DOWN = "database unreachable at start; /healthz reports 503 until it answers"
CANNOT_LISTEN = "cannot listen on port {port}: {reason}"
LISTENING = "listening on http://{host}:{port}/slack/events"
CONNECTED = "connected to Slack over Socket Mode; Ctrl+C to stop"
ANSWERING_NOT_STARTED = "the answer processes could not start: {error}"
SOCKET_REFUSED = "cannot open a Socket Mode connection: {error}"
HOST = "0.0.0.0"  # the platform routes $PORT to this process

PortOption = Annotated[
    int | None, typer.Option("--port", help="HTTP port (default: $PORT, else 3000).")
]


def _clock(settings: Settings, as_of: str | None) -> Clock:
    """Now, or noon of `--as-of` in the configured timezone."""
    if as_of is None:
        return utc_now
    return FixedClock(datetime.combine(parse_as_of(as_of, settings), time(12), settings.zone))


def _store(settings: Settings) -> Engine:
    """The store, migrated when behind and reachable; an unreachable one is reported by
    /healthz."""
    engine = make_engine(settings.database_url)
    try:
        ensure_current(engine)
    except Exception:  # noqa: BLE001 - any driver error: keep serving, health says 503
        logger.warning(DATABASE_DOWN)
    return engine


def _reason(error: Exception) -> str:
    """Slack's own error code when it answered (`invalid_auth`), else the first line."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or error).splitlines()[0]
    return str(error).splitlines()[0]


@contextmanager
def _answering(settings: Settings, engine: Engine, clock: Clock) -> Iterator[JobRunner]:
    """Where answers are computed, not started yet; every answer in progress is finished
    on exit."""
    metrics = metrics_context(settings)
    processes = settings.answer_processes
    runner: JobRunner
    if processes == 0:
        runner = answer_threads(settings, engine, clock, metrics)
    else:
        runner = AnswerPool(AnswerSetup(settings, clock, metrics), processes)
    try:
        yield runner
    finally:
        runner.shutdown()


def _slack_app(
    settings: Settings,
    engine: Engine,
    clock: Clock,
    runner: JobRunner,
    *,
    socket_mode: bool = False,
) -> App:
    try:
        return build_app(settings, engine, clock, runner, socket_mode=socket_mode)
    except (BoltError, SlackClientError) as error:
        fail(SLACK_REFUSED.format(error=_reason(error)))


def _start(runner: JobRunner) -> None:
    try:
        runner.start()
    except (BrokenProcessPool, OSError) as error:
        fail(ANSWERING_NOT_STARTED.format(error=str(error).splitlines()[0]))


def _listen(slack: App, engine: Engine, port: int) -> SlackHttpServer:
    try:
        return SlackHttpServer(slack, engine, HOST, port)
    except (OSError, OverflowError) as error:
        reason = error.strerror if isinstance(error, OSError) and error.strerror else error
        fail(CANNOT_LISTEN.format(port=port, reason=reason))


@app.command("serve")
def serve_command(
    port: PortOption = None, as_of: AsOfOption = None, database_url: DatabaseUrlOption = None
) -> None:
    """The Slack app over HTTP: POST /slack/events and GET /healthz."""
    settings = settings_for(database_url)
    if settings.slack_bot_token is None or settings.slack_signing_secret is None:
        fail(MISSING_HTTP_SECRETS)
    configure_logging(settings)
    engine = _store(settings)
    clock = _clock(settings, as_of)
    try:
        with _answering(settings, engine, clock) as runner:
            slack = _slack_app(settings, engine, clock, runner)
            server = _listen(slack, engine, port or settings.port)
            _start(runner)
            out_console().print(LISTENING.format(host=HOST, port=server.port), markup=False)
            serve_until_signalled(server)
    finally:
        engine.dispose()


@app.command("socket")
def socket_command(as_of: AsOfOption = None, database_url: DatabaseUrlOption = None) -> None:
    """The Slack app over Socket Mode (needs SLACK_APP_TOKEN), for development."""
    from bot.slack.socket import serve_socket_until_signalled

    settings = settings_for(database_url)
    if settings.slack_app_token is None or settings.slack_bot_token is None:
        fail(MISSING_SOCKET_TOKENS)
    configure_logging(settings)
    engine = _store(settings)
    clock = _clock(settings, as_of)
    app_token = settings.slack_app_token.get_secret_value()
    try:
        with _answering(settings, engine, clock) as runner:
            slack = _slack_app(settings, engine, clock, runner, socket_mode=True)
            _start(runner)  # envelopes arrive as soon as the connection is open
            try:
                serve_socket_until_signalled(slack, app_token, _say_connected)
            except (SlackClientError, OSError) as error:
                fail(SOCKET_REFUSED.format(error=_reason(error)))
    finally:
        engine.dispose()


def _say_connected() -> None:
    out_console().print(CONNECTED, markup=False)


@app.command("manifest")
def manifest_command(
    url: Annotated[
        str | None, typer.Option("--url", help="Public base URL, e.g. https://bot.example.com")
    ] = None,
    socket_mode: Annotated[
        bool, typer.Option("--socket", help="A manifest for Socket Mode (no request URLs).")
    ] = False,
    database_url: DatabaseUrlOption = None,
) -> None:
    """Print the Slack app manifest (YAML) for the configured slash command."""
    settings = settings_for(database_url)
    if url is not None and not url.startswith("https://"):
        fail(f"--url must start with https://, not {url!r}")
    typer.echo(manifest_yaml(settings.command, url, socket_mode=socket_mode), nl=False)
