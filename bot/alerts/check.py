"""`funnelbot alerts check`: every alert judged on its last complete period, and posted to
each of its channels exactly once when it starts firing or recovers.

Deliveries go through the digests' ledger (`digest_deliveries`, keyed "alert:NAME",
channel, period start) and the digests' sender (Retry-After, no blind re-posts, the
channel's history searched after an ambiguous failure), so an alert is posted once per
channel and period across re-runs, restarts and racing processes. A channel that cannot
be reached is recorded, DMed to the admin, and does not stop the other channels or alerts.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Engine

from bot.alerts.evaluate import Evaluation, Transition, evaluate_alert
from bot.alerts.plans import AlertPlan, stored_plan
from bot.alerts.render import AlertTag, alert_message
from bot.alerts.state import Evaluations
from bot.alerts.store import SlackAlerts
from bot.alerts.texts import AlertLog, Errors
from bot.answers.context import metrics_context
from bot.core.config import ConfigError, Settings
from bot.digests.ledger import Claim, ClaimOutcome, DeliveryKey, Ledger, utc_now
from bot.digests.sender import PERMANENT_ERRORS, DigestSender, SendError
from metrics.engine import MetricsContext
from metrics.periods import Period

__all__ = [
    "AlertChecker",
    "AlertResult",
    "CheckReport",
    "Delivered",
    "Readiness",
    "checker_for",
]

logger = logging.getLogger("funnelbot.alerts")

# Whether the data of a period is in (None) or why not yet ("waiting for the stripe sync…").
Readiness = Callable[[Period], str | None]


class Delivered(StrEnum):
    SENT = "sent"
    RECOVERED = "found in the channel after an interrupted post"
    ALREADY_SENT = "already sent"
    BUSY = "being sent by another process"
    FAILED = "failed"


_SKIPPED = {ClaimOutcome.SENT: Delivered.ALREADY_SENT, ClaimOutcome.BUSY: Delivered.BUSY}


@dataclass(frozen=True, slots=True)
class ChannelDelivery:
    channel: str
    outcome: Delivered
    error: str | None = None


@dataclass(frozen=True, slots=True)
class AlertResult:
    """One alert's check: its evaluation (None when it waited or failed), its deliveries."""

    name: str
    evaluation: Evaluation | None
    deliveries: tuple[ChannelDelivery, ...] = ()
    waiting: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class CheckReport:
    results: tuple[AlertResult, ...]

    @property
    def failed(self) -> tuple[tuple[str, ChannelDelivery], ...]:
        return tuple(
            (result.name, item)
            for result in self.results
            for item in result.deliveries
            if item.outcome is Delivered.FAILED
        )


def _always_ready(_period: Period) -> str | None:
    return None


class AlertChecker:
    def __init__(
        self,
        engine: Engine,
        plans: Mapping[str, AlertPlan],
        *,
        ledger: Ledger,
        sender: DigestSender | None,
        context: MetricsContext,
        zone: str,
        admin_user: str | None,
        clock: Callable[[], datetime],
        ready: Readiness = _always_ready,
    ) -> None:
        self.engine = engine
        self.plans = dict(plans)
        self.ledger = ledger
        self.sender = sender
        self.evaluations = Evaluations(engine, clock)
        self._context = context
        self.zone = zone
        self._admin = admin_user
        self._clock = clock
        self._ready = ready

    def current_plans(self) -> dict[str, AlertPlan]:
        """The TOML alerts and the unpaused ones made from Slack, read at every check."""
        plans = dict(self.plans)
        for stored in SlackAlerts(self.engine).all():
            plan = None if stored.paused else stored_plan(stored)
            if plan is not None:
                plans.setdefault(plan.name, plan)
        return plans

    def check(self, today: date, *, dry_run: bool = False) -> CheckReport:
        """Every alert on its last complete period before `today`; nothing recorded or
        posted with `dry_run`."""
        plans = self.current_plans().values()
        return CheckReport(tuple(self._check(plan, today, dry_run) for plan in plans))

    def _check(self, plan: AlertPlan, today: date, dry_run: bool) -> AlertResult:
        waiting = self._ready(plan.period(today))
        if waiting is not None:
            logger.info(AlertLog.WAITING, extra={"alert": plan.name, "reason": waiting})
            return AlertResult(plan.name, None, waiting=waiting)
        try:
            evaluation = evaluate_alert(
                self.engine, plan, today, self._context, self.evaluations, record=not dry_run
            )
        except Exception as error:  # one broken alert must not stop the others
            logger.exception(AlertLog.JOB_FAILED, extra={"alert": plan.name})
            return AlertResult(plan.name, None, error=str(error) or type(error).__name__)
        logger.info(_log_of(evaluation.transition), extra=_context(evaluation))
        if dry_run or not evaluation.transition.posts:
            return AlertResult(plan.name, evaluation)
        deliveries = tuple(self._deliver(evaluation, channel) for channel in plan.channels)
        return AlertResult(plan.name, evaluation, deliveries)

    def _deliver(self, evaluation: Evaluation, channel: str) -> ChannelDelivery:
        plan, period = evaluation.plan, evaluation.period
        key = DeliveryKey(plan.ledger_name, channel, period.start)
        claim = self.ledger.claim(key)
        if not claim.outcome.must_send:
            return ChannelDelivery(channel, _SKIPPED[claim.outcome])
        tag = AlertTag(plan.name, channel, period.start.isoformat())
        try:
            return self._post(evaluation, key, tag, claim)
        except SendError as error:
            return self._failed(evaluation, key, error)

    def _post(
        self, evaluation: Evaluation, key: DeliveryKey, tag: AlertTag, claim: Claim
    ) -> ChannelDelivery:
        sender = self._sender()
        if _may_have_been_posted(claim) and claim.previous_claim is not None:
            found = sender.find(key.channel, tag, claim.previous_claim)
            if found is not None:
                self.ledger.mark_sent(key, found)
                logger.warning(AlertLog.FOUND, extra=_context(evaluation, key.channel))
                return ChannelDelivery(key.channel, Delivered.RECOVERED)
        message = alert_message(evaluation, self.zone)
        message_ts = sender.post(key.channel, message, tag, since=self._clock())
        self.ledger.mark_sent(key, message_ts)
        logger.info(AlertLog.SENT, extra=_context(evaluation, key.channel))
        return ChannelDelivery(key.channel, Delivered.SENT)

    def _failed(
        self, evaluation: Evaluation, key: DeliveryKey, error: SendError
    ) -> ChannelDelivery:
        self.ledger.mark_failed(key, error.error)
        extra = {**_context(evaluation, key.channel), "reason": error.error}
        logger.error(AlertLog.FAILED, extra=extra)
        if self._admin and self.sender is not None:
            text = Errors.ADMIN_DM.format(
                name=evaluation.plan.name,
                period=evaluation.period.label,
                channel=key.channel,
                error=error.error,
            )
            self.sender.notify(self._admin, text)
        return ChannelDelivery(key.channel, Delivered.FAILED, error.error)

    def _sender(self) -> DigestSender:
        if self.sender is None:
            raise SendError(Errors.NO_TOKEN, permanent=True)
        return self.sender


def checker_for(
    settings: Settings,
    engine: Engine,
    plans: Mapping[str, AlertPlan],
    *,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    owner: str | None = None,
    ready: Readiness = _always_ready,
    need_token: bool = True,
) -> AlertChecker:
    """The production wiring: the ledger in `engine`, Slack at `settings.slack_api_url`."""
    token = settings.slack_bot_token
    if token is None and need_token:
        raise ConfigError(Errors.NO_TOKEN)
    sender = None
    if token is not None:
        sender = DigestSender(token.get_secret_value(), settings.slack_api_url, sleep=sleep)
    return AlertChecker(
        engine,
        plans,
        ledger=Ledger(engine, owner, clock=clock),
        sender=sender,
        context=metrics_context(settings),
        zone=settings.timezone,
        admin_user=settings.admin_user,
        clock=clock,
        ready=ready,
    )


def _may_have_been_posted(claim: Claim) -> bool:
    """A crash mid-send, or a failure that may have reached Slack: look before posting."""
    if claim.outcome is ClaimOutcome.STALE:
        return True
    return claim.outcome is ClaimOutcome.RETRY and claim.previous_error not in PERMANENT_ERRORS


def _log_of(transition: Transition) -> str:
    if transition is Transition.FIRED:
        return AlertLog.FIRED
    if transition is Transition.RECOVERED:
        return AlertLog.RECOVERED
    return AlertLog.QUIET


def _context(evaluation: Evaluation, channel: str | None = None) -> dict[str, str]:
    values = {
        "alert": evaluation.plan.name,
        "period": evaluation.period.label,
        "transition": evaluation.transition.value,
    }
    if channel is not None:
        values["channel"] = channel
    return values
