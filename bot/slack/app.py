"""The Bolt app: Web API client, access policy, event ledger and listeners wired together."""

from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.access import AccessPolicy, GroupDirectory
from bot.clock import Clock
from bot.config import Settings
from bot.slack.answering import Answerer
from bot.slack.dedupe import EventLedger
from bot.slack.jobs import Job
from bot.slack.listeners import register_listeners
from bot.slack.responder import Responder
from bot.slack.texts import Log
from metrics.engine import MetricsContext

__all__ = [
    "ANSWER_NICENESS",
    "ANSWER_WORKERS",
    "answer_executor",
    "build_app",
    "build_responder",
    "web_client",
]

# Answering is CPU-bound database work: threads beyond the cores add no throughput and
# slow the acks down (bench/slack_load.py: ack p50 95 ms with 3 threads, 330 ms with 8).
ANSWER_WORKERS = (os.cpu_count() or 1) + 1
ANSWER_NICENESS = 10
RATE_LIMIT_RETRIES = 2
MISSING_SECRETS = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must be set"
MAX_REASON_CHARS = 200

logger = logging.getLogger("funnelbot.slack")


class _EnvironmentTokenNotice(logging.Filter):
    """Bolt reads SLACK_BOT_TOKEN from the environment by itself and then warns that our
    client (which holds that same token) takes precedence; the warning is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


BOLT_LOGGER = logging.getLogger("funnelbot.slack.bolt")
BOLT_LOGGER.addFilter(_EnvironmentTokenNotice())


def web_client(settings: Settings) -> WebClient:
    """The Web API client: the configured base URL, retries on 429 and dropped connections."""
    if settings.slack_bot_token is None:
        raise ValueError(MISSING_SECRETS)
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        retry_handlers=[
            ConnectionErrorRetryHandler(),
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
        ],
    )


def _yield_cpu_to_requests() -> None:
    """Answers run at a lower CPU priority than the request threads, so acks stay fast
    while the database work of earlier questions is in progress (Linux per-thread nice)."""
    with contextlib.suppress(OSError, AttributeError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), ANSWER_NICENESS)


def answer_executor(workers: int = ANSWER_WORKERS) -> ThreadPoolExecutor:
    """The threads that answer after the ack (Bolt's lazy listeners)."""
    return ThreadPoolExecutor(workers, "answer", initializer=_yield_cpu_to_requests)


def build_responder(
    settings: Settings, engine: Engine, clock: Clock, metrics: MetricsContext, client: WebClient
) -> Responder:
    """What answers questions and delivers them: in the web process or an answer process."""
    groups = GroupDirectory(lambda group: client.usergroups_users_list(usergroup=group)["users"])
    answerer = Answerer(
        engine,
        metrics=metrics,
        policy=AccessPolicy(settings.access, groups),
        clock=clock,
        zone=settings.zone,
        command=settings.command,
    )
    return Responder(answerer, client)


def build_app(
    settings: Settings,
    engine: Engine,
    clock: Clock,
    metrics: MetricsContext,
    *,
    executor: ThreadPoolExecutor | None = None,
    run_job: Callable[[Job], None] | None = None,
    socket_mode: bool = False,
) -> App:
    """The Slack app. Every listener acknowledges in the request and hands its job on
    from `executor` (lazy listeners), so acks never wait for the database; `run_job`
    does it (an answer process, `bot.slack.answer_pool`), else this process's responder.
    Socket Mode requests are not signed, so only HTTP needs the signing secret."""
    secret = settings.slack_signing_secret
    if secret is None and not socket_mode:
        raise ValueError(MISSING_SECRETS)
    client = web_client(settings)
    app = App(
        client=client,
        signing_secret=None if secret is None else secret.get_secret_value(),
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        listener_executor=executor or answer_executor(),
        logger=BOLT_LOGGER,
    )
    responder = build_responder(settings, engine, clock, metrics, client)
    policy = responder.answerer.policy
    ledger = EventLedger(engine, clock)
    register_listeners(app, policy, ledger, settings.command, run_job or responder.handle)
    app.error(_failed_request)
    return app


def _failed_request(error: Exception) -> BoltResponse:
    """A listener's ack or a middleware raised: one log line, no traceback. A database
    outage is a 500 (Slack retries); anything else is a signed payload we cannot read."""
    reason = f"{type(error).__name__}: {error}"[:MAX_REASON_CHARS]
    if isinstance(error, OperationalError):
        logger.error(Log.REQUEST_FAILED, extra={"reason": reason})
        return BoltResponse(status=500, body="")
    logger.warning(Log.UNREADABLE_REQUEST, extra={"reason": reason})
    return BoltResponse(status=400, body="")
