"""The worker's jobs for sources built from the settings (`source_jobs`): a SQL source and
HubSpot on their own schedules, run by the worker, a failed query DMed to the admin."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.core.config import load_settings
from bot.syncing.registry import source_jobs
from sources.runs import Outcome
from tests.conftest import Store
from tests.sources.fakehubspot import TOKEN, FakeHubSpot, fake_hubspot, iso
from tests.sources.warehouses import Warehouse, mariadb_available, warehouse
from tests.storage.csvs import stored_rows

__all__ = ["mariadb_available", "warehouse"]

AT_THREE = datetime(2026, 3, 10, 3, 0, tzinfo=UTC)


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with fake_hubspot() as server:
        yield server


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
@pytest.mark.parametrize("warehouse", ["mariadb"], indirect=True)
def test_the_worker_runs_each_source_on_its_schedule_and_dms_a_failed_query(
    store: Store,
    warehouse: Warehouse,
    hubspot: FakeHubSpot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    table = warehouse.table("visits")
    warehouse.execute(
        f"CREATE TABLE {table} (day DATE, visits INTEGER)",
        f"INSERT INTO {table} VALUES ('2026-03-09', 4100)",
    )
    lead = AT_THREE - timedelta(days=1)
    hubspot.contact(
        lead, hs_analytics_source="DIRECT_TRAFFIC", hs_lifecyclestage_lead_date=iso(lead)
    )
    config = tmp_path / "funnelbot.toml"
    config.write_text(
        f'[sources.web]\nkind = "sql"\nurl = "{warehouse.url}"\n'
        f'query = "SELECT day AS period_start, visits AS visitors FROM {table}"\n'
        'schedule = "daily 03:00"\n\n'
        f'[sources.broken]\nkind = "sql"\nurl = "{warehouse.url}"\n'
        f'query = "SELECT day AS period_start FROM {warehouse.table("missing")}"\n'
        'schedule = "mon 05:00"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("HUBSPOT_ACCESS_TOKEN", TOKEN)
    monkeypatch.setenv("HUBSPOT_API_BASE", hubspot.base_url)
    monkeypatch.delenv("STRIPE_API_KEY", raising=False)
    dms: list[tuple[str, str]] = []
    settings = load_settings(config, admin_user="U0ADMIN")
    jobs = source_jobs(
        settings, store.engine, lambda user, text: dms.append((user, text)), lambda: AT_THREE
    )
    assert {name: plan.schedule.text for name, plan in jobs.plans.items()} == {
        "hubspot": "daily 02:00",
        "web": "daily 03:00",
        "broken": "mon 05:00",
    }
    assert jobs.missed(AT_THREE) == ["hubspot", "web", "broken"]  # never run, each one due
    web = jobs.run("web")
    assert web is not None and web.rows_written == 1
    crm = jobs.run("hubspot")
    assert crm is not None and crm.rows_written == 1
    assert jobs.run("broken") is None
    [(user, text)] = dms
    assert user == "U0ADMIN"
    assert text.startswith(
        ":warning: The broken sync failed and wrote nothing: the query failed on"
    )
    assert "missing' doesn't exist" in text
    rows = {(row["channel"], row["visitors"], row["leads"]) for row in stored_rows(store.engine)}
    assert rows == {("unattributed", 4100, None), ("direct", None, 1)}
    latest = jobs.ledger.latest("broken")
    assert latest is not None and latest.outcome is Outcome.FAILED
