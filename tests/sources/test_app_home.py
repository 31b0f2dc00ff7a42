"""The admin's view of the sources in App Home."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.slack.home import sources_section
from sources.runs import Outcome, RunLedger, Trigger
from tests.conftest import Store

MOMENT = datetime(2026, 1, 7, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_the_admin_sees_each_sources_last_run_and_why_it_failed(store: Store) -> None:
    ledger = RunLedger(store.engine, lambda: MOMENT)
    run = ledger.start("stripe", Trigger.SCHEDULE, full=False, dry_run=False)
    with store.engine.begin() as connection:
        ledger.finish(connection, run, Outcome.FAILED, detail="Stripe refused the API key")
    block = sources_section(ledger, ["stripe", "hubspot"], ZoneInfo("Europe/Berlin"))
    assert block["text"]["text"].splitlines() == [
        "*Sources* (you see this as the admin)",
        "• `stripe`: failed at 2026-01-07 02:00, 0 rows written — Stripe refused the API key",
        "• `hubspot`: never run (`funnelbot sync hubspot`)",
    ]
