"""Several `funnelbot serve` processes on one PostgreSQL schema, as on a hosting
platform with several web dynos: a retried event is answered exactly once whichever
processes receive it, and a burst of slash commands is answered in full while every
process stays within its connection pool."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest

from bot.slack.texts import Notices
from testkit.connections import POOL_LIMIT, ConnectionSampler, with_application_name
from testkit.fakeslack import FakeSlack, wait_for
from testkit.processes import (
    Running,
    assert_clean_exit,
    funnelbot_env,
    start_serve,
    wait_until_answering,
)
from testkit.signed import event_body, post_signed, slash_body
from tests.bot.slack.conftest import seed
from tests.conftest import Store

WEB_PROCESSES = 3
EVENTS = 8
QUESTIONS = ("cac last month", "funnel", "trend cac", "cac last quarter by channel")
BURST = 48
AT_A_TIME = 16


@contextmanager
def web_processes(env: dict[str, str], workdir: Path) -> Iterator[list[Running]]:
    """`WEB_PROCESSES` servers; on exit all are stopped gracefully (so every answer in
    progress has been delivered) and must exit 0 without a traceback."""
    servers = [start_serve(env, workdir, f"web{index}") for index in range(WEB_PROCESSES)]
    try:
        for server in servers:
            wait_until_answering(server)
        yield servers
    finally:
        statuses = [server.stop() for server in servers]
    for server, status in zip(servers, statuses, strict=True):
        assert_clean_exit(server, status)


def _deliver_everywhere(servers: list[Running], event_id: str) -> list[int]:
    """The same event to every process at once, the later copies marked as retries."""
    mention = {"type": "app_mention", "user": "U0ASKER", "text": "<@UBOT0001> cac 2026-10",
               "ts": f"1700000000.{event_id[-6:]}", "channel": "C0GENERAL"}  # fmt: skip
    body = event_body(mention, event_id)

    def send(index: int) -> int:
        retry = {"X-Slack-Retry-Num": str(index), "X-Slack-Retry-Reason": "http_timeout"}
        extra = retry if index else None
        return post_signed(servers[index].events_url, body, "application/json", extra=extra).status

    with ThreadPoolExecutor(len(servers)) as pool:
        return list(pool.map(send, range(len(servers))))


def _burst(servers: list[Running], fake: FakeSlack) -> list[int]:
    def send(index: int) -> int:
        body = slash_body(QUESTIONS[index % len(QUESTIONS)], fake.response_url(f"burst{index}"))
        return post_signed(servers[index % len(servers)].events_url, body).status

    with ThreadPoolExecutor(AT_A_TIME) as pool:
        return list(pool.map(send, range(BURST)))


def _all_answered(fake: FakeSlack) -> bool:
    return (
        len(fake.calls("chat.postMessage")) >= EVENTS and len(fake.calls("response_url")) >= BURST
    )


@pytest.mark.parametrize("store", ["postgresql"], indirect=True)
def test_web_processes_share_one_schema(
    store: Store, fake_slack: FakeSlack, tmp_path: Path
) -> None:
    seed(store)
    application = f"funnelbot-{store.schema}"
    env = funnelbot_env(with_application_name(store.url, application), fake_slack)
    event_ids = [f"EvConc{index:06d}" for index in range(EVENTS)]
    with (
        ConnectionSampler(store.engine, application) as connections,
        web_processes(env, tmp_path) as servers,
    ):
        delivered = list(itertools.chain(*(_deliver_everywhere(servers, id_) for id_ in event_ids)))
        burst = _burst(servers, fake_slack)
        # Every answer delivered before the servers are stopped: on a loaded machine the
        # answers of a burst take longer than any fixed stop timeout would allow.
        wait_for(lambda: _all_answered(fake_slack))
    assert set(delivered) == {200} and set(burst) == {200}
    assert len(fake_slack.calls("chat.postMessage")) == EVENTS
    answers = fake_slack.calls("response_url")
    assert sorted(call.path.rsplit("/", 1)[-1] for call in answers) == sorted(
        f"burst{index}" for index in range(BURST)
    )
    assert not [call for call in answers if Notices.FAILED in call.raw.decode()]
    assert connections.samples > 0
    assert 0 < connections.most <= WEB_PROCESSES * POOL_LIMIT
