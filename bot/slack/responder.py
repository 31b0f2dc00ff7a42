"""Doing a listener's work after the ack: answer, apply the access rules, deliver.

A `Responder` holds the answerer and a Web API client. It runs wherever the answers are
computed: in the web process's answer threads or in an answer process.
"""

from __future__ import annotations

import logging
import time

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.access import Audience, Decision, private_note, record_refusal, refusal_text
from bot.slack.answering import Answerer, Outgoing
from bot.slack.blocks import SlackMessage, context, section
from bot.slack.delivery import ChannelPost, Destination, EphemeralPost, ResponseUrlPost, deliver
from bot.slack.home import home_view
from bot.slack.jobs import Ask, Job, Share, ShowHome
from bot.slack.texts import Log, Text

__all__ = ["Responder", "apologise"]

logger = logging.getLogger("funnelbot.slack")

REFUSED_ACTION = "answer"


class Responder:
    """Carries out jobs; every failure is logged, and an asker gets an apology."""

    def __init__(self, answerer: Answerer, client: WebClient) -> None:
        self.answerer = answerer
        self.client = client

    def handle(self, job: Job) -> None:
        try:
            if isinstance(job, Ask):
                self._ask(job)
            elif isinstance(job, Share):
                self._share(job)
            else:
                self._show_home(job)
        except Exception:
            logger.exception(Log.ANSWER_FAILED, extra={"user": job.audience.user_id})
            apologise(self.client, job)

    def _ask(self, job: Ask) -> None:
        day = job.asked_on or self.answerer.today()
        started = time.perf_counter()
        outgoing = self.answerer.answer(job.question, day, share=job.share, language=job.language)
        _log_answered(job.audience, outgoing, started)
        decision = self.answerer.policy.decide(job.audience, outgoing.metric_ids)
        if decision is Decision.PUBLIC:
            _deliver_or_log(self.client, job.destination, outgoing.message, outgoing)
            return
        private: Destination = job.destination
        if isinstance(private, ChannelPost) and job.audience.channel_id is not None:
            private = EphemeralPost(private.channel, job.audience.user_id or "", job.thread)
        self._refuse_or_keep_private(job.audience, outgoing, private, decision)

    def _share(self, job: Share) -> None:
        outgoing = self.answerer.answer(
            job.question, job.asked_on, share=False, language=job.language
        )
        decision = self.answerer.policy.decide(job.audience, outgoing.metric_ids)
        if decision is Decision.PUBLIC:
            shared_by = Text.SHARED_BY.format(user=job.audience.user_id)
            destination = ResponseUrlPost(job.response_url, True, True, job.channel)
            _deliver_or_log(
                self.client, destination, _with_context(outgoing.message, shared_by), outgoing
            )
            return
        private = ResponseUrlPost(job.response_url)
        self._refuse_or_keep_private(job.audience, outgoing, private, decision)

    def _show_home(self, job: ShowHome) -> None:
        user = job.audience.user_id or ""
        view = home_view(self.answerer, job.audience)
        try:
            self.client.views_publish(user_id=user, view=view)
        except (SlackApiError, SlackClientError) as error:
            logger.warning(Log.HOME_FAILED, extra={"user": user, "reason": str(error)})

    def _refuse_or_keep_private(
        self,
        audience: Audience,
        outgoing: Outgoing,
        destination: Destination,
        decision: Decision,
    ) -> None:
        restricted = self.answerer.policy.restricted(outgoing.metric_ids)
        if decision is Decision.REFUSE:
            reason = refusal_text(restricted) if restricted else Text.NOT_ALLOWED
            record_refusal(
                self.answerer.engine, audience, restricted, action=REFUSED_ACTION, reason=reason
            )
            _deliver_or_log(self.client, destination, _plain(reason), None)
            return
        note = Text.PRIVATE_SHARE.format(note=private_note(restricted))
        _deliver_or_log(self.client, destination, _with_context(outgoing.message, note), None)


def _deliver_or_log(
    client: WebClient, destination: Destination, message: SlackMessage, outgoing: Outgoing | None
) -> None:
    """Deliver, with the answer's chart when there is one; a failure is logged."""
    try:
        if outgoing is None:
            deliver(client, destination, message)
        else:
            deliver(client, destination, message, lambda: outgoing.chart)
    except (SlackApiError, SlackClientError, OSError) as error:
        logger.error(Log.DELIVERY_FAILED, extra={"reason": str(error)})


def apologise(client: WebClient, job: Job) -> None:
    """Tell the asker that answering failed (nobody asked for an App Home refresh)."""
    if isinstance(job, Ask):
        _deliver_or_log(client, job.destination, _plain(Text.FAILED), None)
    elif isinstance(job, Share):
        _deliver_or_log(client, ResponseUrlPost(job.response_url), _plain(Text.FAILED), None)


def _log_answered(audience: Audience, outgoing: Outgoing, started: float) -> None:
    logger.info(
        Log.ANSWERED,
        extra={
            "user": audience.user_id,
            "channel": audience.channel_id,
            "intent": type(outgoing.reply).__name__,
            "metrics": list(outgoing.metric_ids),
            "latency_ms": round((time.perf_counter() - started) * 1000, 1),
        },
    )


def _plain(text: str) -> SlackMessage:
    return SlackMessage(text, (section(text),))


def _with_context(message: SlackMessage, note: str) -> SlackMessage:
    return SlackMessage(message.text, (*message.blocks, context(note)))
