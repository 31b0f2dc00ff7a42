"""Graceful shutdown, as a platform does it (SIGTERM, then a grace period): `serve`
finishes the answers in progress and exits 0 promptly; `worker` finishes the digest it
is posting, stops its scheduler and exits 0."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from bot.digests.texts import DigestLog
from testkit.fakeslack import PATIENCE_SECONDS, FakeSlack, RecordedCall, wait_for
from testkit.processes import (
    Running,
    assert_clean_exit,
    funnelbot_env,
    start_funnelbot,
    start_serve,
    wait_until_answering,
)
from testkit.signed import post_signed, slash_body
from tests.bot.slack.conftest import seed
from tests.conftest import Store

SLOW_SLACK_SECONDS = 2.0
# What "promptly" means: within the grace period a platform allows between SIGTERM and
# SIGKILL (Heroku, Render: 30 s). An upper bound that is the product's promise, not a
# guess at how fast this machine is; the processes themselves take a few seconds.
PLATFORM_GRACE_SECONDS = 30.0
SQLITE_ONLY = pytest.mark.parametrize("store", ["sqlite"], indirect=True)
# fired today whatever the day, so the worker always has a digest to catch up at start
WORKER_CONFIG = """
[digests.sales]
channels = ["C0SALES"]
schedule = "daily 00:00"
"""


def _terminate(running: Running) -> tuple[int, float, float]:
    """SIGTERM; (exit status, when it was sent, when the process had exited)."""
    sent_at = time.monotonic()
    running.process.send_signal(signal.SIGTERM)
    status = running.process.wait(timeout=PATIENCE_SECONDS)
    return status, sent_at, time.monotonic()


def _assert_exited_once_delivered(
    running: Running, stopped: tuple[int, float, float], delivery: RecordedCall
) -> None:
    """Exit 0, no traceback, after `delivery` completed, within the grace period."""
    status, sent_at, exited_at = stopped
    assert_clean_exit(running, status)
    assert exited_at >= delivery.at + SLOW_SLACK_SECONDS  # the delivery had completed
    assert exited_at - sent_at < PLATFORM_GRACE_SECONDS


@SQLITE_ONLY
@pytest.mark.parametrize("stage", ["being computed", "being delivered"])
def test_serve_finishes_answers_in_flight(
    store: Store, fake_slack: FakeSlack, tmp_path: Path, stage: str
) -> None:
    seed(store)
    fake_slack.slow("response_url", SLOW_SLACK_SECONDS)
    served = start_serve(funnelbot_env(store.url, fake_slack), tmp_path)
    try:
        wait_until_answering(served)
        body = slash_body("cac last quarter by channel", fake_slack.response_url())
        assert post_signed(served.events_url, body).status == 200
        if stage == "being delivered":
            wait_for(lambda: fake_slack.calls("response_url"))
        stopped = _terminate(served)
    finally:
        served.stop()
    (answer,) = fake_slack.calls("response_url")
    _assert_exited_once_delivered(served, stopped, answer)
    assert served.health() is None  # no longer listening


@SQLITE_ONLY
def test_worker_finishes_its_digest_and_stops(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed(store)
    config = tmp_path / "funnelbot.toml"
    config.write_text(WORKER_CONFIG)
    fake_slack.slow("chat.postMessage", SLOW_SLACK_SECONDS)
    worker = start_funnelbot(
        ["worker"], funnelbot_env(store.url, fake_slack, config=config), tmp_path, "worker"
    )
    try:
        wait_for(lambda: DigestLog.WORKER_START in worker.output(), interval=0.1)
        # the catch-up run posts this week's digest at start; stop while it is posting
        wait_for(lambda: fake_slack.calls("chat.postMessage"))
        stopped = _terminate(worker)
    finally:
        worker.stop()
    (posted,) = fake_slack.calls("chat.postMessage")
    _assert_exited_once_delivered(worker, stopped, posted)
    output = worker.output()
    assert DigestLog.SENT in output and DigestLog.WORKER_STOP in output
