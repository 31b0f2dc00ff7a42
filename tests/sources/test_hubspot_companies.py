"""The segment from a company property: each contact's and deal's company through the v4
associations (its primary one; else the lowest id), its property named through the
mapping, in batches of the sizes HubSpot takes, every page of associations read, 429s
waited, and failures that write nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from sources.errors import SyncError
from sources.hubspot.client import ASSOCIATIONS_BATCH, OBJECTS_BATCH
from sources.hubspot.figures import Naming, SegmentObject
from tests.conftest import Store
from tests.sources.fakehubspot import (
    ASSOCIATIONS_A_PAGE,
    BATCH_READ_PATH,
    FakeHubSpot,
    Fault,
    fake_hubspot,
    iso,
)
from tests.sources.hubspot_runs import FakeClock, cells, hubspot_sync
from tests.storage.csvs import stored_rows

MARCH = date(2026, 3, 1)
ICP = "hs_ideal_customer_profile"
BY_COMPANY = Naming(
    "hs_analytics_source",
    segment_property=ICP,
    segments={"tier_1": "enterprise", "tier_2": "mid_market"},
    segment_object=SegmentObject.COMPANY,
)
CONTACT_ASSOCIATIONS = "/crm/v4/associations/contacts/companies/batch/read"
DEAL_ASSOCIATIONS = "/crm/v4/associations/deals/companies/batch/read"
COLUMNS = ("leads", "deals_won", "deals_lost", "won_deal_value")


def _at(day: int) -> datetime:
    return datetime.combine(MARCH + timedelta(days=day), time(10), UTC)


def _day(offset: int) -> date:
    return MARCH + timedelta(days=offset)


@pytest.fixture
def fake() -> Iterator[FakeHubSpot]:
    with fake_hubspot() as server:
        yield server


def _lead(fake: FakeHubSpot, source: str = "PAID_SEARCH", **properties: str | None) -> str:
    return fake.contact(
        _at(0), hs_analytics_source=source, hs_lifecyclestage_lead_date=iso(_at(0)), **properties
    )


def _closed(fake: FakeHubSpot, stage: str, amount: str) -> str:
    return fake.deal(
        _at(2),
        hs_analytics_source="PAID_SEARCH",
        dealstage=stage,
        amount=amount,
        closedate=iso(_at(9)),
    )


def _accounts(fake: FakeHubSpot) -> None:
    """Five contacts and three deals, each case of choosing a company once."""
    mid = fake.company(_at(0), name="Mid Co", **{ICP: "tier_2"})  # the lowest id
    enterprise = fake.company(_at(0), name="Big Co", **{ICP: "tier_1"})
    unmapped = fake.company(_at(0), name="Third Co", **{ICP: "tier_3"})
    blank = fake.company(_at(0), name="Blank Co", **{ICP: None})
    several = _lead(fake)  # its primary company is not its lowest id
    fake.associate("contacts", several, mid)
    fake.associate("contacts", several, enterprise, primary=True)
    no_primary = _lead(fake)  # the lowest id of its companies counts
    fake.associate("contacts", no_primary, blank)
    fake.associate("contacts", no_primary, unmapped)
    _lead(fake, **{ICP: "tier_1"})  # no company: its own value is not the company's
    organic = _lead(fake, "ORGANIC_SEARCH")
    fake.associate("contacts", organic, blank, primary=True)  # a company without the value
    deleted = _lead(fake)
    fake.associate("contacts", deleted, "999999", primary=True)  # batch read: not found
    won = _closed(fake, "closedwon", "1000")
    fake.associate("deals", won, mid)
    fake.associate("deals", won, enterprise, primary=True)
    lost = _closed(fake, "closedlost", "700")
    fake.associate("deals", lost, mid)
    _closed(fake, "closedwon", "500")  # a deal with no company


@pytest.mark.parametrize("store", ["sqlite", "postgresql"], indirect=True)
def test_each_contact_and_deal_takes_the_segment_of_its_primary_company(
    store: Store, fake: FakeHubSpot
) -> None:
    _accounts(fake)
    report = hubspot_sync(store.engine, fake, naming=BY_COMPANY)
    assert report.read == (
        "read from HubSpot: 5 contacts and 3 closed deals (2 pipelines); segments from 4 companies"
    )
    assert cells(store.engine, *COLUMNS) == {
        (_day(0), "paid_search", "enterprise"): (1, 0, 0, 0.0),
        (_day(0), "paid_search", "tier_3"): (1, 0, 0, 0.0),  # unmapped: named as on import
        (_day(0), "paid_search", "unknown"): (2, 0, 0, 0.0),  # no company, a deleted one
        (_day(0), "organic", "unknown"): (1, 0, 0, 0.0),  # a company without the value
        (_day(9), "paid_search", "enterprise"): (0, 1, 0, 1000.0),
        (_day(9), "paid_search", "mid_market"): (0, 0, 1, 0.0),
        (_day(9), "paid_search", "unknown"): (0, 1, 0, 500.0),
    }
    assert all(ICP not in body["properties"] for body in fake.searches("contacts"))
    (read,) = fake.posted(BATCH_READ_PATH)
    assert read["properties"] == [ICP]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_more_ids_than_a_batch_takes_are_read_in_batches(store: Store, fake: FakeHubSpot) -> None:
    count = ASSOCIATIONS_BATCH + 50
    for number in range(count):
        company = fake.company(_at(0), **{ICP: "tier_1" if number % 2 else "tier_2"})
        fake.associate("contacts", _lead(fake), company, primary=True)
    report = hubspot_sync(store.engine, fake, naming=BY_COMPANY)
    assert report.read.endswith(f"; segments from {count} companies")
    associations = [len(body["inputs"]) for body in fake.posted(CONTACT_ASSOCIATIONS)]
    assert associations == [ASSOCIATIONS_BATCH, 50]
    reads = [len(body["inputs"]) for body in fake.posted(BATCH_READ_PATH)]
    assert reads == [OBJECTS_BATCH] * 10 + [50]
    assert cells(store.engine, "leads") == {
        (_day(0), "paid_search", "enterprise"): (count // 2,),
        (_day(0), "paid_search", "mid_market"): (count // 2,),
    }


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_every_page_of_a_contacts_companies_is_read_to_find_its_primary_one(
    store: Store, fake: FakeHubSpot
) -> None:
    many = _lead(fake)
    for _ in range(ASSOCIATIONS_A_PAGE):
        fake.associate("contacts", many, fake.company(_at(0), **{ICP: "tier_2"}))
    primary = fake.company(_at(0), **{ICP: "tier_1"})  # the highest id: on the second page
    fake.associate("contacts", many, primary, primary=True)
    one = _lead(fake, "EMAIL_MARKETING")
    fake.associate("contacts", one, primary)
    hubspot_sync(store.engine, fake, naming=BY_COMPANY)
    first, second = fake.posted(CONTACT_ASSOCIATIONS)
    assert [entry["id"] for entry in first["inputs"]] == [many, one]
    [(entry_id, after)] = [(entry["id"], entry.get("after")) for entry in second["inputs"]]
    assert entry_id == many and after
    assert cells(store.engine, "leads") == {
        (_day(0), "paid_search", "enterprise"): (1,),
        (_day(0), "email", "enterprise"): (1,),
    }


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_429_on_the_associations_or_the_companies_waits_its_retry_after(
    store: Store, fake: FakeHubSpot
) -> None:
    _accounts(fake)
    limited = {"status": "error", "message": "You have reached your secondly limit."}
    fake.faults += [
        Fault(429, {"Retry-After": "3"}, limited, path=CONTACT_ASSOCIATIONS),
        Fault(429, {"Retry-After": "5"}, limited, path=BATCH_READ_PATH),
    ]
    clock = FakeClock()
    hubspot_sync(store.engine, fake, clock=clock, naming=BY_COMPANY)
    assert 3.0 in clock.slept and 5.0 in clock.slept
    assert len(fake.posted(CONTACT_ASSOCIATIONS)) == 2 and len(fake.posted(BATCH_READ_PATH)) == 2
    assert cells(store.engine, "leads")[(_day(0), "paid_search", "enterprise")] == (1,)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_companies_refused_or_a_batch_error_fail_the_run_and_write_nothing(
    store: Store, fake: FakeHubSpot
) -> None:
    _accounts(fake)
    hubspot_sync(store.engine, fake, naming=BY_COMPANY)
    before = stored_rows(store.engine)
    company = fake.company(_at(0), **{ICP: "tier_2"})  # a change a successful run would write
    fake.associate("contacts", _lead(fake), company, primary=True)
    missing = {
        "status": "error",
        "message": "This app hasn't been granted all required scopes to make this call.",
        "category": "MISSING_SCOPES",
    }
    fake.faults.append(Fault(403, {}, missing, path=BATCH_READ_PATH))
    with pytest.raises(SyncError) as refused:
        hubspot_sync(store.engine, fake, full=True, naming=BY_COMPANY)
    assert str(refused.value) == (
        "the HubSpot token may not read companies, which a segment from a company property "
        "needs (add the crm.objects.companies.read scope to the private app): This app "
        "hasn't been granted all required scopes to make this call."
    )
    failed = {
        "status": "COMPLETE",
        "results": [],
        "numErrors": 1,
        "errors": [{"status": "error", "category": "INTERNAL_ERROR", "message": "try later"}],
    }
    fake.faults.append(Fault(207, {}, failed, path=DEAL_ASSOCIATIONS))
    with pytest.raises(SyncError, match=r"^HubSpot's deals to companies associations failed"):
        hubspot_sync(store.engine, fake, full=True, naming=BY_COMPANY)
    assert stored_rows(store.engine) == before
