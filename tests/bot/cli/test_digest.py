"""`funnelbot digest` and `funnelbot worker` as operators run them: subprocesses against
the test store and the fake Slack."""

from __future__ import annotations

import json
import signal
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from metrics.periods import Grain, last_unit
from storage.models import DigestDelivery
from testkit.fakeslack import FakeSlack, wait_for
from tests.bot.digests.conftest import BOT_TOKEN, seed_weeks
from tests.cli import FUNNELBOT, operator_environment, start_funnelbot
from tests.conftest import Store

CONFIG = """
timezone = "Europe/Berlin"
[targets]
cac = { max = 500 }
[digests.marketing]
channels = ["#marketing", "CREV0001"]
[digests.sales]
channels = ["#sales"]
schedule = "daily 00:00"
[access]
restricted_metrics = ["mrr"]
restricted_channels = ["CREV0001"]
"""
AS_OF = "2026-11-23"
# Subprocesses cost seconds each, so they run on SQLite only; the same races and
# recoveries run on both databases in-process (test_delivery.py, test_worker.py).
sqlite_only = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


def environment(
    store: Store, tmp_path: Path, fake: FakeSlack | None, config: str
) -> dict[str, str]:
    path = tmp_path / "funnelbot.toml"
    path.write_text(config)
    slack = None if fake is None else (BOT_TOKEN, fake.base_url)
    return operator_environment(store.url, path, slack)


def run(env: dict[str, str], cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*FUNNELBOT, *arguments],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
    )


def ledger_rows(store: Store) -> int:
    with store.engine.connect() as connection:
        return int(connection.scalar(select(func.count()).select_from(DigestDelivery)) or 0)


@sqlite_only
def test_dry_run_prints_the_digest_records_nothing_and_matches_query(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_weeks(store)
    env = environment(store, tmp_path, fake_slack, CONFIG)
    done = run(env, tmp_path, "digest", "--audience", "marketing", "--as-of", AS_OF, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "Marketing digest · 2026-W47" in done.stdout
    assert "would post to: #marketing" in done.stdout and "would post to: CREV0001" in done.stdout
    assert "Needs attention" in done.stdout
    assert ledger_rows(store) == 0
    assert fake_slack.calls() == []
    blocks = run(
        env,
        tmp_path,
        "digest",
        "--audience",
        "marketing",
        "--as-of",
        AS_OF,
        "--dry-run",
        "--blocks",
    )
    payloads = json.loads(blocks.stdout)
    assert [item["channel"] for item in payloads] == ["#marketing", "CREV0001"]
    assert payloads[0]["blocks"][0]["text"]["text"] == "Marketing digest · 2026-W47"
    # The digest says what `funnelbot query` says for the same week.
    query = run(env, tmp_path, "query", "leads", "--period", "2026-W47", "--json")
    leads = json.loads(query.stdout)["value"]
    assert f"*Leads*: {leads:,.0f}" in json.dumps(payloads[0]["blocks"], ensure_ascii=False)


@sqlite_only
@pytest.mark.parametrize(("audience", "line"), [("marketing", "Leads"), ("sales", "Win rate")])
def test_default_audiences_preview_without_any_digests_configured(
    store: Store, tmp_path: Path, audience: str, line: str
) -> None:
    """What `funnelbot demo` previews, `digest --dry-run` shows with no [digests.*] table."""
    seed_weeks(store)
    env = environment(store, tmp_path, None, 'timezone = "Europe/Berlin"\n')
    done = run(env, tmp_path, "digest", "--audience", audience, "--as-of", AS_OF, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert f"{audience.capitalize()} digest · 2026-W47" in done.stdout
    assert line in done.stdout
    assert f"no channels yet (set channels in [digests.{audience}]" in done.stdout
    blocks = run(
        env, tmp_path, "digest", "--audience", audience, "--as-of", AS_OF, "--dry-run", "--blocks"
    )
    [payload] = json.loads(blocks.stdout)
    assert payload["channel"] is None
    assert payload["blocks"][0]["text"]["text"] == f"{audience.capitalize()} digest · 2026-W47"
    assert ledger_rows(store) == 0


@sqlite_only
def test_sending_a_default_audience_without_channels_names_the_missing_key(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_weeks(store)
    env = environment(store, tmp_path, fake_slack, 'timezone = "Europe/Berlin"\n')
    done = run(env, tmp_path, "digest", "--audience", "marketing", "--as-of", AS_OF)
    assert done.returncode == 1
    assert done.stderr.startswith("error: the marketing digest has no channels to post to")
    assert 'channels = ["C0123456789"] in [digests.marketing]' in done.stderr
    assert "Traceback" not in done.stderr
    assert fake_slack.calls() == []
    assert ledger_rows(store) == 0


@sqlite_only
def test_unknown_audience_lists_the_known_ones(store: Store, tmp_path: Path) -> None:
    done = run(
        environment(store, tmp_path, None, CONFIG), tmp_path, "digest", "--audience", "board"
    )
    assert done.returncode == 1
    assert (
        done.stderr.strip() == "error: unknown audience 'board'; known audiences: marketing, sales"
    )


@sqlite_only
def test_bad_configuration_names_every_bad_key(store: Store, tmp_path: Path) -> None:
    config = CONFIG + '\n[digests.board]\nchannels = []\nschedule = "mon 9"\nmetrics = ["revenu"]\n'
    done = run(
        environment(store, tmp_path, None, config), tmp_path, "digest", "--audience", "sales"
    )
    assert done.returncode == 1
    for key in (
        'digests.board.schedule: cannot read "mon 9"',
        "'revenu'",
    ):
        assert key in done.stderr
    assert "Traceback" not in done.stderr


@sqlite_only
def test_sending_without_a_token_is_refused(store: Store, tmp_path: Path) -> None:
    done = run(
        environment(store, tmp_path, None, CONFIG), tmp_path, "digest", "--audience", "sales"
    )
    assert done.returncode == 1
    assert "SLACK_BOT_TOKEN is not set" in done.stderr


@sqlite_only
def test_three_racing_processes_post_once_per_channel(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_weeks(store)
    env = environment(store, tmp_path, fake_slack, CONFIG)
    processes = [
        start_funnelbot(env, tmp_path, "digest", "--audience", "marketing", "--as-of", AS_OF)
        for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    for channel in ("#marketing", "CREV0001"):
        assert len(fake_slack.messages(channel)) == 1
    text = "".join(stdout for stdout, _ in outputs)
    assert text.count(": sent") == 2


@sqlite_only
def test_failed_channel_is_named_and_exits_1(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_weeks(store)
    fake_slack.fail_channel("CREV0001", "not_in_channel")
    env = environment(store, tmp_path, fake_slack, CONFIG)
    done = run(env, tmp_path, "digest", "--audience", "marketing", "--as-of", AS_OF)
    assert done.returncode == 1
    assert "#marketing: sent" in done.stdout
    assert "error: 1 channel(s) failed: CREV0001 (not_in_channel)" in done.stderr


@sqlite_only
def test_worker_catches_up_then_stops_on_sigterm(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    env = environment(store, tmp_path, fake_slack, CONFIG)
    worker = start_funnelbot(env, tmp_path, "worker")
    try:
        [message] = wait_for(lambda: fake_slack.messages("#sales"), timeout=60)
    finally:
        worker.send_signal(signal.SIGTERM)
        _, stderr = worker.communicate(timeout=60)
    assert worker.returncode == 0, stderr
    week = last_unit(Grain.WEEK, datetime.now(ZoneInfo("Europe/Berlin")).date())
    raw = message["metadata"]
    metadata = json.loads(raw) if isinstance(raw, str) else raw
    assert metadata["event_payload"] == {
        "audience": "sales",
        "channel": "#sales",
        "week": week.start.isoformat(),
    }
    # The store is empty: the digest says so and how to load data (issue 20, item 13).
    blocks = json.dumps(message.get("blocks"), ensure_ascii=False)
    assert "The store has no data yet" in blocks and "funnelbot import FILE" in blocks
    assert "Traceback" not in stderr


@pytest.fixture(autouse=True)
def _no_stray_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUNNELBOT_CONFIG", raising=False)
