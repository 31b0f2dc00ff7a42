"""`funnelbot alerts check` as operators run it: subprocesses against the test store and
the fake Slack. The racing processes run on both databases (each takes its claims in the
store's own transactions); the rest, which the store does not change, on SQLite only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from testkit.fakeslack import FakeSlack
from tests.bot.alerts.conftest import BOT_TOKEN, GROWTH, as_of_after, seed_rates
from tests.cli import operator_environment, start_funnelbot
from tests.conftest import Store

CONFIG = f"""
timezone = "Europe/Berlin"
[alerts.paid_search_leak]
metric = "mql_to_sql"
where = {{ channel = ["paid_search"] }}
when = "below 0.30"
every = "week"
channels = ["{GROWTH}"]
"""
AS_OF = as_of_after(3).isoformat()
sqlite_only = pytest.mark.parametrize("store", ["sqlite"], indirect=True)


def environment(
    store: Store, tmp_path: Path, fake: FakeSlack | None, config: str
) -> dict[str, str]:
    path = tmp_path / "funnelbot.toml"
    path.write_text(config)
    slack = None if fake is None else (BOT_TOKEN, fake.base_url)
    return operator_environment(store.url, path, slack)


def run(env: dict[str, str], cwd: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    with start_funnelbot(env, cwd, *arguments) as process:
        stdout, stderr = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)


def test_three_racing_processes_post_once(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_rates(store)
    env = environment(store, tmp_path, fake_slack, CONFIG)
    processes = [
        start_funnelbot(env, tmp_path, "alerts", "check", "--as-of", AS_OF) for _ in range(3)
    ]
    outputs = [process.communicate(timeout=120) for process in processes]
    assert [process.returncode for process in processes] == [0, 0, 0], outputs
    assert len(fake_slack.messages(GROWTH)) == 1
    text = "".join(stdout for stdout, _ in outputs)
    assert text.count("paid_search_leak W44 2026 (26 Oct – 1 Nov 2026): fired") == 3
    assert text.count(f"{GROWTH} sent") == 1


@sqlite_only
def test_dry_run_prints_the_alert_and_needs_no_token(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_rates(store)
    env = environment(store, tmp_path, None, CONFIG)
    done = run(env, tmp_path, "alerts", "check", "--as-of", AS_OF, "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "MQL-to-SQL conversion (paid search) was 23.3% in W44 2026" in done.stdout
    assert "segment smb: 41.0% → 20.0% (contributed −17.5 pp)" in done.stdout
    assert fake_slack.messages(GROWTH) == []


@sqlite_only
def test_dead_channel_is_named_and_exits_1(
    store: Store, tmp_path: Path, fake_slack: FakeSlack
) -> None:
    seed_rates(store)
    fake_slack.fail_channel(GROWTH, "channel_not_found")
    env = environment(store, tmp_path, fake_slack, CONFIG)
    done = run(env, tmp_path, "alerts", "check", "--as-of", AS_OF)
    assert done.returncode == 1
    assert (
        f"error: 1 alert delivery(ies) failed: paid_search_leak → {GROWTH} (channel_not_found)"
        in done.stderr
    )
    assert "Traceback" not in done.stderr


@sqlite_only
@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('metric = "revenu"\nwhen = "below 3"', "alerts.x.metric: unknown metric 'revenu'"),
        ('metric = "cac"\nwhen = "sometimes"', "alerts.x.when: cannot read the rule 'sometimes'"),
        ('metric = "cac"\nwhen = "above 500"\nevery = "fortnight"', "alerts.x.every: 'fortnight'"),
        ('metric = "cac"\nwhen = "above 500"\nwhere = { region = ["eu"] }', "'region' is not"),
    ],
)
def test_bad_alert_is_one_clear_line(
    store: Store, tmp_path: Path, table: str, expected: str
) -> None:
    config = f'[alerts.x]\n{table}\nchannels = ["C1"]\n'
    done = run(environment(store, tmp_path, None, config), tmp_path, "alerts", "check")
    assert done.returncode == 1
    assert expected in done.stderr
    assert "Traceback" not in done.stderr


@sqlite_only
def test_bad_as_of_and_no_alerts(store: Store, tmp_path: Path) -> None:
    env = environment(store, tmp_path, None, CONFIG)
    done = run(env, tmp_path, "alerts", "check", "--as-of", "monday")
    assert done.returncode == 1
    assert "--as-of must be a date" in done.stderr
    done = run(environment(store, tmp_path, None, ""), tmp_path, "alerts", "check")
    assert done.returncode == 1
    assert "no alerts are configured" in done.stderr


@pytest.fixture(autouse=True)
def _no_stray_config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("FUNNELBOT_CONFIG", raising=False)
