"""The HubSpot source against a local fake of the search and pipelines APIs: lifecycle
stages by the day a contact entered them, deals won and lost from each pipeline's closed
stages, channels and segments, window splitting past the 10,000-result cap, throttling,
429 with Retry-After, and failures that write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from sources.errors import MalformedObjectError, SyncError
from sources.hubspot.client import MIN_INTERVAL_SECONDS, RESULT_CAP
from sources.hubspot.search import Window, split
from storage.ownership import column_owner_map
from tests.conftest import Store
from tests.sources.fakehubspot import FakeHubSpot, Fault, fake_hubspot, iso
from tests.sources.hubspot_runs import TODAY, FakeClock, hubspot_sync
from tests.sources.hubspot_runs import cells as _rows
from tests.storage.csvs import stored_rows

MARCH = date(2026, 3, 1)


def _at(day: int, hour: int = 10) -> datetime:
    return datetime.combine(MARCH + timedelta(days=day), time(hour), UTC)


@pytest.fixture
def fake() -> Iterator[FakeHubSpot]:
    with fake_hubspot() as server:
        yield server


def _funnel(fake: FakeHubSpot) -> None:
    fake.contact(
        _at(0),
        hs_analytics_source="PAID_SEARCH",
        company_size="SMB",
        hs_lifecyclestage_lead_date=iso(_at(0)),
        hs_lifecyclestage_marketingqualifiedlead_date=iso(_at(1)),
        hs_lifecyclestage_salesqualifiedlead_date=iso(_at(1, 15)),
        hs_lifecyclestage_opportunity_date=iso(_at(3)),
        hs_lifecyclestage_customer_date=iso(_at(9)),
    )
    fake.contact(
        _at(0),
        hs_analytics_source="PAID_SEARCH",
        company_size="smb",
        hs_lifecyclestage_lead_date=iso(_at(0, 23)),
        hs_lifecyclestage_marketingqualifiedlead_date="2026-03-02",  # a date-only value
    )
    fake.contact(_at(0), hs_analytics_source="OFFLINE", hs_lifecyclestage_lead_date=iso(_at(0)))
    fake.contact(_at(0), hs_analytics_source=None, hs_lifecyclestage_lead_date=iso(_at(0)))
    fake.contact(_at(0), hs_analytics_source="ORGANIC_SEARCH")  # no stage: never counted
    fake.deal(
        _at(3),
        hs_analytics_source="PAID_SEARCH",
        company_size="SMB",
        dealstage="closedwon",
        amount="12000.50",
        closedate=iso(_at(9) + timedelta(hours=12)),
    )
    fake.deal(
        _at(5),
        hs_analytics_source="PAID_SEARCH",
        company_size="SMB",
        dealstage="137439862",  # won in the second pipeline
        amount="3000",
        closedate=iso(_at(9)),
    )
    fake.deal(
        _at(2),
        hs_analytics_source="PAID_SEARCH",
        company_size="SMB",
        dealstage="closedlost",
        amount="9000",
        closedate=iso(_at(9)),
    )
    fake.deal(_at(1), dealstage="contractsent", closedate=iso(_at(9)))  # open: not counted


STAGES = ("leads", "mqls", "sqls", "opportunities", "new_customers")
DEALS = ("deals_won", "deals_lost", "won_deal_value", "sales_cycle_days")


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_contacts_count_on_the_day_they_entered_each_stage_and_deals_on_their_close(
    store: Store, fake: FakeHubSpot
) -> None:
    _funnel(fake)
    report = hubspot_sync(store.engine, fake)
    assert report.read == "read from HubSpot: 4 contacts and 3 closed deals (2 pipelines)"
    rows = _rows(store.engine, *STAGES, *DEALS)
    zero = (0, 0, 0, 0, 0, 0, 0, 0.0, 0.0)
    paid = ("paid_search", "smb")
    assert rows == {
        (_day(0), *paid): (2, 0, 0, 0, 0, 0, 0, 0.0, 0.0),
        (_day(0), "events", "unknown"): (1, *zero[1:]),
        (_day(0), "unknown", "unknown"): (1, *zero[1:]),
        (_day(1), *paid): (0, 2, 1, 0, 0, 0, 0, 0.0, 0.0),
        (_day(3), *paid): (0, 0, 0, 1, 0, 0, 0, 0.0, 0.0),
        (_day(9), *paid): (0, 0, 0, 0, 1, 2, 1, 15000.5, 6.5 + 4.0),
    }
    with store.engine.connect() as connection:
        owners = column_owner_map(connection)
    assert {column for column, owner in owners.items() if owner == "hubspot"} == {
        *STAGES,
        *DEALS,
    }
    again = hubspot_sync(store.engine, fake, TODAY + timedelta(days=1))
    assert again.wrote == ("no row changed: the store already matches HubSpot",)


def _day(offset: int) -> date:
    return MARCH + timedelta(days=offset)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_more_than_10000_contacts_in_one_month_are_all_read_by_splitting_the_window(
    store: Store, fake: FakeHubSpot
) -> None:
    count = RESULT_CAP + 2_345
    for number in range(count):
        day = number % 31
        moment = _at(day) + timedelta(seconds=number)
        fake.contact(
            moment, hs_analytics_source="REFERRALS", hs_lifecyclestage_lead_date=iso(moment)
        )
    clock = FakeClock()
    report = hubspot_sync(store.engine, fake, clock=clock)
    assert report.read.startswith(f"read from HubSpot: {count} contacts")
    leads = _rows(store.engine, "leads")
    assert sum(int(value) for (value,) in leads.values()) == count  # type: ignore[call-overload]
    assert leads[(_day(0), "referral", "unknown")] == (len(range(0, count, 31)),)
    searches = fake.searches("contacts")
    assert all(int(body.get("after") or 0) < RESULT_CAP for body in searches)
    first_pages = [body for body in searches if "after" not in body]
    assert len(first_pages) >= 3  # the whole history, then its halves until each is under the cap
    # throttled: every request waited its turn, on the injected clock only
    assert clock.now == pytest.approx((len(fake.requests) - 1) * MIN_INTERVAL_SECONDS)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_429_waits_its_retry_after_and_the_sync_goes_on(store: Store, fake: FakeHubSpot) -> None:
    _funnel(fake)
    limited = {
        "status": "error",
        "message": "You have reached your secondly limit.",
        "errorType": "RATE_LIMIT",
        "policyName": "SECONDLY",
    }
    fake.faults += [Fault(429, {"Retry-After": "7"}, limited), Fault(502, {}, {})]
    clock = FakeClock()
    report = hubspot_sync(store.engine, fake, clock=clock)
    assert report.rows_written == 6
    assert 7.0 in clock.slept


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_failures_are_one_line_and_leave_the_store_as_it_was(
    store: Store, fake: FakeHubSpot
) -> None:
    _funnel(fake)
    hubspot_sync(store.engine, fake)
    before = stored_rows(store.engine)
    fake.contact(_at(20), hs_lifecyclestage_lead_date=iso(_at(20)))
    fake.faults += [Fault(500, {}, {"status": "error", "message": "internal error"})] * 5
    with pytest.raises(SyncError, match=r"^HubSpot answered 500 after 4 retries: internal error$"):
        hubspot_sync(store.engine, fake, TODAY + timedelta(days=1))
    with pytest.raises(SyncError) as refused:
        hubspot_sync(store.engine, fake, token="pat-wrong-secret")
    assert str(refused.value) == (
        "HubSpot refused the access token (check HUBSPOT_ACCESS_TOKEN): Authentication "
        "credentials not found."
    )
    fake.contact(_at(21), hs_lifecyclestage_lead_date="next tuesday")
    with pytest.raises(MalformedObjectError, match="hs_lifecyclestage_lead_date 'next tuesday'"):
        hubspot_sync(store.engine, fake, TODAY + timedelta(days=1))
    assert stored_rows(store.engine) == before


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_later_run_rereads_from_the_overlap_and_moves_a_contact_that_changed_channel(
    store: Store, fake: FakeHubSpot
) -> None:
    fake.contact(
        _at(30), hs_analytics_source="PAID_SOCIAL", hs_lifecyclestage_lead_date=iso(_at(30))
    )
    fake.contact(_at(2), hs_analytics_source="PAID_SOCIAL", hs_lifecyclestage_lead_date=iso(_at(2)))
    hubspot_sync(store.engine, fake, TODAY)
    for contact in fake.contacts:
        contact["properties"]["hs_analytics_source"] = "EMAIL_MARKETING"
    second = hubspot_sync(store.engine, fake, TODAY + timedelta(days=1), overlap_days=3)
    assert second.read.endswith(f", from {TODAY - timedelta(days=3)}")
    [window] = [body for body in fake.searches("contacts")[-1:]]
    since_ms = int(datetime.combine(TODAY - timedelta(days=3), time(0), UTC).timestamp() * 1000)
    assert window["filterGroups"][0]["filters"][0]["value"] == str(since_ms)
    assert _rows(store.engine, "leads") == {
        (_day(2), "paid_social", "unknown"): (1,),  # before the overlap: kept as it was read
        (_day(30), "paid_social", "unknown"): (None,),  # moved to e-mail
        (_day(30), "email", "unknown"): (1,),
    }


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_without_new_customers_the_customer_stage_is_left_to_stripe(
    store: Store, fake: FakeHubSpot
) -> None:
    _funnel(fake)
    hubspot_sync(store.engine, fake, new_customers=False)
    with store.engine.connect() as connection:
        assert "new_customers" not in column_owner_map(connection)
    assert all(value is None for (value,) in _rows(store.engine, "new_customers").values())
    filters = fake.searches("contacts")[0]["filterGroups"]
    assert len(filters) == 4


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_contacts_arriving_during_a_sync_past_the_cap_split_the_window_after_all(
    store: Store, fake: FakeHubSpot
) -> None:
    """The first page said 9,950; 300 more arrive while it pages, so page 51 would pass the
    10,000th result and HubSpot answers 400: the window is split and read again."""

    def add(count: int, offset: int) -> None:
        for number in range(offset, offset + count):
            moment = _at(number % 28) + timedelta(seconds=number)
            fake.contact(moment, hs_lifecyclestage_lead_date=iso(moment))

    add(RESULT_CAP - 50, 0)
    fake.hooks[3] = lambda: add(300, RESULT_CAP)  # after the pipelines and the first page
    report = hubspot_sync(store.engine, fake)
    assert report.read.startswith(f"read from HubSpot: {RESULT_CAP + 250} contacts")
    assert any(int(body.get("after") or 0) >= RESULT_CAP for body in fake.searches("contacts"))
    leads = _rows(store.engine, "leads").values()
    assert sum(int(value) for (value,) in leads) == RESULT_CAP + 250  # type: ignore[call-overload]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_token_without_the_read_scopes_is_told_which_it_needs(
    store: Store, fake: FakeHubSpot
) -> None:
    missing = {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call.",
        "category": "MISSING_SCOPES",
    }
    fake.faults.append(Fault(403, {}, missing))
    with pytest.raises(SyncError) as refused:
        hubspot_sync(store.engine, fake)
    assert str(refused.value) == (
        "the HubSpot token may not read what the sync needs (a private app needs the "
        "crm.objects.contacts.read and crm.objects.deals.read scopes): This app hasn't been "
        "granted all required scopes to make this call."
    )
    assert stored_rows(store.engine) == []


def test_a_window_splits_at_a_local_midnight_then_within_its_day() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 3, 25, tzinfo=berlin)  # the clocks move on the 29th
    first, second = split(Window(start, start + timedelta(days=10)))
    assert first.end == second.start == datetime(2026, 3, 30, tzinfo=berlin)
    assert first.end_ms == str(int(datetime(2026, 3, 29, 22, tzinfo=UTC).timestamp() * 1000))
    day = Window(datetime(2026, 3, 2, tzinfo=berlin), datetime(2026, 3, 3, tzinfo=berlin))
    morning, evening = split(day)
    assert morning.end == datetime(2026, 3, 2, 12, tzinfo=berlin) == evening.start
