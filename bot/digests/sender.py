"""Posting digests to Slack: retries that honour Retry-After, and no blind re-posts.

A 429 means Slack did nothing, so slack_sdk's rate-limit handler simply retries. After a
5xx, a timeout or a dropped connection the message may or may not have been posted, so
the post is not retried blindly: the channel's recent history is searched for the
digest's metadata first. Reads (history, the chart, the admin DM) retry all of these.
Every wait goes through the injected `sleep`, so tests never really sleep.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry import (
    BackoffRetryIntervalCalculator,
    ConnectionErrorRetryHandler,
    HttpRequest,
    HttpResponse,
    RateLimitErrorRetryHandler,
    RetryHandler,
    RetryState,
)
from slack_sdk.http_retry.builtin_handlers import ServerErrorRetryHandler
from slack_sdk.http_retry.interval_calculator import RetryIntervalCalculator

from bot.digests.texts import DigestLog
from bot.render.blocks import SlackMessage
from bot.render.charts import Chart

__all__ = ["PERMANENT_ERRORS", "DigestSender", "MessageTag", "SendError"]

logger = logging.getLogger("funnelbot.digests")

PERMANENT_ERRORS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "missing_scope",
        "restricted_action",
    }
)
# Slack's own words for "try again later"; the post may or may not have happened.
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)
TIMEOUT_SECONDS = 30
MAX_RETRIES = 5
CHART_ATTEMPTS = 3
BACKOFF_FACTOR = 0.5
HISTORY_PAGE = 200
HISTORY_PAGES = 5
CLOCK_SKEW = timedelta(minutes=5)  # between our clock and Slack's message timestamps
TRANSIENT_FAILURES = (URLError, TimeoutError, ConnectionError, OSError)

Sleep = Callable[[float], None]


class MessageTag(Protocol):
    """What identifies a posted message in Slack: a digest's or an alert's metadata."""

    def metadata(self) -> dict[str, Any]: ...

    def matches(self, metadata: object) -> bool: ...


class SendError(Exception):
    """A digest could not be posted; `error` is Slack's reason (e.g. channel_not_found)."""

    def __init__(self, error: str, *, permanent: bool) -> None:
        super().__init__(error)
        self.error = error
        self.permanent = permanent


def _pause(state: RetryState, sleep: Sleep, seconds: float) -> None:
    state.next_attempt_requested = True
    sleep(seconds)
    state.increment_current_attempt()


def _retry_after(response: HttpResponse) -> float:
    for name, values in response.headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0


class _RateLimitRetry(RateLimitErrorRetryHandler):
    """Waits exactly Retry-After (slack_sdk's own handler calls time.sleep itself)."""

    def __init__(self, sleep: Sleep) -> None:
        super().__init__(max_retry_count=MAX_RETRIES)
        self._sleep = sleep

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error or SlackClientError("rate limited without a response")
        _pause(state, self._sleep, _retry_after(response))


class _PacedBackoff:
    """Backs off through the injected sleep (slack_sdk's handlers call time.sleep)."""

    interval_calculator: RetryIntervalCalculator
    _sleep: Sleep

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        delay = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        _pause(state, self._sleep, delay)


class _ServerErrorRetry(_PacedBackoff, ServerErrorRetryHandler):
    def __init__(self, sleep: Sleep) -> None:
        super().__init__(MAX_RETRIES, BackoffRetryIntervalCalculator(BACKOFF_FACTOR))
        self._sleep = sleep


class _ConnectionErrorRetry(_PacedBackoff, ConnectionErrorRetryHandler):
    def __init__(self, sleep: Sleep) -> None:
        super().__init__(
            MAX_RETRIES,
            BackoffRetryIntervalCalculator(BACKOFF_FACTOR),
            [URLError, ConnectionError, TimeoutError],
        )
        self._sleep = sleep


@dataclass(frozen=True, slots=True)
class _Transient:
    error: str


class DigestSender:
    """The Slack side of a delivery (one instance per worker; WebClient is thread-safe)."""

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        sleep: Sleep = time.sleep,
        timeout: int = TIMEOUT_SECONDS,
    ) -> None:
        self._sleep = sleep
        self._backoff = BackoffRetryIntervalCalculator(BACKOFF_FACTOR)
        posting: list[RetryHandler] = [_RateLimitRetry(sleep)]
        reading: list[RetryHandler] = [
            _RateLimitRetry(sleep),
            _ServerErrorRetry(sleep),
            _ConnectionErrorRetry(sleep),
        ]
        self._poster = WebClient(
            token=token, base_url=base_url, timeout=timeout, retry_handlers=posting
        )
        self._reader = WebClient(
            token=token, base_url=base_url, timeout=timeout, retry_handlers=reading
        )

    def post(self, channel: str, message: SlackMessage, tag: MessageTag, since: datetime) -> str:
        """The posted message's ts; SendError when Slack refuses or keeps failing."""
        last_error = ""
        for attempt in range(MAX_RETRIES + 1):
            outcome = self._post_once(channel, message, tag)
            if isinstance(outcome, str):
                return outcome
            last_error = outcome.error
            logger.warning(DigestLog.RETRYING, extra={"channel": channel, "reason": last_error})
            self._sleep(self._backoff.calculate_sleep_duration(attempt))
            found = self.find(channel, tag, since)
            if found is not None:
                return found
        raise SendError(last_error, permanent=False)

    def _post_once(self, channel: str, message: SlackMessage, tag: MessageTag) -> str | _Transient:
        try:
            response = self._poster.chat_postMessage(
                channel=channel,
                text=message.text,
                blocks=list(message.blocks),
                metadata=tag.metadata(),
                unfurl_links=False,
            )
        except SlackApiError as error:
            reason = str(error.response.get("error") or error.response.status_code)
            status = error.response.status_code
            if status >= 500 or status == 429 or reason in TRANSIENT_ERRORS:
                return _Transient(reason)
            raise SendError(reason, permanent=reason in PERMANENT_ERRORS) from None
        except (SlackClientError, *TRANSIENT_FAILURES) as error:
            return _Transient(type(error).__name__ + (f": {error}" if str(error) else ""))
        return str(response["ts"])

    def find(self, channel: str, tag: MessageTag, since: datetime) -> str | None:
        """The ts of the digest `tag` in `channel` posted after `since`, if Slack has it.

        SendError when the history cannot be read: then nobody can tell, and the caller
        must not post blindly.
        """
        try:
            for message in self._history(channel, since):
                if tag.matches(message.get("metadata")):
                    return str(message["ts"])
        except SlackApiError as error:
            reason = str(error.response.get("error") or error.response.status_code)
            raise SendError(
                f"cannot read the channel to check: {reason}", permanent=False
            ) from None
        except (SlackClientError, *TRANSIENT_FAILURES) as error:
            raise SendError(f"cannot read the channel to check: {error}", permanent=False) from None
        return None

    def _history(self, channel: str, since: datetime) -> Iterator[dict[str, Any]]:
        cursor: str | None = None
        oldest = f"{(since - CLOCK_SKEW).timestamp():.6f}"
        for _ in range(HISTORY_PAGES):
            page = self._reader.conversations_history(
                channel=channel,
                oldest=oldest,
                limit=HISTORY_PAGE,
                include_all_metadata=True,
                cursor=cursor,
            )
            yield from page.get("messages") or []
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return

    def upload_chart(self, channel: str, thread_ts: str, chart: Chart) -> None:
        """The chart in the digest's thread, tried a few times (the upload POST itself has
        no retry handler); a failure is logged, the digest stays sent."""
        reason = ""
        for attempt in range(CHART_ATTEMPTS):
            try:
                self._reader.files_upload_v2(
                    channel=channel,
                    thread_ts=thread_ts,
                    content=chart.png,
                    filename=chart.filename,
                    title=chart.title,
                )
            except (SlackClientError, *TRANSIENT_FAILURES) as error:
                reason = str(error)
                self._sleep(self._backoff.calculate_sleep_duration(attempt))
            else:
                return
        logger.warning(DigestLog.CHART_FAILED, extra={"channel": channel, "reason": reason})

    def notify(self, user: str, text: str) -> None:
        """A DM (to the admin); a failure is logged and otherwise ignored."""
        try:
            self._reader.chat_postMessage(channel=user, text=text)
        except (SlackClientError, *TRANSIENT_FAILURES) as error:
            logger.warning(DigestLog.ADMIN_DM_FAILED, extra={"user": user, "reason": str(error)})
