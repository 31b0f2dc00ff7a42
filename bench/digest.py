"""Benchmark of digest delivery (docs/benchmarks.md, `## Digest`).

    .venv/bin/python -m bench.digest [--audiences N] [--channels C] [--share-429 S]
                                     [--database-url URL] [--rows-dir DIR]

N audiences x C channels on the ~1M-row store of `bench.query` (copied, so the ledger rows
written here stay out of the shared file; built when missing), posted to the fake Slack
of the tests, which answers a share S of all calls with HTTP 429. Measures the total time,
the posts delivered (target: every channel exactly once), the queries per digest, and
runs everything a second time to show that nothing is posted twice. Retry-After waits
are recorded, not slept, so the figure is the bot's own time.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, event, func, select

from bench.query import LARGE_PAIRS
from bot.core.config import DigestAudience, Settings
from bot.digests.audiences import DEFAULT_METRICS, plan_audiences
from bot.digests.delivery import Deliverer, Outcome, deliverer_for
from storage.engine import make_engine
from storage.models import DigestDelivery
from testkit.fakeslack import FakeSlack, serving_fake
from testkit.snapshots import fill, pairs

__all__ = ["main"]

AS_OF = date(2026, 11, 23)
SHARED_STORE = Path("/tmp/funnelbot-bench/large.db")
Json = dict[str, Any]


class FlakySlack(FakeSlack):
    """The fake Slack answering a seeded share of every call with 429 + Retry-After."""

    def __init__(self, share: float, seed: int = 5) -> None:
        super().__init__()
        self.share = share
        self.limited = 0
        self._random = random.Random(seed)
        self._draw = threading.Lock()

    def handle(
        self, method: str, path: str, body: Json, headers: dict[str, str], raw: bytes
    ) -> tuple[int, Json, dict[str, str]]:
        with self._draw:
            limited = self._random.random() < self.share
            self.limited += limited
        if limited:
            return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": "1"}
        return super().handle(method, path, body, headers, raw)


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(*args: object) -> None:
        if not str(args[2]).startswith("SET "):
            statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def store_url(rows_dir: Path, given: str | None) -> str:
    if given is not None:
        return given
    rows_dir.mkdir(parents=True, exist_ok=True)
    target = rows_dir / "digest-large.db"
    if not target.exists() and SHARED_STORE.exists():
        with sqlite3.connect(SHARED_STORE) as source, sqlite3.connect(target) as copy:
            source.backup(copy)
    return f"sqlite:///{target}"


def settings_for(url: str, fake: FakeSlack, audiences: int, channels: int) -> Settings:
    lists = list(DEFAULT_METRICS.values())
    digests = {
        f"team_{number:03d}": DigestAudience(
            channels=[f"C{number:03d}{index:02d}" for index in range(channels)],
            metrics=list(lists[number % len(lists)]),
        )
        for number in range(audiences)
    }
    return Settings(
        database_url=url,
        slack_bot_token="xoxb-bench",
        slack_api_url=fake.base_url,
        timezone="Europe/Berlin",
        digests=digests,
    )


def deliver_all(
    deliverer: Deliverer, settings: Settings
) -> tuple[Counter[Outcome], list[int], list[int]]:
    """Outcomes; per digest the metric queries and the ledger statements."""
    outcomes: Counter[Outcome] = Counter()
    metric_queries: list[int] = []
    ledger_statements: list[int] = []
    for plan in plan_audiences(settings).values():
        with counted(deliverer.engine) as statements:
            report = deliverer.deliver(plan, AS_OF)
        outcomes.update(item.outcome for item in report.results)
        reads = sum(1 for text in statements if "snapshots" in text)
        metric_queries.append(reads)
        ledger_statements.append(len(statements) - reads)
    return outcomes, metric_queries, ledger_statements


def exactly_once(fake: FakeSlack, settings: Settings) -> tuple[int, int]:
    """(channels with exactly one digest, channels with another count)."""
    good = bad = 0
    for audience in settings.digests.values():
        for channel in audience.channels:
            found = [item for item in fake.messages(channel) if item.get("metadata")]
            weeks = {json.dumps(item["metadata"], sort_keys=True) for item in found}
            good += len(found) == 1 and len(weeks) == 1
            bad += len(found) != 1
    return good, bad


def build_times(deliverer: Deliverer, settings: Settings, count: int = 10) -> list[float]:
    """Seconds to build (query, evaluate) each of the first `count` digests, no Slack."""
    times = []
    for plan in list(plan_audiences(settings).values())[:count]:
        started = time.perf_counter()
        deliverer.build(plan, AS_OF)
        times.append(time.perf_counter() - started)
    return times


def fresh_ledger(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(delete(DigestDelivery))


def ledger_sent(engine: Engine) -> int:
    statement = select(func.count()).where(DigestDelivery.status == "sent")
    with engine.connect() as connection:
        return int(connection.scalar(statement) or 0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--audiences", type=int, default=100)
    parser.add_argument("--channels", type=int, default=3)
    parser.add_argument("--share-429", type=float, default=0.05)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--rows-dir", type=Path, default=Path("/tmp/funnelbot-digest-bench"))
    arguments = parser.parse_args()
    url = store_url(arguments.rows_dir, arguments.database_url)
    engine = make_engine(url)
    rows = fill(engine, pairs(*LARGE_PAIRS))
    with serving_fake(FlakySlack(arguments.share_429)) as fake:
        settings = settings_for(url, fake, arguments.audiences, arguments.channels)
        waits: list[float] = []
        deliverer = deliverer_for(settings, engine, sleep=waits.append)
        fresh_ledger(engine)
        builds = sorted(build_times(deliverer, settings))
        started = time.perf_counter()
        first, queries, ledger_statements = deliver_all(deliverer, settings)
        elapsed = time.perf_counter() - started
        calls = len(fake.calls())
        started_again = time.perf_counter()
        second, queries_again, _ = deliver_all(deliverer, settings)
        again = time.perf_counter() - started_again
        good, bad = exactly_once(fake, settings)
        posts = len(fake.calls("chat.postMessage"))
        charts = len(fake.calls("files.completeUploadExternal"))
        print(f"store: {rows:,} rows ({engine.dialect.name})")
        print(f"audiences x channels: {arguments.audiences} x {arguments.channels}")
        print(f"first run: {elapsed:.1f} s, outcomes {dict(first)}")
        print(f"per digest: {elapsed / arguments.audiences:.2f} s")
        print(f"build only (no Slack), median of {len(builds)}: {builds[len(builds) // 2]:.2f} s")
        print(f"Slack calls answered: {calls}, plus {fake.limited} answered 429")
        print(f"Retry-After waits asked (recorded, not slept): {sum(waits):.0f} s")
        print(f"metric queries per digest: min {min(queries)}, max {max(queries)}")
        print(f"ledger statements per digest: max {max(ledger_statements)}")
        print(f"metric queries in the second run: {sum(queries_again)}")
        print(f"second run: {again:.2f} s, outcomes {dict(second)}")
        print(
            f"channels with exactly one digest: {good}; others: {bad}; postMessage calls: {posts}"
        )
        print(f"ledger rows sent: {ledger_sent(engine)}; charts attached: {charts}")
    engine.dispose()


if __name__ == "__main__":
    main()
