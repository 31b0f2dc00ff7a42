"""The Bolt app: Web API client, access policy, event ledger and listeners wired together."""

from __future__ import annotations

import logging
from functools import partial

from slack_bolt import App, BoltResponse
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from bot.alerts.commands import AlertDesk
from bot.alerts.plans import plan_alerts
from bot.alerts.subscriptions import SubscriptionDesk
from bot.alerts.targets import TargetDesk
from bot.core.access import AccessPolicy, GroupDirectory
from bot.core.clock import Clock
from bot.core.config import Settings
from bot.slack.answering import Answerer
from bot.slack.channels import seat_of
from bot.slack.dedupe import EventLedger
from bot.slack.home import AdminView
from bot.slack.listeners import MAX_REASON_CHARS, register_listeners
from bot.slack.responder import Responder
from bot.slack.runners import ANSWER_THREADS, JobRunner, ThreadRunner
from bot.slack.texts import SlackLog
from bot.syncing.registry import configured_sources
from metrics.engine import MetricsContext

__all__ = ["answer_threads", "build_app", "build_responder", "web_client"]

RATE_LIMIT_RETRIES = 2
MISSING_SECRETS = "SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET must be set"

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


def _policy(settings: Settings, client: WebClient) -> AccessPolicy:
    groups = GroupDirectory(lambda group: client.usergroups_users_list(usergroup=group)["users"])
    return AccessPolicy(settings.access, groups)


def build_responder(
    settings: Settings, engine: Engine, clock: Clock, metrics: MetricsContext
) -> Responder:
    """What answers questions and delivers them: in the web process or an answer process."""
    client = web_client(settings)
    answerer = Answerer(
        engine,
        metrics=metrics,
        policy=_policy(settings, client),
        clock=clock,
        zone=settings.zone,
        command=settings.command,
    )
    admins = frozenset({settings.admin_user} if settings.admin_user else ())
    sources = tuple(configured_sources(settings))
    target_admins = frozenset(settings.access.admins if settings.access else ())
    seats = partial(seat_of, client)
    alerts = AlertDesk(
        engine,
        plan_alerts(settings),
        policy=answerer.policy,
        admins=admins | target_admins,
        command=settings.command,
        seat_of=seats,
        currency=settings.currency,
    )
    targets = TargetDesk(
        engine,
        metrics.targets,
        admins=target_admins,
        command=settings.command,
        currency=settings.currency,
    )
    subscriptions = SubscriptionDesk(
        engine,
        policy=answerer.policy,
        admins=admins | target_admins,
        command=settings.command,
        zone=settings.timezone,
        seat_of=seats,
        clock=clock,
    )
    admin_view = AdminView(admins, sources, settings.zone)
    return Responder(
        answerer, client, admin_view, alerts=alerts, targets=targets, subscriptions=subscriptions
    )


def answer_threads(
    settings: Settings,
    engine: Engine,
    clock: Clock,
    metrics: MetricsContext,
    workers: int = ANSWER_THREADS,
) -> ThreadRunner:
    """Jobs answered on threads of this process (`FUNNELBOT_ANSWER_PROCESSES=0`, tests)."""
    return ThreadRunner(build_responder(settings, engine, clock, metrics), workers)


def build_app(
    settings: Settings,
    engine: Engine,
    clock: Clock,
    runner: JobRunner,
    *,
    socket_mode: bool = False,
) -> App:
    """The Slack app. Every listener acknowledges in the request and submits its job to
    `runner`, so acks never wait for the database. Socket Mode requests are not signed,
    so only HTTP needs the signing secret."""
    secret = settings.slack_signing_secret
    if secret is None and not socket_mode:
        raise ValueError(MISSING_SECRETS)
    client = web_client(settings)
    app = App(
        client=client,
        signing_secret=None if secret is None else secret.get_secret_value(),
        request_verification_enabled=not socket_mode,
        process_before_response=True,
        logger=BOLT_LOGGER,
    )
    ledger = EventLedger(engine, clock)
    register_listeners(app, _policy(settings, client), ledger, settings.command, runner.submit)
    app.error(_failed_request)
    return app


def _failed_request(error: Exception) -> BoltResponse:
    """A listener's ack or a middleware raised: one log line, no traceback. A database
    outage is a 500 (Slack retries); anything else is a signed payload we cannot read."""
    reason = f"{type(error).__name__}: {error}"[:MAX_REASON_CHARS]
    if isinstance(error, OperationalError):
        logger.error(SlackLog.REQUEST_FAILED, extra={"reason": reason})
        return BoltResponse(status=500, body="")
    logger.warning(SlackLog.UNREADABLE_REQUEST, extra={"reason": reason})
    return BoltResponse(status=400, body="")
