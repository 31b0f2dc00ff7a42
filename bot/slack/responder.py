"""Doing a listener's work after the ack: answer, apply the access rules, deliver.

A `Responder` holds the answerer and a Web API client. It runs wherever the answers are
computed: in the web process's answer threads or in an answer process.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.alerts.commands import AlertAction, AlertDesk, Asker
from bot.alerts.subscriptions import SUBSCRIPTION_ACTION, SubscriptionDesk
from bot.alerts.targets import TargetDesk
from bot.alerts.words import Command, Verb, read_command
from bot.core.access import Audience, Decision, access_refusal_text, private_note, record_refusal
from bot.i18n import use_language
from bot.render.blocks import SlackMessage, context, section
from bot.slack.answering import Answerer, Outgoing
from bot.slack.home import NO_ADMIN, AdminView, home_view
from bot.slack.jobs import Ask, Job, Manage, Share, ShowHome
from bot.slack.posting import ChannelPost, Destination, EphemeralPost, ResponseUrlPost, deliver
from bot.slack.texts import Notices, SlackLog

__all__ = ["Responder", "apologise"]

logger = logging.getLogger("funnelbot.slack")

REFUSED_ACTION = "answer"
# What chat.postMessage/chat.postEphemeral answer in a channel the bot is not in (public,
# private, or a DM between other people): the click's response_url can still answer.
NOT_A_MEMBER = frozenset({"not_in_channel", "channel_not_found"})


class Responder:
    """Carries out jobs; every failure is logged, and an asker gets an apology."""

    def __init__(
        self,
        answerer: Answerer,
        client: WebClient,
        admin: AdminView = NO_ADMIN,
        *,
        alerts: AlertDesk | None = None,
        targets: TargetDesk | None = None,
        subscriptions: SubscriptionDesk | None = None,
    ) -> None:
        self.answerer = answerer
        self.client = client
        self.admin = admin
        self.alerts = alerts
        self.targets = targets
        self.subscriptions = subscriptions

    def handle(self, job: Job) -> None:
        try:
            answered = self._carry_out(job)
        except Exception:
            logger.exception(SlackLog.ANSWER_FAILED, extra={"user": job.audience.user_id})
            answered = False
        if not answered:
            apologise(self.client, job)

    def _carry_out(self, job: Job) -> bool:
        """Do `job`; False when its answer could not be delivered."""
        if isinstance(job, Ask):
            return self._ask(job)
        if isinstance(job, Share):
            return self._share(job)
        if isinstance(job, Manage):
            return self._manage(job)
        self._show_home(job)
        return True

    def _manage(self, job: Manage) -> bool:
        """An alert, a target or a subscription made, listed or changed; the reply is
        private."""
        alerts, targets, subscriptions = self.alerts, self.targets, self.subscriptions
        if alerts is None or targets is None or subscriptions is None:
            return False
        user = job.audience.user_id or ""
        kind, _, verb = (job.action or "").partition("_")
        if job.alert_id is not None:
            with use_language(job.language):
                if kind == SUBSCRIPTION_ACTION:
                    message = subscriptions.act(verb, job.alert_id, user)
                else:
                    message = alerts.act(AlertAction(verb), job.alert_id, user)
        else:
            command = read_command(job.text) or Command(Verb.ALERT, job.text, "en")
            asker, rest = Asker(user, job.channel), command.rest
            day, known = self.answerer.today(), self.answerer.known
            carried_out: dict[Verb, Callable[[], SlackMessage]] = {
                Verb.SUBSCRIPTIONS: subscriptions.listing,
                Verb.SUBSCRIBE: lambda: subscriptions.subscribe(rest, asker, known()),
                Verb.ALERTS: alerts.listing,
                Verb.ALERT: lambda: alerts.create(rest, asker, day, known()),
                Verb.TARGETS: targets.listing,
                Verb.TARGET: lambda: targets.change(rest, asker, day, known()),
            }
            with use_language(command.language):
                message = carried_out[command.verb]()
        return _delivered(self.client, ResponseUrlPost(job.response_url), message, None)

    def _ask(self, job: Ask) -> bool:
        day = job.asked_on or self.answerer.today()
        started = time.perf_counter()
        outgoing = self.answerer.answer(job.question, day, share=job.share, language=job.language)
        _log_answered(job.audience, outgoing, started)
        decision = self.answerer.policy.decide(job.audience, outgoing.metric_ids)
        if decision is Decision.PUBLIC:
            fallback = _response_url_fallback(job, public=True)
            return _delivered(self.client, job.destination, outgoing.message, outgoing, fallback)
        private: Destination = job.destination
        if isinstance(private, ChannelPost) and job.audience.channel_id is not None:
            private = EphemeralPost(private.channel, job.audience.user_id or "", job.thread)
        fallback = _response_url_fallback(job, public=False)
        return self._refuse_or_keep_private(job.audience, outgoing, private, decision, fallback)

    def _share(self, job: Share) -> bool:
        outgoing = self.answerer.answer(
            job.question, job.asked_on, share=False, language=job.language
        )
        decision = self.answerer.policy.decide(job.audience, outgoing.metric_ids)
        if decision is Decision.PUBLIC:
            shared_by = Notices.SHARED_BY.format(user=job.audience.user_id)
            destination = ResponseUrlPost(job.response_url, True, True, job.channel)
            message = _with_context(outgoing.message, shared_by)
            return _delivered(self.client, destination, message, outgoing)
        private = ResponseUrlPost(job.response_url)
        return self._refuse_or_keep_private(job.audience, outgoing, private, decision)

    def _show_home(self, job: ShowHome) -> None:
        user = job.audience.user_id or ""
        view = home_view(self.answerer, job.audience, self.admin)
        try:
            self.client.views_publish(user_id=user, view=view)
        except (SlackApiError, SlackClientError) as error:
            logger.warning(SlackLog.HOME_FAILED, extra={"user": user, "reason": str(error)})

    def _refuse_or_keep_private(
        self,
        audience: Audience,
        outgoing: Outgoing,
        destination: Destination,
        decision: Decision,
        fallback: ResponseUrlPost | None = None,
    ) -> bool:
        restricted = self.answerer.policy.restricted(outgoing.metric_ids)
        if decision is Decision.REFUSE:
            reason = access_refusal_text(restricted) if restricted else Notices.NOT_ALLOWED
            record_refusal(
                self.answerer.engine, audience, restricted, action=REFUSED_ACTION, reason=reason
            )
            return _delivered(self.client, destination, _plain(reason), None, fallback)
        note = Notices.PRIVATE_SHARE.format(note=private_note(restricted))
        message = _with_context(outgoing.message, note)
        return _delivered(self.client, destination, message, None, fallback)


def _response_url_fallback(job: Ask, *, public: bool) -> ResponseUrlPost | None:
    """Where a click is answered when the bot may not post where it would have (a shared
    answer's follow-up in a channel the bot is not in): the click's response_url, in the
    same thread, for everyone (`public`) or for the asker only. No chart: uploading one
    needs the same membership."""
    if job.response_url is None or isinstance(job.destination, ResponseUrlPost):
        return None
    return ResponseUrlPost(job.response_url, public=public, thread_ts=job.thread)


def _delivered(
    client: WebClient,
    destination: Destination,
    message: SlackMessage,
    outgoing: Outgoing | None = None,
    fallback: ResponseUrlPost | None = None,
) -> bool:
    """Deliver, with the answer's chart when there is one; False when that failed (the
    failure is logged). If the bot is not a member of the destination's channel, the
    message goes to `fallback` instead."""
    try:
        if outgoing is None:
            deliver(client, destination, message)
        else:
            deliver(client, destination, message, lambda: outgoing.chart)
    except SlackApiError as error:
        code = str(error.response.get("error", ""))
        if fallback is None or code not in NOT_A_MEMBER:
            logger.error(SlackLog.DELIVERY_FAILED, extra={"reason": str(error)})
            return False
        logger.info(SlackLog.NOT_A_MEMBER, extra={"channel": destination.channel, "reason": code})
        return _delivered(client, fallback, message)
    except (SlackClientError, OSError) as error:
        logger.error(SlackLog.DELIVERY_FAILED, extra={"reason": str(error)})
        return False
    return True


def apologise(client: WebClient, job: Job) -> None:
    """Tell the asker that answering failed, where the answer would have gone (through a
    click's response_url where the bot may not post); nobody asked for an App Home."""
    if isinstance(job, Ask):
        fallback = _response_url_fallback(job, public=False)
        _delivered(client, job.destination, _plain(Notices.FAILED), None, fallback)
    elif isinstance(job, Share | Manage):
        _delivered(client, ResponseUrlPost(job.response_url), _plain(Notices.FAILED))


def _log_answered(audience: Audience, outgoing: Outgoing, started: float) -> None:
    logger.info(
        SlackLog.ANSWERED,
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
