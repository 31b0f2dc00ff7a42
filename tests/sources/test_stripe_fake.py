"""The Stripe source against a fake of the list endpoints, for what localstripe cannot
express: Prices, forever and one-off coupons, backdated renewal invoices, rate limits and
server errors in the middle of a sync."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from bot.core.clock import utc_now
from sources.errors import SyncError
from sources.runs import Outcome, RunLedger
from storage.models import snapshots
from storage.source_tables import source_runs, stripe_subscription_states
from tests.conftest import Store
from tests.sources.conftest import Pauses, day_rows, stripe_sync
from tests.sources.fakestripe import FakeStripe, Fault, at_day, fake_stripe, price, subscription
from tests.sources.localstripe import day

MONTHLY = price(10000)  # USD 100 a month
FOREVER_20 = {"id": "forever20", "object": "coupon", "duration": "forever", "percent_off": 20.0}
ONCE_HALF = {"id": "once50", "object": "coupon", "duration": "once", "percent_off": 50.0}


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with fake_stripe() as server:
        yield server


def _renewals(fake: FakeStripe) -> None:
    """cus_a: 1 seat from day 0, 3 from day 31 (renewal), 2 from day 59; 20% off forever.
    cus_b: USD 100 from day 10 with 50% off once (MRR 100)."""
    fake.objects["customers"] += [
        {"id": "cus_a", "object": "customer", "metadata": {"channel": "outbound"}},
        {"id": "cus_b", "object": "customer", "metadata": {}},
    ]
    fake.objects["subscriptions"] += [
        subscription(
            "sub_a",
            "cus_a",
            [(MONTHLY, 2)],
            start=at_day(0),
            period_start=at_day(59),
            coupon=FOREVER_20,
        ),
        subscription("sub_b", "cus_b", [(MONTHLY, 1)], start=at_day(10), coupon=ONCE_HALF),
    ]
    for invoice_id, start, seats in (("in_1", 0, 1), ("in_2", 31, 3), ("in_3", 59, 2)):
        fake.add_invoice(invoice_id, "sub_a", at_day(start), [(MONTHLY, seats)])
    fake.add_invoice("in_b", "sub_b", at_day(10), [(MONTHLY, 1)])


def test_history_is_rebuilt_from_renewal_invoices_less_forever_discounts(
    store: Store, fake: FakeStripe
) -> None:
    _renewals(fake)
    report = stripe_sync(store.engine, fake.base_url, day(70))
    assert report.read == "read from Stripe: 2 customers, 2 subscriptions, 4 invoices"
    outbound = ("outbound", "unknown")
    assert day_rows(store.engine, day(0))[outbound]["mrr_new"] == pytest.approx(80)
    assert day_rows(store.engine, day(31))[outbound]["mrr_expansion"] == pytest.approx(160)
    assert day_rows(store.engine, day(59))[outbound]["mrr_contraction"] == pytest.approx(80)
    assert day_rows(store.engine, day(10))[("unknown", "unknown")]["mrr_new"] == pytest.approx(100)
    seventieth = day_rows(store.engine, day(70))
    assert sum(row["mrr_end"] for row in seventieth.values()) == pytest.approx(260)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # Stripe semantics, not SQL
def test_a_rate_limit_is_waited_out_as_stripe_asks(store: Store, fake: FakeStripe) -> None:
    _renewals(fake)
    fake.faults.append(Fault("/v1/subscriptions", 429, headers={"Retry-After": "2"}))
    pauses = Pauses()
    report = stripe_sync(store.engine, fake.base_url, day(70), pauses=pauses)
    assert report.rows_written > 0
    assert pauses.asked == [2.0]


def test_a_server_error_mid_sync_fails_it_whole_and_the_store_is_unchanged(
    store: Store, fake: FakeStripe
) -> None:
    _renewals(fake)
    stripe_sync(store.engine, fake.base_url, day(70))
    before = _everything(store.engine)
    fake.objects["subscriptions"][0]["items"]["data"][0]["quantity"] = 5
    fake.objects["subscriptions"] += [
        subscription(f"sub_{n}", "cus_b", [(MONTHLY, 1)], start=at_day(60)) for n in range(150)
    ]
    fake.faults.append(Fault("/v1/subscriptions", 500, nth=2, times=10))  # the second page on
    pauses = Pauses()
    with pytest.raises(SyncError, match=r"Stripe answered 500 after 4 retries"):
        stripe_sync(store.engine, fake.base_url, day(71), pauses=pauses)
    assert _everything(store.engine) == before
    assert len(pauses.asked) == 4  # stripe's backoff, waited through the injected sleep
    latest = RunLedger(store.engine, utc_now).latest("stripe")
    assert latest is not None and latest.outcome is Outcome.FAILED
    assert "Stripe answered 500" in latest.detail


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_every_page_of_a_long_list_is_read(store: Store, fake: FakeStripe) -> None:
    fake.objects["customers"] = [{"id": f"cus_{n}", "metadata": {}} for n in range(250)]
    fake.objects["subscriptions"] = [
        subscription(f"sub_{n}", f"cus_{n}", [(MONTHLY, 1)], start=at_day(0)) for n in range(250)
    ]
    report = stripe_sync(store.engine, fake.base_url, day(1))
    assert report.read == "read from Stripe: 250 customers, 250 subscriptions, 0 invoices"
    pages = [one for one in fake.requests if one.startswith("/v1/subscriptions")]
    assert len(pages) == 3
    assert "MRR USD 25,000.00 from 250 paying customers" in report.wrote[-1]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_malformed_object_fails_the_sync_naming_it(store: Store, fake: FakeStripe) -> None:
    broken = subscription("sub_x", "cus_x", [(MONTHLY, 1)], start=at_day(0))
    del broken["start_date"]
    fake.objects["subscriptions"].append(broken)
    with pytest.raises(SyncError, match="Stripe subscription sub_x is malformed: no start_date"):
        stripe_sync(store.engine, fake.base_url, day(1))
    assert _everything(store.engine)[0] == 0


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_another_currency_than_the_stores_is_refused(store: Store, fake: FakeStripe) -> None:
    euros = {**MONTHLY, "currency": "eur"}
    fake.objects["subscriptions"].append(
        subscription("sub_eur", "cus_x", [(euros, 1)], start=at_day(0))
    )
    with pytest.raises(SyncError, match="sub_eur is billed in EUR, the store counts USD"):
        stripe_sync(store.engine, fake.base_url, day(1))


def _everything(engine: Engine) -> tuple[object, ...]:
    """What a failed run must leave as it was: rows, their Stripe figures, the states."""
    with engine.connect() as connection:
        rows = connection.scalar(select(func.count()).select_from(snapshots))
        mrr = connection.scalar(select(func.sum(snapshots.c.mrr_end)))
        states = connection.execute(
            select(stripe_subscription_states).order_by(
                stripe_subscription_states.c.subscription_id,
                stripe_subscription_states.c.valid_from,
            )
        ).all()
        runs = connection.scalar(
            select(func.count())
            .select_from(source_runs)
            .where(source_runs.c.outcome == "succeeded")
        )
    return rows, mrr, states, runs
