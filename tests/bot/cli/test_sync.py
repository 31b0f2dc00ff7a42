"""`funnelbot sync` and `funnelbot sources` as an operator runs them, against localstripe."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli import run_funnelbot
from tests.conftest import Store
from tests.sources.conftest import day_rows, stripe_sync
from tests.sources.localstripe import API_KEY, LocalStripe, day
from tests.storage.csvs import write_csv


def _env(stripe: LocalStripe, key: str = API_KEY) -> dict[str, str]:
    return {"STRIPE_API_KEY": key, "STRIPE_API_BASE": stripe.base_url}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)  # the CLI over either is the same
def test_sync_then_ask_then_list_the_sources(
    store: Store, localstripe: LocalStripe, tmp_path: Path
) -> None:
    localstripe.plan("yearly", 240000, "year")
    localstripe.subscribe(localstripe.customer({"channel": "webinar"}), "yearly", quantity=2)
    synced = run_funnelbot(store.url, tmp_path, "sync", "stripe", extra_env=_env(localstripe))
    assert synced.returncode == 0, synced.stderr
    lines = synced.stdout.splitlines()
    assert lines[0] == "stripe: read from Stripe: 1 customers, 1 subscriptions, 1 invoices"
    assert lines[1].startswith("stripe: ") and " daily rows written (" in lines[1]
    assert lines[2] == "stripe: today: MRR USD 400.00 from 1 paying customers"
    assert day_rows(store.engine, day(0))[("webinar", "unknown")]["mrr_new"] == 400
    answered = run_funnelbot(
        store.url, tmp_path, "query", "mrr", "--period", "2026-01", "--by", "channel", "--json"
    )
    assert answered.returncode == 0, answered.stderr
    assert '"value": 400.0' in answered.stdout
    listed = run_funnelbot(store.url, tmp_path, "sources", extra_env=_env(localstripe))
    assert listed.returncode == 0, listed.stderr
    assert "stripe" in listed.stdout and "succeeded" in listed.stdout


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_refused_key_exits_1_with_one_line_and_writes_nothing(
    store: Store, localstripe: LocalStripe, tmp_path: Path
) -> None:
    localstripe.plan("monthly", 5000, "month")
    localstripe.subscribe(localstripe.customer(), "monthly")
    refused = run_funnelbot(
        store.url, tmp_path, "sync", "all", extra_env=_env(localstripe, key="rk_not_a_secret_key")
    )
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: stripe: Stripe refused the API key (check STRIPE_API_KEY): Unauthorized; "
        "nothing was written"
    ]
    assert "rk_not_a_secret_key" not in refused.stderr + refused.stdout
    assert day_rows(store.engine, day(0)) == {}
    listed = run_funnelbot(store.url, tmp_path, "sources")
    assert "failed" in listed.stdout and "Unauthorized" in listed.stdout


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_an_import_bringing_stripes_columns_exits_1_naming_both_owners(
    store: Store, localstripe: LocalStripe, tmp_path: Path
) -> None:
    localstripe.plan("monthly", 5000, "month")
    localstripe.subscribe(localstripe.customer(), "monthly")
    stripe_sync(store.engine, localstripe.base_url, day(1))
    clash = write_csv(
        tmp_path / "mrr.csv",
        f"{day(0)},,unknown,unknown,70",
        header="period_start,period_end,channel,segment,mrr_end",
    )
    refused = run_funnelbot(store.url, tmp_path, "import", str(clash))
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: column mrr_end belongs to the stripe source; CSV imports provides it too. Only "
        "one writer may own a column: leave it out of one of them (nothing was written)"
    ]
    assert day_rows(store.engine, day(0))[("unknown", "unknown")]["mrr_end"] == 50
