"""A running localstripe and the official `stripe` client pointed at it, with helpers that
build billing histories on a clock the test sets.

The process starts once per test process (`localstripe_process`); every test starts from
an empty store (`DELETE /_config/data`) with the clock at `EPOCH`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.request import Request, urlopen

import pytest
import stripe

__all__ = [
    "API_KEY",
    "EPOCH",
    "LocalStripe",
    "day",
    "localstripe",
    "localstripe_process",
    "running_localstripe",
]

API_KEY = "sk_test_funnelbot"
EPOCH = datetime(2026, 1, 5, 1, 0, tzinfo=UTC)  # a Monday, before the 02:00 sync
START_SECONDS = 30.0
GOOD_CARD = "4242424242424242"


class LocalStripe:
    """One localstripe process: its URL, a client, and billing helpers."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.client = stripe.StripeClient(API_KEY, base_addresses={"api": base_url})
        self.now = EPOCH

    def reset(self) -> None:
        self._control("DELETE", "/_config/data", None)
        self.at(EPOCH)

    def at(self, moment: datetime) -> None:
        """Set localstripe's clock (objects are created, canceled… at this moment)."""
        self._control("POST", "/_config/clock", {"now": int(moment.timestamp())})
        self.now = moment

    def on_day(self, day: int, hour: int = 10) -> datetime:
        """The clock at `hour` UTC on the `day`-th day after EPOCH's date."""
        moment = datetime.combine(EPOCH.date() + timedelta(days=day), time(hour), UTC)
        self.at(moment)
        return moment

    def plan(self, plan_id: str, amount: int, interval: str, interval_count: int = 1) -> str:
        self.client.v1.plans.create(
            params={
                "id": plan_id,
                "amount": amount,
                "currency": "usd",
                "interval": interval,
                "interval_count": interval_count,
                "product": {"name": plan_id},
            }
        )
        return plan_id

    def customer(self, metadata: dict[str, str] | None = None) -> str:
        created = self.client.v1.customers.create(
            params={"metadata": metadata or {}, "source": self._card(GOOD_CARD)}
        )
        return created.id

    def replace_card(self, customer: str, number: str) -> None:
        """Make `number` the customer's only card (4000000000000341: every charge fails)."""
        old = self.client.v1.customers.retrieve(customer).default_source
        self.client.v1.customers.payment_sources.create(
            customer, params={"source": self._card(number)}
        )
        if isinstance(old, str):
            self.client.v1.customers.payment_sources.delete(customer, old)

    def _card(self, number: str) -> str:
        params: Any = {"card": {"number": number, "exp_month": 12, "exp_year": 2035, "cvc": "123"}}
        return self.client.v1.tokens.create(params=params).id

    def subscribe(self, customer: str, plan: str, quantity: int = 1, **extra: Any) -> str:
        params: dict[str, Any] = {
            "customer": customer,
            "items": [{"plan": plan, "quantity": quantity}],
        }
        params.update(extra)
        return self.client.v1.subscriptions.create(params=params).id  # type: ignore[arg-type]

    def change(self, subscription: str, **params: Any) -> None:
        self.client.v1.subscriptions.update(subscription, params=params)  # type: ignore[arg-type]

    def change_quantity(self, subscription: str, plan: str, quantity: int) -> None:
        self.change(subscription, items=[{"plan": plan, "quantity": quantity}])

    def cancel(self, subscription: str) -> None:
        self.client.v1.subscriptions.cancel(subscription)

    def _control(self, method: str, path: str, body: dict[str, Any] | None) -> None:
        data = None if body is None else json.dumps(body).encode()
        request = Request(
            self.base_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urlopen(request, timeout=10) as response:
            response.read()


def day(offset: int) -> date:
    """EPOCH's date plus `offset` days."""
    return EPOCH.date() + timedelta(days=offset)


@contextmanager
def running_localstripe() -> Iterator[LocalStripe]:
    """Start tests/sources/localstripe_server.py and wait for the port it prints."""
    command = [sys.executable, "-m", "tests.sources.localstripe_server"]
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [*command, "--at", str(int(EPOCH.timestamp()))],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert process.stdout is not None
            line = process.stdout.readline()  # blocks until the server listens (or dies)
            if not line.startswith("port "):
                process.wait(timeout=START_SECONDS)
                errors.seek(0)
                raise RuntimeError(f"localstripe did not start: {errors.read()}")
            yield LocalStripe(f"http://127.0.0.1:{int(line.split()[1])}")
        finally:
            process.terminate()
            process.wait(timeout=START_SECONDS)


@pytest.fixture(scope="session")
def localstripe_process() -> Iterator[LocalStripe]:
    with running_localstripe() as server:
        yield server


@pytest.fixture
def localstripe(localstripe_process: LocalStripe) -> LocalStripe:
    """localstripe with an empty store and its clock at EPOCH."""
    localstripe_process.reset()
    return localstripe_process
