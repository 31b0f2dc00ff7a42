"""Fixtures of the Slack app's tests: the fake Slack, a seeded store, a running app."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.answers.context import metrics_context
from bot.core.clock import FixedClock
from bot.core.config import AccessRules, Settings
from bot.slack.app import answer_threads, build_app
from bot.slack.runners import JobRunner
from bot.slack.server import EVENTS_PATH, SlackHttpServer
from testkit.fakeslack import FakeSlack, fake_slack
from testkit.signed import BOT_TOKEN, SIGNING_SECRET
from tests.conftest import Store
from tests.metrics.rows import put, row

__all__ = ["NOW", "RunningApp", "fake_slack", "running_app", "seed"]

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def seed(store: Store) -> None:
    """October 2026: CAC = (9,000 + 3,000) / 30 = 400 overall; organic 400, paid search 400,
    per channel: organic (3,000 + 1,000) / 10 = 400, paid search (6,000 + 2,000) / 20 = 400;
    September 2026: (4,000 + 1,000) / 10 = 500. MRR end of October: 12,000."""
    put(
        store.engine,
        [
            row("2026-10-01", "2026-10-31", "organic", "smb", marketing_spend=3000.0,
                sales_spend=1000.0, new_customers=10, mrr_end=5000.0),
            row("2026-10-01", "2026-10-31", "paid_search", "enterprise", marketing_spend=6000.0,
                sales_spend=2000.0, new_customers=20, mrr_end=7000.0),
            row("2026-09-01", "2026-09-30", "organic", "smb", marketing_spend=4000.0,
                sales_spend=1000.0, new_customers=10),
        ],
    )  # fmt: skip


@dataclass
class RunningApp:
    """`funnelbot`'s Slack app served in this process against the fake Slack."""

    root: str
    fake: FakeSlack
    store: Store
    runner: JobRunner

    @property
    def events_url(self) -> str:
        return self.root + EVENTS_PATH

    def settle(self) -> None:
        """Wait for every answer in progress (the runner stops taking work)."""
        self.runner.shutdown()


def settings_for_test(store: Store, fake: FakeSlack, **extra: Any) -> Settings:
    return Settings(
        database_url=store.url,
        slack_bot_token=BOT_TOKEN,
        slack_signing_secret=SIGNING_SECRET,
        slack_api_url=fake.base_url,
        **extra,
    )


@contextmanager
def running_app(
    store: Store, fake: FakeSlack, access: AccessRules | None = None
) -> Iterator[RunningApp]:
    settings = settings_for_test(store, fake, access=access)
    runner = answer_threads(
        settings, store.engine, FixedClock(NOW), metrics_context(settings), workers=4
    )
    app = build_app(settings, store.engine, FixedClock(NOW), runner)
    runner.start()
    server = SlackHttpServer(app, store.engine, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield RunningApp(f"http://127.0.0.1:{server.port}", fake, store, runner)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
        runner.shutdown()


@pytest.fixture
def slack_app(store: Store, fake_slack: FakeSlack) -> Iterator[RunningApp]:
    seed(store)
    with running_app(store, fake_slack) as running:
        yield running
