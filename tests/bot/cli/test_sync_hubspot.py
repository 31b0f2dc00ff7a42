"""The operator's whole path of issue 17: HubSpot and a SQL spend query configured beside
Stripe, `funnelbot sync all`, then CAC, MQL→SQL, win rate and the sales cycle by channel,
from the CLI and from Slack (signed slash commands to a running `funnelbot serve`, answered
to the fake Slack), and `funnelbot sources` and the admin's App Home showing each source's
last run."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from testkit.fakeslack import FakeSlack, RecordedCall, wait_for
from testkit.processes import (
    assert_clean_exit,
    free_port,
    funnelbot_env,
    start_funnelbot,
    wait_until_answering,
)
from testkit.signed import event_body, post_signed, slash_body
from tests.cli import run_funnelbot
from tests.conftest import Store
from tests.sources.fakehubspot import TOKEN, FakeHubSpot, fake_hubspot, iso
from tests.sources.localstripe import API_KEY, EPOCH, LocalStripe
from tests.sources.warehouses import Warehouse, mariadb_available, warehouse
from tests.storage.csvs import stored_rows

__all__ = ["mariadb_available", "warehouse"]


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    with fake_hubspot() as server:
        yield server


def _at(day: int, hour: int = 10) -> datetime:
    return EPOCH.replace(hour=hour) + timedelta(days=day)


def _crm(fake: FakeHubSpot) -> None:
    """Paid search: 4 MQLs, 2 of them SQLs, a deal won in 10 days and one lost; organic: a
    deal won in 4 days."""
    for number in range(4):
        fake.contact(
            _at(0),
            hs_analytics_source="PAID_SEARCH",
            hs_lifecyclestage_marketingqualifiedlead_date=iso(_at(0)),
            hs_lifecyclestage_salesqualifiedlead_date=iso(_at(1)) if number < 2 else None,
        )
    fake.deal(
        _at(-9),
        hs_analytics_source="PAID_SEARCH",
        dealstage="closedwon",
        amount="2400",
        closedate=iso(_at(1)),
    )
    fake.deal(
        _at(-3),
        hs_analytics_source="PAID_SEARCH",
        dealstage="closedlost",
        amount="900",
        closedate=iso(_at(1)),
    )
    fake.deal(
        _at(-3),
        hs_analytics_source="ORGANIC_SEARCH",
        dealstage="closedwon",
        amount="1200",
        closedate=iso(_at(1)),
    )


def _billing(stripe: LocalStripe) -> None:
    stripe.plan("monthly", 10000, "month")
    for channel in ("paid_search", "paid_search", "organic"):
        stripe.subscribe(stripe.customer({"channel": channel}), "monthly")


def _config(tmp_path: Path, warehouse: Warehouse) -> Path:
    spend = warehouse.table("spend")
    warehouse.execute(
        f"CREATE TABLE {spend} (day DATE, channel VARCHAR(30), marketing NUMERIC(10, 2), "
        "sales NUMERIC(10, 2))",
        f"INSERT INTO {spend} VALUES ('{EPOCH.date()}', 'paid_search', 1000, 500)",
        f"INSERT INTO {spend} VALUES ('{EPOCH.date()}', 'organic', 200, 100)",
    )
    path = tmp_path / "funnelbot.toml"
    path.write_text(
        "[sources.hubspot]\n"
        'schedule = "daily 02:30"\n\n'
        "[sources.spend]\n"
        'kind = "sql"\n'
        'url_env = "WAREHOUSE_URL"\n'
        f"query = \"SELECT day AS period_start, channel, 'unknown' AS segment, marketing AS "
        f'marketing_spend, sales AS sales_spend FROM {spend} WHERE day >= :since"\n',
        encoding="utf-8",
    )
    return path


@pytest.fixture
def three_sources(
    warehouse: Warehouse, hubspot: FakeHubSpot, localstripe: LocalStripe, tmp_path: Path
) -> dict[str, str]:
    """The operator's environment: HubSpot and the spend query beside Stripe, each filled."""
    _crm(hubspot)
    _billing(localstripe)
    return {
        "FUNNELBOT_CONFIG": str(_config(tmp_path, warehouse)),
        "WAREHOUSE_URL": warehouse.url,
        "HUBSPOT_ACCESS_TOKEN": TOKEN,
        "HUBSPOT_API_BASE": hubspot.base_url,
        "STRIPE_API_KEY": API_KEY,
        "STRIPE_API_BASE": localstripe.base_url,
    }


def _by_channel(answer: str) -> dict[str, Any]:
    parsed = json.loads(answer)
    return {row["group"]["channel"]: row["value"] for row in parsed["breakdown"]}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
@pytest.mark.parametrize("warehouse", ["postgresql"], indirect=True)
def test_hubspot_and_a_spend_query_beside_stripe_answer_the_sales_funnel_by_channel(
    store: Store, three_sources: dict[str, str], tmp_path: Path
) -> None:
    env = three_sources
    synced = run_funnelbot(store.url, tmp_path, "sync", "all", extra_env=env)
    assert synced.returncode == 0, synced.stderr
    lines = synced.stdout.splitlines()
    assert "hubspot: read from HubSpot: 4 contacts and 3 closed deals (2 pipelines)" in lines
    assert (
        "spend: read 2 rows of marketing_spend, sales_spend from the query (all of its history)"
        in lines
    )

    def by_channel(metric: str) -> dict[str, Any]:
        asked = run_funnelbot(
            store.url,
            tmp_path,
            "query",
            metric,
            "--period",
            "2026-01",
            "--by",
            "channel",
            "--json",
            extra_env=env,
        )
        assert asked.returncode == 0, asked.stderr
        return _by_channel(asked.stdout)

    assert by_channel("cac") == {"organic": 300.0, "paid_search": 750.0}
    assert by_channel("mql_to_sql")["paid_search"] == 0.5
    assert by_channel("win_rate") == {"organic": 1.0, "paid_search": 0.5}
    assert by_channel("avg_sales_cycle") == {"organic": 4.0, "paid_search": 10.0}
    listed = run_funnelbot(store.url, tmp_path, "sources", extra_env=env)
    assert listed.returncode == 0, listed.stderr
    succeeded = [line.split()[1] for line in listed.stdout.splitlines() if "succeeded" in line]
    assert succeeded == ["stripe", "hubspot", "spend"]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_refused_token_exits_1_with_one_line_and_never_shows_the_token(
    store: Store, hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    env = {"HUBSPOT_ACCESS_TOKEN": "pat-na1-not-the-token", "HUBSPOT_API_BASE": hubspot.base_url}
    refused = run_funnelbot(store.url, tmp_path, "sync", "hubspot", extra_env=env)
    assert refused.returncode == 1
    assert refused.stderr.splitlines() == [
        "error: hubspot: HubSpot refused the access token (check HUBSPOT_ACCESS_TOKEN): "
        "Authentication credentials not found.; nothing was written"
    ]
    assert "pat-na1-not-the-token" not in refused.stdout + refused.stderr


SLACK_QUESTIONS = {
    "cac": "cac by channel 2026-01",
    "mql_to_sql": "mql to sql by channel 2026-01",
    "win_rate": "win rate by channel 2026-01",
    "sales_cycle": "sales cycle by channel 2026-01",
}


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
@pytest.mark.parametrize("warehouse", ["postgresql", "mariadb"], indirect=True)
def test_after_sync_all_slack_answers_by_channel_and_app_home_shows_each_sources_run(
    store: Store, three_sources: dict[str, str], fake_slack: FakeSlack, tmp_path: Path
) -> None:
    synced = run_funnelbot(store.url, tmp_path, "sync", "all", extra_env=three_sources)
    assert synced.returncode == 0, synced.stderr
    serve_env = {
        **funnelbot_env(store.url, fake_slack),
        "FUNNELBOT_ADMIN_USER": "U0ADMIN",
        **three_sources,
    }
    port = free_port()
    running = start_funnelbot(
        ["serve", "--port", str(port), "--as-of", "2026-02-10"], serve_env, tmp_path, "serve"
    )
    running.root = f"http://127.0.0.1:{port}"
    try:
        wait_until_answering(running)
        for name, question in SLACK_QUESTIONS.items():
            post_signed(running.events_url, slash_body(question, fake_slack.response_url(name)))
        wait_for(lambda: len(fake_slack.calls("response_url")) == len(SLACK_QUESTIONS))
        home = {"type": "app_home_opened", "user": "U0ADMIN", "channel": "D0DM", "tab": "home"}
        post_signed(running.events_url, event_body(home, "Ev0017"), "application/json")
        (published,) = wait_for(lambda: fake_slack.calls("views.publish"))
    finally:
        status = running.stop()
    assert_clean_exit(running, status)
    answers = {call.path.rsplit("/", 1)[-1]: call for call in fake_slack.calls("response_url")}
    assert {name: _headline_and_table(call) for name, call in answers.items()} == {
        # spend 1,000 + 500 and 200 + 100 over Stripe's 2 and 1 new customers
        "cac": (
            "Customer acquisition cost: USD 600",
            ["channel      Customer acquisition cost", "organic                        USD 300",
             "paid search                    USD 750"],
        ),
        # 4 paid search MQLs, 2 of them SQLs; organic had no MQL
        "mql_to_sql": (
            "MQL-to-SQL conversion: 50.0%",
            ["channel              MQL-to-SQL conversion",
             "paid search                          50.0%",
             "organic      n/a (no MQLs in January 2026)"],
        ),
        # 2 won of 3 closed: paid search 1 of 2, organic 1 of 1
        "win_rate": (
            "Win rate: 66.7%",
            ["channel      Win rate", "organic        100.0%", "paid search     50.0%"],
        ),
        # won deals closed 10 days (paid search) and 4 days (organic) after they were created
        "sales_cycle": (
            "Average sales cycle: 7.0 days",
            ["channel      Average sales cycle", "organic                 4.0 days",
             "paid search            10.0 days"],
        ),
    }  # fmt: skip
    title, stripe, *others = _sources_lines(published.json_field("view"))
    assert title == "*Sources* (you see this as the admin)"
    assert re.fullmatch(r"• `stripe`: succeeded, \d+ rows written", stripe)  # a row a day
    assert others == [
        "• `hubspot`: succeeded, 3 rows written",
        "• `spend`: succeeded, 2 rows written",
    ]


def _headline_and_table(answer: RecordedCall) -> tuple[str, list[str]]:
    """An answer's figure and the lines of its breakdown table."""
    texts = [block["text"]["text"] for block in answer.json_field("blocks") if "text" in block]
    (table,) = [text for text in texts if isinstance(text, str) and text.startswith("```")]
    return answer.headline(), table.strip("`").splitlines()


def _sources_lines(view: dict[str, Any]) -> list[str]:
    """App Home's sources section, each run's moment (the wall clock's) left out."""
    (section,) = [
        block["text"]["text"]
        for block in view["blocks"]
        if "text" in block and str(block["text"].get("text", "")).startswith("*Sources*")
    ]
    return [re.sub(r" at \d{4}-\d\d-\d\d \d\d:\d\d", "", line) for line in section.splitlines()]


@pytest.mark.parametrize("store", ["sqlite"], indirect=True)
def test_a_dry_run_reads_and_counts_but_writes_nothing_and_full_reads_the_whole_history(
    store: Store, hubspot: FakeHubSpot, tmp_path: Path
) -> None:
    _crm(hubspot)
    env = {"HUBSPOT_ACCESS_TOKEN": TOKEN, "HUBSPOT_API_BASE": hubspot.base_url}
    dry = run_funnelbot(store.url, tmp_path, "sync", "hubspot", "--dry-run", extra_env=env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.splitlines() == [
        "hubspot: read from HubSpot: 4 contacts and 3 closed deals (2 pipelines)",
        "hubspot: 3 daily rows written (3 new, 0 replaced) for 2026-01-05 to 2026-01-06",
        "hubspot: dry run: nothing was written",
    ]
    assert stored_rows(store.engine) == []
    listed = run_funnelbot(store.url, tmp_path, "sources", extra_env=env)
    assert "dry run" in listed.stdout
    first = run_funnelbot(store.url, tmp_path, "sync", "hubspot", extra_env=env)
    assert first.returncode == 0, first.stderr
    assert len(stored_rows(store.engine)) == 3
    full = run_funnelbot(store.url, tmp_path, "sync", "hubspot", "--full", extra_env=env)
    assert full.stdout.splitlines() == [
        "hubspot: read from HubSpot: 4 contacts and 3 closed deals (2 pipelines)",
        "hubspot: no row changed: the store already matches HubSpot",
    ]
    [window] = [body for body in hubspot.searches("contacts")[-1:]]
    assert window["filterGroups"][0]["filters"][0]["value"] == "0"  # from 1970-01-01
