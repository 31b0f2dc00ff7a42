"""One audience's digest for one week, delivered to each channel through the ledger."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Engine

from bot.answers.context import metrics_context
from bot.core.access import AccessPolicy
from bot.core.config import ConfigError, Settings
from bot.digests.audiences import AudiencePlan
from bot.digests.builder import Digest, build_digest, digest_week
from bot.digests.ledger import Claim, ClaimOutcome, DeliveryKey, Ledger, utc_now
from bot.digests.render import DeliveryTag, digest_chart, digest_message
from bot.digests.sender import PERMANENT_ERRORS, DigestSender, SendError
from bot.digests.texts import DigestLog, Errors
from bot.render.charts import Chart
from metrics.engine import MetricsContext
from metrics.periods import Period

__all__ = ["ChannelResult", "Deliverer", "DeliveryReport", "Outcome"]

logger = logging.getLogger("funnelbot.digests")


class Outcome(StrEnum):
    SENT = "sent"
    RECOVERED = "found in the channel after an interrupted delivery"
    ALREADY_SENT = "already sent"
    BUSY = "being sent by another process"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ChannelResult:
    channel: str
    outcome: Outcome
    message_ts: str | None = None
    error: str | None = None


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    audience: str
    week: Period
    results: tuple[ChannelResult, ...]

    @property
    def failed(self) -> tuple[ChannelResult, ...]:
        return tuple(item for item in self.results if item.outcome is Outcome.FAILED)


_SKIPPED = {ClaimOutcome.SENT: Outcome.ALREADY_SENT, ClaimOutcome.BUSY: Outcome.BUSY}


@dataclass
class _DigestBeingSent:
    """One digest being delivered; its chart is drawn once, on the first post."""

    digest: Digest
    drawn: bool = False
    chart: Chart | None = None

    def chart_once(self) -> Chart | None:
        if not self.drawn:
            self.chart, self.drawn = digest_chart(self.digest), True
        return self.chart


class Deliverer:
    """Builds a digest only when some channel still needs it, then posts it exactly once."""

    def __init__(
        self,
        engine: Engine,
        ledger: Ledger,
        sender: DigestSender,
        *,
        context: MetricsContext,
        zone: str,
        policy: AccessPolicy,
        admin_user: str | None,
        clock: Callable[[], datetime],
    ) -> None:
        self.engine = engine
        self.ledger = ledger
        self.sender = sender
        self._context = context
        self._zone = zone
        self._policy = policy
        self._admin = admin_user
        self._clock = clock

    def build(self, plan: AudiencePlan, as_of: date) -> Digest:
        return build_digest(self.engine, plan, as_of, self._context, self._zone)

    def deliver(self, plan: AudiencePlan, as_of: date, *, force: bool = False) -> DeliveryReport:
        week = digest_week(as_of)
        done = set() if force else self.ledger.delivered(plan.name, week.start, plan.channels)
        results = {channel: ChannelResult(channel, Outcome.ALREADY_SENT) for channel in done}
        pending = [channel for channel in plan.channels if channel not in done]
        if pending:
            current = _DigestBeingSent(self.build(plan, as_of))
            for channel in pending:
                results[channel] = self._deliver_to(current, channel, force=force)
        ordered = tuple(results[channel] for channel in plan.channels)
        return DeliveryReport(plan.name, week, ordered)

    def _deliver_to(self, current: _DigestBeingSent, channel: str, *, force: bool) -> ChannelResult:
        digest = current.digest
        key = DeliveryKey(digest.audience, channel, digest.week.start)
        claim = self.ledger.claim(key, force=force)
        if not claim.outcome.must_send:
            logger.info(_skip_log(claim), extra=_context(digest, channel))
            return ChannelResult(channel, _SKIPPED[claim.outcome])
        tag = DeliveryTag(digest.audience, channel, digest.week.start.isoformat())
        try:
            return self._post(current, key, tag, claim, force=force)
        except SendError as error:
            return self._failed(digest, key, error)

    def _post(
        self,
        current: _DigestBeingSent,
        key: DeliveryKey,
        tag: DeliveryTag,
        claim: Claim,
        *,
        force: bool,
    ) -> ChannelResult:
        channel = key.channel
        if _may_have_been_posted(claim, force=force) and claim.previous_claim is not None:
            found = self.sender.find(channel, tag, claim.previous_claim)
            if found is not None:
                self.ledger.mark_sent(key, found)
                logger.warning(DigestLog.RECOVERED, extra=_context(current.digest, channel))
                return ChannelResult(channel, Outcome.RECOVERED, found)
        message = digest_message(current.digest, hidden_in(self._policy, current.digest, channel))
        message_ts = self.sender.post(channel, message, tag, since=self._clock())
        self.ledger.mark_sent(key, message_ts)
        logger.info(DigestLog.SENT, extra=_context(current.digest, channel))
        chart = current.chart_once()
        if chart is not None:
            self.sender.upload_chart(channel, message_ts, chart)
        return ChannelResult(channel, Outcome.SENT, message_ts)

    def _failed(self, digest: Digest, key: DeliveryKey, error: SendError) -> ChannelResult:
        self.ledger.mark_failed(key, error.error)
        logger.error(
            DigestLog.FAILED, extra={**_context(digest, key.channel), "reason": error.error}
        )
        if self._admin:
            text = Errors.ADMIN_DM.format(
                audience=digest.audience,
                week=digest.iso_week,
                channel=key.channel,
                error=error.error,
            )
            self.sender.notify(self._admin, text)
        return ChannelResult(key.channel, Outcome.FAILED, error=error.error)


def hidden_in(policy: AccessPolicy, digest: Digest, channel: str) -> frozenset[str]:
    """The restricted metrics that must not be shown in `channel` ([access])."""
    if policy.may_post_in(channel):
        return frozenset()
    return frozenset(policy.restricted(digest.metric_ids))


def deliverer_for(
    settings: Settings,
    engine: Engine,
    *,
    clock: Callable[[], datetime] = utc_now,
    sleep: Callable[[float], None] = time.sleep,
    owner: str | None = None,
) -> Deliverer:
    """The production wiring: the ledger in `engine`, Slack at `settings.slack_api_url`."""
    token = settings.slack_bot_token
    if token is None:
        raise ConfigError(Errors.NO_TOKEN)
    sender = DigestSender(token.get_secret_value(), settings.slack_api_url, sleep=sleep)
    return Deliverer(
        engine,
        Ledger(engine, owner, clock=clock),
        sender,
        context=metrics_context(settings),
        zone=settings.timezone,
        policy=AccessPolicy(settings.access),
        admin_user=settings.admin_user,
        clock=clock,
    )


def _may_have_been_posted(claim: Claim, *, force: bool) -> bool:
    """A crash mid-send, or a failure that may have reached Slack: look before posting."""
    if claim.outcome is ClaimOutcome.STALE:
        return True
    refused = claim.previous_error in PERMANENT_ERRORS  # Slack said no: nothing was posted
    return claim.outcome is ClaimOutcome.RETRY and not force and not refused


def _skip_log(claim: Claim) -> str:
    return DigestLog.ALREADY_SENT if claim.outcome is ClaimOutcome.SENT else DigestLog.BUSY


def _context(digest: Digest, channel: str) -> dict[str, str]:
    return {"audience": digest.audience, "week": digest.iso_week, "channel": channel}
