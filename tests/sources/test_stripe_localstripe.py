"""The Stripe source against localstripe (a stateful Stripe emulator) through the official
client: a week of billing built on localstripe's clock, synced every day at 02:00 as the
worker does, with every figure worked out by hand."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from sources.stripe.source import StripeOptions
from storage.models import snapshots
from tests.conftest import Store
from tests.sources.conftest import day_rows, stripe_sync
from tests.sources.localstripe import LocalStripe, day

WEEKLY_MRR = 10 * 52 / 12  # USD 10 a week: 43.333333…


def _week_of_billing(stripe: LocalStripe, store: Store) -> dict[str, str]:
    """Day 0–6 at 10:00 UTC, each after that day's 02:00 sync."""
    for plan in (("monthly", 5000, "month"), ("yearly", 120000, "year"), ("weekly", 1000, "week")):
        stripe.plan(*plan)
    stripe.plan("quarterly", 30000, "month", interval_count=3)
    ids: dict[str, str] = {}
    actions: list[Callable[[], object]] = [
        lambda: ids.update(
            a=stripe.subscribe(
                stripe.customer({"channel": "Paid Search", "segment": "SMB"}), "monthly", quantity=2
            )
        ),
        lambda: ids.update(
            b=stripe.subscribe(
                stripe.customer({"segment": "enterprise"}),
                "yearly",
                metadata={"channel": "webinar"},
            )
        ),
        lambda: ids.update(
            c=stripe.subscribe(stripe.customer(), "weekly"),
            d=stripe.subscribe(stripe.customer({"channel": "organic"}), "quarterly"),
        ),
        lambda: stripe.change_quantity(ids["a"], "monthly", 3),
        lambda: stripe.cancel(ids["c"]),
        lambda: stripe.change(ids["d"], items=[{"plan": "monthly", "quantity": 1}]),
        lambda: stripe.change(ids["b"], cancel_at_period_end=True),
    ]
    for offset, action in enumerate(actions):
        stripe_sync(store.engine, stripe.base_url, day(offset))
        stripe.on_day(offset)
        action()
    return ids


def test_a_week_of_billing_synced_daily_gives_the_figures_worked_by_hand(
    store: Store, localstripe: LocalStripe
) -> None:
    _week_of_billing(localstripe, store)
    report = stripe_sync(store.engine, localstripe.base_url, day(7))
    assert report.read == "read from Stripe: 4 customers, 4 subscriptions"
    assert day_rows(store.engine, day(0)) == {
        ("paid_search", "smb"): _row(new=1, mrr_new=100, end=(1, 100)),
    }
    assert day_rows(store.engine, day(1))[("webinar", "enterprise")] == _row(
        new=1, mrr_new=100, end=(1, 100)
    )
    second = day_rows(store.engine, day(2))
    assert second[("unknown", "unknown")] == _row(new=1, mrr_new=WEEKLY_MRR, end=(1, WEEKLY_MRR))
    assert second[("organic", "unknown")] == _row(new=1, mrr_new=100, end=(1, 100))
    assert day_rows(store.engine, day(3))[("paid_search", "smb")] == _row(
        expansion=50, start=(1, 100), end=(1, 150)
    )
    assert day_rows(store.engine, day(4))[("unknown", "unknown")] == _row(
        churned=1, mrr_churned=WEEKLY_MRR, start=(1, WEEKLY_MRR), end=(0, 0)
    )
    assert day_rows(store.engine, day(5))[("organic", "unknown")] == _row(
        contraction=50, start=(1, 100), end=(1, 50)
    )
    seventh = day_rows(store.engine, day(7))
    assert sum(row["mrr_end"] for row in seventh.values()) == 300  # 150 + 100 (at period end) + 50
    assert sum(row["customers_end"] for row in seventh.values()) == 3


def test_a_second_sync_of_the_same_data_writes_nothing(
    store: Store, localstripe: LocalStripe
) -> None:
    _week_of_billing(localstripe, store)
    first = stripe_sync(store.engine, localstripe.base_url, day(7))
    again = stripe_sync(store.engine, localstripe.base_url, day(7))
    assert first.rows_written > 0
    assert again.rows_written == 0
    assert again.wrote[0] == "no row changed: the store already matches Stripe"
    full = stripe_sync(store.engine, localstripe.base_url, day(7), full=True)
    full_again = stripe_sync(store.engine, localstripe.base_url, day(7), full=True)
    assert full.read == "read from Stripe: 4 customers, 4 subscriptions, 5 invoices"
    assert full_again.rows_written == 0


def test_a_dry_run_reports_the_rows_and_writes_nothing(
    store: Store, localstripe: LocalStripe
) -> None:
    localstripe.plan("monthly", 5000, "month")
    localstripe.subscribe(localstripe.customer(), "monthly")
    report = stripe_sync(store.engine, localstripe.base_url, day(2), dry_run=True)
    assert report.rows_written == 3
    with store.engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(snapshots)) == 0


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # Stripe semantics, not SQL
def test_a_returning_customer_is_reactivation_not_new(
    localstripe: LocalStripe, store: Store
) -> None:
    localstripe.plan("monthly", 5000, "month")
    customer = localstripe.customer({"channel": "referral"})
    first = localstripe.subscribe(customer, "monthly")
    localstripe.on_day(10)
    localstripe.cancel(first)
    localstripe.on_day(20)
    localstripe.subscribe(customer, "monthly", quantity=2)
    stripe_sync(store.engine, localstripe.base_url, day(25))
    cell = ("referral", "unknown")
    assert day_rows(store.engine, day(0))[cell] == _row(new=1, mrr_new=50, end=(1, 50))
    assert day_rows(store.engine, day(10))[cell] == _row(
        churned=1, mrr_churned=50, start=(1, 50), end=(0, 0)
    )
    assert day_rows(store.engine, day(20))[cell] == _row(reactivation=100, end=(1, 100))


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_past_due_counts_unless_configured_not_to(localstripe: LocalStripe, store: Store) -> None:
    localstripe.plan("monthly", 5000, "month")
    localstripe.plan("yearly", 50000, "year")
    customer = localstripe.customer()
    subscription = localstripe.subscribe(customer, "monthly")
    localstripe.on_day(3)
    localstripe.replace_card(customer, "4000000000000341")  # attaches; every charge fails
    localstripe.change(subscription, items=[{"plan": "yearly", "quantity": 1}])  # invoiced now
    status = localstripe.client.v1.subscriptions.retrieve(subscription).status
    assert status == "past_due"
    counted = stripe_sync(store.engine, localstripe.base_url, day(4), dry_run=True)
    assert "MRR USD 41.67 from 1 paying customers" in counted.wrote[-1]  # 500 / 12
    options = StripeOptions(count_past_due=False)
    uncounted = stripe_sync(store.engine, localstripe.base_url, day(4), options=options)
    assert "MRR USD 0.00 from 0 paying customers" in uncounted.wrote[-1]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_metadata_keys_are_configurable_and_the_subscription_wins(
    localstripe: LocalStripe, store: Store
) -> None:
    localstripe.plan("monthly", 5000, "month")
    tagged = localstripe.customer({"source": "Outbound", "tier": "Mid-Market"})
    localstripe.subscribe(tagged, "monthly", metadata={"source": "partner program"})
    options = StripeOptions(channel_key="source", segment_key="tier")
    stripe_sync(store.engine, localstripe.base_url, day(1), options=options)
    assert set(day_rows(store.engine, day(0))) == {("partner_program", "mid_market")}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_every_page_is_read(localstripe: LocalStripe, store: Store) -> None:
    localstripe.plan("monthly", 5000, "month")
    for _ in range(101):  # a trial: no invoice, no charge (localstripe calls it incomplete)
        localstripe.subscribe(localstripe.customer(), "monthly", trial_period_days=30)
    report = stripe_sync(store.engine, localstripe.base_url, day(1))
    assert report.read == "read from Stripe: 101 customers, 101 subscriptions, 0 invoices"


def _row(
    *,
    new: int = 0,
    churned: int = 0,
    mrr_new: float = 0,
    expansion: float = 0,
    contraction: float = 0,
    mrr_churned: float = 0,
    reactivation: float = 0,
    start: tuple[int, float] = (0, 0),
    end: tuple[int, float] = (0, 0),
) -> dict[str, object]:
    return {
        "new_customers": new,
        "customers_churned": churned,
        "mrr_new": pytest.approx(mrr_new),
        "mrr_expansion": pytest.approx(expansion),
        "mrr_contraction": pytest.approx(contraction),
        "mrr_churned": pytest.approx(mrr_churned),
        "mrr_reactivation": pytest.approx(reactivation),
        "customers_start": start[0],
        "customers_end": end[0],
        "mrr_start": pytest.approx(start[1]),
        "mrr_end": pytest.approx(end[1]),
    }
