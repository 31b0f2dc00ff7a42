"""Reading Stripe through its official client: every page of customers, subscriptions
(`status=all`) and invoices, as plain dicts, with failures turned into one-line SyncErrors.

The client retries (`max_network_retries`) connection errors, 409 and 5xx as it always
does and follows `Stripe-Should-Retry`; `RetryingHttpClient` adds 429 (rate limited),
honours `Retry-After`, and waits through an injected `sleep`, so tests never sleep.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import stripe

from sources.errors import SyncError
from sources.texts import StripeErrors as Errors

__all__ = ["API_VERSION", "MAX_NETWORK_RETRIES", "PAGE_SIZE", "RetryingHttpClient", "StripeApi"]

# The API version the objects are read in: the last before subscription periods moved onto
# the items and `discount` gave way to `discounts` (docs/sources.md).
API_VERSION = "2024-06-20"
MAX_NETWORK_RETRIES = 4
PAGE_SIZE = 100
MAX_RETRY_AFTER_SECONDS = 60.0
TOO_MANY_REQUESTS = 429

Sleep = Callable[[float], None]


class RetryingHttpClient(stripe.RequestsClient):
    """stripe's requests transport, retrying 429 too, waiting through `sleep`."""

    def __init__(self, *, sleep: Sleep = time.sleep, timeout: float = 30.0) -> None:
        super().__init__(timeout=timeout)
        self._sleep = sleep
        self._retry_after = threading.local()

    def _should_retry(
        self,
        response: tuple[Any, int, Mapping[str, str] | None] | None,
        api_connection_error: stripe.APIConnectionError | None,
        num_retries: int,
        max_network_retries: int | None,
    ) -> bool:
        self._retry_after.seconds = _retry_after(response)
        if super()._should_retry(response, api_connection_error, num_retries, max_network_retries):
            return True
        if response is None or num_retries >= (max_network_retries or 0):
            return False
        _, status, headers = response
        said = (headers or {}).get("stripe-should-retry")
        return status == TOO_MANY_REQUESTS and said != "false"

    def _sleep_time_seconds(self, num_retries: int) -> float:
        """Wait here (Retry-After when Stripe gave one, else stripe's own backoff) and let
        the library's own `time.sleep` have nothing left to wait."""
        asked: float | None = getattr(self._retry_after, "seconds", None)
        self._sleep(asked if asked is not None else super()._sleep_time_seconds(num_retries))
        return 0.0


def _retry_after(response: tuple[Any, int, Mapping[str, str] | None] | None) -> float | None:
    if response is None or not response[2]:
        return None
    raw = response[2].get("retry-after")
    try:
        seconds = float(raw) if raw is not None else None
    except ValueError:
        return None
    return None if seconds is None else min(max(seconds, 0.0), MAX_RETRY_AFTER_SECONDS)


OnPage = Callable[[], None]


class StripeApi:
    """The lists the Stripe source reads, every page; `on_page` runs after each page."""

    def __init__(
        self, api_key: str, base_url: str, *, http_client: stripe.HTTPClient | None = None
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self._api_key = api_key
        self._client = stripe.StripeClient(
            api_key,
            base_addresses={"api": self.base_url},
            stripe_version=API_VERSION,
            max_network_retries=MAX_NETWORK_RETRIES,
            http_client=http_client or RetryingHttpClient(),
        )

    def customers(self, on_page: OnPage) -> Iterator[dict[str, Any]]:
        return self._all(
            lambda: self._client.v1.customers.list(params={"limit": PAGE_SIZE}), on_page
        )

    def subscriptions(self, on_page: OnPage) -> Iterator[dict[str, Any]]:
        return self._all(
            lambda: self._client.v1.subscriptions.list(
                params={"status": "all", "limit": PAGE_SIZE}
            ),
            on_page,
        )

    def invoices(self, on_page: OnPage) -> Iterator[dict[str, Any]]:
        return self._all(
            lambda: self._client.v1.invoices.list(params={"limit": PAGE_SIZE}), on_page
        )

    def invoice_lines(self, invoice_id: str, on_page: OnPage) -> Iterator[dict[str, Any]]:
        return self._all(
            lambda: self._client.v1.invoices.line_items.list(
                invoice_id, params={"limit": PAGE_SIZE}
            ),
            on_page,
        )

    def _all(
        self, first_page: Callable[[], stripe.ListObject[Any]], on_page: OnPage
    ) -> Iterator[dict[str, Any]]:
        """Every object of every page, each as a plain dict; SyncError on any failure."""
        try:
            page = first_page()
            while True:
                for item in page:
                    yield item.to_dict()
                on_page()
                if not page.has_more:
                    return
                page = page.next_page()
        except stripe.StripeError as error:
            reason = _reason(error, self.base_url).replace(self._api_key, "[redacted]")
            raise SyncError(reason) from None


def _reason(error: stripe.StripeError, base_url: str) -> str:
    status = error.http_status
    message = (error.user_message or str(error) or type(error).__name__).strip()
    if isinstance(error, stripe.AuthenticationError):
        return Errors.AUTH.format(message=message)
    if isinstance(error, stripe.PermissionError):
        return Errors.PERMISSION.format(message=message)
    if isinstance(error, stripe.APIConnectionError):
        cause = [line for line in message.splitlines() if line.startswith("(Network error")]
        found = cause[0].strip("()") if cause else message.splitlines()[0]
        return Errors.UNREACHABLE.format(base=base_url, message=found)
    if status == TOO_MANY_REQUESTS:
        return Errors.RATE_LIMITED.format(retries=MAX_NETWORK_RETRIES)
    if status is not None and status >= 500:
        return Errors.SERVER.format(status=status, retries=MAX_NETWORK_RETRIES, message=message)
    return Errors.REFUSED.format(status=status or "?", message=message)
