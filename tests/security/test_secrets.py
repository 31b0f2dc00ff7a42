"""Secrets never leave the process: a representative session of every command an
operator runs, with distinctive secret values and debug logging, and then a search of
everything printed, logged and sent to Slack for the tokens, the signing secret and the
database password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from testkit.fakeslack import FakeSlack, RecordedCall, wait_for
from testkit.processes import Running, funnelbot_env, run_side_by_side, serving
from testkit.signed import TEAM, action_body, event_body, post_signed, slash_body
from tests.bot.slack.conftest import seed
from tests.conftest import Store
from tests.storage.csvs import write_csv

BOT_TOKEN = "xoxb-4242-SECRETbot7f3a9c"
SIGNING_SECRET = "SECRETsign4c8e1d0b2a"
APP_TOKEN = "xapp-1-SECRETapp93b1e"
DB_PASSWORD = "SECRETpg2b9dq"
SECRETS = (BOT_TOKEN, SIGNING_SECRET, APP_TOKEN, DB_PASSWORD)
CONFIG = f"""
[access]
allowed_team_ids = ["{TEAM}"]
restricted_metrics = ["mrr", "arr"]
restricted_viewers = ["U0BOSS"]
restricted_channels = ["C0REV"]

[digests.sales]
channels = ["C0SALES", "C0BROKEN"]
schedule = "mon 09:00"
"""
POSTGRES_ONLY = pytest.mark.parametrize("store", ["postgresql"], indirect=True)


def _with_password(url: str, password: str, port: int | None = None) -> str:
    """`url` with a password (PostgreSQL here trusts local connections and ignores it)."""
    changed = make_url(url).set(password=password)
    return (changed if port is None else changed.set(port=port)).render_as_string(
        hide_password=False
    )


def _slack_session(served: Running, fake: FakeSlack) -> None:
    """Slash commands (answered, refused, unreadable), a mention, a click, a forgery."""
    url = served.events_url
    for index, question in enumerate(("cac last month", "mrr last month", "zzz ???", "help")):
        assert post_signed(url, slash_body(question, fake.response_url(f"q{index}")),
                           secret=SIGNING_SECRET).status == 200  # fmt: skip
    mention = {"type": "app_mention", "user": "U0ASKER", "text": "<@UBOT0001> funnel",
               "ts": "1700000000.000001", "channel": "C0GENERAL"}  # fmt: skip
    assert post_signed(url, event_body(mention, "EvSecret01"), "application/json",
                       secret=SIGNING_SECRET).status == 200  # fmt: skip
    value = json.dumps({"q": "trend cac", "d": "2026-11-25"})
    click = action_body("ask:0", value, fake.response_url("click"))
    assert post_signed(url, click, secret=SIGNING_SECRET).status == 200
    assert post_signed(url, slash_body("cac", fake.response_url("x"))).status == 401
    wait_for(lambda: len(fake.calls("response_url")) >= 5)
    wait_for(lambda: fake.calls("chat.postMessage"))


def _sent_to_slack(call: RecordedCall) -> str:
    """What a call carried, except the Authorization header where the token belongs."""
    headers = {name: value for name, value in call.headers.items() if name != "authorization"}
    return call.path + json.dumps(headers) + call.raw.decode(errors="replace")


@POSTGRES_ONLY
def test_no_secret_in_any_output_or_slack_call(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed(store)
    config = tmp_path / "funnelbot.toml"
    config.write_text(CONFIG)
    fake_slack.fail_channel("C0BROKEN")
    database_url = _with_password(store.url, DB_PASSWORD)
    env = funnelbot_env(database_url, fake_slack, bot_token=BOT_TOKEN,
                        signing_secret=SIGNING_SECRET, config=config, LOG_LEVEL="DEBUG",
                        SLACK_APP_TOKEN=APP_TOKEN)  # fmt: skip
    unreachable = funnelbot_env(
        _with_password(store.url, DB_PASSWORD, port=1), fake_slack, bot_token=BOT_TOKEN,
        signing_secret=SIGNING_SECRET, config=config, SLACK_APP_TOKEN=APP_TOKEN,
    )  # fmt: skip
    bad_csv = write_csv(tmp_path / "bad.csv", "2026-13-01,,organic,smb,1,1,1,1,1")
    as_of = ["--as-of", "2026-11-25"]
    upgrade = run_side_by_side({"upgrade": (["db", "upgrade"], env)}, tmp_path)
    commands = {
        "config": (["config", "check"], env),
        "ask": (["ask", "mrr last month", *as_of], env),
        "import-bad": (["import", str(bad_csv)], env),
        "import-no-db": (["import", str(bad_csv)], unreachable),
        "digest": (["digest", "--audience", "sales", *as_of], env),
        "digest-dry": (["digest", "--audience", "sales", "--dry-run", *as_of], env),
    }
    outputs = upgrade | run_side_by_side(commands, tmp_path)
    statuses = {name: status for name, (status, _) in outputs.items()}
    assert statuses == {"upgrade": 0, "config": 0, "ask": 0, "import-bad": 1,
                        "import-no-db": 1, "digest": 1, "digest-dry": 0}, outputs  # fmt: skip
    with serving(unreachable, tmp_path, "serve-no-db") as down:
        assert down.health() == 503
    with serving(env, tmp_path, "serve") as served:
        _slack_session(served, fake_slack)
    printed = "\n".join(
        [*(output for _, output in outputs.values()), down.output(), served.output()]
    )
    assert "DEBUG" in printed.upper() and "Traceback" not in printed
    calls = fake_slack.calls()
    assert any(call.headers.get("authorization") == f"Bearer {BOT_TOKEN}" for call in calls)
    sent = "\n".join(_sent_to_slack(call) for call in calls)
    for secret in SECRETS:
        assert secret not in printed, secret
        assert secret not in sent, secret
