"""Column ownership between the Stripe source and CSV imports, and one run per source."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sources.errors import SourceBusyError, SyncError
from sources.runs import RunLedger
from storage.csv_import import import_csv
from storage.ownership import ColumnConflictError
from tests.conftest import Store
from tests.sources.conftest import day_rows, stripe_sync
from tests.sources.fakestripe import FakeStripe, at_day, fake_stripe, price, subscription
from tests.sources.localstripe import day
from tests.storage.csvs import stored_rows, write_csv


@pytest.fixture
def fake() -> Iterator[FakeStripe]:
    with fake_stripe() as server:
        server.objects["customers"].append({"id": "cus_a", "metadata": {"channel": "organic"}})
        server.objects["subscriptions"].append(
            subscription("sub_a", "cus_a", [(price(5000), 1)], start=at_day(0))
        )
        yield server


def test_a_csv_import_fills_other_columns_of_stripes_rows_and_never_erases_stripes(
    store: Store, fake: FakeStripe, tmp_path: Path
) -> None:
    stripe_sync(store.engine, fake.base_url, day(2))
    spend = write_csv(
        tmp_path / "spend.csv",
        f"{day(1)},{day(1)},organic,unknown,900,,,,1200",
    )
    report = import_csv(store.engine, spend)
    assert (report.inserted, report.replaced) == (0, 1)
    row = day_rows(store.engine, day(1))[("organic", "unknown")]
    assert row["mrr_end"] == 50
    assert row["customers_end"] == 1
    [stored] = [one for one in stored_rows(store.engine) if one["period_start"] == day(1)]
    assert (stored["visitors"], stored["marketing_spend"]) == (900, 1200)
    again = stripe_sync(store.engine, fake.base_url, day(2))
    assert again.rows_written == 0  # Stripe's columns are still exactly Stripe's


def test_a_csv_bringing_stripes_columns_is_refused_whole(
    store: Store, fake: FakeStripe, tmp_path: Path
) -> None:
    stripe_sync(store.engine, fake.base_url, day(2))
    before = stored_rows(store.engine)
    clash = write_csv(
        tmp_path / "mrr.csv",
        f"{day(1)},,organic,unknown,5,999",
        header="period_start,period_end,channel,segment,visitors,mrr_end",
    )
    with pytest.raises(ColumnConflictError, match="mrr_end belongs to the stripe source; CSV"):
        import_csv(store.engine, clash)
    assert stored_rows(store.engine) == before


def test_stripe_refuses_columns_a_csv_already_provides(
    store: Store, fake: FakeStripe, tmp_path: Path
) -> None:
    import_csv(
        store.engine,
        write_csv(
            tmp_path / "mine.csv",
            f"{day(0)},,organic,smb,10,4",
            header="period_start,period_end,channel,segment,visitors,new_customers",
        ),
    )
    with pytest.raises(
        SyncError, match="new_customers belongs to CSV imports; the stripe source provides it too"
    ):
        stripe_sync(store.engine, fake.base_url, day(2))
    assert day_rows(store.engine, day(1)) == {}


def test_one_run_per_source_at_a_time_and_a_dead_holders_lease_is_taken_over(
    store: Store, fake: FakeStripe
) -> None:
    moment = datetime(2026, 1, 7, 2, tzinfo=UTC)
    holder = RunLedger(store.engine, lambda: moment, owner="worker-1")
    with holder.locked("stripe"):
        with pytest.raises(SourceBusyError, match="another stripe sync is running"):
            stripe_sync(store.engine, fake.base_url, day(2))
        later = RunLedger(store.engine, lambda: moment + timedelta(minutes=11), owner="worker-2")
        third = RunLedger(store.engine, lambda: moment, owner="worker-3")
        # the first holder stopped renewing 11 minutes ago: its lease is taken over, once
        with later.locked("stripe"), pytest.raises(SourceBusyError), third.locked("stripe"):
            pass
