"""Load benchmark of `funnelbot serve` (docs/benchmarks.md, `## Slack load`).

    .venv/bin/python -m bench.slack_load [--requests N] [--concurrency C] [--await-answers]
        [--rate R] [--database-url URL]

Starts the fake Slack and `funnelbot serve` as subprocesses, on a large store (by default
the ~1M-row SQLite store of `bench.query`, built when missing), then sends N signed slash
commands, C at a time, and measures the ack latency and the time until the answer
reaches the response_url. The same load then goes to a bare Bolt app that only acks,
served by the same HTTP server, for the ack-latency ratio. The fake Slack has a process
of its own so that its work on the answers does not hold this process's GIL while the
clients time the acks (the bare app's answers would not pay that).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bench.query import LARGE_PAIRS
from bot.slack.server import SlackHttpServer, serve_until_signalled
from storage.engine import make_engine
from testkit.fakeslack import RemoteFakeSlack, wait_for
from testkit.processes import free_port
from testkit.signed import BOT_TOKEN, SIGNING_SECRET, get, post_signed, slash_body
from testkit.snapshots import fill, pairs

__all__ = ["main"]

DEFAULT_STORE = "sqlite:////tmp/funnelbot-bench/large.db"
AS_OF = "2026-11-25"
QUESTIONS = (
    "cac last month",
    "mql to sql last quarter",
    "win rate for segment_03 q3 2026",
    "churn ytd",
    "ltv:cac last month vs last year",
    "leads from channel_07 last 30 days",
    "cac last quarter by channel",
    "trial conversion last month by segment",
)
FAILED_MARK = "something went wrong"
STALL_SECONDS = 30.0


@dataclass(frozen=True)
class Sent:
    index: int
    sent_at: float
    acked_at: float
    status: int


@dataclass(frozen=True)
class Figures:
    ack_ms: list[float]
    answer_ms: list[float]
    ack_errors: int
    answer_errors: int
    seconds: float

    @property
    def errors(self) -> int:
        return self.ack_errors + self.answer_errors


def _ready(root: str) -> bool:
    try:
        get(root + "/healthz")
    except OSError:
        return False
    return True


@contextmanager
def _process(arguments: list[str], env: dict[str, str], root: str) -> Iterator[None]:
    process = subprocess.Popen(arguments, env=env, stderr=subprocess.DEVNULL)
    try:
        wait_for(lambda: _ready(root) or process.poll() is not None, timeout=60)
        if process.poll() is not None:
            raise SystemExit(f"{arguments[:3]} exited with {process.returncode}")
        yield
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)


def _environment(fake: RemoteFakeSlack, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        SLACK_API_URL=fake.base_url,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        LOG_LEVEL="WARNING",
    )
    return env


def _funnelbot(port: int) -> list[str]:
    executable = str(Path(sys.executable).with_name("funnelbot"))
    return [executable, "serve", "--port", str(port), "--as-of", AS_OF]


def _bare(port: int) -> list[str]:
    return [sys.executable, "-m", "bench.slack_load", "--serve-bare", str(port)]


@dataclass(frozen=True)
class Load:
    """`total` commands from `concurrency` clients; with `await_answers` each client
    waits for its answer before asking again (people), else only for the ack (a flood);
    with `rate`, command i leaves at i / rate seconds (open loop: both apps get the same
    arrivals, whatever their speed)."""

    total: int
    concurrency: int
    await_answers: bool
    rate: float | None = None


def _describe(load: Load) -> str:
    if load.rate is not None:
        return f"{load.total} signed slash commands, {load.rate:g} a second (open loop)"
    waits_for = "its answer" if load.await_answers else "the ack"
    return (
        f"{load.total} signed slash commands from {load.concurrency} clients, "
        f"each waiting for {waits_for}"
    )


def _send_all(root: str, fake: RemoteFakeSlack, load: Load, expect: bool) -> list[Sent]:
    url = root + "/slack/events"
    start = time.monotonic()

    def send(index: int) -> Sent:
        body = slash_body(QUESTIONS[index % len(QUESTIONS)], fake.response_url(f"r{index}"))
        if load.rate is not None:
            time.sleep(max(0.0, start + index / load.rate - time.monotonic()))
        sent_at = time.monotonic()
        try:
            status = post_signed(url, body).status
        except OSError:
            status = 0
        acked_at = time.monotonic()
        if expect and load.await_answers and status == 200:
            fake.wait_for_path(f"/r{index}", STALL_SECONDS)
        return Sent(index, sent_at, acked_at, status)

    with ThreadPoolExecutor(load.concurrency) as pool:
        return list(pool.map(send, range(load.total)))


def _wait_for_answers(fake: RemoteFakeSlack, total: int) -> None:
    """Until every answer arrived, or none arrived for `STALL_SECONDS`."""
    seen, last_progress = 0, time.monotonic()
    while seen < total and time.monotonic() - last_progress < STALL_SECONDS:
        time.sleep(0.1)
        count = fake.count("response_url")
        if count > seen:
            seen, last_progress = count, time.monotonic()


def _answers(fake: RemoteFakeSlack, total: int, expect: bool) -> dict[str, tuple[float, bool]]:
    if expect:
        _wait_for_answers(fake, total)
    return {
        call.path.rsplit("/", 1)[-1]: (call.at, FAILED_MARK in call.text)
        for call in fake.calls("response_url")
    }


def _measure(root: str, fake: RemoteFakeSlack, load: Load, expect: bool) -> Figures:
    fake.reset()
    started = time.monotonic()
    sent = _send_all(root, fake, load, expect)
    answers = _answers(fake, load.total, expect)
    seconds = time.monotonic() - started
    ack_ms = [(item.acked_at - item.sent_at) * 1000 for item in sent]
    answer_ms: list[float] = []
    answer_errors = 0
    for item in sent if expect else ():
        found = answers.get(f"r{item.index}")
        if found is None or found[1]:
            answer_errors += 1
        else:
            answer_ms.append((found[0] - item.sent_at) * 1000)
    ack_errors = sum(item.status != 200 for item in sent)
    return Figures(ack_ms, answer_ms, ack_errors, answer_errors, seconds)


def _percentile(samples: list[float], share: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _row(label: str, figures: Figures) -> str:
    ack = f"{_percentile(figures.ack_ms, 0.5):.0f} / {_percentile(figures.ack_ms, 0.99):.0f}"
    answer = (
        f"{_percentile(figures.answer_ms, 0.5):.0f} / {_percentile(figures.answer_ms, 0.99):.0f}"
        if figures.answer_ms
        else "—"
    )
    rate = len(figures.ack_ms) / figures.seconds
    errors = f"{figures.errors} ({figures.ack_errors} acks, {figures.answer_errors} answers)"
    return f"| {label} | {ack} | {answer} | {errors} | {rate:.0f} |"


def serve_bare(port: int) -> None:
    """A Bolt app that only acks the slash command, behind the same HTTP server."""
    client = WebClient(token=BOT_TOKEN, base_url=os.environ["SLACK_API_URL"])
    app = App(client=client, signing_secret=SIGNING_SECRET, process_before_response=True)

    @app.command("/funnel")
    def acknowledge(ack: Ack) -> None:
        ack()

    server = SlackHttpServer(app, make_engine("sqlite://"), "127.0.0.1", port)
    serve_until_signalled(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--database-url", default=DEFAULT_STORE)
    parser.add_argument(
        "--await-answers",
        action="store_true",
        help="each client waits for its answer before asking again (default: for the ack)",
    )
    parser.add_argument(
        "--rate", type=float, default=None, help="open loop: send this many commands a second"
    )
    parser.add_argument("--serve-bare", type=int, default=None, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.serve_bare is not None:
        serve_bare(arguments.serve_bare)
        return
    Path("/tmp/funnelbot-bench").mkdir(exist_ok=True)
    engine = make_engine(arguments.database_url)
    rows = fill(engine, pairs(*LARGE_PAIRS))
    engine.dispose()
    load = Load(arguments.requests, arguments.concurrency, arguments.await_answers, arguments.rate)
    print(f"store: {rows:,} rows ({arguments.database_url.split(':')[0]})")
    print(_describe(load))
    print("| app | ack p50 / p99 ms | answer p50 / p99 ms | errors | requests/s |")
    print("|---|---|---|---|---|")
    fake_port = free_port()
    fake = RemoteFakeSlack(f"http://127.0.0.1:{fake_port}")
    fake_command = [sys.executable, "-m", "testkit.fakeslack", "--port", str(fake_port)]
    with _process(fake_command, dict(os.environ), fake.root_url):
        env = _environment(fake, arguments.database_url)
        results = {}
        for label, command, expect in (  # the bare app never answers
            ("funnelbot serve", _funnelbot, True),
            ("bare Bolt app (ack only)", _bare, False),
        ):
            port = free_port()
            with _process(command(port), env, f"http://127.0.0.1:{port}"):
                results[label] = _measure(f"http://127.0.0.1:{port}", fake, load, expect)
            print(_row(label, results[label]))
            print(f"slowest ack of {label}: {max(results[label].ack_ms):.0f} ms")
    ours, bare = (statistics.median(item.ack_ms) for item in results.values())
    p99_ours, p99_bare = (_percentile(item.ack_ms, 0.99) for item in results.values())
    print(
        f"ack latency ratio funnelbot / bare: p50 {ours / bare:.2f}x, "
        f"p99 {p99_ours / p99_bare:.2f}x"
    )


if __name__ == "__main__":
    main()
